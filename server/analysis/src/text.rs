//! Words: segmentation (Unicode word boundaries), lower-casing, Snowball stemming per language
//! and accent folding, so "wachttijd"/"wachttijden" and "wait"/"waiting"/"waited" meet.

use super::language::Language;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// A word of a text: its stem and where it stands (byte offsets into the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub stem: String,
    pub start: usize,
    pub end: usize,
}

/// One Snowball stemmer per supported language; built once, shared by all threads.
pub struct Stemmers {
    nl: Stemmer,
    en: Stemmer,
    de: Stemmer,
    fr: Stemmer,
    es: Stemmer,
}

impl Default for Stemmers {
    fn default() -> Self {
        Stemmers {
            nl: Stemmer::create(Algorithm::Dutch),
            en: Stemmer::create(Algorithm::English),
            de: Stemmer::create(Algorithm::German),
            fr: Stemmer::create(Algorithm::French),
            es: Stemmer::create(Algorithm::Spanish),
        }
    }
}

impl Stemmers {
    fn for_language(&self, lang: Language) -> &Stemmer {
        match lang {
            Language::Nl => &self.nl,
            Language::En => &self.en,
            Language::De => &self.de,
            Language::Fr => &self.fr,
            Language::Es => &self.es,
        }
    }

    /// The stem of one word (or of each word of a phrase, joined by spaces).
    pub fn stem_phrase(&self, phrase: &str, lang: Language) -> String {
        self.tokens(phrase, lang)
            .into_iter()
            .map(|t| t.stem)
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn tokens(&self, text: &str, lang: Language) -> Vec<Token> {
        let stemmer = self.for_language(lang);
        text.unicode_word_indices()
            .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
            .map(|(start, word)| {
                let lower = if word
                    .bytes()
                    .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
                {
                    word.to_lowercase()
                } else {
                    word.to_string()
                };
                // Elisions and possessives ("l'accueil", "customer's") stem on the main word.
                let main = match lower.split_once(['\'', '’']) {
                    Some((head, tail)) if head.chars().count() <= 2 && !tail.is_empty() => {
                        tail.to_string()
                    }
                    Some((head, "s")) => head.to_string(),
                    _ => lower,
                };
                let stem = stemmer.stem(&main);
                Token {
                    // Most stems are plain ASCII: skip the folding copy for them.
                    stem: if stem.is_ascii() {
                        stem.into_owned()
                    } else {
                        fold(&stem)
                    },
                    start,
                    end: start + word.len(),
                }
            })
            .collect()
    }
}

/// Removes diacritics from Latin letters ("café" → "cafe", "geïnteresseerd" → "geinteresseerd").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => out.push('a'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' => out.push('i'),
            'ñ' | 'ń' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ĳ' => out.push_str("ij"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str, lang: Language) -> Vec<String> {
        Stemmers::default()
            .tokens(text, lang)
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    #[test]
    fn dutch_plurals_meet() {
        let s = Stemmers::default();
        assert_eq!(
            s.stem_phrase("wachttijd", Language::Nl),
            s.stem_phrase("wachttijden", Language::Nl)
        );
        assert_eq!(
            s.stem_phrase("medewerker", Language::Nl),
            s.stem_phrase("medewerkers", Language::Nl)
        );
    }

    #[test]
    fn english_inflections_meet() {
        let s = Stemmers::default();
        let wait = s.stem_phrase("wait", Language::En);
        for w in ["waiting", "waited", "waits", "Waiting"] {
            assert_eq!(s.stem_phrase(w, Language::En), wait, "{w}");
        }
    }

    #[test]
    fn tokens_keep_positions_and_skip_punctuation() {
        let text = "Snelle hulp, geen wachttijd!";
        let toks = Stemmers::default().tokens(text, Language::Nl);
        assert_eq!(toks.len(), 4);
        assert_eq!(&text[toks[3].start..toks[3].end], "wachttijd");
    }

    #[test]
    fn accents_fold_and_case_lowers() {
        assert_eq!(fold("geïnteresseerd café"), "geinteresseerd cafe");
        assert_eq!(stems("CAFÉ", Language::Fr), stems("cafe", Language::Fr));
    }

    #[test]
    fn possessives_and_elisions() {
        assert_eq!(
            stems("customer's", Language::En),
            stems("customer", Language::En)
        );
        assert_eq!(
            stems("l'accueil", Language::Fr),
            stems("accueil", Language::Fr)
        );
    }
}
