//! The one error type of server functions: it knows its HTTP status and its message per language.

use crate::i18n::Locale;
use crate::i18n::{fill, LocaleTexts};
use crate::ingest::IngestError;
use crate::labels::Message;
use crate::questions::{QuestionEditError, QuestionError};
use crate::survey::{FormError, SurveyEditError};
use crate::taxonomy::TaxonomyError;
use domain::account::AccountError;
use domain::board_admin::BoardError;
use domain::idea::IdeaError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AppError {
    /// Not logged in.
    Unauthorized,
    /// Logged in, but the role does not allow this.
    Forbidden,
    NotFound,
    /// The submitted form has these problems.
    Invalid(Vec<FormError>),
    /// The theme an admin entered has these problems.
    InvalidTheme(Vec<TaxonomyError>),
    /// The survey a manager entered has these problems.
    InvalidSurvey(Vec<SurveyEditError>),
    /// Feedback entered by staff (or imported) has these problems.
    InvalidEntry(Vec<IngestError>),
    /// Answers to a survey's extra questions are missing or impossible.
    InvalidAnswers(Vec<QuestionError>),
    /// A question a manager added or changed has this problem.
    InvalidQuestion(QuestionEditError),
    /// Wrong e-mail or password; deliberately does not say which.
    InvalidCredentials,
    /// An API token needs a name of at most 80 characters and a known scope.
    InvalidTokenName,
    /// A mail's recipient is not an e-mail address.
    InvalidRecipient,
    /// A registration or password form has these problems.
    InvalidAccount(Vec<AccountError>),
    /// An idea, comment or status change has these problems.
    InvalidIdea(Vec<IdeaError>),
    /// A board, challenge or status an admin entered has these problems.
    InvalidBoard(Vec<BoardError>),
    /// A department, routing rule or case policy an admin entered has this problem.
    InvalidRouting(domain::routing::RoutingError),
    /// An inbox item or case change has this problem.
    InvalidInbox(domain::inbox::InboxError),
    /// A privacy request (export, erasure) has this problem.
    InvalidPrivacy(domain::privacy::PrivacyError),
    /// An improvement action's form has these problems.
    InvalidAction(Vec<domain::action::ActionError>),
    /// A webhook's form has these problems.
    InvalidWebhook(Vec<domain::webhook::WebhookError>),
    /// A customer whose e-mail address is not confirmed yet.
    Unverified,
    /// A verification or reset link that is unknown, used or expired.
    LinkInvalid,
    /// Staff tried what only customers do (vote, submit an idea).
    CustomersOnly,
    RateLimited {
        retry_after_secs: u64,
    },
    SurveyClosed,
    /// A failure on our side; the details are in the server log, not in the response.
    Internal,
    /// The request's arguments could not be read (malformed, duplicated or of the wrong type):
    /// the caller's mistake, answered with 400 and what was wrong.
    Malformed(String),
    /// The server-function machinery itself failed (network, ...).
    Transport(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::InvalidCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::SurveyClosed => 409,
            AppError::Invalid(_)
            | AppError::InvalidTheme(_)
            | AppError::InvalidSurvey(_)
            | AppError::InvalidEntry(_)
            | AppError::InvalidAnswers(_)
            | AppError::InvalidQuestion(_)
            | AppError::InvalidTokenName
            | AppError::InvalidRecipient
            | AppError::InvalidAccount(_)
            | AppError::InvalidIdea(_)
            | AppError::InvalidBoard(_)
            | AppError::InvalidRouting(_)
            | AppError::InvalidInbox(_)
            | AppError::InvalidPrivacy(_)
            | AppError::InvalidAction(_)
            | AppError::InvalidWebhook(_) => 422,
            AppError::Unverified | AppError::CustomersOnly => 403,
            AppError::LinkInvalid => 410,
            AppError::RateLimited { .. } => 429,
            AppError::Transport(_) | AppError::Malformed(_) => 400,
            AppError::Internal => 500,
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        let t = locale.texts();
        match self {
            AppError::Unauthorized => t.error_unauthorized.into(),
            AppError::Forbidden => t.forbidden_body.into(),
            AppError::NotFound => t.not_found_body.into(),
            AppError::Invalid(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidTheme(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidSurvey(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidEntry(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidAnswers(errors) => errors
                .first()
                .map(|e| e.message(locale))
                .unwrap_or_default(),
            AppError::InvalidQuestion(e) => e.message(locale),
            AppError::InvalidCredentials => t.error_invalid_credentials.into(),
            AppError::InvalidTokenName => t.api_token_name_error.into(),
            AppError::InvalidRecipient => t.error_invalid_recipient.into(),
            AppError::InvalidAccount(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidIdea(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidBoard(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidRouting(e) => e.message(locale),
            AppError::InvalidInbox(e) => e.message(locale),
            AppError::InvalidPrivacy(e) => e.message(locale),
            AppError::InvalidAction(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::InvalidWebhook(errors) => errors
                .iter()
                .map(|e| e.message(locale))
                .collect::<Vec<_>>()
                .join(" "),
            AppError::Unverified => t.error_unverified.into(),
            AppError::LinkInvalid => t.error_link_invalid.into(),
            AppError::CustomersOnly => t.error_customers_only.into(),
            AppError::RateLimited { retry_after_secs } if *retry_after_secs < 60 => fill(
                t.error_rate_limited_seconds,
                &[("seconds", retry_after_secs)],
            ),
            AppError::RateLimited { retry_after_secs } => {
                let minutes = retry_after_secs.div_ceil(60).max(1);
                fill(t.error_rate_limited_minutes, &[("minutes", &minutes)])
            }
            AppError::SurveyClosed => t.survey_closed.into(),
            AppError::Malformed(detail) => fill(t.error_malformed, &[("detail", detail)]),
            AppError::Internal | AppError::Transport(_) => t.error_generic.into(),
        }
    }

    /// A short code for URLs (errors of plain HTML form posts travel back in the query string).
    pub fn code(&self) -> String {
        match self {
            AppError::Unauthorized => "unauthorized".into(),
            AppError::Forbidden => "forbidden".into(),
            AppError::NotFound => "not_found".into(),
            AppError::Invalid(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidTheme(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidSurvey(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidEntry(errors) => errors
                .iter()
                .map(|e| format!("entry.{}", e.code()))
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidAnswers(errors) => errors
                .iter()
                .map(|e| match e {
                    QuestionError::Missing(q) => format!("answer.missing.{q}"),
                    QuestionError::Invalid(q) => format!("answer.invalid.{q}"),
                })
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidQuestion(e) => e.code().into(),
            AppError::InvalidCredentials => "credentials".into(),
            AppError::InvalidTokenName => "token_name".into(),
            AppError::InvalidRecipient => "recipient".into(),
            AppError::InvalidAccount(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidIdea(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidBoard(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidRouting(e) => e.code().into(),
            AppError::InvalidInbox(e) => e.code().into(),
            AppError::InvalidPrivacy(e) => e.code().into(),
            AppError::InvalidAction(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::InvalidWebhook(errors) => errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(","),
            AppError::Unverified => "unverified".into(),
            AppError::LinkInvalid => "link_invalid".into(),
            AppError::CustomersOnly => "customers_only".into(),
            AppError::RateLimited { retry_after_secs } => {
                format!("rate_limited:{retry_after_secs}")
            }
            AppError::SurveyClosed => "closed".into(),
            AppError::Malformed(_) => "malformed".into(),
            AppError::Internal | AppError::Transport(_) => "internal".into(),
        }
    }

    /// The inverse of [`AppError::code`]; unknown codes become `None`.
    pub fn from_code(code: &str) -> Option<AppError> {
        Some(match code {
            "" => return None,
            "unauthorized" => AppError::Unauthorized,
            "forbidden" => AppError::Forbidden,
            "not_found" => AppError::NotFound,
            "credentials" => AppError::InvalidCredentials,
            "token_name" => AppError::InvalidTokenName,
            "recipient" => AppError::InvalidRecipient,
            "unverified" => AppError::Unverified,
            "link_invalid" => AppError::LinkInvalid,
            "customers_only" => AppError::CustomersOnly,
            "closed" => AppError::SurveyClosed,
            "internal" => AppError::Internal,
            _ => {
                if let Some(secs) = code.strip_prefix("rate_limited:") {
                    AppError::RateLimited {
                        retry_after_secs: secs.parse().ok()?,
                    }
                } else if code.starts_with("answer.") {
                    let errors: Option<Vec<QuestionError>> = code
                        .split(',')
                        .map(|c| {
                            let (kind, q) = c.strip_prefix("answer.")?.split_once('.')?;
                            let q = q.parse().ok()?;
                            match kind {
                                "missing" => Some(QuestionError::Missing(q)),
                                "invalid" => Some(QuestionError::Invalid(q)),
                                _ => None,
                            }
                        })
                        .collect();
                    AppError::InvalidAnswers(errors?)
                } else if let Some(e) = QuestionEditError::from_code(code) {
                    AppError::InvalidQuestion(e)
                } else if code.starts_with("entry.") {
                    let errors: Option<Vec<IngestError>> = code
                        .split(',')
                        .map(|c| c.strip_prefix("entry.").and_then(IngestError::from_code))
                        .collect();
                    AppError::InvalidEntry(errors?)
                } else if let Some(e) = domain::routing::RoutingError::from_code(code) {
                    AppError::InvalidRouting(e)
                } else if let Some(e) = domain::inbox::InboxError::from_code(code) {
                    AppError::InvalidInbox(e)
                } else if let Some(e) = domain::privacy::PrivacyError::from_code(code) {
                    AppError::InvalidPrivacy(e)
                } else if code.starts_with("action_") {
                    let errors: Option<Vec<domain::action::ActionError>> = code
                        .split(',')
                        .map(domain::action::ActionError::from_code)
                        .collect();
                    AppError::InvalidAction(errors?)
                } else if code.starts_with("webhook_") {
                    let errors: Option<Vec<domain::webhook::WebhookError>> = code
                        .split(',')
                        .map(domain::webhook::WebhookError::from_code)
                        .collect();
                    AppError::InvalidWebhook(errors?)
                } else if code.starts_with("account_") {
                    let errors: Option<Vec<AccountError>> =
                        code.split(',').map(AccountError::from_code).collect();
                    AppError::InvalidAccount(errors?)
                } else if code.starts_with("board_") {
                    let errors: Option<Vec<BoardError>> =
                        code.split(',').map(BoardError::from_code).collect();
                    AppError::InvalidBoard(errors?)
                } else if code.starts_with("idea_") {
                    let errors: Option<Vec<IdeaError>> =
                        code.split(',').map(IdeaError::from_code).collect();
                    AppError::InvalidIdea(errors?)
                } else if code.starts_with("survey_") {
                    let errors: Option<Vec<SurveyEditError>> =
                        code.split(',').map(SurveyEditError::from_code).collect();
                    AppError::InvalidSurvey(errors?)
                } else if code.starts_with("theme_") || code == "too_many_themes" {
                    let errors: Option<Vec<TaxonomyError>> =
                        code.split(',').map(TaxonomyError::from_code).collect();
                    AppError::InvalidTheme(errors?)
                } else {
                    let errors: Option<Vec<FormError>> =
                        code.split(',').map(FormError::from_code).collect();
                    AppError::Invalid(errors?)
                }
            }
        })
    }

    /// The problems with extra questions, if that is what this error is about.
    pub fn answer_errors(&self) -> &[QuestionError] {
        match self {
            AppError::InvalidAnswers(errors) => errors,
            _ => &[],
        }
    }

    pub fn form_errors(&self) -> &[FormError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // On the server these mean the caller sent arguments that do not fit the function:
            // a 400 with what was wrong, logged so an operator sees odd clients.
            // (Deserialization on the server is the request body: not UTF-8, or cut off.)
            ServerFnErrorErr::Args(detail)
            | ServerFnErrorErr::MissingArg(detail)
            | ServerFnErrorErr::Deserialization(detail)
                if cfg!(feature = "ssr") =>
            {
                #[cfg(feature = "ssr")]
                malformed_request(&detail);
                AppError::Malformed(detail)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// Sets the status of a server function whose arguments could not be read (the server-function
/// machinery answers 500 otherwise) and logs the request.
#[cfg(feature = "ssr")]
fn malformed_request(detail: &str) {
    use leptos::prelude::use_context;
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::BAD_REQUEST);
    }
    let path = use_context::<http::request::Parts>()
        .map(|p| p.uri.path().to_string())
        .unwrap_or_default();
    tracing::warn!(
        path,
        error = detail,
        "malformed server-function arguments refused"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for e in [
            AppError::Unauthorized,
            AppError::InvalidCredentials,
            AppError::InvalidTokenName,
            AppError::InvalidRecipient,
            AppError::RateLimited {
                retry_after_secs: 120,
            },
            AppError::Invalid(vec![FormError::ScoreMissing, FormError::EmailInvalid]),
            AppError::SurveyClosed,
            AppError::InvalidTheme(vec![TaxonomyError::KeyTaken, TaxonomyError::NameMissing]),
            AppError::InvalidSurvey(vec![SurveyEditError::SlugTaken]),
            AppError::InvalidEntry(vec![IngestError::ScoreInvalid, IngestError::EmailInvalid]),
            AppError::InvalidAnswers(vec![QuestionError::Missing(3), QuestionError::Invalid(12)]),
            AppError::InvalidQuestion(QuestionEditError::Frozen),
            AppError::InvalidQuestion(QuestionEditError::TooMany),
            AppError::InvalidAccount(vec![AccountError::EmailInvalid, AccountError::NameMissing]),
            AppError::InvalidIdea(vec![IdeaError::TitleTooShort, IdeaError::BodyTooLong]),
            AppError::InvalidBoard(vec![BoardError::SlugTaken, BoardError::DateInvalid]),
            AppError::Unverified,
            AppError::LinkInvalid,
            AppError::CustomersOnly,
            AppError::InvalidPrivacy(domain::privacy::PrivacyError::NotConfirmed),
        ] {
            assert_eq!(AppError::from_code(&e.code()), Some(e));
        }
        assert_eq!(AppError::from_code("nonsense"), None);
    }

    #[test]
    fn rate_limit_message_rounds_up_to_minutes() {
        let e = AppError::RateLimited {
            retry_after_secs: 61,
        };
        assert!(e.message(Locale::Nl).contains("2 minuten"));
    }
}
