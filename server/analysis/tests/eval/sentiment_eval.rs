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
