//! The application's `Analyzer`: the text analysis of the `analysis` crate for the taxonomy in
//! force, in the shapes the application stores.

use ::analysis::emerging::TopicFinder;
use ::analysis::themes::Taxonomy;
pub use ::analysis::*;
use std::sync::{Arc, RwLock};

/// The analyser the server runs: the pipeline for the taxonomy in force, replaced as a whole
/// when an admin saves a new taxonomy (requests in flight finish with the one they started with).
pub struct LiveAnalyzer {
    current: RwLock<Arc<(i64, TextAnalyzer)>>,
    topics: TopicFinder,
    terms: similar::TermExtractor,
}

impl LiveAnalyzer {
    pub fn new(version: i64, taxonomy: &Taxonomy) -> Self {
        LiveAnalyzer {
            current: RwLock::new(Arc::new((version, TextAnalyzer::new(taxonomy)))),
            topics: TopicFinder::default(),
            terms: similar::TermExtractor::default(),
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
            let key = &analyzer.taxonomy().themes[hit.theme].key;
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
            .taxonomy()
            .theme(key)
            .map(|t| t.name(locale).to_string())
            .unwrap_or_else(|| key.to_string())
    }

    fn taxonomy(&self) -> (i64, Taxonomy) {
        let current = self.current();
        (current.0, current.1.taxonomy().clone())
    }

    fn set_taxonomy(&self, version: i64, taxonomy: &Taxonomy) {
        let next = Arc::new((version, TextAnalyzer::new(taxonomy)));
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = next;
    }

    fn terms(&self, text: &str, language: Option<&str>) -> Vec<String> {
        match language.and_then(Language::from_code) {
            Some(lang) => self.terms.terms(text, &[lang]),
            None => self.terms.terms(text, &[Language::Nl, Language::En]),
        }
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
