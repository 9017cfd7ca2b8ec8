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
