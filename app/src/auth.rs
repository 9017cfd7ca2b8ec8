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
    use leptos_axum::ResponseOptions;

    let state = state()?;
    let parts = request_parts().ok_or(AppError::Internal)?;
    let next = safe_next(next.as_deref());
    let back = [("next", next.as_str())];
    let email = email.unwrap_or_default().trim().to_lowercase();
    let password = password.unwrap_or_default();
    let client = client_ip(&parts, &state.settings.trusted_proxies)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".into());

    if let Err(wait) = state.login_throttle.check(&email, &client) {
        return fail_form(
            AppError::RateLimited {
                retry_after_secs: wait.as_secs().max(1),
            },
            "/login",
            &back,
        );
    }

    let user = if email.len() <= crate::survey::EMAIL_MAX_CHARS
        && password.chars().count() <= PASSWORD_MAX_CHARS
    {
        state.store.user_by_email(&email).await?
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
    .await
    .map_err(|_| AppError::Internal)?;

    let user = match (verified, user) {
        (true, Some(user)) => user.info,
        _ => {
            state.login_throttle.record_failure(&email, &client);
            tracing::info!(client = %client, "failed login");
            return fail_form(AppError::InvalidCredentials, "/login", &back);
        }
    };
    state.login_throttle.record_success(&email, &client);

    // A fresh session id on every login; an old session of this browser ends.
    if let Some(old) = cookie(&parts, SESSION_COOKIE) {
        state.store.delete_session(&token_hash(&old)).await?;
    }
    let token = random_token();
    let now = now_unix();
    state
        .store
        .create_session(
            &token_hash(&token),
            user.id,
            now,
            now + state.settings.session_ttl.as_secs() as i64,
        )
        .await?;
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(&session_cookie(&token, &state.settings)),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
    tracing::info!(user = user.id, "login");
    leptos_axum::redirect(&next);
    Ok(())
}

#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::*;
    use leptos_axum::ResponseOptions;

    let state = state()?;
    if let Some(token) = request_parts().and_then(|p| cookie(&p, SESSION_COOKIE)) {
        state.store.delete_session(&token_hash(&token)).await?;
    }
    if let (Some(res), Ok(v)) = (
        use_context::<ResponseOptions>(),
        http::HeaderValue::from_str(&expired_session_cookie(&state.settings)),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
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
