//! The HTTP adapters: the router (Leptos pages and server functions, REST API, CSV export and
//! upload, scripts), its middleware, and serving.

pub mod api;
pub mod assets;
pub mod export;
pub mod ideas_api;
mod middleware;
pub mod privacy;
mod session;
mod state;
mod survey_page;
pub mod uploads;

pub use session::SessionUser;
pub use state::WebState;

use app::backend::AppState;
use app::{shell, App};
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;

/// Largest request body accepted anywhere (a survey answer is a few KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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
        .nest_service("/pkg", assets::bundle(&leptos))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            WebState,
            _,
        >(context, shell))
        .layer(from_fn_with_state(
            (Arc::new(survey_page::SurveyPages::default()), app.clone()),
            survey_page::survey_pages,
        ))
        .merge(privacy::routes())
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // The API takes batches, so its limit is larger.
        .merge(api::routes().layer(RequestBodyLimitLayer::new(api::MAX_API_BODY_BYTES)))
        .merge(ideas_api::routes().layer(RequestBodyLimitLayer::new(64 * 1024)))
        .merge(export::routes())
        // CSV uploads are files of up to 20 MB.
        .merge(uploads::routes().layer(RequestBodyLimitLayer::new(
            app::import::MAX_FILE_BYTES + 64 * 1024,
        )))
        .route("/embed.js", get(assets::embed_script))
        .route(app::SURVEY_SCRIPT, get(assets::survey_script))
        .route(app::IDEAS_SCRIPT, get(assets::ideas_script))
        .layer(axum::middleware::from_fn(middleware::well_formed_forms))
        .layer(from_fn_with_state(
            app.clone(),
            middleware::same_origin_guard,
        ))
        .layer(from_fn_with_state(
            app.clone(),
            middleware::security_headers,
        ))
        // Pages and answers are compressed as they go, at a level that costs little CPU: the
        // default (brotli's best, quality 11) took half the server's CPU under load. Bundle
        // files are compressed once at their best at start (`assets::precompress`).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
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

/// The paths of the app's pages (`/inbox/:id`), for the access-control matrix test.
pub fn page_paths() -> Vec<String> {
    route_list().iter().map(|r| r.path().to_string()).collect()
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // Without TCP_NODELAY a small response written in two parts (headers, then a short body)
    // waits for the client's delayed ACK: 40 ms on every JSON answer of a server function.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
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
