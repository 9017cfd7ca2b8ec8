//! People's labels of texts: the sentiment a manager gives on the response page or in the review
//! queue (labels that came with feedback are written with it, see `HumanLabels`).

use crate::error::StoreError;
use async_trait::async_trait;
use domain::labels::{LabelStats, ReviewCandidate};

/// A text with a person's sentiment label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledText {
    pub response_id: i64,
    pub text: String,
    /// The detected language, else the one the respondent used.
    pub language: String,
    pub sentiment: String,
}

/// A text with people's theme labels: (theme key, applies).
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeLabelledText {
    pub response_id: i64,
    pub text: String,
    pub language: String,
    pub themes: Vec<(String, bool)>,
}

#[async_trait]
pub trait LabelStore: Send + Sync {
    /// Sets a person's sentiment label of response `response_id` (replacing an earlier one) and
    /// the response's sentiment with it, routing it again; `false` when there is no such
    /// response with a text.
    async fn label_sentiment(
        &self,
        response_id: i64,
        sentiment: &str,
        user_id: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Sets a person's label of the sentiment with which response `response_id` speaks of theme
    /// `theme_key` (replacing an earlier one), in the rollups and the routing too; `false` when
    /// the response does not carry that theme.
    async fn label_theme_sentiment(
        &self,
        response_id: i64,
        theme_key: &str,
        sentiment: &str,
        user_id: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// The person's label of a response, if it has one.
    async fn sentiment_label(&self, response_id: i64) -> Result<Option<String>, StoreError>;
    /// Texts without a sentiment label, the lexicon's least certain first (at most `limit`).
    async fn review_candidates(&self, limit: u32) -> Result<Vec<ReviewCandidate>, StoreError>;
    /// How many texts carry a label and how often the lexicon agreed.
    async fn label_stats(&self) -> Result<LabelStats, StoreError>;
    /// Texts (text, language code) a person tagged with theme `key` — their theme labels — and
    /// the latest texts without it, at most `limit` of each: what keyword suggestions compare.
    async fn theme_examples(
        &self,
        key: &str,
        limit: u32,
    ) -> Result<(Vec<(String, String)>, Vec<(String, String)>), StoreError>;
    /// The labelled texts, newest labels first (at most `limit`): what a model learns from.
    async fn labelled_texts(&self, limit: u32) -> Result<Vec<LabelledText>, StoreError>;
    /// Texts people tagged with themes, each with the themes they said apply or not, newest
    /// first (at most `limit` texts): what the theme models learn from.
    async fn theme_labelled_texts(&self, limit: u32) -> Result<Vec<ThemeLabelledText>, StoreError>;
}
