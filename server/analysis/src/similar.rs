//! The terms of an idea for similar-idea suggestions: the stems of its content words, and the
//! concepts they stand for across languages (`lexicons/concepts.tsv`), so "donkere modus" and
//! "dark mode" meet on `~dark_mode` and `~mode`.

use super::language::Language;
use super::text::Stemmers;
use std::collections::{HashMap, HashSet};

pub struct TermExtractor {
    stemmers: Stemmers,
    stopwords: HashSet<(Language, String)>,
    /// (language, stem) → concept.
    concepts: HashMap<(Language, String), String>,
}

impl Default for TermExtractor {
    fn default() -> Self {
        let stemmers = Stemmers::default();
        let stopwords = super::stopwords::stems(&stemmers);
        let mut concepts = HashMap::new();
        for line in include_str!("../lexicons/concepts.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut cols = line.split('\t');
            let (Some(concept), Some(nl), Some(en)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            for (lang, words) in [(Language::Nl, nl), (Language::En, en)] {
                for word in words.split(',').filter(|w| !w.is_empty()) {
                    for token in stemmers.tokens(word, lang) {
                        concepts.insert((lang, token.stem), format!("~{concept}"));
                    }
                }
            }
        }
        TermExtractor {
            stemmers,
            stopwords,
            concepts,
        }
    }
}

impl TermExtractor {
    /// The distinct terms of `text` read as `languages` (a text whose language is uncertain is
    /// read as each candidate), in order of first appearance.
    pub fn terms(&self, text: &str, languages: &[Language]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |t: String| {
            if !out.contains(&t) {
                out.push(t);
            }
        };
        for &lang in languages {
            for token in self.stemmers.tokens(text, lang) {
                let word = &text[token.start..token.end];
                if word.chars().filter(|c| c.is_alphanumeric()).count() < 3
                    || self.stopwords.contains(&(lang, token.stem.clone()))
                {
                    continue;
                }
                if let Some(concept) = self.concepts.get(&(lang, token.stem.clone())) {
                    push(concept.clone());
                }
                push(token.stem);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_ideas_meet_on_concepts() {
        let x = TermExtractor::default();
        let nl = x.terms("Een donkere modus voor de app", &[Language::Nl]);
        let en = x.terms("Dark mode in the app please", &[Language::En]);
        for shared in ["~dark_mode", "~mode", "~app"] {
            assert!(nl.contains(&shared.to_string()), "{nl:?}");
            assert!(en.contains(&shared.to_string()), "{en:?}");
        }
        // Function words are no terms.
        assert!(!nl.iter().any(|t| t == "een" || t == "de" || t == "voor"));
    }

    #[test]
    fn plurals_share_a_stem() {
        let x = TermExtractor::default();
        assert_eq!(
            x.terms("facturen", &[Language::Nl]),
            x.terms("factuur", &[Language::Nl])
        );
    }
}
