//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::LocaleTexts;
use crate::model::Survey;
use crate::questions::Question;
#[cfg(feature = "ssr")]
use crate::questions::QuestionKind;
#[cfg(feature = "ssr")]
use crate::survey::Channel;
#[cfg(feature = "ssr")]
use crate::survey::JourneyPhase;
use leptos::prelude::*;
use serde::Deserialize;
use serde::Serialize;

#[server(endpoint = "surveys/all")]
pub async fn list_all_surveys() -> Result<Vec<Survey>, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    Ok(state()?.store.list_surveys().await?)
}

#[server(endpoint = "surveys/editor")]
pub async fn get_survey_editor(slug: Option<String>) -> Result<SurveyEditorData, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let base = request_parts()
        .map(|p| public_base(&p.headers, &state.settings))
        .unwrap_or_default();
    match slug.filter(|s| s != "new") {
        None => Ok((None, base, Vec::new())),
        Some(slug) if !crate::survey::is_valid_slug(&slug) => fail(AppError::NotFound),
        Some(slug) => match state.store.survey_by_slug(&slug).await? {
            Some(s) => {
                let questions = state.store.survey_questions(s.id).await?;
                Ok((Some(s), base, questions))
            }
            None => fail(AppError::NotFound),
        },
    }
}

#[server(endpoint = "surveys/save")]
pub async fn save_survey(
    original_slug: Option<String>,
    #[server(flatten)] form: crate::survey::SurveyEditForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let original = original_slug.filter(|s| !s.is_empty());
    match klantstem_core::surveys::save_survey(&state()?, original.as_deref(), form).await {
        Ok(slug) => {
            tracing::info!(survey = slug, user = user.id, "survey saved");
            leptos_axum::redirect(&format!("/admin/surveys?saved={slug}"));
            Ok(())
        }
        Err(e) => {
            let back = format!("/admin/surveys/{}", original.as_deref().unwrap_or("new"));
            survey_failed(e, &back)
        }
    }
}

/// open, close, archive, restore or duplicate.
#[server(endpoint = "surveys/state")]
pub async fn change_survey(slug: Option<String>, action: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    use crate::survey::SurveyAction;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let slug = slug.unwrap_or_default();
    let raw = action.unwrap_or_default();
    let Some(action) = SurveyAction::parse(&raw) else {
        return fail(AppError::Malformed("unknown action".into()));
    };
    match klantstem_core::surveys::change_survey(&state()?, &slug, action).await {
        Ok(copy) if action == SurveyAction::Duplicate => {
            tracing::info!(survey = slug, copy, user = user.id, "survey duplicated");
            leptos_axum::redirect(&format!("/admin/surveys/{copy}"));
            Ok(())
        }
        Ok(_) => {
            tracing::info!(
                survey = slug,
                action = raw,
                user = user.id,
                "survey state changed"
            );
            leptos_axum::redirect("/admin/surveys");
            Ok(())
        }
        Err(e) => survey_failed(e, "/admin/surveys"),
    }
}

#[cfg(feature = "ssr")]
fn survey_failed(error: klantstem_core::surveys::SurveyError, back: &str) -> Result<(), AppError> {
    use crate::backend::{fail, fail_form};
    use klantstem_core::surveys::SurveyError;
    match error {
        SurveyError::NotFound => fail(AppError::NotFound),
        SurveyError::Invalid(errors) => fail_form(AppError::InvalidSurvey(errors), back, &[]),
        SurveyError::NoFreeSlug => fail(AppError::Internal),
        SurveyError::Store(e) => fail(e.into()),
    }
}

#[server(endpoint = "questions/add")]
pub async fn add_question(
    slug: Option<String>,
    kind: Option<String>,
    required: Option<String>,
    label_nl: Option<String>,
    label_en: Option<String>,
    options_nl: Option<String>,
    options_en: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let slug = slug.unwrap_or_default();
    let input = question_input(required, label_nl, label_en, options_nl, options_en);
    let kind = kind.as_deref().and_then(QuestionKind::parse);
    match klantstem_core::questions::add_question(&state()?, &slug, kind, &input).await {
        Ok(id) => {
            tracing::info!(
                survey = slug,
                question = id,
                user = user.id,
                "question added"
            );
            leptos_axum::redirect(&format!("/admin/surveys/{slug}"));
            Ok(())
        }
        Err(e) => question_failed(e, &slug),
    }
}

/// Changes a question's texts. Once answered, its options can only be added to: the answers
/// keep the meaning they were given.
#[server(endpoint = "questions/update")]
pub async fn update_question(
    slug: Option<String>,
    id: Option<String>,
    required: Option<String>,
    label_nl: Option<String>,
    label_en: Option<String>,
    options_nl: Option<String>,
    options_en: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let slug = slug.unwrap_or_default();
    let id = id.and_then(|i| i.parse::<i64>().ok()).unwrap_or(-1);
    let input = question_input(required, label_nl, label_en, options_nl, options_en);
    match klantstem_core::questions::update_question(&state()?, &slug, id, &input).await {
        Ok(()) => {
            tracing::info!(
                survey = slug,
                question = id,
                user = user.id,
                "question updated"
            );
            leptos_axum::redirect(&format!("/admin/surveys/{slug}"));
            Ok(())
        }
        Err(e) => question_failed(e, &slug),
    }
}

/// Moves a question up or down, or removes it (retired if it has answers).
#[server(endpoint = "questions/change")]
pub async fn change_question(
    slug: Option<String>,
    id: Option<String>,
    action: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::questions::{move_question, QuestionMove};
    let user = require(crate::model::Role::sees_dashboard).await?;
    let slug = slug.unwrap_or_default();
    let id = id.and_then(|i| i.parse::<i64>().ok()).unwrap_or(-1);
    let how = match action.as_deref() {
        Some("up") => QuestionMove::Up,
        Some("down") => QuestionMove::Down,
        Some("remove") => QuestionMove::Remove,
        _ => {
            return fail(AppError::Malformed(
                "action must be up, down or remove".into(),
            ))
        }
    };
    match move_question(&state()?, &slug, id, how).await {
        Ok(()) => {
            tracing::info!(
                survey = slug,
                question = id,
                action,
                user = user.id,
                "question changed"
            );
            leptos_axum::redirect(&format!("/admin/surveys/{slug}"));
            Ok(())
        }
        Err(e) => question_failed(e, &slug),
    }
}

#[cfg(feature = "ssr")]
fn question_input(
    required: Option<String>,
    label_nl: Option<String>,
    label_en: Option<String>,
    options_nl: Option<String>,
    options_en: Option<String>,
) -> klantstem_core::questions::QuestionInput {
    klantstem_core::questions::QuestionInput {
        required: required.is_some(),
        label_nl: label_nl.unwrap_or_default(),
        label_en: label_en.unwrap_or_default(),
        options_nl: options_nl.unwrap_or_default(),
        options_en: options_en.unwrap_or_default(),
    }
}

#[cfg(feature = "ssr")]
fn question_failed(
    error: klantstem_core::questions::QuestionError,
    slug: &str,
) -> Result<(), AppError> {
    use crate::backend::{fail, fail_form};
    use klantstem_core::questions::QuestionError;
    match error {
        QuestionError::NotFound => fail(AppError::NotFound),
        QuestionError::Invalid(code) => fail_form(
            AppError::InvalidQuestion(code),
            &format!("/admin/surveys/{slug}"),
            &[],
        ),
        QuestionError::Store(e) => fail(e.into()),
    }
}

/// The survey link for these choices (`base` without a trailing slash).
#[cfg(feature = "ssr")]
pub fn survey_link(
    base: &str,
    slug: &str,
    score: Option<u8>,
    channel: &str,
    phase: &str,
    lang: &str,
) -> String {
    use crate::url::percent_encode;
    let mut url = format!("{base}/s/{}", percent_encode(slug));
    if let Some(s) = score {
        url.push_str(&format!("/{s}"));
    }
    let params: Vec<String> = [("ch", channel), ("tp", phase), ("lang", lang)]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if !params.is_empty() {
        url.push('?');
        url.push_str(&params.join("&"));
    }
    url
}

/// Escapes text for HTML attributes and content.
#[cfg(feature = "ssr")]
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A QR code as a compact SVG: one path of unit squares, with the quiet zone around it.
#[cfg(feature = "ssr")]
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code: {}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        escape(text)
    ))
}

#[server(endpoint = "links/build")]
pub async fn build_links(
    survey: Option<String>,
    ch: Option<String>,
    tp: Option<String>,
    lang: Option<String>,
) -> Result<LinkKit, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let parts = request_parts().ok_or(AppError::Internal)?;
    let locale = request_locale(&parts);
    let surveys = klantstem_core::surveys::titles(&state, locale, false).await?;
    // The chosen survey, else the first.
    let survey = survey
        .filter(|s| surveys.iter().any(|(slug, _)| slug == s))
        .or_else(|| surveys.first().map(|s| s.0.clone()))
        .unwrap_or_default();
    // Only known values reach the links; anything else is left out.
    let known = |v: Option<String>, parse: fn(&str) -> Option<&'static str>| {
        v.as_deref().and_then(parse).unwrap_or_default().to_string()
    };
    let channel = known(ch, |c| Channel::parse(c).map(Channel::as_str));
    let phase = known(tp, |p| JourneyPhase::parse(p).map(JourneyPhase::as_str));
    let lang = known(lang, |l| {
        crate::i18n::Locale::from_tag(l).map(|l| l.as_str())
    });
    let base = public_base(&parts.headers, &state.settings);
    let link = survey_link(&base, &survey, None, &channel, &phase, &lang);
    // E-mail links always say they come from e-mail, unless another channel was chosen.
    let mail_channel = if channel.is_empty() {
        "email"
    } else {
        &channel
    };
    let score_link = |s| survey_link(&base, &survey, Some(s), mail_channel, &phase, &lang);
    let email_html = email_snippet(score_link, locale);
    let qr_svg = qr_svg(&link).unwrap_or_default();
    Ok(LinkKit {
        surveys,
        survey,
        channel,
        phase,
        lang,
        link,
        email_html,
        qr_svg,
    })
}

/// The HTML to paste into an e-mail: the question and a row of 0–10 buttons, each a one-click
/// score link (`score_link`).
#[cfg(feature = "ssr")]
fn email_snippet(score_link: impl Fn(u8) -> String, locale: crate::i18n::Locale) -> String {
    let t = locale.texts();
    let cells: String = (0..=10u8)
        .map(|s| {
            format!(
                "<td style=\"padding:2px\"><a href=\"{}\" style=\"display:inline-block;width:32px;line-height:32px;text-align:center;border:1px solid #9aa3b2;border-radius:6px;text-decoration:none;color:#1c2430;font-family:sans-serif\">{s}</a></td>",
                escape(&score_link(s))
            )
        })
        .collect();
    format!(
        "<p style=\"font-family:sans-serif\">{}</p>\n<table role=\"presentation\"><tr>{cells}</tr></table>\n<p style=\"font-family:sans-serif;font-size:12px;color:#5b6474\">0 = {} · 10 = {}</p>",
        escape(t.nps_question),
        escape(t.nps_low),
        escape(t.nps_high)
    )
}

/// A survey to edit (`None`: a new one), the site's public address (for the embed code) and the
/// survey's questions after the NPS question.
pub type SurveyEditorData = (Option<Survey>, String, Vec<Question>);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkKit {
    /// (slug, title)
    pub surveys: Vec<(String, String)>,
    pub survey: String,
    pub channel: String,
    pub phase: String,
    pub lang: String,
    /// The public link.
    pub link: String,
    /// An HTML snippet with the eleven one-click score links, for e-mails.
    pub email_html: String,
    /// The QR code of the link (for the store channel) as SVG markup.
    pub qr_svg: String,
}
