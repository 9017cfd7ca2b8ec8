//! The account pages: register, confirm the address, forgot and reset the password, change it
//! while signed in. Plain forms that work without JavaScript; errors come back in the query
//! string.

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The query parameter `key` of this page.
fn param(key: &'static str) -> String {
    use_query_map()
        .with_untracked(|q| q.get(key))
        .unwrap_or_default()
}

/// The error sent back in the query string, in the page's language.
#[component]
fn ErrorSummary() -> impl IntoView {
    let locale = use_locale();
    let error = AppError::from_code(&param("error")).map(|e| e.message(locale));
    view! {
        <div class="error-summary" role="alert" aria-live="assertive">
            {error.map(|m| view! { <p>{m}</p> })}
        </div>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = use_locale().texts();
    let action = ServerAction::<Register>::new();
    let done = param("done") == "1";
    view! {
        <PageTitle text=format!("{} · {}", t.register_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.register_title}</h1>
            {if done {
                view! { <p class="notice" role="status" data-testid="register-done">{t.register_done}</p> }.into_any()
            } else {
                view! {
                    <p>{t.register_intro}</p>
                    <ErrorSummary/>
                    <ActionForm action=action attr:class="account-form">
                        <div class="field">
                            <label for="reg-name">{t.name_label}</label>
                            <input id="reg-name" name="name" autocomplete="nickname" required maxlength="60" value=param("name")/>
                        </div>
                        <div class="field">
                            <label for="reg-email">{t.email}</label>
                            <input id="reg-email" name="email" type="email" autocomplete="email" required maxlength="254" value=param("email")/>
                        </div>
                        <div class="field">
                            <label for="reg-password">{t.password}</label>
                            <input id="reg-password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="256" aria-describedby="reg-password-hint"/>
                            <p class="hint" id="reg-password-hint">{t.password_hint}</p>
                        </div>
                        <button type="submit" class="primary">{t.register_button}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// The target of the verification link: one press confirms (a POST, so mail scanners that
/// fetch links confirm nothing).
#[component]
pub fn VerifyPage() -> impl IntoView {
    let t = use_locale().texts();
    let action = ServerAction::<VerifyEmail>::new();
    view! {
        <PageTitle text=format!("{} · {}", t.verify_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.verify_title}</h1>
            <ErrorSummary/>
            <ActionForm action=action>
                <input type="hidden" name="token" value=param("token")/>
                <button type="submit" class="primary">{t.verify_button}</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ForgotPage() -> impl IntoView {
    let t = use_locale().texts();
    let action = ServerAction::<RequestPasswordReset>::new();
    let done = param("done") == "1";
    view! {
        <PageTitle text=format!("{} · {}", t.forgot_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.forgot_title}</h1>
            {if done {
                view! { <p class="notice" role="status">{t.forgot_done}</p> }.into_any()
            } else {
                view! {
                    <p>{t.forgot_intro}</p>
                    <ErrorSummary/>
                    <ActionForm action=action>
                        <div class="field">
                            <label for="forgot-email">{t.email}</label>
                            <input id="forgot-email" name="email" type="email" autocomplete="email" required maxlength="254" value=param("email")/>
                        </div>
                        <button type="submit" class="primary">{t.forgot_button}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let t = use_locale().texts();
    let action = ServerAction::<ResetPassword>::new();
    view! {
        <PageTitle text=format!("{} · {}", t.reset_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.reset_title}</h1>
            <ErrorSummary/>
            <ActionForm action=action>
                <input type="hidden" name="token" value=param("token")/>
                <div class="field">
                    <label for="reset-password">{t.new_password_label}</label>
                    <input id="reset-password" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="256"/>
                    <p class="hint">{t.password_hint}</p>
                </div>
                <button type="submit" class="primary">{t.reset_button}</button>
            </ActionForm>
        </section>
    }
}

/// Any signed-in account changes its password here (linked from the header).
#[component]
pub fn PasswordPage() -> impl IntoView {
    let t = use_locale().texts();
    let action = ServerAction::<ChangePassword>::new();
    let user = Resource::new(|| (), |_| crate::features::auth::server::get_current_user());
    let done = param("done") == "1";
    view! {
        <PageTitle text=format!("{} · {}", t.password_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.password_title}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(_)) if done => view! {
                            <p class="notice" role="status" data-testid="password-done">{t.password_done}</p>
                        }.into_any(),
                        Ok(Some(_)) => view! {
                            <p>{t.password_intro}</p>
                            <ErrorSummary/>
                            <ActionForm action=action attr:class="account-form">
                                <div class="field">
                                    <label for="pw-current">{t.current_password_label}</label>
                                    <input id="pw-current" name="current" type="password" autocomplete="current-password" required maxlength="256"/>
                                </div>
                                <div class="field">
                                    <label for="pw-new">{t.new_password_label}</label>
                                    <input id="pw-new" name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="256" aria-describedby="pw-new-hint"/>
                                    <p class="hint" id="pw-new-hint">{t.password_hint}</p>
                                </div>
                                <div class="field">
                                    <label for="pw-repeat">{t.repeat_password_label}</label>
                                    <input id="pw-repeat" name="repeat" type="password" autocomplete="new-password" required minlength="10" maxlength="256"/>
                                </div>
                                <button type="submit" class="primary">{t.password_button}</button>
                            </ActionForm>
                        }.into_any(),
                        _ => view! { <leptos_router::components::Redirect path="/login?next=/account/password"/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
