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
use domain::idea::{IdeaComment, COMMENT_MAX_CHARS, STATUS_MESSAGE_MAX_CHARS};
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
                {idea.comments.into_iter().map(|c| view! { <CommentItem comment=c/> }).collect_view()}
            </ol>
            <CommentForm data=data.clone() open/>
        </section>
    }
}

#[component]
fn CommentItem(comment: IdeaComment) -> impl IntoView {
    let t = use_locale().texts();
    view! {
        <li class="comment" class:official=comment.official id=format!("comment-{}", comment.id)>
            <p class="meta">
                <strong>{comment.author.clone()}</strong>
                {comment.official.then(|| view! { " " <span class="badge official">{t.official_answer}</span> })}
                " · "{format_date(comment.created_at)}
            </p>
            {comment.moved_from.clone().map(|(_, title)| view! { <p class="meta">{fill(t.moved_from, &[("title", &title)])}</p> })}
            <p class="comment-body">{comment.body.clone()}</p>
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
    view! {
        <section class="panel staff-panel" aria-label=t.staff_panel>
            <h2>{t.staff_panel}</h2>
            <ActionForm action=change attr:class="status-form">
                <input type="hidden" name="board" value=data.board.slug.clone()/>
                <input type="hidden" name="id" value=data.idea.card.id/>
                <div class="field">
                    <label for="status-select">{t.ideas_filter_status}</label>
                    <select id="status-select" name="status">
                        {data.statuses.iter().map(|s| view! {
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
        </section>
    }
}
