//! The UI languages: which exist, how a request names one, which one a browser prefers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    /// Dutch-speaking customers are the first users, so Dutch is the default.
    #[default]
    Nl,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    /// Parses a language tag such as `nl`, `nl-BE` or `EN_gb`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Locale::Nl),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (pos, part) in accept_language.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(locale) = Locale::from_tag(tag) {
                // Higher q wins; on a tie the earlier entry wins.
                let better = match best {
                    None => true,
                    Some((bq, _, _)) => q > bq,
                };
                if better {
                    best = Some((q, pos, locale));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }

    /// The name of the language in itself, for the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::Nl => "Nederlands",
            Locale::En => "English",
        }
    }
}

/// Of a text written in Dutch and in English, the one in `locale`, else the other, else `None`.
pub fn pick<'a>(nl: &'a str, en: &'a str, locale: Locale) -> Option<&'a str> {
    let (wanted, other) = match locale {
        Locale::Nl => (nl, en),
        Locale::En => (en, nl),
    };
    [wanted, other].into_iter().find(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality() {
        assert_eq!(
            Locale::negotiate("en-GB,en;q=0.9,nl;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::negotiate("de-DE,nl;q=0.5,en;q=0.9"),
            Some(Locale::En)
        );
        assert_eq!(Locale::negotiate("nl-BE"), Some(Locale::Nl));
        assert_eq!(Locale::negotiate("fr, de"), None);
        assert_eq!(Locale::negotiate("en;q=0, nl;q=0.1"), Some(Locale::Nl));
        assert_eq!(Locale::negotiate(""), None);
    }

    #[test]
    fn parses_tags() {
        assert_eq!(Locale::from_tag("NL_be"), Some(Locale::Nl));
        assert_eq!(Locale::from_tag("en"), Some(Locale::En));
        assert_eq!(Locale::from_tag("english"), None);
    }
}
