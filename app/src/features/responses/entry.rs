//! Feedback a customer gives by phone or at the counter, entered by the staff member on their
//! behalf: the same checks and tagging as every answer, the channel and the staff member
//! recorded, the customer recognised by their reference or e-mail address.

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::labels::Label;
use crate::survey::{Channel, JourneyPhase, REASON_MAX_CHARS};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn EntryRoute() -> impl IntoView {
    let t = use_locale().texts();
    // After each save (`?saved=id`, also when the hydrated form navigates there) a fresh form
    // with a fresh token: the next customer's feedback is not taken for a double submit.
    let query = use_query_map();
    let data = Resource::new(move || query.with(|q| q.get("saved")), |_| get_entry_form());
    view! {
        <PageTitle text=format!("{} · {}", t.entry_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(form) => view! { <EntryView form/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/responses/new"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EntryView(form: EntryForm) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let save = ServerAction::<EnterFeedback>::new();
    // The hydrated page keeps its form elements across the save: empty them for the next entry.
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            if let Some(form) = form_ref.get() {
                form.reset();
            }
        }
    });
    let saved = query.with_untracked(|q| q.get("saved"));
    let url_error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    let error = move || match save.value().get() {
        Some(Err(e)) => Some(e.message(locale)),
        _ => url_error.as_ref().map(|e| e.message(locale)),
    };
    view! {
        <section class="panel narrow entry">
            <h1>{t.entry_title}</h1>
            <p class="lead">{t.entry_intro}</p>
            {saved.map(|id| view! { <p class="notice ok" role="status" data-testid="entry-saved">{format!("{} (#{id})", t.entry_saved)}</p> })}
            <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
            <ActionForm action=save node_ref=form_ref attr:class="entry-form">
                <input type="hidden" name="token" value=form.token.clone()/>
                <div class="field">
                    <label for="entry-survey">{t.survey}</label>
                    <select id="entry-survey" name="survey" required>
                        {form.surveys.iter().map(|(slug, title)| view! { <option value=slug.clone()>{title.clone()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="entry-channel">{t.channel}</label>
                        <select id="entry-channel" name="channel">
                            {[Channel::Phone, Channel::Store, Channel::Chat, Channel::Email, Channel::Social, Channel::Other].into_iter().map(|c| view! {
                                <option value=c.as_str()>{c.label(locale)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="entry-phase">{t.journey_phase}</label>
                        <select id="entry-phase" name="journey_phase">
                            <option value="">"—"</option>
                            {JourneyPhase::ALL.iter().map(|p| view! { <option value=p.as_str()>{p.label(locale)}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="entry-score">{t.entry_score}</label>
                        <input id="entry-score" name="score" type="number" min="0" max="10" step="1" inputmode="numeric" aria-describedby="entry-score-hint"/>
                    </div>
                    <div class="field">
                        <label for="entry-rating">{t.entry_rating}</label>
                        <select id="entry-rating" name="rating">
                            <option value="">"—"</option>
                            {(1..=5u8).map(|n| view! { <option value=n.to_string()>{"★".repeat(usize::from(n))}</option> }).collect_view()}
                        </select>
                    </div>
                </div>
                <p class="hint" id="entry-score-hint">{t.entry_score_hint}</p>
                <div class="field">
                    <label for="entry-comment">{t.entry_comment}</label>
                    <TextArea {..} id="entry-comment" name="comment" rows="4" maxlength=REASON_MAX_CHARS.to_string()/>
                </div>
                <div class="field">
                    <label for="entry-language">{t.language}</label>
                    <select id="entry-language" name="language">
                        {crate::i18n::Locale::ALL.iter().map(|l| view! { <option value=l.as_str() selected=*l == locale>{l.endonym()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="entry-ref">{t.import_field_customer}</label>
                        <input id="entry-ref" name="customer_ref" maxlength="254"/>
                    </div>
                    <div class="field">
                        <label for="entry-email">{t.email}</label>
                        <input id="entry-email" name="customer_email" type="email" maxlength="254"/>
                    </div>
                </div>
                <div class="field checkbox">
                    <input id="entry-consent" name="consent" type="checkbox" value="yes"/>
                    <label for="entry-consent">{t.entry_consent}</label>
                </div>
                <button type="submit" class="primary">{t.save}</button>
            </ActionForm>
        </section>
    }
}
