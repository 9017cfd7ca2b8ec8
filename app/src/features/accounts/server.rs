//! Accounts: customers register, confirm the address, reset a forgotten password; everyone signed
//! in changes their password. Each server function parses, calls a use case in
//! `klantstem_core::accounts` and maps its error.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn account_failed(
    e: klantstem_core::accounts::AccountUseError,
    path: &str,
    back: &[(&str, &str)],
) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::accounts::AccountUseError as E;
    match e {
        E::Invalid(errors) => fail_form(AppError::InvalidAccount(errors), path, back),
        E::LinkInvalid => fail_form(AppError::LinkInvalid, path, back),
        E::Store(e) => fail(e.into()),
        E::Password(e) => fail(e.into()),
        E::Task(_) => fail(AppError::Internal),
        E::Throttled(wait) => fail_form(
            AppError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            },
            path,
            back,
        ),
    }
}

/// How a mail about the account is worded: in this request's language, with links to `base`.
#[cfg(feature = "ssr")]
fn notice(base: &str) -> klantstem_core::accounts::Notice<'_> {
    use crate::backend::*;
    klantstem_core::accounts::Notice {
        locale: request_parts()
            .map(|p| request_locale(&p))
            .unwrap_or_default(),
        base,
        wording: &crate::mail::CatalogueMail,
    }
}

/// Per client address, like survey answers: account forms send mail.
#[cfg(feature = "ssr")]
fn limit(path: &str) -> Result<(), AppError> {
    use crate::backend::*;
    let state = state()?;
    if let Err(wait) = state
        .submit_limiter
        .hit(&format!("account:{}", client_key(&state)))
    {
        let error = AppError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        };
        return fail_form(error, path, &[]);
    }
    Ok(())
}

#[server(endpoint = "account/register")]
pub async fn register(
    #[server(flatten)] form: domain::account::RegistrationForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    const PAGE: &str = "/account/register";
    limit(PAGE)?;
    let state = state()?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let (email, name) = (form.email.clone(), form.name.clone());
    let back = [
        ("email", email.as_deref().unwrap_or("")),
        ("name", name.as_deref().unwrap_or("")),
    ];
    let result = klantstem_core::accounts::register(
        &state,
        form,
        locale,
        &mail_base(),
        &crate::mail::CatalogueMail,
    )
    .await;
    match result {
        Ok(()) => {
            leptos_axum::redirect(&format!("{PAGE}?done=1"));
            Ok(())
        }
        Err(e) => account_failed(e, PAGE, &back),
    }
}

#[server(endpoint = "account/verify")]
pub async fn verify_email(token: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    let token = token.unwrap_or_default();
    match klantstem_core::accounts::verify(&state()?, &token).await {
        Ok(_) => {
            leptos_axum::redirect("/login?verified=1&next=/ideas");
            Ok(())
        }
        Err(e) => account_failed(e, "/account/verify", &[("token", &token)]),
    }
}

#[server(endpoint = "account/forgot")]
pub async fn request_password_reset(email: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    const PAGE: &str = "/account/forgot";
    limit(PAGE)?;
    let state = state()?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let email = email.unwrap_or_default();
    let result = klantstem_core::accounts::request_reset(
        &state,
        &email,
        locale,
        &mail_base(),
        &crate::mail::CatalogueMail,
    )
    .await;
    match result {
        Ok(()) => {
            leptos_axum::redirect(&format!("{PAGE}?done=1"));
            Ok(())
        }
        Err(e) => account_failed(e, PAGE, &[("email", &email)]),
    }
}

#[server(endpoint = "account/reset")]
pub async fn reset_password(
    token: Option<String>,
    password: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    const PAGE: &str = "/account/reset";
    limit(PAGE)?;
    let token = token.unwrap_or_default();
    let (state, base) = (state()?, mail_base());
    let notice = notice(&base);
    let password = password.unwrap_or_default();
    let result = klantstem_core::accounts::reset_password(&state, &token, password, &notice).await;
    match result {
        Ok(()) => {
            leptos_axum::redirect("/login?reset=1&next=/ideas");
            Ok(())
        }
        Err(e) => account_failed(e, PAGE, &[("token", &token)]),
    }
}

/// The signed-in user's new password; every other session of the account ends and this browser
/// gets a fresh one.
#[server(endpoint = "account/password")]
pub async fn change_password(
    #[server(flatten)] form: domain::account::PasswordChangeForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    const PAGE: &str = "/account/password";
    let user = require(|_| true).await?;
    let state = state()?;
    let (client, base) = (client_key(&state), mail_base());
    let notice = notice(&base);
    match klantstem_core::accounts::change_password(&state, &user, form, &client, &notice).await {
        Ok(token) => {
            set_cookie(&session_cookie(&token, &state.settings));
            leptos_axum::redirect(&format!("{PAGE}?done=1"));
            Ok(())
        }
        Err(e) => account_failed(e, PAGE, &[]),
    }
}
