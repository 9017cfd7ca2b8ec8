//! Logging in and out. Sessions live in the database; the cookie only carries a random token.

use crate::error::AppError;
use crate::model::UserInfo;
use leptos::prelude::*;

/// The logged-in user, or `None`.
#[server(endpoint = "auth/me")]
pub async fn get_current_user() -> Result<Option<UserInfo>, AppError> {
    crate::backend::current_user().await
}

/// Only local paths are followed after login, so a crafted link cannot send users elsewhere.
#[cfg(any(feature = "ssr", test))]
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.len() <= 512 =>
        {
            n.to_string()
        }
        _ => "/dashboard".to_string(),
    }
}

#[server(endpoint = "auth/login")]
pub async fn login(
    email: Option<String>,
    password: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::auth::{log_in, LoginError};

    let state = state()?;
    let parts = request_parts().ok_or(AppError::Internal)?;
    let asked = next.as_deref().is_some_and(|n| !n.trim().is_empty());
    let next = safe_next(next.as_deref());
    let back = [("next", next.as_str())];
    let client = client_key(&state);
    let old = cookie(&parts, SESSION_COOKIE);
    let email = email.unwrap_or_default();
    let password = password.unwrap_or_default();
    let session = match log_in(&state, &email, password, &client, old.as_deref()).await {
        Ok(session) => session,
        Err(LoginError::Throttled(wait)) => {
            let retry_after_secs = wait.as_secs().max(1);
            return fail_form(AppError::RateLimited { retry_after_secs }, "/login", &back);
        }
        Err(LoginError::InvalidCredentials) => {
            return fail_form(AppError::InvalidCredentials, "/login", &back)
        }
        Err(LoginError::Unverified) => return fail_form(AppError::Unverified, "/login", &back),
        Err(LoginError::Store(e)) => return fail(e.into()),
        Err(LoginError::Task(_)) => return fail(AppError::Internal),
    };
    set_cookie(&session_cookie(&session.token, &state.settings));
    // Customers have no dashboard: without a page to return to, they go to the ideas.
    let next = if session.user.role == crate::model::Role::Customer && !asked {
        "/ideas".to_string()
    } else {
        next
    };
    leptos_axum::redirect(&next);
    Ok(())
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::*;

    let state = state()?;
    if let Some(token) = request_parts().and_then(|p| cookie(&p, SESSION_COOKIE)) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    set_cookie(&expired_session_cookie(&state.settings));
    leptos_axum::redirect("/");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/dashboard?x=1")), "/dashboard?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("https://evil.example")), "/dashboard");
        assert_eq!(safe_next(Some("/\\evil.example")), "/dashboard");
        assert_eq!(safe_next(None), "/dashboard");
    }
}
