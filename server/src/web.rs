//! The HTTP side: routes, security middleware, and serving.

use app::backend::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{FromRef, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;

/// Largest request body accepted anywhere (a survey answer is a few KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct WebState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<WebState> for LeptosOptions {
    fn from_ref(s: &WebState) -> Self {
        s.leptos.clone()
    }
}

pub fn router(app: AppState, leptos: LeptosOptions) -> Router {
    let state = WebState {
        leptos: leptos.clone(),
        app: app.clone(),
    };
    let routes = route_list();
    let context = {
        let app = app.clone();
        move || provide_context(app.clone())
    };
    Router::new()
        .route("/healthz", get(healthz))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            WebState,
            _,
        >(context, shell))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // The API takes batches, so its limit is larger.
        .merge(
            crate::api::routes().layer(RequestBodyLimitLayer::new(crate::api::MAX_API_BODY_BYTES)),
        )
        .merge(crate::export::routes())
        // CSV uploads are files of up to 20 MB.
        .merge(crate::uploads::routes().layer(RequestBodyLimitLayer::new(
            app::import::MAX_FILE_BYTES + 64 * 1024,
        )))
        .route("/embed.js", get(embed_script))
        .route(app::SURVEY_SCRIPT, get(survey_script))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            same_origin_guard,
        ))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// The app's routes, worked out once per process.
///
/// Leptos suppresses resource loading process-wide while it generates a route list, and a page
/// whose resource is first polled in that window never finishes (leptos issue #4773). Generating
/// the list once, before any router exists, keeps a second router (tests start many) from ever
/// doing so while another one serves.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn healthz(State(state): State<WebState>) -> Response {
    match state.app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Refuses state-changing requests that a browser marks as coming from another site.
///
/// Browsers send `Sec-Fetch-Site` (and `Origin`) on every POST, including plain HTML form posts,
/// so our own no-JavaScript forms pass while a form on another site is refused. Requests without
/// either header come from non-browser clients, which cannot carry a victim's cookies.
async fn same_origin_guard(State(app): State<AppState>, req: Request, next: Next) -> Response {
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
async fn security_headers(State(app): State<AppState>, req: Request, next: Next) -> Response<Body> {
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

/// The progressive enhancement of the public survey pages, which load no WebAssembly (see
/// `web/survey.js`).
async fn survey_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("web/survey.js"),
    )
        .into_response()
}

/// The script loader for websites: `<script src="…/embed.js" data-survey="slug" async>` puts
/// the survey in an iframe where the script stands. Optional `data-channel`, `data-phase`,
/// `data-lang`. The survey only shows on sites its managers allowed (CSP frame-ancestors).
async fn embed_script() -> Response {
    const SCRIPT: &str = r#"(function () {
  var s = document.currentScript;
  if (!s) return;
  var base = new URL(s.src).origin;
  var q = ["embed=1", "ch=" + encodeURIComponent(s.getAttribute("data-channel") || "web")];
  var phase = s.getAttribute("data-phase");
  if (phase) q.push("tp=" + encodeURIComponent(phase));
  var lang = s.getAttribute("data-lang") || document.documentElement.lang;
  if (lang) q.push("lang=" + encodeURIComponent(lang.slice(0, 2)));
  var f = document.createElement("iframe");
  f.src = base + "/s/" + encodeURIComponent(s.getAttribute("data-survey") || "") + "?" + q.join("&");
  f.title = s.getAttribute("data-title") || "Feedback";
  f.loading = "lazy";
  f.style.cssText = "width:100%;max-width:40rem;min-height:44rem;border:0";
  s.parentNode.insertBefore(f, s);
})();
"#;
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}
