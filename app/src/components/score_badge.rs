//! A response's score as a coloured badge, or, for open feedback without a score, its star rating
//! or a dash: the same everywhere a response is listed.

use crate::components::chart::score_colour;
use crate::i18n::{fill, Locale, LocaleTexts};
use leptos::prelude::*;

/// The score as short text: `7`, a rating `2★`, or `–` for neither.
pub fn score_text(score: Option<u8>, rating: Option<u8>) -> String {
    match (score, rating) {
        (Some(s), _) => s.to_string(),
        (None, Some(r)) => format!("{r}★"),
        (None, None) => "–".to_string(),
    }
}

#[component]
pub fn ScoreBadge(
    score: Option<u8>,
    rating: Option<u8>,
    locale: Locale,
    #[prop(optional)] large: bool,
) -> impl IntoView {
    let t = locale.texts();
    let class = if large {
        "score-badge large"
    } else {
        "score-badge"
    };
    let shown = score_text(score, rating);
    let (colour, label) = match (score, rating) {
        (Some(s), _) => (score_colour(usize::from(s)), format!("{} {s}", t.score)),
        (None, Some(r)) => ("rating", fill(t.rating_label, &[("n", &r)])),
        (None, None) => ("none", t.without_score.to_string()),
    };
    view! {
        <span class=class data-colour=colour aria-label=label.clone() title=label>{shown}</span>
    }
}
