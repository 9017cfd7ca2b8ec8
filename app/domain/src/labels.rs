//! Human labels: what people say the sentiment of a text is. The review queue serves the texts
//! whose label teaches most first — the ones the lexicon is least sure of, spread over languages
//! and themes — and the labels measure how often the lexicon is right.

use serde::{Deserialize, Serialize};

/// The three sentiments a text can be labelled with.
pub const SENTIMENTS: [&str; 3] = ["negative", "neutral", "positive"];

/// A sentiment tag at least this likely to be right counts in the dashboard's sentiment figures
/// (which say how many tags they rest on). A person's label counts as certain (1.0).
pub const CONFIDENT: f64 = 0.6;

/// Whether a tag of `confidence` counts in sentiment figures.
pub fn confident(confidence: Option<f64>) -> bool {
    confidence.is_some_and(|c| c >= CONFIDENT)
}

/// A text that may be labelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewCandidate {
    pub response_id: i64,
    pub text: String,
    pub language: Option<String>,
    /// One of its themes (the first by key), for spreading the queue.
    pub theme: Option<String>,
    /// The analysis's verdict and how likely it is right (0–1).
    pub sentiment: Option<String>,
    pub confidence: Option<f64>,
}

impl ReviewCandidate {
    /// How unsure the lexicon is, 0 (sure) … 1 (no idea).
    pub fn uncertainty(&self) -> f64 {
        1.0 - self.confidence.unwrap_or(0.0).clamp(0.0, 1.0)
    }
}

/// `n` texts to label, most informative first: the least certain of each (language, theme)
/// group in turn, so one busy theme or language does not fill the batch.
pub fn review_batch(mut candidates: Vec<ReviewCandidate>, n: usize) -> Vec<ReviewCandidate> {
    candidates.sort_by(|a, b| {
        b.uncertainty()
            .total_cmp(&a.uncertainty())
            .then(b.response_id.cmp(&a.response_id))
    });
    // (language, theme) and the group's texts.
    type Group = ((Option<String>, Option<String>), Vec<ReviewCandidate>);
    let mut groups: Vec<Group> = Vec::new();
    for c in candidates {
        let key = (c.language.clone(), c.theme.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(c),
            None => groups.push((key, vec![c])),
        }
    }
    // Groups in order of their least certain text; each list already least certain first.
    for (_, list) in &mut groups {
        list.reverse();
    }
    let mut out = Vec::with_capacity(n);
    while out.len() < n && groups.iter().any(|(_, l)| !l.is_empty()) {
        for (_, list) in &mut groups {
            if out.len() == n {
                break;
            }
            if let Some(c) = list.pop() {
                out.push(c);
            }
        }
    }
    out
}

/// How the lexicon did on the texts people labelled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LabelStats {
    /// Texts with a person's sentiment label.
    pub labelled: u64,
    /// Of them, those the lexicon had analysed when they were labelled.
    pub compared: u64,
    /// Of those, where the lexicon said the same.
    pub lexicon_right: u64,
}

impl LabelStats {
    /// The lexicon's accuracy on the labelled texts, if any were compared.
    pub fn lexicon_accuracy(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.lexicon_right as f64 / self.compared as f64)
    }
}

/// A text in the review queue, as a manager sees it (personal data masked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub response_id: i64,
    pub text: String,
    pub language: Option<String>,
    /// The name of one of its themes.
    pub theme: Option<String>,
    /// What the lexicon says.
    pub lexicon: Option<String>,
}

/// The review queue: a batch to label and how the labels so far judge the lexicon.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewPage {
    pub items: Vec<ReviewItem>,
    pub stats: LabelStats,
    /// The installation's own sentiment model, once trained.
    #[serde(default)]
    pub model: Option<ModelReport>,
}

/// Labels needed before a model is trained, and held-out labels needed to judge it.
pub const MIN_LABELS: usize = 50;
pub const MIN_HELD_OUT: usize = 10;

/// A trained sentiment model measured against the lexicon on labels it did not learn from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelReport {
    /// Labels it learned from.
    pub trained_on: u64,
    /// Labels kept apart to measure it (every fifth, by response id).
    pub held_out: u64,
    pub learned_accuracy: f64,
    pub lexicon_accuracy: f64,
    /// Whether it tags texts now: only when better than the lexicon on the held-out labels.
    pub in_force: bool,
    /// The [`digest`] of the labels it learned from: a relabelled text changes it even when
    /// the number of labels stays the same.
    #[serde(default)]
    pub labels_digest: u64,
}

impl ModelReport {
    /// Judges a model by its and the lexicon's right answers on the held-out labels.
    pub fn judge(
        trained_on: usize,
        held_out: usize,
        learned_right: usize,
        lexicon_right: usize,
    ) -> ModelReport {
        let share = |n: usize| n as f64 / held_out.max(1) as f64;
        ModelReport {
            trained_on: trained_on as u64,
            held_out: held_out as u64,
            learned_accuracy: share(learned_right),
            lexicon_accuracy: share(lexicon_right),
            in_force: held_out >= MIN_HELD_OUT && learned_right > lexicon_right,
            labels_digest: 0,
        }
    }
}

/// A digest of labels (response id, sentiment), independent of their order (FNV-1a per label,
/// summed): equal for the same labels, different after any relabel, addition or removal.
pub fn digest<'a>(labels: impl IntoIterator<Item = (i64, &'a str)>) -> u64 {
    labels
        .into_iter()
        .map(|(id, sentiment)| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in id.to_le_bytes().iter().chain(sentiment.as_bytes()) {
                h ^= u64::from(*b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            h
        })
        .fold(0u64, u64::wrapping_add)
}

/// How a theme's learned model does against the theme's keywords, on the held-out texts people
/// tagged: F1 of "the theme applies".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeModelReport {
    pub key: String,
    /// Labelled texts it learned from, and of them those that carry the theme.
    pub trained_on: u64,
    pub positives: u64,
    /// Held-out labelled texts it was measured on.
    pub held_out: u64,
    pub learned_f1: f64,
    pub keywords_f1: f64,
    /// Whether it decides the theme now: only when better than the keywords on the held-out
    /// texts, with at least [`MIN_HELD_OUT`] of them and some that carry the theme.
    pub in_force: bool,
    /// The [`digest`] of all theme labels when it was trained.
    #[serde(default)]
    pub labels_digest: u64,
}

impl ThemeModelReport {
    /// Judges a theme model by its and the keywords' F1 on `held_out` texts, `positives_held_out`
    /// of which carry the theme.
    pub fn judge(
        key: &str,
        (trained_on, positives): (usize, usize),
        (held_out, positives_held_out): (usize, usize),
        learned_f1: f64,
        keywords_f1: f64,
    ) -> ThemeModelReport {
        ThemeModelReport {
            key: key.to_string(),
            trained_on: trained_on as u64,
            positives: positives as u64,
            held_out: held_out as u64,
            learned_f1,
            keywords_f1,
            in_force: held_out >= MIN_HELD_OUT
                && positives_held_out >= MIN_THEME_POSITIVES
                && learned_f1 > keywords_f1,
            labels_digest: 0,
        }
    }
}

/// The [`digest`] of theme labels (response id, theme key, applies).
pub fn theme_digest<'a>(labels: impl IntoIterator<Item = (i64, &'a str, bool)>) -> u64 {
    let keyed: Vec<(i64, String)> = labels
        .into_iter()
        .map(|(id, key, applies)| (id, format!("{key}={applies}")))
        .collect();
    digest(keyed.iter().map(|(id, k)| (*id, k.as_str())))
}

/// Held-out texts that carry a theme, at least, before its model may decide it.
pub const MIN_THEME_POSITIVES: usize = 3;

/// Whether a labelled text is held out from training (every fifth, stable per text).
pub fn held_out(response_id: i64) -> bool {
    response_id.rem_euclid(5) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, lang: &str, theme: &str, confidence: f64) -> ReviewCandidate {
        ReviewCandidate {
            response_id: id,
            text: format!("text {id}"),
            language: Some(lang.into()),
            theme: Some(theme.into()),
            sentiment: None,
            confidence: Some(confidence),
        }
    }

    #[test]
    fn the_least_certain_come_first_spread_over_languages_and_themes() {
        let batch = review_batch(
            vec![
                c(1, "nl", "price", 0.9),
                c(2, "nl", "price", 0.0),
                c(3, "nl", "price", 0.1),
                c(4, "en", "price", 0.5),
                c(5, "nl", "waiting", 0.2),
            ],
            4,
        );
        let ids: Vec<i64> = batch.iter().map(|c| c.response_id).collect();
        // Each group's least certain in turn (groups by their least certain text), then again.
        assert_eq!(ids, [2, 5, 4, 3]);
        assert_eq!(review_batch(Vec::new(), 5), []);
        assert_eq!(review_batch(vec![c(9, "nl", "x", 0.0)], 5).len(), 1);
    }

    #[test]
    fn a_theme_model_decides_only_when_it_beats_the_keywords_on_enough_texts() {
        let judge = |held: (usize, usize), learned, keywords| {
            ThemeModelReport::judge("x", (100, 20), held, learned, keywords).in_force
        };
        assert!(judge((20, 5), 0.8, 0.5));
        assert!(!judge((20, 5), 0.5, 0.5), "a tie keeps the keywords");
        assert!(!judge((9, 5), 0.8, 0.5), "too few held-out texts");
        assert!(!judge((20, 2), 0.8, 0.5), "too few that carry the theme");
    }

    #[test]
    fn the_digest_changes_with_a_relabel_not_with_the_order() {
        let a = digest([(1, "negative"), (2, "positive")]);
        assert_eq!(a, digest([(2, "positive"), (1, "negative")]));
        assert_ne!(a, digest([(1, "neutral"), (2, "positive")]));
        assert_ne!(a, digest([(1, "negative")]));
        assert_ne!(digest([(1, "positive"), (2, "negative")]), a);
    }

    #[test]
    fn a_model_is_used_only_where_it_beats_the_lexicon() {
        let better = ModelReport::judge(200, 50, 40, 30);
        assert!(better.in_force);
        assert_eq!(
            (better.learned_accuracy, better.lexicon_accuracy),
            (0.8, 0.6)
        );
        assert!(
            !ModelReport::judge(200, 50, 30, 30).in_force,
            "a tie keeps the lexicon"
        );
        assert!(
            !ModelReport::judge(40, 5, 5, 0).in_force,
            "too few held out to tell"
        );
        assert!(held_out(10) && !held_out(11) && held_out(-5));
    }

    #[test]
    fn the_lexicon_is_measured_on_the_labels() {
        let s = LabelStats {
            labelled: 10,
            compared: 8,
            lexicon_right: 4,
        };
        assert_eq!(s.lexicon_accuracy(), Some(0.5));
        assert_eq!(LabelStats::default().lexicon_accuracy(), None);
    }
}
