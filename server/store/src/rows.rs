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
    created_by: Option<i64>,
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
        created_by: row.created_by,
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
pub(crate) const VERBATIM_SELECT: &str =
    "SELECT r.id, s.title_nl, s.title_en, r.score, r.rating, r.reason, \
     r.channel, r.journey_phase, r.language, r.created_at, r.sentiment, r.sentiment_confidence, \
     r.customer_hash, r.source, \
     u.display_name FROM responses r JOIN surveys s ON s.id = r.survey_id \
     LEFT JOIN users u ON u.id = r.entered_by";

/// A response with its survey's titles and who entered it, as [`VERBATIM_SELECT`] selects it.
#[derive(sqlx::FromRow)]
pub(crate) struct VerbatimRow {
    id: i64,
    title_nl: String,
    title_en: String,
    score: Option<i32>,
    rating: Option<i32>,
    reason: Option<String>,
    channel: Option<String>,
    journey_phase: Option<String>,
    language: Option<String>,
    created_at: i64,
    sentiment: Option<String>,
    sentiment_confidence: Option<f64>,
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
        score: row.score.map(|s| s.clamp(0, 10) as u8),
        rating: row.rating.map(|r| r.clamp(1, 5) as u8),
        reason: row.reason,
        channel: row.channel,
        journey_phase: row.journey_phase,
        language: row.language,
        created_at: row.created_at,
        sentiment: row.sentiment,
        sentiment_confidence: row.sentiment_confidence,
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

pub(crate) const BOARD_COLUMNS: &str = "id, slug, kind, name_nl, name_en, description_nl, \
     description_en, visibility, moderation, owner, opens_at, closes_at, stages, stage, response_days";

#[derive(sqlx::FromRow)]
pub(crate) struct BoardRow {
    id: i64,
    slug: String,
    kind: String,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
    visibility: String,
    moderation: String,
    owner: String,
    opens_at: Option<i64>,
    closes_at: Option<i64>,
    /// JSON of `Vec<Stage>`.
    stages: String,
    stage: Option<String>,
    response_days: i64,
}

fn corrupt(what: &'static str, detail: &str) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.to_string(),
    }
}

pub(crate) fn board_from_row(row: BoardRow) -> Result<domain::idea::Board, StoreError> {
    use domain::idea::{BoardKind, BoardVisibility, Moderation};
    Ok(domain::idea::Board {
        id: row.id,
        kind: BoardKind::parse(&row.kind).ok_or_else(|| corrupt("board kind", &row.kind))?,
        visibility: BoardVisibility::parse(&row.visibility)
            .ok_or_else(|| corrupt("board visibility", &row.visibility))?,
        moderation: Moderation::parse(&row.moderation)
            .ok_or_else(|| corrupt("board moderation", &row.moderation))?,
        stages: json("board stages", &row.stages)?,
        slug: row.slug,
        name_nl: row.name_nl,
        name_en: row.name_en,
        description_nl: row.description_nl,
        description_en: row.description_en,
        owner: row.owner,
        opens_at: row.opens_at,
        closes_at: row.closes_at,
        stage: row.stage,
        response_days: row.response_days,
    })
}

#[derive(sqlx::FromRow)]
pub(crate) struct StatusRow {
    key: String,
    name_nl: String,
    name_en: String,
    color: String,
    position: i64,
    on_roadmap: bool,
    closed: bool,
}

impl From<StatusRow> for domain::idea::IdeaStatus {
    fn from(r: StatusRow) -> Self {
        domain::idea::IdeaStatus {
            key: r.key,
            name_nl: r.name_nl,
            name_en: r.name_en,
            color: r.color,
            position: r.position,
            on_roadmap: r.on_roadmap,
            closed: r.closed,
        }
    }
}

/// The columns of an idea card, from `ideas i JOIN boards b JOIN users u`; `$V` is the viewer.
pub(crate) const CARD_SELECT: &str = "SELECT i.id, b.slug AS board_slug, i.title_masked AS title, \
     i.status, i.vote_count, i.comment_count, i.created_at, u.display_name AS author, \
     i.visibility, i.board_id, i.status_message, i.status_at, \
     EXISTS (SELECT 1 FROM idea_votes v WHERE v.idea_id = i.id AND v.user_id = $V) AS voted \
     FROM ideas i JOIN boards b ON b.id = i.board_id JOIN users u ON u.id = i.author_id";

#[derive(sqlx::FromRow)]
pub(crate) struct TriageRow {
    #[sqlx(flatten)]
    card: CardRow,
    answered_at: Option<i64>,
    response_days: i64,
    board_name_nl: String,
    board_name_en: String,
    internal_votes: i64,
    my_internal_vote: bool,
    customers: i64,
    reach: Option<i64>,
    impact: Option<f64>,
    confidence: Option<f64>,
    effort: Option<f64>,
}

pub(crate) fn triage_record(r: TriageRow) -> klantstem_core::store::TriageRecord {
    klantstem_core::store::TriageRecord {
        card: r.card.card(),
        board_id: r.card.board_id,
        board_name_nl: r.board_name_nl,
        board_name_en: r.board_name_en,
        response_days: r.response_days,
        answered_at: r.answered_at,
        customers: r.customers,
        internal_votes: r.internal_votes,
        my_internal_vote: r.my_internal_vote,
        priority: match (r.impact, r.confidence, r.effort) {
            (Some(impact), Some(confidence), Some(effort)) => Some(domain::idea::Priority {
                reach: r.reach,
                impact,
                confidence,
                effort,
            }),
            _ => None,
        },
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CardRow {
    id: i64,
    board_slug: String,
    title: String,
    status: String,
    vote_count: i64,
    comment_count: i64,
    created_at: i64,
    author: String,
    visibility: String,
    pub board_id: i64,
    pub status_message: Option<String>,
    pub status_at: Option<i64>,
    voted: bool,
}

impl CardRow {
    pub(crate) fn card(&self) -> domain::idea::IdeaCard {
        domain::idea::IdeaCard {
            id: self.id,
            board_slug: self.board_slug.clone(),
            title: self.title.clone(),
            status: self.status.clone(),
            votes: self.vote_count,
            comments: self.comment_count,
            created_at: self.created_at,
            author: self.author.clone(),
            voted: self.voted,
            pending: self.visibility == "pending",
        }
    }
}

pub(crate) const IDEA_SELECT: &str = "SELECT i.id, i.board_id, i.author_id, \
     u.display_name AS author, i.title, i.body, i.title_masked, i.body_masked, i.language, \
     i.sentiment, i.status, i.status_message, i.status_at, i.answered_at, i.vote_count, \
     i.comment_count, i.merged_into, i.visibility, i.created_at \
     FROM ideas i JOIN users u ON u.id = i.author_id";

#[derive(sqlx::FromRow)]
pub(crate) struct IdeaRow {
    id: i64,
    board_id: i64,
    author_id: i64,
    author: String,
    title: String,
    body: String,
    title_masked: String,
    body_masked: String,
    language: Option<String>,
    sentiment: Option<String>,
    status: String,
    status_message: Option<String>,
    status_at: Option<i64>,
    answered_at: Option<i64>,
    vote_count: i64,
    comment_count: i64,
    merged_into: Option<i64>,
    visibility: String,
    created_at: i64,
}

pub(crate) fn idea_from_row(
    row: IdeaRow,
    themes: Vec<String>,
) -> klantstem_core::store::IdeaRecord {
    klantstem_core::store::IdeaRecord {
        id: row.id,
        board_id: row.board_id,
        author_id: row.author_id,
        author: row.author,
        title: row.title,
        body: row.body,
        title_masked: row.title_masked,
        body_masked: row.body_masked,
        language: row.language,
        sentiment: row.sentiment,
        status: row.status,
        status_message: row.status_message,
        status_at: row.status_at,
        answered_at: row.answered_at,
        votes: row.vote_count,
        comments: row.comment_count,
        merged_into: row.merged_into,
        visibility: row.visibility,
        created_at: row.created_at,
        themes,
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CommentRow {
    id: i64,
    author: String,
    body_masked: String,
    official: bool,
    created_at: i64,
    moved_from: Option<i64>,
    moved_from_title: Option<String>,
}

impl From<CommentRow> for domain::idea::IdeaComment {
    fn from(r: CommentRow) -> Self {
        domain::idea::IdeaComment {
            id: r.id,
            author: r.author,
            body: r.body_masked,
            official: r.official,
            created_at: r.created_at,
            moved_from: r.moved_from.zip(r.moved_from_title),
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct NotificationRow {
    id: i64,
    kind: String,
    idea_id: Option<i64>,
    idea_title: Option<String>,
    board_slug: Option<String>,
    detail: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl From<NotificationRow> for domain::idea::Notification {
    fn from(r: NotificationRow) -> Self {
        domain::idea::Notification {
            id: r.id,
            kind: r.kind,
            idea: r.idea_id.zip(r.idea_title),
            board_slug: r.board_slug,
            detail: r.detail,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        }
    }
}

pub(crate) const ACCOUNT_SELECT: &str = "SELECT id, email, display_name, locale, \
     email_verified_at IS NOT NULL AS verified, mail_notifications, customer_hash FROM users";

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    id: i64,
    email: String,
    display_name: String,
    locale: String,
    verified: bool,
    mail_notifications: bool,
    customer_hash: Option<String>,
}

impl From<AccountRow> for klantstem_core::store::Account {
    fn from(r: AccountRow) -> Self {
        klantstem_core::store::Account {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            locale: r.locale,
            verified: r.verified,
            mail_notifications: r.mail_notifications,
            customer_hash: r.customer_hash,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RecipientRow {
    id: i64,
    email: String,
    locale: String,
    mail: bool,
}

impl From<RecipientRow> for klantstem_core::store::Recipient {
    fn from(r: RecipientRow) -> Self {
        klantstem_core::store::Recipient {
            user_id: r.id,
            email: r.email,
            locale: r.locale,
            mail: r.mail,
        }
    }
}

pub(crate) fn roadmap_item(row: CardRow) -> klantstem_core::store::RoadmapItem {
    klantstem_core::store::RoadmapItem {
        card: row.card(),
        board_id: row.board_id,
        status_message: row.status_message,
        status_at: row.status_at,
    }
}
