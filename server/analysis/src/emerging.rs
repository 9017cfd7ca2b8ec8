//! Emerging topics: the words and two-word phrases customers use more and more that no theme
//! covers yet, so admins see what the taxonomy is missing.
//!
//! Counts are document frequencies (a text that says "parkeren" three times counts once) of stems,
//! so "retourlabel" and "retourlabels" are one topic. A topic's rise compares its share of texts in
//! the current period with its share in the previous one; topics are ranked by how many more
//! texts mention them than the previous period's share predicts.

use super::language::Language;
use super::text::{Stemmers, Token};
use super::themes::ThemeMatcher;
use std::collections::{HashMap, HashSet};

/// Topics mentioned by fewer texts than this in the current period are noise.
pub const MIN_COUNT: u32 = 3;
/// A word is left out when a listed phrase containing it accounts for this share of its texts.
const PHRASE_EXPLAINS_WORD: f64 = 0.6;

#[derive(Debug, Clone, PartialEq)]
pub struct EmergingTopic {
    /// The most frequent spelling, e.g. "retourlabel" or "parkeren bij".
    pub label: String,
    pub language: Language,
    /// Texts of the current period that mention it.
    pub count: u32,
    /// Texts of the previous period that mention it.
    pub previous: u32,
    /// Share in the current period divided by share in the previous one; `None` when new.
    pub rise: Option<f64>,
}

pub struct TopicFinder {
    stemmers: Stemmers,
    stopwords: HashSet<(Language, String)>,
}

impl Default for TopicFinder {
    fn default() -> Self {
        let stemmers = Stemmers::default();
        let stopwords = super::stopwords::stems(&stemmers);
        TopicFinder {
            stemmers,
            stopwords,
        }
    }
}

type Key = (Language, String);

#[derive(Default)]
struct Counts {
    texts: u32,
    per_key: HashMap<Key, u32>,
    /// Spellings of each key with their counts (current period only).
    spellings: HashMap<Key, HashMap<String, u32>>,
}

impl TopicFinder {
    /// Topics of `current` (texts with their language) against `previous`, best first.
    pub fn find(
        &self,
        matcher: &ThemeMatcher,
        current: &[(&str, Language)],
        previous: &[(&str, Language)],
        limit: usize,
    ) -> Vec<EmergingTopic> {
        let now = self.count(matcher, current, true);
        let before = self.count(matcher, previous, false);
        // Texts per text of the previous period, to scale its counts to this period's volume.
        let scale = if before.texts == 0 {
            0.0
        } else {
            f64::from(now.texts) / f64::from(before.texts)
        };
        let mut topics: Vec<(f64, EmergingTopic, bool)> = now
            .per_key
            .iter()
            .filter(|(_, &n)| n >= MIN_COUNT)
            .filter_map(|(key, &count)| {
                let previous = before.per_key.get(key).copied().unwrap_or(0);
                let expected = f64::from(previous) * scale;
                let excess = f64::from(count) - expected;
                if excess <= 0.0 {
                    return None;
                }
                let rise = (previous > 0).then(|| f64::from(count) / expected);
                let label = now.spellings[key]
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_else(|| key.1.clone());
                let is_phrase = key.1.contains(' ');
                Some((
                    excess,
                    EmergingTopic {
                        label,
                        language: key.0,
                        count,
                        previous,
                        rise,
                    },
                    is_phrase,
                ))
            })
            .collect();
        topics.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.count.cmp(&a.1.count))
                .then_with(|| a.1.label.cmp(&b.1.label))
        });
        // A word mostly said inside a listed phrase adds nothing next to the phrase.
        let phrases: Vec<(Language, Vec<String>, u32)> = topics
            .iter()
            .filter(|t| t.2)
            .map(|t| {
                let stems = self
                    .stemmers
                    .tokens(&t.1.label, t.1.language)
                    .into_iter()
                    .map(|tok| tok.stem)
                    .collect();
                (t.1.language, stems, t.1.count)
            })
            .collect();
        let explained = |topic: &EmergingTopic| {
            let stem = self.stemmers.stem_phrase(&topic.label, topic.language);
            phrases.iter().any(|(lang, stems, n)| {
                *lang == topic.language
                    && stems.contains(&stem)
                    && f64::from(*n) >= PHRASE_EXPLAINS_WORD * f64::from(topic.count)
            })
        };
        topics
            .into_iter()
            .filter(|(_, t, is_phrase)| *is_phrase || !explained(t))
            .map(|(_, t, _)| t)
            .take(limit)
            .collect()
    }

    fn count(&self, matcher: &ThemeMatcher, texts: &[(&str, Language)], spellings: bool) -> Counts {
        let mut counts = Counts {
            texts: texts.len() as u32,
            ..Counts::default()
        };
        let mut seen: HashSet<Key> = HashSet::new();
        for &(text, lang) in texts {
            seen.clear();
            let tokens = self.stemmers.tokens(text, lang);
            let useful = |t: &Token| self.useful(matcher, t, lang, text);
            for (i, token) in tokens.iter().enumerate() {
                if !useful(token) {
                    continue;
                }
                let mut grams: Vec<(String, std::ops::Range<usize>)> =
                    vec![(token.stem.clone(), token.start..token.end)];
                if let Some(next) = tokens.get(i + 1) {
                    let gap = &text[token.end..next.start];
                    if useful(next) && !gap.contains(|c: char| c.is_ascii_punctuation()) {
                        grams.push((
                            format!("{} {}", token.stem, next.stem),
                            token.start..next.end,
                        ));
                    }
                }
                for (gram, span) in grams {
                    let key = (lang, gram);
                    if seen.insert(key.clone()) {
                        *counts.per_key.entry(key.clone()).or_default() += 1;
                        if spellings {
                            let spelling = text[span].to_lowercase();
                            *counts
                                .spellings
                                .entry(key)
                                .or_default()
                                .entry(spelling)
                                .or_default() += 1;
                        }
                    }
                }
            }
        }
        counts
    }

    /// Content words only: no function words, numbers, one- or two-letter words, or words a
    /// theme already covers.
    fn useful(&self, matcher: &ThemeMatcher, token: &Token, lang: Language, text: &str) -> bool {
        let word = &text[token.start..token.end];
        word.chars().filter(|c| c.is_alphabetic()).count() >= 3
            && !self.stopwords.contains(&(lang, token.stem.clone()))
            && !matcher.covers(lang, &token.stem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::themes::default_taxonomy;

    fn nl(texts: &[&'static str]) -> Vec<(&'static str, Language)> {
        texts.iter().map(|t| (*t, Language::Nl)).collect()
    }

    #[test]
    fn finds_a_new_uncovered_topic_and_ignores_covered_and_function_words() {
        let matcher = ThemeMatcher::new(&default_taxonomy());
        let finder = TopicFinder::default();
        let current = nl(&[
            "Het retourlabel ontbrak in het pakket",
            "Geen retourlabels meegestuurd, de wachttijd was lang",
            "Waar is het retourlabel? Ik heb lang gewacht",
            "De wachttijd was lang",
            "Fijne winkel",
        ]);
        let previous = nl(&["De wachttijd was lang", "Fijne winkel", "Fijne winkel"]);
        let topics = finder.find(&matcher, &current, &previous, 10);
        assert_eq!(topics[0].label, "retourlabel");
        assert_eq!((topics[0].count, topics[0].previous), (3, 0));
        assert_eq!(topics[0].rise, None);
        let labels: Vec<&str> = topics.iter().map(|t| t.label.as_str()).collect();
        // "wachttijd" is a theme keyword; "het", "was", "de" are function words; "lang" is as
        // common as before.
        for word in ["wachttijd", "het", "was", "de", "lang"] {
            assert!(!labels.contains(&word), "{word} in {labels:?}");
        }
    }

    #[test]
    fn a_phrase_replaces_the_word_it_explains() {
        let matcher = ThemeMatcher::new(&default_taxonomy());
        let finder = TopicFinder::default();
        let current = nl(&[
            "Het nieuwe spaarprogramma is verwarrend",
            "Dat nieuwe spaarprogramma snap ik niet",
            "nieuwe spaarprogramma: wat een gedoe",
        ]);
        let topics = finder.find(&matcher, &current, &[], 10);
        let labels: Vec<&str> = topics.iter().map(|t| t.label.as_str()).collect();
        assert!(labels.contains(&"nieuwe spaarprogramma"), "{labels:?}");
        assert!(!labels.contains(&"spaarprogramma"), "{labels:?}");
    }

    #[test]
    fn rise_compares_shares_not_raw_counts() {
        let matcher = ThemeMatcher::new(&default_taxonomy());
        let finder = TopicFinder::default();
        // Four of eight texts now, one of eight before: four times the share.
        let mut current = nl(&[
            "Parkeerplaats vol",
            "Geen parkeerplaats",
            "De parkeerplaats te klein",
            "parkeerplaats!",
        ]);
        current.extend(nl(&["Prima"; 4]));
        let mut previous = nl(&["Parkeerplaats vol"]);
        previous.extend(nl(&["Prima"; 7]));
        let topics = finder.find(&matcher, &current, &previous, 10);
        let t = topics.iter().find(|t| t.label == "parkeerplaats").unwrap();
        assert_eq!((t.count, t.previous), (4, 1));
        assert!((t.rise.unwrap() - 4.0).abs() < 1e-9);
    }
}
