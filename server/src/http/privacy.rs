//! The download of everything held about one customer (admins; the privacy page's button): a
//! JSON file, logged in the audit log. A POST, so the references stay out of addresses and
//! server logs.

use crate::http::session::SessionUser;
use crate::http::state::WebState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use klantstem_core::privacy::PrivacyUseError;
use std::collections::HashMap;

pub fn routes() -> Router<WebState> {
    Router::new().route("/admin/privacy/export", post(export))
}

async fn export(
    State(web): State<WebState>,
    SessionUser(user): SessionUser,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(user) = user else {
        return Redirect::to("/login?next=/admin/privacy").into_response();
    };
    let refs = form.get("refs").map(String::as_str).unwrap_or_default();
    let data = match klantstem_core::privacy::export(&web.app, &user, refs).await {
        Ok(data) => data,
        Err(PrivacyUseError::Forbidden | PrivacyUseError::LinkInvalid) => {
            return (
                StatusCode::FORBIDDEN,
                "Only admins export a customer's data.",
            )
                .into_response()
        }
        Err(PrivacyUseError::Invalid(problem)) => {
            let message =
                app::error::AppError::InvalidPrivacy(problem).message(app::i18n::Locale::En);
            return (StatusCode::UNPROCESSABLE_ENTITY, message).into_response();
        }
        Err(PrivacyUseError::Store(e)) => {
            tracing::error!(error = %e, "customer export failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let body = match serde_json::to_string_pretty(&data) {
        Ok(body) => body,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let day = app::model::format_date(klantstem_core::now_unix());
    (
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"klantstem-customer-data-{day}.json\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
