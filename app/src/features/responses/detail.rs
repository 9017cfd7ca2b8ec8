//! One response as staff see it: score, text (personal data masked), where it came from, and its
//! themes, which managers correct here. Corrections survive every retagging.

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::components::score_badge::ScoreBadge;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::labels::Label;
use crate::model::{format_date, ResponseDetail, ThemeTag};
use crate::survey::{Channel, JourneyPhase};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ResponsePage() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let id = move || params.read().get("id");
    let correct = ServerAction::<CorrectResponseTheme>::new();
    let label = ServerAction::<crate::features::labels::LabelSentiment>::new();
    let theme_label = ServerAction::<crate::features::labels::LabelThemeSentiment>::new();
    // Reloaded after every correction and label.
    let data = Resource::new(
        move || {
            (
                id(),
                correct.version().get() + label.version().get() + theme_label.version().get(),
            )
        },
        |(id, _)| get_response(id),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.response_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ResponseView detail=d correct label theme_label/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        let next = format!("/login?next=/responses/{}", id().unwrap_or_default());
                        view! { <Redirect path=next/> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// How sure a sentiment tag is, in words: a person's label, or the chance it is right and whether
/// that is enough to count in sentiment figures.
pub fn confidence_text(confidence: Option<f64>, locale: crate::i18n::Locale) -> Option<String> {
    let t = locale.texts();
    let c = confidence?;
    let percent = format!("{:.0}", c * 100.0);
    Some(if c >= 1.0 {
        t.sentiment_by_person.to_string()
    } else if domain::labels::confident(Some(c)) {
        crate::i18n::fill(t.sentiment_sure, &[("percent", &percent)])
    } else {
        crate::i18n::fill(t.sentiment_unsure, &[("percent", &percent)])
    })
}

pub fn sentiment_label(sentiment: &str, locale: crate::i18n::Locale) -> &'static str {
    let t = locale.texts();
    match sentiment {
        "positive" => t.positive,
        "negative" => t.negative,
        _ => t.neutral,
    }
}

#[component]
fn ResponseView(
    detail: ResponseDetail,
    correct: ServerAction<CorrectResponseTheme>,
    label: ServerAction<crate::features::labels::LabelSentiment>,
    theme_label: ServerAction<crate::features::labels::LabelThemeSentiment>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let v = detail.verbatim;
    let id = v.id.to_string();
    let channel = v
        .channel
        .as_deref()
        .and_then(Channel::parse)
        .map(|c| c.label(locale))
        .unwrap_or("–");
    let phase = v
        .journey_phase
        .as_deref()
        .and_then(JourneyPhase::parse)
        .map(|p| p.label(locale))
        .unwrap_or("–");
    let survey = v.survey_title(locale).to_string();
    let addable: Vec<(String, String)> = detail
        .all_themes
        .into_iter()
        .filter(|(k, _)| !v.themes.iter().any(|tag| &tag.key == k))
        .collect();
    let error = move || match correct.value().get() {
        Some(Err(e)) => Some(e.message(locale)),
        _ => None,
    };
    view! {
        <section class="panel response-detail">
            <p><a href="/dashboard">{t.back_to_dashboard}</a></p>
            <h1>{format!("{} #{}", t.response_title, v.id)}</h1>
            <p><a href=format!("/actions?response={}#new", v.id) data-testid="response-action">{t.action_from_response}</a></p>
            <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
            <div class="response-head">
                <ScoreBadge score=v.score rating=v.rating locale=locale large=true/>
                <blockquote class="verbatim-text" data-testid="response-text">{v.reason.clone().unwrap_or_else(|| t.no_text.to_string())}</blockquote>
            </div>
            <dl class="facts">
                <dt>{t.survey}</dt><dd>{survey}</dd>
                <dt>{t.channel}</dt><dd>{channel}</dd>
                <dt>{t.journey_phase}</dt><dd>{phase}</dd>
                <dt>{t.detected_language}</dt><dd>{v.language.clone().unwrap_or_else(|| t.undetermined.to_string())}</dd>
                <dt>{t.sentiment}</dt><dd data-testid="response-sentiment">{v.sentiment.as_deref().map(|s| sentiment_label(s, locale)).unwrap_or("–")}
                    {confidence_text(v.sentiment_confidence, locale).map(|c| view! { <span class="hint">{format!(" ({c})")}</span> })}
                </dd>
                <dt>{t.date}</dt><dd><time datetime=format_date(v.created_at)>{format_date(v.created_at)}</time></dd>
                <dt>{t.source}</dt><dd>{v.source.clone()}</dd>
                {v.entered_by.clone().map(|name| view! { <dt>{t.entered_by}</dt><dd>{name}</dd> })}
            </dl>
            {v.customer.clone().map(|c| view! {
                <p><a href=format!("/responses?customer={c}") data-testid="customer-timeline">{t.all_from_customer}</a></p>
            })}
            {(!detail.answers.is_empty()).then(|| view! {
                <h2>{t.answers_title}</h2>
                <dl class="facts" data-testid="answers">
                    {detail.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt><dd>{a.clone()}</dd> }).collect_view()}
                </dl>
            })}
            {v.reason.is_some().then(|| view! {
                <SentimentLabel id=v.id sentiment=v.sentiment.clone() labelled=detail.sentiment_label.clone() label/>
            })}
            <h2>{t.themes}</h2>
            <p class="hint">{t.corrections_kept}</p>
            {if v.themes.is_empty() {
                view! { <p class="empty">{t.no_themes}</p> }.into_any()
            } else {
                view! {
                    <ul class="theme-list" data-testid="response-themes">
                        {v.themes.into_iter().map(|tag| view! { <ThemeRow tag id=id.clone() correct theme_label/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(!addable.is_empty()).then(|| view! {
                <ActionForm action=correct attr:class="inline-form add-theme">
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="action" value="add"/>
                    <label for="add-theme">{t.add_theme}</label>
                    <select id="add-theme" name="key">
                        {addable.into_iter().map(|(k, name)| view! { <option value=k>{name}</option> }).collect_view()}
                    </select>
                    <button type="submit">{t.add}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn ThemeRow(
    tag: ThemeTag,
    id: String,
    correct: ServerAction<CorrectResponseTheme>,
    theme_label: ServerAction<crate::features::labels::LabelThemeSentiment>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let mood = tag.sentiment.clone().unwrap_or_default();
    let key = tag.key.clone();
    let labelled = tag.confidence.is_some_and(|c| c >= 1.0);
    let (label_id, label_key) = (id.clone(), key.clone());
    let buttons: Vec<(&'static str, bool)> = domain::labels::SENTIMENTS
        .iter()
        .map(|s| (*s, labelled && mood == *s))
        .collect();
    let group = crate::i18n::fill(t.label_theme_sentiment, &[("theme", &tag.name)]);
    view! {
        <li data-theme=tag.key.clone() data-sentiment=mood.clone() data-manual=tag.manual.to_string()>
            <span class="theme-name">{tag.name.clone()}</span>
            {(!mood.is_empty()).then(|| view! { <span class="badge" data-sentiment=mood.clone()>{sentiment_label(&mood, locale)}</span> })}
            {confidence_text(tag.confidence, locale).map(|c| view! { <span class="hint">{c}</span> })}
            {tag.manual.then(|| view! { <span class="badge">{t.manual}</span> })}
            // The sentiment of this theme's sentence, as a person says it is.
            <ActionForm action=theme_label attr:class="inline-form theme-label-form" attr:role="group" attr:aria-label=group>
                <input type="hidden" name="id" value=label_id/>
                <input type="hidden" name="key" value=label_key/>
                {buttons.into_iter().map(|(s, chosen)| view! {
                    <button type="submit" name="sentiment" value=s class="link-button" data-sentiment=s aria-pressed=chosen.to_string()>
                        {sentiment_label(s, locale)}
                    </button>
                }).collect_view()}
            </ActionForm>
            <ActionForm action=correct attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="key" value=key/>
                <input type="hidden" name="action" value="remove"/>
                <button type="submit" class="link-button" aria-label=format!("{}: {}", t.remove, tag.name)>{t.remove}</button>
            </ActionForm>
        </li>
    }
}

/// A person's sentiment label of the text: three buttons, the chosen one marked. The lexicon's
/// verdict is shown until a person has spoken.
#[component]
fn SentimentLabel(
    id: i64,
    sentiment: Option<String>,
    labelled: Option<String>,
    label: ServerAction<crate::features::labels::LabelSentiment>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let status = match &labelled {
        Some(s) => crate::i18n::fill(
            t.label_sentiment_given,
            &[("sentiment", &sentiment_label(s, locale))],
        ),
        None => crate::i18n::fill(
            t.label_sentiment_hint,
            &[(
                "sentiment",
                &sentiment
                    .as_deref()
                    .map(|s| sentiment_label(s, locale))
                    .unwrap_or("–"),
            )],
        ),
    };
    view! {
        <h2>{t.label_sentiment_title}</h2>
        <p class="hint" data-testid="sentiment-label-status">{status}</p>
        <ActionForm action=label attr:class="inline-form label-form">
            <input type="hidden" name="id" value=id.to_string()/>
            {domain::labels::SENTIMENTS.iter().map(|s| {
                let chosen = labelled.as_deref() == Some(*s);
                view! {
                    <button type="submit" name="sentiment" value=*s data-sentiment=*s aria-pressed=chosen.to_string()>
                        {sentiment_label(s, locale)}
                    </button>
                }
            }).collect_view()}
        </ActionForm>
    }
}
