//! Text analysis in plain Rust (no web or database types): language, words, themes and privacy
//! masking. Every text that enters the platform goes through [`TextAnalyzer::analyze`].

pub mod emerging;
pub mod language;
pub mod pii;
pub mod sentiment;
pub mod text;
pub mod themes;

use emerging::TopicFinder;
pub use language::{Language, LanguageDetector};
use sentiment::{Sentiment, SentimentScorer};
use std::sync::{Arc, RwLock};
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

/// The analyser the server runs: the pipeline for the taxonomy in force, replaced as a whole
/// when an admin saves a new taxonomy (requests in flight finish with the one they started with).
pub struct LiveAnalyzer {
    current: RwLock<Arc<(i64, TextAnalyzer)>>,
    topics: TopicFinder,
}

impl LiveAnalyzer {
    pub fn new(version: i64, taxonomy: &Taxonomy) -> Self {
        LiveAnalyzer {
            current: RwLock::new(Arc::new((version, TextAnalyzer::new(taxonomy)))),
            topics: TopicFinder::default(),
        }
    }

    fn current(&self) -> Arc<(i64, TextAnalyzer)> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

fn context_language(locale: &str) -> Option<Language> {
    Language::from_code(locale)
}

impl app::backend::Analyzer for LiveAnalyzer {
    fn analyze(
        &self,
        text: &str,
        context: Option<app::i18n::Locale>,
    ) -> app::backend::TextAnalysis {
        let current = self.current();
        let (version, analyzer) = (current.0, &current.1);
        let context = context.and_then(|l| context_language(l.as_str()));
        let a = analyzer.analyze(text, context);
        let mut tags: Vec<app::model::ThemeTag> = Vec::new();
        for (hit, sentiment) in &a.themes {
            let key = &analyzer.taxonomy.themes[hit.theme].key;
            // A theme found in several sentences keeps the sentiment of its first.
            if !tags.iter().any(|t| &t.key == key) {
                tags.push(app::model::ThemeTag {
                    key: key.clone(),
                    name: String::new(),
                    sentiment: sentiment.map(|s| s.polarity.as_str().to_string()),
                    manual: false,
                });
            }
        }
        app::backend::TextAnalysis {
            language: a
                .language
                .map(|(l, confidence)| app::backend::LanguageGuess {
                    code: l.code().into(),
                    confidence,
                }),
            sentiment: a
                .sentiment
                .map(|s| (s.polarity.as_str().to_string(), s.score)),
            themes: tags,
            masked: a.masked,
            taxonomy_version: version,
        }
    }

    fn mask_pii(&self, text: &str) -> String {
        pii::mask(text)
    }

    fn theme_name(&self, key: &str, locale: app::i18n::Locale) -> String {
        self.current()
            .1
            .taxonomy
            .theme(key)
            .map(|t| t.name(locale).to_string())
            .unwrap_or_else(|| key.to_string())
    }

    fn taxonomy(&self) -> (i64, Taxonomy) {
        let current = self.current();
        (current.0, current.1.taxonomy.clone())
    }

    fn set_taxonomy(&self, version: i64, taxonomy: &Taxonomy) {
        let next = Arc::new((version, TextAnalyzer::new(taxonomy)));
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = next;
    }

    fn emerging_topics(
        &self,
        current: &[app::backend::PeriodText],
        previous: &[app::backend::PeriodText],
        limit: usize,
    ) -> Vec<app::model::EmergingTopic> {
        let analyzer = self.current();
        // Personal data never becomes a topic: texts are masked first.
        let prepare = |texts: &[app::backend::PeriodText]| -> Vec<(String, Language)> {
            texts
                .iter()
                .filter_map(|t| {
                    let lang = t
                        .language
                        .as_deref()
                        .and_then(Language::from_code)
                        .or_else(|| context_language(&t.respondent_locale))?;
                    Some((pii::mask(&t.text), lang))
                })
                .collect()
        };
        let (now, before) = (prepare(current), prepare(previous));
        fn borrow(v: &[(String, Language)]) -> Vec<(&str, Language)> {
            v.iter().map(|(t, l)| (t.as_str(), *l)).collect()
        }
        self.topics
            .find(&analyzer.1.themes, &borrow(&now), &borrow(&before), limit)
            .into_iter()
            .map(|t| app::model::EmergingTopic {
                label: t.label,
                language: t.language.code().into(),
                count: t.count,
                previous: t.previous,
                rise: t.rise,
            })
            .collect()
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
        let r = a.analyze("Te duur!", Some(Language::Nl));
        assert_eq!(r.language, None);
        assert_eq!(r.themes.len(), 1);
    }
}
