//! `/ideas/{board}/{id}`: one idea with its status and official answer, votes, follow,
//! comments, and the product team's status change.

use super::board::{StatusBadge, VoteBox};
use super::index::IdeasNav;
use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::calendar::format_date;
use domain::idea::{
    IdeaComment, IdeaEvent, Priority, BODY_MAX_CHARS, COMMENT_MAX_CHARS, IMPACTS, REASON_MAX_CHARS,
    STATUS_MESSAGE_MAX_CHARS, TITLE_MAX_CHARS,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn IdeaPage() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.get();
            (
                p.get("board").unwrap_or_default(),
                p.get("id").unwrap_or_default(),
            )
        },
        |(board, id)| get_idea(board, id),
    );
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <IdeaView data/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IdeaView(data: IdeaData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c))
        .map(|e| e.message(locale));
    let idea = data.idea.clone();
    let card = idea.card.clone();
    let open = data.board.is_open(data.now) && idea.merged_into.is_none();
    let follow = ServerAction::<FollowIdea>::new();
    let board_href = format!("/ideas/{}", data.board.slug);
    let board_slug = data.board.slug.clone();
    let staff_data = data.clone();
    view! {
        <PageTitle text=format!("{} · {}", card.title, t.app_name)/>
        <section class="panel">
            <IdeasNav viewer=data.viewer/>
            <p class="breadcrumb"><a href=board_href>{data.board.name(locale).to_string()}</a></p>
            <div class="error-summary" role="alert" aria-live="assertive">{error.map(|m| view! { <p>{m}</p> })}</div>
            {idea.merged_into.clone().map(|(id, title)| view! {
                <p class="notice" role="status">
                    {fill(t.merged_into, &[("title", &"")])}
                    <a href=format!("/ideas/{}/{id}", data.board.slug)>{title}</a>
                </p>
            })}
            <div class="idea-head">
                <VoteBox card=card.clone() viewer=data.viewer open from_board=false/>
                <div>
                    <h1 data-testid="idea-title">{card.title.clone()}</h1>
                    <p class="meta">
                        <StatusBadge status=card.status.clone() statuses=data.statuses.clone()/>
                        {card.pending.then(|| view! { " " <span class="badge">{t.idea_pending}</span> })}
                        " · "{fill(t.posted_by, &[("name", &card.author), ("date", &format_date(card.created_at))])}
                    </p>
                </div>
            </div>
            <div class="idea-body">{idea.body.clone()}</div>
            {data.editable.then(|| view! { <EditForm data=data.clone()/> })}
            {idea.status_message.clone().map(|m| view! {
                <div class="official-answer" data-testid="status-message">
                    <h2>{t.official_answer}</h2>
                    <p>{m}</p>
                </div>
            })}
            {(!data.themes.is_empty()).then(|| view! {
                <p class="meta">{t.idea_themes}": "
                    {data.themes.iter().map(|(_, name)| view! { <span class="theme-chip">{name.clone()}</span>" " }).collect_view()}
                </p>
            })}
            {data.viewer.signed_in.then(|| view! {
                <ActionForm action=follow attr:class="inline-form">
                    <input type="hidden" name="board" value=board_slug.clone()/>
                    <input type="hidden" name="id" value=card.id/>
                    <input type="hidden" name="on" value=if idea.following { "0" } else { "1" }/>
                    <button type="submit">{if idea.following { t.unfollow_button } else { t.follow_button }}</button>
                </ActionForm>
            })}
        </section>
        {data.viewer.staff.then(|| view! { <StaffPanel data=staff_data/> })}
        <section class="panel" id="comments">
            <h2>{t.comments_heading}</h2>
            {idea.comments.is_empty().then(|| view! { <p>{t.no_comments}</p> })}
            <ol class="comments">
                {idea.comments.into_iter().map(|c| view! {
                    <CommentItem comment=c staff=data.viewer.staff board=data.board.slug.clone() idea=card.id/>
                }).collect_view()}
            </ol>
            <CommentForm data=data.clone() open/>
        </section>
    }
}

/// The author's own change, within the first hour.
#[component]
fn EditForm(data: IdeaData) -> impl IntoView {
    let t = use_locale().texts();
    let edit = ServerAction::<EditIdea>::new();
    view! {
        <details class="edit-idea">
            <summary>{t.boards_edit}</summary>
            <ActionForm action=edit attr:class="idea-form">
                <input type="hidden" name="board" value=data.board.slug.clone()/>
                <input type="hidden" name="id" value=data.idea.card.id/>
                <div class="field">
                    <label for="edit-title">{t.idea_title_label}</label>
                    <input id="edit-title" name="title" required maxlength=TITLE_MAX_CHARS.to_string() value=data.idea.card.title.clone()/>
                </div>
                <div class="field">
                    <label for="edit-body">{t.idea_body_label}</label>
                    <TextArea value=data.idea.body.clone() {..} id="edit-body" name="body" rows="5" maxlength=BODY_MAX_CHARS.to_string()/>
                </div>
                <button type="submit" class="primary">{t.board_save}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn CommentItem(comment: IdeaComment, staff: bool, board: String, idea: i64) -> impl IntoView {
    let t = use_locale().texts();
    let hide = ServerAction::<HideComment>::new();
    view! {
        <li class="comment" class:official=comment.official id=format!("comment-{}", comment.id)>
            <p class="meta">
                <strong>{comment.author.clone()}</strong>
                {comment.official.then(|| view! { " " <span class="badge official">{t.official_answer}</span> })}
                " · "{format_date(comment.created_at)}
            </p>
            {comment.moved_from.clone().map(|(_, title)| view! { <p class="meta">{fill(t.moved_from, &[("title", &title)])}</p> })}
            <p class="comment-body">{comment.body.clone()}</p>
            {staff.then(|| view! {
                <details class="staff-tools">
                    <summary>{t.hide_comment_button}</summary>
                    <ActionForm action=hide attr:class="inline-form">
                        <input type="hidden" name="board" value=board.clone()/>
                        <input type="hidden" name="id" value=idea/>
                        <input type="hidden" name="comment" value=comment.id/>
                        <label>{t.hide_reason_label}" "<input name="reason" required maxlength=REASON_MAX_CHARS.to_string()/></label>
                        <button type="submit">{t.hide_button}</button>
                    </ActionForm>
                </details>
            })}
        </li>
    }
}

#[component]
fn CommentForm(data: IdeaData, open: bool) -> impl IntoView {
    let t = use_locale().texts();
    let comment = ServerAction::<CommentIdea>::new();
    let echo = use_query_map()
        .with_untracked(|q| q.get("comment"))
        .unwrap_or_default();
    // Staff answer officially on any idea they see; customers comment while the board is open.
    let may = data.viewer.staff || (data.viewer.customer && open);
    if !may {
        return (!data.viewer.signed_in)
            .then(|| view! {
                <p>{t.sign_in_to_contribute}" "
                    <a href=format!("/login?next=/ideas/{}/{}", data.board.slug, data.idea.card.id)>{t.nav_login}</a>
                </p>
            })
            .into_any();
    }
    view! {
        <ActionForm action=comment attr:class="comment-form">
            <input type="hidden" name="board" value=data.board.slug.clone()/>
            <input type="hidden" name="id" value=data.idea.card.id/>
            <div class="field">
                <label for="comment-body">{t.comment_label}</label>
                <TextArea value={echo} {..} id="comment-body" name="body" rows="4" maxlength=COMMENT_MAX_CHARS.to_string() required=true/>
            </div>
            <button type="submit" class="primary">{t.comment_button}</button>
        </ActionForm>
    }
    .into_any()
}

/// Status change with a public message, for product teams, managers and admins.
#[component]
fn StaffPanel(data: IdeaData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let change = ServerAction::<ChangeIdeaStatus>::new();
    let current = data.idea.card.status.clone();
    let statuses = data.statuses.clone();
    let events = data.staff.clone().map(|s| s.0).unwrap_or_default();
    let (merge_data, priority_data, moderation_data) = (data.clone(), data.clone(), data.clone());
    view! {
        <section class="panel staff-panel" aria-label=t.staff_panel>
            <h2>{t.staff_panel}</h2>
            <p><a href=format!("/actions?idea={}#new", data.idea.card.id)>{t.action_from_idea}</a></p>
            <ActionForm action=change attr:class="status-form">
                <input type="hidden" name="board" value=data.board.slug.clone()/>
                <input type="hidden" name="id" value=data.idea.card.id/>
                <div class="field">
                    <label for="status-select">{t.ideas_filter_status}</label>
                    <select id="status-select" name="status">
                        {statuses.iter().map(|s| view! {
                            <option value=s.key.clone() selected=s.key == current>{s.name(locale).to_string()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="status-message">{t.status_message_label}</label>
                    <TextArea value=data.idea.status_message.clone().unwrap_or_default() {..} id="status-message" name="message" rows="3" maxlength=STATUS_MESSAGE_MAX_CHARS.to_string()/>
                </div>
                <button type="submit" class="primary">{t.status_change_button}</button>
            </ActionForm>
            <MergeForm data=merge_data/>
            <PriorityForm data=priority_data/>
            <ModerationForm data=moderation_data/>
            <AuditTrail events/>
        </section>
    }
}

/// Merge this idea into the original it duplicates, or undo that.
#[component]
fn MergeForm(data: IdeaData) -> impl IntoView {
    let t = use_locale().texts();
    let merge = ServerAction::<MergeIdea>::new();
    let unmerge = ServerAction::<UnmergeIdea>::new();
    let (board, id) = (data.board.slug.clone(), data.idea.card.id);
    if data.idea.merged_into.is_some() {
        return view! {
            <ActionForm action=unmerge attr:class="inline-form">
                <input type="hidden" name="board" value=board/>
                <input type="hidden" name="id" value=id/>
                <button type="submit">{t.unmerge_button}</button>
            </ActionForm>
        }
        .into_any();
    }
    view! {
        <ActionForm action=merge attr:class="merge-form">
            <input type="hidden" name="board" value=board/>
            <input type="hidden" name="id" value=id/>
            <div class="field">
                <label for="merge-original">{t.merge_label}</label>
                <input id="merge-original" name="original" required maxlength="300"/>
            </div>
            <button type="submit">{t.merge_button}</button>
        </ActionForm>
    }
    .into_any()
}

/// RICE: reach, impact, confidence, effort; the score beside it.
#[component]
fn PriorityForm(data: IdeaData) -> impl IntoView {
    let t = use_locale().texts();
    let save = ServerAction::<PrioritiseIdea>::new();
    let current: Option<Priority> = data.staff.as_ref().and_then(|s| s.1);
    let names: Vec<&'static str> = t.impact_options.split('|').collect();
    let impact = current.map_or(1.0, |p| p.impact);
    let score = current.map(|p| p.score(data.idea.card.votes));
    view! {
        <h3>{t.priority_heading}</h3>
        {score.map(|s| view! { <p class="meta" data-testid="rice-score">{format!("{}: {s:.1}", t.rice_score)}</p> })}
        <ActionForm action=save attr:class="priority-form">
            <input type="hidden" name="board" value=data.board.slug.clone()/>
            <input type="hidden" name="id" value=data.idea.card.id/>
            <label>{t.reach_label}" "<input name="reach" inputmode="numeric" value=current.and_then(|p| p.reach).map(|r| r.to_string()).unwrap_or_default()/></label>
            <label>{t.impact_label}" "
                <select name="impact">
                    {IMPACTS.iter().enumerate().map(|(i, v)| view! {
                        <option value=v.to_string() selected=(v - impact).abs() < 1e-9>{format!("{v} – {}", names.get(i).copied().unwrap_or(""))}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t.confidence_label}" "<input name="confidence" inputmode="numeric" required value=current.map_or("80".to_string(), |p| format!("{}", (p.confidence * 100.0).round()))/></label>
            <label>{t.effort_label}" "<input name="effort" inputmode="decimal" required value=current.map_or("1".to_string(), |p| p.effort.to_string())/></label>
            <button type="submit">{t.priority_button}</button>
        </ActionForm>
    }
}

/// Approve an idea awaiting moderation, or hide it with a reason.
#[component]
fn ModerationForm(data: IdeaData) -> impl IntoView {
    let t = use_locale().texts();
    let moderate = ServerAction::<ModerateIdea>::new();
    let hide = ServerAction::<ModerateIdea>::new();
    let (board, id) = (data.board.slug.clone(), data.idea.card.id);
    let approve_board = board.clone();
    view! {
        <h3>{t.moderation_heading}</h3>
        {data.idea.card.pending.then(|| view! {
            <ActionForm action=moderate attr:class="inline-form">
                <input type="hidden" name="board" value=approve_board/>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="action" value="approve"/>
                <button type="submit" class="primary">{t.approve_button}</button>
            </ActionForm>
        })}
        <ActionForm action=hide attr:class="inline-form">
            <input type="hidden" name="board" value=board/>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="action" value="hide"/>
            <label>{t.hide_reason_label}" "<input name="reason" required maxlength=REASON_MAX_CHARS.to_string()/></label>
            <button type="submit">{t.hide_button}</button>
        </ActionForm>
    }
}

#[component]
fn AuditTrail(events: Vec<IdeaEvent>) -> impl IntoView {
    let t = use_locale().texts();
    (!events.is_empty()).then(|| {
        view! {
            <h3>{t.audit_heading}</h3>
            <ol class="audit-trail">
                {events.into_iter().map(|e| {
                    let template = match e.action.as_str() {
                        "edit" => t.audit_edit,
                        "status" => t.audit_status,
                        "merge" => t.audit_merge,
                        "unmerge" => t.audit_unmerge,
                        "approve" => t.audit_approve,
                        "hide" => t.audit_hide,
                        "hide_comment" => t.audit_hide_comment,
                        _ => t.audit_priority,
                    };
                    view! {
                        <li>
                            <span class="meta">{format_date(e.created_at)}" · "{e.actor.clone().unwrap_or_default()}" · "</span>
                            {fill(template, &[("detail", &e.detail)])}
                        </li>
                    }
                }).collect_view()}
            </ol>
        }
    })
}
