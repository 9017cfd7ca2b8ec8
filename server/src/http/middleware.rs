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
