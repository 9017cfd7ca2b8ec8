//! Logging in: the password checked in constant work whether the account exists or not, failed
//! attempts slowed down per account and client, and a fresh session.

use crate::error::StoreError;
use crate::secrets::{
    dummy_password_hash, random_token, token_hash, verify_password, PASSWORD_MAX_CHARS,
};
use crate::state::{now_unix, AppState};
use crate::store::UserRecord;
use domain::model::UserInfo;
use domain::survey::EMAIL_MAX_CHARS;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("too many failed logins; retry after {0:?}")]
    Throttled(Duration),
    /// Wrong e-mail address or password; deliberately does not say which.
    #[error("wrong e-mail address or password")]
    InvalidCredentials,
    /// A customer whose address is not confirmed yet (the password was right).
    #[error("the address is not confirmed yet")]
    Unverified,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password check failed to run")]
    Task(#[from] tokio::task::JoinError),
}

/// A session that began: its token goes into the cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: UserInfo,
    pub token: String,
}

/// Checks `email` and `password` from `client`; on success replaces the browser's `old_session`
/// (if any) with a new one.
pub async fn log_in(
    state: &AppState,
    email: &str,
    password: String,
    client: &str,
    old_session: Option<&str>,
) -> Result<Session, LoginError> {
    let email = email.trim().to_lowercase();
    let user = match verify_credentials(state, &email, password, client).await? {
        Some(user) if !user.verified => return Err(LoginError::Unverified),
        Some(user) => user.info,
        None => return Err(LoginError::InvalidCredentials),
    };
    state.login_throttle.record_success(&email, client);
    // A fresh session id on every login; an old session of this browser ends.
    if let Some(old) = old_session {
        state.store.delete_session(&token_hash(old)).await?;
    }
    let token = start_session(state, user.id).await?;
    tracing::info!(user = user.id, "login");
    Ok(Session { user, token })
}

/// The account `email` if `password` is its password, under the login throttle: a wrong one
/// (or an unknown account) is `None` and counts as a failed login from `client`. Only
/// [`LoginError::Throttled`], `Store` and `Task` come back as errors.
pub async fn verify_credentials(
    state: &AppState,
    email: &str,
    password: String,
    client: &str,
) -> Result<Option<UserRecord>, LoginError> {
    state
        .login_throttle
        .check(email, client)
        .map_err(LoginError::Throttled)?;
    let user = if email.len() <= EMAIL_MAX_CHARS && password.chars().count() <= PASSWORD_MAX_CHARS {
        state.store.user_by_email(email).await?
    } else {
        None
    };
    // argon2 takes tens of milliseconds of CPU: keep it off the async workers.
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            // Same work for an unknown account, so timing does not reveal which accounts exist.
            verify_password(&password, dummy_password_hash());
            false
        }
    })
    .await?;
    if verified {
        return Ok(user);
    }
    state.login_throttle.record_failure(email, client);
    tracing::info!(client, "wrong password");
    Ok(None)
}

/// A new session for `user`: its token, for the cookie.
pub async fn start_session(state: &AppState, user: i64) -> Result<String, StoreError> {
    let token = random_token();
    let now = now_unix();
    let expires = now + state.settings.session_ttl.as_secs() as i64;
    state
        .store
        .create_session(&token_hash(&token), user, now, expires)
        .await?;
    Ok(token)
}
