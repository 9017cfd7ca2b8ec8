//! The text analysis port: what the use cases need from the `analysis` crate, which the server
//! adapts (`server::analysis::LiveAnalyzer`).

use crate::store::PeriodText;
use domain::locale::Locale;
use domain::model::{EmergingTopic, ThemeTag};
use domain::taxonomy::Taxonomy;

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
    /// How likely `sentiment` is right (0–1).
    pub sentiment_confidence: Option<f64>,
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
    /// The terms of `text` for similar-idea suggestions: stems of its content words and the
    /// concepts they stand for across languages. `language` as detected (ISO 639-1); when
    /// unknown, the text is read as Dutch and as English.
    fn terms(&self, text: &str, language: Option<&str>) -> Vec<String>;
    /// Trains the installation's sentiment model on people's labels, measures it against the
    /// lexicon on the held-out ones (`domain::labels::held_out`) and puts it in force only where
    /// it is better. `None` when the analyser cannot learn or there are too few labels.
    fn train_sentiment(
        &self,
        _labels: &[crate::store::LabelledText],
    ) -> Option<domain::labels::ModelReport> {
        None
    }
    /// Up to `limit` words that set `theme` texts (text, language code) apart from `others`,
    /// leaving out the keywords of theme `key` in the taxonomy in force.
    fn suggest_keywords(
        &self,
        _key: &str,
        _theme: &[(String, String)],
        _others: &[(String, String)],
        _limit: usize,
    ) -> Vec<domain::taxonomy::KeywordSuggestion> {
        Vec::new()
    }
    /// The report of the model last trained.
    fn sentiment_model(&self) -> Option<domain::labels::ModelReport> {
        None
    }
    /// Trains a model per theme that people labelled, measures each against the theme's
    /// keywords on the held-out texts and lets it decide the theme only where it is better.
    /// Reports per theme (empty when the analyser cannot learn).
    fn train_themes(
        &self,
        _labels: &[crate::store::ThemeLabelledText],
    ) -> Vec<domain::labels::ThemeModelReport> {
        Vec::new()
    }
    /// The reports of the theme models last trained.
    fn theme_models(&self) -> Vec<domain::labels::ThemeModelReport> {
        Vec::new()
    }
    /// Frequent words and phrases of `current` that no theme covers, rising against `previous`.
    fn emerging_topics(
        &self,
        current: &[PeriodText],
        previous: &[PeriodText],
        limit: usize,
    ) -> Vec<EmergingTopic>;
}
