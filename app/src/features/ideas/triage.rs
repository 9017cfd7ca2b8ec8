//! `/admin/ideas`: the product team's triage inbox — new ideas, ideas past the response promise,
//! ideas by priority (RICE, with the voters' number and NPS beside it) and ideas awaiting
//! moderation. Internal votes stay apart from the customers'.

use super::board::StatusBadge;
use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::calendar::format_date;
use domain::idea::{IdeaStatus, TriageItem, STATUS_NEW};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TriagePage() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| get_triage());
    view! {
        <PageTitle text=format!("{} · {}", t.triage_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((items, statuses, now)) => view! { <TriageView items statuses now/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/ideas"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The tabs of the inbox.
const VIEWS: [&str; 4] = ["new", "overdue", "priority", "pending"];

#[component]
fn TriageView(items: Vec<TriageItem>, statuses: Vec<IdeaStatus>, now: i64) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let view_name = use_query_map()
        .with_untracked(|q| q.get("view"))
        .filter(|v| VIEWS.contains(&v.as_str()))
        .unwrap_or_else(|| "new".into());
    let count = |v: &str| items.iter().filter(|i| in_view(i, v, now)).count();
    let counts: Vec<(&'static str, usize)> = VIEWS.iter().map(|v| (*v, count(v))).collect();
    let mut shown: Vec<TriageItem> = items
        .into_iter()
        .filter(|i| in_view(i, &view_name, now))
        .collect();
    if view_name == "priority" {
        shown.sort_by(|a, b| b.score.unwrap_or(-1.0).total_cmp(&a.score.unwrap_or(-1.0)));
    }
    let label = move |v: &str| match v {
        "overdue" => t.triage_overdue,
        "priority" => t.triage_priority,
        "pending" => t.triage_pending,
        _ => t.triage_new,
    };
    let vote = ServerAction::<InternalVote>::new();
    view! {
        <section class="panel">
            <h1>{t.triage_title}</h1>
            <p class="lead">{t.triage_intro}</p>
            <nav class="tabs" aria-label=t.triage_title>
                {counts.into_iter().map(|(v, n)| view! {
                    <a href=format!("/admin/ideas?view={v}") aria-current=(v == view_name).then_some("page")>
                        {label(v)}" ("{n}")"
                    </a>
                }).collect_view()}
            </nav>
            {shown.is_empty().then(|| view! { <p>{t.triage_empty}</p> })}
            {(!shown.is_empty()).then(|| view! {
                <table class="triage">
                    <thead><tr>
                        <th scope="col">{t.triage_col_idea}</th>
                        <th scope="col" class="num">{t.votes_label}</th>
                        <th scope="col" class="num">{t.triage_col_customers}</th>
                        <th scope="col" class="num">{t.triage_col_nps}</th>
                        <th scope="col" class="num">{t.triage_col_internal}</th>
                        <th scope="col" class="num">{t.rice_score}</th>
                        <th scope="col">{t.triage_col_due}</th>
                    </tr></thead>
                    <tbody>
                        {shown.into_iter().map(|i| {
                            let overdue = i.overdue(now);
                            view! {
                                <tr data-idea=i.card.id class:overdue=overdue>
                                    <td>
                                        <a href=format!("/ideas/{}/{}", i.card.board_slug, i.card.id)>{i.card.title.clone()}</a>
                                        <span class="meta">" · "{i.board_name(locale).to_string()}" · "</span>
                                        <StatusBadge status=i.card.status.clone() statuses=statuses.clone()/>
                                        {i.card.pending.then(|| view! { " " <span class="badge">{t.idea_pending}</span> })}
                                    </td>
                                    <td class="num">{i.card.votes}</td>
                                    <td class="num">{i.customers}</td>
                                    <td class="num">{i.voter_nps.map(|n| format!("{n:+.0} (n={})", i.voters_with_score)).unwrap_or_else(|| "–".into())}</td>
                                    <td class="num">
                                        {i.internal_votes}" "
                                        <ActionForm action=vote attr:class="inline-form">
                                            <input type="hidden" name="id" value=i.card.id/>
                                            <input type="hidden" name="on" value=if i.my_internal_vote { "0" } else { "1" }/>
                                            <button type="submit" class="link-button">{if i.my_internal_vote { t.internal_unvote_button } else { t.internal_vote_button }}</button>
                                        </ActionForm>
                                    </td>
                                    <td class="num">{i.score.map(|s| format!("{s:.1}")).unwrap_or_else(|| "–".into())}</td>
                                    <td>
                                        {match i.answered_at {
                                            Some(_) => t.triage_answered.to_string(),
                                            None => fill(t.triage_due_by, &[("date", &format_date(i.due_at))]),
                                        }}
                                        {overdue.then(|| view! { " " <span class="badge overdue">{t.triage_overdue_badge}</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

fn in_view(item: &TriageItem, view: &str, now: i64) -> bool {
    match view {
        "overdue" => item.overdue(now),
        "priority" => true,
        "pending" => item.card.pending,
        _ => item.card.status == STATUS_NEW,
    }
}
