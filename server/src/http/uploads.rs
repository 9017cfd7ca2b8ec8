//! File uploads that do not fit a server function: the CSV import (multipart, up to 20 MB).
//! A plain HTML form posts here, with or without JavaScript; the answer is a redirect to the
//! import's preview, or back to the upload form with an error code.

use crate::http::session::SessionUser;
use crate::http::state::WebState;
use app::backend::{now_unix, NewImport};
use app::import::{content_hash, parse_csv, CsvError, MAX_FILE_BYTES};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/admin/import/upload", post(upload_csv))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024))
}

fn back(code: &str) -> Response {
    Redirect::to(&format!("/admin/import?error={code}")).into_response()
}

/// Text of an uploaded file: UTF-8, or Windows-1252 (what Excel writes for Dutch CSV).
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

async fn upload_csv(
    State(web): State<WebState>,
    SessionUser(user): SessionUser,
    mut form: Multipart,
) -> Response {
    let state = web.app;
    // The same session check as every page: managers and admins import.
    let Some(user) = user else {
        return Redirect::to("/login?next=/admin/import").into_response();
    };
    if !user.role.sees_dashboard() {
        return (
            StatusCode::FORBIDDEN,
            "Your account cannot import feedback.",
        )
            .into_response();
    }
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().unwrap_or("import.csv").to_string();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => return back("too_large"),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back("too_large"),
        }
    }
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return back("csv_empty");
    };
    if bytes.len() > MAX_FILE_BYTES {
        return back("too_large");
    }
    let content = decode(&bytes);
    let checked = {
        let content = content.clone();
        tokio::task::spawn_blocking(move || parse_csv(&content).map(|_| ())).await
    };
    match checked {
        Ok(Ok(())) => {}
        Ok(Err(CsvError::Empty)) => return back("csv_empty"),
        Ok(Err(CsvError::TooManyRows)) => return back("too_many_rows"),
        Ok(Err(CsvError::Unreadable(_))) | Err(_) => return back("csv_unreadable"),
    }
    let filename: String = filename
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let import = NewImport {
        created_by: Some(user.id),
        created_at: now_unix(),
        filename,
        content_hash: content_hash(&content),
        content,
    };
    match state.store.create_import(&import).await {
        Ok(id) => {
            tracing::info!(
                import = id,
                user = user.id,
                bytes = bytes.len(),
                "CSV uploaded"
            );
            Redirect::to(&format!("/admin/import/{id}")).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not store an upload");
            back("internal")
        }
    }
}
