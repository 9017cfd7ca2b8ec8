//! Throughput of the whole tagging pipeline (language, tokens + stems, themes, PII masking) on
//! the 23,486 clothing reviews in `../shared/data`, one thread:
//!
//!     cargo bench -p analysis --bench tagging
//!
//! Divan reports the time per pass over all reviews; texts/s = reviews / that time.

#[path = "../tests/eval/data.rs"]
mod data;

use analysis::themes::default_taxonomy;
use analysis::TextAnalyzer;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn all_clothing_reviews(bencher: divan::Bencher) {
    let Some(reviews) = data::clothing_reviews() else {
        eprintln!("../shared/data not found: nothing to benchmark");
        return;
    };
    let analyzer = TextAnalyzer::new(&default_taxonomy());
    let bytes: usize = reviews.iter().map(String::len).sum();
    eprintln!("{} reviews, {:.1} MB", reviews.len(), bytes as f64 / 1e6);
    bencher
        .counter(divan::counter::ItemsCount::new(reviews.len()))
        .bench(|| {
            let mut themes = 0;
            for r in &reviews {
                themes += analyzer.analyze(divan::black_box(r), None).themes.len();
            }
            themes
        });
}

/// The parts on their own, to see where the time goes.
#[divan::bench(sample_count = 5, args = ["language", "themes", "pii"])]
fn stage(bencher: divan::Bencher, stage: &str) {
    let Some(reviews) = data::clothing_reviews() else {
        return;
    };
    let analyzer = TextAnalyzer::new(&default_taxonomy());
    let lang = analysis::Language::En;
    bencher
        .counter(divan::counter::ItemsCount::new(reviews.len()))
        .bench(|| {
            let mut n = 0;
            for r in &reviews {
                let r = divan::black_box(r.as_str());
                n += match stage {
                    "language" => usize::from(analyzer.languages.detect(r, None).is_some()),
                    "themes" => analyzer.themes.match_text(r, lang).len(),
                    _ => analysis::pii::mask(r).len(),
                };
            }
            n
        });
}

/// The whole pipeline plus the learned sentiment layer as the server runs it when a model is in
/// force: features and a prediction for the text and for each theme's sentence. The model is
/// trained on 1,000 reviews labelled by their stars (1–2 negative, 3 neutral, 4–5 positive).
#[divan::bench(sample_count = 10)]
fn all_clothing_reviews_with_learned_sentiment(bencher: divan::Bencher) {
    use analysis::learned::{class, features, SentimentModel};
    use analysis::sentiment::{Polarity, Sentiment};
    let Some(rated) = data::clothing_reviews_with_ratings() else {
        return;
    };
    let analyzer = TextAnalyzer::new(&default_taxonomy());
    let lang = analysis::Language::En;
    let examples: Vec<_> = rated
        .iter()
        .take(1000)
        .map(|(text, stars)| {
            let lex = analyzer
                .sentiment
                .score(text, lang)
                .map(|s| (s.polarity, s.score));
            let gold = match stars {
                1 | 2 => Polarity::Negative,
                3 => Polarity::Neutral,
                _ => Polarity::Positive,
            };
            (features(text, lex), class(gold))
        })
        .collect();
    let model = SentimentModel::train(&examples, 8);
    eprintln!(
        "learned model: {:.1} MB of weights",
        model.size() as f64 / 1e6
    );
    let learn = |part: &str, lexicon: Option<Sentiment>| {
        lexicon.map(|l| {
            model
                .predict(&features(part, Some((l.polarity, l.score))))
                .0
        })
    };
    bencher
        .counter(divan::counter::ItemsCount::new(rated.len()))
        .bench(|| {
            let mut n = 0;
            for (r, _) in &rated {
                let a = analyzer.analyze(divan::black_box(r), None);
                n += usize::from(learn(r, a.sentiment).is_some());
                // As the server does: one prediction per sentence, shared by its themes.
                let mut done: Vec<std::ops::Range<usize>> = Vec::new();
                for (hit, s) in &a.themes {
                    if !done.contains(&hit.sentence) {
                        n += usize::from(learn(&r[hit.sentence.clone()], *s).is_some());
                        done.push(hit.sentence.clone());
                    }
                }
            }
            n
        });
}
