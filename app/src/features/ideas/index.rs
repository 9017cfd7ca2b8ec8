//! `/ideas`: the boards and open challenges, with the ways into roadmap, changelog and a
//! customer's own ideas.

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::calendar::format_date;
use domain::idea::{Board, BoardKind, BoardVisibility};
use leptos::prelude::*;

#[component]
pub fn IdeasIndexPage() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| list_boards());
    view! {
        <PageTitle text=format!("{} · {}", t.ideas_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((boards, viewer)) => view! { <IdeasIndex boards viewer/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn IdeasIndex(boards: Vec<Board>, viewer: Viewer) -> impl IntoView {
    let t = use_locale().texts();
    let (challenges, boards): (Vec<Board>, Vec<Board>) = boards
        .into_iter()
        .partition(|b| b.kind == BoardKind::Challenge);
    view! {
        <section class="panel">
            <h1>{t.ideas_title}</h1>
            <p class="lead">{t.ideas_intro}</p>
            <IdeasNav viewer/>
            {boards.is_empty().then(|| view! { <p>{t.ideas_none}</p> })}
            {(!boards.is_empty()).then(|| view! {
                <h2>{t.ideas_boards}</h2>
                <ul class="board-list">{boards.into_iter().map(|b| view! { <BoardItem board=b/> }).collect_view()}</ul>
            })}
            {(!challenges.is_empty()).then(|| view! {
                <h2>{t.ideas_challenges}</h2>
                <ul class="board-list">{challenges.into_iter().map(|b| view! { <BoardItem board=b/> }).collect_view()}</ul>
            })}
        </section>
    }
}

/// Links between the idea pages.
#[component]
pub fn IdeasNav(viewer: Viewer) -> impl IntoView {
    let t = use_locale().texts();
    view! {
        <nav class="ideas-nav" aria-label=t.nav_ideas>
            <a href="/ideas">{t.nav_ideas}</a>
            <a href="/roadmap">{t.roadmap_title}</a>
            <a href="/changelog">{t.changelog_title}</a>
            {viewer.signed_in.then(|| view! {
                <a href="/account/ideas">{t.nav_my_ideas}</a>
                <a href="/account/notifications">{t.nav_notifications}</a>
            })}
            {(!viewer.signed_in).then(|| view! {
                <a href="/login?next=/ideas">{t.nav_login}</a>
                <a href="/account/register">{t.register_title}</a>
            })}
        </nav>
    }
}

#[component]
fn BoardItem(board: Board) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let href = format!("/ideas/{}", board.slug);
    let dates = match (board.kind, board.closes_at) {
        (BoardKind::Challenge, Some(close)) => Some(fill(
            t.challenge_open_until,
            &[("date", &format_date(close))],
        )),
        _ => None,
    };
    let stage = board.current_stage().map(|s| s.name(locale).to_string());
    view! {
        <li class="board-item">
            <a href=href class="board-name">{board.name(locale).to_string()}</a>
            {(board.visibility == BoardVisibility::Private).then(|| view! { <span class="badge">{t.board_private}</span> })}
            <p>{board.description(locale).to_string()}</p>
            {dates.map(|d| view! { <p class="meta">{d}</p> })}
            {stage.map(|s| view! { <p class="meta">{t.challenge_stage}": "{s}</p> })}
        </li>
    }
}
