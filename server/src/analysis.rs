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
    /// The sentiment model learned from people's labels, with its report; it tags only when in
    /// force (better than the lexicon on held-out labels).
    learned: RwLock<Option<(Arc<learned::SentimentModel>, app::text_labels::ModelReport)>>,
    /// The theme models learned from people's theme labels: those in force (better than the
    /// keywords on held-out labels), and every theme's report.
    theme_models: RwLock<ThemeModels>,
    keywords: keywords::KeywordFinder,
}

type ThemeModels = (
    Arc<Vec<(String, learned::ThemeModel)>>,
    Vec<app::text_labels::ThemeModelReport>,
);

impl LiveAnalyzer {
    pub fn new(version: i64, taxonomy: &Taxonomy) -> Self {
        LiveAnalyzer {
            current: RwLock::new(Arc::new((version, TextAnalyzer::new(taxonomy)))),
            topics: TopicFinder::default(),
            terms: similar::TermExtractor::default(),
            learned: RwLock::new(None),
            theme_models: RwLock::new((Arc::new(Vec::new()), Vec::new())),
            keywords: keywords::KeywordFinder::default(),
        }
    }

    /// The model in force, if one is.
    fn model(&self) -> Option<Arc<learned::SentimentModel>> {
        self.learned
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|(_, report)| report.in_force)
            .map(|(m, _)| m.clone())
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
        let mut a = analyzer.analyze(text, context);
        // The installation's own model, where it does better than the lexicon: for the whole
        // text and for each theme's sentence, with the lexicon's verdict as one of its features.
        if let Some(model) = self.model() {
            let learn = |part: &str, lexicon: Option<sentiment::Sentiment>| {
                lexicon.map(|lex| {
                    let x = learned::features(part, Some((lex.polarity, lex.score)));
                    let (polarity, p) = model.predict(&x);
                    sentiment::Sentiment {
                        polarity,
                        score: p[2] - p[0],
                        confidence: p[learned::class(polarity)],
                    }
                })
            };
            a.sentiment = learn(text, a.sentiment);
            // Themes sharing a sentence share its prediction.
            let mut done: Vec<(std::ops::Range<usize>, Option<sentiment::Sentiment>)> = Vec::new();
            for (hit, s) in &mut a.themes {
                *s = match done.iter().find(|(r, _)| *r == hit.sentence) {
                    Some((_, known)) => *known,
                    None => {
                        let new = learn(text.get(hit.sentence.clone()).unwrap_or(text), *s);
                        done.push((hit.sentence.clone(), new));
                        new
                    }
                };
            }
        }
        let mut tags: Vec<app::model::ThemeTag> = Vec::new();
        for (hit, sentiment) in &a.themes {
            let key = &analyzer.taxonomy().themes[hit.theme].key;
            // A theme found in several sentences keeps the sentiment of its first.
            if !tags.iter().any(|t| &t.key == key) {
                tags.push(app::model::ThemeTag {
                    key: key.clone(),
                    name: String::new(),
                    sentiment: sentiment.map(|s| s.polarity.as_str().to_string()),
                    confidence: sentiment.map(|s| s.confidence),
                    manual: false,
                });
            }
        }
        // The installation's theme models, where they do better than the keywords: they add a
        // theme the keywords missed (with the text's sentiment) or drop one they misfired on.
        let models = self
            .theme_models
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clone();
        if !models.is_empty() && (a.language.is_some() || context.is_some()) {
            let words = learned::features(text, None);
            for (key, model) in models.iter() {
                let matched = tags.iter().any(|t| &t.key == key);
                let p = model.probability(&learned::with_keywords(&words, matched));
                if matched && p < 0.5 {
                    tags.retain(|t| &t.key != key);
                } else if !matched && p >= 0.5 {
                    tags.push(app::model::ThemeTag {
                        key: key.clone(),
                        name: String::new(),
                        sentiment: a.sentiment.map(|s| s.polarity.as_str().to_string()),
                        confidence: a.sentiment.map(|s| s.confidence),
                        manual: false,
                    });
                }
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
            sentiment_confidence: a.sentiment.map(|s| s.confidence),
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

    fn train_sentiment(
        &self,
        labels: &[app::backend::LabelledText],
    ) -> Option<app::text_labels::ModelReport> {
        if labels.len() < app::text_labels::MIN_LABELS {
            return None;
        }
        let current = self.current();
        let lexicon = &current.1;
        // Each text with the lexicon's verdict (its prior) and its label's class.
        let examples: Vec<(i64, learned::Features, usize, Option<usize>)> = labels
            .iter()
            .filter_map(|l| {
                let gold = match l.sentiment.as_str() {
                    "negative" => 0,
                    "neutral" => 1,
                    "positive" => 2,
                    _ => return None,
                };
                let lex = lexicon
                    .analyze(&l.text, context_language(&l.language))
                    .sentiment;
                let x = learned::features(&l.text, lex.map(|s| (s.polarity, s.score)));
                Some((
                    l.response_id,
                    x,
                    gold,
                    lex.map(|s| learned::class(s.polarity)),
                ))
            })
            .collect();
        let (test, train): (Vec<_>, Vec<_>) = examples
            .into_iter()
            .partition(|(id, ..)| app::text_labels::held_out(*id));
        let train: Vec<(learned::Features, usize)> =
            train.into_iter().map(|(_, x, y, _)| (x, y)).collect();
        let model = learned::SentimentModel::train(&train, 8);
        let learned_right = test
            .iter()
            .filter(|(_, x, y, _)| learned::class(model.predict(x).0) == *y)
            .count();
        let lexicon_right = test
            .iter()
            .filter(|(_, _, y, lex)| *lex == Some(*y))
            .count();
        let report = app::text_labels::ModelReport {
            labels_digest: app::text_labels::digest(
                labels.iter().map(|l| (l.response_id, l.sentiment.as_str())),
            ),
            ..app::text_labels::ModelReport::judge(
                train.len(),
                test.len(),
                learned_right,
                lexicon_right,
            )
        };
        *self.learned.write().unwrap_or_else(|e| e.into_inner()) = Some((Arc::new(model), report));
        Some(report)
    }

    fn suggest_keywords(
        &self,
        key: &str,
        theme: &[(String, String)],
        others: &[(String, String)],
        limit: usize,
    ) -> Vec<app::taxonomy::KeywordSuggestion> {
        let current = self.current();
        let known: Vec<(Language, String)> = current
            .1
            .taxonomy()
            .theme(key)
            .map(|t| {
                t.terms
                    .iter()
                    .filter_map(|terms| Some((Language::from_code(&terms.language)?, terms)))
                    .flat_map(|(lang, terms)| terms.keywords.iter().map(move |k| (lang, k.clone())))
                    .collect()
            })
            .unwrap_or_default();
        // Personal data never becomes a keyword: texts are masked first.
        let prepare = |texts: &[(String, String)]| -> Vec<(String, Language)> {
            texts
                .iter()
                .filter_map(|(t, l)| Some((pii::mask(t), Language::from_code(l)?)))
                .collect()
        };
        let (theme, others) = (prepare(theme), prepare(others));
        fn borrow(v: &[(String, Language)]) -> Vec<(&str, Language)> {
            v.iter().map(|(t, l)| (t.as_str(), *l)).collect()
        }
        let known: Vec<(Language, &str)> = known.iter().map(|(l, k)| (*l, k.as_str())).collect();
        self.keywords
            .suggest(&borrow(&theme), &borrow(&others), &known, limit)
            .into_iter()
            .map(|s| app::taxonomy::KeywordSuggestion {
                word: s.word,
                language: s.language.code().into(),
                in_theme: s.in_theme,
                theme_texts: theme.len() as u32,
                elsewhere: s.elsewhere,
                other_texts: others.len() as u32,
            })
            .collect()
    }

    fn train_themes(
        &self,
        labels: &[app::backend::ThemeLabelledText],
    ) -> Vec<app::text_labels::ThemeModelReport> {
        use app::text_labels::{held_out, theme_digest, ThemeModelReport};
        let current = self.current();
        let (_, lexicon) = &*current;
        // Each text's words and the themes its keywords match, once.
        // (response id, words, themes the keywords match, people's theme labels)
        type Prepared<'a> = (i64, learned::Features, Vec<String>, &'a [(String, bool)]);
        let texts: Vec<Prepared> = labels
            .iter()
            .map(|l| {
                let found = lexicon.analyze(&l.text, context_language(&l.language));
                let matched = found
                    .themes
                    .iter()
                    .map(|(hit, _)| lexicon.taxonomy().themes[hit.theme].key.clone())
                    .collect();
                (
                    l.response_id,
                    learned::features(&l.text, None),
                    matched,
                    l.themes.as_slice(),
                )
            })
            .collect();
        let digest = theme_digest(labels.iter().flat_map(|l| {
            l.themes
                .iter()
                .map(move |(key, applies)| (l.response_id, key.as_str(), *applies))
        }));
        // Every theme people said applies somewhere; a labelled text without it is an example
        // of where it does not.
        let mut keys: Vec<&str> = labels
            .iter()
            .flat_map(|l| l.themes.iter().filter(|(_, a)| *a).map(|(k, _)| k.as_str()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut in_force = Vec::new();
        let mut reports = Vec::new();
        for key in keys {
            // (held out, features, applies, keywords match)
            let examples: Vec<(bool, learned::Features, bool, bool)> = texts
                .iter()
                .map(|(id, words, matched, themes)| {
                    let m = matched.iter().any(|k| k == key);
                    let applies = themes.iter().any(|(k, a)| k == key && *a);
                    (held_out(*id), learned::with_keywords(words, m), applies, m)
                })
                .collect();
            let train: Vec<(learned::Features, bool)> = examples
                .iter()
                .filter(|e| !e.0)
                .map(|(_, x, y, _)| (x.clone(), *y))
                .collect();
            let test: Vec<&(bool, learned::Features, bool, bool)> =
                examples.iter().filter(|e| e.0).collect();
            let model = learned::ThemeModel::train(&train, 8);
            let (_, _, learned_f1) = learned::binary_scores(
                test.iter()
                    .map(|(_, x, y, _)| (*y, model.probability(x) >= 0.5)),
            );
            let (_, _, keywords_f1) =
                learned::binary_scores(test.iter().map(|(_, _, y, m)| (*y, *m)));
            let report = ThemeModelReport {
                labels_digest: digest,
                ..ThemeModelReport::judge(
                    key,
                    (train.len(), train.iter().filter(|(_, y)| *y).count()),
                    (test.len(), test.iter().filter(|e| e.2).count()),
                    learned_f1,
                    keywords_f1,
                )
            };
            if report.in_force {
                in_force.push((key.to_string(), model));
            }
            reports.push(report);
        }
        *self.theme_models.write().unwrap_or_else(|e| e.into_inner()) =
            (Arc::new(in_force), reports.clone());
        reports
    }

    fn theme_models(&self) -> Vec<app::text_labels::ThemeModelReport> {
        self.theme_models
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .clone()
    }

    fn sentiment_model(&self) -> Option<app::text_labels::ModelReport> {
        self.learned
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|(_, report)| *report)
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
