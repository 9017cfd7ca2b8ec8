//! Lexicon-based sentiment in the manner of VADER: word valences from a real lexicon (VADER for
//! English, Pattern's for Dutch), flipped by a preceding negation, strengthened or weakened by
//! intensifiers, weighted towards what follows "but"/"maar", normalised to −1 … +1.

use super::language::Language;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Polarity {
    Negative,
    Neutral,
    Positive,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
            Polarity::Positive => "positive",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentiment {
    pub polarity: Polarity,
    /// −1 (very negative) … +1 (very positive).
    pub score: f64,
    /// How likely the polarity is right (0–1): for the lexicon, [`lexicon_confidence`]; for a
    /// learned model, its probability of the class.
    pub confidence: f64,
}

/// How often the lexicon's polarity is right at a given |score|: measured on the 23k clothing
/// reviews (CC0; 1–2 stars negative, 3 neutral, 4–5 positive) in bins of |score| and interpolated
/// between the bins' middles. A verdict near zero (few or no opinion words) is mostly wrong:
/// people seldom call a piece of feedback neutral. `tests/eval` checks the table against the
/// reviews and against SemEval's sentences.
const LEXICON_CALIBRATION: [(f64, f64); 7] = [
    (0.025, 0.27),
    (0.10, 0.35),
    (0.22, 0.45),
    (0.37, 0.49),
    (0.52, 0.59),
    (0.67, 0.68),
    (0.85, 0.88),
];

/// The share of the lexicon's verdicts at `score` that are right (see [`LEXICON_CALIBRATION`]).
pub fn lexicon_confidence(score: f64) -> f64 {
    let x = score.abs();
    let points = &LEXICON_CALIBRATION;
    if x <= points[0].0 {
        return points[0].1;
    }
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x <= x1 {
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    points[points.len() - 1].1
}

/// |score| below this is neutral (VADER's threshold).
const NEUTRAL_BAND: f64 = 0.05;
/// A negated word keeps 74% of its strength, reversed (VADER's constant).
const NEGATION: f64 = -0.74;
const BOOST: f64 = 0.293;

struct LanguageLexicon {
    valence: HashMap<String, f64>,
    negators: &'static [&'static str],
    boosters: &'static [&'static str],
    dampeners: &'static [&'static str],
    contrast: &'static [&'static str],
}

pub struct SentimentScorer {
    lexicons: HashMap<Language, LanguageLexicon>,
}

fn parse(tsv: &str) -> HashMap<String, f64> {
    tsv.lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(w, v)| Some((w.to_string(), v.trim().parse().ok()?)))
        .collect()
}

impl Default for SentimentScorer {
    fn default() -> Self {
        let mut lexicons = HashMap::new();
        lexicons.insert(
            Language::En,
            LanguageLexicon {
                valence: parse(include_str!("../lexicons/en-vader.tsv")),
                negators: &[
                    "not",
                    "no",
                    "never",
                    "none",
                    "nobody",
                    "nothing",
                    "neither",
                    "nor",
                    "without",
                    "hardly",
                    "isn't",
                    "wasn't",
                    "don't",
                    "didn't",
                    "doesn't",
                    "can't",
                    "cannot",
                    "couldn't",
                    "won't",
                    "wouldn't",
                    "shouldn't",
                    "aren't",
                    "weren't",
                    "haven't",
                    "hasn't",
                    "hadn't",
                    "nowhere",
                ],
                boosters: &[
                    "very",
                    "really",
                    "extremely",
                    "so",
                    "too",
                    "absolutely",
                    "completely",
                    "totally",
                    "incredibly",
                    "super",
                    "highly",
                    "most",
                    "utterly",
                    "especially",
                    "remarkably",
                ],
                dampeners: &[
                    "slightly",
                    "somewhat",
                    "barely",
                    "marginally",
                    "occasionally",
                    "partly",
                    "fairly",
                ],
                contrast: &["but", "however", "although", "though"],
            },
        );
        lexicons.insert(
            Language::Nl,
            LanguageLexicon {
                valence: parse(include_str!("../lexicons/nl-sentiment.tsv")),
                negators: &[
                    "niet",
                    "geen",
                    "nooit",
                    "niets",
                    "niks",
                    "niemand",
                    "nergens",
                    "zonder",
                    "allerminst",
                    "amper",
                ],
                boosters: &[
                    "erg",
                    "heel",
                    "zeer",
                    "echt",
                    "super",
                    "enorm",
                    "ontzettend",
                    "ongelooflijk",
                    "hartstikke",
                    "bijzonder",
                    "extreem",
                    "uiterst",
                    "zo",
                    "te",
                    "uitermate",
                ],
                dampeners: &[
                    "vrij",
                    "beetje",
                    "redelijk",
                    "nogal",
                    "enigszins",
                    "tamelijk",
                    "wat",
                ],
                contrast: &["maar", "echter", "hoewel", "alleen"],
            },
        );
        SentimentScorer { lexicons }
    }
}

impl SentimentScorer {
    /// Sentiment of `text` in `lang`; `None` for a language without a lexicon.
    pub fn score(&self, text: &str, lang: Language) -> Option<Sentiment> {
        let lex = self.lexicons.get(&lang)?;
        // Most words are lower-case ASCII already: borrow those, copy only the others.
        let words: Vec<Cow<str>> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(|w| {
                if w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'\'' || b == b'-')
                {
                    Cow::Borrowed(w)
                } else {
                    Cow::Owned(w.to_lowercase().replace('’', "'"))
                }
            })
            .collect();
        let contrast_at = words
            .iter()
            .rposition(|w| lex.contrast.contains(&w.as_ref()));
        let mut sum = 0.0;
        for (i, word) in words.iter().enumerate() {
            let Some(&base) = lex.valence.get(word.as_ref()) else {
                continue;
            };
            // Modifiers modify; some are in the lexicon too ("redelijk"), but not as opinions here.
            let w: &str = word;
            if lex.boosters.contains(&w) || lex.dampeners.contains(&w) || lex.negators.contains(&w)
            {
                continue;
            }
            let mut v = base;
            // Intensifiers up to two words before, the nearer counting more.
            for (distance, scale) in [(1, 1.0), (2, 0.95)] {
                if let Some(prev) = i.checked_sub(distance).map(|j| words[j].as_ref()) {
                    if lex.boosters.contains(&prev) {
                        v += v.signum() * BOOST * scale;
                    } else if lex.dampeners.contains(&prev) {
                        v -= v.signum() * BOOST * scale;
                    }
                }
            }
            let negated = (i.saturating_sub(3)..i)
                .any(|j| lex.negators.contains(&words[j].as_ref()) || words[j].ends_with("n't"))
                || (lang == Language::Nl && words.get(i + 1).is_some_and(|n| n == "niet"));
            if negated {
                v *= NEGATION;
            }
            // "good, but slow": what follows the contrast word counts more.
            if let Some(c) = contrast_at {
                v *= if i < c { 0.5 } else { 1.5 };
            }
            sum += v;
        }
        let exclamations = text.matches('!').count().min(4) as f64;
        if sum != 0.0 {
            sum += sum.signum() * exclamations * 0.292;
        }
        let score = sum / (sum * sum + 15.0).sqrt();
        let polarity = if score >= NEUTRAL_BAND {
            Polarity::Positive
        } else if score <= -NEUTRAL_BAND {
            Polarity::Negative
        } else {
            Polarity::Neutral
        };
        Some(Sentiment {
            polarity,
            score,
            confidence: lexicon_confidence(score),
        })
    }

    /// Sentiment of one part of a text (e.g. the sentence where a theme was found).
    pub fn score_range(
        &self,
        text: &str,
        range: Range<usize>,
        lang: Language,
    ) -> Option<Sentiment> {
        self.score(text.get(range)?, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pol(text: &str, lang: Language) -> Polarity {
        SentimentScorer::default()
            .score(text, lang)
            .unwrap()
            .polarity
    }

    #[test]
    fn confidence_grows_with_the_strength_of_the_verdict() {
        assert_eq!(lexicon_confidence(0.0), 0.27);
        assert_eq!(lexicon_confidence(-0.0), 0.27);
        assert!((lexicon_confidence(0.445) - 0.54).abs() < 0.01);
        assert_eq!(lexicon_confidence(-0.99), 0.88);
        let mut last = 0.0;
        for i in 0..=100 {
            let c = lexicon_confidence(i as f64 / 100.0);
            assert!(c >= last, "not monotone at {i}");
            last = c;
        }
        let strong = SentimentScorer::default()
            .score(
                "Fantastisch, super vriendelijk en heel snel geholpen!",
                Language::Nl,
            )
            .unwrap();
        assert!(strong.confidence > 0.8, "{strong:?}");
    }

    #[test]
    fn plain_polarity_in_both_languages() {
        assert_eq!(
            pol("De medewerker was vriendelijk en behulpzaam.", Language::Nl),
            Polarity::Positive
        );
        assert_eq!(
            pol("Slechte service, onbeleefd personeel.", Language::Nl),
            Polarity::Negative
        );
        assert_eq!(
            pol("The staff were friendly and helpful.", Language::En),
            Polarity::Positive
        );
        assert_eq!(
            pol("Terrible service and rude staff.", Language::En),
            Polarity::Negative
        );
        assert_eq!(
            pol("Ik heb een pakket besteld.", Language::Nl),
            Polarity::Neutral
        );
    }

    #[test]
    fn negation_flips() {
        assert_eq!(
            pol("The food was not good.", Language::En),
            Polarity::Negative
        );
        assert_eq!(
            pol("The food wasn't bad at all.", Language::En),
            Polarity::Positive
        );
        assert_eq!(
            pol("Het eten was niet lekker.", Language::Nl),
            Polarity::Negative
        );
        assert_eq!(
            pol("Geen goede ervaring.", Language::Nl),
            Polarity::Negative
        );
        assert_eq!(pol("Het was lekker niet", Language::Nl), Polarity::Negative);
    }

    #[test]
    fn intensifiers_strengthen_and_dampeners_weaken() {
        let s = SentimentScorer::default();
        let plain = s.score("Het was goed.", Language::Nl).unwrap().score;
        let boosted = s
            .score("Het was heel erg goed.", Language::Nl)
            .unwrap()
            .score;
        let damped = s
            .score("Het was redelijk goed.", Language::Nl)
            .unwrap()
            .score;
        assert!(
            boosted > plain && plain > damped && damped > 0.0,
            "{boosted} {plain} {damped}"
        );
    }

    #[test]
    fn contrast_weighs_what_follows() {
        assert_eq!(
            pol(
                "Vriendelijk personeel, maar het eten was slecht.",
                Language::Nl
            ),
            Polarity::Negative
        );
        assert_eq!(
            pol(
                "The room was small but the staff were wonderful.",
                Language::En
            ),
            Polarity::Positive
        );
    }

    #[test]
    fn unknown_language_has_no_score() {
        assert!(SentimentScorer::default()
            .score("Très bien", Language::Fr)
            .is_none());
    }
}
