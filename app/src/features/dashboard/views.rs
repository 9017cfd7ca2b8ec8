//! The management dashboard: NPS with its margin of error, the groups, the score distribution and
//! the latest verbatims, filtered by what is in the URL, with breakdowns that drill down.

use super::server::*;
use crate::components::chart::{
    score_colour, BarChart, StackedBar, DETRACTOR_COLOUR, PASSIVE_COLOUR, PROMOTER_COLOUR,
};
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::components::score_badge::ScoreBadge;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::labels::Label;
use crate::model::{format_date, DashboardData, Verbatim};
use crate::survey::{Channel, JourneyPhase};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <DashboardView report=false/> }
}

/// The dashboard as a report to print or save as PDF: the same figures, without the controls.
#[component]
pub fn ReportPage() -> impl IntoView {
    view! { <DashboardView report=true/> }
}

#[component]
fn DashboardView(report: bool) -> impl IntoView {
    let t = use_locale().texts();
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(
        move || query.get(),
        |q| {
            let g = |k: &str| q.get(k);
            get_dashboard(
                g("survey"),
                g("channel"),
                g("phase"),
                g("language"),
                g("theme"),
                g("group"),
                g("from"),
                g("to"),
            )
        },
    );
    let title = if report {
        t.report_title
    } else {
        t.dashboard_title
    };
    view! {
        <PageTitle text=format!("{} · {}", title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    // The sections with data of their own load only for someone who may see the
                    // dashboard (an anonymous visitor is redirected, not answered 401 by them).
                    Ok(d) => view! {
                        <Dashboard data=d report/>
                        {(!report).then(|| view! {
                            <crate::features::inbox::figures::FollowUpFigures/>
                            <super::switches::ChannelSwitches/>
                            <ToldCustomersPanel/>
                        })}
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/dashboard"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Below this many responses the normal approximation behind the margin is rough.
const SMALL_SAMPLE: u64 = 30;

fn signed(v: f64) -> String {
    let r = v.round();
    if r > 0.0 {
        format!("+{r:.0}")
    } else {
        format!("{r:.0}")
    }
}

#[component]
fn Dashboard(data: DashboardData, #[prop(optional)] report: bool) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let total = data.distribution.total();
    let heading = if report {
        view! {
            <h1>{t.report_title}</h1>
            <p class="report-meta">
                {format!("{}: {}", t.filters, if data.query.is_empty() { t.all_responses_filter.to_string() } else { crate::url::percent_decode(&data.query).replace('&', " · ") })}
                " · "
                {format!("{} {}", t.generated_on, format_date(data.generated_at))}
            </p>
            <p class="no-print links-row"><a href=format!("/dashboard?{}", data.query)>{t.back_to_dashboard}</a></p>
        }
        .into_any()
    } else {
        view! {
            <h1>{t.dashboard_title}</h1>
            {(!data.ignored.is_empty()).then(|| view! {
                <p class="notice" role="status">{format!("{} {}", t.filters_ignored, data.ignored.join(", "))}</p>
            })}
            <DashboardFilters surveys=data.surveys.clone() themes=data.themes.clone()/>
            <p class="links-row">
                <a href=format!("/dashboard/report?{}", data.query) data-testid="report-link">{t.print_report}</a>
                <a href="/dashboard/ideas" data-testid="ideas-panel-link">{t.panel_title}</a>
            </p>
        }
        .into_any()
    };
    let verbatim_count = if report { 10 } else { 25 };
    view! {
        <section class="dashboard" class:report=report>
            {heading}
            <Kpis data=data.clone()/>
            {if total == 0 && data.unscored == 0 {
                view! { <p class="empty">{t.no_responses_yet}</p> }.into_any()
            } else if total == 0 {
                ().into_any()
            } else {
                view! { <Distribution distribution=data.distribution/> }.into_any()
            }}
            {(data.trend.len() > 1).then(|| view! { <Trend trend=data.trend.clone() weekly=data.weekly/> }.into_any())}
            {(!data.drivers.is_empty()).then(|| view! { <Drivers drivers=data.drivers.clone() query=data.query.clone()/> }.into_any())}
            <Breakdowns breakdowns=data.breakdowns.clone() query=data.query.clone()/>
            {(data.movement.customers > 0).then(|| view! { <RepeatCustomers movement=data.movement/> }.into_any())}
            <h2>{t.latest_verbatims}</h2>
            {(!report).then(|| view! {
                <p class="links-row">
                    <a href=format!("/responses?{}", data.query) data-testid="all-verbatims">{t.all_matching_responses}</a>
                    <a href=format!("/responses/export.csv?{}&lang={}", data.query, locale.as_str()) rel="external" download>{t.export_csv}</a>
                </p>
            })}
            <ul class="verbatims" data-testid="verbatims">
                {data.verbatims.into_iter().take(verbatim_count).map(|v| view! { <VerbatimItem v/> }).collect_view()}
            </ul>
        </section>
    }
}

/// The headline figures: NPS with its margin and comparison, volume, the three groups, and the
/// CSAT and CES averages where those questions were answered.
#[component]
fn Kpis(data: DashboardData) -> impl IntoView {
    let t = use_locale().texts();
    let summary = data.distribution.summary();
    let total = summary.total();
    let pct = summary.percentages().unwrap_or((0.0, 0.0, 0.0));
    let nps_text = summary.nps().map(signed).unwrap_or_else(|| "–".into());
    // Unrounded, for scripts and tests that compare figures.
    let nps_exact = summary.nps().map(|n| format!("{n:.4}")).unwrap_or_default();
    let moe_text = summary
        .margin_of_error()
        .map(|m| format!("± {:.1} {}", m, t.margin_of_error));
    let mean = |label: &'static str, m: crate::model::Mean, testid: &'static str| {
        m.value().map(|v| {
            view! {
                <div class="kpi" data-testid=testid>
                    <span class="kpi-label">{label}</span>
                    <span class="kpi-value">{format!("{v:.2}")}</span>
                    <span class="kpi-sub">{format!("{} {}", m.n, t.answers_word)}</span>
                </div>
            }
        })
    };
    view! {
        <div class="kpis">
            <div class="kpi kpi-main" data-testid="nps">
                <span class="kpi-label">{t.nps}</span>
                <span class="kpi-value" data-testid="nps-value" data-exact=nps_exact>{nps_text}</span>
                {moe_text.map(|m| view! { <span class="kpi-sub">{m}</span> })}
                // What the NPS rests on: the scores, never the open feedback without one.
                <span class="kpi-sub" data-testid="nps-basis">{fill(t.nps_basis, &[("n", &total)])}</span>
                {(total > 0 && total < SMALL_SAMPLE).then(|| view! { <span class="kpi-sub warning">{t.small_sample}</span> })}
                {data.comparison.map(|c| {
                    let period = if c.chosen { t.compare_chosen.to_string() } else { t.compare_last_30.to_string() };
                    let verdict = if c.change.significant { t.significant } else { t.not_significant };
                    view! {
                        <span class="kpi-sub" data-testid="comparison" data-significant=c.change.significant.to_string()>
                            {format!("{period}: {} ({} {}; {verdict})", signed(c.now), t.before_period, signed(c.before))}
                        </span>
                    }
                })}
            </div>
            <div class="kpi" data-testid="responses">
                <span class="kpi-label">{t.responses}</span>
                <span class="kpi-value" data-testid="responses-value">{total + data.unscored}</span>
                {(data.unscored > 0).then(|| view! {
                    <span class="kpi-sub" data-testid="responses-split">
                        {fill(t.responses_split, &[("scored", &total), ("unscored", &data.unscored)])}
                    </span>
                })}
            </div>
            <div class="kpi">
                <span class="kpi-label"><i class="dot" data-colour="promoter"></i>{t.promoters}</span>
                <span class="kpi-value" data-testid="promoters-value">{format!("{:.0}%", pct.0)}</span>
                <span class="kpi-sub">{summary.promoters}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label"><i class="dot" data-colour="passive"></i>{t.passives}</span>
                <span class="kpi-value" data-testid="passives-value">{format!("{:.0}%", pct.1)}</span>
                <span class="kpi-sub">{summary.passives}</span>
            </div>
            <div class="kpi">
                <span class="kpi-label"><i class="dot" data-colour="detractor"></i>{t.detractors}</span>
                <span class="kpi-value" data-testid="detractors-value">{format!("{:.0}%", pct.2)}</span>
                <span class="kpi-sub">{summary.detractors}</span>
            </div>
            {mean(t.csat, data.csat, "csat")}
            {mean(t.ces, data.ces, "ces")}
        </div>
    }
}

/// The colour, label and count of each part of a stacked bar.
#[component]
fn Legend(parts: Vec<(String, u64, &'static str)>) -> impl IntoView {
    view! {
        <ul class="legend">
            {parts.into_iter().map(|(label, n, colour)| view! {
                <li>
                    <svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="3" fill=colour/></svg>
                    <span class="legend-label">{label}</span>
                    <span class="legend-value">{n}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The three groups as one bar and the eleven scores as columns.
#[component]
fn Distribution(distribution: crate::nps::ScoreDistribution) -> impl IntoView {
    let t = use_locale().texts();
    let summary = distribution.summary();
    let groups = vec![
        (
            t.detractors.to_string(),
            summary.detractors,
            DETRACTOR_COLOUR,
        ),
        (t.passives.to_string(), summary.passives, PASSIVE_COLOUR),
        (t.promoters.to_string(), summary.promoters, PROMOTER_COLOUR),
    ];
    let bars: Vec<_> = (0..=10)
        .map(|s| (s.to_string(), distribution.0[s], score_colour(s)))
        .collect();
    let bars_table = bars.clone();
    view! {
        <div class="charts">
            <figure class="chart">
                <figcaption>{t.group_breakdown}</figcaption>
                <StackedBar title=t.group_breakdown.to_string() parts=groups.clone()/>
                <Legend parts=groups/>
            </figure>
            <figure class="chart">
                <figcaption>{t.score_distribution}</figcaption>
                <BarChart title=t.score_distribution.to_string() bars/>
                <details>
                    <summary>{t.score_distribution}</summary>
                    <table class="data-table">
                        <thead><tr><th scope="col">{t.score}</th><th scope="col">{t.count}</th></tr></thead>
                        <tbody>
                            {bars_table.into_iter().map(|(s, n, _)| view! { <tr><td>{s}</td><td>{n}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </details>
            </figure>
        </div>
    }
}

/// The NPS per week or month with its margin of error as a band, and the table behind it.
#[component]
fn Trend(trend: Vec<(String, crate::nps::ScoreDistribution)>, weekly: bool) -> impl IntoView {
    let t = use_locale().texts();
    let (title, unit) = if weekly {
        (t.nps_trend_weekly, t.week)
    } else {
        (t.nps_trend, t.month)
    };
    view! {
        <figure class="chart trend-chart" data-testid="trend" data-unit=if weekly { "week" } else { "month" }>
            <figcaption>{title}</figcaption>
            <crate::components::chart::TrendChart title=title.to_string() points=trend.clone()/>
            <details>
                <summary>{title}</summary>
                <table class="data-table">
                    <thead><tr><th scope="col">{unit}</th><th scope="col">{t.responses}</th><th scope="col">{t.nps}</th><th scope="col">{t.margin_of_error}</th></tr></thead>
                    <tbody>
                        {trend.iter().map(|(m, d)| {
                            let s = d.summary();
                            view! { <tr><td>{m.clone()}</td><td>{s.total()}</td><td>{s.nps().map(signed).unwrap_or_default()}</td><td>{s.margin_of_error().map(|e| format!("±{e:.1}")).unwrap_or_default()}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

/// Recognised customers who answered more than once: did their score go up or down?
#[component]
fn RepeatCustomers(movement: crate::nps::Movement) -> impl IntoView {
    let t = use_locale().texts();
    let (first, latest) = movement.nps_first_and_latest();
    let parts = vec![
        (t.declined.to_string(), movement.declined, DETRACTOR_COLOUR),
        (t.unchanged.to_string(), movement.unchanged, PASSIVE_COLOUR),
        (t.improved.to_string(), movement.improved, PROMOTER_COLOUR),
    ];
    let names = [t.detractors, t.passives, t.promoters];
    view! {
        <figure class="chart repeat" data-testid="repeat-customers">
            <figcaption>{t.repeat_customers}</figcaption>
            <p class="hint">{t.repeat_hint}</p>
            <p class="repeat-figures">
                <strong data-testid="repeat-count">{movement.customers}</strong>" "{t.customers_word}" · "
                {format!("{} {} → {} {}", t.first_response, first.map(signed).unwrap_or_else(|| "–".into()), t.latest_response, latest.map(signed).unwrap_or_else(|| "–".into()))}
            </p>
            <StackedBar title=t.repeat_customers.to_string() parts=parts.clone()/>
            <Legend parts/>
            <table class="data-table movement">
                <caption>{format!("{} → {}", t.first_response, t.latest_response)}</caption>
                <thead><tr><th scope="col"></th>{names.iter().map(|n| view! { <th scope="col">{*n}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {(0..3).map(|from| view! {
                        <tr><th scope="row">{names[from]}</th>
                            {(0..3).map(|to| view! { <td>{movement.groups[from][to]}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

#[component]
pub fn VerbatimItem(v: Verbatim) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let channel = v
        .channel
        .as_deref()
        .and_then(Channel::parse)
        .map(|c| c.label(locale))
        .unwrap_or("–");
    let phase = v
        .journey_phase
        .as_deref()
        .and_then(JourneyPhase::parse)
        .map(|p| p.label(locale));
    let language = v
        .language
        .clone()
        .unwrap_or_else(|| t.undetermined.to_string());
    let survey = v.survey_title(locale).to_string();
    view! {
        <li class="verbatim">
            <ScoreBadge score=v.score rating=v.rating locale=locale/>
            <div class="verbatim-body">
                <p class="verbatim-text">{v.reason.unwrap_or_else(|| t.no_text.to_string())}</p>
                {(!v.themes.is_empty()).then(|| view! {
                    <ul class="theme-tags" aria-label=t.themes>
                        {v.themes.into_iter().map(|tag| {
                            let mood = tag.sentiment.clone().unwrap_or_default();
                            let label = match mood.as_str() {
                                "positive" => format!("{} (+)", tag.name),
                                "negative" => format!("{} (−)", tag.name),
                                _ => tag.name.clone(),
                            };
                            view! { <li data-theme=tag.key data-sentiment=mood>{label}</li> }
                        }).collect_view()}
                    </ul>
                })}
                <p class="verbatim-meta">
                    <span title=t.survey>{survey}</span>
                    <span title=t.channel>{channel}</span>
                    {phase.map(|p| view! { <span title=t.journey_phase>{p}</span> })}
                    <span title=t.detected_language class="lang-tag">{language}</span>
                    <time datetime=format_date(v.created_at)>{format_date(v.created_at)}</time>
                    <a href=format!("/responses/{}", v.id)>{t.details}</a>
                </p>
            </div>
        </li>
    }
}

/// The filters of the dashboard: a GET form, so the view lives in the URL.
#[component]
fn DashboardFilters(
    surveys: Vec<(String, String)>,
    themes: Vec<(String, String)>,
) -> impl IntoView {
    let t = use_locale().texts();
    view! {
        <form method="get" action="/dashboard" class="filters" aria-label=t.filters>
            <crate::components::filters::FilterFields prefix="dash" surveys themes/>
            <div class="filter filter-actions">
                <button type="submit" class="primary">{t.apply_filters}</button>
                <a href="/dashboard">{t.clear_filters}</a>
            </div>
        </form>
    }
}

/// NPS per channel, journey phase, survey and language: a bar per group (NPS from −100 to +100,
/// with its margin of error), each a link to the responses behind it.
#[component]
fn Breakdowns(breakdowns: Vec<crate::model::Breakdown>, query: String) -> impl IntoView {
    use crate::model::Dimension;
    let locale = use_locale();
    let t = locale.texts();
    view! {
        <div class="breakdowns">
            {breakdowns.into_iter().filter(|b| !b.rows.is_empty()).map(|b| {
                let title = match b.dimension {
                    Dimension::Channel => t.by_channel,
                    Dimension::JourneyPhase => t.by_phase,
                    Dimension::Survey => t.by_survey,
                    Dimension::Language => t.by_language,
                };
                let param = b.dimension.param();
                view! {
                    <figure class="chart breakdown" data-dimension=param>
                        <figcaption>{title}</figcaption>
                        <table class="data-table breakdown-table">
                            <thead><tr>
                                <th scope="col">{title}</th>
                                <th scope="col">{t.responses}</th>
                                <th scope="col">{t.nps}</th>
                                <th scope="col"><span class="visually-hidden">{t.nps}</span></th>
                            </tr></thead>
                            <tbody>
                                {b.rows.into_iter().map(|(key, label, d)| {
                                    let s = d.summary();
                                    let nps = s.nps();
                                    let moe = s.margin_of_error();
                                    let href = if query.is_empty() {
                                        format!("/responses?{param}={}", crate::url::percent_encode(&key))
                                    } else {
                                        format!("/responses?{query}&{param}={}", crate::url::percent_encode(&key))
                                    };
                                    // The bar runs from the middle (0) to the NPS, on a −100…+100 axis.
                                    let value = nps.unwrap_or(0.0);
                                    let (x, w) = if value >= 0.0 { (50.0, value / 2.0) } else { (50.0 + value / 2.0, -value / 2.0) };
                                    let colour = if value >= 0.0 { crate::components::chart::PROMOTER_COLOUR } else { crate::components::chart::DETRACTOR_COLOUR };
                                    view! {
                                        <tr data-key=key.clone()>
                                            <th scope="row"><a href=href>{label}</a></th>
                                            <td>{s.total()}</td>
                                            <td class="nps-cell">{nps.map(signed).unwrap_or_else(|| "–".into())}
                                                {moe.map(|m| view! { <span class="hint">{format!(" ±{m:.0}")}</span> })}</td>
                                            <td class="bar-cell">
                                                <svg class="nps-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img"
                                                    aria-label=format!("{} {}", t.nps, nps.map(signed).unwrap_or_default())>
                                                    <line x1="50" y1="0" x2="50" y2="10" class="axis"/>
                                                    <rect x=format!("{x:.1}") y="2" width=format!("{w:.1}") height="6" fill=colour/>
                                                </svg>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </figure>
                }
            }).collect_view()}
        </div>
    }
}

/// Theme drivers: for each theme its volume, NPS, impact on the overall NPS and share of negative
/// mentions; the biggest drag first, each a link to its responses.
#[component]
fn Drivers(drivers: Vec<crate::model::ThemeDriver>, query: String) -> impl IntoView {
    let t = use_locale().texts();
    let max = drivers
        .iter()
        .filter_map(|d| d.impact)
        .map(f64::abs)
        .fold(1.0, f64::max);
    view! {
        <figure class="chart drivers" data-testid="drivers">
            <figcaption>{t.theme_drivers}</figcaption>
            <p class="hint">{t.theme_drivers_hint}" "{t.negative_mentions_hint}</p>
            <table class="data-table breakdown-table">
                <thead><tr>
                    <th scope="col">{t.theme}</th>
                    <th scope="col">{t.responses}</th>
                    <th scope="col">{t.detractors}</th>
                    <th scope="col">{t.nps}</th>
                    <th scope="col">{t.impact}</th>
                    <th scope="col">{t.negative_mentions}</th>
                    <th scope="col">{t.mentions_per_month}</th>
                    <th scope="col"><span class="visually-hidden">{t.nav_actions}</span></th>
                </tr></thead>
                <tbody>
                    {drivers.into_iter().map(|d| {
                        let href = if query.is_empty() {
                            format!("/responses?theme={}", d.key)
                        } else {
                            format!("/responses?{query}&theme={}", d.key)
                        };
                        let impact = d.impact.unwrap_or(0.0);
                        let width = impact.abs() / max * 50.0;
                        let (x, colour) = if impact >= 0.0 { (50.0, crate::components::chart::PROMOTER_COLOUR) } else { (50.0 - width, crate::components::chart::DETRACTOR_COLOUR) };
                        view! {
                            <tr data-theme=d.key.clone()>
                                <th scope="row"><a href=href.clone()>{d.name.clone()}</a></th>
                                <td>{d.count}
                                    {(d.unscored > 0).then(|| view! {
                                        <span class="hint" data-testid="theme-unscored">{format!(" ({})", fill(t.of_which_unscored, &[("n", &d.unscored)]))}</span>
                                    })}
                                </td>
                                <td>{d.detractors}</td>
                                <td class="nps-cell">{d.nps.map(signed).unwrap_or_else(|| "–".into())}</td>
                                <td class="bar-cell">
                                    <a href=href class="bar-link" data-testid="theme-bar" aria-label=format!("{} {}", t.impact, d.name)>
                                        <svg class="nps-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                            <line x1="50" y1="0" x2="50" y2="10" class="axis"/>
                                            <rect x=format!("{x:.1}") y="2" width=format!("{width:.1}") height="6" fill=colour/>
                                        </svg>
                                    </a>
                                    <span>{d.impact.map(|i| format!("{i:+.1}")).unwrap_or_else(|| "–".into())}</span>
                                </td>
                                // The share of the confidently tagged mentions, and how many that is.
                                <td data-testid="theme-negative">{d.negative.map(|n| format!("{:.0}%", n * 100.0)).unwrap_or_else(|| "–".into())}
                                    <span class="hint">{format!(" ({})", fill(t.negative_basis, &[("n", &d.rated)]))}</span>
                                </td>
                                <td><crate::components::chart::Sparkline title=format!("{}: {}", t.mentions_per_month, d.name) values=d.monthly.clone()/></td>
                                <td><a href=format!("/actions?theme={}#new", d.key) data-testid="theme-action" aria-label=format!("{}: {}", t.action_new, d.name)>{t.action_from_theme}</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </figure>
    }
}

/// "Je zei, wij deden" on the dashboard: whether the customers told about done actions scored
/// higher when they answered again.
#[component]
fn ToldCustomersPanel() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| get_told_customers());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(told)) if told.told > 0 => view! {
                        <section class="panel" data-testid="told-panel">
                            <crate::features::actions::detail::ToldView told/>
                            <p><a href="/actions">{t.nav_actions}</a></p>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
