//! Response filters as SQL `WHERE` conditions, and the plain scan behind the dashboard figures.

use crate::{rollup, Dialect};

/// `$start, $start+1, …` for `n` parameters: the list inside `IN (…)`.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// [`placeholders`] for statements with hundreds of parameters, such as a group's multi-row
/// insert, where each is used once and bound in order: a plain `?` on SQLite.
///
/// SQLite reads `$N` as a *name*, and sqlx asks SQLite the name of every parameter it binds,
/// which SQLite finds by walking the list of names: both quadratic in the number of parameters
/// (a group's theme rollup upsert binds thousands). Plain `?` have no names.
/// Only for statements whose parameters are all written this way.
pub(crate) fn marks(dialect: Dialect, start: usize, n: usize) -> String {
    if dialect == Dialect::Sqlite {
        return vec!["?"; n].join(", ");
    }
    placeholders(start, n)
}

/// [`placeholders`] for a statement that uses its parameters more than once: `?N` on SQLite
/// (a number it needs not look up while parsing, unlike the name `$N`). Only for statements
/// whose parameters are all written this way: mixed with `$N`, SQLite would number the names
/// in order of appearance.
pub(crate) fn numbered(dialect: Dialect, start: usize, n: usize) -> String {
    let mark = if dialect == Dialect::Sqlite { '?' } else { '$' };
    (start..start + n)
        .map(|i| format!("{mark}{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text-search vector of a response on PostgreSQL: exactly the expression of the index in
/// `migrations/postgres/…_search.sql`, or the index is not used.
const PG_SEARCH_VECTOR: &str = "to_tsvector('simple', translate(lower(coalesce(r.reason, '')), \
     'áàâäãåéèêëíìîïóòôöõúùûüýÿñç', 'aaaaaaeeeeiiiiooooouuuuyync'))";

/// The accent folding of [`PG_SEARCH_VECTOR`], for search words.
fn fold_accent(c: char) -> char {
    const FROM: &str = "áàâäãåéèêëíìîïóòôöõúùûüýÿñç";
    const TO: &str = "aaaaaaeeeeiiiiooooouuuuyync";
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

pub(crate) enum Bind {
    Int(i64),
    Text(String),
}

/// The `WHERE` conditions of a response filter, with their parameters (`$1`, `$2`, …), in SQL
/// both databases accept.
pub(crate) fn filter_sql(
    f: &domain::model::ResponseFilter,
    dialect: Dialect,
) -> (String, Vec<Bind>) {
    filter_sql_from(f, dialect, 0)
}

/// [`filter_sql`] with its placeholders numbered after `offset` others.
pub(crate) fn filter_sql_from(
    f: &domain::model::ResponseFilter,
    dialect: Dialect,
    offset: usize,
) -> (String, Vec<Bind>) {
    let mut conditions: Vec<String> = vec!["1 = 1".into()];
    let mut binds: Vec<Bind> = Vec::new();
    let param = |binds: &mut Vec<Bind>, b: Bind| {
        binds.push(b);
        format!("${}", binds.len() + offset)
    };
    if let Some(text) = &f.text {
        // Every word must occur, as a word or the start of one ("bezorg" finds "bezorger"),
        // through the full-text index of each backend. Only letters and digits reach the query
        // language, so no input can be a syntax error.
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| {
                w.to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .map(fold_accent)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .take(8)
            .collect();
        if words.is_empty() {
            // Only punctuation: nothing can match.
            conditions.push("1 = 0".into());
        } else if dialect == Dialect::Postgres {
            let query: Vec<String> = words.iter().map(|w| format!("{w}:*")).collect();
            let p = param(&mut binds, Bind::Text(query.join(" & ")));
            conditions.push(format!("{PG_SEARCH_VECTOR} @@ to_tsquery('simple', {p})"));
        } else {
            let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
            let p = param(&mut binds, Bind::Text(query.join(" ")));
            conditions.push(format!(
                "r.id IN (SELECT rowid FROM responses_fts WHERE responses_fts MATCH {p})"
            ));
        }
    }
    if let Some(slug) = &f.survey {
        let p = param(&mut binds, Bind::Text(slug.clone()));
        conditions.push(format!("s.slug = {p}"));
    }
    if let Some(channel) = &f.channel {
        let p = param(&mut binds, Bind::Text(channel.clone()));
        conditions.push(format!("r.channel = {p}"));
    }
    if let Some(phase) = &f.journey_phase {
        let p = param(&mut binds, Bind::Text(phase.clone()));
        conditions.push(format!("r.journey_phase = {p}"));
    }
    match f.language.as_deref() {
        None => {}
        Some("und") => conditions.push("r.reason IS NOT NULL AND r.language IS NULL".into()),
        Some(code) => {
            let p = param(&mut binds, Bind::Text(code.to_string()));
            conditions.push(format!("r.language = {p}"));
        }
    }
    if let Some(theme) = &f.theme {
        let p = param(&mut binds, Bind::Text(theme.clone()));
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM response_themes t WHERE t.response_id = r.id AND t.theme_key = {p})"
        ));
    }
    conditions.extend(rollup::score_group_condition(f.group.as_deref(), "r.score"));
    if let Some(from) = f.from {
        let p = param(&mut binds, Bind::Int(from));
        conditions.push(format!("r.created_at >= {p}"));
    }
    if let Some(to) = f.to {
        let p = param(&mut binds, Bind::Int(to));
        conditions.push(format!("r.created_at < {p}"));
    }
    if let Some(customer) = &f.customer {
        let p = param(&mut binds, Bind::Text(customer.clone()));
        conditions.push(format!("r.customer_hash = {p}"));
    }
    if let Some(departments) = &f.departments {
        if departments.is_empty() {
            conditions.push("1 = 0".into());
        } else {
            let marks: Vec<String> = departments
                .iter()
                .map(|d| param(&mut binds, Bind::Int(*d)))
                .collect();
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM inbox_items i WHERE i.response_id = r.id AND i.department_id IN ({}))",
                marks.join(", ")
            ));
        }
    }
    if let Some((at, id)) = f.before {
        let a = param(&mut binds, Bind::Int(at));
        let b = param(&mut binds, Bind::Int(id));
        conditions.push(format!(
            "(r.created_at < {a} OR (r.created_at = {a} AND r.id < {b}))"
        ));
    }
    (conditions.join(" AND "), binds)
}

/// The plain scan of the responses for [`klantstem_core::store::ScoreStore::scores`], returning
/// [`rollup::ScoresRow`]s: what the rollups answer faster, and the answer when they cannot.
pub(crate) fn scan_sql(
    filter: &domain::model::ResponseFilter,
    by: domain::model::Grouping,
    dialect: Dialect,
) -> (String, Vec<Bind>) {
    use domain::model::{Dimension, Grouping};
    let (conditions, binds) = filter_sql(filter, dialect);
    let (month, week) = if dialect == Dialect::Postgres {
        (
            "to_char(to_timestamp(r.created_at) AT TIME ZONE 'UTC', 'YYYY-MM')",
            "to_char(to_timestamp((r.created_at / 86400 - (r.created_at / 86400 + 3) % 7) * 86400) \
             AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        )
    } else {
        (
            "strftime('%Y-%m', r.created_at, 'unixepoch')",
            "strftime('%Y-%m-%d', (r.created_at / 86400 - (r.created_at / 86400 + 3) % 7) * 86400, 'unixepoch')",
        )
    };
    let theme_month = format!("t.theme_key || '|' || {month}");
    let key = match by {
        Grouping::Total => "''",
        Grouping::By(Dimension::Channel) => "COALESCE(r.channel, '')",
        Grouping::By(Dimension::JourneyPhase) => "COALESCE(r.journey_phase, '')",
        Grouping::By(Dimension::Survey) => "s.slug",
        Grouping::By(Dimension::Language) => "COALESCE(r.language, 'und')",
        Grouping::Theme => "t.theme_key",
        Grouping::Month => month,
        Grouping::Week => week,
        Grouping::ThemeMonth => &theme_month,
        Grouping::Dimensions => {
            "s.slug || '|' || COALESCE(r.channel, '') || '|' || COALESCE(r.journey_phase, '') || '|' || \
             COALESCE(r.language, 'und')"
        }
    };
    let themed = matches!(by, Grouping::Theme | Grouping::ThemeMonth);
    let [negative, rated] = rollup::sentiment_sums();
    let (join, negative, rated) = if themed {
        (
            "JOIN response_themes t ON t.response_id = r.id",
            negative.as_str(),
            rated.as_str(),
        )
    } else {
        ("", "0", "0")
    };
    let sql = format!(
        "SELECT {key} AS k, '', CAST(0 AS BIGINT), {score}, COUNT(*), CAST({negative} AS BIGINT), \
         CAST({rated} AS BIGINT), \
         CAST({csat_sum} AS BIGINT), CAST({csat_n} AS BIGINT), \
         CAST({ces_sum} AS BIGINT), CAST({ces_n} AS BIGINT) \
         FROM responses r JOIN surveys s ON s.id = r.survey_id {join} {} \
         WHERE {conditions} GROUP BY {}, {score}",
        rollup::answers_join("1 = 1"),
        rollup::group_key(key),
        score = rollup::SCORE_KEY,
        csat_sum = rollup::CSAT_SUM,
        csat_n = rollup::CSAT_N,
        ces_sum = rollup::CES_SUM,
        ces_n = rollup::CES_N,
    );
    (sql, binds)
}
