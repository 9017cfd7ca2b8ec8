//! `/ideas/{board}`: a board or challenge with its ideas (sorted, filtered, searched, paged), the
//! form to share an idea (with similar ideas offered first) and, for staff, the stage of a
//! challenge. Everything works as plain HTML forms; `ideas.js` offers similar ideas while the
//! title is typed.

use super::index::IdeasNav;
use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::calendar::format_date;
use domain::idea::{
    Board, IdeaCard, IdeaQuery, IdeaSort, IdeaStatus, Phase, BODY_MAX_CHARS, PAGE_SIZE,
    TITLE_MAX_CHARS,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn BoardPage() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || (params.get().get("board").unwrap_or_default(), query.get()),
        |(board, q)| {
            get_board(
                board,
                q.get("sort"),
                q.get("status"),
                q.get("theme"),
                q.get("q"),
                q.get("page"),
            )
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <BoardView data/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BoardView(data: BoardData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let board = data.board.clone();
    let name = board.name(locale).to_string();
    let phase = board.phase(data.now);
    let query = use_query_map();
    let current = IdeaQuery::from_params(|k| query.with_untracked(|q| q.get(k)));
    view! {
        <PageTitle text=format!("{name} · {}", t.app_name)/>
        <section class="panel">
            <IdeasNav viewer=data.viewer/>
            <h1>{name}</h1>
            <p class="lead">{board.description(locale).to_string()}</p>
            <ChallengeInfo board=board.clone() phase viewer=data.viewer/>
        </section>
        <section class="panel" id="submit">
            <SubmitIdea board=board.clone() viewer=data.viewer open=phase == Phase::Open/>
        </section>
        <section class="panel">
            <IdeaFilters current=current.clone() statuses=data.statuses.clone() themes=data.themes.clone()/>
            <p class="meta" data-testid="idea-count">{fill(t.ideas_count, &[("count", &data.total)])}</p>
            {data.ideas.is_empty().then(|| view! { <p>{t.ideas_empty}</p> })}
            <ol class="idea-list">
                {data.ideas.into_iter().map(|card| view! {
                    <IdeaRow card statuses=data.statuses.clone() viewer=data.viewer open=phase == Phase::Open from_board=true/>
                }).collect_view()}
            </ol>
            <Pager current total=data.total/>
        </section>
    }
}

/// A challenge's owner, dates and stage; staff move it to another stage.
#[component]
fn ChallengeInfo(board: Board, phase: Phase, viewer: Viewer) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let stage_action = ServerAction::<SetChallengeStage>::new();
    let dates = match (phase, board.opens_at, board.closes_at) {
        (Phase::NotYetOpen, Some(open), _) => {
            Some(fill(t.challenge_opens, &[("date", &format_date(open))]))
        }
        (Phase::Open, _, Some(close)) => Some(fill(
            t.challenge_open_until,
            &[("date", &format_date(close))],
        )),
        _ => None,
    };
    let stages = board.stages.clone();
    let current = board.stage.clone().unwrap_or_default();
    view! {
        {(!board.owner.is_empty()).then(|| view! { <p class="meta">{fill(t.challenge_owner, &[("owner", &board.owner)])}</p> })}
        {dates.map(|d| view! { <p class="meta">{d}</p> })}
        {(phase == Phase::Closed).then(|| view! { <p class="notice" role="status">{t.challenge_closed}</p> })}
        {(!stages.is_empty()).then(|| view! {
            <ol class="stages" aria-label=t.challenge_stage>
                {stages.iter().map(|s| {
                    let is_current = s.key == current;
                    view! { <li aria-current=is_current.then_some("step") class:current=is_current>{s.name(locale).to_string()}</li> }
                }).collect_view()}
            </ol>
        })}
        {(viewer.staff && !stages.is_empty()).then(|| view! {
            <ActionForm action=stage_action attr:class="inline-form staff-form">
                <input type="hidden" name="board" value=board.slug.clone()/>
                <label for="stage-select">{t.challenge_set_stage}</label>
                <select id="stage-select" name="stage">
                    {stages.iter().map(|s| view! {
                        <option value=s.key.clone() selected=s.key == current>{s.name(locale).to_string()}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{t.challenge_set_stage}</button>
            </ActionForm>
        })}
    }
}

/// The form to share an idea. After a first post with similar ideas found, the page shows them
/// above the form (the confirmation step), which then posts with `confirmed=1`.
#[component]
fn SubmitIdea(board: Board, viewer: Viewer, open: bool) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|m| m.get(k)).unwrap_or_default();
    let submit = ServerAction::<SubmitIdea>::new();
    let error = AppError::from_code(&q("error")).map(|e| e.message(locale));
    let confirming = q("similar") == "1";
    let title = q("title");
    let similar = Resource::new(
        move || (confirming, title.clone()),
        |(confirming, title)| async move {
            if confirming {
                similar_ideas(Some(title)).await.unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );
    if !open {
        return ().into_any();
    }
    if !viewer.customer {
        return (!viewer.signed_in)
            .then(|| {
                view! {
                    <p>{t.sign_in_to_contribute}" "
                        <a href=format!("/login?next=/ideas/{}", board.slug)>{t.nav_login}</a>" · "
                        <a href="/account/register">{t.register_title}</a>
                    </p>
                }
            })
            .into_any();
    }
    view! {
        <h2>{t.submit_idea_title}</h2>
        <div class="error-summary" role="alert" aria-live="assertive">{error.map(|m| view! { <p>{m}</p> })}</div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let list = similar.await;
                (!list.is_empty()).then(|| view! {
                    <div class="similar" data-testid="similar-ideas">
                        <h3>{t.similar_heading}</h3>
                        <p>{t.similar_intro}</p>
                        <ul>{list.into_iter().map(|s| view! {
                            <li><a href=format!("/ideas/{}/{}", s.board_slug, s.id)>{s.title}</a>" ("{s.votes}" "{t.votes_label}")"</li>
                        }).collect_view()}</ul>
                    </div>
                })
            })}
        </Suspense>
        <ActionForm action=submit attr:class="idea-form" attr:data-similar-url="/api/ideas/similar">
            <input type="hidden" name="board" value=board.slug.clone()/>
            <input type="hidden" name="confirmed" value=if confirming { "1" } else { "0" }/>
            <div class="field">
                <label for="idea-title">{t.idea_title_label}</label>
                <input id="idea-title" name="title" required maxlength=TITLE_MAX_CHARS.to_string() autocomplete="off"
                       aria-describedby="idea-title-hint" value=q("title")/>
                <p class="hint" id="idea-title-hint">{t.idea_title_hint}</p>
                // Filled by ideas.js while the title is typed.
                <div class="similar live" id="similar-live" aria-live="polite" hidden
                     data-heading=t.similar_heading data-votes=t.votes_label></div>
            </div>
            <div class="field">
                <label for="idea-body">{t.idea_body_label}</label>
                <TextArea value=q("body") {..} id="idea-body" name="body" rows="5" maxlength=BODY_MAX_CHARS.to_string()/>
                <p class="hint">{t.idea_body_hint}</p>
            </div>
            <button type="submit" class="primary">{if confirming { t.similar_post_anyway } else { t.submit_idea_button }}</button>
        </ActionForm>
    }
    .into_any()
}

/// Sort, status, theme and search: a GET form, so a view is a link.
#[component]
fn IdeaFilters(
    current: IdeaQuery,
    statuses: Vec<IdeaStatus>,
    themes: Vec<(String, String)>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let sort_label = move |s: IdeaSort| match s {
        IdeaSort::Trending => t.sort_trending,
        IdeaSort::Top => t.sort_top,
        IdeaSort::New => t.sort_new,
    };
    view! {
        <form method="get" class="idea-filters" role="search">
            <label>{t.ideas_sort}" "
                <select name="sort">
                    {IdeaSort::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=s == current.sort>{sort_label(s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t.ideas_filter_status}" "
                <select name="status">
                    <option value="">{t.all_statuses}</option>
                    {statuses.into_iter().map(|s| {
                        let selected = current.status.as_deref() == Some(s.key.as_str());
                        view! { <option value=s.key.clone() selected=selected>{s.name(locale).to_string()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{t.ideas_filter_theme}" "
                <select name="theme">
                    <option value="">{t.all_themes}</option>
                    {themes.into_iter().map(|(key, name)| {
                        let selected = current.theme.as_deref() == Some(key.as_str());
                        view! { <option value=key selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{t.ideas_search}" "
                <input type="search" name="q" maxlength="100" value=current.search.clone().unwrap_or_default()/>
            </label>
            <button type="submit">{t.ideas_apply}</button>
        </form>
    }
}

#[component]
fn Pager(current: IdeaQuery, total: u64) -> impl IntoView {
    let t = use_locale().texts();
    let pages = total.div_ceil(u64::from(PAGE_SIZE));
    let page = current.page;
    let link = move |page: u32| {
        let mut q = current.clone();
        q.page = page;
        format!("?{}", q.to_query())
    };
    view! {
        <nav class="pager">
            {(page > 0).then(|| view! { <a href=link(page - 1) rel="prev">{t.ideas_previous_page}</a> })}
            {(u64::from(page) + 1 < pages).then(|| view! { <a href=link(page + 1) rel="next">{t.ideas_next_page}</a> })}
        </nav>
    }
}

/// The colour dot and name of a status.
#[component]
pub fn StatusBadge(status: String, statuses: Vec<IdeaStatus>) -> impl IntoView {
    let locale = use_locale();
    let (name, color) = statuses
        .iter()
        .find(|s| s.key == status)
        .map(|s| (s.name(locale).to_string(), s.color.clone()))
        .unwrap_or_else(|| (status.clone(), "#5b6474".into()));
    // Only `#rrggbb` reaches the style attribute.
    let color = if color.len() == 7
        && color.starts_with('#')
        && color[1..].bytes().all(|b| b.is_ascii_hexdigit())
    {
        color
    } else {
        "#5b6474".into()
    };
    view! { <span class="status-badge" data-status=status style=format!("--status-color: {color}")>{name}</span> }
}

/// An idea in a list, with its vote button.
#[component]
pub fn IdeaRow(
    card: IdeaCard,
    statuses: Vec<IdeaStatus>,
    viewer: Viewer,
    open: bool,
    from_board: bool,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let href = format!("/ideas/{}/{}", card.board_slug, card.id);
    view! {
        <li class="idea-row" data-idea=card.id>
            <VoteBox card=card.clone() viewer open from_board/>
            <div class="idea-main">
                <a href=href class="idea-title">{card.title.clone()}</a>
                <p class="meta">
                    <StatusBadge status=card.status.clone() statuses/>
                    {card.pending.then(|| view! { " " <span class="badge">{t.idea_pending}</span> })}
                    " · "{card.comments}" "{t.comments_label}
                    " · "{fill(t.posted_by, &[("name", &card.author), ("date", &format_date(card.created_at))])}
                </p>
            </div>
        </li>
    }
}

/// The vote count and, for a customer on an open board, the button that sets or withdraws the
/// vote (the form says which, so a repeated post changes nothing).
#[component]
pub fn VoteBox(card: IdeaCard, viewer: Viewer, open: bool, from_board: bool) -> impl IntoView {
    let t = use_locale().texts();
    let vote = ServerAction::<VoteIdea>::new();
    let can_vote = viewer.customer && open && !card.pending;
    view! {
        <div class="vote-box">
            <strong class="vote-count" data-testid="vote-count">{card.votes}</strong>
            <span class="vote-label">{t.votes_label}</span>
            {can_vote.then(|| view! {
                <ActionForm action=vote attr:class="vote-form">
                    <input type="hidden" name="board" value=card.board_slug.clone()/>
                    <input type="hidden" name="id" value=card.id/>
                    <input type="hidden" name="on" value=if card.voted { "0" } else { "1" }/>
                    {from_board.then(|| view! { <input type="hidden" name="from" value="board"/> })}
                    <button type="submit" class:voted=card.voted aria-pressed=if card.voted { "true" } else { "false" }>
                        {if card.voted { t.unvote_button } else { t.vote_button }}
                    </button>
                </ActionForm>
            })}
        </div>
    }
}
