//! The staff login page.

use crate::components::html_text::PageTitle;
use crate::error::AppError;
use crate::features::auth::server::Login;
use crate::i18n::LocaleTexts;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let login = ServerAction::<Login>::new();
    let url_error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    // Without `next`, staff go to the dashboard and customers to the ideas (decided on login).
    let next = query.with_untracked(|q| q.get("next"));
    let error = move || match login.value().get() {
        Some(Err(e)) => Some(e.message(locale)),
        Some(Ok(())) => None,
        None => url_error.as_ref().map(|e| e.message(locale)),
    };
    let pending = login.pending();
    let notice = query.with_untracked(|q| {
        if q.get("verified").is_some() {
            Some(t.verified_done)
        } else if q.get("reset").is_some() {
            Some(t.reset_done)
        } else {
            None
        }
    });
    view! {
        <PageTitle text=format!("{} · {}", t.login_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.login_title}</h1>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <div class="error-summary" role="alert" aria-live="assertive">
                {move || error().map(|m| view! { <p>{m}</p> })}
            </div>
            <ActionForm action=login attr:class="login-form">
                {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
                <div class="field">
                    <label for="login-email">{t.email}</label>
                    <input id="login-email" name="email" type="email" autocomplete="username" required maxlength="254"/>
                </div>
                <div class="field">
                    <label for="login-password">{t.password}</label>
                    <input id="login-password" name="password" type="password" autocomplete="current-password" required maxlength="256"/>
                </div>
                <button type="submit" class="primary" disabled=move || pending.get()>{t.login_button}</button>
            </ActionForm>
            <p class="login-links">
                <a href="/account/forgot">{t.login_forgot_link}</a>
                " · "
                <a href="/account/register">{t.login_register_link}</a>
            </p>
        </section>
    }
}
