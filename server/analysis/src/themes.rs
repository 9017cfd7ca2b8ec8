//! Themes: an editable taxonomy and a fast multi-label matcher.
//!
//! A theme has a name per UI language, keywords and phrases per text language (matched on stems,
//! so inflections match), optional exclusions (a phrase that vetoes the theme in its sentence,
//! e.g. "rekening houden met" is not about billing) and an optional owning department.
//! A keyword starting with `*` also matches at the end of a compound word: `*medewerker` finds
//! "servicemedewerker" (Dutch writes compounds as one word).

use super::language::Language;
use super::text::{Stemmers, Token};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

// The taxonomy's data types are shared with the UI, which edits them.
pub use domain::taxonomy::{Taxonomy, Terms, Theme};

/// A theme found in a text, with the sentence it was found in (byte range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeHit {
    pub theme: usize,
    pub sentence: Range<usize>,
}

#[derive(Debug)]
struct Pattern {
    theme: usize,
    /// Stems after the first one (the first is the map key).
    rest: Vec<String>,
    exclusion: bool,
}

/// A taxonomy compiled for matching: patterns indexed by their first stem.
pub struct ThemeMatcher {
    stemmers: Stemmers,
    by_first: HashMap<(Language, String), Vec<Pattern>>,
    /// `*suffix` keywords: (language, stem, theme).
    suffixes: Vec<(Language, String, usize)>,
    /// Every stem of every keyword, for [`ThemeMatcher::covers`].
    covered: HashSet<(Language, String)>,
    theme_count: usize,
}

impl ThemeMatcher {
    pub fn new(taxonomy: &Taxonomy) -> Self {
        let stemmers = Stemmers::default();
        let mut by_first: HashMap<(Language, String), Vec<Pattern>> = HashMap::new();
        let mut suffixes = Vec::new();
        let mut covered = HashSet::new();
        for (index, theme) in taxonomy.themes.iter().enumerate() {
            for terms in &theme.terms {
                let Some(lang) = Language::from_code(&terms.language) else {
                    continue;
                };
                let entries = terms
                    .keywords
                    .iter()
                    .map(|k| (k, false))
                    .chain(terms.exclusions.iter().map(|k| (k, true)));
                for (phrase, exclusion) in entries {
                    if let Some(suffix) = phrase.strip_prefix('*') {
                        let stem = stemmers.stem_phrase(suffix, lang);
                        if !stem.is_empty() && !exclusion {
                            suffixes.push((lang, stem, index));
                        }
                        continue;
                    }
                    let mut stems: Vec<String> = stemmers
                        .tokens(phrase, lang)
                        .into_iter()
                        .map(|t| t.stem)
                        .collect();
                    if stems.is_empty() {
                        continue;
                    }
                    if !exclusion {
                        covered.extend(stems.iter().map(|s| (lang, s.clone())));
                    }
                    let first = stems.remove(0);
                    by_first.entry((lang, first)).or_default().push(Pattern {
                        theme: index,
                        rest: stems,
                        exclusion,
                    });
                }
            }
        }
        ThemeMatcher {
            stemmers,
            by_first,
            suffixes,
            covered,
            theme_count: taxonomy.themes.len(),
        }
    }

    /// Whether a word (by its stem) is one of the taxonomy's keywords, or part of one.
    pub fn covers(&self, lang: Language, stem: &str) -> bool {
        self.covered.contains(&(lang, stem.to_string()))
            || self.suffixes.iter().any(|(l, suffix, _)| {
                *l == lang && stem.len() > suffix.len() && stem.ends_with(suffix.as_str())
            })
    }

    /// Every theme of `text` (once per sentence it occurs in), in text order.
    pub fn match_text(&self, text: &str, lang: Language) -> Vec<ThemeHit> {
        let tokens = self.stemmers.tokens(text, lang);
        let mut hits = Vec::new();
        let mut found = vec![false; self.theme_count];
        let mut vetoed = vec![false; self.theme_count];
        let mut first = 0;
        let mut sentence_start = 0;
        while first < tokens.len() {
            // A sentence ends at a token followed by . ! ? and white space, or by a line break.
            let mut last = first;
            while last + 1 < tokens.len()
                && !ends_sentence(&text[tokens[last].end..tokens[last + 1].start])
            {
                last += 1;
            }
            let sentence_end = tokens.get(last + 1).map_or(text.len(), |t| t.start);
            found.iter_mut().for_each(|f| *f = false);
            vetoed.iter_mut().for_each(|v| *v = false);
            self.scan(&tokens[first..=last], lang, &mut found, &mut vetoed);
            for theme in 0..self.theme_count {
                if found[theme] && !vetoed[theme] {
                    hits.push(ThemeHit {
                        theme,
                        sentence: sentence_start..sentence_end,
                    });
                }
            }
            sentence_start = sentence_end;
            first = last + 1;
        }
        hits
    }

    fn scan(&self, tokens: &[Token], lang: Language, found: &mut [bool], vetoed: &mut [bool]) {
        let mut key = (lang, String::new());
        for (i, token) in tokens.iter().enumerate() {
            key.1.clear();
            key.1.push_str(&token.stem);
            if let Some(patterns) = self.by_first.get(&key) {
                for p in patterns {
                    let matches = p.rest.len() < tokens.len() - i
                        && p.rest
                            .iter()
                            .zip(&tokens[i + 1..])
                            .all(|(want, got)| *want == got.stem);
                    if matches {
                        if p.exclusion {
                            vetoed[p.theme] = true
                        } else {
                            found[p.theme] = true
                        }
                    }
                }
            }
            for (l, suffix, theme) in &self.suffixes {
                if *l == lang
                    && token.stem.len() > suffix.len()
                    && token.stem.ends_with(suffix.as_str())
                {
                    found[*theme] = true;
                }
            }
        }
    }
}

/// Whether the text between two words closes a sentence.
fn ends_sentence(gap: &str) -> bool {
    gap.contains('\n') || (gap.contains(['.', '!', '?', '…']) && gap.contains(char::is_whitespace))
}

fn terms(language: &str, keywords: &str, exclusions: &str) -> Terms {
    let split = |s: &str| {
        s.split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(String::from)
            .collect()
    };
    Terms {
        language: language.into(),
        keywords: split(keywords),
        exclusions: split(exclusions),
    }
}

fn theme(key: &str, name_nl: &str, name_en: &str, department: &str, nl: Terms, en: Terms) -> Theme {
    Theme {
        key: key.into(),
        name_nl: name_nl.into(),
        name_en: name_en.into(),
        department: (!department.is_empty()).then(|| department.into()),
        terms: vec![nl, en],
    }
}

/// The taxonomy a new installation starts with: customer service and product feedback, nl + en.
pub fn default_taxonomy() -> Taxonomy {
    Taxonomy {
        themes: vec![
            theme("waiting_time", "Wachttijd en bereikbaarheid", "Waiting time and reachability", "Klantenservice",
                terms("nl", "wachttijd, wachten, wacht, in de wacht, in de rij, bereikbaar, bereikbaarheid, onbereikbaar, duurde lang, lang duren, niemand nam op, verbinding verbroken, terugbellen, teruggebeld, *wachttijd", ""),
                terms("en", "wait, waiting, on hold, hold, reach, reachable, unreachable, took long, took ages, call back, called back, disconnected, nobody answered, queue", "")),
            theme("staff", "Vriendelijkheid en deskundigheid", "Staff friendliness and competence", "Klantenservice",
                terms("nl", "medewerker, *medewerker, medewerkster, personeel, vriendelijk, onvriendelijk, klantvriendelijk, behulpzaam, deskundig, kundig, beleefd, onbeleefd, meedenken, meedacht, bediening", ""),
                terms("en", "staff, employee, agent, friendly, unfriendly, rude, helpful, unhelpful, knowledgeable, polite, competent, advisor, assistant", "")),
            theme("repeat_information", "Informatie moeten herhalen", "Having to repeat information", "Klantenservice",
                terms("nl", "opnieuw vertellen, opnieuw uitleggen, weer uitleggen, nogmaals uitleggen, herhalen, hele verhaal, steeds opnieuw, elke keer opnieuw, mijn verhaal", ""),
                terms("en", "repeat, repeated, explain again, again and again, start over, tell my story, my story, every time i called, nobody reads", "")),
            theme("price_billing", "Prijs en facturatie", "Price and billing", "Financiën",
                terms("nl", "prijs, prijzen, duur, goedkoop, factuur, facturen, rekening, betaling, betalen, kosten, tarief, incasso, geld", "rekening houden, houden rekening, houdt rekening, hield rekening, rekening gehouden"),
                terms("en", "price, pricing, expensive, cheap, invoice, bill, billing, charge, charged, payment, cost, fee, overcharged, money", "")),
            theme("delivery", "Levering en bezorging", "Delivery", "Logistiek",
                terms("nl", "levering, leveren, geleverd, bezorging, bezorgen, bezorger, pakket, pakketje, verzending, verzonden, verzendkosten, in huis, besteld, bestelling, te laat", "ben bezorgd, was bezorgd, erg bezorgd"),
                terms("en", "delivery, deliver, delivered, shipping, shipped, parcel, package, courier, arrived, order, ordered, late", "")),
            theme("product_quality", "Productkwaliteit", "Product quality", "Product",
                terms("nl", "kwaliteit, kapot, defect, stuk, slecht gemaakt, werkt niet, product, materiaal", ""),
                terms("en", "quality, broken, defect, defective, faulty, damaged, stopped working, product, material, fabric", "")),
            theme("returns_refunds", "Retourneren en terugbetaling", "Returns and refunds", "Logistiek",
                terms("nl", "retour, retourneren, retourtje, terugsturen, teruggestuurd, terugbetaling, terugbetaald, geld terug, omruilen, ruilen", ""),
                terms("en", "return, returned, returning, returns, refund, refunded, money back, exchange, send back, sent back", "")),
            theme("digital", "Website en app", "Website and app", "Digitaal",
                terms("nl", "website, site, app, inloggen, online, webshop, afrekenen, zoeken, zoekfunctie, storing, loopt vast", ""),
                terms("en", "website, site, app, log in, login, online, checkout, search, crash, crashes, crashing, bug", "")),
            theme("communication", "Communicatie en informatie", "Communication and information", "Communicatie",
                terms("nl", "communicatie, informatie, info, uitleg, duidelijk, onduidelijk, op de hoogte, liet niets weten, bericht, handleiding", ""),
                terms("en", "communication, information, informed, explanation, explained, clear, unclear, updated, kept me updated, told me, manual, instructions", "")),
            theme("hours_locations", "Openingstijden en locaties", "Opening hours and locations", "Winkels",
                terms("nl", "openingstijden, openingstijd, gesloten, dicht, winkel, filiaal, vestiging, parkeren, locatie, kassa", ""),
                terms("en", "opening hours, opening times, closed, store, shop, branch, location, parking, checkout line", "")),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(m: &ThemeMatcher, tax: &Taxonomy, text: &str, lang: Language) -> Vec<String> {
        let mut k: Vec<String> = m
            .match_text(text, lang)
            .into_iter()
            .map(|h| tax.themes[h.theme].key.clone())
            .collect();
        k.dedup();
        k
    }

    #[test]
    fn inflections_match_through_stems() {
        let tax = default_taxonomy();
        let m = ThemeMatcher::new(&tax);
        assert_eq!(
            keys(&m, &tax, "De wachttijden waren absurd.", Language::Nl),
            ["waiting_time"]
        );
        assert_eq!(
            keys(&m, &tax, "I waited for an hour.", Language::En),
            ["waiting_time"]
        );
    }

    #[test]
    fn phrases_match_as_stem_sequences() {
        let tax = default_taxonomy();
        let m = ThemeMatcher::new(&tax);
        assert_eq!(
            keys(
                &m,
                &tax,
                "Ik moest steeds opnieuw mijn verhaal doen",
                Language::Nl
            ),
            ["repeat_information"]
        );
        assert_eq!(
            keys(&m, &tax, "They kept me updated", Language::En),
            ["communication"]
        );
        // "opnieuw" alone is not the phrase.
        assert!(keys(&m, &tax, "Ik kom opnieuw", Language::Nl).is_empty());
    }

    #[test]
    fn exclusions_veto_their_sentence_only() {
        let tax = default_taxonomy();
        let m = ThemeMatcher::new(&tax);
        assert!(keys(
            &m,
            &tax,
            "Ze houden rekening met mijn wensen.",
            Language::Nl
        )
        .is_empty());
        assert_eq!(
            keys(
                &m,
                &tax,
                "Ze houden rekening met mijn wensen. De rekening klopte niet.",
                Language::Nl
            ),
            ["price_billing"]
        );
    }

    #[test]
    fn compound_suffixes_match() {
        let tax = default_taxonomy();
        let m = ThemeMatcher::new(&tax);
        assert_eq!(
            keys(&m, &tax, "De servicemedewerker was top", Language::Nl),
            ["staff"]
        );
    }

    #[test]
    fn multi_label_with_sentences() {
        let tax = default_taxonomy();
        let m = ThemeMatcher::new(&tax);
        let text = "Lang in de wacht gestaan. Daarna was de medewerker onvriendelijk en de factuur klopte niet.";
        let hits = m.match_text(text, Language::Nl);
        let themes: Vec<&str> = hits
            .iter()
            .map(|h| tax.themes[h.theme].key.as_str())
            .collect();
        assert_eq!(themes, ["waiting_time", "staff", "price_billing"]);
        assert_eq!(
            &text[hits[0].sentence.clone()],
            "Lang in de wacht gestaan. "
        );
    }

    #[test]
    fn taxonomy_round_trips_as_json() {
        let tax = default_taxonomy();
        let json = serde_json::to_string(&tax).unwrap();
        assert_eq!(serde_json::from_str::<Taxonomy>(&json).unwrap(), tax);
        assert!(tax.themes.len() >= 10);
    }
}
