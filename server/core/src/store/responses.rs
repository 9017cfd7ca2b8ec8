//! Responses from every channel: stored once per submission token, read back as verbatims.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::model::{ResponseFilter, ThemeTag, Verbatim};

#[derive(Debug, Clone, PartialEq)]
pub struct NewResponse {
    pub survey_id: i64,
    /// Deduplication key: the same token is stored once.
    pub submission_token: String,
    /// `None` for feedback without a score.
    pub score: Option<u8>,
    /// A star rating (CSAT) 1–5.
    pub rating: Option<u8>,
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
    /// How likely `sentiment` is right (0–1; 1 for a person's label).
    pub sentiment_confidence: Option<f64>,
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
    /// The consent the customer gave, in the words they read; `None` without consent.
    pub consent: Option<String>,
    /// The staff member who entered it on the customer's behalf.
    pub entered_by: Option<i64>,
    /// Answers to the survey's questions after the NPS question.
    pub answers: Vec<domain::questions::Answer>,
    /// What a person said of the text when it arrived.
    pub labels: HumanLabels,
}

/// A person's labels that came with a text (the API's and the import's `sentiment` and `themes`):
/// stored as corrections that every retagging keeps, and learned from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HumanLabels {
    /// The sentiment a person gave, and what the lexicon said of the text.
    pub sentiment: Option<(String, Option<String>)>,
    /// Themes a person said apply (`true`) or do not (`false`).
    pub themes: Vec<(String, bool)>,
}

/// A text of a period, for emerging topics.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodText {
    pub text: String,
    pub language: Option<String>,
    pub respondent_locale: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inserted {
    pub id: i64,
    /// True when the token was seen before and nothing new was stored.
    pub duplicate: bool,
}

#[async_trait]
pub trait ResponseStore: Send + Sync {
    /// A response's answers to extra questions, with their questions, in question order.
    async fn response_answers(
        &self,
        response_id: i64,
    ) -> Result<Vec<(domain::questions::Question, domain::questions::Answer)>, StoreError>;

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

    /// Responses matching `filter`, newest first.
    async fn list_responses(
        &self,
        filter: &ResponseFilter,
        limit: u32,
    ) -> Result<Vec<Verbatim>, StoreError>;

    /// Recognised customers' answers given in `[from, to)`, each with the customer's previous
    /// answer (on any date), oldest first, and the theme keys of all of them: (response, key).
    async fn customer_contacts(
        &self,
        from: i64,
        to: i64,
    ) -> Result<(Vec<domain::switches::Contact>, Vec<(i64, String)>), StoreError>;

    /// A customer's responses on every channel, newest first.
    async fn customer_responses(
        &self,
        customer_hash: &str,
        limit: u32,
    ) -> Result<Vec<Verbatim>, StoreError>;

    /// Texts created in `[from, to)`, newest first.
    async fn texts_between(
        &self,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<PeriodText>, StoreError>;
}
