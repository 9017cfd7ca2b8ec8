//! Function words per language, as stems: what carries no meaning of its own.

use super::language::Language;
use super::text::Stemmers;
use std::collections::HashSet;

/// The stopword stems of every supported language.
pub fn stems(stemmers: &Stemmers) -> HashSet<(Language, String)> {
    let lists = [
        (Language::Nl, include_str!("../lexicons/stopwords-nl.txt")),
        (Language::En, include_str!("../lexicons/stopwords-en.txt")),
        (Language::De, include_str!("../lexicons/stopwords-de.txt")),
        (Language::Fr, include_str!("../lexicons/stopwords-fr.txt")),
        (Language::Es, include_str!("../lexicons/stopwords-es.txt")),
    ];
    let mut stopwords = HashSet::new();
    for (lang, list) in lists {
        for line in list.lines().filter(|l| !l.starts_with('#')) {
            for word in line.split_whitespace() {
                for token in stemmers.tokens(word, lang) {
                    stopwords.insert((lang, token.stem));
                }
            }
        }
    }
    stopwords
}
