//! Keyword suggestions for a theme: the words of the texts people tagged with it that set them
//! apart from the texts without it, and that its keywords do not cover yet — for an admin to
//! accept. Words are compared by stem; the suggestion is the most frequent written form.

use crate::language::Language;
use crate::text::Stemmers;
use std::collections::{HashMap, HashSet};

/// A word that separates a theme's texts from the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub word: String,
    pub language: Language,
    /// Texts of the theme that contain it, and other texts that do.
    pub in_theme: u32,
    pub elsewhere: u32,
    /// Smoothed log-odds of appearing in the theme's texts against the others.
    pub score: f64,
}

/// Texts a word must appear in, among the theme's, to be suggested.
const MIN_TEXTS: u32 = 3;

pub struct KeywordFinder {
    stemmers: Stemmers,
    stopwords: HashSet<(Language, String)>,
}

impl Default for KeywordFinder {
    fn default() -> Self {
        let stemmers = Stemmers::default();
        let stopwords = crate::stopwords::stems(&stemmers);
        KeywordFinder {
            stemmers,
            stopwords,
        }
    }
}

impl KeywordFinder {
    /// Up to `limit` words of `theme` texts (text, language) that set them apart from `others`,
    /// best first, leaving out stopwords, numbers and the `known` keywords (per language).
    pub fn suggest(
        &self,
        theme: &[(&str, Language)],
        others: &[(&str, Language)],
        known: &[(Language, &str)],
        limit: usize,
    ) -> Vec<Suggestion> {
        let known: HashSet<(Language, String)> = known
            .iter()
            .flat_map(|(lang, phrase)| {
                self.stemmers
                    .tokens(phrase, *lang)
                    .into_iter()
                    .map(move |t| (*lang, t.stem))
            })
            .collect();
        // Per (language, stem): texts of the theme, other texts, written forms.
        type Counts = (u32, u32, HashMap<String, u32>);
        let mut counts: HashMap<(Language, String), Counts> = HashMap::new();
        let mut count = |texts: &[(&str, Language)], theme_side: bool| {
            for (text, lang) in texts {
                let mut seen: HashSet<String> = HashSet::new();
                for t in self.stemmers.tokens(text, *lang) {
                    let word = text[t.start..t.end].to_lowercase();
                    if word.chars().count() < 3
                        || word.chars().any(|c| c.is_numeric())
                        || self.stopwords.contains(&(*lang, t.stem.clone()))
                        || !seen.insert(t.stem.clone())
                    {
                        continue;
                    }
                    let entry = counts.entry((*lang, t.stem)).or_default();
                    if theme_side {
                        entry.0 += 1;
                        *entry.2.entry(word).or_default() += 1;
                    } else {
                        entry.1 += 1;
                    }
                }
            }
        };
        count(theme, true);
        count(others, false);
        let (p, n) = (theme.len() as f64, others.len() as f64);
        let mut out: Vec<Suggestion> = counts
            .into_iter()
            .filter(|((lang, stem), (a, _, _))| {
                *a >= MIN_TEXTS && !known.contains(&(*lang, stem.clone()))
            })
            .filter_map(|((language, _), (a, b, forms))| {
                let (a_f, b_f) = (f64::from(a), f64::from(b));
                let score =
                    ((a_f + 0.5) / (p - a_f + 0.5)).ln() - ((b_f + 0.5) / (n - b_f + 0.5)).ln();
                let word = forms
                    .into_iter()
                    .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))?
                    .0;
                (score > 1.0).then_some(Suggestion {
                    word,
                    language,
                    in_theme: a,
                    elsewhere: b,
                    score,
                })
            })
            .collect();
        out.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.word.cmp(&y.word)));
        out.truncate(limit);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_set_a_themes_texts_apart_are_suggested() {
        let finder = KeywordFinder::default();
        let theme: Vec<(String, Language)> = (0..6)
            .map(|i| {
                (
                    format!("De rij bij de kassa was eindeloos, klant {i}."),
                    Language::Nl,
                )
            })
            .collect();
        let others: Vec<(String, Language)> = (0..40)
            .map(|i| {
                (
                    format!("De bezorger was vriendelijk tegen de klant {i}."),
                    Language::Nl,
                )
            })
            .collect();
        fn borrow(v: &[(String, Language)]) -> Vec<(&str, Language)> {
            v.iter().map(|(t, l)| (t.as_str(), *l)).collect()
        }
        let got = finder.suggest(
            &borrow(&theme),
            &borrow(&others),
            &[(Language::Nl, "kassa")],
            10,
        );
        let words: Vec<&str> = got.iter().map(|s| s.word.as_str()).collect();
        assert!(
            words.contains(&"eindeloos") && words.contains(&"rij"),
            "{words:?}"
        );
        assert!(
            !words.contains(&"kassa"),
            "known keywords are not suggested again"
        );
        assert!(
            !words.contains(&"bij") && !words.contains(&"klant"),
            "{words:?}"
        );
        let rij = got.iter().find(|s| s.word == "rij").unwrap();
        assert_eq!((rij.in_theme, rij.elsewhere), (6, 0));
    }
}
