//! Learning curves of the learned theme layer on SemEval-2016 restaurant sentences (Dutch and
//! English): five-fold cross-validation, one model per theme trained on 100, 300 and 1,000
//! labelled sentences of the other folds (their gold themes), starting from the keyword matcher
//! — which is also measured alone on the same test sentences. Twice: with `theme_eval`'s
//! configured taxonomy, and with a first one of five keywords a theme, as an installation starts.

use crate::data;
use crate::theme_eval::{gold_theme, restaurant_taxonomy, THEMES};
use analysis::language::Language;
use analysis::learned::{binary_scores, theme_features, Features, ThemeModel};
use analysis::themes::{Taxonomy, ThemeMatcher};

/// A sentence's features per theme (keywords matched or not) and its gold themes.
type Example = (Vec<Features>, Vec<bool>, Vec<bool>);

/// A first taxonomy, as an installation starts: the first five keywords of each theme.
fn first_taxonomy() -> Taxonomy {
    let mut taxonomy = restaurant_taxonomy();
    for theme in &mut taxonomy.themes {
        for terms in &mut theme.terms {
            terms.keywords.truncate(5);
        }
    }
    taxonomy
}

#[test]
fn learned_themes_against_the_keywords_at_100_300_and_1000_labels() {
    for (name, taxonomy) in [
        ("configured taxonomy", restaurant_taxonomy()),
        ("first taxonomy (5 keywords a theme)", first_taxonomy()),
    ] {
        curves(name, &taxonomy);
    }
}

fn curves(name: &str, taxonomy: &Taxonomy) {
    let matcher = ThemeMatcher::new(taxonomy);
    for (file, lang) in [
        ("semeval2016-restaurants-nl.xml", Language::Nl),
        ("semeval2016-restaurants-en.xml", Language::En),
    ] {
        let Some(sentences) = data::semeval(file) else {
            eprintln!("../shared/data not found: theme learning curves skipped");
            return;
        };
        // (features per theme, keywords matched per theme, gold per theme)
        let examples: Vec<Example> = sentences
            .iter()
            .map(|s| {
                let hits: Vec<&str> = matcher
                    .match_text(&s.text, lang)
                    .into_iter()
                    .map(|h| taxonomy.themes[h.theme].key.as_str())
                    .collect();
                let matched: Vec<bool> = THEMES.iter().map(|t| hits.contains(t)).collect();
                let gold: Vec<bool> = THEMES
                    .iter()
                    .map(|t| s.opinions.iter().any(|(c, _)| gold_theme(c) == Some(*t)))
                    .collect();
                let x = matched
                    .iter()
                    .map(|m| theme_features(&s.text, *m))
                    .collect();
                (x, matched, gold)
            })
            .collect();
        const FOLDS: usize = 5;
        let sizes = [100usize, 300, 1000];
        // Decisions (gold, predicted) over all folds, themes and test sentences.
        let mut keywords: Vec<(bool, bool)> = Vec::new();
        let mut learned: Vec<Vec<(bool, bool)>> = vec![Vec::new(); sizes.len()];
        for fold in 0..FOLDS {
            let test: Vec<&Example> = examples
                .iter()
                .enumerate()
                .filter(|(i, _)| i % FOLDS == fold)
                .map(|(_, e)| e)
                .collect();
            let pool: Vec<&Example> = examples
                .iter()
                .enumerate()
                .filter(|(i, _)| i % FOLDS != fold)
                .map(|(_, e)| e)
                .collect();
            for (_, matched, gold) in &test {
                keywords.extend(gold.iter().copied().zip(matched.iter().copied()));
            }
            for (k, &n) in sizes.iter().enumerate() {
                let labelled = &pool[..n.min(pool.len())];
                for t in 0..THEMES.len() {
                    let train: Vec<(Features, bool)> = labelled
                        .iter()
                        .map(|(x, _, g)| (x[t].clone(), g[t]))
                        .collect();
                    let model = ThemeModel::train(&train, 8);
                    learned[k].extend(
                        test.iter()
                            .map(|(x, _, g)| (g[t], model.probability(&x[t]) >= 0.5)),
                    );
                }
            }
        }
        let (p, r, f) = binary_scores(keywords.iter().copied());
        let mut line = format!(
            "themes {} ({} sentences), {name}, micro P/R/F1: keywords {p:.3}/{r:.3}/{f:.3}",
            lang.code(),
            examples.len()
        );
        let mut f_at = Vec::new();
        for (k, n) in sizes.iter().enumerate() {
            let (p, r, f) = binary_scores(learned[k].iter().copied());
            line += &format!("; {n} labels {p:.3}/{r:.3}/{f:.3}");
            f_at.push(f);
        }
        println!("{line}");
        // Labels add most where the keywords miss most; at 1,000 they beat any taxonomy here.
        assert!(
            f_at[2] > f,
            "{} ({name}): at 1,000 labels the learned themes ({:.3}) beat the keywords ({f:.3})",
            lang.code(),
            f_at[2]
        );
        if name.starts_with("first") {
            assert!(
                f_at[1] >= f + 0.05,
                "{} ({name}): at 300 labels {:.3} against the keywords' {f:.3}",
                lang.code(),
                f_at[1]
            );
        }
    }
}
