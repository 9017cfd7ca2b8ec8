//! `/actions/{id}`: an improvement action with its evidence, its form, and whether it worked:
//! the linked themes' NPS, mentions and negative share before and after it was done, against the
//! responses that do not mention them (difference in differences), each with its margin of
//! error and significance; and how the customers told about it scored since.

use super::list::ActionFields;
use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::labels::Label;
use crate::use_locale;
use domain::action::{Action, ActionForm, Change, Impact, ToldCustomers};
use domain::calendar::format_date;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ActionPage() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let query = use_query_map();
    let save = ServerAction::<SaveAction>::new();
    let id = move || params.read().get("id");
    let data = Resource::new(
        move || (id(), query.read().get("window"), save.version().get()),
        |(id, window, _)| get_action(id, window),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.actions_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <ActionView page save/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        let next = format!("/login?next=/actions/{}", id().unwrap_or_default());
                        view! { <Redirect path=next/> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn form_of(a: &Action) -> ActionForm {
    ActionForm {
        title: a.title.clone(),
        description: a.description.clone(),
        department: a.department.as_ref().map(|d| d.0.to_string()),
        owner: a.owner.as_ref().map(|o| o.0.to_string()),
        due: a.due.map(format_date),
        status: Some(a.status.as_str().to_string()),
        themes: a.themes.join(", "),
        public_message: a.public_message.clone(),
        evidence: None,
    }
}

#[component]
fn ActionView(page: ActionPage, save: ServerAction<SaveAction>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let posted = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    let error = move || {
        save.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| posted.clone())
            .map(|e| e.message(locale))
    };
    // Read from the URL as it changes: when hydrated, the save navigates here after the page's
    // data may already have been read again.
    let told_now = move || {
        query
            .with(|q| q.get("told"))
            .and_then(|n| n.parse::<u64>().ok())
    };
    let a = page.action.clone();
    let theme_names: Vec<String> = a
        .themes
        .iter()
        .map(|k| {
            page.choices
                .themes
                .iter()
                .find(|t| &t.0 == k)
                .map_or(k.clone(), |t| t.1.clone())
        })
        .collect();
    view! {
        <p><a href="/actions">{t.actions_back}</a></p>
        <section class="panel">
            <h1>{a.title.clone()}</h1>
            <p class="meta">
                <span class=format!("badge status-{}", a.status.as_str())>{a.status.label(locale)}</span>
                " · "{a.department.clone().map(|d| d.1).unwrap_or_else(|| "–".into())}
                " · "{a.owner.clone().map(|o| o.1).unwrap_or_else(|| "–".into())}
                {a.due.map(|d| view! { " · "{fill(t.action_due_on, &[("date", &format_date(d))])} })}
                {a.overdue(page.now).then(|| view! { " " <span class="badge overdue">{t.case_overdue}</span> })}
                {a.done_at.map(|d| view! { " · "{fill(t.action_done_on, &[("date", &format_date(d))])} })}
            </p>
            {(!a.description.is_empty()).then(|| view! { <p>{a.description.clone()}</p> })}
            <p>{t.action_themes}": "{if theme_names.is_empty() { "–".to_string() } else { theme_names.join(", ") }}</p>
            {move || told_now().filter(|n| *n > 0).map(|n| view! { <p class="notice" role="status" data-testid="told">{fill(t.action_told_now, &[("count", &n)])}</p> })}
        </section>
        <section class="panel" id="impact">
            <h2>{t.impact_title}</h2>
            <form method="get" class="inline-fields">
                <label>{t.impact_window}" "
                    <select name="window">
                        {[14i64, 30, 60, 90].into_iter().map(|d| view! {
                            <option value=d.to_string() selected=d == page.window_days>{fill(t.impact_days, &[("days", &d)])}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit">{t.inbox_filter}</button>
            </form>
            {match (page.impact, page.baseline) {
                (Some(impact), _) => view! { <ImpactView impact/> }.into_any(),
                (None, Some(b)) => view! {
                    <p>{fill(t.impact_not_done, &[("days", &page.window_days)])}</p>
                    <p>{fill(t.impact_baseline, &[
                        ("mentions", &b.mentions),
                        ("nps", &b.with_themes.summary().nps().map(|n| format!("{n:+.0}")).unwrap_or_else(|| "–".into())),
                        ("n", &b.with_themes.total()),
                    ])}</p>
                }.into_any(),
                _ => ().into_any(),
            }}
            <ToldView told=page.told/>
        </section>
        <section class="panel" id="evidence">
            <h2>{t.action_evidence}</h2>
            {a.evidence.is_empty().then(|| view! { <p>{t.action_no_evidence}</p> })}
            <ul>
                {a.evidence.iter().map(|e| view! {
                    <li data-kind=e.kind.as_str()><a href=e.href.clone()>{e.label.clone()}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section class="panel" id="edit">
            <h2>{t.action_edit}</h2>
            <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
            <ActionForm action=save attr:class="action-form">
                <input type="hidden" name="id" value=a.id/>
                <ActionFields form=form_of(&a) choices=page.choices.clone()/>
                <button type="submit" class="primary">{t.board_save}</button>
            </ActionForm>
        </section>
    }
}

fn signed(v: Option<f64>) -> String {
    v.map(|v| format!("{v:+.0}")).unwrap_or_else(|| "–".into())
}

/// A change as "−40 → +10 (+50 ± 23, p = 0.001)".
fn change_text(c: &Change, locale: crate::i18n::Locale) -> String {
    let t = locale.texts();
    let verdict = match c.p_value {
        None => t.impact_too_few.to_string(),
        Some(p) if p < 0.05 => fill(t.impact_significant, &[("p", &format!("{p:.3}"))]),
        Some(p) => fill(t.impact_not_significant, &[("p", &format!("{p:.2}"))]),
    };
    format!(
        "{} → {} ({} ± {}) — {verdict}",
        signed(c.before),
        signed(c.after),
        signed(c.change),
        c.margin
            .map(|m| format!("{m:.0}"))
            .unwrap_or_else(|| "–".into()),
    )
}

#[component]
fn ImpactView(impact: Impact) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let did = impact.difference_in_differences;
    let verdict = match (did.change, did.significant()) {
        (Some(c), true) if c > 0.0 => t.impact_worked,
        (Some(_), true) => t.impact_worse,
        (Some(_), false) => t.impact_unclear,
        (None, _) => t.impact_too_few,
    };
    view! {
        <p class="impact-verdict" data-testid="impact-verdict"><strong>{verdict}</strong></p>
        <ImpactChart impact/>
        <dl class="facts impact">
            <dt>{t.impact_theme_nps}</dt>
            <dd data-testid="impact-theme">{change_text(&impact.theme_nps, locale)}
                " "{fill(t.impact_n, &[("before", &impact.before.with_themes.total()), ("after", &impact.after.with_themes.total())])}</dd>
            <dt>{t.impact_other_nps}</dt>
            <dd>{change_text(&impact.other_nps, locale)}
                " "{fill(t.impact_n, &[("before", &impact.before.others.total()), ("after", &impact.after.others.total())])}</dd>
            <dt>{t.impact_did}</dt>
            <dd data-testid="impact-did">{change_text(&did, locale)}</dd>
            <dt>{t.impact_mentions}</dt>
            <dd>{impact.before.mentions}" → "{impact.after.mentions}</dd>
            <dt>{t.impact_negative_share}</dt>
            <dd>{change_text(&impact.negative_share, locale).replace(" ±", " % ±")}</dd>
        </dl>
        <p class="hint">{t.impact_explained}</p>
    }
}

/// Before and after bars of the themes' NPS and the others', with 95 % whiskers, on −100…+100.
#[component]
fn ImpactChart(impact: Impact) -> impl IntoView {
    let t = use_locale().texts();
    const W: f64 = 440.0;
    const H: f64 = 200.0;
    let y = |nps: f64| 100.0 - nps * 0.9;
    let bar = |x: f64,
               nps: Option<f64>,
               margin: Option<f64>,
               colour: &'static str,
               label: String| {
        nps.map(|v| {
            let (top, bottom) = (y(v.max(0.0)), y(v.min(0.0)));
            let whisker = margin.map(|m| (y(v + m).max(10.0), y(v - m).min(190.0)));
            view! {
                <g>
                    <title>{format!("{label}: {v:+.0}")}</title>
                    <rect x=format!("{x:.0}") y=format!("{top:.1}") width="60" height=format!("{:.1}", (bottom - top).max(1.0)) fill=colour/>
                    {whisker.map(|(hi, lo)| view! {
                        <line x1=format!("{:.0}", x + 30.0) x2=format!("{:.0}", x + 30.0) y1=format!("{hi:.1}") y2=format!("{lo:.1}") class="whisker"/>
                    })}
                    <text x=format!("{:.0}", x + 30.0) y="196" text-anchor="middle" class="bar-axis">{label}</text>
                </g>
            }
        })
    };
    let margin = |d: &domain::nps::ScoreDistribution| d.summary().margin_of_error();
    let title = t.impact_title.to_string();
    let label = title.clone();
    view! {
        <svg class="impact-chart" role="img" aria-label=label viewBox=format!("0 0 {W} {H}")>
            <title>{title}</title>
            <line x1="0" x2=W.to_string() y1=format!("{}", y(0.0)) y2=format!("{}", y(0.0)) class="axis"/>
            {bar(30.0, impact.theme_nps.before, margin(&impact.before.with_themes), "#b8c4d6", t.impact_before.to_string())}
            {bar(100.0, impact.theme_nps.after, margin(&impact.after.with_themes), "#1f6f8b", t.impact_after.to_string())}
            {bar(260.0, impact.other_nps.before, margin(&impact.before.others), "#d9d9d9", t.impact_before.to_string())}
            {bar(330.0, impact.other_nps.after, margin(&impact.after.others), "#8c8c8c", t.impact_after.to_string())}
            <text x="95" y="14" text-anchor="middle" class="bar-value">{t.impact_theme_nps}</text>
            <text x="325" y="14" text-anchor="middle" class="bar-value">{t.impact_other_nps}</text>
        </svg>
    }
}

#[component]
pub fn ToldView(told: ToldCustomers) -> impl IntoView {
    let t = use_locale().texts();
    (told.told > 0).then(|| {
        let (before, after) = (told.before.summary().nps(), told.after.summary().nps());
        view! {
            <h3>{t.told_title}</h3>
            <p data-testid="told-customers">{fill(t.told_summary, &[
                ("told", &told.told),
                ("again", &told.answered_again),
                ("before", &signed(before)),
                ("after", &signed(after)),
            ])}</p>
        }
    })
}
