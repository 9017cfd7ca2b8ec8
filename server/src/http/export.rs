//! CSV export of the responses a filter selects (the filters of the responses page and the
//! dashboard, in the query string), for managers and admins. Texts are masked for personal data
//! and every cell is safe to open in a spreadsheet: a cell that would start a formula is prefixed
//! with an apostrophe.

use crate::http::session::SessionUser;
use crate::http::state::WebState;
use app::model::{format_date, ResponseFilter};
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

/// Most rows in one export; narrow the filter for more.
pub const MAX_ROWS: usize = 100_000;
const PAGE: u32 = 500;

pub fn routes() -> Router<WebState> {
    Router::new().route("/responses/export.csv", get(export_csv))
}

/// A cell a spreadsheet will not run: text starting with = + - @ or a control character gets a
/// leading apostrophe (OWASP's advice against CSV injection).
pub fn safe_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

async fn export_csv(
    State(web): State<WebState>,
    SessionUser(user): SessionUser,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let state = web.app;
    let Some(user) = user else {
        return Redirect::to("/login?next=/responses").into_response();
    };
    // Department members export what was routed to their departments.
    let Ok(scope) = klantstem_core::inbox::feedback_scope(&state, &user).await else {
        return (
            StatusCode::FORBIDDEN,
            "Your account cannot export responses.",
        )
            .into_response();
    };
    let (mut filter, _) = ResponseFilter::from_query(|k| query.get(k).cloned());
    filter.departments = scope;
    filter.before = None;
    let taxonomy = state.analyzer.taxonomy().1;
    let locale = app::i18n::Locale::from_tag(query.get("lang").map(String::as_str).unwrap_or("nl"))
        .unwrap_or_default();
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let header_row = [
        "id",
        "date",
        "survey",
        "score",
        "rating",
        "group",
        "channel",
        "journey_phase",
        "language",
        "sentiment",
        "themes",
        "source",
        "text",
    ];
    if out.write_record(header_row).is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut rows = 0usize;
    loop {
        let page = match state.store.list_responses(&filter, PAGE).await {
            Ok(p) => p,
            Err(e) => {
                tracing::error!(error = %e, "export failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        };
        let Some(last) = page.last() else { break };
        filter.before = Some((last.created_at, last.id));
        for v in &page {
            let group = app::routing::score_group_name(v.score);
            let themes: Vec<String> = v
                .themes
                .iter()
                .map(|t| {
                    taxonomy
                        .theme(&t.key)
                        .map(|th| th.name(locale).to_string())
                        .unwrap_or_else(|| t.key.clone())
                })
                .collect();
            let survey = if locale == app::i18n::Locale::En && !v.survey_title_en.is_empty() {
                &v.survey_title_en
            } else {
                &v.survey_title_nl
            };
            let text = v
                .reason
                .as_deref()
                .map(|r| state.analyzer.mask_pii(r))
                .unwrap_or_default();
            let record = [
                v.id.to_string(),
                format_date(v.created_at),
                safe_cell(survey),
                v.score.map(|s| s.to_string()).unwrap_or_default(),
                v.rating.map(|r| r.to_string()).unwrap_or_default(),
                group.to_string(),
                v.channel.clone().unwrap_or_default(),
                v.journey_phase.clone().unwrap_or_default(),
                v.language.clone().unwrap_or_default(),
                v.sentiment.clone().unwrap_or_default(),
                safe_cell(&themes.join(", ")),
                v.source.clone(),
                safe_cell(&text),
            ];
            if out.write_record(&record).is_err() {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            rows += 1;
        }
        if rows >= MAX_ROWS || page.len() < PAGE as usize {
            break;
        }
    }
    let Ok(bytes) = out.into_inner() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    tracing::info!(user = user.id, rows, "responses exported");
    // A byte-order mark, so spreadsheets read the UTF-8 (and the semicolons Dutch Excel expects).
    let mut body = "\u{feff}".as_bytes().to_vec();
    body.extend(bytes);
    let filename = format!("klantstem-{}.csv", format_date(app::backend::now_unix()));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            safe_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        for start in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_cell(start).starts_with('\''), "{start:?}");
        }
        assert_eq!(safe_cell("Prima"), "Prima");
        assert_eq!(safe_cell(""), "");
    }
}
