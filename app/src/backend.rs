//! The server side of server functions: the request helpers (state, user, locale, client
//! address), how errors become HTTP statuses and redirects, and the session cookie. Compiled only
//! with the `ssr` feature. Ports, use cases, secrets and limits live in `klantstem_core`; their
//! names are re-exported here for the server functions.

use crate::error::AppError;
use crate::i18n::Locale;
use crate::model::{Role, UserInfo};
use crate::url::percent_encode;
use http::request::Parts;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use std::net::{IpAddr, SocketAddr};

pub use klantstem_core::analyzer::*;
pub use klantstem_core::ingest::to_new_response;
pub use klantstem_core::rate_limit::FailureLimiter;
pub use klantstem_core::secrets::*;
pub use klantstem_core::state::{now_unix, AppState, Settings};
pub use klantstem_core::store::*;
pub use klantstem_core::{PasswordError, StoreError};

pub const SESSION_COOKIE: &str = "ks_session";
pub const LANG_COOKIE: &str = "ks_lang";

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, cause = ?std::error::Error::source(&e), "storage failure");
        AppError::Internal
    }
}

impl From<PasswordError> for AppError {
    fn from(e: PasswordError) -> Self {
        tracing::error!(error = %e, "password hashing failure");
        AppError::Internal
    }
}

/// The application state inside a server function or a server-side render.
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

// ---------------------------------------------------------------------------------------------
// Request helpers

pub fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// A plain HTML form post (no JavaScript) asks for HTML back; the server-function client does not.
pub fn is_plain_form_post() -> bool {
    request_parts()
        .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
        .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
        .unwrap_or(false)
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The client's address: the connection's peer, or, when that peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` that is not one of the trusted proxies.
pub fn client_ip(parts: &Parts, trusted_proxies: &[IpAddr]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())?;
    if !trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    Some(
        forwarded
            .into_iter()
            .rev()
            .find(|a| !trusted_proxies.contains(a))
            .unwrap_or(peer),
    )
}

/// The client a rate limit counts, as text: its address (a trusted proxy's `X-Forwarded-For`
/// names the client; nobody else's does), or `unknown` outside a request.
pub fn client_key(state: &AppState) -> String {
    request_parts()
        .and_then(|p| client_ip(&p, &state.settings.trusted_proxies))
        .map_or_else(|| "unknown".into(), |ip| ip.to_string())
}

pub fn query_locale(parts: &Parts) -> Option<Locale> {
    parts.uri.query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Locale::from_tag(v))
    })
}

/// The UI language of this request: `?lang=` wins, then the language cookie, then
/// `Accept-Language`, then Dutch.
pub fn request_locale(parts: &Parts) -> Locale {
    query_locale(parts)
        .or_else(|| cookie(parts, LANG_COOKIE).and_then(|v| Locale::from_tag(&v)))
        .or_else(|| {
            parts
                .headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::negotiate)
        })
        .unwrap_or_default()
}

/// Sets the HTTP status for an error and returns it, so server functions can `return fail(e)`.
pub fn fail<T>(error: AppError) -> Result<T, AppError> {
    if let (AppError::RateLimited { retry_after_secs }, Some(res)) =
        (&error, use_context::<ResponseOptions>())
    {
        if let Ok(v) = http::HeaderValue::from_str(&retry_after_secs.to_string()) {
            res.insert_header(http::header::RETRY_AFTER, v);
        }
    }
    let status = error.status();
    fail_status(error, status)
}

/// Like [`fail`], with a status other than the error's own (a closed survey's page is a 404).
pub fn fail_status<T>(error: AppError, status: u16) -> Result<T, AppError> {
    if let Some(res) = use_context::<ResponseOptions>() {
        res.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    Err(error)
}

/// For plain HTML form posts: send the browser back to `path` with the error in the query string,
/// where the page shows it in the user's language. JavaScript clients get the error itself.
pub fn fail_form<T>(
    error: AppError,
    path: &str,
    extra_query: &[(&str, &str)],
) -> Result<T, AppError> {
    if is_plain_form_post() {
        // `path` may carry a query of its own (`/admin/boards?board=app`).
        let joiner = if path.contains('?') { '&' } else { '?' };
        let mut url = format!("{path}{joiner}error={}", percent_encode(&error.code()));
        for (k, v) in extra_query {
            if !v.is_empty() {
                url.push_str(&format!("&{k}={}", percent_encode(v)));
            }
        }
        leptos_axum::redirect(&url);
        if let Some(res) = use_context::<ResponseOptions>() {
            res.set_status(http::StatusCode::SEE_OTHER);
        }
        return Err(error);
    }
    fail(error)
}

/// `https://host` of the public site: the configured public URL, else the request's host.
pub fn public_base(headers: &http::HeaderMap, settings: &Settings) -> String {
    if let Some(url) = &settings.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// The site's base address for links in mails: the configured public URL, else the
/// request's.
pub fn mail_base() -> String {
    match (request_parts(), state()) {
        (Some(parts), Ok(state)) => public_base(&parts.headers, &state.settings),
        (_, Ok(state)) => state.settings.public_url.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Sessions

pub fn session_cookie(token: &str, settings: &Settings) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        settings.session_ttl.as_secs(),
        if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

pub fn expired_session_cookie(settings: &Settings) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    )
}

/// Adds a `Set-Cookie` header to this server function's response.
pub fn set_cookie(cookie: &str) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// The logged-in user of this request, if any.
pub async fn current_user() -> Result<Option<UserInfo>, AppError> {
    let Some(parts) = request_parts() else {
        return Ok(None);
    };
    let Some(token) = cookie(&parts, SESSION_COOKIE) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    let state = state()?;
    let idle = state.settings.session_idle.as_secs() as i64;
    Ok(state
        .store
        .session_user(&token_hash(&token), now_unix(), idle)
        .await?)
}

/// The logged-in user if their role passes `allowed`; otherwise 401 or 403.
pub async fn require(allowed: fn(Role) -> bool) -> Result<UserInfo, AppError> {
    match current_user().await? {
        None => fail(AppError::Unauthorized),
        Some(user) if allowed(user.role) => Ok(user),
        Some(_) => fail(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_parse() {
        let req = http::Request::builder()
            .header("cookie", "a=1; ks_session=abc; b=2")
            .body(())
            .unwrap();
        let (parts, _) = req.into_parts();
        assert_eq!(cookie(&parts, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&parts, "c"), None);
    }

    #[test]
    fn locale_precedence() {
        let parts = |uri: &str, cookie: &str, al: &str| {
            let req = http::Request::builder()
                .uri(uri)
                .header("cookie", cookie)
                .header("accept-language", al)
                .body(())
                .unwrap();
            req.into_parts().0
        };
        assert_eq!(
            request_locale(&parts("/s/x?lang=en", "ks_lang=nl", "nl")),
            Locale::En
        );
        assert_eq!(
            request_locale(&parts("/s/x", "ks_lang=en", "nl")),
            Locale::En
        );
        assert_eq!(
            request_locale(&parts("/s/x", "", "en-US,en;q=0.9")),
            Locale::En
        );
        assert_eq!(request_locale(&parts("/s/x", "", "fr")), Locale::Nl);
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let parts = |peer: &str, xff: &str| {
            let mut req = http::Request::builder()
                .header("x-forwarded-for", xff)
                .body(())
                .unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo::<SocketAddr>(
                    peer.parse().unwrap(),
                ));
            req.into_parts().0
        };
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        // A client that sends its own header gains nothing.
        assert_eq!(
            client_ip(&parts("203.0.113.9:5000", "1.2.3.4"), &[proxy]),
            ip("203.0.113.9")
        );
        // Behind the proxy: the nearest untrusted address, not a spoofed one further left.
        assert_eq!(
            client_ip(&parts("10.0.0.1:5000", "6.6.6.6, 198.51.100.7"), &[proxy]),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_ip(&parts("10.0.0.1:5000", "garbage"), &[proxy]),
            ip("10.0.0.1")
        );
    }
}
