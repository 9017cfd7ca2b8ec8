//! The public survey: NPS score, the reason, optional e-mail with consent.
//!
//! Without JavaScript the form posts to the server function, which answers with a redirect (to the
//! thank-you page, or back to the form with the errors in the query string). With JavaScript the
//! same server function is called in the background and errors show without a reload.

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::labels::Message;
use crate::model::SurveyForm;
use crate::survey::{FormError, EMAIL_MAX_CHARS, REASON_MAX_CHARS};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/s/{slug}/{score}`: the target of a one-click score in an e-mail. The score is preselected;
/// once the page runs in the browser it is recorded at once (a POST, so mail scanners that
/// follow links record nothing), and the reason the customer then adds completes the same
/// response. Without JavaScript one press on "send" records both.
#[component]
pub fn ScoreLinkPage() -> impl IntoView {
    let params = use_params_map();
    let score = params
        .with_untracked(|p| p.get("score"))
        .unwrap_or_default();
    match crate::nps::NpsScore::parse(&score) {
        Ok(s) => view! { <SurveyLoader preset=Some(s.value())/> }.into_any(),
        Err(_) => view! { <crate::components::layout::NotFound/> }.into_any(),
    }
}

#[component]
pub fn SurveyPage() -> impl IntoView {
    view! { <SurveyLoader preset=None/> }
}

#[component]
fn SurveyLoader(preset: Option<u8>) -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug");
    let form = Resource::new(slug, get_survey_form);
    let submit = ServerAction::<SubmitResponse>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <SurveyFormView form submit preset/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SurveyFormView(
    form: SurveyForm,
    submit: ServerAction<SubmitResponse>,
    preset: Option<u8>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let q = move |key: &str| query.with_untracked(|m| m.get(key)).unwrap_or_default();
    let title = form.survey.title(locale).to_string();

    // Errors come from the last background submission, or (without JavaScript) from the URL.
    let url_error = AppError::from_code(&q("error"));
    let error = Signal::derive(move || match submit.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(())) => None,
        None => url_error.clone(),
    });
    let field_error = move |field: &'static str| {
        move || {
            error.get().and_then(|e| {
                e.form_errors()
                    .iter()
                    .find(|fe| fe.field() == field)
                    .map(|fe: &FormError| fe.message(locale))
            })
        }
    };
    let general_error = move || {
        error
            .get()
            .filter(|e| e.form_errors().is_empty())
            .map(|e| e.message(locale))
    };
    let error_count = move || error.get().map(|e| e.form_errors().len()).unwrap_or(0);

    let chosen_score = preset.map(|s| s.to_string()).unwrap_or_else(|| q("score"));
    // The follow-up question depends on the score group; it changes as the score is chosen.
    let selected = RwSignal::new(chosen_score.parse::<u8>().ok());
    let texts = form.survey.texts.clone();
    let intro = texts.intro(locale).map(String::from);
    // The follow-up per score group: in data-* for `survey.js` on the server-rendered page
    // (which loads no WebAssembly), and as the label's text when hydrated.
    let followup_for = move |score: u8| {
        texts
            .followup(score, locale)
            .unwrap_or(t.reason_label)
            .to_string()
    };
    let (for_detractor, for_passive, for_promoter) =
        (followup_for(0), followup_for(7), followup_for(9));
    let followup = move || {
        selected
            .get()
            .map(&followup_for)
            .unwrap_or_else(|| t.reason_label.to_string())
    };
    // A one-click score is recorded as soon as the page runs in the browser.
    let recorded = ServerAction::<SubmitResponse>::new();
    if let Some(score) = preset {
        let (slug, token) = (form.survey.slug.clone(), form.submission_token.clone());
        let (ch, tp) = (q("ch"), q("tp"));
        let open = form.survey.open;
        Effect::new(move |done: Option<()>| {
            if done.is_none() && open {
                recorded.dispatch(SubmitResponse {
                    slug: Some(slug.clone()),
                    form: crate::survey::SubmissionInput {
                        score: Some(score.to_string()),
                        ..Default::default()
                    },
                    ch: Some(if ch.is_empty() {
                        "email".into()
                    } else {
                        ch.clone()
                    }),
                    tp: Some(tp.clone()),
                    lang: Some(locale.as_str().into()),
                    token: Some(token.clone()),
                    website: None,
                    stage: Some("score".into()),
                    embed: None,
                    answers: None,
                });
            }
        });
    }
    let score_recorded = move || matches!(recorded.value().get(), Some(Ok(())));
    let pending = submit.pending();
    let closed = !form.survey.open;

    view! {
        <PageTitle text=format!("{title} · {}", t.app_name)/>
        <section class="panel narrow survey">
            <h1>{title}</h1>
            {intro.map(|i| view! { <p class="lead survey-intro">{i}</p> })}
            {closed.then(|| view! { <p class="notice" role="status">{t.survey_closed}</p> })}
            // Shown once the score is recorded: by the hydrated app, or by `survey.js`.
            {preset.is_some().then(|| view! {
                <p class="notice ok" role="status" data-testid="score-recorded" hidden=move || !score_recorded()>{t.score_recorded}</p>
            })}
            <div class="error-summary" role="alert" aria-live="assertive">
                {move || general_error().map(|m| view! { <p>{m}</p> })}
                {move || (error_count() > 0).then(|| view! {
                    <ul>
                        {error.get().map(|e| e.form_errors().iter().map(|fe| view! {
                            <li><a href=format!("#field-{}", fe.field())>{fe.message(locale)}</a></li>
                        }).collect_view())}
                    </ul>
                })}
            </div>
            <ActionForm action=submit attr:class="survey-form" attr:id="survey-form"
                attr:data-preset-score=preset.filter(|_| !closed).map(|s| s.to_string())>
                <input type="hidden" name="slug" value=form.survey.slug.clone()/>
                <input type="hidden" name="token" value=form.submission_token.clone()/>
                <input type="hidden" name="ch" value=if preset.is_some() && q("ch").is_empty() { "email".to_string() } else { q("ch") }/>
                <input type="hidden" name="tp" value=q("tp")/>
                <input type="hidden" name="lang" value=locale.as_str()/>
                {(!q("embed").is_empty()).then(|| view! { <input type="hidden" name="embed" value="1"/> })}
                <div class="hp" aria-hidden="true">
                    <label>"Website" <input type="text" name="website" tabindex="-1" autocomplete="off"/></label>
                </div>

                <fieldset id="field-score" class="nps-field" aria-describedby="score-ends score-error">
                    <legend>{t.nps_question}</legend>
                    <div class="nps-scale">
                        {(0..=10).map(|i| {
                            let value = i.to_string();
                            let checked = chosen_score == value;
                            view! {
                                <label class="nps-option" data-group=crate::components::chart::score_colour(i)>
                                    <input type="radio" name="score" value=value.clone() required checked=checked
                                        on:change=move |_| selected.set(Some(i as u8))/>
                                    <span>{value}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <div class="nps-ends" id="score-ends">
                        <span>{format!("0 = {}", t.nps_low)}</span>
                        <span>{format!("10 = {}", t.nps_high)}</span>
                    </div>
                    <p class="field-error" id="score-error">{field_error("score")}</p>
                </fieldset>

                <div class="field" id="field-reason">
                    <label for="reason" data-testid="followup" data-default=t.reason_label
                        data-detractor=for_detractor data-passive=for_passive data-promoter=for_promoter>{followup}</label>
                    <p class="hint" id="reason-hint">{t.reason_hint}</p>
                    <TextArea value={q("reason")} {..} id="reason" name="reason" rows="5" maxlength=REASON_MAX_CHARS.to_string() aria-describedby="reason-hint reason-error"/>
                    <p class="field-error" id="reason-error">{field_error("reason")}</p>
                </div>

                {form.questions.iter().cloned().map(|question| view! { <QuestionField question error/> }).collect_view()}

                <div class="field" id="field-email">
                    <label for="email">{t.email_label}</label>
                    <p class="hint" id="email-hint">{t.email_hint}</p>
                    <input id="email" name="email" type="email" autocomplete="email" maxlength=EMAIL_MAX_CHARS.to_string()
                        value=q("email") aria-describedby="email-hint email-error"/>
                    <p class="field-error" id="email-error">{field_error("email")}</p>
                </div>

                <div class="field checkbox" id="field-consent">
                    <input id="consent" name="consent" type="checkbox" value="yes" aria-describedby="consent-error"/>
                    <label for="consent">{t.consent_label}</label>
                    <p class="field-error" id="consent-error">{field_error("consent")}</p>
                </div>

                <button type="submit" class="primary" disabled=move || pending.get() || closed>
                    {move || if pending.get() { t.submitting } else { t.submit }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ThanksPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let params = use_params_map();
    let form = Resource::new(move || params.read().get("slug"), get_survey_form);
    view! {
        <PageTitle text=format!("{} · {}", t.thanks_title, t.app_name)/>
        <section class="panel narrow thanks" role="status">
            <h1>{t.thanks_title}</h1>
            <Suspense fallback=move || view! { <p>{t.thanks_body}</p> }>
                {move || Suspend::new(async move {
                    // The survey's own thank-you text, else the standard one.
                    let text = form
                        .await
                        .ok()
                        .and_then(|f| f.survey.texts.thanks(locale).map(String::from))
                        .unwrap_or_else(|| t.thanks_body.to_string());
                    view! { <p>{text}</p> }
                })}
            </Suspense>
        </section>
    }
}

/// One extra question in the form, with its error.
#[component]
fn QuestionField(
    question: crate::questions::Question,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    use crate::questions::QuestionKind;
    let locale = use_locale();
    let id = question.id;
    let field = question.field();
    let label = question.label(locale).to_string();
    let message = move || {
        error.get().and_then(|e| {
            e.answer_errors()
                .iter()
                .find(|a| a.question() == id)
                .map(|a| a.message(locale))
        })
    };
    let error_id = format!("{field}-error");
    let described_by = error_id.clone();
    let required = question.required;
    let input = match question.kind {
        QuestionKind::Csat | QuestionKind::Ces => {
            let (lo, hi) = question.kind.scale().unwrap_or((1, 5));
            let t = locale.texts();
            let (low, high) = match question.kind {
                QuestionKind::Csat => (t.scale_csat_low, t.scale_csat_high),
                _ => (t.scale_ces_low, t.scale_ces_high),
            };
            view! {
                <div class="nps-scale scale" data-points=(hi - lo + 1).to_string()>
                    {(lo..=hi).map(|v| view! {
                        <label class="nps-option">
                            <input type="radio" name=format!("answers[{field}]") value=v.to_string() required=required/>
                            <span>{v}</span>
                        </label>
                    }).collect_view()}
                </div>
                <div class="nps-ends"><span>{format!("{lo} = {low}")}</span><span>{format!("{hi} = {high}")}</span></div>
            }.into_any()
        }
        QuestionKind::Single | QuestionKind::Multiple => {
            let multiple = question.kind == QuestionKind::Multiple;
            view! {
                <ul class="choices">
                    {question.options(locale).into_iter().enumerate().map(|(i, option)| {
                        let (kind, name) = if multiple {
                            ("checkbox", format!("answers[{field}_{i}]"))
                        } else {
                            ("radio", format!("answers[{field}]"))
                        };
                        view! {
                            <li><label class="choice">
                                <input type=kind name=name value=if multiple { "on".to_string() } else { i.to_string() }
                                    required=required && !multiple/>
                                <span>{option.to_string()}</span>
                            </label></li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }
        QuestionKind::Text => view! {
            <TextArea {..} name=format!("answers[{field}]") rows="3" maxlength=REASON_MAX_CHARS.to_string() required=required aria-label=label.clone()/>
        }.into_any(),
    };
    view! {
        <fieldset class="question" id=format!("field-{field}") aria-describedby=described_by data-kind=question.kind.as_str()>
            <legend>{label.clone()}{(!required).then(|| view! { <span class="hint">{format!(" ({})", locale.texts().optional)}</span> })}</legend>
            {input}
            <p class="field-error" id=error_id>{message}</p>
        </fieldset>
    }
}
