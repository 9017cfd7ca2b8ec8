//! `/f/{case}?t=…`: the customer's answer to "is it solved now?" after their case closed — a
//! public page with a plain form (no application bundle), reached from the mail's link.

use super::server::AnswerFollowUp;
use crate::components::html_text::PageTitle;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::use_locale;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn FollowUpPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let params = use_params_map();
    let query = use_query_map();
    let case = params.with_untracked(|p| p.get("case")).unwrap_or_default();
    let token = query.with_untracked(|q| q.get("t")).unwrap_or_default();
    let done = query.with_untracked(|q| q.get("done").is_some());
    let error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c))
        .map(|e| e.message(locale));
    let answer = ServerAction::<AnswerFollowUp>::new();
    view! {
        <PageTitle text=format!("{} · {}", t.followup_title, t.app_name)/>
        <section class="panel survey">
            <h1>{t.followup_title}</h1>
            {if done {
                view! { <p role="status" data-testid="followup-thanks">{t.followup_thanks}</p> }.into_any()
            } else {
                view! {
                    <div class="error-summary" role="alert">{error.map(|m| view! { <p>{m}</p> })}</div>
                    <ActionForm action=answer attr:class="survey-form">
                        <input type="hidden" name="case" value=case/>
                        <input type="hidden" name="t" value=token/>
                        <fieldset class="nps-scale">
                            <legend>{t.followup_question}</legend>
                            <div class="nps-options">
                                {(0..=10).map(|n| view! {
                                    <label class="nps-option"><input type="radio" name="score" value=n.to_string() required/>{n}</label>
                                }).collect_view()}
                            </div>
                            <p class="nps-ends"><span>{t.followup_low}</span><span>{t.followup_high}</span></p>
                        </fieldset>
                        <button type="submit" class="primary">{t.submit}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}
