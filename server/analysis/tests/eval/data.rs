//! Readers for the evaluation data in `../shared/data` (never copied into the repository).
#![allow(dead_code)]

use analysis::language::Language;
use std::io::Read;
use std::path::PathBuf;

pub fn shared_data() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    dir.is_dir().then_some(dir)
}

/// One sentence of SemEval-2016 task 5 with its gold opinions (category, polarity).
#[derive(Debug, Clone)]
pub struct Sentence {
    pub text: String,
    pub opinions: Vec<(String, String)>,
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    Some(unescape(&tag[start..end]))
}

/// The sentences of a SemEval XML file (a fixed, simple shape, read without an XML library).
pub fn semeval(file: &str) -> Option<Vec<Sentence>> {
    let xml = std::fs::read_to_string(shared_data()?.join(file)).ok()?;
    let mut out = Vec::new();
    for chunk in xml.split("<sentence ").skip(1) {
        let chunk = &chunk[..chunk.find("</sentence>").unwrap_or(chunk.len())];
        let Some(t0) = chunk.find("<text>") else {
            continue;
        };
        let Some(t1) = chunk.find("</text>") else {
            continue;
        };
        let text = unescape(&chunk[t0 + 6..t1]);
        let opinions = chunk
            .split("<Opinion ")
            .skip(1)
            .filter_map(|o| Some((attr(o, "category")?, attr(o, "polarity")?)))
            .collect();
        out.push(Sentence { text, opinions });
    }
    Some(out)
}

/// The review texts of the clothing data set (English).
pub fn clothing_reviews() -> Option<Vec<String>> {
    Some(
        clothing_reviews_with_ratings()?
            .into_iter()
            .map(|(t, _)| t)
            .collect(),
    )
}

/// The clothing reviews with their star rating (1–5).
pub fn clothing_reviews_with_ratings() -> Option<Vec<(String, u8)>> {
    let file = std::fs::File::open(shared_data()?.join("womens-clothing-reviews.csv.gz")).ok()?;
    let mut csv_text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut csv_text)
        .ok()?;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    Some(
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| Some((r.get(4)?.to_string(), r.get(5)?.parse().ok()?)))
            .filter(|(t, _)| !t.trim().is_empty())
            .collect(),
    )
}

/// Texts whose language is known: SemEval sentences (nl, en) and clothing reviews (en).
pub fn language_samples() -> Option<Vec<(String, Language)>> {
    let mut out = Vec::new();
    out.extend(
        semeval("semeval2016-restaurants-nl.xml")?
            .into_iter()
            .map(|s| (s.text, Language::Nl)),
    );
    out.extend(
        semeval("semeval2016-restaurants-en.xml")?
            .into_iter()
            .map(|s| (s.text, Language::En)),
    );
    out.extend(clothing_reviews()?.into_iter().map(|t| (t, Language::En)));
    Some(out)
}
