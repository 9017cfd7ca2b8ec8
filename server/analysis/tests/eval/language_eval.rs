//! Language detection measured on texts whose language is known without doubt: the SemEval-2016
//! restaurant sentences (Dutch and English) and the clothing reviews (English), read from
//! `../shared/data`. Prints the figures and asserts the floors a real system must reach.

use crate::data;

use analysis::language::{Language, LanguageDetector};

#[derive(Default)]
struct Bucket {
    total: usize,
    right: usize,
    wrong: usize,
}

impl Bucket {
    fn add(&mut self, guess: Option<Language>, truth: Language) {
        self.total += 1;
        match guess {
            Some(g) if g == truth => self.right += 1,
            Some(_) => self.wrong += 1,
            None => {}
        }
    }
    fn pct(n: usize, d: usize) -> f64 {
        100.0 * n as f64 / d.max(1) as f64
    }
}

#[test]
fn language_detection_accuracy_by_length() {
    let Some(samples) = data::language_samples() else {
        eprintln!("../shared/data not found: language evaluation skipped");
        return;
    };
    let rss = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            })
            .unwrap_or(0)
    };
    let before = rss();
    let detector = LanguageDetector::default();
    // [<30, 30–99, ≥100 characters] × [nl, en]
    let mut buckets: Vec<Bucket> = (0..6).map(|_| Bucket::default()).collect();
    for (text, truth) in &samples {
        let len = text.chars().count();
        let b = match len {
            0..=29 => 0,
            30..=99 => 1,
            _ => 2,
        } * 2
            + usize::from(*truth == Language::En);
        buckets[b].add(detector.detect(text, None).map(|(l, _)| l), *truth);
    }
    println!("language detection without context (right / wrong / undetermined):");
    for (i, name) in [
        "<30 nl", "<30 en", "30-99 nl", "30-99 en", ">=100 nl", ">=100 en",
    ]
    .iter()
    .enumerate()
    {
        let b = &buckets[i];
        println!(
            "  {name:9} n={:6}  right {:5.1}%  wrong {:4.1}%  undetermined {:4.1}%",
            b.total,
            Bucket::pct(b.right, b.total),
            Bucket::pct(b.wrong, b.total),
            Bucket::pct(b.total - b.right - b.wrong, b.total)
        );
    }
    let short_wrong = Bucket::pct(
        buckets[0].wrong + buckets[1].wrong,
        buckets[0].total + buckets[1].total,
    );
    let mid_right = Bucket::pct(
        buckets[2].right + buckets[3].right,
        buckets[2].total + buckets[3].total,
    );
    let mid_nl_right = Bucket::pct(buckets[2].right, buckets[2].total);
    let (short_nl, short_en) = (
        Bucket::pct(buckets[0].right, buckets[0].total),
        Bucket::pct(buckets[1].right, buckets[1].total),
    );
    println!(
        "  memory: {} MB more resident after detecting every sample (lingua's models for seven languages loaded)",
        rss().saturating_sub(before) / 1024
    );
    // lingua's second opinion on short texts: most are told, almost none wrongly.
    assert!(
        short_nl >= 80.0 && short_en >= 70.0,
        "below 30 characters: nl {short_nl:.1}%, en {short_en:.1}% right"
    );
    println!("  short texts wrong: {short_wrong:.1}%  30-99 right: {mid_right:.1}% (nl {mid_nl_right:.1}%)");
    assert!(
        short_wrong <= 2.0,
        "at most 2% wrong labels below 30 characters, got {short_wrong:.1}%"
    );
    assert!(
        mid_right >= 99.0,
        "at least 99% right at 30-99 characters, got {mid_right:.1}%"
    );
    assert!(
        mid_nl_right >= 98.0,
        "Dutch at 30-99 characters: {mid_nl_right:.1}%"
    );
}
