//! `/actions`: open improvement actions by department and age (overdue ones marked), then the
//! done and dropped ones; the new-action form, prefilled when started from elsewhere.

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::labels::Label;
use crate::use_locale;
use domain::action::{
    ActionForm, ActionLine, ActionStatus, Choices, PUBLIC_MAX_CHARS, TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
};
use domain::calendar::format_date;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ActionsListPage() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.get();
            (
                q.get("theme"),
                q.get("response"),
                q.get("item"),
                q.get("idea"),
            )
        },
        |(theme, response, item, idea)| get_actions(theme, response, item, idea),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.actions_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <ActionsView page/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/actions"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ActionsView(page: ActionsPage) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let now = page.now;
    let (open, closed): (Vec<ActionLine>, Vec<ActionLine>) =
        page.actions.into_iter().partition(|a| a.status.is_open());
    let starting = page.draft.evidence.is_some() || !page.draft.themes.is_empty();
    let row = move |a: ActionLine| {
        let overdue = a.overdue(now);
        let age = (now - a.created_at).max(0) / 86_400;
        view! {
            <tr class:overdue=overdue data-action=a.id>
                <td><a href=format!("/actions/{}", a.id)>{a.title.clone()}</a></td>
                <td>{a.department.clone().map(|d| d.1).unwrap_or_else(|| "–".into())}</td>
                <td>{a.owner.clone().unwrap_or_else(|| "–".into())}</td>
                <td><span class=format!("badge status-{}", a.status.as_str())>{a.status.label(locale)}</span></td>
                <td class="num">{fill(t.actions_age_days, &[("days", &age)])}</td>
                <td>
                    {a.due.map(format_date).unwrap_or_else(|| "–".into())}
                    {overdue.then(|| view! { " " <span class="badge overdue">{t.case_overdue}</span> })}
                </td>
            </tr>
        }
    };
    let table = move |lines: Vec<ActionLine>| {
        view! {
            <table class="actions">
                <thead><tr>
                    <th scope="col">{t.action_title_label}</th>
                    <th scope="col">{t.inbox_department}</th>
                    <th scope="col">{t.action_owner}</th>
                    <th scope="col">{t.inbox_status}</th>
                    <th scope="col" class="num">{t.actions_age}</th>
                    <th scope="col">{t.action_due}</th>
                </tr></thead>
                <tbody>{lines.into_iter().map(row).collect_view()}</tbody>
            </table>
        }
    };
    view! {
        <section class="panel">
            <h1>{t.actions_title}</h1>
            <p class="lead">{t.actions_intro}</p>
            <h2>{t.actions_open}" ("{open.len()}")"</h2>
            {if open.is_empty() { view! { <p>{t.actions_none}</p> }.into_any() } else { table(open).into_any() }}
            {(!closed.is_empty()).then(|| view! {
                <details>
                    <summary>{t.actions_closed}" ("{closed.len()}")"</summary>
                    {table(closed)}
                </details>
            })}
        </section>
        {page.may_start.then(|| view! {
            <section class="panel" id="new">
                <details open=starting>
                    <summary><h2 class="inline">{t.action_new}</h2></summary>
                    <NewActionForm draft=page.draft choices=page.choices/>
                </details>
            </section>
        })}
    }
}

#[component]
fn NewActionForm(draft: ActionForm, choices: Choices) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let create = ServerAction::<CreateAction>::new();
    let query = use_query_map();
    let posted = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    let error = move || {
        create
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| posted.clone())
            .map(|e| e.message(locale))
    };
    view! {
        <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
        <ActionForm action=create attr:class="action-form">
            <input type="hidden" name="evidence" value=draft.evidence.clone().unwrap_or_default()/>
            <ActionFields form=draft choices/>
            <button type="submit" class="primary">{t.action_create}</button>
        </ActionForm>
    }
}

/// The fields of an action, shared by the new-action form and the action's page.
#[component]
pub fn ActionFields(form: ActionForm, choices: Choices) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let status = form
        .status
        .as_deref()
        .and_then(ActionStatus::parse)
        .unwrap_or(ActionStatus::Proposed);
    let themes_value = form
        .themes
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let themes_hint = choices
        .themes
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="field"><label for="a-title">{t.action_title_label}</label>
            <input id="a-title" name="title" required maxlength=TITLE_MAX_CHARS.to_string() value=form.title.clone()/></div>
        <div class="field"><label for="a-description">{t.action_description}</label>
            <TextArea value=form.description.clone() {..} id="a-description" name="description" rows="3" maxlength=TEXT_MAX_CHARS.to_string()/></div>
        <div class="inline-fields">
            <label>{t.inbox_department}" "
                <select name="department">
                    <option value="">"–"</option>
                    {choices.departments.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=form.department.as_deref() == Some(id.to_string().as_str())>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t.action_owner}" "
                <select name="owner">
                    <option value="">"–"</option>
                    {choices.staff.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=form.owner.as_deref() == Some(id.to_string().as_str())>{name.clone()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{t.action_due}" "<input type="date" name="due" value=form.due.clone().unwrap_or_default()/></label>
            <label>{t.inbox_status}" "
                <select name="status">
                    {ActionStatus::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str() selected=s == status>{s.label(locale)}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
        <div class="field"><label for="a-themes">{t.action_themes}</label>
            <input id="a-themes" name="themes" value=themes_value/>
            <p class="hint">{themes_hint}</p></div>
        <div class="field"><label for="a-public">{t.action_public_message}</label>
            <TextArea value=form.public_message.clone() {..} id="a-public" name="public_message" rows="2" maxlength=PUBLIC_MAX_CHARS.to_string()/>
            <p class="hint">{t.action_public_hint}</p></div>
    }
}
