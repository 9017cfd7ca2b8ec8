//! Rows as the queries select them, and how they become domain values.

use klantstem_core::StoreError;

/// A JSON column as `T`; a value that does not decode is reported, never replaced by a default.
pub(crate) fn json<T: serde::de::DeserializeOwned>(
    what: &'static str,
    raw: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

pub(crate) const SURVEY_COLUMNS: &str =
    "id, slug, title_nl, title_en, is_open, created_at, archived, texts, embed_origins";

pub(crate) type SurveyRow = (i64, String, String, String, bool, i64, bool, String, String);

pub(crate) type ApiTokenRow = (i64, String, String, String, i64, Option<i64>, Option<i64>);

pub(crate) fn api_token_from_row(
    (id, name, prefix, scopes, created_at, last_used_at, revoked_at): ApiTokenRow,
) -> domain::model::ApiToken {
    domain::model::ApiToken {
        id,
        name,
        prefix,
        scopes: scopes.split_whitespace().map(String::from).collect(),
        created_at,
        last_used_at,
        revoked_at,
    }
}

pub(crate) fn survey_from_row(
    (id, slug, title_nl, title_en, open, created_at, archived, texts, embed_origins): SurveyRow,
) -> Result<domain::model::Survey, StoreError> {
    Ok(domain::model::Survey {
        id,
        slug,
        title_nl,
        title_en,
        open,
        created_at,
        archived,
        // Texts written by an older version read with defaults for the fields they lack
        // (`#[serde(default)]`); texts that are not JSON at all are an error, not a default.
        texts: json("survey texts", &texts)?,
        embed_origins: embed_origins.split_whitespace().map(String::from).collect(),
    })
}

pub(crate) const IMPORT_COLUMNS: &str = "id, filename, created_at, status, total_rows, \
     processed_rows, created_rows, duplicate_rows, failed_rows";

pub(crate) type ImportRow = (i64, String, i64, String, i64, i64, i64, i64, i64);

pub(crate) fn import_from_row(
    (id, filename, created_at, status, total, processed, created, duplicates, failed): ImportRow,
) -> domain::import::ImportSummary {
    domain::import::ImportSummary {
        id,
        filename,
        created_at,
        status,
        total: total as u64,
        processed: processed as u64,
        created: created as u64,
        duplicates: duplicates as u64,
        failed: failed as u64,
    }
}

/// The columns of a [`VerbatimRow`]; append `WHERE …`.
pub(crate) const VERBATIM_SELECT: &str = "SELECT r.id, s.title_nl, s.title_en, r.score, r.reason, \
     r.channel, r.journey_phase, r.language, r.created_at, r.sentiment, r.customer_hash, r.source, \
     u.display_name FROM responses r JOIN surveys s ON s.id = r.survey_id \
     LEFT JOIN users u ON u.id = r.entered_by";

pub(crate) type VerbatimRow = (
    i64,
    String,
    String,
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

pub(crate) fn verbatim_from_row(row: VerbatimRow) -> domain::model::Verbatim {
    let (
        id,
        survey_title_nl,
        survey_title_en,
        score,
        reason,
        channel,
        journey_phase,
        language,
        created_at,
        sentiment,
        customer,
        source,
        entered_by,
    ) = row;
    domain::model::Verbatim {
        id,
        survey_title_nl,
        survey_title_en,
        score: score.clamp(0, 10) as u8,
        reason,
        channel,
        journey_phase,
        language,
        created_at,
        sentiment,
        themes: Vec::new(),
        customer,
        source,
        entered_by,
    }
}

pub(crate) fn user_info(
    id: i64,
    email: String,
    display_name: String,
    role: &str,
) -> Result<domain::model::UserInfo, StoreError> {
    let role = domain::model::Role::parse(role).ok_or_else(|| StoreError::Corrupt {
        what: "role",
        detail: role.to_string(),
    })?;
    Ok(domain::model::UserInfo {
        id,
        email,
        display_name,
        role,
    })
}
