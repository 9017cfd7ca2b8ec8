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

/// A survey as [`SURVEY_COLUMNS`] select it.
#[derive(sqlx::FromRow)]
pub(crate) struct SurveyRow {
    id: i64,
    slug: String,
    title_nl: String,
    title_en: String,
    is_open: bool,
    created_at: i64,
    archived: bool,
    /// JSON of `SurveyTexts`.
    texts: String,
    /// Space-separated origins.
    embed_origins: String,
}

pub(crate) fn survey_from_row(row: SurveyRow) -> Result<domain::model::Survey, StoreError> {
    Ok(domain::model::Survey {
        id: row.id,
        slug: row.slug,
        title_nl: row.title_nl,
        title_en: row.title_en,
        open: row.is_open,
        created_at: row.created_at,
        archived: row.archived,
        // Texts written by an older version read with defaults for the fields they lack
        // (`#[serde(default)]`); texts that are not JSON at all are an error, not a default.
        texts: json("survey texts", &row.texts)?,
        embed_origins: row
            .embed_origins
            .split_whitespace()
            .map(String::from)
            .collect(),
    })
}

/// An API token without its hash.
#[derive(sqlx::FromRow)]
pub(crate) struct ApiTokenRow {
    id: i64,
    name: String,
    prefix: String,
    /// Space-separated scopes.
    scopes: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

pub(crate) fn api_token_from_row(row: ApiTokenRow) -> domain::model::ApiToken {
    domain::model::ApiToken {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        scopes: row.scopes.split_whitespace().map(String::from).collect(),
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    }
}

pub(crate) const IMPORT_COLUMNS: &str = "id, filename, created_at, status, total_rows, \
     processed_rows, created_rows, duplicate_rows, failed_rows";

/// An import's summary as [`IMPORT_COLUMNS`] select it.
#[derive(sqlx::FromRow)]
pub(crate) struct ImportRow {
    id: i64,
    filename: String,
    created_at: i64,
    status: String,
    total_rows: i64,
    processed_rows: i64,
    created_rows: i64,
    duplicate_rows: i64,
    failed_rows: i64,
}

/// An uploaded file with its summary, mapping and report.
#[derive(sqlx::FromRow)]
pub(crate) struct ImportRecordRow {
    #[sqlx(flatten)]
    pub summary: ImportRow,
    pub created_by: Option<i64>,
    pub content_hash: String,
    pub content: String,
    pub mapping: Option<String>,
    pub report: Option<String>,
}

pub(crate) fn import_from_row(row: ImportRow) -> domain::import::ImportSummary {
    let count = |n: i64| n.max(0) as u64;
    domain::import::ImportSummary {
        id: row.id,
        filename: row.filename,
        created_at: row.created_at,
        status: row.status,
        total: count(row.total_rows),
        processed: count(row.processed_rows),
        created: count(row.created_rows),
        duplicates: count(row.duplicate_rows),
        failed: count(row.failed_rows),
    }
}

/// The columns of a [`VerbatimRow`]; append `WHERE …`.
pub(crate) const VERBATIM_SELECT: &str = "SELECT r.id, s.title_nl, s.title_en, r.score, r.reason, \
     r.channel, r.journey_phase, r.language, r.created_at, r.sentiment, r.customer_hash, r.source, \
     u.display_name FROM responses r JOIN surveys s ON s.id = r.survey_id \
     LEFT JOIN users u ON u.id = r.entered_by";

/// A response with its survey's titles and who entered it, as [`VERBATIM_SELECT`] selects it.
#[derive(sqlx::FromRow)]
pub(crate) struct VerbatimRow {
    id: i64,
    title_nl: String,
    title_en: String,
    score: i32,
    reason: Option<String>,
    channel: Option<String>,
    journey_phase: Option<String>,
    language: Option<String>,
    created_at: i64,
    sentiment: Option<String>,
    customer_hash: Option<String>,
    source: String,
    /// The staff member who entered it, if one did.
    display_name: Option<String>,
}

pub(crate) fn verbatim_from_row(row: VerbatimRow) -> domain::model::Verbatim {
    domain::model::Verbatim {
        id: row.id,
        survey_title_nl: row.title_nl,
        survey_title_en: row.title_en,
        score: row.score.clamp(0, 10) as u8,
        reason: row.reason,
        channel: row.channel,
        journey_phase: row.journey_phase,
        language: row.language,
        created_at: row.created_at,
        sentiment: row.sentiment,
        themes: Vec::new(),
        customer: row.customer_hash,
        source: row.source,
        entered_by: row.display_name,
    }
}

/// A mail as a claim returns it.
#[derive(sqlx::FromRow)]
pub(crate) struct ClaimedMailRow {
    id: i64,
    message_id: String,
    recipient: String,
    subject: String,
    body: String,
    attempts: i32,
}

pub(crate) fn mail_from_row(row: ClaimedMailRow) -> klantstem_core::store::Mail {
    klantstem_core::store::Mail {
        id: row.id,
        message_id: row.message_id,
        recipient: row.recipient,
        subject: row.subject,
        body: row.body,
        attempts: row.attempts,
    }
}

/// A mail as the outbox page lists it.
#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    id: i64,
    message_id: String,
    kind: String,
    recipient: String,
    subject: String,
    status: String,
    attempts: i32,
    last_error: Option<String>,
    created_at: i64,
    next_attempt_at: i64,
    sent_at: Option<i64>,
}

pub(crate) fn outbox_entry_from_row(
    row: OutboxRow,
) -> Result<domain::outbox::OutboxEntry, StoreError> {
    let status =
        domain::outbox::MailStatus::parse(&row.status).ok_or_else(|| StoreError::Corrupt {
            what: "mail status",
            detail: row.status.clone(),
        })?;
    Ok(domain::outbox::OutboxEntry {
        id: row.id,
        message_id: row.message_id,
        kind: row.kind,
        recipient: row.recipient,
        subject: row.subject,
        status,
        attempts: row.attempts,
        last_error: row.last_error,
        created_at: row.created_at,
        next_attempt_at: row.next_attempt_at,
        sent_at: row.sent_at,
    })
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
