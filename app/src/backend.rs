//! Server-side plumbing for server functions: the storage interface, the text analyser interface,
//! sessions, passwords and rate limits. Compiled only with the `ssr` feature.
//!
//! The storage and analysis implementations live in the `server` crate; server functions reach
//! them through [`AppState`], which the server puts into the Leptos context.

use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{
    ApiToken, EmergingTopic, ResponseFilter, Role, Survey, ThemeTag, UserInfo, Verbatim,
};
use crate::taxonomy::Taxonomy;
use crate::url::percent_encode;
use async_trait::async_trait;
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const SESSION_COOKIE: &str = "ks_session";
pub const LANG_COOKIE: &str = "ks_lang";

// ---------------------------------------------------------------------------------------------
// Storage interface

#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// A unique value (e-mail, slug) is taken already.
    Conflict(String),
    /// Anything the database reported; logged, never shown to users.
    Backend(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Conflict(what) => write!(f, "already exists: {what}"),
            StoreError::Backend(msg) => write!(f, "database error: {msg}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "storage failure");
        AppError::Internal
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
}

/// A user with the secret needed to log in; never leaves the server.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub info: UserInfo,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSurvey {
    pub slug: String,
    pub title_nl: String,
    pub title_en: String,
    pub open: bool,
    pub created_at: i64,
    pub texts: crate::model::SurveyTexts,
    pub embed_origins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewResponse {
    pub survey_id: i64,
    /// Deduplication key: the same token is stored once.
    pub submission_token: String,
    pub score: u8,
    pub reason: Option<String>,
    /// ISO 639-1 code of the detected language of `reason`, if determined.
    pub language: Option<String>,
    pub language_confidence: Option<f64>,
    /// The language the respondent saw the survey in.
    pub respondent_locale: String,
    pub channel: Option<String>,
    pub journey_phase: Option<String>,
    /// Only with consent to be contacted.
    pub contact_email: Option<String>,
    pub created_at: i64,
    pub sentiment: Option<String>,
    pub sentiment_score: Option<f64>,
    /// The themes found in `reason`.
    pub themes: Vec<ThemeTag>,
    /// The taxonomy version the themes come from.
    pub taxonomy_version: i64,
    /// "survey", "api", "import" or "staff".
    pub source: String,
    /// Keyed hash of the customer's reference: recognises them across channels.
    pub customer_hash: Option<String>,
    /// The plain reference, only with the customer's consent.
    pub customer_ref: Option<String>,
    /// The staff member who entered it on the customer's behalf.
    pub entered_by: Option<i64>,
    /// Answers to the survey's questions after the NPS question.
    pub answers: Vec<crate::questions::Answer>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewApiToken {
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_by: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewImport {
    /// `None` for the command line.
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub filename: String,
    pub content_hash: String,
    pub content: String,
}

/// An uploaded file with its mapping and progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub summary: crate::import::ImportSummary,
    pub created_by: Option<i64>,
    pub content_hash: String,
    pub content: String,
    /// JSON of a [`crate::import::Mapping`].
    pub mapping: Option<String>,
    /// JSON list of [`crate::import::RowProblem`].
    pub report: Option<String>,
}

/// What an earlier request with the same idempotency key answered.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// A stored text waiting to be (re)tagged with the taxonomy in force.
#[derive(Debug, Clone, PartialEq)]
pub struct TextToTag {
    pub response_id: i64,
    pub text: String,
    /// The language the respondent saw the survey in: context for the analysis.
    pub respondent_locale: String,
}

/// The result of (re)tagging one stored text.
#[derive(Debug, Clone, PartialEq)]
pub struct Retagged {
    pub response_id: i64,
    pub taxonomy_version: i64,
    pub sentiment: Option<String>,
    pub sentiment_score: Option<f64>,
    pub themes: Vec<ThemeTag>,
}

/// A text of a period, for emerging topics.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodText {
    pub text: String,
    pub language: Option<String>,
    pub respondent_locale: String,
}

/// A manager's correction of a response's themes.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeCorrection {
    pub response_id: i64,
    pub theme_key: String,
    /// `true`: the theme applies (added); `false`: it does not (removed).
    pub applies: bool,
    pub user_id: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    pub id: i64,
    /// True when the token was seen before and nothing new was stored.
    pub duplicate: bool,
}

/// Everything the application stores. One implementation per database (SQLite, PostgreSQL),
/// both checked by the same conformance suite in `server/tests/it/storage.rs`.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// "sqlite" or "postgres".
    fn backend_name(&self) -> &'static str;
    async fn ping(&self) -> Result<(), StoreError>;

    async fn create_user(&self, user: &NewUser) -> Result<i64, StoreError>;
    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError>;
    async fn count_users(&self) -> Result<u64, StoreError>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        created_at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;
    /// The user of a session that has not expired at `now`.
    async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserInfo>, StoreError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError>;

    async fn create_survey(&self, survey: &NewSurvey) -> Result<i64, StoreError>;
    /// Creates `copy` with the questions of survey `source_id` (not the retired ones), in one
    /// transaction.
    async fn duplicate_survey(&self, source_id: i64, copy: &NewSurvey) -> Result<i64, StoreError>;
    async fn survey_by_slug(&self, slug: &str) -> Result<Option<Survey>, StoreError>;
    /// Every survey, archived ones included, in creation order.
    async fn list_surveys(&self) -> Result<Vec<Survey>, StoreError>;
    /// Changes titles, texts and embedding origins (never the slug); `false`: no such survey.
    async fn update_survey(&self, survey: &Survey) -> Result<bool, StoreError>;
    /// A survey's questions after the NPS question, retired ones included, in order.
    async fn survey_questions(
        &self,
        survey_id: i64,
    ) -> Result<Vec<crate::questions::Question>, StoreError>;
    /// Adds a question at the end.
    async fn add_question(
        &self,
        survey_id: i64,
        kind: crate::questions::QuestionKind,
        required: bool,
        texts: &crate::questions::QuestionTexts,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// Changes a question's texts and whether it is required; `false`: no such question.
    async fn update_question(
        &self,
        survey_id: i64,
        id: i64,
        required: bool,
        texts: &crate::questions::QuestionTexts,
    ) -> Result<bool, StoreError>;
    async fn question_answered(&self, id: i64) -> Result<bool, StoreError>;
    /// Swaps a question with the one before (`up`) or after it; `false` when it cannot move.
    async fn move_question(&self, survey_id: i64, id: i64, up: bool) -> Result<bool, StoreError>;
    /// Deletes a question without answers; retires one with answers (they stay). `None`: no
    /// such question; `Some(true)`: retired.
    async fn remove_question(&self, survey_id: i64, id: i64) -> Result<Option<bool>, StoreError>;
    /// A response's answers to extra questions, with their questions, in question order.
    async fn response_answers(
        &self,
        response_id: i64,
    ) -> Result<Vec<(crate::questions::Question, crate::questions::Answer)>, StoreError>;
    /// Opens or closes, archives or restores; `false`: no such survey.
    async fn set_survey_state(
        &self,
        id: i64,
        open: bool,
        archived: bool,
    ) -> Result<bool, StoreError>;

    async fn insert_response(&self, response: &NewResponse) -> Result<Inserted, StoreError>;
    /// Adds the follow-up (score, text, contact) to the response with the same submission token,
    /// if that response has no text yet: the one-click e-mail score first, the reason after.
    /// `false` when there is nothing to complete.
    async fn complete_response(&self, response: &NewResponse) -> Result<bool, StoreError>;
    /// Stores several responses in one transaction (all or none), deduplicating each by token.
    async fn insert_responses(
        &self,
        responses: &[NewResponse],
    ) -> Result<Vec<Inserted>, StoreError>;
    async fn count_responses(&self) -> Result<u64, StoreError>;
    /// Newest first, only responses with a text.
    async fn latest_verbatims(&self, limit: u32) -> Result<Vec<Verbatim>, StoreError>;
    /// One response with its themes.
    async fn response(&self, id: i64) -> Result<Option<Verbatim>, StoreError>;
    /// Score counts (with CSAT/CES answers and negative theme mentions) of the responses matching
    /// `filter`, per group, in key order. Read from rollups kept up to date at every write when the
    /// filter allows (text search, a customer, or a theme together with a dimension read the
    /// responses themselves), so a dashboard over a million responses stays fast.
    async fn scores(
        &self,
        filter: &ResponseFilter,
        by: crate::model::Grouping,
    ) -> Result<Vec<crate::model::GroupScores>, StoreError>;
    /// Returning customers (more than one response) whose latest response matches `filter`:
    /// (score of their first response, score of the latest, how many customers).
    async fn customer_movement(
        &self,
        filter: &ResponseFilter,
    ) -> Result<Vec<(u8, u8, u64)>, StoreError>;
    /// Whether [`Store::scores`] may use the rollups (the default). Benchmarks and tests switch
    /// them off to compare with a plain scan of the responses.
    fn set_rollups(&self, enabled: bool);
    /// Responses matching `filter`, newest first.
    async fn list_responses(
        &self,
        filter: &ResponseFilter,
        limit: u32,
    ) -> Result<Vec<Verbatim>, StoreError>;
    /// A customer's responses on every channel, newest first.
    async fn customer_responses(
        &self,
        customer_hash: &str,
        limit: u32,
    ) -> Result<Vec<Verbatim>, StoreError>;

    /// The taxonomy in force: its version and JSON document.
    async fn current_taxonomy(&self) -> Result<Option<(i64, String)>, StoreError>;
    /// Stores a new taxonomy version, `based_on + 1`, if `based_on` is still the newest
    /// (0: there is none yet); otherwise `Conflict`, and nothing changes.
    async fn save_taxonomy(
        &self,
        based_on: i64,
        document: &str,
        user_id: Option<i64>,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// Texts last tagged with a taxonomy older than `version`, lowest id first.
    async fn texts_to_tag(&self, version: i64, limit: u32) -> Result<Vec<TextToTag>, StoreError>;
    /// Replaces the automatic tags of these texts, keeping managers' corrections.
    async fn store_tags(&self, tags: &[Retagged]) -> Result<(), StoreError>;
    /// Marks every text as tagged with no taxonomy, so all are retagged; returns how many.
    async fn mark_all_for_retagging(&self) -> Result<u64, StoreError>;
    /// (texts still to retag for `version`, all texts).
    async fn tagging_progress(&self, version: i64) -> Result<(u64, u64), StoreError>;
    /// Records a correction and applies it; `false` when the response does not exist.
    async fn correct_theme(&self, correction: &ThemeCorrection) -> Result<bool, StoreError>;
    async fn create_api_token(&self, token: &NewApiToken) -> Result<i64, StoreError>;
    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>, StoreError>;
    /// The token with this hash, revoked or not.
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError>;
    async fn touch_api_token(&self, id: i64, now: i64) -> Result<(), StoreError>;
    /// `false` when there is no such token or it was revoked already.
    async fn revoke_api_token(&self, id: i64, now: i64) -> Result<bool, StoreError>;
    async fn stored_answer(
        &self,
        token_id: i64,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError>;
    /// Keeps the first answer stored under a key.
    async fn store_answer(
        &self,
        token_id: i64,
        key: &str,
        answer: &StoredAnswer,
        now: i64,
    ) -> Result<(), StoreError>;
    async fn create_import(&self, import: &NewImport) -> Result<i64, StoreError>;
    async fn import_record(&self, id: i64) -> Result<Option<ImportRecord>, StoreError>;
    /// Newest first, without contents.
    async fn list_imports(
        &self,
        limit: u32,
    ) -> Result<Vec<crate::import::ImportSummary>, StoreError>;
    /// Sets the mapping and marks the import running with `total` rows, unless it is running or
    /// done already (then `false`).
    async fn start_import(&self, id: i64, mapping: &str, total: u64) -> Result<bool, StoreError>;
    /// Stores one batch of an import and moves its counts forward in the same transaction, so
    /// they always match what is stored and a resumed import goes on exactly after its last
    /// batch. `processed`: rows done including this batch; `failed`: this batch's refused rows.
    async fn insert_import_batch(
        &self,
        import_id: i64,
        responses: &[NewResponse],
        processed: u64,
        failed: u64,
    ) -> Result<Vec<Inserted>, StoreError>;
    async fn import_progress(
        &self,
        id: i64,
        processed: u64,
        created: u64,
        duplicates: u64,
        failed: u64,
    ) -> Result<(), StoreError>;
    async fn finish_import(
        &self,
        id: i64,
        status: &str,
        report: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The value of an installation secret, created from `initial` the first time.
    async fn instance_secret(&self, name: &str, initial: &str) -> Result<String, StoreError>;

    /// Texts created in `[from, to)`, newest first.
    async fn texts_between(
        &self,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<PeriodText>, StoreError>;
}

// ---------------------------------------------------------------------------------------------
// Text analysis interface

#[derive(Debug, Clone, PartialEq)]
pub struct LanguageGuess {
    /// ISO 639-1, e.g. "nl".
    pub code: String,
    /// 0..=1
    pub confidence: f64,
}

/// What analysis found in one text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextAnalysis {
    pub language: Option<LanguageGuess>,
    /// "positive", "neutral" or "negative" with a score in −1 … +1.
    pub sentiment: Option<(String, f64)>,
    /// The themes found, each once, in order of first appearance.
    pub themes: Vec<ThemeTag>,
    /// The text with personal data (e-mail addresses, phone numbers, IBANs) masked.
    pub masked: String,
    /// The taxonomy version the themes come from.
    pub taxonomy_version: i64,
}

pub trait Analyzer: Send + Sync + 'static {
    /// Language, themes and masked text. `context` is the language the respondent chose: a prior
    /// for detection, and the language to match themes in when the text's own is undetermined.
    fn analyze(&self, text: &str, context: Option<Locale>) -> TextAnalysis;
    /// `text` with personal data replaced by placeholders.
    fn mask_pii(&self, text: &str) -> String;
    /// The display name of a theme in `locale` (the key itself for an unknown theme).
    fn theme_name(&self, key: &str, locale: Locale) -> String;
    /// The taxonomy in force and its version.
    fn taxonomy(&self) -> (i64, Taxonomy);
    /// Puts a taxonomy in force (after it was stored as `version`).
    fn set_taxonomy(&self, version: i64, taxonomy: &Taxonomy);
    /// Frequent words and phrases of `current` that no theme covers, rising against `previous`.
    fn emerging_topics(
        &self,
        current: &[PeriodText],
        previous: &[PeriodText],
        limit: usize,
    ) -> Vec<EmergingTopic>;
}

// ---------------------------------------------------------------------------------------------
// Application state

#[derive(Debug, Clone)]
pub struct Settings {
    /// Mark cookies `Secure` (set when the site is served over HTTPS).
    pub secure_cookies: bool,
    pub session_ttl: Duration,
    /// Reverse proxies whose `X-Forwarded-For` is believed; from anyone else it is ignored, so
    /// a client cannot dodge the rate limits by inventing addresses.
    pub trusted_proxies: Vec<IpAddr>,
    /// Public submissions (survey answers) per client address per window.
    pub submit_limit: u32,
    /// API requests per token per window.
    pub api_limit: u32,
    pub rate_window: Duration,
    /// The site's address as customers reach it (e.g. `https://feedback.example.nl`), for the
    /// links the link builder makes; by default the address of the request.
    pub public_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 3600),
            trusted_proxies: Vec::new(),
            // A shop tablet or an office behind one address sends many honest answers.
            submit_limit: 120,
            api_limit: 600,
            rate_window: Duration::from_secs(60),
            public_url: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub analyzer: Arc<dyn Analyzer>,
    pub settings: Arc<Settings>,
    /// Failed logins, per account and client (see [`crate::login_throttle`]).
    pub login_throttle: Arc<crate::login_throttle::LoginThrottle>,
    /// Public submissions per client address.
    pub submit_limiter: Arc<FailureLimiter>,
    /// API requests per token.
    pub api_limiter: Arc<FailureLimiter>,
    /// Wakes the background retagger (after the taxonomy changed).
    pub retag: Arc<tokio::sync::Notify>,
    /// Key of the customer hash (see [`customer_hash`]); per installation, kept in the database.
    pub customer_key: Arc<String>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, analyzer: Arc<dyn Analyzer>, settings: Settings) -> Self {
        let submit_limiter = FailureLimiter::new(settings.submit_limit, settings.rate_window);
        let api_limiter = FailureLimiter::new(settings.api_limit, settings.rate_window);
        AppState {
            store,
            analyzer,
            settings: Arc::new(settings),
            login_throttle: Arc::default(),
            submit_limiter: Arc::new(submit_limiter),
            api_limiter: Arc::new(api_limiter),
            retag: Arc::new(tokio::sync::Notify::new()),
            customer_key: Arc::new(String::new()),
        }
    }
}

/// The application state inside a server function or a server-side render.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

// ---------------------------------------------------------------------------------------------
// Request helpers

pub fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// A plain HTML form post (no JavaScript) asks for HTML back; the server-function client does not.
pub fn is_plain_form_post() -> bool {
    request_parts()
        .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
        .unwrap_or(false)
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The client's address: the connection's peer, or, when that peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` that is not one of the trusted proxies.
pub fn client_ip(parts: &Parts, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())?;
    if !trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted_proxies.contains(a))
            .unwrap_or(peer),
    )
}

impl FailureLimiter {
    /// Counts one use of `key`; `Err(retry_after)` once the window's allowance is used up.
    pub fn hit(&self, key: &str) -> Result<(), Duration> {
        self.check(key)?;
        self.record_failure(key);
        Ok(())
    }
}

/// The supported language named by `?lang=` in the request, if any.
pub fn query_locale(parts: &Parts) -> Option<Locale> {
    parts.uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Locale::from_tag(v))
    })
}

/// The UI language of this request: `?lang=` wins, then the language cookie, then
/// `Accept-Language`, then Dutch.
pub fn request_locale(parts: &Parts) -> Locale {
    query_locale(parts)
        .or_else(|| cookie(parts, LANG_COOKIE).and_then(|v| Locale::from_tag(&v)))
        .or_else(|| {
            parts
                .headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

/// Sets the HTTP status for an error and returns it, so server functions can `return fail(e)`.
pub fn fail<T>(error: AppError) -> Result<T, AppError> {
    if let (AppError::RateLimited { retry_after_secs }, Some(res)) =
        (&error, use_context::<ResponseOptions>())
    {
        if let Ok(v) = http::HeaderValue::from_str(&retry_after_secs.to_string()) {
            res.insert_header(http::header::RETRY_AFTER, v);
        }
    }
    let status = error.status();
    fail_status(error, status)
}

/// Like [`fail`], with a status other than the error's own (a closed survey's page is a 404).
pub fn fail_status<T>(error: AppError, status: u16) -> Result<T, AppError> {
    if let Some(res) = use_context::<ResponseOptions>() {
        res.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    Err(error)
}

/// For plain HTML form posts: send the browser back to `path` with the error in the query string,
/// where the page shows it in the user's language. JavaScript clients get the error itself.
pub fn fail_form<T>(
    error: AppError,
    path: &str,
    extra_query: &[(&str, &str)],
) -> Result<T, AppError> {
    if is_plain_form_post() {
        let mut url = format!("{path}?error={}", percent_encode(&error.code()));
        for (k, v) in extra_query {
            if !v.is_empty() {
                url.push_str(&format!("&{k}={}", percent_encode(v)));
            }
        }
        leptos_axum::redirect(&url);
        if let Some(res) = use_context::<ResponseOptions>() {
            res.set_status(http::StatusCode::SEE_OTHER);
        }
        return Err(error);
    }
    fail(error)
}

// ---------------------------------------------------------------------------------------------
// Secrets: passwords, session tokens

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system has no random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Session tokens are stored hashed: a leaked database does not leak live sessions.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The join key of a customer across channels: HMAC-SHA256 of their reference (trimmed,
/// lower-cased) under the installation's key. Without the key the hash reveals nothing, and
/// guessing e-mail addresses against it is useless.
pub fn customer_hash(key: &str, reference: &str) -> String {
    use hmac::{Hmac, Mac};
    let normalized = reference.trim().to_lowercase();
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any size");
    mac.update(normalized.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|_| AppError::Internal)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| AppError::Internal)?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AppError::Internal)
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid argon2id hash of a random password, checked against when the account does not exist
/// so that a login takes as long for unknown accounts as for known ones.
pub fn dummy_password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 256;

pub fn session_cookie(token: &str, settings: &Settings) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        settings.session_ttl.as_secs(),
        if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

pub fn expired_session_cookie(settings: &Settings) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

/// The logged-in user of this request, if any.
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    let Some(parts) = request_parts() else {
        return Ok(None);
    };
    let Some(token) = cookie(&parts, SESSION_COOKIE) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    let state = state()?;
    Ok(state
        .store
        .session_user(&token_hash(&token), now_unix())
        .await?)
}

/// The logged-in user if their role passes `allowed`; otherwise 401 or 403.
pub async fn require(allowed: fn(Role) -> bool) -> Result<UserInfo, AppError> {
    match current_user().await? {
        None => fail(AppError::Unauthorized),
        Some(user) if allowed(user.role) => Ok(user),
        Some(_) => fail(AppError::Forbidden),
    }
}

// ---------------------------------------------------------------------------------------------
// Rate limiting

/// Counts uses per key in a fixed window; after `max` the key is refused until the window has
/// passed. For survey answers per client and API calls per token (logins: `login_throttle`).
/// Kept in memory: a restart forgets.
pub struct FailureLimiter {
    max: u32,
    window: Duration,
    entries: Mutex<HashMap<String, (Instant, u32)>>,
}

impl FailureLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        FailureLimiter {
            max,
            window,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(retry_after)` when the key has used up its failures.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match entries.get(key) {
            Some((start, count)) if *count >= self.max => {
                let elapsed = start.elapsed();
                if elapsed < self.window {
                    Err(self.window - elapsed)
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if entries.len() > 100_000 {
            // Bound memory under a flood of distinct keys: drop windows that have passed.
            let window = self.window;
            entries.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = entries.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }

    pub fn reset(&self, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// A checked record as a response to store: analysed, the customer recognised, personal
/// data kept only with consent. Shared by the API and the CSV import.
#[allow(clippy::too_many_arguments)]
pub fn to_new_response(
    analyzer: &dyn Analyzer,
    customer_key: &str,
    survey_id: i64,
    v: crate::ingest::ValidResponse,
    now: i64,
    submission_token: String,
    source: &str,
) -> NewResponse {
    let analysis = v
        .comment
        .as_deref()
        .map(|c| analyzer.analyze(c, v.locale))
        .unwrap_or_default();
    let customer_hash = v.customer_key().map(|k| customer_hash(customer_key, k));
    let contact_email = v
        .customer_email
        .as_ref()
        .filter(|_| v.consent)
        .map(|e| e.as_str().to_string());
    let customer_ref = v.customer_key().filter(|_| v.consent).map(String::from);
    let language = analysis.language;
    NewResponse {
        survey_id,
        submission_token,
        score: v.score.value(),
        // Without consent, personal data in the text is not kept.
        reason: v
            .comment
            .map(|c| if v.consent { c } else { analysis.masked }),
        language: language.as_ref().map(|l| l.code.clone()),
        language_confidence: language.map(|l| l.confidence),
        respondent_locale: v.locale.unwrap_or_default().as_str().into(),
        channel: Some(v.channel.as_str().into()),
        journey_phase: v.journey_phase.map(|p| p.as_str().into()),
        contact_email,
        created_at: v.submitted_at.unwrap_or(now),
        sentiment: analysis.sentiment.as_ref().map(|s| s.0.clone()),
        sentiment_score: analysis.sentiment.map(|s| s.1),
        themes: analysis.themes,
        taxonomy_version: analysis.taxonomy_version,
        source: source.into(),
        customer_hash,
        customer_ref,
        entered_by: None,
        answers: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_blocks_after_max_failures_and_resets() {
        let l = FailureLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(l.check("a").is_ok());
            l.record_failure("a");
        }
        assert!(l.check("a").is_err());
        assert!(l.check("b").is_ok());
        l.reset("a");
        assert!(l.check("a").is_ok());
    }

    #[test]
    fn limiter_window_expires() {
        let l = FailureLimiter::new(1, Duration::from_millis(20));
        l.record_failure("a");
        assert!(l.check("a").is_err());
        std::thread::sleep(Duration::from_millis(30));
        assert!(l.check("a").is_ok());
    }

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn customer_hash_is_hmac_sha256_of_the_normalized_reference() {
        // RFC 4231 test case 2.
        assert_eq!(
            customer_hash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            customer_hash("k", " Jan@Example.NL "),
            customer_hash("k", "jan@example.nl")
        );
        assert_ne!(customer_hash("k", "a"), customer_hash("other", "a"));
        // A key longer than SHA-256's block is hashed first: the same hashes as the hand-written
        // HMAC this replaced, so stored customer keys still match.
        assert_eq!(
            customer_hash(&"k".repeat(100), "K-1001"),
            "8ab484372c40abf01025bddfc187c27034c0f49efedfffc3ed33ed0dfa027761"
        );
    }

    #[test]
    fn cookies_parse() {
        let req = http::Request::builder()
            .header("cookie", "a=1; ks_session=abc; b=2")
            .body(())
            .unwrap();
        let (parts, _) = req.into_parts();
        assert_eq!(cookie(&parts, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&parts, "c"), None);
    }

    #[test]
    fn locale_precedence() {
        let parts = |uri: &str, cookie: &str, al: &str| {
            let req = http::Request::builder()
                .uri(uri)
                .header("cookie", cookie)
                .header("accept-language", al)
                .body(())
                .unwrap();
            req.into_parts().0
        };
        assert_eq!(
            request_locale(&parts("/s/x?lang=en", "ks_lang=nl", "nl")),
            Locale::En
        );
        assert_eq!(
            request_locale(&parts("/s/x", "ks_lang=en", "nl")),
            Locale::En
        );
        assert_eq!(
            request_locale(&parts("/s/x", "", "en-US,en;q=0.9")),
            Locale::En
        );
        assert_eq!(request_locale(&parts("/s/x", "", "fr")), Locale::Nl);
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let parts = |peer: &str, xff: &str| {
            let mut req = http::Request::builder()
                .header("x-forwarded-for", xff)
                .body(())
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo::<SocketAddr>(
                    peer.parse().unwrap(),
                ));
            req.into_parts().0
        };
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // A client that sends its own header gains nothing.
        assert_eq!(
            client_ip(&parts("203.0.113.9:5000", "1.2.3.4"), &[proxy]),
            ip("203.0.113.9")
        );
        // Behind the proxy: the nearest untrusted address, not a spoofed one further left.
        assert_eq!(
            client_ip(&parts("10.0.0.1:5000", "6.6.6.6, 198.51.100.7"), &[proxy]),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(&parts("10.0.0.1:5000", "garbage"), &[proxy]),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn hits_are_limited_per_key() {
        let l = FailureLimiter::new(2, Duration::from_secs(60));
        assert!(l.hit("a").is_ok() && l.hit("a").is_ok());
        assert!(l.hit("a").is_err());
        assert!(l.hit("b").is_ok());
    }
}
