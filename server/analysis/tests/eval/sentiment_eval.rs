//! Sentiment measured on real data from `../shared/data`: SemEval-2016 restaurant opinions
//! (gold polarity per opinion; we score the sentence it stands in) in Dutch and English, and the
//! clothing reviews' star ratings (1–2 negative, 4–5 positive) in English.

use crate::data;

use analysis::language::Language;
use analysis::sentiment::{Polarity, SentimentScorer};

#[test]
fn sentiment_accuracy_on_semeval_opinions() {
    let scorer = SentimentScorer::default();
    for (file, lang, floor) in [
        ("semeval2016-restaurants-nl.xml", Language::Nl, 0.50),
        ("semeval2016-restaurants-en.xml", Language::En, 0.55),
    ] {
        let Some(sentences) = data::semeval(file) else {
            eprintln!("../shared/data not found: sentiment evaluation skipped");
            return;
        };
        let (mut total, mut right) = (0usize, 0usize);
        let mut confusion = [[0usize; 3]; 3];
        for s in &sentences {
            let predicted = scorer.score(&s.text, lang).unwrap().polarity;
            for (_, gold) in &s.opinions {
                let gold = match gold.as_str() {
                    "positive" => Polarity::Positive,
                    "negative" => Polarity::Negative,
                    "neutral" => Polarity::Neutral,
                    _ => continue,
                };
                total += 1;
                right += usize::from(gold == predicted);
                confusion[gold as usize][predicted as usize] += 1;
            }
        }
        let accuracy = right as f64 / total.max(1) as f64;
        // Accuracy alone flatters a system that calls everything positive (most opinions are):
        // the mean recall over the three classes does not.
        let recall =
            |c: usize| confusion[c][c] as f64 / confusion[c].iter().sum::<usize>().max(1) as f64;
        let balanced = (recall(0) + recall(1) + recall(2)) / 3.0;
        let majority = confusion
            .iter()
            .map(|row| row.iter().sum::<usize>())
            .max()
            .unwrap_or(0) as f64
            / total.max(1) as f64;
        println!(
            "sentiment {}: accuracy {accuracy:.3} (majority class {majority:.3}), balanced accuracy {balanced:.3} on {total} opinions",
            lang.code()
        );
        println!("    gold neg/neu/pos -> predicted neg/neu/pos: {confusion:?}");
        assert!(
            accuracy >= floor,
            "{}: sentiment accuracy {accuracy:.3} below {floor}",
            lang.code()
        );
        assert!(
            balanced >= 0.45,
            "{}: balanced accuracy {balanced:.3} (chance is 0.33)",
            lang.code()
        );
    }
}

#[test]
fn sentiment_agrees_with_star_ratings() {
    let Some(reviews) = data::clothing_reviews_with_ratings() else {
        eprintln!("../shared/data not found: rating evaluation skipped");
        return;
    };
    let scorer = SentimentScorer::default();
    // [negative reviews, of which called negative], [positive reviews, of which called positive]
    let mut counts = [[0usize; 2]; 2];
    for (text, rating) in &reviews {
        let (class, gold) = match rating {
            1 | 2 => (0, Polarity::Negative),
            4 | 5 => (1, Polarity::Positive),
            _ => continue,
        };
        counts[class][0] += 1;
        counts[class][1] += usize::from(scorer.score(text, Language::En).unwrap().polarity == gold);
    }
    let recall = |c: usize| counts[c][1] as f64 / counts[c][0].max(1) as f64;
    let total = counts[0][0] + counts[1][0];
    let accuracy = (counts[0][1] + counts[1][1]) as f64 / total.max(1) as f64;
    let balanced = (recall(0) + recall(1)) / 2.0;
    println!(
        "sentiment vs star rating: accuracy {accuracy:.3}, recall negative {:.3} / positive {:.3}, balanced {balanced:.3} on {total} reviews",
        recall(0),
        recall(1)
    );
    assert!(
        balanced >= 0.60,
        "balanced accuracy {balanced:.3} (chance is 0.5)"
    );
}

/// The lexicon's confidence is a calibrated probability: within each band of confidence, about
/// that share of its verdicts is right on the clothing reviews it was calibrated on; and on
/// SemEval's sentences (never used to set it) the confident tags — the ones dashboard figures
/// rest on — are right far more often than tags overall.
#[test]
fn confidence_says_how_often_the_lexicon_is_right() {
    let Some(reviews) = data::clothing_reviews_with_ratings() else {
        eprintln!("../shared/data not found: calibration skipped");
        return;
    };
    let scorer = SentimentScorer::default();
    // (confidence, right)
    let reviews: Vec<(f64, bool)> = reviews
        .iter()
        .map(|(text, rating)| {
            let gold = match rating {
                1 | 2 => Polarity::Negative,
                3 => Polarity::Neutral,
                _ => Polarity::Positive,
            };
            let s = scorer.score(text, Language::En).unwrap();
            (s.confidence, s.polarity == gold)
        })
        .collect();
    let bands = [0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0];
    let mut line = String::from("lexicon calibration on clothing reviews (confidence band: mean confidence / share right, n):");
    for w in bands.windows(2) {
        let band: Vec<_> = reviews
            .iter()
            .filter(|(c, _)| *c >= w[0] && *c < w[1])
            .collect();
        if band.len() < 100 {
            continue;
        }
        let mean = band.iter().map(|(c, _)| c).sum::<f64>() / band.len() as f64;
        let right = band.iter().filter(|(_, r)| *r).count() as f64 / band.len() as f64;
        line += &format!(
            " [{:.1}, {:.1}): {mean:.2} / {right:.2}, {};",
            w[0],
            w[1],
            band.len()
        );
        assert!(
            (mean - right).abs() < 0.08,
            "band [{}, {}): mean confidence {mean:.2}, right {right:.2}",
            w[0],
            w[1]
        );
    }
    println!("{line}");
    for (file, lang) in [
        ("semeval2016-restaurants-nl.xml", Language::Nl),
        ("semeval2016-restaurants-en.xml", Language::En),
    ] {
        let Some(sentences) = data::semeval(file) else {
            return;
        };
        let tags: Vec<(f64, bool)> = sentences
            .iter()
            .filter_map(|s| {
                let mut polarities = s.opinions.iter().map(|(_, p)| p.as_str());
                let first = polarities.next()?;
                if polarities.any(|p| p != first) {
                    return None;
                }
                let l = scorer.score(&s.text, lang)?;
                Some((l.confidence, l.polarity.as_str() == first))
            })
            .collect();
        let share = |tags: &[&(f64, bool)]| {
            tags.iter().filter(|(_, r)| *r).count() as f64 / tags.len().max(1) as f64
        };
        let all: Vec<_> = tags.iter().collect();
        let sure: Vec<_> = tags
            .iter()
            .filter(|(c, _)| domain::labels::confident(Some(*c)))
            .collect();
        println!(
            "{}: confident tags {} of {} ({:.0} %), right {:.3}; all tags right {:.3}",
            lang.code(),
            sure.len(),
            all.len(),
            100.0 * sure.len() as f64 / all.len().max(1) as f64,
            share(&sure),
            share(&all)
        );
        assert!(
            share(&sure) >= share(&all) + 0.2,
            "{}: confident {:.3}, all {:.3}",
            lang.code(),
            share(&sure),
            share(&all)
        );
    }
}
