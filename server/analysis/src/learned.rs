//! Sentiment and themes learned from the installation's own labelled texts: logistic regression
//! (multinomial for sentiment, one binary model per theme) over hashed word unigrams and bigrams
//! and character 3-grams, trained with AdaGrad.
//! The lexicon's verdict is one of its features, so with few labels the model leans on the
//! lexicon and with more it learns the installation's own language. Plain Rust, deterministic:
//! the same labels give the same model (a restart retrains it from the stored labels).

use crate::sentiment::Polarity;
use unicode_segmentation::UnicodeSegmentation;

/// Hashed feature space (2^18: 3 MB of weights per class set).
const DIMS: usize = 1 << 18;
/// Extra features after the hashed ones: the lexicon's score, its three verdicts, a bias.
const EXTRA: usize = 5;
const CLASSES: usize = 3;

/// A text's features: (index, value), L2-normalised over the hashed part.
pub type Features = Vec<(u32, f32)>;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn hash(parts: &[&str]) -> u32 {
    // FNV-1a, 64 bits, with a separator between the parts.
    let mut h = FNV_OFFSET;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h = fnv(h, &[0x1f]);
        }
        h = fnv(h, p.as_bytes());
    }
    (h % DIMS as u64) as u32
}

/// The hash of a character trigram (no allocation: the hot path of tagging).
fn hash_chars(gram: &[char]) -> u32 {
    let mut h = fnv(FNV_OFFSET, b"c");
    h = fnv(h, &[0x1f]);
    let mut buf = [0u8; 4];
    for c in gram {
        h = fnv(h, c.encode_utf8(&mut buf).as_bytes());
    }
    (h % DIMS as u64) as u32
}

/// The features of `text`, with the lexicon's score (−1 … 1) and verdict as priors.
pub fn features(text: &str, lexicon: Option<(Polarity, f64)>) -> Features {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.unicode_words().collect();
    let mut idx: Vec<u32> = Vec::with_capacity(words.len() * 8);
    let mut marked: Vec<char> = Vec::with_capacity(32);
    for (i, w) in words.iter().enumerate() {
        idx.push(hash(&["w", w]));
        if i + 1 < words.len() {
            idx.push(hash(&["b", w, words[i + 1]]));
        }
        marked.clear();
        marked.push('<');
        marked.extend(w.chars());
        marked.push('>');
        idx.extend(marked.windows(3).map(hash_chars));
    }
    idx.sort_unstable();
    let mut out: Features = Vec::with_capacity(idx.len() + EXTRA);
    for i in idx {
        match out.last_mut() {
            Some((j, v)) if *j == i => *v += 1.0,
            _ => out.push((i, 1.0)),
        }
    }
    // Sublinear counts, unit length: long texts do not shout.
    let mut norm = 0.0f32;
    for (_, v) in &mut out {
        *v = 1.0 + v.ln();
        norm += *v * *v;
    }
    let norm = norm.sqrt().max(1e-6);
    for (_, v) in &mut out {
        *v /= norm;
    }
    let base = DIMS as u32;
    if let Some((polarity, score)) = lexicon {
        out.push((base, score as f32));
        out.push((base + 1 + polarity as u32, 1.0));
    }
    out.push((base + 4, 1.0));
    out
}

/// Class index of a polarity (negative, neutral, positive).
pub fn class(p: Polarity) -> usize {
    p as usize
}

fn polarity(class: usize) -> Polarity {
    [Polarity::Negative, Polarity::Neutral, Polarity::Positive][class]
}

/// The order of the examples in each training pass: shuffled anew before every pass by a fixed
/// pseudo-random sequence (xorshift) — deterministic, yet not in label order.
struct Passes {
    order: Vec<usize>,
    state: u64,
}

impl Passes {
    fn new(examples: usize) -> Passes {
        Passes {
            order: (0..examples).collect(),
            state: 0x9e37_79b9_7f4a_7c15,
        }
    }

    fn next(&mut self) -> &[usize] {
        for i in (1..self.order.len()).rev() {
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            self.order.swap(i, (self.state % (i as u64 + 1)) as usize);
        }
        &self.order
    }
}

/// A trained model.
#[derive(Clone)]
pub struct SentimentModel {
    weights: Vec<[f32; CLASSES]>,
}

impl SentimentModel {
    /// Learns from `(features, class)` examples: `epochs` passes in a fixed shuffled order,
    /// classes weighted so that a rare one counts as much as a common one.
    pub fn train(examples: &[(Features, usize)], epochs: usize) -> SentimentModel {
        let mut weights = vec![[0f32; CLASSES]; DIMS + EXTRA];
        let mut squares = vec![[1e-6f32; CLASSES]; DIMS + EXTRA];
        let mut counts = [0usize; CLASSES];
        for (_, c) in examples {
            counts[*c] += 1;
        }
        let present = counts.iter().filter(|c| **c > 0).count().max(1);
        let class_weight: Vec<f32> = counts
            .iter()
            .map(|&c| {
                if c == 0 {
                    0.0
                } else {
                    examples.len() as f32 / (present * c) as f32
                }
            })
            .collect();
        let mut passes = Passes::new(examples.len());
        const RATE: f32 = 0.2;
        for _ in 0..epochs {
            for &e in passes.next() {
                let (x, y) = &examples[e];
                let p = probabilities(&weights, x);
                for (c, p_c) in p.iter().enumerate() {
                    let g = (*p_c as f32 - if c == *y { 1.0 } else { 0.0 }) * class_weight[*y];
                    if g == 0.0 {
                        continue;
                    }
                    for &(i, v) in x {
                        let grad = g * v;
                        let s = &mut squares[i as usize][c];
                        *s += grad * grad;
                        weights[i as usize][c] -= RATE * grad / s.sqrt();
                    }
                }
            }
        }
        SentimentModel { weights }
    }

    /// The most likely polarity and the three probabilities (negative, neutral, positive).
    pub fn predict(&self, x: &Features) -> (Polarity, [f64; CLASSES]) {
        let p = probabilities(&self.weights, x);
        let best = (0..CLASSES)
            .max_by(|a, b| p[*a].total_cmp(&p[*b]))
            .unwrap_or(1);
        (polarity(best), p)
    }

    /// Bytes the model holds.
    pub fn size(&self) -> usize {
        self.weights.len() * std::mem::size_of::<[f32; CLASSES]>()
    }
}

fn probabilities(weights: &[[f32; CLASSES]], x: &Features) -> [f64; CLASSES] {
    let mut z = [0f64; CLASSES];
    for &(i, v) in x {
        for (c, zc) in z.iter_mut().enumerate() {
            *zc += f64::from(weights[i as usize][c] * v);
        }
    }
    let max = z.iter().cloned().fold(f64::MIN, f64::max);
    let mut sum = 0.0;
    for zc in &mut z {
        *zc = (*zc - max).exp();
        sum += *zc;
    }
    z.map(|zc| zc / sum)
}

/// The features of `text` for a theme: its words and whether the theme's keywords match it.
pub fn theme_features(text: &str, keywords_match: bool) -> Features {
    with_keywords(&features(text, None), keywords_match)
}

/// A text's [`features`] (without the lexicon) and whether a theme's keywords match it: the
/// words are computed once per text and shared by every theme's model.
pub fn with_keywords(words: &Features, keywords_match: bool) -> Features {
    let mut x = words.clone();
    if keywords_match {
        x.push((DIMS as u32, 1.0));
    }
    x
}

/// Where a theme model starts: the keywords decide (a match is 82 % likely the theme, no match
/// 18 %), so with few labels it behaves like the keyword matcher and learns away from it only as
/// far as the labels show.
const KEYWORD_PRIOR: f32 = 3.0;
const BIAS_PRIOR: f32 = -1.5;

/// One theme's learned detector: a logistic regression over [`theme_features`], trained from
/// people's theme labels with AdaGrad from the keyword prior.
#[derive(Clone)]
pub struct ThemeModel {
    weights: Vec<f32>,
}

impl ThemeModel {
    /// The model before any label: the keyword matcher.
    pub fn prior() -> ThemeModel {
        let mut weights = vec![0f32; DIMS + EXTRA];
        weights[DIMS] = KEYWORD_PRIOR;
        weights[DIMS + 4] = BIAS_PRIOR;
        ThemeModel { weights }
    }

    /// Learns from `(features, applies)` examples in a fixed shuffled order, `epochs` passes.
    pub fn train(examples: &[(Features, bool)], epochs: usize) -> ThemeModel {
        let mut model = ThemeModel::prior();
        let mut squares = vec![1e-6f32; DIMS + EXTRA];
        // The theme is rare: its examples weigh as much in all as the others'.
        let positives = examples.iter().filter(|(_, y)| *y).count();
        let weight = |y: bool| {
            let n = if y {
                positives
            } else {
                examples.len() - positives
            };
            examples.len() as f32 / (2 * n.max(1)) as f32
        };
        let mut passes = Passes::new(examples.len());
        const RATE: f32 = 0.2;
        for _ in 0..epochs {
            for &e in passes.next() {
                let (x, y) = &examples[e];
                let g = (model.probability(x) - if *y { 1.0 } else { 0.0 }) as f32 * weight(*y);
                for &(i, v) in x {
                    // The keywords' weight stays: the words learn where they are wrong.
                    if i as usize == DIMS {
                        continue;
                    }
                    let grad = g * v;
                    let s = &mut squares[i as usize];
                    *s += grad * grad;
                    model.weights[i as usize] -= RATE * grad / s.sqrt();
                }
            }
        }
        model
    }

    /// How likely the theme applies (0–1).
    pub fn probability(&self, x: &Features) -> f64 {
        let z: f64 = x
            .iter()
            .map(|&(i, v)| f64::from(self.weights[i as usize] * v))
            .sum();
        1.0 / (1.0 + (-z).exp())
    }

    /// Bytes the model holds.
    pub fn size(&self) -> usize {
        self.weights.len() * std::mem::size_of::<f32>()
    }
}

/// Micro precision, recall and F1 of `(gold, predicted)` decisions.
pub fn binary_scores(pairs: impl IntoIterator<Item = (bool, bool)>) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (g, p) in pairs {
        match (g, p) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            _ => {}
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Accuracy and macro-F1 of predictions against gold classes.
pub fn scores(pairs: &[(usize, usize)]) -> (f64, f64) {
    if pairs.is_empty() {
        return (0.0, 0.0);
    }
    let right = pairs.iter().filter(|(g, p)| g == p).count();
    let mut f1 = 0.0;
    let mut classes = 0;
    for c in 0..CLASSES {
        let tp = pairs.iter().filter(|(g, p)| *g == c && *p == c).count() as f64;
        let gold = pairs.iter().filter(|(g, _)| *g == c).count() as f64;
        let predicted = pairs.iter().filter(|(_, p)| *p == c).count() as f64;
        if gold == 0.0 {
            continue;
        }
        classes += 1;
        if tp > 0.0 {
            let (precision, recall) = (tp / predicted, tp / gold);
            f1 += 2.0 * precision * recall / (precision + recall);
        }
    }
    (
        right as f64 / pairs.len() as f64,
        f1 / f64::from(classes.max(1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_learns_the_installations_own_words() {
        // "stroef" and "vlot" are in no lexicon; the labels teach them.
        let mut examples = Vec::new();
        for i in 0..30 {
            examples.push((features(&format!("het ging stroef {i}"), None), 0));
            examples.push((features(&format!("het ging vlot {i}"), None), 2));
            examples.push((features(&format!("het ging {i}"), None), 1));
        }
        let model = SentimentModel::train(&examples, 5);
        assert_eq!(
            model.predict(&features("alles ging stroef", None)).0,
            Polarity::Negative
        );
        assert_eq!(
            model.predict(&features("alles ging vlot", None)).0,
            Polarity::Positive
        );
        let (p, probs) = model.predict(&features("vlot", None));
        assert_eq!(p, Polarity::Positive);
        assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_theme_model_starts_as_the_keywords_and_learns_their_gaps() {
        let prior = ThemeModel::prior();
        assert!(prior.probability(&theme_features("lang gewacht", true)) > 0.8);
        assert!(prior.probability(&theme_features("lang gewacht", false)) < 0.2);
        // People tag "eindeloos" texts as waiting time, which the keywords miss.
        let mut examples = Vec::new();
        for i in 0..30 {
            examples.push((
                theme_features(&format!("het duurde eindeloos {i}"), false),
                true,
            ));
            examples.push((
                theme_features(&format!("de bezorger was aardig {i}"), false),
                false,
            ));
            examples.push((theme_features(&format!("in de wacht {i}"), true), true));
        }
        let model = ThemeModel::train(&examples, 5);
        assert!(model.probability(&theme_features("weer eindeloos", false)) > 0.5);
        assert!(model.probability(&theme_features("aardig", false)) < 0.5);
        assert!(model.probability(&theme_features("wacht", true)) > 0.5);
        assert_eq!(
            binary_scores([(true, true), (false, true), (true, false), (false, false)]),
            (0.5, 0.5, 0.5)
        );
    }

    #[test]
    fn accuracy_and_macro_f1() {
        let (acc, f1) = scores(&[(0, 0), (1, 1), (2, 2), (2, 0)]);
        assert_eq!(acc, 0.75);
        // neg: p 0.5 r 1 → 0.667; neu: 1; pos: p 1 r 0.5 → 0.667.
        assert!((f1 - (2.0 / 3.0 + 1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9);
        assert_eq!(scores(&[]), (0.0, 0.0));
    }
}
