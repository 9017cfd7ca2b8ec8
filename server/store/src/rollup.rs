//! Rollups: score counts per day, week, month and year, kept up to date in the same transaction
//! as every write, so the dashboard sums a few thousand rows instead of scanning every response.
//!
//! Two tables (see migrations 11, 13 and 14):
//! - `score_rollup`: per grain (`d`ay, `w`eek-in-month, `m`onth or `y`ear), period (the day
//!   number of the day, of the first day of the part of an ISO week inside one month, of the
//!   month's first day or of 1 January), survey, channel, journey phase, language and score:
//!   the number of responses and the sums and counts of their CSAT and CES answers. Any
//!   combination of those filters, a score group and whole-day dates is answered from it.
//! - `theme_rollup`: per grain, period, theme and *one* dimension (`''` for none, `survey`,
//!   `channel`, `phase`, `language`) with its value, and score: responses, negative mentions,
//!   and the CSAT and CES sums and counts.
//!   It answers the theme drivers under any single filter, and a theme filter with at most one
//!   more dimension.
//!
//! A date range is read from whole years (score rollup, figures without a time axis) and whole
//! months where it covers them, then whole week-in-month segments, and days at its edges; the
//! theme rollup is read with one `UNION ALL` arm per grain and range, so its indexes seek each
//! range (an `OR` of ranges walks every row of the theme). `customer_journeys` (migration 12)
//! keeps each recognised customer's first score and latest response for the returning-customers
//! figures.
//! Changes to a response subtract its old contribution and add its new one ([`adjust_sql`]);
//! counts that drop to zero stay as zero rows, which every query skips.

use crate::{Bind, Dialect};
use domain::model::{
    civil, day_number, month_key, month_start, next_month_start, week_start, Dimension,
};
use domain::model::{GroupScores, Grouping, ResponseFilter};
use domain::nps::NpsScore;
use std::collections::BTreeMap;

/// The language key of a response: its detected language, `und` for a text whose language was
/// not determined, `''` without a text.
const LANGUAGE_KEY: &str =
    "COALESCE(r.language, CASE WHEN r.reason IS NULL THEN '' ELSE 'und' END)";

/// A response's score as the rollups keep it: -1 for feedback without a score.
pub(crate) const SCORE_KEY: &str = "COALESCE(r.score, -1)";

/// The CSAT sum and count of the responses `r` joined with [`answers_join`] as `x`: the answers
/// to CSAT questions and the star ratings that came with feedback. CES: the CES answers.
pub(crate) const CSAT_SUM: &str = "(COALESCE(SUM(x.cs), 0) + COALESCE(SUM(r.rating), 0))";
pub(crate) const CSAT_N: &str = "(COALESCE(SUM(x.cn), 0) + COUNT(r.rating))";
pub(crate) const CES_SUM: &str = "COALESCE(SUM(x.es), 0)";
pub(crate) const CES_N: &str = "COALESCE(SUM(x.en), 0)";

/// The condition that keeps one score group ("promoter", "passive", "detractor") of the
/// scores in `column`; `None` for no group.
pub(crate) fn score_group_condition(group: Option<&str>, column: &str) -> Option<String> {
    match group {
        Some("promoter") => Some(format!("{column} >= 9")),
        Some("passive") => Some(format!("{column} BETWEEN 7 AND 8")),
        // The rollups keep feedback without a score under -1.
        Some("detractor") => Some(format!("{column} BETWEEN 0 AND 6")),
        Some("none") => Some(format!("COALESCE({column}, -1) = -1")),
        _ => None,
    }
}

/// A join that adds to each response `r` the sum and count of its CSAT answers (`x.cs`, `x.cn`)
/// and of its CES answers (`x.es`, `x.en`); `answers` narrows which answers are read.
pub(crate) fn answers_join(answers: &str) -> String {
    format!(
        "LEFT JOIN (SELECT a.response_id, \
           SUM(CASE WHEN q.kind = 'csat' THEN a.value ELSE 0 END) AS cs, \
           SUM(CASE WHEN q.kind = 'csat' THEN 1 ELSE 0 END) AS cn, \
           SUM(CASE WHEN q.kind = 'ces' THEN a.value ELSE 0 END) AS es, \
           SUM(CASE WHEN q.kind = 'ces' THEN 1 ELSE 0 END) AS en \
           FROM answers a JOIN questions q ON q.id = a.question_id \
           WHERE a.value IS NOT NULL AND q.kind IN ('csat', 'ces') AND {answers} GROUP BY a.response_id) x \
         ON x.response_id = r.id"
    )
}

/// The day number of the first day of the response's month (`unit` "month") or year ("year").
fn start_of_expr(dialect: Dialect, unit: &str) -> String {
    if dialect == Dialect::Postgres {
        format!("CAST(EXTRACT(EPOCH FROM date_trunc('{unit}', to_timestamp(r.created_at) AT TIME ZONE 'UTC')) AS BIGINT) / 86400")
    } else {
        format!(
            "CAST(strftime('%s', r.created_at, 'unixepoch', 'start of {unit}') AS INTEGER) / 86400"
        )
    }
}

/// The condition that a theme tag `t` counts in sentiment figures: confident enough
/// (`domain::labels::CONFIDENT`).
pub(crate) fn confident_tag() -> String {
    format!(
        "t.sentiment IS NOT NULL AND t.sentiment_confidence >= {}",
        domain::labels::CONFIDENT
    )
}

/// Confident negative mentions and confident mentions of the tags `t` grouped (SQL sums).
pub(crate) fn sentiment_sums() -> [String; 2] {
    let confident = confident_tag();
    [
        format!("SUM(CASE WHEN {confident} AND t.sentiment = 'negative' THEN 1 ELSE 0 END)"),
        format!("SUM(CASE WHEN {confident} THEN 1 ELSE 0 END)"),
    ]
}

/// Statements that add (`sign` 1) or subtract (`sign` -1) the contribution of the responses
/// whose ids are bound as `$1…$ids` (or of every response when `ids` is 0) to both rollups.
pub(crate) fn adjust_sql(dialect: Dialect, ids: usize, sign: i64) -> [String; 2] {
    let list = |column: &str| {
        if ids == 0 {
            "1 = 1".to_string()
        } else {
            format!("{column} IN ({})", crate::numbered(dialect, 1, ids))
        }
    };
    // A 'w' row covers the part of an ISO week inside one month: it starts on the later of the
    // week's Monday and the month's first day (1970-01-01 was a Thursday).
    let day = "(r.created_at / 86400)";
    let (month, year) = (
        start_of_expr(dialect, "month"),
        start_of_expr(dialect, "year"),
    );
    let week = format!("({day} - ({day} + 3) % 7)");
    let period = format!(
        "CASE WHEN g.grain = 'd' THEN {day} WHEN g.grain = 'm' THEN {month} \
         WHEN g.grain = 'y' THEN {year} WHEN {week} > {month} THEN {week} ELSE {month} END"
    );
    let grain_rows = |list: &[Grain]| {
        let rows: Vec<String> = list
            .iter()
            .map(|g| format!("SELECT '{}' AS grain", g.column()))
            .collect();
        format!("({}) g", rows.join(" UNION ALL "))
    };
    // Year rows only in the score rollup: the theme rollup is read by month for the drivers.
    let score_grains = grain_rows(&[Grain::Day, Grain::Week, Grain::Month, Grain::Year]);
    let grains = grain_rows(&[Grain::Day, Grain::Week, Grain::Month]);
    let answers = answers_join(&list("a.response_id"));
    let sums =
        format!("{sign} * {CSAT_SUM}, {sign} * {CSAT_N}, {sign} * {CES_SUM}, {sign} * {CES_N}");
    let scores = format!(
        "INSERT INTO score_rollup (grain, period, survey_id, channel, journey_phase, language, score, \
         n, csat_sum, csat_n, ces_sum, ces_n) \
         SELECT g.grain, {period}, r.survey_id, COALESCE(r.channel, ''), COALESCE(r.journey_phase, ''), \
         {LANGUAGE_KEY}, {SCORE_KEY}, {sign} * COUNT(*), {sums} \
         FROM responses r CROSS JOIN {score_grains} {answers} \
         WHERE {} GROUP BY 1, 2, 3, 4, 5, 6, 7 \
         ON CONFLICT (grain, period, survey_id, channel, journey_phase, language, score) DO UPDATE SET \
         n = score_rollup.n + excluded.n, {}",
        list("r.id"),
        add_sums("score_rollup"),
    );
    let [negative, rated] = sentiment_sums();
    let themes = format!(
        "INSERT INTO theme_rollup (grain, period, theme_key, dim, dim_key, score, n, negative, \
         sentiment_n, csat_sum, csat_n, ces_sum, ces_n) \
         SELECT g.grain, {period}, t.theme_key, d.dim, \
         CASE d.dim WHEN 'survey' THEN CAST(r.survey_id AS TEXT) WHEN 'channel' THEN COALESCE(r.channel, '') \
           WHEN 'phase' THEN COALESCE(r.journey_phase, '') WHEN 'language' THEN {LANGUAGE_KEY} ELSE '' END, \
         {SCORE_KEY}, {sign} * COUNT(*), {sign} * {negative}, {sign} * {rated}, {sums} \
         FROM response_themes t JOIN responses r ON r.id = t.response_id CROSS JOIN {grains} {answers} \
         CROSS JOIN (SELECT '' AS dim UNION ALL SELECT 'survey' AS dim UNION ALL SELECT 'channel' AS dim \
           UNION ALL SELECT 'phase' AS dim UNION ALL SELECT 'language' AS dim) d \
         WHERE {} GROUP BY 1, 2, 3, 4, 5, 6 \
         ON CONFLICT (grain, period, theme_key, dim, dim_key, score) DO UPDATE SET \
         n = theme_rollup.n + excluded.n, negative = theme_rollup.negative + excluded.negative, \
         sentiment_n = theme_rollup.sentiment_n + excluded.sentiment_n, {}",
        list("t.response_id"),
        add_sums("theme_rollup"),
    );
    [scores, themes]
}

/// What new responses add to the rollups, worked out in Rust from the responses in hand: the
/// same sums as [`adjust_sql`] with sign 1 (the conformance test holds both to a scan). Reading
/// freshly inserted rows back and grouping them in SQL took a third of the time of a group of
/// answers: ~10 ms for 30 answers, mostly the theme rollup's 15 rows per theme.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct NewContribution {
    /// → [n, CSAT sum, CSAT n, CES sum, CES n].
    pub scores: BTreeMap<ScoreRow, [i64; 5]>,
    /// → [n, negative, sentiment n, CSAT sum, CSAT n, CES sum, CES n].
    pub themes: BTreeMap<ThemeRow, [i64; 7]>,
}

/// The key of a score rollup row: grain, period, survey, channel, phase, language, score.
pub(crate) type ScoreRow = (&'static str, i64, i64, String, String, String, i32);

/// The key of a theme rollup row: grain, period, theme, dimension, its value, score.
pub(crate) type ThemeRow = (&'static str, i64, String, &'static str, String, i32);

/// One new response as the rollups count it.
pub(crate) struct Counted<'a> {
    pub survey_id: i64,
    pub created_at: i64,
    pub score: Option<u8>,
    pub rating: Option<u8>,
    pub has_text: bool,
    pub channel: Option<&'a str>,
    pub phase: Option<&'a str>,
    pub language: Option<&'a str>,
    /// The values of its answers to CSAT questions, and to CES questions (one per question).
    pub csat: Vec<i64>,
    pub ces: Vec<i64>,
    /// Its theme tags, one per theme: key, sentiment, confidence.
    pub themes: Vec<(&'a str, Option<&'a str>, Option<f64>)>,
}

impl NewContribution {
    pub(crate) fn of(responses: &[Counted<'_>]) -> NewContribution {
        let mut out = NewContribution::default();
        for r in responses {
            let day = r.created_at / 86_400;
            let month = month_start(day);
            let (year, _, _) = civil(day);
            let week = day - (day + 3) % 7;
            let period = |grain: Grain| match grain {
                Grain::Day => day,
                Grain::Week => week.max(month),
                Grain::Month => month,
                Grain::Year => day_number(year, 1, 1),
            };
            let score = r.score.map_or(-1, i32::from);
            let language = match (r.language, r.has_text) {
                (Some(l), _) => l.to_string(),
                (None, true) => "und".into(),
                (None, false) => String::new(),
            };
            let csat_sum = r.csat.iter().sum::<i64>() + r.rating.map_or(0, i64::from);
            let csat_n = r.csat.len() as i64 + i64::from(r.rating.is_some());
            let sums = [csat_sum, csat_n, r.ces.iter().sum(), r.ces.len() as i64];
            let (channel, phase) = (r.channel.unwrap_or_default(), r.phase.unwrap_or_default());
            for grain in [Grain::Day, Grain::Week, Grain::Month, Grain::Year] {
                let key = (
                    grain.column(),
                    period(grain),
                    r.survey_id,
                    channel.to_string(),
                    phase.to_string(),
                    language.clone(),
                    score,
                );
                let row = out.scores.entry(key).or_default();
                row[0] += 1;
                for (total, add) in row[1..].iter_mut().zip(sums) {
                    *total += add;
                }
            }
            let dims = [
                ("", String::new()),
                ("survey", r.survey_id.to_string()),
                ("channel", channel.to_string()),
                ("phase", phase.to_string()),
                ("language", language.clone()),
            ];
            for &(theme, sentiment, confidence) in &r.themes {
                let confident = sentiment.is_some()
                    && confidence.is_some_and(|c| c >= domain::labels::CONFIDENT);
                let negative = confident && sentiment == Some("negative");
                for grain in [Grain::Day, Grain::Week, Grain::Month] {
                    for (dim, dim_key) in &dims {
                        let key = (
                            grain.column(),
                            period(grain),
                            theme.to_string(),
                            *dim,
                            dim_key.clone(),
                            score,
                        );
                        let row = out.themes.entry(key).or_default();
                        row[0] += 1;
                        row[1] += i64::from(negative);
                        row[2] += i64::from(confident);
                        for (total, add) in row[3..].iter_mut().zip(sums) {
                            *total += add;
                        }
                    }
                }
            }
        }
        out
    }
}

/// Rows per upsert of a [`NewContribution`]: 13 values each.
pub(crate) const UPSERT_ROWS: usize = 200;

/// The upsert of `rows` score rollup rows of a [`NewContribution`], bound in its key's order
/// and then its sums.
pub(crate) fn upsert_scores_sql(dialect: Dialect, rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|i| format!("({})", crate::marks(dialect, i * 12 + 1, 12)))
        .collect();
    format!(
        "INSERT INTO score_rollup (grain, period, survey_id, channel, journey_phase, language, score, \
         n, csat_sum, csat_n, ces_sum, ces_n) VALUES {} \
         ON CONFLICT (grain, period, survey_id, channel, journey_phase, language, score) DO UPDATE SET \
         n = score_rollup.n + excluded.n, {}",
        values.join(", "),
        add_sums("score_rollup")
    )
}

/// The upsert of `rows` theme rollup rows of a [`NewContribution`], bound like
/// [`upsert_scores_sql`].
pub(crate) fn upsert_themes_sql(dialect: Dialect, rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|i| format!("({})", crate::marks(dialect, i * 13 + 1, 13)))
        .collect();
    format!(
        "INSERT INTO theme_rollup (grain, period, theme_key, dim, dim_key, score, n, negative, \
         sentiment_n, csat_sum, csat_n, ces_sum, ces_n) VALUES {} \
         ON CONFLICT (grain, period, theme_key, dim, dim_key, score) DO UPDATE SET \
         n = theme_rollup.n + excluded.n, negative = theme_rollup.negative + excluded.negative, \
         sentiment_n = theme_rollup.sentiment_n + excluded.sentiment_n, {}",
        values.join(", "),
        add_sums("theme_rollup")
    )
}

/// `SET` clauses that add the CSAT and CES sums of the row proposed for insertion to `table`'s.
fn add_sums(table: &str) -> String {
    format!(
        "csat_sum = {table}.csat_sum + excluded.csat_sum, csat_n = {table}.csat_n + excluded.csat_n, \
         ces_sum = {table}.ces_sum + excluded.ces_sum, ces_n = {table}.ces_n + excluded.ces_n"
    )
}

/// Recomputes the journey of the customer bound as `$1` (see migration 12) from their responses.
pub(crate) const JOURNEY_SQL: &str = "INSERT INTO customer_journeys (customer_hash, responses, first_score, \
     latest_response_id, latest_at, latest_score, latest_survey_id, latest_channel, latest_phase, latest_language) \
     SELECT $1, (SELECT COUNT(*) FROM responses c WHERE c.customer_hash = $1 AND c.score IS NOT NULL), \
     (SELECT f.score FROM responses f WHERE f.customer_hash = $1 AND f.score IS NOT NULL \
      ORDER BY f.created_at, f.id LIMIT 1), \
     r.id, r.created_at, r.score, r.survey_id, COALESCE(r.channel, ''), COALESCE(r.journey_phase, ''), \
     COALESCE(r.language, CASE WHEN r.reason IS NULL THEN '' ELSE 'und' END) \
     FROM responses r WHERE r.id = (SELECT x.id FROM responses x WHERE x.customer_hash = $1 \
     AND x.score IS NOT NULL ORDER BY x.created_at DESC, x.id DESC LIMIT 1) \
     ON CONFLICT (customer_hash) DO UPDATE SET responses = excluded.responses, \
     first_score = excluded.first_score, latest_response_id = excluded.latest_response_id, \
     latest_at = excluded.latest_at, latest_score = excluded.latest_score, \
     latest_survey_id = excluded.latest_survey_id, latest_channel = excluded.latest_channel, \
     latest_phase = excluded.latest_phase, latest_language = excluded.latest_language";

/// How returning customers (more than one response) whose *latest* response matches `filter`
/// moved from their first score: (first, latest, customers). Filters on the latest response's
/// survey, channel, phase, language, date and score group read only `customer_journeys`; a theme
/// looks up that response's themes, and text or customer filters select among the responses.
pub(crate) fn movement_sql(filter: &ResponseFilter, dialect: Dialect) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let param = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    let mut conditions = vec!["j.responses > 1".to_string()];
    let columns = [
        (&filter.channel, "j.latest_channel"),
        (&filter.journey_phase, "j.latest_phase"),
        (&filter.language, "j.latest_language"),
    ];
    for (value, column) in columns {
        if let Some(v) = value {
            conditions.push(format!(
                "{column} = {}",
                param(&mut binds, Bind::Text(v.clone()))
            ));
        }
    }
    if let Some(slug) = &filter.survey {
        let p = param(&mut binds, Bind::Text(slug.clone()));
        conditions.push(format!(
            "j.latest_survey_id = (SELECT id FROM surveys WHERE slug = {p})"
        ));
    }
    if let Some(theme) = &filter.theme {
        let p = param(&mut binds, Bind::Text(theme.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM response_themes t WHERE t.response_id = j.latest_response_id AND t.theme_key = {p})"
        ));
    }
    if let Some(departments) = &filter.departments {
        // A department sees the customers whose latest answer was routed to it.
        let marks: Vec<String> = departments
            .iter()
            .map(|d| param(&mut binds, Bind::Int(*d)))
            .collect();
        conditions.push(if marks.is_empty() {
            "1 = 0".to_string()
        } else {
            format!(
                "EXISTS (SELECT 1 FROM inbox_items i WHERE i.response_id = j.latest_response_id AND i.department_id IN ({}))",
                marks.join(", ")
            )
        });
    }
    conditions.extend(score_group_condition(
        filter.group.as_deref(),
        "j.latest_score",
    ));
    if let Some(from) = filter.from {
        conditions.push(format!(
            "j.latest_at >= {}",
            param(&mut binds, Bind::Int(from))
        ));
    }
    if let Some(to) = filter.to {
        conditions.push(format!(
            "j.latest_at < {}",
            param(&mut binds, Bind::Int(to))
        ));
    }
    if filter.text.is_some() || filter.customer.is_some() {
        let rest = ResponseFilter {
            text: filter.text.clone(),
            customer: filter.customer.clone(),
            ..Default::default()
        };
        let (sql, more) = crate::filter_sql_from(&rest, dialect, binds.len());
        binds.extend(more);
        conditions.push(format!(
            "j.latest_response_id IN (SELECT r.id FROM responses r WHERE {sql})"
        ));
    }
    (
        format!(
            "SELECT j.first_score, j.latest_score, COUNT(*) FROM customer_journeys j \
             WHERE {} GROUP BY j.first_score, j.latest_score",
            conditions.join(" AND ")
        ),
        binds,
    )
}

/// A query for [`klantstem_core::store::ScoreStore::scores`]: SQL, its parameters, and how to read the rows.
pub(crate) struct ScoresQuery {
    pub sql: String,
    pub binds: Vec<Bind>,
}

/// The rows every scores query returns: key, grain (`''` when the key is final), period, score,
/// responses, confident negative mentions, confident mentions, CSAT sum and count, CES sum and
/// count.
pub(crate) type ScoresRow = (String, String, i64, i32, i64, i64, i64, i64, i64, i64, i64);

/// Groups scores rows into [`GroupScores`] in key order.
pub(crate) fn collect(
    rows: Vec<ScoresRow>,
    by: Grouping,
) -> Result<Vec<GroupScores>, klantstem_core::StoreError> {
    let mut groups: BTreeMap<String, GroupScores> = BTreeMap::new();
    for (key, grain, period, score, n, negative, rated, cs, cn, es, en) in rows {
        if n == 0 {
            continue;
        }
        let key = match (by, grain.as_str()) {
            (Grouping::Week, "d" | "w") => domain::model::format_date(week_start(period) * 86_400),
            (Grouping::Month, "d" | "w" | "m") => month_key(period),
            (Grouping::ThemeMonth, "d" | "w" | "m") => format!("{key}|{}", month_key(period)),
            // Responses without a text count as "language not determined".
            (Grouping::By(Dimension::Language), _) if key.is_empty() => "und".to_string(),
            (Grouping::Dimensions, _) if key.ends_with('|') => format!("{key}und"),
            _ => key,
        };
        let group = groups.entry(key.clone()).or_insert_with(|| GroupScores {
            key,
            ..Default::default()
        });
        if score == -1 {
            group.unscored += n as u64;
        } else {
            let score =
                NpsScore::new(score as i64).map_err(|_| klantstem_core::StoreError::Corrupt {
                    what: "score",
                    detail: score.to_string(),
                })?;
            group.scores.add(score, n as u64);
        }
        group.negative += negative as u64;
        group.rated += rated as u64;
        group.csat.add(domain::model::Mean {
            sum: cs,
            n: cn as u64,
        });
        group.ces.add(domain::model::Mean {
            sum: es,
            n: en as u64,
        });
    }
    Ok(groups.into_values().collect())
}

/// The SQL that reads `filter` grouped `by` from the rollups, or `None` when the rollups cannot
/// answer it exactly (then the caller scans the responses).
pub(crate) fn plan(filter: &ResponseFilter, by: Grouping, dialect: Dialect) -> Option<ScoresQuery> {
    // Rollups are not kept per department: a department's figures come from its responses.
    if filter.text.is_some()
        || filter.customer.is_some()
        || filter.before.is_some()
        || filter.departments.is_some()
    {
        return None;
    }
    let themed = filter.theme.is_some() || matches!(by, Grouping::Theme | Grouping::ThemeMonth);
    let coarsest = match by {
        Grouping::Week => Grain::Week,
        Grouping::Month | Grouping::ThemeMonth => Grain::Month,
        // The theme rollup has no year rows.
        _ if themed => Grain::Month,
        _ => Grain::Year,
    };
    let parts = period_parts(filter.from, filter.to, coarsest)?;
    let mut binds = Vec::new();
    let mut param = |b: Bind| {
        binds.push(b);
        format!("${}", binds.len())
    };
    let score_range = score_group_condition(filter.group.as_deref(), "c.score")
        .map(|c| format!(" AND {c}"))
        .unwrap_or_default();
    let time = matches!(by, Grouping::Month | Grouping::Week | Grouping::ThemeMonth);
    let (time_cols, time_group) = if time {
        ("c.grain, c.period", ", c.grain, c.period")
    } else {
        ("'', CAST(0 AS BIGINT)", "")
    };
    // The dimension filters that are set, as (dimension, value).
    let dims: Vec<(Dimension, &String)> = [
        (Dimension::Survey, filter.survey.as_ref()),
        (Dimension::Channel, filter.channel.as_ref()),
        (Dimension::JourneyPhase, filter.journey_phase.as_ref()),
        (Dimension::Language, filter.language.as_ref()),
    ]
    .into_iter()
    .filter_map(|(d, v)| v.map(|v| (d, v)))
    .collect();

    if !themed {
        let mut conditions = vec![any_of(&parts)];
        for (d, v) in &dims {
            let p = param(Bind::Text((*v).clone()));
            conditions.push(match d {
                Dimension::Survey => {
                    format!("c.survey_id = (SELECT id FROM surveys WHERE slug = {p})")
                }
                Dimension::Channel => format!("c.channel = {p}"),
                Dimension::JourneyPhase => format!("c.journey_phase = {p}"),
                Dimension::Language => format!("c.language = {p}"),
            });
        }
        // Only the survey grouping needs the survey's slug.
        let join = if matches!(by, Grouping::By(Dimension::Survey) | Grouping::Dimensions) {
            " JOIN surveys s ON s.id = c.survey_id"
        } else {
            ""
        };
        let key = match by {
            Grouping::Dimensions => {
                "s.slug || '|' || c.channel || '|' || c.journey_phase || '|' || c.language"
            }
            Grouping::By(Dimension::Survey) => "s.slug",
            Grouping::By(Dimension::Channel) => "c.channel",
            Grouping::By(Dimension::JourneyPhase) => "c.journey_phase",
            Grouping::By(Dimension::Language) => "c.language",
            _ => "''",
        };
        let sql = format!(
            "SELECT {key}, {time_cols}, c.score, CAST(SUM(c.n) AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), \
             CAST(SUM(c.csat_sum) AS BIGINT), CAST(SUM(c.csat_n) AS BIGINT), \
             CAST(SUM(c.ces_sum) AS BIGINT), CAST(SUM(c.ces_n) AS BIGINT) \
             FROM score_rollup c{join} \
             WHERE {}{score_range} GROUP BY {}{time_group}, c.score HAVING SUM(c.n) <> 0",
            conditions.join(" AND "),
            if by == Grouping::Dimensions {
                "s.slug, c.channel, c.journey_phase, c.language"
            } else {
                group_key(key)
            },
        );
        return Some(ScoresQuery { sql, binds });
    }

    // The theme rollup holds one dimension per row: the filter's and the grouping's dimension
    // must be that one (or absent).
    let grouped_dim = match by {
        Grouping::By(d) => Some(d),
        _ => None,
    };
    if dims.len() > 1 {
        return None;
    }
    let filter_dim = dims.first().map(|(d, _)| *d);
    if let (Some(f), Some(g)) = (filter_dim, grouped_dim) {
        if f != g {
            return None;
        }
    }
    // Every dimension at once is not in the theme rollup.
    if by == Grouping::Dimensions {
        return None;
    }
    // Themes of responses that have a given theme: a co-occurrence, not in the rollup.
    if filter.theme.is_some() && matches!(by, Grouping::Theme | Grouping::ThemeMonth) {
        return None;
    }
    let dim_name = |d: Dimension| match d {
        Dimension::Survey => "survey",
        Dimension::Channel => "channel",
        Dimension::JourneyPhase => "phase",
        Dimension::Language => "language",
    };
    let mut conditions = Vec::new();
    let dim = filter_dim.or(grouped_dim);
    conditions.push(format!("c.dim = '{}'", dim.map(dim_name).unwrap_or("")));
    if let Some((d, v)) = dims.first() {
        let value = if *d == Dimension::Survey {
            format!(
                "CAST((SELECT id FROM surveys WHERE slug = {}) AS TEXT)",
                param(Bind::Text((*v).clone()))
            )
        } else {
            param(Bind::Text((*v).clone()))
        };
        conditions.push(format!("c.dim_key = {value}"));
    }
    if dims.is_empty() && grouped_dim.is_none() {
        // The whole key prefix, so the primary key narrows down to the grain.
        conditions.push("c.dim_key = ''".into());
    }
    if let Some(theme) = &filter.theme {
        conditions.push(format!(
            "c.theme_key = {}",
            param(Bind::Text(theme.clone()))
        ));
    }
    // SQLite, without statistics, would walk the primary key from the dimension; one theme's
    // rows are far fewer.
    let indexed = if dialect == Dialect::Sqlite && filter.theme.is_some() {
        " INDEXED BY theme_rollup_theme"
    } else {
        ""
    };
    // Negative mentions are of the theme grouped by, not of a filtered one.
    let negative = if matches!(by, Grouping::Theme | Grouping::ThemeMonth) {
        "CAST(SUM(c.negative) AS BIGINT), CAST(SUM(c.sentiment_n) AS BIGINT)"
    } else {
        "CAST(0 AS BIGINT), CAST(0 AS BIGINT)"
    };
    let (key, join) = match by {
        Grouping::Theme | Grouping::ThemeMonth => ("c.theme_key", ""),
        Grouping::By(Dimension::Survey) => (
            "s.slug",
            " JOIN surveys s ON c.dim_key = CAST(s.id AS TEXT)",
        ),
        Grouping::By(_) => ("c.dim_key", ""),
        _ => ("''", ""),
    };
    // One arm per grain and period range: the index (theme, dimension, grain, period) then
    // seeks each range, where an OR of the ranges walks every row of the theme and dimension.
    let conditions = conditions.join(" AND ");
    let arms: Vec<String> = if parts.is_empty() {
        vec!["SELECT * FROM theme_rollup c WHERE 1 = 0".to_string()]
    } else {
        parts
            .iter()
            .map(|part| {
                format!(
                    "SELECT * FROM theme_rollup c{indexed} WHERE {part} AND {conditions}{score_range}"
                )
            })
            .collect()
    };
    let sql = format!(
        "SELECT {key}, {time_cols}, c.score, CAST(SUM(c.n) AS BIGINT), {negative}, \
         CAST(SUM(c.csat_sum) AS BIGINT), CAST(SUM(c.csat_n) AS BIGINT), \
         CAST(SUM(c.ces_sum) AS BIGINT), CAST(SUM(c.ces_n) AS BIGINT) \
         FROM ({}) c{join} GROUP BY {}{time_group}, c.score HAVING SUM(c.n) <> 0",
        arms.join(" UNION ALL "),
        group_key(key),
    );
    Some(ScoresQuery { sql, binds })
}

/// `key` as the start of a GROUP BY list: PostgreSQL refuses to group by a constant, and
/// grouping by one is grouping by nothing.
pub(crate) fn group_key(key: &str) -> &str {
    if key == "''" {
        "1 = 1"
    } else {
        key
    }
}

/// The disjunction of `parts`; no parts select no rows.
fn any_of(parts: &[String]) -> String {
    if parts.is_empty() {
        "1 = 0".to_string()
    } else {
        format!("({})", parts.join(" OR "))
    }
}

/// The coarsest rows a read may use: days, week-in-month segments (a weekly trend), months (a
/// monthly trend, the theme rollup) or years (figures without a time axis, from the score
/// rollup).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Grain {
    Day,
    Week,
    Month,
    Year,
}

impl Grain {
    /// The `grain` column's value for these rows.
    fn column(self) -> &'static str {
        match self {
            Grain::Day => "d",
            Grain::Week => "w",
            Grain::Month => "m",
            Grain::Year => "y",
        }
    }

    /// The next finer rows.
    fn finer(self) -> Grain {
        match self {
            Grain::Day | Grain::Week => Grain::Day,
            Grain::Month => Grain::Week,
            Grain::Year => Grain::Month,
        }
    }

    /// The first day of the unit `day` falls in. A week-in-month segment starts on the later of
    /// its week's Monday and its month's first day.
    fn start(self, day: i64) -> i64 {
        match self {
            Grain::Day => day,
            Grain::Week => week_start(day).max(month_start(day)),
            Grain::Month => month_start(day),
            Grain::Year => day_number(civil(day).0, 1, 1),
        }
    }

    /// The first day of the unit after `day`'s.
    fn next(self, day: i64) -> i64 {
        match self {
            Grain::Day => day + 1,
            Grain::Week => (week_start(day) + 7).min(next_month_start(day)),
            Grain::Month => next_month_start(day),
            Grain::Year => day_number(civil(day).0 + 1, 1, 1),
        }
    }
}

/// Which rollup rows cover `[from, to)` (Unix seconds, whole UTC days): whole units up to
/// `coarsest` from their rows (years, months, week-in-month segments), the remaining days from
/// the day rows; one condition per grain and range. `None` when a bound is not at midnight UTC.
fn period_parts(from: Option<i64>, to: Option<i64>, coarsest: Grain) -> Option<Vec<String>> {
    let day = |t: Option<i64>| match t {
        Some(t) if t.rem_euclid(86_400) != 0 => Err(()),
        Some(t) => Ok(Some(t.div_euclid(86_400))),
        None => Ok(None),
    };
    let (from, to) = (day(from).ok()?, day(to).ok()?);
    let mut parts = Vec::new();
    cover(from, to, coarsest, &mut parts);
    Some(
        parts
            .into_iter()
            .filter(|(_, a, b)| !matches!((a, b), (Some(a), Some(b)) if a >= b))
            .map(|(grain, a, b)| {
                let mut c = vec![format!("c.grain = '{}'", grain.column())];
                if let Some(a) = a {
                    c.push(format!("c.period >= {a}"));
                }
                if let Some(b) = b {
                    c.push(format!("c.period < {b}"));
                }
                format!("({})", c.join(" AND "))
            })
            .collect(),
    )
}

/// Appends the ranges of rows that cover `[from, to)` (day numbers, open where `None`): whole
/// units of `grain` inside it, the edges from finer rows.
fn cover(
    from: Option<i64>,
    to: Option<i64>,
    grain: Grain,
    parts: &mut Vec<(Grain, Option<i64>, Option<i64>)>,
) {
    if grain == Grain::Day {
        return parts.push((grain, from, to));
    }
    // The whole units inside the range: [first, end).
    let first = from.map(|f| {
        if grain.start(f) == f {
            f
        } else {
            grain.next(f)
        }
    });
    let end = to.map(|t| grain.start(t));
    match (first, end) {
        (Some(a), Some(b)) if a >= b => cover(from, to, grain.finer(), parts),
        _ => {
            parts.push((grain, first, end));
            if let (Some(f), Some(a)) = (from, first) {
                cover(Some(f), Some(a), grain.finer(), parts);
            }
            if let (Some(b), Some(t)) = (end, to) {
                cover(Some(b), Some(t), grain.finer(), parts);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period_condition(from: Option<i64>, to: Option<i64>, by_week: bool) -> Option<String> {
        let coarsest = if by_week { Grain::Week } else { Grain::Month };
        period_parts(from, to, coarsest).map(|parts| any_of(&parts))
    }

    const DAY: i64 = 86_400;

    #[test]
    fn whole_months_come_from_month_rows_whole_weeks_from_week_rows_and_the_rest_from_days() {
        // 2026-09-15 (a Tuesday) to 2026-11-10 (a Tuesday), exclusive.
        let from = day_number(2026, 9, 15) * DAY;
        let to = day_number(2026, 11, 10) * DAY;
        let c = period_condition(Some(from), Some(to), false).unwrap();
        let (oct, nov) = (day_number(2026, 10, 1), day_number(2026, 11, 1));
        assert!(c.contains(&format!(
            "(c.grain = 'm' AND c.period >= {oct} AND c.period < {nov})"
        )));
        // September: Tue 15 … Sun 20 as days, Mon 21 … Wed 30 as week rows.
        let (sep21, sep15) = (day_number(2026, 9, 21), day_number(2026, 9, 15));
        assert!(c.contains(&format!(
            "(c.grain = 'w' AND c.period >= {sep21} AND c.period < {oct})"
        )));
        assert!(c.contains(&format!(
            "(c.grain = 'd' AND c.period >= {sep15} AND c.period < {sep21})"
        )));
        // November: Sun 1 (a segment of its own), Mon 2 … Sun 8 as week rows; Mon 9 as a day.
        let nov9 = day_number(2026, 11, 9);
        assert!(c.contains(&format!(
            "(c.grain = 'w' AND c.period >= {nov} AND c.period < {nov9})"
        )));
        assert!(c.contains(&format!(
            "(c.grain = 'd' AND c.period >= {nov9} AND c.period < {})",
            to / DAY
        )));
    }

    #[test]
    fn figures_without_a_time_axis_read_whole_years_from_year_rows() {
        let parts = |from, to| period_parts(from, to, Grain::Year).map(|p| any_of(&p));
        assert_eq!(parts(None, None).unwrap(), "((c.grain = 'y'))");
        // 2024-11-15 to 2026-02-10: 2025 as a year, Dec 2024 and Jan 2026 as months, the rest
        // as week segments and days.
        let from = day_number(2024, 11, 15) * DAY;
        let to = day_number(2026, 2, 10) * DAY;
        let c = parts(Some(from), Some(to)).unwrap();
        let (y25, y26) = (day_number(2025, 1, 1), day_number(2026, 1, 1));
        assert!(c.contains(&format!(
            "(c.grain = 'y' AND c.period >= {y25} AND c.period < {y26})"
        )));
        let (dec, feb) = (day_number(2024, 12, 1), day_number(2026, 2, 1));
        assert!(c.contains(&format!(
            "(c.grain = 'm' AND c.period >= {dec} AND c.period < {y25})"
        )));
        assert!(c.contains(&format!(
            "(c.grain = 'm' AND c.period >= {y26} AND c.period < {feb})"
        )));
        assert_eq!(c.matches("'y'").count(), 1);
        // Less than a year: as before, months and finer.
        let from = day_number(2026, 1, 15) * DAY;
        assert_eq!(
            parts(Some(from), Some(to)),
            period_parts(Some(from), Some(to), Grain::Month).map(|p| any_of(&p))
        );
    }

    #[test]
    fn a_few_days_inside_one_week_read_days_only() {
        let from = day_number(2026, 11, 24) * DAY;
        let to = day_number(2026, 11, 27) * DAY;
        let c = period_condition(Some(from), Some(to), false).unwrap();
        assert_eq!(
            c,
            format!(
                "((c.grain = 'd' AND c.period >= {} AND c.period < {}))",
                from / DAY,
                to / DAY
            )
        );
    }

    #[test]
    fn no_dates_read_all_month_rows_and_weeks_never_read_month_rows() {
        assert_eq!(
            period_condition(None, None, false).unwrap(),
            "((c.grain = 'm'))"
        );
        assert_eq!(
            period_condition(None, None, true).unwrap(),
            "((c.grain = 'w'))"
        );
        let from = day_number(2026, 1, 1) * DAY;
        let to = day_number(2026, 3, 1) * DAY;
        assert_eq!(
            period_condition(Some(from), Some(to), false).unwrap(),
            format!(
                "((c.grain = 'm' AND c.period >= {} AND c.period < {}))",
                from / DAY,
                to / DAY
            )
        );
        assert!(!period_condition(Some(from), Some(to), true)
            .unwrap()
            .contains("'m'"));
    }

    #[test]
    fn times_that_are_not_midnight_cannot_use_the_rollups() {
        assert!(period_condition(Some(1_000), None, false).is_none());
        let f = ResponseFilter {
            from: Some(DAY + 5),
            ..Default::default()
        };
        assert!(plan(&f, Grouping::Total, Dialect::Sqlite).is_none());
    }

    #[test]
    fn which_filters_the_rollups_answer() {
        let channel = ResponseFilter {
            channel: Some("web".into()),
            ..Default::default()
        };
        assert!(plan(&channel, Grouping::Total, Dialect::Sqlite).is_some());
        assert!(plan(&channel, Grouping::Theme, Dialect::Sqlite).is_some());
        assert!(plan(&channel, Grouping::Week, Dialect::Sqlite).is_some());
        let theme = ResponseFilter {
            theme: Some("wachttijd".into()),
            ..Default::default()
        };
        assert!(plan(&theme, Grouping::By(Dimension::Channel), Dialect::Sqlite).is_some());
        assert!(plan(&theme, Grouping::Month, Dialect::Sqlite).is_some());
        // Co-occurring themes and a theme with two dimensions need the responses.
        assert!(plan(&theme, Grouping::Theme, Dialect::Sqlite).is_none());
        let both = ResponseFilter {
            channel: Some("web".into()),
            ..theme.clone()
        };
        assert!(plan(&both, Grouping::Total, Dialect::Sqlite).is_some());
        assert!(plan(&both, Grouping::By(Dimension::Language), Dialect::Sqlite).is_none());
        let text = ResponseFilter {
            text: Some("bezorging".into()),
            ..Default::default()
        };
        assert!(plan(&text, Grouping::Total, Dialect::Sqlite).is_none());
    }
}
