//! The idea side: boards and challenges, submitting (with similar ideas offered first), voting,
//! following, commenting, and staff changing statuses and stages. Every function checks who may
//! do it, on the server, for the idea and board at hand.

use crate::error::StoreError;
use crate::notices::{new_mail, unsubscribe_links, MailText, MailWording};
use crate::state::{now_unix, AppState};
use crate::store::{
    IdeaRecord, Merge, Moved, MyIdeas, NewComment, NewIdea, NewNotification, Notices, Recipient,
    RoadmapItem, StatusChange,
};
use domain::idea::{
    comment_text, hide_reason, nps_of, rank_similar, status_message, Board, IdeaCard, IdeaDetail,
    IdeaError, IdeaEvent, IdeaForm, IdeaQuery, IdeaStatus, IdeaText, Notification, Priority,
    Suggestion, TriageItem, SUGGESTIONS,
};
use domain::locale::Locale;
use domain::model::{Role, UserInfo};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum IdeaUseError {
    /// No such board or idea, or not for this viewer (a private board to an anonymous visitor,
    /// a hidden idea to a customer): the same answer, so ids reveal nothing.
    #[error("not found")]
    NotFound,
    #[error("sign in first")]
    SignInRequired,
    /// Signed in, but this role may not do this.
    #[error("not allowed for this role")]
    Forbidden,
    /// The account's address is not confirmed yet.
    #[error("confirm the address first")]
    Unverified,
    #[error("invalid: {0:?}")]
    Invalid(Vec<IdeaError>),
    /// The customer an idea is submitted for (through the API) has these problems.
    #[error("invalid customer: {0:?}")]
    InvalidCustomer(Vec<domain::account::AccountError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What notification mails need: the site's base address for links, and the words.
pub struct MailContext {
    pub base: String,
    pub wording: &'static dyn MailWording,
}

/// The boards and challenges this viewer may read.
pub async fn boards(
    state: &AppState,
    viewer: Option<&UserInfo>,
) -> Result<Vec<Board>, IdeaUseError> {
    Ok(state
        .store
        .list_boards()
        .await?
        .into_iter()
        .filter(|b| b.readable_by(viewer.is_some()))
        .collect())
}

/// A board the viewer may read.
pub async fn board(
    state: &AppState,
    viewer: Option<&UserInfo>,
    slug: &str,
) -> Result<Board, IdeaUseError> {
    if !domain::survey::is_valid_slug(slug) {
        return Err(IdeaUseError::NotFound);
    }
    match state.store.board_by_slug(slug).await? {
        Some(b) if b.readable_by(viewer.is_some()) => Ok(b),
        _ => Err(IdeaUseError::NotFound),
    }
}

/// What a board's page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardPage {
    pub board: Board,
    pub ideas: Vec<IdeaCard>,
    pub total: u64,
    pub statuses: Vec<IdeaStatus>,
}

pub async fn board_page(
    state: &AppState,
    viewer: Option<&UserInfo>,
    slug: &str,
    query: &IdeaQuery,
) -> Result<BoardPage, IdeaUseError> {
    let board = board(state, viewer, slug).await?;
    let staff = viewer.is_some_and(|u| u.role.manages_ideas());
    let (ideas, total) = state
        .store
        .list_ideas(board.id, query, viewer.map(|u| u.id), staff, now_unix())
        .await?;
    Ok(BoardPage {
        board,
        ideas,
        total,
        statuses: state.store.idea_statuses().await?,
    })
}

/// An idea the viewer may see, with its board: hidden ideas only to staff, ideas awaiting
/// moderation to their author and staff, ideas on private boards to signed-in people.
pub async fn readable_idea(
    state: &AppState,
    viewer: Option<&UserInfo>,
    id: i64,
) -> Result<(IdeaRecord, Board), IdeaUseError> {
    let idea = state.store.idea(id).await?.ok_or(IdeaUseError::NotFound)?;
    let board = state
        .store
        .board_by_id(idea.board_id)
        .await?
        .ok_or(IdeaUseError::NotFound)?;
    let staff = viewer.is_some_and(|u| u.role.manages_ideas());
    let author = viewer.is_some_and(|u| u.id == idea.author_id);
    let visible = match idea.visibility.as_str() {
        "visible" => true,
        "pending" => staff || author,
        _ => staff,
    };
    if !visible || !board.readable_by(viewer.is_some()) {
        return Err(IdeaUseError::NotFound);
    }
    Ok((idea, board))
}

/// What an idea's page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct IdeaPage {
    pub board: Board,
    pub idea: IdeaDetail,
    pub statuses: Vec<IdeaStatus>,
}

pub async fn idea_page(
    state: &AppState,
    viewer: Option<&UserInfo>,
    id: i64,
) -> Result<IdeaPage, IdeaUseError> {
    let (idea, board) = readable_idea(state, viewer, id).await?;
    let (voted, following) = match viewer {
        Some(u) => (
            state.store.has_voted(id, u.id).await?,
            state.store.is_following(id, u.id).await?,
        ),
        None => (false, false),
    };
    let merged_into = match idea.merged_into {
        Some(target) => state
            .store
            .idea(target)
            .await?
            .map(|t| (t.id, t.title_masked)),
        None => None,
    };
    // Personal data is masked for everyone but the author.
    let own = viewer.is_some_and(|u| u.id == idea.author_id);
    let (title, body) = if own {
        (idea.title.clone(), idea.body.clone())
    } else {
        (idea.title_masked.clone(), idea.body_masked.clone())
    };
    let detail = IdeaDetail {
        card: IdeaCard {
            id: idea.id,
            board_slug: board.slug.clone(),
            title,
            status: idea.status.clone(),
            votes: idea.votes,
            comments: idea.comments,
            created_at: idea.created_at,
            author: idea.author.clone(),
            voted,
            pending: idea.visibility == "pending",
        },
        body,
        status_message: idea.status_message.clone(),
        status_at: idea.status_at,
        merged_into,
        themes: idea.themes.clone(),
        language: idea.language.clone(),
        sentiment: idea.sentiment.clone(),
        comments: state.store.idea_comments(id).await?,
        following,
        author_id: idea.author_id,
    };
    Ok(IdeaPage {
        board,
        idea: detail,
        statuses: state.store.idea_statuses().await?,
    })
}

/// A customer who contributes: signed in, a customer, address confirmed.
async fn contributor(state: &AppState, user: Option<&UserInfo>) -> Result<UserInfo, IdeaUseError> {
    let user = user.ok_or(IdeaUseError::SignInRequired)?;
    if user.role != Role::Customer {
        // Staff have their own internal votes and official answers; customer votes stay the
        // customers'.
        return Err(IdeaUseError::Forbidden);
    }
    let account = state
        .store
        .account(user.id)
        .await?
        .ok_or(IdeaUseError::SignInRequired)?;
    if !account.verified {
        return Err(IdeaUseError::Unverified);
    }
    Ok(user.clone())
}

/// The result of a submission.
#[derive(Debug, Clone, PartialEq)]
pub enum Submitted {
    Stored {
        id: i64,
        pending: bool,
    },
    /// Similar ideas exist: the customer confirms (or votes for one of these) first.
    Similar(Vec<Suggestion>),
}

/// Submits an idea to a board or challenge. Unless `confirmed`, similar ideas are offered first.
pub async fn submit_idea(
    state: &AppState,
    user: Option<&UserInfo>,
    board_slug: &str,
    form: IdeaForm,
    confirmed: bool,
    locale: Locale,
) -> Result<Submitted, IdeaUseError> {
    let user = contributor(state, user).await?;
    let board = board(state, Some(&user), board_slug).await?;
    let now = now_unix();
    if !board.is_open(now) {
        return Err(IdeaUseError::Invalid(vec![IdeaError::BoardClosed]));
    }
    let text = IdeaText::try_from(form).map_err(IdeaUseError::Invalid)?;
    if !confirmed {
        let similar = suggestions(state, Some(&user), &text.title, locale).await?;
        if !similar.is_empty() {
            return Ok(Submitted::Similar(similar));
        }
    }
    let pending = board
        .moderation
        .holds(state.store.has_visible_idea(user.id).await?);
    let idea = analysed_idea(state, board.id, user.id, text, locale, pending, now);
    let id = state.store.insert_idea(&idea).await?;
    tracing::info!(idea = id, board = board.id, pending, "idea submitted");
    Ok(Submitted::Stored { id, pending })
}

/// An idea analysed like all feedback: language, themes, sentiment, personal data masked, and
/// the terms similar-idea suggestions match on.
pub fn analysed_idea(
    state: &AppState,
    board_id: i64,
    author_id: i64,
    text: IdeaText,
    locale: Locale,
    pending: bool,
    now: i64,
) -> NewIdea {
    let full = format!("{}\n{}", text.title, text.body);
    let analysis = state.analyzer.analyze(&full, Some(locale));
    let language = analysis.language.as_ref().map(|l| l.code.clone());
    let mut terms = state.analyzer.terms(&full, language.as_deref());
    terms.extend(analysis.themes.iter().map(|t| format!("#{}", t.key)));
    NewIdea {
        board_id,
        author_id,
        title_masked: state.analyzer.mask_pii(&text.title),
        body_masked: state.analyzer.mask_pii(&text.body),
        title: text.title,
        body: text.body,
        language,
        sentiment: analysis.sentiment.map(|s| s.0),
        themes: analysis.themes.into_iter().map(|t| t.key).collect(),
        terms,
        pending,
        created_at: now,
    }
}

/// Ideas similar to `text` (typically a title being typed) that the viewer may read, best
/// first.
pub async fn suggestions(
    state: &AppState,
    viewer: Option<&UserInfo>,
    text: &str,
    locale: Locale,
) -> Result<Vec<Suggestion>, IdeaUseError> {
    let text: String = text
        .chars()
        .take(domain::idea::TITLE_MAX_CHARS * 2)
        .collect();
    let analysis = state.analyzer.analyze(&text, Some(locale));
    // A title is short: its language is often undetermined, so it is read both ways then.
    let language = analysis
        .language
        .filter(|l| l.confidence >= 0.5)
        .map(|l| l.code);
    let mut terms = state.analyzer.terms(&text, language.as_deref());
    terms.extend(analysis.themes.iter().map(|t| format!("#{}", t.key)));
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    // Words in a large share of all ideas say little about which are alike, and would make the
    // candidates most of the board: only telling terms are looked up.
    let total = state.store.count_visible_ideas().await? as i64;
    let telling = (total / 10).max(25);
    let frequencies: HashMap<String, i64> = state
        .store
        .term_frequencies(&terms)
        .await?
        .into_iter()
        .collect();
    let terms: Vec<String> = terms
        .into_iter()
        .filter(|t| frequencies.get(t).is_some_and(|n| *n <= telling))
        .collect();
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let candidates = state
        .store
        .similar_candidates(&terms, viewer.is_some())
        .await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = candidates.iter().map(|c| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    let counts: HashMap<i64, i64> = state.store.term_counts(&ids).await?.into_iter().collect();
    let ranked = rank_similar(
        &terms,
        &candidates,
        |id| counts.get(&id).copied().unwrap_or(1) as usize,
        total.max(0) as usize,
    );
    let best: Vec<i64> = ranked.iter().take(SUGGESTIONS).map(|r| r.0).collect();
    let cards = state.store.idea_cards(&best, viewer.map(|u| u.id)).await?;
    Ok(best
        .iter()
        .filter_map(|id| cards.iter().find(|(c, _)| c.id == *id))
        .map(|(c, _)| Suggestion {
            id: c.id,
            board_slug: c.board_slug.clone(),
            title: c.title.clone(),
            votes: c.votes,
            status: c.status.clone(),
        })
        .collect())
}

/// An idea that can take votes and comments now: readable, not merged away, its board open.
async fn open_idea(
    state: &AppState,
    user: &UserInfo,
    id: i64,
) -> Result<(IdeaRecord, Board), IdeaUseError> {
    let (idea, board) = readable_idea(state, Some(user), id).await?;
    if idea.merged_into.is_some() || idea.visibility != "visible" || !board.is_open(now_unix()) {
        return Err(IdeaUseError::Invalid(vec![IdeaError::BoardClosed]));
    }
    Ok((idea, board))
}

/// Sets the customer's vote on an idea on or off; answers the idea's vote count.
pub async fn vote(
    state: &AppState,
    user: Option<&UserInfo>,
    id: i64,
    on: bool,
) -> Result<i64, IdeaUseError> {
    let user = contributor(state, user).await?;
    open_idea(state, &user, id).await?;
    Ok(state.store.set_vote(id, user.id, on, now_unix()).await?)
}

/// Follows an idea (or stops): anyone signed in who may read it.
pub async fn follow(
    state: &AppState,
    user: Option<&UserInfo>,
    id: i64,
    on: bool,
) -> Result<(), IdeaUseError> {
    let user = user.ok_or(IdeaUseError::SignInRequired)?;
    readable_idea(state, Some(user), id).await?;
    Ok(state.store.set_follow(id, user.id, on, now_unix()).await?)
}

/// A notification for everyone in `audience` but `actor`; the callers add the mails.
fn notifications_for(
    audience: &[Recipient],
    actor: i64,
    idea_id: Option<i64>,
    board_id: Option<i64>,
    kind: &str,
    detail: &str,
) -> Notices {
    Notices {
        notifications: audience
            .iter()
            .filter(|r| r.user_id != actor)
            .map(|r| NewNotification {
                user_id: r.user_id,
                idea_id,
                board_id,
                kind: kind.into(),
                detail: detail.into(),
            })
            .collect(),
        mails: Vec::new(),
    }
}

/// Adds a comment. A comment by staff is an official answer; customers comment when they may
/// contribute. Followers, voters and the author hear of it.
pub async fn comment(
    state: &AppState,
    user: Option<&UserInfo>,
    id: i64,
    raw: &str,
    mail: &MailContext,
) -> Result<i64, IdeaUseError> {
    let signed_in = user.ok_or(IdeaUseError::SignInRequired)?;
    let official = signed_in.role.manages_ideas();
    let user = if official {
        signed_in.clone()
    } else {
        contributor(state, user).await?
    };
    let (idea, board) = if official {
        readable_idea(state, Some(&user), id).await?
    } else {
        open_idea(state, &user, id).await?
    };
    let body = comment_text(raw).map_err(|e| IdeaUseError::Invalid(vec![e]))?;
    let analysis = state.analyzer.analyze(&body, None);
    let comment = NewComment {
        idea_id: id,
        author_id: user.id,
        body_masked: analysis.masked.clone(),
        language: analysis.language.map(|l| l.code),
        sentiment: analysis.sentiment.map(|s| s.0),
        official,
        created_at: now_unix(),
        body,
    };
    let audience = state.store.idea_audience(id).await?;
    let kind = if official {
        "official_answer"
    } else {
        "new_comment"
    };
    let mut notices = notifications_for(&audience, user.id, Some(id), None, kind, "");
    let link = format!("{}/ideas/{}/{}", mail.base, board.slug, id);
    for r in audience.iter().filter(|r| r.user_id != user.id && r.mail) {
        let locale = Locale::from_tag(&r.locale).unwrap_or_default();
        let text = MailText::Comment {
            idea: &idea.title_masked,
            author: &user.display_name,
            text: &comment.body_masked,
            official,
            link: &link,
        };
        let unsubscribe = unsubscribe_links(&mail.base, &state.customer_key, r.user_id, Some(id));
        notices.mails.push(new_mail(
            kind,
            &r.email,
            mail.wording.mail(locale, &text, Some(&unsubscribe)),
        ));
    }
    let comment_id = state.store.add_comment(&comment, &notices).await?;
    if !notices.mails.is_empty() {
        state.outbox.notify_one();
    }
    Ok(comment_id)
}

/// Staff change an idea's status, optionally with a public message (an official answer).
pub async fn change_status(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    status: &str,
    message: &str,
    mail: &MailContext,
) -> Result<(), IdeaUseError> {
    if !user.role.manages_ideas() {
        return Err(IdeaUseError::Forbidden);
    }
    let (idea, board) = readable_idea(state, Some(user), id).await?;
    let statuses = state.store.idea_statuses().await?;
    let Some(new_status) = statuses.iter().find(|s| s.key == status) else {
        return Err(IdeaUseError::Invalid(vec![IdeaError::StatusUnknown]));
    };
    let message = status_message(message).map_err(|e| IdeaUseError::Invalid(vec![e]))?;
    let audience = state.store.idea_audience(id).await?;
    let mut notices =
        notifications_for(&audience, user.id, Some(id), None, "status_changed", status);
    let link = format!("{}/ideas/{}/{}", mail.base, board.slug, id);
    for r in audience.iter().filter(|r| r.user_id != user.id && r.mail) {
        let locale = Locale::from_tag(&r.locale).unwrap_or_default();
        let text = MailText::StatusChanged {
            idea: &idea.title_masked,
            status: new_status.name(locale),
            message: message.as_deref(),
            link: &link,
        };
        let unsubscribe = unsubscribe_links(&mail.base, &state.customer_key, r.user_id, Some(id));
        notices.mails.push(new_mail(
            "status_changed",
            &r.email,
            mail.wording.mail(locale, &text, Some(&unsubscribe)),
        ));
    }
    let change = StatusChange {
        idea_id: id,
        status: status.to_string(),
        message,
        actor_id: user.id,
        at: now_unix(),
    };
    state.store.change_status(&change, &notices).await?;
    if !notices.mails.is_empty() {
        state.outbox.notify_one();
    }
    tracing::info!(idea = id, status, actor = user.id, "idea status changed");
    Ok(())
}

/// Staff move a challenge to another of its stages; everyone who took part hears of it.
pub async fn set_stage(
    state: &AppState,
    user: &UserInfo,
    board_slug: &str,
    stage: &str,
    mail: &MailContext,
) -> Result<(), IdeaUseError> {
    if !user.role.manages_ideas() {
        return Err(IdeaUseError::Forbidden);
    }
    let board = board(state, Some(user), board_slug).await?;
    let Some(new_stage) = board.stages.iter().find(|s| s.key == stage) else {
        return Err(IdeaUseError::NotFound);
    };
    let audience = state.store.board_participants(board.id).await?;
    let mut notices = notifications_for(
        &audience,
        user.id,
        None,
        Some(board.id),
        "stage_changed",
        stage,
    );
    let link = format!("{}/ideas/{}", mail.base, board.slug);
    for r in audience.iter().filter(|r| r.user_id != user.id && r.mail) {
        let locale = Locale::from_tag(&r.locale).unwrap_or_default();
        let text = MailText::StageChanged {
            board: board.name(locale),
            stage: new_stage.name(locale),
            link: &link,
        };
        let unsubscribe = unsubscribe_links(&mail.base, &state.customer_key, r.user_id, None);
        notices.mails.push(new_mail(
            "stage_changed",
            &r.email,
            mail.wording.mail(locale, &text, Some(&unsubscribe)),
        ));
    }
    state
        .store
        .set_board_stage(board.id, stage, &notices, now_unix())
        .await?;
    if !notices.mails.is_empty() {
        state.outbox.notify_one();
    }
    Ok(())
}

/// A customer's own lists.
pub async fn my_ideas(
    state: &AppState,
    user: &UserInfo,
    which: MyIdeas,
) -> Result<Vec<IdeaCard>, IdeaUseError> {
    Ok(state.store.my_ideas(user.id, which).await?)
}

/// The public roadmap: planned, in progress and recently done ideas of boards the viewer may
/// read, per status in the statuses' order.
pub async fn roadmap(
    state: &AppState,
    viewer: Option<&UserInfo>,
) -> Result<(Vec<IdeaStatus>, Vec<RoadmapItem>), IdeaUseError> {
    let readable: Vec<i64> = boards(state, viewer).await?.iter().map(|b| b.id).collect();
    let since = now_unix() - 90 * 86_400;
    let items = state
        .store
        .roadmap(since)
        .await?
        .into_iter()
        .filter(|i| readable.contains(&i.board_id))
        .collect();
    let statuses = state
        .store
        .idea_statuses()
        .await?
        .into_iter()
        .filter(|s| s.on_roadmap)
        .collect();
    Ok((statuses, items))
}

/// "You asked, we did": done ideas of boards the viewer may read, newest first.
pub async fn changelog(
    state: &AppState,
    viewer: Option<&UserInfo>,
) -> Result<Vec<RoadmapItem>, IdeaUseError> {
    let readable: Vec<i64> = boards(state, viewer).await?.iter().map(|b| b.id).collect();
    Ok(state
        .store
        .changelog(100)
        .await?
        .into_iter()
        .filter(|i| readable.contains(&i.board_id))
        .collect())
}

/// The viewer's notifications, newest first; reading them marks them read.
pub async fn notifications(
    state: &AppState,
    user: &UserInfo,
) -> Result<Vec<Notification>, IdeaUseError> {
    let list = state.store.notifications(user.id, 100).await?;
    state
        .store
        .mark_notifications_read(user.id, now_unix())
        .await?;
    Ok(list)
}

/// Stops mail from an unsubscribe link: about one idea, or all of it (`idea` 0). The link's
/// token proves the installation made it for this user.
pub async fn unsubscribe(
    state: &AppState,
    user_id: i64,
    idea: i64,
    token: &str,
) -> Result<(), IdeaUseError> {
    let expected = crate::notices::unsubscribe_token(&state.customer_key, user_id, idea);
    if !crate::secrets::constant_time_eq(expected.as_bytes(), token.trim().as_bytes()) {
        return Err(IdeaUseError::NotFound);
    }
    if idea == 0 {
        state.store.set_mail_notifications(user_id, false).await?;
    } else {
        state.store.mute_idea(idea, user_id).await?;
    }
    Ok(())
}

fn staff_only(user: &UserInfo) -> Result<(), IdeaUseError> {
    if user.role.manages_ideas() {
        Ok(())
    } else {
        Err(IdeaUseError::Forbidden)
    }
}

/// Merges a duplicate into the original: votes (each customer once), followers and comments
/// move; the duplicate's author hears of it.
pub async fn merge(
    state: &AppState,
    user: &UserInfo,
    duplicate: i64,
    original: i64,
    mail: &MailContext,
) -> Result<Moved, IdeaUseError> {
    staff_only(user)?;
    let (dup, _) = readable_idea(state, Some(user), duplicate).await?;
    let (orig, orig_board) = readable_idea(state, Some(user), original)
        .await
        .map_err(|_| IdeaUseError::Invalid(vec![IdeaError::MergeInvalid]))?;
    if dup.id == orig.id || dup.merged_into.is_some() || orig.merged_into.is_some() {
        return Err(IdeaUseError::Invalid(vec![IdeaError::MergeInvalid]));
    }
    let mut notices = Notices::default();
    if dup.author_id != user.id {
        notices.notifications.push(NewNotification {
            user_id: dup.author_id,
            idea_id: Some(dup.id),
            board_id: None,
            kind: "merged".into(),
            detail: orig.id.to_string(),
        });
        if let Some(author) = state.store.account(dup.author_id).await? {
            if author.verified && author.mail_notifications {
                let locale = Locale::from_tag(&author.locale).unwrap_or_default();
                let link = format!("{}/ideas/{}/{}", mail.base, orig_board.slug, orig.id);
                let text = MailText::Merged {
                    idea: &dup.title_masked,
                    into: &orig.title_masked,
                    link: &link,
                };
                let unsubscribe =
                    unsubscribe_links(&mail.base, &state.customer_key, author.id, None);
                notices.mails.push(new_mail(
                    "merged",
                    &author.email,
                    mail.wording.mail(locale, &text, Some(&unsubscribe)),
                ));
            }
        }
    }
    let merge = Merge {
        duplicate_id: dup.id,
        original_id: orig.id,
        actor_id: user.id,
        at: now_unix(),
    };
    let moved = match state.store.merge_ideas(&merge, &notices).await {
        Err(StoreError::Conflict(_)) => {
            return Err(IdeaUseError::Invalid(vec![IdeaError::MergeInvalid]))
        }
        other => other?,
    };
    if !notices.mails.is_empty() {
        state.outbox.notify_one();
    }
    tracing::info!(duplicate, original, actor = user.id, ?moved, "ideas merged");
    Ok(moved)
}

/// Undoes the latest merge of a duplicate exactly.
pub async fn unmerge(
    state: &AppState,
    user: &UserInfo,
    duplicate: i64,
) -> Result<Moved, IdeaUseError> {
    staff_only(user)?;
    readable_idea(state, Some(user), duplicate).await?;
    let moved = state
        .store
        .unmerge_idea(duplicate, user.id, now_unix())
        .await?
        .ok_or(IdeaUseError::Invalid(vec![IdeaError::MergeInvalid]))?;
    tracing::info!(duplicate, actor = user.id, ?moved, "merge undone");
    Ok(moved)
}

/// A product team member's own vote, apart from the customers'.
pub async fn internal_vote(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    on: bool,
) -> Result<(), IdeaUseError> {
    staff_only(user)?;
    readable_idea(state, Some(user), id).await?;
    Ok(state
        .store
        .set_internal_vote(id, user.id, on, now_unix())
        .await?)
}

/// Sets an idea's prioritisation (RICE).
pub async fn prioritise(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    priority: Priority,
) -> Result<(), IdeaUseError> {
    staff_only(user)?;
    readable_idea(state, Some(user), id).await?;
    Ok(state
        .store
        .set_priority(id, &priority, user.id, now_unix())
        .await?)
}

/// Approves an idea awaiting moderation, or hides an idea with a reason.
pub async fn moderate(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    approve: bool,
    reason: &str,
) -> Result<(), IdeaUseError> {
    staff_only(user)?;
    readable_idea(state, Some(user), id).await?;
    let reason = if approve {
        None
    } else {
        Some(hide_reason(reason).map_err(|e| IdeaUseError::Invalid(vec![e]))?)
    };
    state
        .store
        .moderate_idea(id, reason.as_deref(), user.id, now_unix())
        .await?;
    tracing::info!(idea = id, approve, actor = user.id, "idea moderated");
    Ok(())
}

/// Hides a comment (spam, abuse) with a reason; answers its idea.
pub async fn hide_comment(
    state: &AppState,
    user: &UserInfo,
    comment: i64,
    reason: &str,
) -> Result<i64, IdeaUseError> {
    staff_only(user)?;
    let reason = hide_reason(reason).map_err(|e| IdeaUseError::Invalid(vec![e]))?;
    state
        .store
        .hide_comment(comment, &reason, user.id, now_unix())
        .await?
        .ok_or(IdeaUseError::NotFound)
}

/// The product team's inbox: every open idea with its customers, their NPS, internal votes,
/// prioritisation and response promise.
pub async fn triage(state: &AppState, user: &UserInfo) -> Result<Vec<TriageItem>, IdeaUseError> {
    staff_only(user)?;
    let records = state.store.triage(user.id).await?;
    let ids: Vec<i64> = records.iter().map(|r| r.card.id).collect();
    let mut scores: HashMap<i64, Vec<i64>> = HashMap::new();
    for (idea, score) in state.store.voter_scores(&ids).await? {
        scores.entry(idea).or_default().push(score);
    }
    Ok(records
        .into_iter()
        .map(|r| {
            let voter_scores = scores.remove(&r.card.id).unwrap_or_default();
            TriageItem {
                voter_nps: nps_of(&voter_scores),
                voters_with_score: voter_scores.len() as i64,
                score: r.priority.map(|p| p.score(r.customers)),
                due_at: r.card.created_at + r.response_days * 86_400,
                board_name_nl: r.board_name_nl,
                board_name_en: r.board_name_en,
                customers: r.customers,
                internal_votes: r.internal_votes,
                my_internal_vote: r.my_internal_vote,
                priority: r.priority,
                answered_at: r.answered_at,
                card: r.card,
            }
        })
        .collect())
}

/// What staff see of an idea beyond its page: the audit trail and the prioritisation.
pub async fn staff_view(
    state: &AppState,
    user: &UserInfo,
    id: i64,
) -> Result<(Vec<IdeaEvent>, Option<Priority>), IdeaUseError> {
    staff_only(user)?;
    readable_idea(state, Some(user), id).await?;
    Ok((
        state.store.idea_events(id).await?,
        state.store.priority(id).await?,
    ))
}

/// Submits an idea on behalf of a customer (a support tool through the API): the customer is
/// recognised by address, or gets an account whose address they confirm by the mail sent (and
/// then set a password for). Moderation applies as to any customer; no similar-idea step.
pub async fn submit_on_behalf(
    state: &AppState,
    board_slug: &str,
    email: &str,
    name: &str,
    form: IdeaForm,
    locale: Locale,
    mail: &MailContext,
) -> Result<Submitted, IdeaUseError> {
    use domain::account::{AccountError, NAME_MAX_CHARS};
    if !domain::survey::is_valid_slug(board_slug) {
        return Err(IdeaUseError::NotFound);
    }
    let board = state
        .store
        .board_by_slug(board_slug)
        .await?
        .ok_or(IdeaUseError::NotFound)?;
    let now = now_unix();
    if !board.is_open(now) {
        return Err(IdeaUseError::Invalid(vec![IdeaError::BoardClosed]));
    }
    let text = IdeaText::try_from(form).map_err(IdeaUseError::Invalid)?;
    let email = domain::survey::Email::parse(&email.to_lowercase()).ok_or(
        IdeaUseError::InvalidCustomer(vec![AccountError::EmailInvalid]),
    )?;
    let author = match state.store.account_by_email(email.as_str()).await? {
        Some(a) => a.id,
        None => {
            let name = domain::survey::clean_text(name);
            let name = if name.is_empty() {
                email.as_str().split('@').next().unwrap_or("").to_string()
            } else if name.chars().count() > NAME_MAX_CHARS {
                return Err(IdeaUseError::InvalidCustomer(vec![
                    AccountError::NameTooLong,
                ]));
            } else {
                name.to_string()
            };
            new_customer_for(state, email.as_str(), &name, locale, mail).await?
        }
    };
    let pending = board
        .moderation
        .holds(state.store.has_visible_idea(author).await?);
    let idea = analysed_idea(state, board.id, author, text, locale, pending, now);
    let id = state.store.insert_idea(&idea).await?;
    tracing::info!(
        idea = id,
        board = board.id,
        "idea submitted through the API"
    );
    Ok(Submitted::Stored { id, pending })
}

/// An account for a customer someone else named: unverified, with an unusable password, and
/// a mail to confirm the address (after which they choose a password by "forgot password").
async fn new_customer_for(
    state: &AppState,
    email: &str,
    name: &str,
    locale: Locale,
    mail: &MailContext,
) -> Result<i64, IdeaUseError> {
    use crate::secrets::{customer_hash, random_token, token_hash};
    use crate::store::{NewAccountToken, NewCustomer};
    let now = now_unix();
    let token = random_token();
    let link = format!("{}/account/verify?token={token}", mail.base);
    let text = MailText::Verify { name, link: &link };
    let customer = NewCustomer {
        email: email.to_string(),
        display_name: name.to_string(),
        // Not a hash argon2 could ever match: no password until they set one.
        password_hash: format!("!unset-{}", random_token()),
        customer_hash: customer_hash(&state.customer_key, email),
        locale: locale.as_str().to_string(),
    };
    let token = NewAccountToken {
        token_hash: token_hash(&token),
        purpose: "verify",
        expires_at: now + domain::account::VERIFY_TTL_SECS,
    };
    let mail = new_mail(
        "verify_email",
        email,
        mail.wording.mail(locale, &text, None),
    );
    let id = match state
        .store
        .create_customer(&customer, &token, &mail, now)
        .await
    {
        Ok(id) => id,
        // Created at the same moment by another request.
        Err(StoreError::Conflict(_)) => {
            state
                .store
                .account_by_email(email)
                .await?
                .ok_or(IdeaUseError::NotFound)?
                .id
        }
        Err(e) => return Err(e.into()),
    };
    state.outbox.notify_one();
    Ok(id)
}

/// Ideas for the API: every board (a support tool acts for the company), visible ideas only,
/// `query`'s order, filters and page; with the total that match.
pub async fn list_for_api(
    state: &AppState,
    board_slug: Option<&str>,
    query: &IdeaQuery,
) -> Result<(Vec<IdeaCard>, u64), IdeaUseError> {
    let boards = state.store.list_boards().await?;
    let chosen: Vec<&Board> = match board_slug {
        Some(slug) => vec![boards
            .iter()
            .find(|b| b.slug == slug)
            .ok_or(IdeaUseError::NotFound)?],
        None => boards.iter().collect(),
    };
    let now = now_unix();
    let mut all = Vec::new();
    let mut total = 0;
    // Each board's page up to the one asked, merged in the asked order.
    let deep = IdeaQuery {
        page: 0,
        ..query.clone()
    };
    for b in chosen {
        let mut page = 0;
        loop {
            let q = IdeaQuery {
                page,
                ..deep.clone()
            };
            let (cards, n) = state.store.list_ideas(b.id, &q, None, false, now).await?;
            if page == 0 {
                total += n;
            }
            let done = cards.len() < domain::idea::PAGE_SIZE as usize || page >= query.page;
            all.extend(cards);
            if done {
                break;
            }
            page += 1;
        }
    }
    match query.sort {
        domain::idea::IdeaSort::Top => {
            all.sort_by(|a, b| b.votes.cmp(&a.votes).then(b.id.cmp(&a.id)))
        }
        domain::idea::IdeaSort::New => {
            all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)))
        }
        domain::idea::IdeaSort::Trending => all.sort_by(|a, b| {
            let score = |c: &IdeaCard| domain::idea::trending_score(c.votes, now - c.created_at);
            score(b).total_cmp(&score(a)).then(b.id.cmp(&a.id))
        }),
    }
    let size = domain::idea::PAGE_SIZE as usize;
    let page: Vec<IdeaCard> = all
        .into_iter()
        .skip(query.page as usize * size)
        .take(size)
        .collect();
    Ok((page, total))
}

/// The managers' ideas panel over the last `period_days` (activity per month over a year).
pub async fn panel(
    state: &AppState,
    user: &UserInfo,
    period_days: i64,
) -> Result<domain::idea::IdeasPanel, IdeaUseError> {
    use domain::calendar::month_key;
    use domain::engagement::Ladder;
    if !user.role.sees_dashboard() {
        return Err(IdeaUseError::Forbidden);
    }
    let now = now_unix();
    let since = now - period_days * 86_400;
    let year = state.store.idea_activity(now - 365 * 86_400).await?;
    let mut months: Vec<(String, u64, u64, u64)> = Vec::new();
    for (day, ideas, votes, comments) in year.days {
        let key = month_key(day);
        match months.last_mut() {
            Some(m) if m.0 == key => {
                m.1 += ideas as u64;
                m.2 += votes as u64;
                m.3 += comments as u64;
            }
            _ => months.push((key, ideas as u64, votes as u64, comments as u64)),
        }
    }
    let period = state.store.idea_activity(since).await?;
    let mut days: Vec<f64> = period
        .answer_secs
        .iter()
        .map(|s| *s as f64 / 86_400.0)
        .collect();
    let facts = state.store.ladder_facts().await?;
    let contributed: HashMap<&str, i64> = facts
        .contributions
        .iter()
        .map(|(h, at)| (h.as_str(), *at))
        .collect();
    // Responses arrive ordered by customer and time: one slice per customer.
    /// A customer's responses (time, score) and first contribution.
    type Customer = (Vec<(i64, u8)>, Option<i64>);
    let mut customers: Vec<Customer> = Vec::new();
    let mut current: Option<&str> = None;
    for (hash, at, score) in &facts.responses {
        if current != Some(hash.as_str()) {
            customers.push((Vec::new(), contributed.get(hash.as_str()).copied()));
            current = Some(hash);
        }
        if let Some(last) = customers.last_mut() {
            last.0.push((*at, (*score).clamp(0, 10) as u8));
        }
    }
    let ladder = Ladder::of(
        customers.iter().map(|(r, c)| (r.as_slice(), *c)),
        since,
        now,
    );
    let count = |v: Vec<(String, i64)>| v.into_iter().map(|(k, n)| (k, n.max(0) as u64)).collect();
    Ok(domain::idea::IdeasPanel {
        months,
        statuses: count(period.statuses),
        idea_themes: count(period.idea_themes),
        detractor_themes: count(period.detractor_themes),
        answered: (days.len() as u64, period.ideas.max(0) as u64),
        median_answer_days: domain::idea::median(&mut days),
        ladder,
        period_days,
    })
}

fn admin_only(user: &UserInfo) -> Result<(), IdeaUseError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(IdeaUseError::Forbidden)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BoardAdminError {
    #[error("not allowed")]
    Forbidden,
    #[error("no such board")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<domain::board_admin::BoardError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a board or challenge (`original` `None`) or changes one; answers its slug.
pub async fn save_board(
    state: &AppState,
    user: &UserInfo,
    original: Option<&str>,
    form: domain::board_admin::BoardForm,
) -> Result<String, BoardAdminError> {
    use crate::store::NewBoard;
    use domain::board_admin::{BoardError, BoardInput};
    admin_only(user).map_err(|_| BoardAdminError::Forbidden)?;
    let input = BoardInput::try_from(form).map_err(BoardAdminError::Invalid)?;
    let existing = match original {
        Some(slug) => Some(
            state
                .store
                .board_by_slug(slug)
                .await?
                .ok_or(BoardAdminError::NotFound)?,
        ),
        None => None,
    };
    let board = NewBoard {
        slug: input.slug.clone(),
        kind: input.kind,
        name_nl: input.name_nl,
        name_en: input.name_en,
        description_nl: input.description_nl,
        description_en: input.description_en,
        visibility: input.visibility,
        moderation: input.moderation,
        owner: input.owner,
        opens_at: input.opens_at,
        closes_at: input.closes_at,
        stages: input.stages,
        stage: input.stage,
        response_days: input.response_days,
        position: state.store.list_boards().await?.len() as i64,
    };
    let result = match &existing {
        Some(b) => state.store.update_board(b.id, &board).await,
        None => state
            .store
            .create_board(&board, now_unix())
            .await
            .map(|_| ()),
    };
    match result {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(BoardAdminError::Invalid(vec![BoardError::SlugTaken]))
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(board = %input.slug, actor = user.id, "board saved");
    Ok(input.slug)
}

/// Adds or changes an idea status (admins).
pub async fn save_status(
    state: &AppState,
    user: &UserInfo,
    form: domain::board_admin::StatusForm,
) -> Result<(), BoardAdminError> {
    use domain::board_admin::{BoardError, MAX_STATUSES};
    admin_only(user).map_err(|_| BoardAdminError::Forbidden)?;
    let status = IdeaStatus::try_from(form).map_err(BoardAdminError::Invalid)?;
    let statuses = state.store.idea_statuses().await?;
    if !statuses.iter().any(|s| s.key == status.key) && statuses.len() >= MAX_STATUSES {
        return Err(BoardAdminError::Invalid(vec![BoardError::TooManyStatuses]));
    }
    state.store.save_status(&status).await?;
    Ok(())
}

/// A recognised customer's ideas, votes and comments, for their timeline (staff who see
/// responses).
pub async fn contributions(
    state: &AppState,
    user: &UserInfo,
    customer_hash: &str,
) -> Result<Vec<domain::idea::Contribution>, IdeaUseError> {
    if !user.role.sees_feedback() {
        return Err(IdeaUseError::Forbidden);
    }
    if customer_hash.len() != 64 || !customer_hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Vec::new());
    }
    Ok(state.store.contributions(customer_hash).await?)
}

/// The author changes their idea's title and description, within the edit window; it is
/// analysed again (themes, terms for suggestions).
pub async fn edit_idea(
    state: &AppState,
    user: Option<&UserInfo>,
    id: i64,
    form: IdeaForm,
    locale: Locale,
) -> Result<(), IdeaUseError> {
    let user = user.ok_or(IdeaUseError::SignInRequired)?;
    let (idea, board) = readable_idea(state, Some(user), id).await?;
    let now = now_unix();
    if idea.author_id != user.id {
        return Err(IdeaUseError::Forbidden);
    }
    if !domain::idea::may_edit(idea.author_id, user.id, idea.created_at, now)
        || idea.merged_into.is_some()
    {
        return Err(IdeaUseError::Invalid(vec![IdeaError::EditWindowPassed]));
    }
    let text = IdeaText::try_from(form).map_err(IdeaUseError::Invalid)?;
    let edit = analysed_idea(state, board.id, user.id, text, locale, false, now);
    state.store.edit_idea(id, &edit).await?;
    tracing::info!(idea = id, "idea edited by its author");
    Ok(())
}
