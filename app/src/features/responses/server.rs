//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::ResponseDetail;
use crate::model::ResponsesPage;
use leptos::prelude::*;
use serde::Deserialize;
use serde::Serialize;

#[cfg(feature = "ssr")]
pub const PAGE_SIZE: u32 = 25;

#[server(endpoint = "responses/list")]
pub async fn list_responses(
    q: Option<String>,
    survey: Option<String>,
    channel: Option<String>,
    phase: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    group: Option<String>,
    from: Option<String>,
    to: Option<String>,
    customer: Option<String>,
    before: Option<String>,
) -> Result<ResponsesPage, AppError> {
    use crate::backend::*;
    use crate::model::ResponseFilter;
    let user = require(crate::model::Role::sees_feedback).await?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let raw = [
        ("q", q),
        ("survey", survey),
        ("channel", channel),
        ("phase", phase),
        ("language", language),
        ("theme", theme),
        ("group", group),
        ("from", from),
        ("to", to),
        ("customer", customer),
        ("before", before),
    ];
    let (mut filter, ignored) = ResponseFilter::from_args(&raw);
    let state = state()?;
    filter.departments = klantstem_core::inbox::feedback_scope(&state, &user)
        .await
        .or_else(|_| fail(AppError::Forbidden))?;
    let page = klantstem_core::responses::page(&state, &filter, PAGE_SIZE, locale).await?;
    Ok(ResponsesPage { ignored, ..page })
}

#[server(endpoint = "responses/get")]
pub async fn get_response(id: Option<String>) -> Result<ResponseDetail, AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_feedback).await?;
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    // Another department's response is as absent as one that does not exist.
    if !klantstem_core::inbox::may_read_response(&state()?, &user, id)
        .await
        .unwrap_or(false)
    {
        return fail(AppError::NotFound);
    }
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    match klantstem_core::responses::detail(&state()?, id, locale).await? {
        Some(detail) => {
            // A customer's words and contact details: who opened them is logged.
            klantstem_core::privacy::record_view(&state()?, &user, format!("response {id}"))
                .await?;
            Ok(detail)
        }
        None => fail(AppError::NotFound),
    }
}

#[server(endpoint = "responses/theme")]
pub async fn correct_response_theme(
    id: Option<String>,
    key: Option<String>,
    action: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    let key = key.unwrap_or_default();
    let applies = match action.as_deref() {
        Some("add") => true,
        Some("remove") => false,
        _ => return fail(AppError::Malformed("action must be add or remove".into())),
    };
    // Only themes of the taxonomy can be added; any theme on the response can be removed.
    if !crate::taxonomy::is_valid_key(&key)
        || (applies && state.analyzer.taxonomy().1.theme(&key).is_none())
    {
        return fail(AppError::NotFound);
    }
    let correction = ThemeCorrection {
        response_id: id,
        theme_key: key,
        applies,
        user_id: user.id,
        created_at: now_unix(),
    };
    if !state.store.correct_theme(&correction).await? {
        return fail(AppError::NotFound);
    }
    tracing::info!(
        response = id,
        theme = correction.theme_key,
        applies,
        user = user.id,
        "theme corrected"
    );
    leptos_axum::redirect(&format!("/responses/{id}"));
    Ok(())
}

#[server(endpoint = "entry/form")]
pub async fn get_entry_form() -> Result<EntryForm, AppError> {
    use crate::backend::*;
    require(crate::model::Role::enters_feedback).await?;
    let state = state()?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let surveys = klantstem_core::surveys::titles(&state, locale, true).await?;
    Ok(EntryForm {
        surveys,
        token: random_token(),
    })
}

#[server(endpoint = "entry/save")]
pub async fn enter_feedback(
    survey: Option<String>,
    score: Option<String>,
    rating: Option<String>,
    comment: Option<String>,
    channel: Option<String>,
    journey_phase: Option<String>,
    language: Option<String>,
    customer_ref: Option<String>,
    customer_email: Option<String>,
    consent: Option<String>,
    token: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use crate::ingest::RawResponse;
    use klantstem_core::ingest::EntryError;
    let user = require(crate::model::Role::enters_feedback).await?;
    let raw = RawResponse {
        survey: survey.unwrap_or_default(),
        score: score.unwrap_or_default(),
        rating: rating.unwrap_or_default(),
        comment: comment.unwrap_or_default(),
        channel: channel.unwrap_or_default(),
        journey_phase: journey_phase.unwrap_or_default(),
        language: language.unwrap_or_default(),
        submitted_at: String::new(),
        customer_ref: customer_ref.unwrap_or_default(),
        customer_email: customer_email.unwrap_or_default(),
        consent: if consent.is_some() { "yes" } else { "no" }.into(),
        external_id: String::new(),
        sentiment: String::new(),
        themes: String::new(),
        consent_wording: crate::i18n::LocaleTexts::texts(
            request_parts()
                .map(|p| request_locale(&p))
                .unwrap_or_default(),
        )
        .entry_consent
        .into(),
    };
    match klantstem_core::ingest::enter_feedback(&state()?, &raw, token, user.id).await {
        Ok(inserted) => {
            leptos_axum::redirect(&format!("/responses/new?saved={}", inserted.id));
            Ok(())
        }
        Err(EntryError::Invalid(errors)) => {
            fail_form(AppError::InvalidEntry(errors), "/responses/new", &[])
        }
        Err(EntryError::Store(e)) => fail(e.into()),
        Err(EntryError::Task(_)) => fail(AppError::Internal),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryForm {
    /// (slug, title) of the open surveys.
    pub surveys: Vec<(String, String)>,
    /// A fresh token per form: a double submit stores one response.
    pub token: String,
}
