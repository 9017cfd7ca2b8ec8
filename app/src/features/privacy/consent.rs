//! The page a customer reaches from the link at the foot of every mail about their feedback:
//! one press (a POST) withdraws the consent they gave to be contacted.

use super::server::WithdrawOwnConsent;
use crate::components::html_text::PageTitle;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ConsentPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|m| m.get(k)).unwrap_or_default();
    let action = ServerAction::<WithdrawOwnConsent>::new();
    let error = AppError::from_code(&q("error")).map(|e| e.message(locale));
    let email = domain::privacy::References::parse(&q("e"))
        .map(|r| r.masked())
        .unwrap_or_default();
    view! {
        <PageTitle text=format!("{} · {}", t.consent_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.consent_title}</h1>
            <div class="error-summary" role="alert">{error.map(|m| view! { <p>{m}</p> })}</div>
            {if q("done") == "1" {
                view! { <p class="notice" role="status">{t.consent_withdrawn}</p> }.into_any()
            } else {
                view! {
                    <p>{crate::i18n::fill(t.consent_text, &[("email", &email)])}</p>
                    <ActionForm action=action>
                        <input type="hidden" name="e" value=q("e")/>
                        <input type="hidden" name="t" value=q("t")/>
                        <button type="submit" class="primary">{t.consent_button}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}
