//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::ApiToken;
#[cfg(feature = "ssr")]
use crate::model::API_SCOPES;
use leptos::prelude::*;
use serde::Deserialize;
use serde::Serialize;

/// The cookie that carries a token's secret from its creation to the page that shows it once.
/// A browser without JavaScript sees the result after a redirect, which may land on another
/// server process: the secret travels with the browser (HttpOnly, SameSite=Strict, ten minutes
/// at most, cleared when shown), never in one process's memory.
#[cfg(feature = "ssr")]
const FRESH_TOKEN_COOKIE: &str = "ks_new_token";

#[cfg(feature = "ssr")]
fn fresh_token_cookie(value: &str, max_age: u32) -> String {
    let secure = crate::backend::state()
        .map(|s| s.settings.secure_cookies)
        .unwrap_or(false);
    format!(
        "{FRESH_TOKEN_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

#[server(endpoint = "api-tokens/list")]
pub async fn get_api_tokens(created: Option<String>) -> Result<ApiTokensPage, AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let tokens = state()?.store.list_api_tokens().await?;
    let created_id = created.and_then(|c| c.parse::<i64>().ok());
    // The secret of the token this browser just created: `{token id}.{user id}.{secret}`.
    let fresh = request_parts().and_then(|p| cookie(&p, FRESH_TOKEN_COOKIE));
    let created = created_id.zip(fresh).and_then(|(id, fresh)| {
        let mut parts = fresh.splitn(3, '.');
        let (token, owner, secret) = (parts.next()?, parts.next()?, parts.next()?);
        (token == id.to_string() && owner == user.id.to_string()).then(|| (id, secret.to_string()))
    });
    if created.is_some() {
        set_cookie(&fresh_token_cookie("", 0));
    }
    Ok(ApiTokensPage { tokens, created })
}

#[server(endpoint = "api-tokens/create")]
pub async fn create_api_token(
    name: Option<String>,
    scope: Option<String>,
) -> Result<(i64, String), AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let name = crate::survey::clean_text(&name.unwrap_or_default());
    let scope = scope.unwrap_or_else(|| API_SCOPES[0].to_string());
    if name.is_empty()
        || name.chars().count() > TOKEN_NAME_MAX_CHARS
        || !API_SCOPES.contains(&scope.as_str())
    {
        return fail_form(AppError::InvalidTokenName, "/admin/api", &[]);
    }
    let secret = format!("ks_{}", &random_token()[..40]);
    let id = state()?
        .store
        .create_api_token(&NewApiToken {
            name,
            token_hash: token_hash(&secret),
            prefix: secret[..10].to_string(),
            scopes: vec![scope],
            created_by: user.id,
            created_at: now_unix(),
        })
        .await?;
    tracing::info!(token = id, user = user.id, "API token created");
    set_cookie(&fresh_token_cookie(
        &format!("{id}.{}.{secret}", user.id),
        600,
    ));
    leptos_axum::redirect(&format!("/admin/api?created={id}"));
    Ok((id, secret))
}

#[server(endpoint = "api-tokens/revoke")]
pub async fn revoke_api_token(id: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    if !state()?.store.revoke_api_token(id, now_unix()).await? {
        return fail(AppError::NotFound);
    }
    tracing::info!(token = id, user = user.id, "API token revoked");
    leptos_axum::redirect("/admin/api");
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiTokensPage {
    pub tokens: Vec<ApiToken>,
    /// The secret of the token just created, shown once.
    pub created: Option<(i64, String)>,
}

pub const TOKEN_NAME_MAX_CHARS: usize = 80;
