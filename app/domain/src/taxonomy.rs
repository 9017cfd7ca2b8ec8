//! The theme taxonomy as data: what admins edit in the UI, what the database stores (as JSON,
//! one row per version) and what the tagger compiles. Plain Rust, no web or database types.

use crate::locale::Locale;
use serde::{Deserialize, Serialize};

/// The text languages a taxonomy can carry terms for (the installation's enabled languages).
pub const TERM_LANGUAGES: [&str; 5] = ["nl", "en", "de", "fr", "es"];
pub const MAX_THEMES: usize = 200;
pub const MAX_TERMS_PER_LANGUAGE: usize = 300;
pub const MAX_TERM_CHARS: usize = 80;
pub const MAX_NAME_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    /// Stable identifier, e.g. "waiting_time": tags refer to it, so it never changes.
    pub key: String,
    pub name_nl: String,
    pub name_en: String,
    /// The department that owns the theme (feedback about it is theirs to act on).
    pub department: Option<String>,
    /// Per text language (ISO 639-1 code): keywords/phrases and exclusions.
    pub terms: Vec<Terms>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    pub language: String,
    pub keywords: Vec<String>,
    #[serde(default)]
    pub exclusions: Vec<String>,
}

/// A word that sets the texts people tagged with a theme apart from the rest, which the theme's
/// keywords do not cover yet: for an admin to accept as a keyword.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeywordSuggestion {
    pub word: String,
    /// ISO 639-1 code of the texts it was found in.
    pub language: String,
    /// Texts of the theme that contain it, out of `theme_texts`.
    pub in_theme: u32,
    pub theme_texts: u32,
    /// Other texts that contain it, out of `other_texts`.
    pub elsewhere: u32,
    pub other_texts: u32,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Taxonomy {
    pub themes: Vec<Theme>,
}

impl Theme {
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Nl if !self.name_nl.is_empty() => &self.name_nl,
            Locale::En if !self.name_en.is_empty() => &self.name_en,
            _ if !self.name_nl.is_empty() => &self.name_nl,
            _ => &self.name_en,
        }
    }

    pub fn terms_for(&self, language: &str) -> Option<&Terms> {
        self.terms.iter().find(|t| t.language == language)
    }
}

impl Taxonomy {
    pub fn theme(&self, key: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.key == key)
    }

    /// Replaces the theme `original_key` (or adds `theme` when `original_key` is `None`),
    /// checking the result. Nothing changes when there are errors.
    pub fn upsert(
        &mut self,
        original_key: Option<&str>,
        theme: Theme,
    ) -> Result<(), Vec<TaxonomyError>> {
        let mut errors = theme.problems();
        let position = match original_key {
            Some(k) => match self.themes.iter().position(|t| t.key == k) {
                Some(p) => Some(p),
                None => {
                    errors.push(TaxonomyError::UnknownTheme);
                    None
                }
            },
            None => None,
        };
        let taken = self
            .themes
            .iter()
            .enumerate()
            .any(|(i, t)| t.key == theme.key && Some(i) != position);
        if taken {
            errors.push(TaxonomyError::KeyTaken);
        }
        if position.is_none() && self.themes.len() >= MAX_THEMES {
            errors.push(TaxonomyError::TooManyThemes);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        match position {
            Some(p) => self.themes[p] = theme,
            None => self.themes.push(theme),
        }
        Ok(())
    }

    /// Every problem of a whole taxonomy (for documents that arrive in one piece).
    pub fn problems(&self) -> Vec<TaxonomyError> {
        let mut errors: Vec<TaxonomyError> = self.themes.iter().flat_map(Theme::problems).collect();
        if self.themes.len() > MAX_THEMES {
            errors.push(TaxonomyError::TooManyThemes);
        }
        let mut keys: Vec<&str> = self.themes.iter().map(|t| t.key.as_str()).collect();
        keys.sort_unstable();
        if keys.windows(2).any(|w| w[0] == w[1]) {
            errors.push(TaxonomyError::KeyTaken);
        }
        errors.dedup();
        errors
    }
}

/// Lowercase letters, digits and `_`, starting with a letter, at most 40 characters.
pub fn is_valid_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Theme {
    fn problems(&self) -> Vec<TaxonomyError> {
        let mut errors = Vec::new();
        if !is_valid_key(&self.key) {
            errors.push(TaxonomyError::KeyInvalid);
        }
        if self.name_nl.trim().is_empty() || self.name_en.trim().is_empty() {
            errors.push(TaxonomyError::NameMissing);
        }
        let long_text = |s: &str| s.chars().count() > MAX_NAME_CHARS;
        if long_text(&self.name_nl)
            || long_text(&self.name_en)
            || self.department.as_deref().is_some_and(long_text)
        {
            errors.push(TaxonomyError::NameTooLong);
        }
        if self.terms.iter().all(|t| t.keywords.is_empty()) {
            errors.push(TaxonomyError::KeywordsMissing);
        }
        for terms in &self.terms {
            if !TERM_LANGUAGES.contains(&terms.language.as_str()) {
                errors.push(TaxonomyError::LanguageUnknown);
            }
            if terms.keywords.len() + terms.exclusions.len() > MAX_TERMS_PER_LANGUAGE {
                errors.push(TaxonomyError::TooManyTerms);
            }
            let bad_term = |k: &String| {
                let chars = k.chars().count();
                chars > MAX_TERM_CHARS || !k.chars().any(char::is_alphanumeric)
            };
            if terms.keywords.iter().chain(&terms.exclusions).any(bad_term) {
                errors.push(TaxonomyError::TermInvalid);
            }
        }
        errors.dedup();
        errors
    }
}

/// Keywords as admins type them: one per line (commas separate too), trimmed, lower-cased,
/// without duplicates, in the order given.
pub fn parse_terms(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for term in raw.split(['\n', ',']) {
        let term = term.split_whitespace().collect::<Vec<_>>().join(" ");
        let term = term.to_lowercase();
        if !term.is_empty() && !out.contains(&term) {
            out.push(term);
        }
    }
    out
}

/// A problem with a theme as an admin entered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxonomyError {
    KeyInvalid,
    KeyTaken,
    UnknownTheme,
    NameMissing,
    NameTooLong,
    KeywordsMissing,
    LanguageUnknown,
    TooManyTerms,
    TermInvalid,
    TooManyThemes,
    /// Someone else saved the taxonomy after this form was opened.
    Stale,
}

impl TaxonomyError {
    pub const ALL: [TaxonomyError; 11] = [
        TaxonomyError::KeyInvalid,
        TaxonomyError::KeyTaken,
        TaxonomyError::UnknownTheme,
        TaxonomyError::NameMissing,
        TaxonomyError::NameTooLong,
        TaxonomyError::KeywordsMissing,
        TaxonomyError::LanguageUnknown,
        TaxonomyError::TooManyTerms,
        TaxonomyError::TermInvalid,
        TaxonomyError::TooManyThemes,
        TaxonomyError::Stale,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaxonomyError::KeyInvalid => "theme_key_invalid",
            TaxonomyError::KeyTaken => "theme_key_taken",
            TaxonomyError::UnknownTheme => "theme_unknown",
            TaxonomyError::NameMissing => "theme_name_missing",
            TaxonomyError::NameTooLong => "theme_name_too_long",
            TaxonomyError::KeywordsMissing => "theme_keywords_missing",
            TaxonomyError::LanguageUnknown => "theme_language_unknown",
            TaxonomyError::TooManyTerms => "theme_too_many_terms",
            TaxonomyError::TermInvalid => "theme_term_invalid",
            TaxonomyError::TooManyThemes => "too_many_themes",
            TaxonomyError::Stale => "theme_stale",
        }
    }

    pub fn from_code(code: &str) -> Option<TaxonomyError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The form field the error belongs to.
    pub fn field(self) -> &'static str {
        match self {
            TaxonomyError::KeyInvalid | TaxonomyError::KeyTaken => "key",
            TaxonomyError::NameMissing | TaxonomyError::NameTooLong => "name_nl",
            TaxonomyError::KeywordsMissing
            | TaxonomyError::LanguageUnknown
            | TaxonomyError::TooManyTerms
            | TaxonomyError::TermInvalid => "keywords_nl",
            TaxonomyError::UnknownTheme | TaxonomyError::TooManyThemes | TaxonomyError::Stale => {
                "key"
            }
        }
    }
}

/// The theme editor's fields exactly as they arrive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThemeEditForm {
    pub key: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub department: Option<String>,
    pub keywords_nl: Option<String>,
    pub exclusions_nl: Option<String>,
    pub keywords_en: Option<String>,
    pub exclusions_en: Option<String>,
    pub keywords_de: Option<String>,
    pub exclusions_de: Option<String>,
    pub keywords_fr: Option<String>,
    pub exclusions_fr: Option<String>,
    pub keywords_es: Option<String>,
    pub exclusions_es: Option<String>,
}

impl ThemeEditForm {
    /// Every field by its form name, trimmed (missing ones empty).
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        [
            ("key", &self.key),
            ("name_nl", &self.name_nl),
            ("name_en", &self.name_en),
            ("department", &self.department),
            ("keywords_nl", &self.keywords_nl),
            ("exclusions_nl", &self.exclusions_nl),
            ("keywords_en", &self.keywords_en),
            ("exclusions_en", &self.exclusions_en),
            ("keywords_de", &self.keywords_de),
            ("exclusions_de", &self.exclusions_de),
            ("keywords_fr", &self.keywords_fr),
            ("exclusions_fr", &self.exclusions_fr),
            ("keywords_es", &self.keywords_es),
            ("exclusions_es", &self.exclusions_es),
        ]
        .into_iter()
        .map(|(name, value)| (name, value.as_deref().unwrap_or("").trim()))
        .collect()
    }

    /// The theme as entered; the key of an existing theme (`fixed_key`) never changes, since
    /// tags and links refer to it. Checked when the taxonomy takes it in ([`Taxonomy::upsert`]).
    pub fn theme(&self, fixed_key: Option<&str>) -> Theme {
        let fields = self.fields();
        let field = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| *k == name)
                .map_or("", |(_, v)| *v)
        };
        let terms = TERM_LANGUAGES
            .into_iter()
            .map(|language| Terms {
                language: language.into(),
                keywords: parse_terms(field(&format!("keywords_{language}"))),
                exclusions: parse_terms(field(&format!("exclusions_{language}"))),
            })
            .filter(|t| !t.keywords.is_empty() || !t.exclusions.is_empty())
            .collect();
        Theme {
            key: fixed_key.unwrap_or(field("key")).to_string(),
            name_nl: field("name_nl").into(),
            name_en: field("name_en").into(),
            department: Some(field("department").to_string()).filter(|d| !d.is_empty()),
            terms,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(key: &str) -> Theme {
        Theme {
            key: key.into(),
            name_nl: "Wachttijd".into(),
            name_en: "Waiting time".into(),
            department: None,
            terms: vec![Terms {
                language: "nl".into(),
                keywords: vec!["wachten".into()],
                exclusions: vec![],
            }],
        }
    }

    #[test]
    fn terms_are_split_trimmed_lowercased_and_deduplicated() {
        assert_eq!(
            parse_terms("Wachten\n  in de   wacht ,wachten\n\n, ,Bereikbaar"),
            ["wachten", "in de wacht", "bereikbaar"]
        );
    }

    #[test]
    fn keys_are_checked() {
        assert!(is_valid_key("waiting_time2"));
        for bad in [
            "",
            "Waiting",
            "2x",
            "wait-time",
            "wacht tijd",
            &"a".repeat(41),
        ] {
            assert!(!is_valid_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn upsert_adds_replaces_and_refuses_bad_themes() {
        let mut tax = Taxonomy::default();
        tax.upsert(None, theme("waiting")).unwrap();
        assert_eq!(
            tax.upsert(None, theme("waiting")),
            Err(vec![TaxonomyError::KeyTaken])
        );
        let mut renamed = theme("waiting");
        renamed.name_nl = "Wachten".into();
        tax.upsert(Some("waiting"), renamed).unwrap();
        assert_eq!(tax.themes.len(), 1);
        assert_eq!(tax.themes[0].name_nl, "Wachten");

        let mut bad = theme("Bad Key");
        bad.name_en = " ".into();
        bad.terms[0].keywords.clear();
        let errors = tax.upsert(None, bad).unwrap_err();
        assert_eq!(
            errors,
            [
                TaxonomyError::KeyInvalid,
                TaxonomyError::NameMissing,
                TaxonomyError::KeywordsMissing
            ]
        );
        assert_eq!(tax.themes.len(), 1, "nothing changed");
        assert_eq!(
            tax.upsert(Some("gone"), theme("gone")),
            Err(vec![TaxonomyError::UnknownTheme])
        );
    }

    #[test]
    fn error_codes_round_trip() {
        for e in TaxonomyError::ALL {
            assert_eq!(TaxonomyError::from_code(e.code()), Some(e));
        }
    }
}
