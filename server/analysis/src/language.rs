//! Language detection with whatlang, restricted to the languages the installation expects, with
//! the respondent's chosen language as a prior and "undetermined" instead of a wild guess.

use whatlang::{Detector, Lang};

/// The languages texts are analysed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Nl,
    En,
    De,
    Fr,
    Es,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::Nl,
        Language::En,
        Language::De,
        Language::Fr,
        Language::Es,
    ];

    /// ISO 639-1.
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
            Language::De => "de",
            Language::Fr => "fr",
            Language::Es => "es",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    fn whatlang(self) -> Lang {
        match self {
            Language::Nl => Lang::Nld,
            Language::En => Lang::Eng,
            Language::De => Lang::Deu,
            Language::Fr => Lang::Fra,
            Language::Es => Lang::Spa,
        }
    }

    fn from_whatlang(lang: Lang) -> Option<Language> {
        Self::ALL.into_iter().find(|l| l.whatlang() == lang)
    }
}

/// Below this many letters a text is too short to tell its language.
const MIN_LETTERS: usize = 12;
/// Fewer letters than this are too few even for lingua.
const SECOND_MIN_LETTERS: usize = 5;
/// Characters looked at for detection.
const DETECT_CHARS: usize = 160;

/// Frequent function words per language. Words in more than one list are dropped when the
/// detector is built, so every hit is evidence for exactly one language.
const FUNCTION_WORDS: [(Language, &str); 5] = [
    (Language::Nl, "het een en van ik je dat niet op te zijn er maar met voor ook als aan om dan bij nog wel geen heel zo wat naar hier kan uit wij ze zeer erg goed mijn ons onze hun deze dit of worden wordt werd hebben heb heeft hadden tot door na veel meer echt helaas waren wordt gaan kregen even toch zeker weer"),
    (Language::En, "the and a an of to it i you that this for with not but are were be been have has had my our they very at on from just all there what too would will can which their them than only also really when she he her his"),
    (Language::De, "der das und ist nicht ein eine ich zu mit sehr auch auf für es wir sie aber noch wie dem den ganz gut war"),
    (Language::Fr, "le la les et est un une des pas je très pour avec que qui dans ce il nous mais sur du au était"),
    (Language::Es, "el los las y es una que no muy con para por pero lo se del al fue estaba"),
];

pub struct LanguageDetector {
    detector: Detector,
    enabled: Vec<Language>,
    function_words: std::collections::HashMap<&'static str, Language>,
    /// lingua-rs in high-accuracy mode: the second opinion on short and unsure texts.
    second: lingua::LanguageDetector,
}

/// Below this many characters a text gets lingua's opinion unless the first one is sure (whatlang
/// and the function words need more text); longer ones only when the first opinion is
/// undetermined, which keeps lingua (about 5× the cost of the first opinion) off most texts.
const SHORT_CHARS: usize = 100;
/// A first opinion this confident stands on a short text too (five function words of one
/// language and none of another, or whatlang agreeing with them).
const FIRST_SURE: f64 = 0.9;
/// lingua's confidence (its share among the languages it weighs) that settles a short text.
const SECOND_OPINION_SURE: f64 = 0.6;

/// The languages lingua weighs: the platform's, and neighbours whose texts must come out as
/// "undetermined" rather than as the nearest language the platform speaks.
const SECOND_OPINION_LANGUAGES: [lingua::Language; 7] = [
    lingua::Language::Dutch,
    lingua::Language::English,
    lingua::Language::German,
    lingua::Language::French,
    lingua::Language::Spanish,
    lingua::Language::Italian,
    lingua::Language::Portuguese,
];

fn from_lingua(lang: lingua::Language) -> Option<Language> {
    match lang {
        lingua::Language::Dutch => Some(Language::Nl),
        lingua::Language::English => Some(Language::En),
        lingua::Language::German => Some(Language::De),
        lingua::Language::French => Some(Language::Fr),
        lingua::Language::Spanish => Some(Language::Es),
        _ => None,
    }
}

impl Default for LanguageDetector {
    fn default() -> Self {
        Self::new(&Language::ALL)
    }
}

impl LanguageDetector {
    pub fn new(enabled: &[Language]) -> Self {
        let mut seen: std::collections::HashMap<&'static str, Option<Language>> =
            Default::default();
        for (lang, words) in FUNCTION_WORDS {
            for w in words.split_whitespace() {
                seen.entry(w)
                    .and_modify(|l| *l = None)
                    .or_insert(Some(lang));
            }
        }
        LanguageDetector {
            detector: Detector::with_allowlist(enabled.iter().map(|l| l.whatlang()).collect()),
            enabled: enabled.to_vec(),
            function_words: seen
                .into_iter()
                .filter_map(|(w, l)| l.filter(|l| enabled.contains(l)).map(|l| (w, l)))
                .collect(),
            // Its models are shared by every detector of the process, loaded on first use.
            second: lingua::LanguageDetectorBuilder::from_languages(&SECOND_OPINION_LANGUAGES)
                .build(),
        }
    }

    /// lingua's verdict: `Some(None)` when it is sure of a language the platform does not speak
    /// (or that is not enabled), `None` when it is unsure.
    fn second_opinion(&self, text: &str) -> Option<Option<(Language, f64)>> {
        let values = self.second.compute_language_confidence_values(text);
        let (lang, confidence) = values.first().copied()?;
        (confidence >= SECOND_OPINION_SURE).then(|| {
            from_lingua(lang)
                .filter(|l| self.enabled.contains(l))
                .map(|l| (l, confidence))
        })
    }

    /// Counts function words per language: (best language, its hits, hits of the runner-up).
    fn function_word_vote(&self, text: &str) -> Option<(Language, usize, usize)> {
        let mut hits = [0usize; 5];
        let mut lower = String::new();
        // Function words are short; longer words need no look-up.
        for word in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty() && w.len() <= 8)
        {
            lower.clear();
            lower.extend(word.chars().flat_map(char::to_lowercase));
            if let Some(lang) = self.function_words.get(lower.as_str()) {
                hits[Language::ALL.iter().position(|l| l == lang).unwrap_or(0)] += 1;
            }
        }
        let mut order: Vec<usize> = (0..5).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(hits[i]));
        (hits[order[0]] > 0).then(|| (Language::ALL[order[0]], hits[order[0]], hits[order[1]]))
    }

    /// The language of `text`, or `None` when it cannot be told reliably.
    ///
    /// Two independent signals: whatlang's trigram model and a count of function words. When they
    /// agree the answer stands; when they disagree, a clear function-word majority wins; a short
    /// text needs both, or one of them plus the language the respondent chose (`context`).
    pub fn detect(&self, text: &str, context: Option<Language>) -> Option<(Language, f64)> {
        // The first few hundred characters tell the language as well as the whole text, and
        // detection cost grows with length.
        let text = match text.char_indices().nth(DETECT_CHARS) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        if letters < SECOND_MIN_LETTERS {
            return None;
        }
        let first = if letters < MIN_LETTERS {
            None
        } else {
            self.first_opinion(text, letters, context)
        };
        let sure = first.is_some_and(|(_, c)| c >= FIRST_SURE);
        if first.is_some() && (sure || text.chars().nth(SHORT_CHARS).is_some()) {
            return first;
        }
        // Short or unsure: lingua decides where it is sure, else the first opinion stands.
        self.second_opinion(text).unwrap_or(first)
    }

    /// whatlang's trigrams and the function words, with the respondent's language as a prior.
    fn first_opinion(
        &self,
        text: &str,
        letters: usize,
        context: Option<Language>,
    ) -> Option<(Language, f64)> {
        let vote = self.function_word_vote(text);
        // Five or more function words of one language and none of another settle it; the
        // (costlier) trigram model is not needed.
        if let Some((lang, best, 0)) = vote {
            if best >= 5 && self.enabled.contains(&lang) {
                return Some((lang, 0.9));
            }
        }
        let trigram = self
            .detector
            .detect(text)
            .and_then(|info| Language::from_whatlang(info.lang()).map(|l| (l, info.confidence())));
        // A clear majority: at least two hits, and three times as many as any other language.
        let clear_vote = vote.filter(|&(_, best, second)| best >= 2 && best >= 3 * second);
        let guess = match (trigram, vote) {
            (Some((t, conf)), Some((v, _, _))) if t == v => Some((t, conf.max(0.5))),
            (Some(_), _) if clear_vote.is_some() => clear_vote.map(|(v, _, _)| (v, 0.6)),
            (Some((t, conf)), None) => {
                // Only the trigram model speaks: enough for longer texts, or with agreeing context.
                let long_enough = letters >= 60 || (letters >= 25 && conf >= 0.3);
                (long_enough || context == Some(t)).then_some((t, conf))
            }
            (Some((t, conf)), Some(_)) => {
                (context == Some(t) && letters >= 25).then_some((t, conf))
            }
            (None, _) => clear_vote.map(|(v, _, _)| (v, 0.5)),
        };
        guess.filter(|(l, _)| self.enabled.contains(l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_dutch_and_english() {
        let d = LanguageDetector::default();
        let nl = d.detect(
            "De medewerker was heel vriendelijk en hielp mij snel verder met mijn vraag.",
            None,
        );
        assert_eq!(nl.unwrap().0, Language::Nl);
        let en = d.detect(
            "The staff member was very friendly and quickly helped me with my question.",
            None,
        );
        assert_eq!(en.unwrap().0, Language::En);
    }

    #[test]
    fn short_text_is_undetermined() {
        let d = LanguageDetector::default();
        assert_eq!(d.detect("Top!", Some(Language::Nl)), None);
        assert_eq!(d.detect("ok 👍", None), None);
    }

    #[test]
    fn short_texts_get_a_second_opinion_and_other_languages_stay_undetermined() {
        let d = LanguageDetector::default();
        assert_eq!(
            d.detect("Te lang gewacht", None).map(|l| l.0),
            Some(Language::Nl)
        );
        assert_eq!(
            d.detect("Way too expensive", None).map(|l| l.0),
            Some(Language::En)
        );
        // Italian and Portuguese are weighed, never answered with a neighbour.
        assert_eq!(
            d.detect("Il servizio era molto lento e il personale scortese.", None),
            None
        );
        assert_eq!(
            d.detect(
                "O atendimento foi muito demorado e ninguém respondeu.",
                None
            ),
            None
        );
        // A language that is not enabled is not answered either.
        let dutch_only = LanguageDetector::new(&[Language::Nl]);
        assert_eq!(
            dutch_only.detect("The delivery was late again.", None),
            None
        );
    }

    #[test]
    fn codes_round_trip() {
        for l in Language::ALL {
            assert_eq!(Language::from_code(l.code()), Some(l));
        }
    }
}
