//! API tokens (admins): create one per system that sends feedback, see when each was last used,
//! revoke one that leaked. The token itself is shown once, right after it is created.

use crate::error::AppError;
use crate::html_text::PageTitle;
use crate::i18n::LocaleTexts;
use crate::model::{format_date, ApiToken, API_SCOPES};
use crate::pages::layout::ErrorPanel;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub const TOKEN_NAME_MAX_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiTokensPage {
    pub tokens: Vec<ApiToken>,
    /// The secret of the token just created, shown once.
    pub created: Option<(i64, String)>,
}

/// The cookie that carries a token's secret from its creation to the page that shows it once.
/// A browser without JavaScript sees the result after a redirect, which may land on another
/// server process: the secret travels with the browser (HttpOnly, SameSite=Strict, ten minutes
/// at most, cleared when shown), never in one process's memory.
#[cfg(feature = "ssr")]
const FRESH_TOKEN_COOKIE: &str = "ks_new_token";

#[cfg(feature = "ssr")]
fn fresh_token_cookie(value: &str, max_age: u32) -> Option<http::HeaderValue> {
    let secure = crate::backend::state()
        .map(|s| s.settings.secure_cookies)
        .unwrap_or(false);
    http::HeaderValue::from_str(&format!(
        "{FRESH_TOKEN_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    ))
    .ok()
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
        if let (Some(res), Some(clear)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            fresh_token_cookie("", 0),
        ) {
            res.append_header(http::header::SET_COOKIE, clear);
        }
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
        return fail_form(AppError::Transport("token_name".into()), "/admin/api", &[]);
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
    if let (Some(res), Some(cookie)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        fresh_token_cookie(&format!("{id}.{}.{secret}", user.id), 600),
    ) {
        res.append_header(http::header::SET_COOKIE, cookie);
    }
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

#[component]
pub fn ApiTokensRoute() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let created = move || query.with(|q| q.get("created"));
    let data = Resource::new(
        move || (created(), revoke.version().get()),
        |(created, _)| get_api_tokens(created),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.api_tokens_title, t.app_name)/>
        <section class="panel api-tokens">
            <h1>{t.api_tokens_title}</h1>
            <p class="lead">{t.api_tokens_intro}</p>
            <p><a href="/api/openapi.json" rel="external">{t.api_description}</a></p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <TokenList page create revoke/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/api"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TokenList(
    page: ApiTokensPage,
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let form_error = move || {
        query.with(|q| q.get("error").is_some()) || matches!(create.value().get(), Some(Err(_)))
    };
    // With JavaScript the new secret comes back from the action; without, from the page load.
    let secret = move || match create.value().get() {
        Some(Ok((_, secret))) => Some(secret),
        _ => page.created.clone().map(|c| c.1),
    };
    view! {
        {move || secret().map(|s| view! {
            <div class="notice secret" role="status">
                <p>{t.api_token_created}</p>
                <code data-testid="new-token">{s}</code>
            </div>
        })}
        {move || form_error().then(|| view! { <div class="error-summary" role="alert"><p>{t.api_token_name_error}</p></div> })}
        <ActionForm action=create attr:class="inline-form token-form">
            <label for="token-name">{t.api_token_name}</label>
            <input id="token-name" name="name" required maxlength=TOKEN_NAME_MAX_CHARS.to_string()/>
            <input type="hidden" name="scope" value=API_SCOPES[0]/>
            <button type="submit" class="primary">{t.api_token_create}</button>
        </ActionForm>
        <table class="data-table tokens" data-testid="tokens">
            <thead>
                <tr>
                    <th scope="col">{t.api_token_name}</th>
                    <th scope="col">{t.api_token_prefix}</th>
                    <th scope="col">{t.api_token_scopes}</th>
                    <th scope="col">{t.date}</th>
                    <th scope="col">{t.api_token_last_used}</th>
                    <th scope="col"><span class="visually-hidden">{t.api_token_revoke}</span></th>
                </tr>
            </thead>
            <tbody>
                {page.tokens.into_iter().map(|token| {
                    let id = token.id.to_string();
                    let revoked = token.revoked_at.is_some();
                    view! {
                        <tr data-revoked=revoked.to_string()>
                            <th scope="row">{token.name.clone()}</th>
                            <td><code>{format!("{}…", token.prefix)}</code></td>
                            <td>{token.scopes.join(" ")}</td>
                            <td>{format_date(token.created_at)}</td>
                            <td>{token.last_used_at.map(format_date).unwrap_or_else(|| "–".into())}</td>
                            <td>
                                {if revoked {
                                    view! { <span class="badge">{t.api_token_revoked}</span> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="danger" aria-label=format!("{}: {}", t.api_token_revoke, token.name)>{t.api_token_revoke}</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
