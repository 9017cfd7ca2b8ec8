//! The review queue: twenty texts at a time, the ones the lexicon is least sure of first, spread
//! over languages and themes; one click labels a text's sentiment. Works without JavaScript.

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::features::responses::detail::sentiment_label;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::labels::{ReviewItem, SENTIMENTS};
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let t = use_locale().texts();
    let label = ServerAction::<LabelSentiment>::new();
    // The next batch after every label.
    let data = Resource::new(move || label.version().get(), |_| get_review_queue());
    view! {
        <PageTitle text=format!("{} · {}", t.review_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <ReviewView page label/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/review"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewView(
    page: domain::labels::ReviewPage,
    label: ServerAction<LabelSentiment>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let stats = page.stats;
    let record = stats.lexicon_accuracy().map(|a| {
        fill(
            t.review_lexicon_record,
            &[
                ("percent", &format!("{:.0}", a * 100.0)),
                ("n", &stats.compared),
            ],
        )
    });
    view! {
        <section class="panel review">
            <h1>{t.review_title}</h1>
            <p class="lead">{t.review_intro}</p>
            <p data-testid="review-stats">
                {fill(t.review_labelled, &[("n", &stats.labelled)])}
                {record.map(|r| view! { " " {r} })}
            </p>
            <p data-testid="model-report">{model_text(page.model, locale)}</p>
            {page.items.is_empty().then(|| view! { <p class="empty">{t.review_done}</p> })}
            <ol class="review-list" data-testid="review-list">
                {page.items.into_iter().map(|item| view! { <ReviewRow item label/> }).collect_view()}
            </ol>
        </section>
    }
}

/// What the installation's own model does, in words.
fn model_text(model: Option<domain::labels::ModelReport>, locale: crate::i18n::Locale) -> String {
    let t = locale.texts();
    let percent = |x: f64| format!("{:.0}", x * 100.0);
    match model {
        None => fill(t.model_none, &[("n", &domain::labels::MIN_LABELS)]),
        Some(r) => fill(
            if r.in_force {
                t.model_in_force
            } else {
                t.model_not_better
            },
            &[
                ("learned", &percent(r.learned_accuracy)),
                ("lexicon", &percent(r.lexicon_accuracy)),
                ("held_out", &r.held_out),
                ("trained_on", &r.trained_on),
            ],
        ),
    }
}

#[component]
fn ReviewRow(item: ReviewItem, label: ServerAction<LabelSentiment>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let id = item.response_id.to_string();
    let lexicon = item
        .lexicon
        .as_deref()
        .map(|s| sentiment_label(s, locale))
        .unwrap_or("–");
    view! {
        <li data-response=id>
            <blockquote class="verbatim-text">{item.text}</blockquote>
            <p class="meta">
                {item.language.map(|l| l.to_uppercase()).unwrap_or_else(|| "–".into())}
                {item.theme.map(|name| view! { " · " {name} })}
                " · " {fill(t.review_lexicon_says, &[("sentiment", &lexicon)])}
                " · " <a href=format!("/responses/{}", item.response_id)>{t.review_open}</a>
            </p>
            <ActionForm action=label attr:class="inline-form label-form">
                <input type="hidden" name="id" value=item.response_id.to_string()/>
                <input type="hidden" name="next" value="/review"/>
                {SENTIMENTS.iter().map(|s| view! {
                    <button type="submit" name="sentiment" value=*s data-sentiment=*s>{sentiment_label(s, locale)}</button>
                }).collect_view()}
            </ActionForm>
        </li>
    }
}
