//! `/admin/boards`: admins set up idea boards and co-creation challenges (names, visibility,
//! pre-moderation, owner, dates, stages, response promise) and the idea statuses (names, colour,
//! order, roadmap).

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::use_locale;
use domain::board_admin::{date_text, stages_text, DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS};
use domain::idea::{Board, BoardKind, BoardVisibility, IdeaStatus, Moderation};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn BoardsAdminPage() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let data = Resource::new(move || query.get().get("board"), get_board_admin);
    view! {
        <PageTitle text=format!("{} · {}", t.boards_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <BoardsAdmin data/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/boards"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BoardsAdmin(data: BoardAdminData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c))
        .map(|e| e.message(locale));
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    view! {
        <section class="panel">
            <h1>{t.boards_title}</h1>
            <div class="error-summary" role="alert" aria-live="assertive">{error.map(|m| view! { <p>{m}</p> })}</div>
            {saved.then(|| view! { <p class="notice" role="status">{t.board_saved}</p> })}
            <ul class="board-list">
                {data.boards.iter().map(|b| view! {
                    <li>
                        <a href=format!("/ideas/{}", b.slug)>{b.name(locale).to_string()}</a>
                        " · "<a href=format!("/admin/boards?board={}", b.slug)>{t.boards_edit}</a>
                    </li>
                }).collect_view()}
            </ul>
            <p><a href="/admin/boards">{t.boards_new}</a></p>
        </section>
        <section class="panel">
            <BoardEditor board=data.editing.clone()/>
        </section>
        <section class="panel" id="statuses">
            <h2>{t.statuses_title}</h2>
            {data.statuses.iter().map(|s| view! { <StatusEditor status=Some(s.clone())/> }).collect_view()}
            <h3>{t.status_add}</h3>
            <StatusEditor status=None/>
        </section>
    }
}

#[component]
fn BoardEditor(board: Option<Board>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let save = ServerAction::<SaveBoard>::new();
    let b = board.clone();
    let get = move |f: fn(&Board) -> String| b.as_ref().map(f).unwrap_or_default();
    let kind = board.as_ref().map_or(BoardKind::Board, |b| b.kind);
    let visibility = board
        .as_ref()
        .map_or(BoardVisibility::Public, |b| b.visibility);
    let moderation = board.as_ref().map_or(Moderation::Off, |b| b.moderation);
    let original = board.as_ref().map(|b| b.slug.clone()).unwrap_or_default();
    let title = match &board {
        Some(b) => b.name(locale).to_string(),
        None => t.boards_new.to_string(),
    };
    view! {
        <h2>{title}</h2>
        <ActionForm action=save attr:class="board-form">
            <input type="hidden" name="original" value=original/>
            <div class="field"><label for="b-slug">{t.board_slug_label}</label>
                <input id="b-slug" name="slug" required maxlength="64" value=get(|b| b.slug.clone())/></div>
            <div class="field"><label for="b-kind">{t.board_kind_label}</label>
                <select id="b-kind" name="kind">
                    <option value="board" selected=kind == BoardKind::Board>{t.kind_board}</option>
                    <option value="challenge" selected=kind == BoardKind::Challenge>{t.kind_challenge}</option>
                </select></div>
            <div class="field"><label for="b-name-nl">{t.board_name_nl_label}</label>
                <input id="b-name-nl" name="name_nl" maxlength=NAME_MAX_CHARS.to_string() value=get(|b| b.name_nl.clone())/></div>
            <div class="field"><label for="b-name-en">{t.board_name_en_label}</label>
                <input id="b-name-en" name="name_en" maxlength=NAME_MAX_CHARS.to_string() value=get(|b| b.name_en.clone())/></div>
            <div class="field"><label for="b-desc-nl">{t.board_description_nl_label}</label>
                <TextArea value=get(|b| b.description_nl.clone()) {..} id="b-desc-nl" name="description_nl" rows="3" maxlength=DESCRIPTION_MAX_CHARS.to_string()/></div>
            <div class="field"><label for="b-desc-en">{t.board_description_en_label}</label>
                <TextArea value=get(|b| b.description_en.clone()) {..} id="b-desc-en" name="description_en" rows="3" maxlength=DESCRIPTION_MAX_CHARS.to_string()/></div>
            <div class="field"><label for="b-visibility">{t.board_visibility_label}</label>
                <select id="b-visibility" name="visibility">
                    <option value="public" selected=visibility == BoardVisibility::Public>{t.visibility_public}</option>
                    <option value="private" selected=visibility == BoardVisibility::Private>{t.visibility_private}</option>
                </select></div>
            <div class="field"><label for="b-moderation">{t.board_moderation_label}</label>
                <select id="b-moderation" name="moderation">
                    <option value="off" selected=moderation == Moderation::Off>{t.moderation_off}</option>
                    <option value="new_customers" selected=moderation == Moderation::NewCustomers>{t.moderation_new_customers}</option>
                    <option value="always" selected=moderation == Moderation::Always>{t.moderation_always}</option>
                </select></div>
            <div class="field"><label for="b-owner">{t.board_owner_label}</label>
                <input id="b-owner" name="owner" maxlength="80" value=get(|b| b.owner.clone())/></div>
            <div class="field"><label for="b-opens">{t.board_opens_label}</label>
                <input id="b-opens" name="opens_on" maxlength="10" value=get(|b| date_text(b.opens_at))/></div>
            <div class="field"><label for="b-closes">{t.board_closes_label}</label>
                // The form names the last day a challenge is open; it closes at that day's end.
                <input id="b-closes" name="closes_on" maxlength="10" value=get(|b| date_text(b.closes_at.map(|c| c - 86_400)))/></div>
            <div class="field"><label for="b-stages">{t.board_stages_label}</label>
                <TextArea value=get(|b| stages_text(&b.stages)) {..} id="b-stages" name="stages" rows="4" maxlength="2000"/></div>
            <div class="field"><label for="b-stage">{t.board_stage_label}</label>
                <input id="b-stage" name="stage" maxlength="40" value=get(|b| b.stage.clone().unwrap_or_default())/></div>
            <div class="field"><label for="b-days">{t.board_response_days_label}</label>
                <input id="b-days" name="response_days" inputmode="numeric" maxlength="3" value=board.as_ref().map_or("14".to_string(), |b| b.response_days.to_string())/></div>
            <button type="submit" class="primary">{t.board_save}</button>
        </ActionForm>
    }
}

#[component]
fn StatusEditor(status: Option<IdeaStatus>) -> impl IntoView {
    let t = use_locale().texts();
    let save = ServerAction::<SaveStatus>::new();
    let s = status.clone().unwrap_or(IdeaStatus {
        key: String::new(),
        name_nl: String::new(),
        name_en: String::new(),
        color: "#5b6474".into(),
        position: 10,
        on_roadmap: false,
        closed: false,
    });
    let existing = status.is_some();
    let prefix = if existing {
        s.key.clone()
    } else {
        "new".to_string()
    };
    let id = move |f: &str| format!("s-{prefix}-{f}");
    view! {
        <ActionForm action=save attr:class="status-row inline-form">
            {if existing {
                view! { <input type="hidden" name="key" value=s.key.clone()/> <code>{s.key.clone()}</code> }.into_any()
            } else {
                view! { <label for=id("key")>{t.status_key_label}</label> <input id=id("key") name="key" required maxlength="40"/> }.into_any()
            }}
            <label for=id("nl")>{t.board_name_nl_label}</label>
            <input id=id("nl") name="name_nl" maxlength="40" value=s.name_nl.clone()/>
            <label for=id("en")>{t.board_name_en_label}</label>
            <input id=id("en") name="name_en" maxlength="40" value=s.name_en.clone()/>
            <label for=id("color")>{t.status_color_label}</label>
            <input id=id("color") name="color" type="color" value=s.color.clone()/>
            <label for=id("pos")>{t.status_position_label}</label>
            <input id=id("pos") name="position" inputmode="numeric" maxlength="3" size="3" value=s.position.to_string()/>
            <label><input type="checkbox" name="on_roadmap" value="on" checked=s.on_roadmap/>" "{t.status_on_roadmap_label}</label>
            <label><input type="checkbox" name="closed" value="on" checked=s.closed/>" "{t.status_closed_label}</label>
            <button type="submit">{t.board_save}</button>
        </ActionForm>
    }
}
