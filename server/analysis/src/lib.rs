//! Text analysis in plain Rust (no web or database types): language, words, themes, sentiment,
//! privacy masking and emerging topics. Every text that enters the platform goes through
//! [`TextAnalyzer::analyze`]; the server wraps it as the application's `Analyzer`
//! (`server/src/analysis.rs`). Builds and tests without Leptos or sqlx.

pub mod emerging;
pub mod keywords;
pub mod language;
pub mod learned;
pub mod pii;
pub mod sentiment;
pub mod similar;
pub mod stopwords;
pub mod text;
pub mod themes;

pub use language::{Language, LanguageDetector};
use sentiment::{Sentiment, SentimentScorer};
use themes::{Taxonomy, ThemeHit, ThemeMatcher};

/// What the platform knows about one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// `None`: undetermined (too short or ambiguous).
    pub language: Option<(Language, f64)>,
    /// Themes with the sentence each was found in; empty when the language is undetermined
    /// and there is no context language to fall back on.
    pub themes: Vec<(ThemeHit, Option<Sentiment>)>,
    /// Sentiment of the whole text (in its language, else the context language).
    pub sentiment: Option<Sentiment>,
    /// The text with personal data masked.
    pub masked: String,
}

/// The whole pipeline, built once and shared by all requests.
pub struct TextAnalyzer {
    pub languages: LanguageDetector,
    pub themes: ThemeMatcher,
    pub sentiment: SentimentScorer,
    taxonomy: Taxonomy,
}

impl TextAnalyzer {
    /// The taxonomy this pipeline matches.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    pub fn new(taxonomy: &Taxonomy) -> Self {
        TextAnalyzer {
            languages: LanguageDetector::default(),
            themes: ThemeMatcher::new(taxonomy),
            sentiment: SentimentScorer::default(),
            taxonomy: taxonomy.clone(),
        }
    }

    /// `context`: the language the respondent chose, used as a prior for detection and as the
    /// language to match themes in when the text's own language cannot be told.
    pub fn analyze(&self, text: &str, context: Option<Language>) -> Analysis {
        let language = self.languages.detect(text, context);
        let masked = pii::mask(text);
        let Some(lang) = language.map(|(l, _)| l).or(context) else {
            return Analysis {
                language,
                themes: Vec::new(),
                sentiment: None,
                masked,
            };
        };
        // Each theme carries the sentiment of the sentence it was found in; sentences shared by
        // several themes (and a one-sentence text) are scored once.
        let mut scored: Vec<(std::ops::Range<usize>, Option<Sentiment>)> = Vec::new();
        let mut score =
            |range: std::ops::Range<usize>| match scored.iter().find(|(r, _)| *r == range) {
                Some((_, s)) => *s,
                None => {
                    let s = self.sentiment.score_range(text, range.clone(), lang);
                    scored.push((range, s));
                    s
                }
            };
        let themes: Vec<(ThemeHit, Option<Sentiment>)> = self
            .themes
            .match_text(text, lang)
            .into_iter()
            .map(|hit| {
                let s = score(hit.sentence.clone());
                (hit, s)
            })
            .collect();
        let sentiment = score(0..text.len());
        Analysis {
            language,
            themes,
            sentiment,
            masked,
        }
    }
}

impl Default for TextAnalyzer {
    fn default() -> Self {
        Self::new(&themes::default_taxonomy())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyses_a_dutch_complaint() {
        let a = TextAnalyzer::new(&themes::default_taxonomy());
        let r = a.analyze(
            "Drie kwartier in de wacht gestaan en toen bleek de factuur fout. Bel me: 0612345678",
            None,
        );
        assert_eq!(r.language.map(|l| l.0), Some(Language::Nl));
        assert_eq!(r.themes.len(), 2);
        assert!(r.masked.ends_with("Bel me: [tel]"));
    }

    #[test]
    fn short_text_uses_the_context_language_for_themes() {
        let a = TextAnalyzer::new(&themes::default_taxonomy());
        let r = a.analyze("Duur!", Some(Language::Nl));
        assert_eq!(r.language, None);
        assert_eq!(r.themes.len(), 1);
    }
}
