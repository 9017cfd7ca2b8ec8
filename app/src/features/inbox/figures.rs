//! How departments follow up their detractors: share contacted, median and 90th-percentile time
//! to first contact (the industry rule: within 48 hours), and the recovery rate — contacted
//! customers whose next score is higher. On the inbox (the viewer's departments) and the
//! dashboard (all).

use super::server::get_follow_up;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::inbox::FollowUp;
use leptos::prelude::*;

#[component]
pub fn FollowUpFigures() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| get_follow_up(Some(90)));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(rows) if !rows.is_empty() => view! { <FollowUpTable rows/> }.into_any(),
                    Ok(_) => view! { <section class="panel"><h2>{t.follow_up_title}</h2><p>{t.follow_up_none}</p></section> }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Suspense>
    }
}

fn hours(h: Option<f64>, unit: &str) -> String {
    h.map(|h| fill(unit, &[("hours", &format!("{h:.1}"))]))
        .unwrap_or_else(|| "–".into())
}

fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.0}%")).unwrap_or_else(|| "–".into())
}

#[component]
fn FollowUpTable(rows: Vec<FollowUp>) -> impl IntoView {
    let t = use_locale().texts();
    view! {
        <section class="panel" data-testid="follow-up">
            <h2>{t.follow_up_title}</h2>
            <p class="hint">{t.follow_up_hint}</p>
            <table class="data-table">
                <thead><tr>
                    <th scope="col">{t.inbox_department}</th>
                    <th scope="col" class="num">{t.follow_up_cases}</th>
                    <th scope="col" class="num">{t.follow_up_contacted}</th>
                    <th scope="col" class="num">{t.follow_up_in_time}</th>
                    <th scope="col" class="num">{t.follow_up_median}</th>
                    <th scope="col" class="num">{t.follow_up_p90}</th>
                    <th scope="col" class="num">{t.follow_up_recovery}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let total = r.department.is_empty();
                        view! {
                            <tr class:total=total data-department=r.department.clone()>
                                <th scope="row">{if total { t.follow_up_all.to_string() } else { r.department.clone() }}</th>
                                <td class="num">{r.cases}</td>
                                <td class="num">{percent(r.contacted_share())}</td>
                                <td class="num">{r.in_time}" / "{r.contacted}</td>
                                <td class="num">{hours(r.median_hours, t.follow_up_hours)}</td>
                                <td class="num">{hours(r.p90_hours, t.follow_up_hours)}</td>
                                <td class="num" title=fill(t.follow_up_recovery_of, &[("n", &r.answered_again)])>{percent(r.recovery_rate())}" (n="{r.answered_again}")"</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
