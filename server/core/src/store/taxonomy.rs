//! The theme taxonomy's versions, (re)tagging of stored texts, and managers' corrections.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::model::ThemeTag;

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
    pub sentiment_confidence: Option<f64>,
    pub themes: Vec<ThemeTag>,
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

#[async_trait]
pub trait TaxonomyStore: Send + Sync {
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
}
