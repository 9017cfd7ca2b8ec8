//! `/dashboard/ideas`: the managers' ideas panel — new ideas, votes and comments per month, ideas
//! per status, themes where customers contribute beside themes where detractors complain, the
//! time to a first official answer, and the engagement ladder with its movement.

use super::server::*;
use crate::components::chart::BarChart;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::engagement::Step;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn IdeasPanelPage() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let data = Resource::new(move || query.get().get("days"), get_ideas_panel);
    view! {
        <PageTitle text=format!("{} · {}", t.panel_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <PanelView data/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/dashboard/ideas"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

const THEME_COLOUR: &str = "#1f5fbf";
const DETRACTOR_COLOUR: &str = "#a61b1b";

#[component]
fn PanelView(data: PanelData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let p = data.panel;
    let name = |key: &str| {
        data.theme_names
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| key.to_string(), |(_, n)| n.clone())
    };
    let themes =
        |list: &[(String, u64)], colour: &'static str| -> Vec<(String, u64, &'static str)> {
            list.iter().map(|(k, n)| (name(k), *n, colour)).collect()
        };
    let idea_themes = themes(&p.idea_themes, THEME_COLOUR);
    let detractor_themes = themes(&p.detractor_themes, DETRACTOR_COLOUR);
    let statuses: Vec<(String, u64, &'static str)> = p
        .statuses
        .iter()
        .map(|(k, n)| {
            let label = data
                .statuses
                .iter()
                .find(|s| &s.key == k)
                .map_or_else(|| k.clone(), |s| s.name(locale).to_string());
            (label, *n, THEME_COLOUR)
        })
        .collect();
    let step_name = move |s: Step| match s {
        Step::Unsatisfied => t.step_unsatisfied,
        Step::Satisfied => t.step_satisfied,
        Step::Loyal => t.step_loyal,
        Step::Engaged => t.step_engaged,
    };
    let ladder = p.ladder.clone();
    let ladder_bars: Vec<(String, u64, &'static str)> = Step::ALL
        .iter()
        .map(|s| (step_name(*s).to_string(), ladder.now[s.index()], "#1e7b34"))
        .collect();
    view! {
        <section class="panel">
            <h1>{t.panel_title}</h1>
            <p class="lead">{fill(t.panel_intro, &[("days", &p.period_days)])}</p>
            <nav class="tabs">
                {[30, 90, 365].into_iter().map(|d| view! {
                    <a href=format!("/dashboard/ideas?days={d}") aria-current=(d == p.period_days).then_some("page")>{format!("{d} d")}</a>
                }).collect_view()}
            </nav>
        </section>
        <section class="panel" data-testid="ladder">
            <h2>{t.ladder_title}</h2>
            <p>{t.ladder_intro}</p>
            <BarChart title=t.ladder_title.to_string() bars=ladder_bars/>
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t.ladder_step}</th>
                    <th scope="col" class="num">{t.ladder_before}</th>
                    <th scope="col" class="num">{t.ladder_now}</th>
                    <th scope="col" class="num">{t.ladder_new}</th>
                </tr></thead>
                <tbody>
                    {Step::ALL.into_iter().map(|s| view! {
                        <tr data-step=s.as_str()>
                            <th scope="row">{step_name(s)}</th>
                            <td class="num">{ladder.before[s.index()]}</td>
                            <td class="num">{ladder.now[s.index()]}</td>
                            <td class="num">{ladder.new[s.index()]}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p>{fill(t.ladder_moves, &[("up", &ladder.moved_up()), ("down", &ladder.moved_down())])}</p>
        </section>
        <section class="panel">
            <h2>{t.panel_per_month}</h2>
            {p.months.is_empty().then(|| view! { <p>{t.panel_none}</p> })}
            {(!p.months.is_empty()).then(|| view! {
                <BarChart title=t.panel_ideas.to_string() bars=p.months.iter().map(|m| (m.0.clone(), m.1, THEME_COLOUR)).collect()/>
                <table class="data-table" data-testid="ideas-per-month">
                    <thead><tr>
                        <th scope="col">{t.panel_month}</th>
                        <th scope="col" class="num">{t.panel_ideas}</th>
                        <th scope="col" class="num">{t.panel_votes}</th>
                        <th scope="col" class="num">{t.panel_comments}</th>
                    </tr></thead>
                    <tbody>
                        {p.months.iter().map(|m| view! {
                            <tr><th scope="row">{m.0.clone()}</th><td class="num">{m.1}</td><td class="num">{m.2}</td><td class="num">{m.3}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
        <section class="panel two-columns">
            <div>
                <h2>{t.panel_idea_themes}</h2>
                {if idea_themes.is_empty() { view! { <p>{t.panel_none}</p> }.into_any() } else { view! { <BarChart title=t.panel_idea_themes.to_string() bars=idea_themes/> }.into_any() }}
            </div>
            <div>
                <h2>{t.panel_detractor_themes}</h2>
                {if detractor_themes.is_empty() { view! { <p>{t.panel_none}</p> }.into_any() } else { view! { <BarChart title=t.panel_detractor_themes.to_string() bars=detractor_themes/> }.into_any() }}
            </div>
        </section>
        <section class="panel two-columns">
            <div>
                <h2>{t.panel_statuses}</h2>
                <BarChart title=t.panel_statuses.to_string() bars=statuses/>
            </div>
            <div data-testid="first-answer">
                <h2>{t.panel_first_answer}</h2>
                {match p.median_answer_days {
                    Some(d) => view! { <p class="big-number">{fill(t.panel_median_days, &[("days", &format!("{d:.1}"))])}</p> }.into_any(),
                    None => view! { <p>{t.panel_no_answers}</p> }.into_any(),
                }}
                <p>{fill(t.panel_answered, &[("answered", &p.answered.0), ("total", &p.answered.1)])}</p>
            </div>
        </section>
    }
}
