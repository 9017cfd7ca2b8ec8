//! Accounts: customers register (the address confirmed by a link) and reset a forgotten
//! password — neither form tells a visitor whether an address has an account: its owner hears by
//! mail — and everyone signed in changes their password.

use crate::auth::{verify_credentials, LoginError};
use crate::error::StoreError;
use crate::notices::{new_mail, MailText, MailWording};
use crate::secrets::{customer_hash, hash_password, random_token, token_hash};
use crate::state::{now_unix, AppState};
use crate::store::{NewAccountToken, NewCustomer};
use crate::PasswordError;
use domain::account::{
    check_password, AccountError, PasswordChange, PasswordChangeForm, Registration,
    RegistrationForm, RESET_TTL_SECS, VERIFY_TTL_SECS,
};
use domain::locale::Locale;
use domain::model::UserInfo;

#[derive(Debug, thiserror::Error)]
pub enum AccountUseError {
    #[error("the form has problems: {0:?}")]
    Invalid(Vec<AccountError>),
    /// The link is unknown, used or expired.
    #[error("the link does not work (any more)")]
    LinkInvalid,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("password hashing failed to run")]
    Task(#[from] tokio::task::JoinError),
    /// Too many wrong current passwords from this client: the login throttle's wait.
    #[error("too many wrong passwords; retry after {0:?}")]
    Throttled(std::time::Duration),
}

/// Registers a customer and mails the verification link (`{base}/account/verify?token=…`). An
/// address that has an account gets a mail saying so; the form answers the same.
pub async fn register(
    state: &AppState,
    form: RegistrationForm,
    locale: Locale,
    base: &str,
    wording: &dyn MailWording,
) -> Result<(), AccountUseError> {
    let reg = Registration::try_from(form).map_err(AccountUseError::Invalid)?;
    let now = now_unix();
    if let Some(existing) = state.store.account_by_email(reg.email.as_str()).await? {
        let mail = wording.mail(
            locale,
            &MailText::AlreadyRegistered {
                name: &existing.display_name,
                login: &format!("{base}/login?next=/ideas"),
                reset: &format!("{base}/account/forgot"),
            },
            None,
        );
        state
            .store
            .enqueue_mail(&new_mail("already_registered", &existing.email, mail), now)
            .await?;
        state.outbox.notify_one();
        return Ok(());
    }
    let password = reg.password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password)).await??;
    let token = random_token();
    let link = format!("{base}/account/verify?token={token}");
    let mail = wording.mail(
        locale,
        &MailText::Verify {
            name: &reg.name,
            link: &link,
        },
        None,
    );
    let customer = NewCustomer {
        email: reg.email.as_str().to_string(),
        display_name: reg.name.clone(),
        password_hash: hash,
        customer_hash: customer_hash(&state.customer_key, reg.email.as_str()),
        locale: locale.as_str().to_string(),
    };
    let token = NewAccountToken {
        token_hash: token_hash(&token),
        purpose: "verify",
        expires_at: now + VERIFY_TTL_SECS,
    };
    let mail = new_mail("verify_email", reg.email.as_str(), mail);
    match state
        .store
        .create_customer(&customer, &token, &mail, now)
        .await
    {
        // Registered at the same moment by another request: that one mails.
        Ok(_) | Err(StoreError::Conflict(_)) => {}
        Err(e) => return Err(e.into()),
    }
    state.outbox.notify_one();
    Ok(())
}

/// Confirms an address from its link; answers the account's id.
pub async fn verify(state: &AppState, token: &str) -> Result<i64, AccountUseError> {
    let now = now_unix();
    let user = state
        .store
        .use_account_token(&token_hash(token.trim()), "verify", now)
        .await?
        .ok_or(AccountUseError::LinkInvalid)?;
    state.store.mark_verified(user, now).await?;
    tracing::info!(user, "address verified");
    Ok(user)
}

/// Mails a reset link to the address if it has an account; says nothing either way.
pub async fn request_reset(
    state: &AppState,
    email: &str,
    locale: Locale,
    base: &str,
    wording: &dyn MailWording,
) -> Result<(), AccountUseError> {
    let Some(email) = domain::survey::Email::parse(email) else {
        return Err(AccountUseError::Invalid(vec![AccountError::EmailInvalid]));
    };
    let Some(account) = state.store.account_by_email(email.as_str()).await? else {
        return Ok(());
    };
    let now = now_unix();
    let token = random_token();
    let link = format!("{base}/account/reset?token={token}");
    let mail = wording.mail(
        locale,
        &MailText::Reset {
            name: &account.display_name,
            link: &link,
        },
        None,
    );
    let token = NewAccountToken {
        token_hash: token_hash(&token),
        purpose: "reset",
        expires_at: now + RESET_TTL_SECS,
    };
    state
        .store
        .create_account_token(
            account.id,
            &token,
            &new_mail("reset_password", &account.email, mail),
            now,
        )
        .await?;
    state.outbox.notify_one();
    Ok(())
}

/// Where a changed password is worded and linked from: the request's language and address.
pub struct Notice<'a> {
    pub locale: Locale,
    pub base: &'a str,
    pub wording: &'a dyn MailWording,
}

/// Stores `hash` as the password of `user` (every session ends) and tells the account's
/// address, so an owner whose password someone else changed hears of it and can take the
/// account back.
async fn set_password(
    state: &AppState,
    user: i64,
    hash: &str,
    notice: &Notice<'_>,
    now: i64,
) -> Result<(), AccountUseError> {
    let account = state
        .store
        .account(user)
        .await?
        .ok_or(AccountUseError::LinkInvalid)?;
    let reset = format!("{}/account/forgot", notice.base);
    let text = MailText::PasswordChanged {
        name: &account.display_name,
        reset: &reset,
    };
    let mail = notice.wording.mail(notice.locale, &text, None);
    let mail = new_mail("password_changed", &account.email, mail);
    state.store.set_password(user, hash, &mail, now).await?;
    state.outbox.notify_one();
    Ok(())
}

/// Sets a new password from a reset link; every session of the account ends. Following the
/// link proves the address, so an unverified account is verified too.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: String,
    notice: &Notice<'_>,
) -> Result<(), AccountUseError> {
    check_password(&password).map_err(|e| AccountUseError::Invalid(vec![e]))?;
    let now = now_unix();
    let user = state
        .store
        .use_account_token(&token_hash(token.trim()), "reset", now)
        .await?
        .ok_or(AccountUseError::LinkInvalid)?;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password)).await??;
    set_password(state, user, &hash, notice, now).await?;
    state.store.mark_verified(user, now).await?;
    tracing::info!(user, "password reset");
    Ok(())
}

/// A signed-in user changes their password: the current one must be right (wrong guesses count
/// as failed logins, so the form is no way around the login throttle). Every session of the
/// account ends — a thief's too — and the one returned replaces the caller's.
pub async fn change_password(
    state: &AppState,
    user: &UserInfo,
    form: PasswordChangeForm,
    client: &str,
    notice: &Notice<'_>,
) -> Result<String, AccountUseError> {
    let change = PasswordChange::try_from(form).map_err(AccountUseError::Invalid)?;
    let PasswordChange { current, new } = change;
    match verify_credentials(state, &user.email, current, client).await {
        Ok(Some(_)) => {}
        Ok(None) | Err(LoginError::InvalidCredentials | LoginError::Unverified) => {
            return Err(AccountUseError::Invalid(vec![
                AccountError::CurrentPasswordWrong,
            ]))
        }
        Err(LoginError::Throttled(wait)) => return Err(AccountUseError::Throttled(wait)),
        Err(LoginError::Store(e)) => return Err(e.into()),
        Err(LoginError::Task(e)) => return Err(e.into()),
    }
    let new_hash = tokio::task::spawn_blocking(move || hash_password(&new)).await??;
    set_password(state, user.id, &new_hash, notice, now_unix()).await?;
    let token = crate::auth::start_session(state, user.id).await?;
    tracing::info!(user = user.id, "password changed; other sessions ended");
    Ok(token)
}
