//! The dashboard overview for a filter: every figure the page shows, read from the store.
//! Used by the page's server function and by the dashboard benchmark.

use crate::error::StoreError;
use crate::state::{now_unix, AppState};
use domain::locale::Locale;
use domain::model::{
    Breakdown, DashboardData, Dimension, GroupScores, Grouping, PeriodComparison, ResponseFilter,
    ThemeDriver,
};
use domain::nps::{Movement, ScoreDistribution};

/// The interface's words for the values a breakdown lists (channels, journey phases, the
/// undetermined language): the use case knows codes, the interface knows what people read.
pub trait Wording: Sync {
    /// The name of `key` in `dimension`; `None` when the key means nothing (shown as "–").
    fn value(&self, dimension: Dimension, key: &str) -> Option<String>;
}

const DAY: i64 = 86_400;

/// Date ranges up to this many days show a weekly trend; longer ones (and no range) monthly.
pub const WEEKLY_UP_TO_DAYS: i64 = 183;

/// The period a comparison looks at: the filter's dates, else the last 30 whole days (today
/// included), and whether it is the filter's.
pub fn comparison_period(filter: &ResponseFilter, now: i64) -> (i64, i64, bool) {
    match (filter.from, filter.to) {
        (Some(f), Some(t)) if t > f => (f, t, true),
        _ => {
            let tomorrow = (now.div_euclid(DAY) + 1) * DAY;
            (tomorrow - 30 * DAY, tomorrow, false)
        }
    }
}

/// Whether the trend of `filter` is per week.
pub fn weekly(filter: &ResponseFilter) -> bool {
    matches!((filter.from, filter.to), (Some(f), Some(t)) if t - f <= WEEKLY_UP_TO_DAYS * DAY)
}

/// The total and the breakdowns in [`Dimension::ALL`] order from [`Grouping::Dimensions`]
/// groups (`slug|channel|phase|language`).
pub fn split_dimensions(groups: &[GroupScores]) -> (Vec<GroupScores>, [Vec<GroupScores>; 4]) {
    use std::collections::BTreeMap;
    let mut total = GroupScores::default();
    let mut parts: [BTreeMap<String, GroupScores>; 4] = Default::default();
    for g in groups {
        total.add(g);
        let keys: Vec<&str> = g.key.splitn(4, '|').collect();
        let [survey, channel, phase, language] =
            [0, 1, 2, 3].map(|i| keys.get(i).copied().unwrap_or(""));
        // In Dimension::ALL order: channel, journey phase, survey, language.
        for (part, key) in parts.iter_mut().zip([channel, phase, survey, language]) {
            let entry = part.entry(key.to_string()).or_insert_with(|| GroupScores {
                key: key.to_string(),
                ..Default::default()
            });
            entry.add(g);
        }
    }
    let total = if groups.is_empty() {
        Vec::new()
    } else {
        vec![total]
    };
    (total, parts.map(|p| p.into_values().collect()))
}

/// Whether the filter fixes this dimension (then it is not broken down).
fn fixed(filter: &ResponseFilter, d: Dimension) -> bool {
    match d {
        Dimension::Channel => filter.channel.is_some(),
        Dimension::JourneyPhase => filter.journey_phase.is_some(),
        Dimension::Survey => filter.survey.is_some(),
        Dimension::Language => filter.language.is_some(),
    }
}

fn first_scores(groups: &[GroupScores]) -> ScoreDistribution {
    groups.first().map(|g| g.scores).unwrap_or_default()
}

/// Everything the dashboard shows for `filter`.
pub async fn overview(
    state: &AppState,
    filter: &ResponseFilter,
    ignored: Vec<String>,
    locale: Locale,
    words: &dyn Wording,
) -> Result<DashboardData, StoreError> {
    let store = &state.store;
    let weekly = weekly(filter);
    let (from, to, chosen) = comparison_period(filter, now_unix());
    let span = to - from;
    let period = |from: i64, to: i64| ResponseFilter {
        from: Some(from),
        to: Some(to),
        ..filter.clone()
    };
    // Themes that co-occur with a filtered theme are not drivers of anything.
    let themes_wanted = filter.theme.is_none();
    let (this_period, period_before) = (period(from, to), period(from - span, from));
    let ((total, by_dimension), surveys, listed, trend, now_d, before_d) = tokio::try_join!(
        async {
            if themes_wanted {
                // One read of every combination gives the total and all four breakdowns.
                let groups = store.scores(filter, Grouping::Dimensions).await?;
                Ok(split_dimensions(&groups))
            } else {
                // The theme rollup holds one dimension at a time: a read per breakdown.
                let by = |d: Dimension| async move {
                    if fixed(filter, d) {
                        Ok(Vec::new())
                    } else {
                        store.scores(filter, Grouping::By(d)).await
                    }
                };
                let [a, b, c, d] = Dimension::ALL;
                tokio::try_join!(
                    store.scores(filter, Grouping::Total),
                    by(a),
                    by(b),
                    by(c),
                    by(d)
                )
                .map(|(total, a, b, c, d)| (total, [a, b, c, d]))
            }
        },
        store.list_surveys(),
        store.list_responses(filter, 60),
        store.scores(
            filter,
            if weekly {
                Grouping::Week
            } else {
                Grouping::Month
            }
        ),
        async {
            // The chosen period is the filter itself.
            if chosen {
                Ok(Vec::new())
            } else {
                store.scores(&this_period, Grouping::Total).await
            }
        },
        store.scores(&period_before, Grouping::Total),
    )?;
    let now_d = if chosen { total.clone() } else { now_d };
    // Themes and returning customers answer for the whole filter, not for one theme: with a
    // theme filter the page is about that theme.
    let (theme_months, repeat) = tokio::try_join!(
        async {
            if themes_wanted {
                store.scores(filter, Grouping::ThemeMonth).await
            } else {
                Ok(Vec::new())
            }
        },
        async {
            if themes_wanted {
                store.customer_movement(filter).await
            } else {
                Ok(Vec::new())
            }
        },
    )?;
    let all = total.first().cloned().unwrap_or_default();
    let distribution = all.scores;

    let comparison = {
        let (a, b) = (
            first_scores(&now_d).summary(),
            first_scores(&before_d).summary(),
        );
        match (a.compare(&b), a.nps(), b.nps()) {
            (Some(change), Some(now), Some(before)) => Some(PeriodComparison {
                days: (span + DAY / 2) / DAY,
                chosen,
                now,
                before,
                change,
            }),
            _ => None,
        }
    };

    let mut breakdowns = Vec::new();
    for (dimension, rows) in Dimension::ALL.into_iter().zip(by_dimension) {
        if fixed(filter, dimension) {
            continue;
        }
        let label = |key: &str| -> String {
            match dimension {
                Dimension::Survey => surveys
                    .iter()
                    .find(|s| s.slug == key)
                    .map(|s| s.title(locale).to_string())
                    .unwrap_or_else(|| key.to_string()),
                Dimension::Language if key != "und" => key.to_uppercase(),
                _ => words.value(dimension, key).unwrap_or_else(|| "–".into()),
            }
        };
        breakdowns.push(Breakdown {
            dimension,
            rows: rows
                .into_iter()
                .map(|g| (g.key.clone(), label(&g.key), g.scores))
                .collect(),
        });
    }

    let mut verbatims: Vec<_> = listed
        .into_iter()
        .filter(|v| v.reason.is_some())
        .take(25)
        .collect();
    // Staff see verbatims with personal data masked, even where the raw text was kept.
    for v in &mut verbatims {
        crate::responses::for_staff(&*state.analyzer, v, locale);
    }

    let taxonomy = state.analyzer.taxonomy().1;
    let drivers = drivers(&theme_months, &distribution, |key| {
        taxonomy
            .theme(key)
            .map(|t| t.name(locale).to_string())
            .unwrap_or_else(|| key.to_string())
    });

    let movement = Movement::from_counts(repeat);

    Ok(DashboardData {
        distribution,
        unscored: all.unscored,
        verbatims,
        breakdowns,
        query: filter.to_query(),
        surveys: surveys
            .iter()
            .filter(|s| !s.archived)
            .map(|s| (s.slug.clone(), s.title(locale).to_string()))
            .collect(),
        themes: taxonomy
            .themes
            .iter()
            .map(|t| (t.key.clone(), t.name(locale).to_string()))
            .collect(),
        ignored,
        trend: trend.into_iter().map(|g| (g.key, g.scores)).collect(),
        comparison,
        drivers,
        weekly,
        csat: all.csat,
        ces: all.ces,
        movement,
        generated_at: now_unix(),
    })
}

/// Theme drivers from per-theme-and-month scores (`theme|YYYY-MM` keys): the biggest drag on
/// the NPS first.
pub fn drivers(
    theme_months: &[GroupScores],
    all: &ScoreDistribution,
    name: impl Fn(&str) -> String,
) -> Vec<ThemeDriver> {
    let mut months: Vec<&str> = theme_months
        .iter()
        .filter_map(|g| g.key.split_once('|').map(|(_, m)| m))
        .collect();
    months.sort_unstable();
    months.dedup();
    let mut drivers: Vec<(ThemeDriver, GroupScores)> = Vec::new();
    for g in theme_months {
        let Some((key, month)) = g.key.split_once('|') else {
            continue;
        };
        let at = months.binary_search(&month).unwrap_or(0);
        let entry = match drivers.iter().position(|(d, _)| d.key == key) {
            Some(i) => &mut drivers[i],
            None => {
                drivers.push((
                    ThemeDriver {
                        key: key.to_string(),
                        name: name(key),
                        count: 0,
                        unscored: 0,
                        detractors: 0,
                        nps: None,
                        impact: None,
                        negative: None,
                        rated: 0,
                        monthly: vec![0; months.len()],
                    },
                    GroupScores::default(),
                ));
                drivers.last_mut().expect("just pushed")
            }
        };
        entry.1.add(g);
        entry.0.monthly[at] += g.responses();
    }
    let mut out: Vec<ThemeDriver> = drivers
        .into_iter()
        .map(|(mut d, sum)| {
            let driver = domain::nps::driver(all, &sum.scores);
            d.count = sum.responses();
            d.unscored = sum.unscored;
            d.detractors = sum.scores.summary().detractors;
            d.nps = driver.nps;
            d.impact = driver.impact;
            // Only confident tags count: the share says what it rests on.
            d.rated = sum.rated;
            d.negative = (sum.rated > 0).then(|| sum.negative as f64 / sum.rated as f64);
            d
        })
        .collect();
    out.sort_by(|a, b| {
        a.impact
            .unwrap_or(0.0)
            .total_cmp(&b.impact.unwrap_or(0.0))
            .then(b.count.cmp(&a.count))
    });
    out
}

/// Channel switches of recognised customers over the last `days`: who came back on another
/// channel within `window_days`, the NPS after a switch and the themes before it.
pub async fn channel_switches(
    state: &crate::state::AppState,
    days: i64,
    window_days: i64,
) -> Result<domain::switches::SwitchReport, StoreError> {
    let now = crate::state::now_unix();
    let (contacts, themes) = state
        .store
        .customer_contacts(now - days.clamp(1, 730) * 86_400, now + 1)
        .await?;
    let mut by_response: std::collections::HashMap<i64, Vec<String>> =
        std::collections::HashMap::new();
    for (id, key) in themes {
        by_response.entry(id).or_default().push(key);
    }
    let themes_of = |id: i64| by_response.get(&id).cloned().unwrap_or_default();
    Ok(domain::switches::switches(
        &contacts,
        &themes_of,
        window_days,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::nps::NpsScore;

    fn scores(pairs: &[(i64, u64)]) -> ScoreDistribution {
        let mut d = ScoreDistribution::default();
        for (s, n) in pairs {
            d.add(NpsScore::new(*s).unwrap(), *n);
        }
        d
    }

    #[test]
    fn drivers_sum_a_theme_over_its_months_and_sort_by_impact() {
        let all = scores(&[(10, 5), (8, 2), (2, 3)]);
        let g = |key: &str, d: ScoreDistribution, negative: u64| GroupScores {
            key: key.into(),
            rated: d.total(),
            scores: d,
            negative,
            ..Default::default()
        };
        let months = vec![
            g("price|2026-10", scores(&[(2, 2)]), 2),
            g("price|2026-11", scores(&[(10, 1), (2, 1)]), 1),
            g("staff|2026-11", scores(&[(10, 2)]), 0),
        ];
        let d = drivers(&months, &all, |k| k.to_uppercase());
        assert_eq!(d[0].key, "price");
        assert_eq!(d[0].name, "PRICE");
        assert_eq!(d[0].count, 4);
        assert_eq!(d[0].detractors, 3);
        assert_eq!(d[0].nps, Some(-50.0));
        assert_eq!(d[0].monthly, vec![2, 2]);
        assert!((d[0].negative.unwrap() - 0.75).abs() < 1e-9);
        assert_eq!(d[0].rated, 4);
        assert_eq!(d[1].key, "staff");
        assert_eq!(d[1].monthly, vec![0, 2]);
        assert!(d[1].impact.unwrap() > 0.0);
    }

    #[test]
    fn one_read_of_every_combination_splits_into_total_and_breakdowns() {
        let g = |key: &str, d: ScoreDistribution| GroupScores {
            key: key.into(),
            scores: d,
            ..Default::default()
        };
        let groups = vec![
            g("shop|web|purchase|nl", scores(&[(10, 2)])),
            g("shop|app|purchase|en", scores(&[(3, 1)])),
            g("care|web|service|nl", scores(&[(8, 1), (1, 1)])),
        ];
        let (total, [channel, phase, survey, language]) = split_dimensions(&groups);
        assert_eq!(total[0].scores.total(), 5);
        let keys = |v: &[GroupScores]| {
            v.iter()
                .map(|g| (g.key.clone(), g.scores.total()))
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(&channel), [("app".into(), 1), ("web".into(), 4)]);
        assert_eq!(
            keys(&phase),
            [("purchase".into(), 3), ("service".into(), 2)]
        );
        assert_eq!(keys(&survey), [("care".into(), 2), ("shop".into(), 3)]);
        assert_eq!(keys(&language), [("en".into(), 1), ("nl".into(), 4)]);
        assert!(split_dimensions(&[]).0.is_empty());
    }

    #[test]
    fn comparisons_use_whole_days_and_short_ranges_trend_by_week() {
        let now = 20_417 * DAY + 3_600;
        let (from, to, chosen) = comparison_period(&ResponseFilter::default(), now);
        assert_eq!((from, to, chosen), (20_388 * DAY, 20_418 * DAY, false));
        let range = ResponseFilter {
            from: Some(20_000 * DAY),
            to: Some(20_090 * DAY),
            ..Default::default()
        };
        assert!(weekly(&range));
        assert!(!weekly(&ResponseFilter::default()));
        assert_eq!(
            comparison_period(&range, now),
            (20_000 * DAY, 20_090 * DAY, true)
        );
    }
}
