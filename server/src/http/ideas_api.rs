//! The REST API for ideas: list and search them with votes and status (`ideas:read`), submit one
//! on behalf of a customer from a support tool, and change a status with a public message
//! (`ideas:write`). Described in the OpenAPI document beside the responses API.

use super::api::{authorize, ApiError};
use crate::http::state::WebState;
use app::backend::now_unix;
use app::i18n::Locale;
use app::idea::{IdeaCard, IdeaError, IdeaForm, IdeaQuery};
use app::labels::Message;
use app::model::{Role, UserInfo};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use klantstem_core::ideas::{IdeaUseError, Submitted};
use serde_json::{json, Value};
use std::collections::HashMap;

pub const SCOPE_IDEAS_READ: &str = "ideas:read";
pub const SCOPE_IDEAS_WRITE: &str = "ideas:write";

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/api/v1/ideas", get(list_ideas).post(create_idea))
        .route("/api/v1/ideas/{id}/status", post(change_status))
}

fn card_json(base: &str, c: &IdeaCard) -> Value {
    json!({
        "id": c.id,
        "board": c.board_slug,
        "title": c.title,
        "status": c.status,
        "votes": c.votes,
        "comments": c.comments,
        "created_at": c.created_at,
        "url": format!("{base}/ideas/{}/{}", c.board_slug, c.id),
    })
}

fn idea_error(e: IdeaUseError) -> ApiError {
    match e {
        IdeaUseError::NotFound => {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such board or idea.")
        }
        IdeaUseError::Invalid(errors) => invalid(
            errors
                .iter()
                .map(|e| (e.code(), e.message(Locale::En)))
                .collect(),
        ),
        IdeaUseError::InvalidCustomer(errors) => invalid(
            errors
                .iter()
                .map(|e| (e.code(), e.message(Locale::En)))
                .collect(),
        ),
        IdeaUseError::Store(e) => e.into(),
        IdeaUseError::SignInRequired | IdeaUseError::Forbidden | IdeaUseError::Unverified => {
            ApiError::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed.")
        }
    }
}

fn invalid(problems: Vec<(&'static str, String)>) -> ApiError {
    let message = problems
        .iter()
        .map(|p| p.1.clone())
        .collect::<Vec<_>>()
        .join(" ");
    let code = problems.first().map_or("invalid", |p| p.0);
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, &message)
}

fn body_json(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed",
            "Send a JSON object.",
        )),
    }
}

/// A string field of at most `max` characters (absent: empty).
fn text(map: &serde_json::Map<String, Value>, key: &str, max: usize) -> Result<String, ApiError> {
    match map.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(s.clone()),
        Some(Value::String(_)) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "too_long",
            &format!("\"{key}\" has at most {max} characters."),
        )),
        Some(_) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_string",
            &format!("\"{key}\" must be a string."),
        )),
    }
}

fn only_keys(map: &serde_json::Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_field",
            &format!("Unknown field \"{k}\"."),
        )),
        None => Ok(()),
    }
}

/// `GET /api/v1/ideas?board=&q=&status=&theme=&sort=&page=`
async fn list_ideas(
    State(web): State<WebState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let state = web.app;
    authorize(&state, &headers, SCOPE_IDEAS_READ).await?;
    if let Some(sort) = params
        .get("sort")
        .filter(|s| app::idea::IdeaSort::parse(s).is_none())
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "sort_unknown",
            &format!("Unknown sort \"{sort}\": use trending, top or new."),
        ));
    }
    let refuse = |code: &str, message: &str| {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            message,
        ))
    };
    if params
        .get("q")
        .is_some_and(|q| q.chars().count() > app::idea::SEARCH_MAX_CHARS)
    {
        return refuse(
            "q_too_long",
            &format!(
                "\"q\" has at most {} characters.",
                app::idea::SEARCH_MAX_CHARS
            ),
        );
    }
    if params
        .get("page")
        .is_some_and(|p| p.parse::<u32>().map_or(true, |p| p > 10_000))
    {
        return refuse(
            "page_invalid",
            "\"page\" is a whole number from 0 to 10000.",
        );
    }
    for key in ["status", "theme"] {
        if params.get(key).is_some_and(|v| !app::idea::is_key(v)) {
            return refuse(
                "key_invalid",
                &format!("\"{key}\" is a key: lower-case letters, digits and _ (at most 40)."),
            );
        }
    }
    let query = IdeaQuery::from_params(|k| params.get(k).cloned());
    let board = params
        .get("board")
        .map(String::as_str)
        .filter(|b| !b.is_empty());
    let (ideas, total) = klantstem_core::ideas::list_for_api(&state, board, &query)
        .await
        .map_err(idea_error)?;
    let base = app::backend::public_base(&headers, &state.settings);
    Ok(Json(json!({
        "ideas": ideas.iter().map(|c| card_json(&base, c)).collect::<Vec<_>>(),
        "total": total,
        "page": query.page,
        "page_size": app::idea::PAGE_SIZE,
    }))
    .into_response())
}

/// `POST /api/v1/ideas` `{board, title, description?, customer_email, customer_name?, language?}`
async fn create_idea(
    State(web): State<WebState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let state = web.app;
    authorize(&state, &headers, SCOPE_IDEAS_WRITE).await?;
    let map = body_json(&body)?;
    only_keys(
        &map,
        &[
            "board",
            "title",
            "description",
            "customer_email",
            "customer_name",
            "language",
        ],
    )?;
    let board = text(&map, "board", 64)?;
    let form = IdeaForm {
        title: Some(text(&map, "title", app::idea::TITLE_MAX_CHARS)?),
        body: Some(text(&map, "description", app::idea::BODY_MAX_CHARS)?),
    };
    let email = text(&map, "customer_email", app::survey::EMAIL_MAX_CHARS)?;
    let name = text(&map, "customer_name", app::account::NAME_MAX_CHARS)?;
    let locale = match text(&map, "language", 8)?.as_str() {
        "" => Locale::default(),
        "nl" => Locale::Nl,
        "en" => Locale::En,
        _ => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "language_unknown",
                "\"language\" is nl or en.",
            ))
        }
    };
    let base = app::backend::public_base(&headers, &state.settings);
    let mail = app::mail::context(base.clone());
    match klantstem_core::ideas::submit_on_behalf(&state, &board, &email, &name, form, locale, &mail).await {
        Ok(Submitted::Stored { id, pending }) => Ok((
            StatusCode::CREATED,
            Json(json!({ "id": id, "pending": pending, "url": format!("{base}/ideas/{board}/{id}") })),
        )
            .into_response()),
        Ok(Submitted::Similar(_)) => Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Unexpected.")),
        Err(e) => Err(idea_error(e)),
    }
}

/// `POST /api/v1/ideas/{id}/status` `{status, message?}`: in the name of the token's creator.
async fn change_status(
    State(web): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let state = web.app;
    let token = authorize(&state, &headers, SCOPE_IDEAS_WRITE).await?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such idea.",
        ));
    };
    let map = body_json(&body)?;
    only_keys(&map, &["status", "message"])?;
    let status = text(&map, "status", 40)?;
    let message = text(&map, "message", app::idea::STATUS_MESSAGE_MAX_CHARS)?;
    let Some(creator) = token.created_by else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "token_orphaned",
            "The admin who created this token no longer exists; create a new token.",
        ));
    };
    // The API acts for the company: as the admin who made the token.
    let actor = UserInfo {
        id: creator,
        email: String::new(),
        display_name: token.name.clone(),
        role: Role::Admin,
    };
    let base = app::backend::public_base(&headers, &state.settings);
    let mail = app::mail::context(base.clone());
    klantstem_core::ideas::change_status(&state, &actor, id, &status, &message, &mail)
        .await
        .map_err(idea_error)?;
    let idea = state
        .store
        .idea(id)
        .await?
        .ok_or_else(|| idea_error(IdeaUseError::NotFound))?;
    tracing::info!(
        idea = id,
        status,
        token = token.id,
        at = now_unix(),
        "status changed through the API"
    );
    Ok(
        Json(json!({ "id": id, "status": idea.status, "message": idea.status_message }))
            .into_response(),
    )
}

/// The ideas part of the OpenAPI document: (paths, schemas).
pub fn openapi_paths() -> (Value, Value) {
    let idea = json!({
        "type": "object",
        "properties": {
            "id": { "type": "integer" }, "board": { "type": "string" }, "title": { "type": "string" },
            "status": { "type": "string" }, "votes": { "type": "integer" }, "comments": { "type": "integer" },
            "created_at": { "type": "integer" }, "url": { "type": "string" }
        }
    });
    let new_idea = json!({
        "type": "object", "additionalProperties": false,
        "required": ["board", "title", "customer_email"],
        "properties": {
            "board": { "type": "string", "description": "The board's or challenge's slug." },
            "title": { "type": "string", "minLength": app::idea::TITLE_MIN_CHARS, "maxLength": app::idea::TITLE_MAX_CHARS },
            "description": { "type": "string", "maxLength": app::idea::BODY_MAX_CHARS },
            "customer_email": { "type": "string", "format": "email", "description": "The customer the idea is theirs: recognised by address, or given an account they confirm by mail." },
            "customer_name": { "type": "string", "maxLength": app::account::NAME_MAX_CHARS },
            "language": { "type": "string", "enum": ["nl", "en"] }
        }
    });
    let status_change = json!({
        "type": "object", "additionalProperties": false, "required": ["status"],
        "properties": {
            "status": { "type": "string", "description": "A status key: new, under_review, planned, in_progress, done, declined, or one an admin added." },
            "message": { "type": "string", "maxLength": app::idea::STATUS_MESSAGE_MAX_CHARS, "description": "A public message: the idea's official answer; voters and followers are notified." }
        }
    });
    let err = json!({ "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } });
    let paths = json!({
        "/api/v1/ideas": {
            "get": {
                "summary": "List and search ideas with their votes and status. Needs ideas:read (or ideas:write).",
                "parameters": [
                    { "name": "board", "in": "query", "schema": { "type": "string" } },
                    { "name": "q", "in": "query", "schema": { "type": "string", "maxLength": app::idea::SEARCH_MAX_CHARS } },
                    { "name": "status", "in": "query", "schema": { "type": "string", "minLength": 1, "maxLength": 40 }, "description": "A key: lower-case letters, digits and _." },
                    { "name": "theme", "in": "query", "schema": { "type": "string", "minLength": 1, "maxLength": 40 }, "description": "A key: lower-case letters, digits and _." },
                    { "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["trending", "top", "new"] } },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 10000 } }
                ],
                "responses": {
                    "200": { "description": "A page of ideas.", "content": { "application/json": { "schema": { "type": "object", "properties": { "ideas": { "type": "array", "items": { "$ref": "#/components/schemas/Idea" } }, "total": { "type": "integer" } } } } } },
                    "401": { "description": "Token missing, unknown or revoked." },
                    "403": { "description": "Token lacks the scope." },
                    "404": { "description": "No such board.", "content": err },
                    "422": { "description": "Unknown sort, or a parameter out of its bounds.", "content": err }
                }
            },
            "post": {
                "summary": "Submit an idea on behalf of a customer (e.g. from a support tool). Needs ideas:write.",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewIdea" } } } },
                "responses": {
                    "201": { "description": "Stored (pending: waits for moderation)." },
                    "400": { "description": "Not a JSON object.", "content": err },
                    "401": { "description": "Token missing, unknown or revoked." },
                    "403": { "description": "Token lacks the scope." },
                    "404": { "description": "No such board.", "content": err },
                    "422": { "description": "Title, description or customer with problems, or a closed challenge.", "content": err }
                }
            }
        },
        "/api/v1/ideas/{id}/status": {
            "post": {
                "summary": "Change an idea's status, optionally with a public message. Needs ideas:write.",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StatusChange" } } } },
                "responses": {
                    "200": { "description": "Changed; voters and followers are notified." },
                    "400": { "description": "Not a JSON object.", "content": err },
                    "401": { "description": "Token missing, unknown or revoked." },
                    "403": { "description": "Token lacks the scope." },
                    "404": { "description": "No such idea.", "content": err },
                    "422": { "description": "Unknown status or a message too long.", "content": err }
                }
            }
        }
    });
    let schemas = json!({ "Idea": idea, "NewIdea": new_idea, "StatusChange": status_change });
    (paths, schemas)
}

impl From<IdeaError> for ApiError {
    fn from(e: IdeaError) -> Self {
        invalid(vec![(e.code(), e.message(Locale::En))])
    }
}
