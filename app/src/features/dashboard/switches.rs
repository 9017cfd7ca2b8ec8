//! Channel switches on the dashboard: customers who came back on another channel within a
//! chosen window (a week by default; web → phone: the online channel failed them), the NPS after a switch against
//! recognised customers' other answers, and the themes of the contact before the switch.

use super::server::get_channel_switches;
use crate::i18n::{fill, LocaleTexts};
use crate::labels::Label;
use crate::survey::Channel;
use crate::use_locale;
use domain::switches::SwitchReport;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The windows a manager can choose (`?switch=days`).
const WINDOWS: [i64; 5] = [1, 3, 7, 14, 30];

#[component]
pub fn ChannelSwitches() -> impl IntoView {
    let query = use_query_map();
    let window = move || {
        query
            .with(|q| q.get("switch"))
            .and_then(|d| d.parse::<i64>().ok())
            .filter(|d| WINDOWS.contains(d))
            .unwrap_or(7)
    };
    let data = Resource::new(window, |days| get_channel_switches(Some(days)));
    // Links that keep the dashboard's filter and change only the window: they work without
    // JavaScript too.
    let link = move |days: i64| {
        let mut q = query.get_untracked();
        q.replace("switch", days.to_string());
        format!("/dashboard{}#channel-switches", q.to_query_string())
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some((report, names))) => {
                        let current = report.window_days;
                        let choices = WINDOWS.map(|d| (d, link(d), d == current)).to_vec();
                        view! { <SwitchesView report names choices/> }.into_any()
                    }
                    // Department members see their scoped dashboard without this section.
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SwitchesView(
    report: SwitchReport,
    names: Vec<(String, String)>,
    /// (days, link, chosen)
    choices: Vec<(i64, String, bool)>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let channel = move |c: &str| {
        Channel::parse(c).map_or_else(|| c.to_string(), |c| c.label(locale).to_string())
    };
    let max = report.flows.first().map_or(1, |f| f.count).max(1) as f64;
    let nps = |d: &domain::nps::ScoreDistribution| {
        d.summary()
            .nps()
            .map(|n| format!("{n:+.0}"))
            .unwrap_or_else(|| "–".into())
    };
    let name = move |k: &str| {
        names
            .iter()
            .find(|n| n.0 == k)
            .map_or_else(|| k.to_string(), |n| n.1.clone())
    };
    view! {
        <section class="panel" id="channel-switches" data-testid="channel-switches">
            <h2>{t.switches_title}</h2>
            <p class="hint">{fill(t.switches_hint, &[("days", &report.window_days)])}</p>
            <nav class="links-row" aria-label=t.switches_window>
                {t.switches_window}": "
                {choices.into_iter().map(|(days, href, chosen)| view! {
                    <a href=href aria-current=chosen.then_some("true") data-days=days.to_string()>
                        {fill(t.switches_days, &[("days", &days)])}
                    </a>
                }).collect_view()}
            </nav>
            {report.flows.is_empty().then(|| view! { <p>{t.switches_none}</p> })}
            {(!report.flows.is_empty()).then(|| view! {
                <table class="data-table flows">
                    <thead><tr><th scope="col">{t.switches_flow}</th><th scope="col" class="num">{t.switches_customers}</th><th scope="col"></th></tr></thead>
                    <tbody>
                        {report.flows.iter().take(10).map(|f| {
                            let width = f.count as f64 / max * 100.0;
                            view! {
                                <tr data-flow=format!("{}-{}", f.from, f.to)>
                                    <th scope="row">{channel(&f.from)}" → "{channel(&f.to)}</th>
                                    <td class="num">{f.count}</td>
                                    <td class="bar-cell"><svg class="nps-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                        <rect x="0" y="2" width=format!("{width:.1}") height="6" fill=crate::components::chart::DETRACTOR_COLOUR/>
                                    </svg></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <p data-testid="switch-nps">{fill(t.switches_nps, &[
                    ("after", &nps(&report.after_switch)),
                    ("n_after", &report.after_switch.total()),
                    ("others", &nps(&report.others)),
                    ("n_others", &report.others.total()),
                ])}</p>
                {(!report.drivers.is_empty()).then(|| view! {
                    <h3>{t.switches_drivers}</h3>
                    <ul>
                        {report.drivers.iter().map(|(key, before, all)| view! {
                            <li>{name(key)}": "{fill(t.switches_driver_share, &[("before", &format!("{before:.0}")), ("all", &format!("{all:.0}"))])}</li>
                        }).collect_view()}
                    </ul>
                })}
            })}
        </section>
    }
}
