//! The server functions of the idea side: each parses, calls a use case in
//! `klantstem_core::ideas` (which checks access for the idea and board at hand) and maps its
//! error. Plain form posts get a redirect back, with the error in the query string.

use crate::error::AppError;
use domain::idea::{
    Board, IdeaCard, IdeaDetail, IdeaEvent, IdeaForm, IdeaStatus, Notification, Priority,
    Suggestion, TriageItem,
};
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

/// What the page needs to know of who is looking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub signed_in: bool,
    /// May submit, vote and comment as a customer.
    pub customer: bool,
    /// Product team, manager or admin: changes statuses, answers officially.
    pub staff: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardData {
    pub board: Board,
    pub ideas: Vec<IdeaCard>,
    pub total: u64,
    pub statuses: Vec<IdeaStatus>,
    /// (key, name) of every theme, for the filter.
    pub themes: Vec<(String, String)>,
    pub viewer: Viewer,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaData {
    pub board: Board,
    pub idea: IdeaDetail,
    pub statuses: Vec<IdeaStatus>,
    /// (key, name) of the idea's themes.
    pub themes: Vec<(String, String)>,
    pub viewer: Viewer,
    pub now: i64,
    /// For staff: the audit trail and the prioritisation.
    pub staff: Option<(Vec<IdeaEvent>, Option<Priority>)>,
    /// The viewer wrote it and may still change it.
    pub editable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapEntry {
    pub card: IdeaCard,
    pub message: Option<String>,
    pub at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapData {
    pub statuses: Vec<IdeaStatus>,
    pub items: Vec<RoadmapEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyIdeasData {
    pub submitted: Vec<IdeaCard>,
    pub voted: Vec<IdeaCard>,
    pub following: Vec<IdeaCard>,
    pub statuses: Vec<IdeaStatus>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::Viewer;
    use crate::backend::*;
    use crate::error::AppError;
    use crate::model::UserInfo;
    use klantstem_core::ideas::IdeaUseError;

    pub fn viewer(user: Option<&UserInfo>) -> Viewer {
        Viewer {
            signed_in: user.is_some(),
            customer: user.is_some_and(|u| u.role == crate::model::Role::Customer),
            staff: user.is_some_and(|u| u.role.manages_ideas()),
        }
    }

    pub fn to_app_error(e: IdeaUseError) -> AppError {
        match e {
            IdeaUseError::NotFound => AppError::NotFound,
            IdeaUseError::SignInRequired => AppError::Unauthorized,
            IdeaUseError::Forbidden => AppError::CustomersOnly,
            IdeaUseError::Unverified => AppError::Unverified,
            IdeaUseError::Invalid(errors) => AppError::InvalidIdea(errors),
            IdeaUseError::InvalidCustomer(errors) => AppError::InvalidAccount(errors),
            IdeaUseError::Store(e) => e.into(),
        }
    }

    /// For a page's data: the error with its status.
    pub fn page_failed<T>(e: IdeaUseError) -> Result<T, AppError> {
        fail(to_app_error(e))
    }

    /// For a form post: back to `path` with the error (plain HTML) or the error itself.
    pub fn post_failed<T>(
        e: IdeaUseError,
        path: &str,
        back: &[(&str, &str)],
    ) -> Result<T, AppError> {
        match to_app_error(e) {
            AppError::Internal => fail(AppError::Internal),
            e => fail_form(e, path, back),
        }
    }

    /// Submissions, votes and comments per account and per client address.
    pub fn limit(user: Option<&UserInfo>, path: &str) -> Result<(), AppError> {
        let state = state()?;
        let mut keys = vec![format!("contribute-client:{}", client_key(&state))];
        if let Some(u) = user {
            keys.push(format!("contribute-user:{}", u.id));
        }
        for key in keys {
            if let Err(wait) = state.contribute_limiter.hit(&key) {
                let error = AppError::RateLimited {
                    retry_after_secs: wait.as_secs().max(1),
                };
                return fail_form(error, path, &[]);
            }
        }
        Ok(())
    }

    pub fn theme_names(keys: &[String]) -> Vec<(String, String)> {
        let Ok(state) = state() else {
            return Vec::new();
        };
        let locale = request_parts()
            .map(|p| request_locale(&p))
            .unwrap_or_default();
        keys.iter()
            .map(|k| (k.clone(), state.analyzer.theme_name(k, locale)))
            .collect()
    }

    pub fn all_themes() -> Vec<(String, String)> {
        let Ok(state) = state() else {
            return Vec::new();
        };
        let keys: Vec<String> = state
            .analyzer
            .taxonomy()
            .1
            .themes
            .into_iter()
            .map(|t| t.key)
            .collect();
        theme_names(&keys)
    }
}

#[server(endpoint = "ideas/boards")]
pub async fn list_boards() -> Result<(Vec<Board>, Viewer), AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    match klantstem_core::ideas::boards(&state()?, user.as_ref()).await {
        Ok(boards) => Ok((boards, ssr::viewer(user.as_ref()))),
        Err(e) => ssr::page_failed(e),
    }
}

#[server(endpoint = "ideas/board")]
pub async fn get_board(
    board: String,
    sort: Option<String>,
    status: Option<String>,
    theme: Option<String>,
    q: Option<String>,
    page: Option<String>,
) -> Result<BoardData, AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    let query = domain::idea::IdeaQuery::from_params(|k| match k {
        "sort" => sort.clone(),
        "status" => status.clone(),
        "theme" => theme.clone(),
        "q" => q.clone(),
        "page" => page.clone(),
        _ => None,
    });
    match klantstem_core::ideas::board_page(&state()?, user.as_ref(), &board, &query).await {
        Ok(p) => Ok(BoardData {
            board: p.board,
            ideas: p.ideas,
            total: p.total,
            statuses: p.statuses,
            themes: ssr::all_themes(),
            viewer: ssr::viewer(user.as_ref()),
            now: now_unix(),
        }),
        Err(e) => ssr::page_failed(e),
    }
}

#[server(endpoint = "ideas/idea")]
pub async fn get_idea(board: String, id: String) -> Result<IdeaData, AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    let Ok(id) = id.parse::<i64>() else {
        return fail(AppError::NotFound);
    };
    match klantstem_core::ideas::idea_page(&state()?, user.as_ref(), id).await {
        // The board in the address must be the idea's own.
        Ok(p) if p.board.slug == board => Ok(IdeaData {
            editable: user.as_ref().is_some_and(|u| {
                domain::idea::may_edit(p.idea.author_id, u.id, p.idea.card.created_at, now_unix())
                    && p.idea.merged_into.is_none()
            }),
            staff: match user.as_ref().filter(|u| u.role.manages_ideas()) {
                Some(u) => klantstem_core::ideas::staff_view(&state()?, u, id)
                    .await
                    .ok(),
                None => None,
            },
            themes: ssr::theme_names(&p.idea.themes),
            board: p.board,
            idea: p.idea,
            statuses: p.statuses,
            viewer: ssr::viewer(user.as_ref()),
            now: now_unix(),
        }),
        Ok(_) => fail(AppError::NotFound),
        Err(e) => ssr::page_failed(e),
    }
}

/// Ideas like a title being typed (for `ideas.js`, and the confirmation step).
#[server(endpoint = "ideas/similar", input = GetUrl)]
pub async fn similar_ideas(title: Option<String>) -> Result<Vec<Suggestion>, AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let title = title.unwrap_or_default();
    if title.trim().chars().count() < 3 {
        return Ok(Vec::new());
    }
    klantstem_core::ideas::suggestions(&state()?, user.as_ref(), &title, locale)
        .await
        .or_else(ssr::page_failed)
}

#[server(endpoint = "ideas/submit")]
pub async fn submit_idea(
    board: String,
    #[server(flatten)] form: IdeaForm,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::ideas::Submitted;
    let user = current_user().await?;
    let page = format!("/ideas/{}", crate::url::percent_encode(&board));
    ssr::limit(user.as_ref(), &page)?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let (title, body) = (
        form.title.clone().unwrap_or_default(),
        form.body.clone().unwrap_or_default(),
    );
    let back = [
        ("title", title.as_str()),
        ("body", body.as_str()),
        ("new", "1"),
    ];
    let confirmed = confirmed.as_deref() == Some("1");
    let result = klantstem_core::ideas::submit_idea(
        &state()?,
        user.as_ref(),
        &board,
        form,
        confirmed,
        locale,
    )
    .await;
    match result {
        Ok(Submitted::Stored { id, .. }) => {
            leptos_axum::redirect(&format!("{page}/{id}"));
            Ok(())
        }
        Ok(Submitted::Similar(_)) => {
            // The confirmation step: the board page lists the similar ideas above the form.
            let url = format!(
                "{page}?new=1&similar=1&title={}&body={}#submit",
                crate::url::percent_encode(&title),
                crate::url::percent_encode(&body)
            );
            leptos_axum::redirect(&url);
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(http::StatusCode::SEE_OTHER);
            }
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &page, &back),
    }
}

/// Where a vote or follow came from: the board list (`board`) or the idea's page.
#[cfg(feature = "ssr")]
fn back_to(board: &str, id: i64, from: Option<&str>) -> String {
    let board = crate::url::percent_encode(board);
    match from {
        Some("board") => format!("/ideas/{board}"),
        _ => format!("/ideas/{board}/{id}"),
    }
}

#[server(endpoint = "ideas/vote")]
pub async fn vote_idea(
    board: String,
    id: i64,
    /// "1" to vote, "0" to withdraw.
    on: String,
    from: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    let back = back_to(&board, id, from.as_deref());
    ssr::limit(user.as_ref(), &back)?;
    match klantstem_core::ideas::vote(&state()?, user.as_ref(), id, on == "1").await {
        Ok(count) => {
            if is_plain_form_post() {
                leptos_axum::redirect(&back);
            }
            Ok(count)
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/follow")]
pub async fn follow_idea(board: String, id: i64, on: String) -> Result<(), AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    let back = back_to(&board, id, None);
    match klantstem_core::ideas::follow(&state()?, user.as_ref(), id, on == "1").await {
        Ok(()) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/comment")]
pub async fn comment_idea(board: String, id: i64, body: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    let back = back_to(&board, id, None);
    ssr::limit(user.as_ref(), &back)?;
    let body = body.unwrap_or_default();
    let mail = crate::mail::context(mail_base());
    match klantstem_core::ideas::comment(&state()?, user.as_ref(), id, &body, &mail).await {
        Ok(comment) => {
            leptos_axum::redirect(&format!("{back}#comment-{comment}"));
            Ok(())
        }
        Err(e) => {
            let echo: String = body.chars().take(1000).collect();
            ssr::post_failed(e, &back, &[("comment", &echo)])
        }
    }
}

#[server(endpoint = "ideas/status")]
pub async fn change_idea_status(
    board: String,
    id: i64,
    status: String,
    message: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let back = back_to(&board, id, None);
    let message = message.unwrap_or_default();
    let mail = crate::mail::context(mail_base());
    match klantstem_core::ideas::change_status(&state()?, &user, id, &status, &message, &mail).await
    {
        Ok(()) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/stage")]
pub async fn set_challenge_stage(board: String, stage: String) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let back = format!("/ideas/{}", crate::url::percent_encode(&board));
    let mail = crate::mail::context(mail_base());
    match klantstem_core::ideas::set_stage(&state()?, &user, &board, &stage, &mail).await {
        Ok(()) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/roadmap")]
pub async fn get_roadmap() -> Result<RoadmapData, AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    match klantstem_core::ideas::roadmap(&state()?, user.as_ref()).await {
        Ok((statuses, items)) => Ok(RoadmapData {
            statuses,
            items: items.into_iter().map(entry).collect(),
        }),
        Err(e) => ssr::page_failed(e),
    }
}

#[cfg(feature = "ssr")]
fn entry(item: klantstem_core::store::RoadmapItem) -> RoadmapEntry {
    RoadmapEntry {
        card: item.card,
        message: item.status_message,
        at: item.status_at,
    }
}

#[server(endpoint = "ideas/changelog")]
pub async fn get_changelog() -> Result<Vec<RoadmapEntry>, AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    match klantstem_core::ideas::changelog(&state()?, user.as_ref()).await {
        Ok(items) => Ok(items.into_iter().map(entry).collect()),
        Err(e) => ssr::page_failed(e),
    }
}

/// Improvements done after customers' feedback ("you said, we did"): (title, message, done at).
#[server(endpoint = "ideas/improvements")]
pub async fn get_public_actions() -> Result<Vec<(String, String, i64)>, AppError> {
    use crate::backend::*;
    Ok(state()?.store.public_actions(50).await?)
}

#[server(endpoint = "ideas/mine")]
pub async fn get_my_ideas() -> Result<MyIdeasData, AppError> {
    use crate::backend::*;
    use klantstem_core::store::MyIdeas;
    let user = require(|_| true).await?;
    let state = state()?;
    let list = |which| {
        let state = state.clone();
        let user = user.clone();
        async move { klantstem_core::ideas::my_ideas(&state, &user, which).await }
    };
    let result = async {
        Ok::<_, klantstem_core::ideas::IdeaUseError>(MyIdeasData {
            submitted: list(MyIdeas::Submitted).await?,
            voted: list(MyIdeas::Voted).await?,
            following: list(MyIdeas::Following).await?,
            statuses: state.store.idea_statuses().await?,
        })
    }
    .await;
    result.or_else(ssr::page_failed)
}

#[server(endpoint = "ideas/notifications")]
pub async fn get_notifications() -> Result<(Vec<Notification>, Vec<IdeaStatus>), AppError> {
    use crate::backend::*;
    let user = require(|_| true).await?;
    let state = state()?;
    let list = klantstem_core::ideas::notifications(&state, &user)
        .await
        .or_else(ssr::page_failed)?;
    Ok((list, state.store.idea_statuses().await?))
}

#[server(endpoint = "ideas/unsubscribe")]
pub async fn unsubscribe(u: i64, i: i64, t: String) -> Result<(), AppError> {
    use crate::backend::*;
    let back = format!(
        "/account/unsubscribe?u={u}&i={i}&t={}",
        crate::url::percent_encode(&t)
    );
    match klantstem_core::ideas::unsubscribe(&state()?, u, i, &t).await {
        Ok(()) => {
            leptos_axum::redirect(&format!("{back}&done=1"));
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

/// The idea number in what staff typed: a number, or the address of the idea.
#[cfg(feature = "ssr")]
fn idea_number(raw: &str) -> Option<i64> {
    raw.trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|n| n.split(['?', '#']).next())
        .and_then(|n| n.parse().ok())
}

#[server(endpoint = "ideas/merge")]
pub async fn merge_idea(board: String, id: i64, original: String) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let back = back_to(&board, id, None);
    let Some(original) = idea_number(&original) else {
        return fail_form(
            AppError::InvalidIdea(vec![domain::idea::IdeaError::MergeInvalid]),
            &back,
            &[],
        );
    };
    let mail = crate::mail::context(mail_base());
    match klantstem_core::ideas::merge(&state()?, &user, id, original, &mail).await {
        Ok(_) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/unmerge")]
pub async fn unmerge_idea(board: String, id: i64) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let back = back_to(&board, id, None);
    match klantstem_core::ideas::unmerge(&state()?, &user, id).await {
        Ok(_) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/internal-vote")]
pub async fn internal_vote(id: i64, on: String) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    match klantstem_core::ideas::internal_vote(&state()?, &user, id, on == "1").await {
        Ok(()) => {
            leptos_axum::redirect("/admin/ideas");
            Ok(())
        }
        Err(e) => ssr::post_failed(e, "/admin/ideas", &[]),
    }
}

#[server(endpoint = "ideas/priority")]
pub async fn prioritise_idea(
    board: String,
    id: i64,
    reach: Option<String>,
    impact: Option<String>,
    confidence: Option<String>,
    effort: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let back = back_to(&board, id, None);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let priority = match Priority::parse(
        &text(&reach),
        &text(&impact),
        &text(&confidence),
        &text(&effort),
    ) {
        Ok(p) => p,
        Err(e) => return fail_form(AppError::InvalidIdea(vec![e]), &back, &[]),
    };
    match klantstem_core::ideas::prioritise(&state()?, &user, id, priority).await {
        Ok(()) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/moderate")]
pub async fn moderate_idea(
    board: String,
    id: i64,
    /// "approve" or "hide".
    action: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let back = back_to(&board, id, None);
    let approve = action == "approve";
    let reason = reason.unwrap_or_default();
    match klantstem_core::ideas::moderate(&state()?, &user, id, approve, &reason).await {
        Ok(()) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/hide-comment")]
pub async fn hide_comment(
    board: String,
    id: i64,
    comment: i64,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let back = back_to(&board, id, None);
    let reason = reason.unwrap_or_default();
    match klantstem_core::ideas::hide_comment(&state()?, &user, comment, &reason).await {
        Ok(_) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}

#[server(endpoint = "ideas/triage")]
pub async fn get_triage() -> Result<(Vec<TriageItem>, Vec<IdeaStatus>, i64), AppError> {
    use crate::backend::*;
    let user = require(|r| r.manages_ideas()).await?;
    let state = state()?;
    let items = klantstem_core::ideas::triage(&state, &user)
        .await
        .or_else(ssr::page_failed)?;
    Ok((items, state.store.idea_statuses().await?, now_unix()))
}

/// The ideas panel of the dashboard, with theme names in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelData {
    pub panel: domain::idea::IdeasPanel,
    pub statuses: Vec<IdeaStatus>,
    /// (key, name) of every theme the panel mentions.
    pub theme_names: Vec<(String, String)>,
}

#[server(endpoint = "ideas/panel")]
pub async fn get_ideas_panel(days: Option<String>) -> Result<PanelData, AppError> {
    use crate::backend::*;
    let user = require(|r| r.sees_dashboard()).await?;
    let days = days
        .and_then(|d| d.parse::<i64>().ok())
        .filter(|d| [30, 90, 365].contains(d))
        .unwrap_or(90);
    let state = state()?;
    let panel = klantstem_core::ideas::panel(&state, &user, days)
        .await
        .or_else(ssr::page_failed)?;
    let keys: Vec<String> = panel
        .idea_themes
        .iter()
        .chain(&panel.detractor_themes)
        .map(|t| t.0.clone())
        .collect();
    Ok(PanelData {
        theme_names: ssr::theme_names(&keys),
        statuses: state.store.idea_statuses().await?,
        panel,
    })
}

/// The board administration page: every board, the one being edited, the statuses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardAdminData {
    pub boards: Vec<Board>,
    pub editing: Option<Board>,
    pub statuses: Vec<IdeaStatus>,
}

#[server(endpoint = "ideas/boards-admin")]
pub async fn get_board_admin(board: Option<String>) -> Result<BoardAdminData, AppError> {
    use crate::backend::*;
    require(|r| r == crate::model::Role::Admin).await?;
    let state = state()?;
    let boards = state.store.list_boards().await?;
    let editing = board.and_then(|slug| boards.iter().find(|b| b.slug == slug).cloned());
    Ok(BoardAdminData {
        boards,
        editing,
        statuses: state.store.idea_statuses().await?,
    })
}

#[cfg(feature = "ssr")]
fn board_admin_failed(
    e: klantstem_core::ideas::BoardAdminError,
    back: &str,
) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::ideas::BoardAdminError as E;
    match e {
        E::Forbidden => fail(AppError::Forbidden),
        E::NotFound => fail(AppError::NotFound),
        E::Invalid(errors) => fail_form(AppError::InvalidBoard(errors), back, &[]),
        E::Store(e) => fail(e.into()),
    }
}

#[server(endpoint = "ideas/board-save")]
pub async fn save_board(
    /// The slug of the board being changed; empty for a new one.
    original: Option<String>,
    #[server(flatten)] form: domain::board_admin::BoardForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let original = original.filter(|o| !o.is_empty());
    let back = match &original {
        Some(slug) => format!("/admin/boards?board={}", crate::url::percent_encode(slug)),
        None => "/admin/boards".to_string(),
    };
    match klantstem_core::ideas::save_board(&state()?, &user, original.as_deref(), form).await {
        Ok(slug) => {
            leptos_axum::redirect(&format!("/admin/boards?board={slug}&saved=1"));
            Ok(())
        }
        Err(e) => board_admin_failed(e, &back),
    }
}

#[server(endpoint = "ideas/status-save")]
pub async fn save_status(
    #[server(flatten)] form: domain::board_admin::StatusForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    match klantstem_core::ideas::save_status(&state()?, &user, form).await {
        Ok(()) => {
            leptos_axum::redirect("/admin/boards?saved=1#statuses");
            Ok(())
        }
        Err(e) => board_admin_failed(e, "/admin/boards"),
    }
}

/// A recognised customer's ideas, votes and comments, for the timeline of `/responses`.
#[server(endpoint = "ideas/contributions")]
pub async fn customer_contributions(
    customer: String,
) -> Result<Vec<domain::idea::Contribution>, AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_feedback).await?;
    klantstem_core::ideas::contributions(&state()?, &user, &customer)
        .await
        .or_else(ssr::page_failed)
}

#[server(endpoint = "ideas/edit")]
pub async fn edit_idea(
    board: String,
    id: i64,
    #[server(flatten)] form: IdeaForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = current_user().await?;
    let back = back_to(&board, id, None);
    ssr::limit(user.as_ref(), &back)?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    match klantstem_core::ideas::edit_idea(&state()?, user.as_ref(), id, form, locale).await {
        Ok(()) => {
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(e) => ssr::post_failed(e, &back, &[]),
    }
}
