//! Middleware on every route: the same-origin guard for state changes and the security headers.

use app::backend::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Refuses state-changing requests that a browser marks as coming from another site.
///
/// Browsers send `Sec-Fetch-Site` (and `Origin`) on every POST, including plain HTML form posts,
/// so our own no-JavaScript forms pass while a form on another site is refused. Requests without
/// either header come from non-browser clients, which cannot carry a victim's cookies.
pub async fn same_origin_guard(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let header_str = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let allowed = match (header_str("sec-fetch-site"), header_str("origin")) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(origin)) => origin_is_ours(origin, &req, &app.settings),
        (None, None) => true,
    };
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
    }
}

/// Refuses form bodies (and server functions' query strings) that no browser sends — an escape
/// cut off (`%4`) or bytes that are not UTF-8 once unescaped. Decoders downstream replace such
/// bytes with U+FFFD or keep `%4` as text, so without this a broken request would store a
/// name like `\u{FFFD}` instead of being refused. A server function gets a form or nothing (415).
/// Bodies over [`super::MAX_BODY_BYTES`] are
/// refused here too (every form route has that limit).
pub async fn well_formed_forms(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let server_fn = path.starts_with("/api/") && !path.starts_with("/api/v1/");
    if server_fn
        && parts
            .uri
            .query()
            .is_some_and(|q| !form_encoding_is_valid(q.as_bytes()))
    {
        return malformed(&parts, "the address's query is not valid UTF-8 form data");
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        // Every server function takes a form, from the app and from a page without JavaScript.
        if server_fn && parts.method == Method::POST {
            let message = "A form (application/x-www-form-urlencoded) is expected.";
            return (StatusCode::UNSUPPORTED_MEDIA_TYPE, message).into_response();
        }
        return next.run(Request::from_parts(parts, body)).await;
    }
    let Ok(bytes) = axum::body::to_bytes(body, super::MAX_BODY_BYTES).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response();
    };
    if !form_encoding_is_valid(&bytes) {
        return malformed(&parts, "the form is not valid UTF-8 form data");
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn malformed(parts: &axum::http::request::Parts, detail: &str) -> Response {
    tracing::warn!(path = %parts.uri.path(), detail, "malformed form refused");
    let locale = app::backend::request_locale(parts);
    let message = app::error::AppError::Malformed(detail.into()).message(locale);
    (StatusCode::BAD_REQUEST, message).into_response()
}

/// Every `%` followed by two hex digits, and the unescaped bytes UTF-8. (`&` and `=` are ASCII,
/// so the whole is UTF-8 exactly when every key and value is.)
pub fn form_encoding_is_valid(encoded: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(encoded.len());
    let mut bytes = encoded.iter();
    while let Some(&b) = bytes.next() {
        if b == b'%' {
            let hex = |d: Option<&u8>| d.and_then(|d| (*d as char).to_digit(16));
            match (hex(bytes.next()), hex(bytes.next())) {
                (Some(hi), Some(lo)) => decoded.push((hi * 16 + lo) as u8),
                _ => return false,
            }
        } else {
            decoded.push(b);
        }
    }
    std::str::from_utf8(&decoded).is_ok()
}

/// Whether an `Origin` names this site, scheme included: `http://` and `https://` on the same
/// host are different origins. Our scheme is what a trusted proxy says it received
/// (`X-Forwarded-Proto`), else `https` when the site is configured for HTTPS; the configured
/// public address counts too.
fn origin_is_ours(origin: &str, req: &Request, settings: &app::backend::Settings) -> bool {
    let headers = req.headers();
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let from_proxy = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .is_some_and(|c| settings.trusted_proxies.contains(&c.0.ip()));
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|_| from_proxy)
        .unwrap_or(if settings.secure_cookies {
            "https"
        } else {
            "http"
        });
    let ours = format!("{scheme}://{host}");
    origin.eq_ignore_ascii_case(&ours)
        || settings
            .public_url
            .as_deref()
            .is_some_and(|u| origin.eq_ignore_ascii_case(u.trim_end_matches('/')))
}

/// Headers every response carries. Pages set their own CSP with a per-response nonce; every
/// other response gets the strict default.
pub async fn security_headers(
    State(app): State<AppState>,
    req: Request,
    next: Next,
) -> Response<Body> {
    let survey_slug = req
        .uri()
        .path()
        .strip_prefix("/s/")
        .and_then(|rest| rest.split('/').next())
        .filter(|s| app::survey::is_valid_slug(s))
        .map(String::from);
    // What a logged-in user sees must not linger in shared or back-button caches.
    let private = !req.uri().path().starts_with("/pkg/")
        && req
            .headers()
            .get(header::COOKIE)
            .and_then(|c| c.to_str().ok())
            .is_some_and(|c| c.contains(app::backend::SESSION_COOKIE));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if private {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    // A survey may be embedded by the sites its managers listed; everything else by nobody.
    let embedders = match survey_slug {
        Some(slug) => app
            .store
            .survey_by_slug(&slug)
            .await
            .ok()
            .flatten()
            .filter(|s| s.is_public())
            .map(|s| s.embed_origins)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let h = res.headers_mut();
    if embedders.is_empty() {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    } else if let Some(csp) = h
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
    {
        // The origins were checked when saved: scheme, host and port only.
        let allowed = format!("frame-ancestors 'self' {}", embedders.join(" "));
        if let Ok(v) = HeaderValue::from_str(&csp.replace("frame-ancestors 'none'", &allowed)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    ));
    res
}

#[cfg(test)]
mod tests {
    use super::form_encoding_is_valid as valid;

    #[test]
    fn form_bodies_a_browser_sends_pass_and_broken_ones_do_not() {
        assert!(valid(
            b"title=Wachttijd+te+lang&name=Financi%C3%ABn&a[]=1&&x="
        ));
        assert!(valid("naam=Zoë".as_bytes()));
        assert!(valid(b""));
        assert!(!valid(b"title=%E2%82"), "a UTF-8 sequence cut off");
        assert!(!valid(b"title=%FF%FE"), "escaped bytes that are not UTF-8");
        assert!(!valid(b"title=\xff"), "raw bytes that are not UTF-8");
        assert!(!valid(b"slug=%"), "an escape without digits");
        assert!(!valid(b"name=%4"), "an escape with one digit");
        assert!(!valid(b"name=%zz"), "an escape without hex digits");
        assert!(!valid(b"a=%ED%A0%80"), "a surrogate");
    }
}
