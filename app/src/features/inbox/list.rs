//! `/inbox`: the items routed to the viewer's departments, open cases first (nearest deadline
//! on top, overdue ones marked), filtered by department, status, open cases or "mine".

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::labels::Label;
use crate::use_locale;
use domain::calendar::{format_date, format_date_time};
use domain::inbox::{InboxItem, ItemStatus, INBOX_PAGE_SIZE};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InboxPage() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                q.get("status"),
                q.get("department"),
                q.get("cases"),
                q.get("mine"),
                q.get("page"),
            )
        },
        |(status, department, cases, mine, page)| get_inbox(status, department, cases, mine, page),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.inbox_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <InboxView data/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/inbox"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InboxView(data: InboxData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    let (status, department, cases, mine) = (q("status"), q("department"), q("cases"), q("mine"));
    let page: u32 = q("page").parse().unwrap_or(0);
    let now = data.now;
    let pages = data.total.div_ceil(u64::from(INBOX_PAGE_SIZE)) as u32;
    let link = move |p: u32| {
        let mut parts = vec![format!("page={p}")];
        for (k, v) in [
            ("status", &status),
            ("department", &department),
            ("cases", &cases),
            ("mine", &mine),
        ] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", crate::url::percent_encode(v)));
            }
        }
        format!("/inbox?{}", parts.join("&"))
    };
    let none = data.departments.is_empty();
    view! {
        <section class="panel">
            <h1>{t.inbox_title}</h1>
            <p class="lead">{t.inbox_intro}</p>
            {none.then(|| view! { <p class="notice">{t.inbox_no_departments}</p> })}
            <form method="get" action="/inbox" class="filters">
                <label>{t.inbox_department}" "
                    <select name="department">
                        <option value="">{t.inbox_all}</option>
                        {data.departments.iter().map(|(id, name)| view! {
                            <option value=id.to_string() selected=q("department") == id.to_string()>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.inbox_status}" "
                    <select name="status">
                        <option value="">{t.inbox_all}</option>
                        {ItemStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=q("status") == s.as_str()>{s.label(locale)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label><input type="checkbox" name="cases" value="1" checked=!q("cases").is_empty()/>" "{t.inbox_open_cases}</label>
                <label><input type="checkbox" name="mine" value="1" checked=!q("mine").is_empty()/>" "{t.inbox_mine}</label>
                <button type="submit">{t.inbox_filter}</button>
            </form>
            <p class="meta">{fill(t.inbox_count, &[("count", &data.total)])}</p>
            {data.items.is_empty().then(|| view! { <p>{t.inbox_empty}</p> })}
            {(!data.items.is_empty()).then(|| view! {
                <table class="inbox">
                    <thead><tr>
                        <th scope="col">{t.inbox_col_received}</th>
                        <th scope="col">{t.inbox_department}</th>
                        <th scope="col" class="num">{t.inbox_col_score}</th>
                        <th scope="col">{t.inbox_col_feedback}</th>
                        <th scope="col">{t.inbox_status}</th>
                        <th scope="col">{t.inbox_col_assignee}</th>
                        <th scope="col">{t.inbox_col_case}</th>
                    </tr></thead>
                    <tbody>
                        {data.items.into_iter().map(|i| view! { <InboxRow item=i now/> }).collect_view()}
                    </tbody>
                </table>
            })}
            {(pages > 1).then(|| view! {
                <nav class="pager" aria-label=t.inbox_title>
                    {(page > 0).then(|| view! { <a href=link(page - 1)>{t.ideas_previous_page}</a> })}
                    " "{fill(t.inbox_page_of, &[("page", &(page + 1)), ("pages", &pages)])}" "
                    {(page + 1 < pages).then(|| view! { <a href=link(page + 1)>{t.ideas_next_page}</a> })}
                </nav>
            })}
        </section>
        <super::figures::FollowUpFigures/>
    }
}

#[component]
fn InboxRow(item: InboxItem, now: i64) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let overdue = item.case.is_some_and(|c| c.overdue(now));
    let excerpt: String = item
        .text
        .clone()
        .unwrap_or_else(|| t.inbox_no_text.to_string())
        .chars()
        .take(140)
        .collect();
    let case = item.case.map(|c| match (c.closed_at, c.first_contact_at) {
        (Some(_), _) => t.case_closed.to_string(),
        (None, Some(_)) => t.case_contacted.to_string(),
        (None, None) => fill(
            t.case_due,
            &[("deadline", &format_date_time(c.deadline_at))],
        ),
    });
    view! {
        <tr data-item=item.id class:overdue=overdue>
            <td>{format_date(item.received_at)}</td>
            <td>{item.department.clone()}</td>
            <td class="num">{item.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}</td>
            <td><a href=format!("/inbox/{}", item.id)>{excerpt}</a></td>
            <td><span class=format!("badge status-{}", item.status.as_str())>{item.status.label(locale)}</span></td>
            <td>{item.assignee.map(|a| a.1).unwrap_or_else(|| "–".into())}</td>
            <td>
                {case.unwrap_or_default()}
                {item.case.is_some_and(|c| c.escalated).then(|| view! { " " <span class="badge overdue">{t.case_escalated}</span> })}
                {overdue.then(|| view! { " " <span class="badge overdue">{t.case_overdue}</span> })}
            </td>
        </tr>
    }
}
