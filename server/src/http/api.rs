//! The REST API for feedback gathered elsewhere: `POST /api/v1/responses` (one record or a batch)
//! with bearer tokens that admins create and revoke, and `Idempotency-Key` so retries never store
//! twice. Described by the OpenAPI document at `/api/openapi.json`.
//!
//! A batch is checked as a whole first: if any record is wrong nothing is stored and the answer
//! lists every problem per record; otherwise all records are stored in one transaction.

use crate::http::state::WebState;
use app::backend::to_new_response;
use app::backend::{now_unix, sha256_hex, token_hash, AppState, StoreError, StoredAnswer};
use app::i18n::Locale;
use app::ingest::{validate, IngestError, RawResponse, ValidResponse, BATCH_MAX};
use app::labels::Message;
use app::model::ApiToken;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Largest API request body: a full batch of long comments fits.
pub const MAX_API_BODY_BYTES: usize = 1024 * 1024;
pub const SCOPE_RESPONSES_WRITE: &str = "responses:write";
const IDEMPOTENCY_KEY_MAX: usize = 255;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/api/v1/responses", post(post_responses))
        .route("/api/openapi.json", get(openapi))
}

/// An API failure: an HTTP status and a JSON body `{"error": code, "message": text, ...}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str, message: &str) -> Self {
        ApiError {
            status,
            body: json!({ "error": code, "message": message }),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "storage failure in the API");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side; the request can be retried.",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"klantstem\""),
            );
        }
        res
    }
}

/// The token of a request, if it is known, unrevoked and has `scope`.
pub(crate) async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    scope: &str,
) -> Result<ApiToken, ApiError> {
    let unauthorized =
        |code: &str, message: &str| ApiError::new(StatusCode::UNAUTHORIZED, code, message);
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            unauthorized(
                "token_missing",
                "Send an API token: Authorization: Bearer <token>.",
            )
        })?;
    if raw.len() > 100 {
        return Err(unauthorized(
            "token_unknown",
            "This API token is not known.",
        ));
    }
    let token = state
        .store
        .api_token_by_hash(&token_hash(raw))
        .await?
        .ok_or_else(|| unauthorized("token_unknown", "This API token is not known."))?;
    if token.revoked_at.is_some() {
        return Err(unauthorized(
            "token_revoked",
            "This API token has been revoked.",
        ));
    }
    if !token.allows(scope) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "scope_missing",
            &format!("This API token lacks the scope {scope}."),
        ));
    }
    state.store.touch_api_token(token.id, now_unix()).await?;
    Ok(token)
}

/// A JSON value as text, the way a form or CSV would carry it.
fn as_text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        // JSON does not tell 5 from 5.0 (nor does the schema's "integer"): a whole number
        // written with a fraction reads as the integer.
        Some(Value::Number(n)) => whole(n).map_or_else(|| n.to_string(), |i| i.to_string()),
        Some(other) => other.to_string(),
    }
}

/// A whole number written with a fraction (`5.0`) as the integer it is.
fn whole(n: &serde_json::Number) -> Option<i64> {
    let f = n.as_f64().filter(|_| n.is_f64())?;
    (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// 1 to 255 visible ASCII characters, no spaces: the OpenAPI document's pattern.
fn idempotency_key_ok(key: &str) -> bool {
    (1..=IDEMPOTENCY_KEY_MAX).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Reads one record; unknown fields are refused so typos do not silently lose data.
fn raw_record(v: &Value) -> Result<RawResponse, String> {
    let Value::Object(map) = v else {
        return Err("each record must be a JSON object".into());
    };
    if let Some(unknown) = map
        .keys()
        .find(|k| !RawResponse::FIELDS.contains(&k.as_str()))
    {
        return Err(format!("unknown field {unknown:?}"));
    }
    // The JSON types the OpenAPI document states; null counts as absent.
    for (field, value) in map {
        let fits = match (field.as_str(), value) {
            (_, Value::Null) => true,
            ("score" | "rating", Value::Number(n)) => {
                n.is_i64() || n.is_u64() || whole(n).is_some()
            }
            ("score" | "rating", _) => false,
            ("submitted_at", Value::Number(n)) => n.is_i64() || n.is_u64() || whole(n).is_some(),
            ("submitted_at", v) => v.is_string(),
            ("consent", v) => v.is_boolean() || v.is_string(),
            (_, v) => v.is_string(),
        };
        if !fits {
            let wanted = match field.as_str() {
                "score" | "rating" => "an integer",
                "submitted_at" => "an integer or a string",
                "consent" => "a boolean or a string",
                _ => "a string",
            };
            return Err(format!("{field:?} must be {wanted}"));
        }
    }
    Ok(RawResponse::from_fields(|k| as_text(map.get(k))))
}

#[derive(Serialize)]
struct FieldProblem {
    field: &'static str,
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct RecordProblems {
    index: usize,
    errors: Vec<FieldProblem>,
}

async fn post_responses(
    State(web): State<WebState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let state = web.app;
    let token = authorize(&state, &headers, SCOPE_RESPONSES_WRITE).await?;
    if let Err(wait) = state.api_limiter.hit(&format!("token:{}", token.id)) {
        let secs = wait.as_secs().max(1);
        let mut res = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            &format!("Too many requests for this token; retry in {secs} s."),
        )
        .into_response();
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        return Ok(res);
    }
    let idempotency_key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let key = v.to_str().unwrap_or("");
            if !idempotency_key_ok(key) {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "idempotency_key_invalid",
                    "The Idempotency-Key header must have 1 to 255 visible characters (letters, digits, punctuation; no spaces).",
                ));
            }
            Some(key.to_string())
        }
    };
    let request_hash = sha256_hex(&body);
    if let Some(key) = &idempotency_key {
        if let Some(stored) = state.store.stored_answer(token.id, key).await? {
            if stored.request_hash != request_hash {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "idempotency_key_reused",
                    "This Idempotency-Key was used for a different request.",
                ));
            }
            let mut res = (
                StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK),
                [(header::CONTENT_TYPE, "application/json")],
                stored.body,
            )
                .into_response();
            res.headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            return Ok(res);
        }
    }

    let json: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            &format!("The body is not valid JSON: {e}"),
        )
    })?;
    // One record, or {"responses": [...]}.
    let (records, batch) = match &json {
        Value::Object(map) if map.contains_key("responses") => match map.get("responses") {
            Some(Value::Array(items)) if map.len() == 1 => (items.clone(), true),
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_batch",
                    "A batch is {\"responses\": [ ... ]} and nothing else.",
                ))
            }
        },
        Value::Object(_) => (vec![json.clone()], false),
        _ => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_body",
                "Send one record as a JSON object, or {\"responses\": [ ... ]}.",
            ))
        }
    };
    if records.is_empty() || records.len() > BATCH_MAX {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "batch_size",
            &format!("A batch holds 1 to {BATCH_MAX} records."),
        ));
    }

    // Check everything before storing anything.
    let now = now_unix();
    let locale = Locale::En;
    let mut problems: Vec<RecordProblems> = Vec::new();
    let mut valid: Vec<ValidResponse> = Vec::new();
    let mut surveys: HashMap<String, Option<i64>> = HashMap::new();
    let taxonomy = state.analyzer.taxonomy().1;
    for (index, record) in records.iter().enumerate() {
        let raw = match raw_record(record) {
            Ok(r) => r,
            Err(message) => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_record",
                    &format!("Record {index}: {message}."),
                ))
            }
        };
        let mut errors = match validate(&raw, now, &|k| taxonomy.theme(k).is_some()) {
            Ok(v) => {
                let survey_id = match surveys.get(&v.survey) {
                    Some(id) => *id,
                    None => {
                        let id = state.store.survey_by_slug(&v.survey).await?.map(|s| s.id);
                        surveys.insert(v.survey.clone(), id);
                        id
                    }
                };
                if survey_id.is_some() {
                    valid.push(v);
                    continue;
                }
                vec![IngestError::SurveyUnknown]
            }
            Err(errors) => errors,
        };
        errors.dedup();
        problems.push(RecordProblems {
            index,
            errors: errors
                .into_iter()
                .map(|e| FieldProblem {
                    field: e.field(),
                    code: e.code(),
                    message: e.message(locale),
                })
                .collect(),
        });
    }
    if !problems.is_empty() {
        let body = json!({
            "error": "invalid",
            "message": format!("{} of {} records have problems; nothing was stored.", problems.len(), records.len()),
            "records": problems,
        });
        return Err(ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            body,
        });
    }

    // Analyse (CPU work, off the async threads) and store in one transaction.
    let analyzer = state.analyzer.clone();
    let key = state.customer_key.clone();
    let token_id = token.id;
    let idem = idempotency_key.clone();
    let new_responses = tokio::task::spawn_blocking(move || {
        valid
            .into_iter()
            .enumerate()
            .map(|(index, v)| {
                let survey_id = surveys[&v.survey].expect("checked above");
                // The same record sent again is stored once: by its external id, else by the
                // request's idempotency key and its place in the batch.
                let token = match (&v.external_id, &idem) {
                    (Some(ext), _) => format!("ext:{}", sha256_hex(ext.as_bytes())),
                    (None, Some(k)) => format!(
                        "idem:{}",
                        sha256_hex(format!("{token_id}\n{k}\n{index}").as_bytes())
                    ),
                    (None, None) => app::backend::random_token(),
                };
                to_new_response(&*analyzer, &key, survey_id, v, now, token, "api")
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(StoreError::backend)?;
    let inserted = state.store.insert_responses(&new_responses).await?;
    let created = inserted.iter().filter(|i| !i.duplicate).count();
    let results: Vec<Value> = inserted
        .iter()
        .enumerate()
        .map(|(index, i)| {
            json!({
                "index": index,
                "id": i.id,
                "status": if i.duplicate { "duplicate" } else { "created" },
            })
        })
        .collect();
    let body = if batch {
        json!({ "created": created, "duplicates": inserted.len() - created, "results": results })
    } else {
        results.into_iter().next().unwrap_or(Value::Null)
    };
    let status = if created > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let body = body.to_string();
    if let Some(key) = &idempotency_key {
        let answer = StoredAnswer {
            request_hash,
            status: status.as_u16(),
            body: body.clone(),
        };
        state
            .store
            .store_answer(token.id, key, &answer, now)
            .await?;
    }
    tracing::info!(
        token = token.id,
        created,
        total = inserted.len(),
        "responses ingested via the API"
    );
    Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn openapi() -> Response {
    let record = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["survey"],
        // Open feedback may come without a score, but not without anything.
        "anyOf": [{ "required": ["score"] }, { "required": ["rating"] }, { "required": ["comment"] }],
        "properties": {
            "survey": { "type": "string", "minLength": 1, "maxLength": app::survey::SLUG_MAX_CHARS, "pattern": "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", "description": "The survey's slug, e.g. klantenservice." },
            "score": { "type": "integer", "minimum": 0, "maximum": 10, "description": "NPS score; leave it out for feedback without one (a complaint mail, a chat, a review): it then counts in themes, sentiment and routing, not in the NPS." },
            "sentiment": { "type": "string", "enum": ["negative", "neutral", "positive", "negatief", "neutraal", "positief"], "description": "A person's label of the text's sentiment: kept as a correction that every retagging keeps, and learned from." },
            "themes": { "type": "string", "maxLength": 2000, "description": "A person's theme labels: the taxonomy keys that apply, comma-separated (`none` for none); the text's themes become exactly these, kept as corrections." },
            "rating": { "type": "integer", "minimum": 1, "maximum": 5, "description": "A star rating (CSAT, 1-5) besides or instead of the score, e.g. of an app-store review." },
            "comment": { "type": "string", "maxLength": app::survey::REASON_MAX_CHARS, "description": "The customer's own words." },
            "channel": { "type": "string", "enum": app::survey::Channel::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>() },
            "journey_phase": { "type": "string", "enum": app::survey::JourneyPhase::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>() },
            "language": { "type": "string", "enum": ["nl", "en"], "description": "Language the customer used; context for text analysis." },
            "submitted_at": {
                "oneOf": [
                    { "type": "integer", "minimum": app::ingest::EARLIEST, "maximum": 4_102_444_800_i64 },
                    { "type": "string", "pattern": "^([0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?)$" }
                ],
                "description": "Unix seconds, YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339 (no offset: UTC), from 2000-01-01 up to now (a few minutes of clock skew allowed; a later time is refused)."
            },
            "customer_ref": { "type": "string", "maxLength": app::ingest::REFERENCE_MAX_CHARS, "description": "The customer's id in your system; recognises them across channels (stored as a keyed hash, in plain only with consent)." },
            "customer_email": { "type": "string", "format": "email" },
            "consent": { "type": ["boolean", "string"], "description": "The customer agreed to be contacted and to have their reference kept." },
            "external_id": { "type": "string", "maxLength": app::ingest::EXTERNAL_ID_MAX_CHARS, "description": "Your id of this record: the same id is stored once." }
        }
    });
    let (idea_paths, idea_schemas) = super::ideas_api::openapi_paths();
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "Klantstem API", "version": "1" },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Response": record,
                "Error": { "type": "object", "properties": { "error": { "type": "string" }, "message": { "type": "string" }, "records": { "type": "array" } } }
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/api/v1/responses": {
                "post": {
                    "summary": "Store feedback gathered elsewhere: one record, or up to 500 as {\"responses\": [...]}. Needs the responses:write scope.",
                    "parameters": [{
                        "name": "Idempotency-Key", "in": "header", "required": false,
                        "schema": { "type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX, "pattern": "^[!-~]+$" },
                        "description": "A retry with the same key and body gets the first answer again and stores nothing new."
                    }],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "oneOf": [
                            { "$ref": "#/components/schemas/Response" },
                            { "type": "object", "additionalProperties": false, "required": ["responses"], "properties": { "responses": { "type": "array", "minItems": 1, "maxItems": BATCH_MAX, "items": { "$ref": "#/components/schemas/Response" } } } }
                        ]
                    } } } },
                    "responses": {
                        "201": { "description": "Stored (per record: created or duplicate)." },
                        "200": { "description": "Every record was stored before (duplicates)." },
                        "400": { "description": "Malformed JSON or body.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "401": { "description": "Token missing, unknown or revoked." },
                        "403": { "description": "Token lacks the scope." },
                        "413": { "description": "Body over 1 MiB." },
                        "422": { "description": "Records with problems (nothing stored), or a reused idempotency key.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                    }
                }
            }
        }
    });
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), idea_paths) {
        paths.extend(more);
    }
    if let (Some(schemas), Value::Object(more)) =
        (doc["components"]["schemas"].as_object_mut(), idea_schemas)
    {
        schemas.extend(more);
    }
    axum::Json(doc).into_response()
}
