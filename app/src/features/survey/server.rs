//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::SurveyForm;
#[cfg(feature = "ssr")]
use crate::survey::EMAIL_MAX_CHARS;
use leptos::prelude::*;

#[server(endpoint = "survey/form")]
pub async fn get_survey_form(slug: Option<String>) -> Result<SurveyForm, AppError> {
    use crate::backend::*;
    let slug = slug.unwrap_or_default();
    if !crate::survey::is_valid_slug(&slug) {
        return fail(AppError::NotFound);
    }
    let Some(survey) = state()?.store.survey_by_slug(&slug).await? else {
        return fail(AppError::NotFound);
    };
    // A draft, closed or archived survey shows nothing of itself to respondents; those who
    // manage surveys see it as a preview.
    if !survey.is_public()
        && !current_user()
            .await?
            .is_some_and(|u| crate::model::Role::sees_dashboard(u.role))
    {
        return fail_status(AppError::SurveyClosed, 404);
    }
    let questions = state()?
        .store
        .survey_questions(survey.id)
        .await?
        .into_iter()
        .filter(|q| !q.retired)
        .collect();
    Ok(SurveyForm {
        survey: survey.into(),
        submission_token: random_token(),
        questions,
    })
}

/// Longest reason text sent back in the URL after a failed plain-HTML post; longer texts would
/// make unwieldy URLs, so the respondent sees the error but retypes.
#[cfg(feature = "ssr")]
const ECHO_MAX_CHARS: usize = 1000;

#[server(endpoint = "survey/submit")]
pub async fn submit_response(
    slug: Option<String>,
    /// score, reason, email, consent
    #[server(flatten)]
    form: crate::survey::SubmissionInput,
    ch: Option<String>,
    tp: Option<String>,
    lang: Option<String>,
    token: Option<String>,
    /// Honeypot: hidden from people, filled in by bots.
    website: Option<String>,
    /// "score": record the score of a one-click e-mail link and stay on the page (the reason
    /// follows on the same response).
    stage: Option<String>,
    /// "1" when the survey is embedded in another site (the thank-you page stays bare too).
    embed: Option<String>,
    /// Answers to the questions after the NPS question: `answers[q12]`, `answers[q13_2]`.
    answers: Option<std::collections::HashMap<String, String>>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use crate::i18n::Locale;
    use crate::survey::{Channel, JourneyPhase};
    use klantstem_core::survey_answer::{answer_survey, Answered, SurveyAnswer};

    let state = state()?;
    let slug = slug.unwrap_or_default();
    // Per client address, so one script cannot flood a survey.
    if let Err(wait) = state
        .submit_limiter
        .hit(&crate::backend::client_key(&state))
    {
        let error = AppError::RateLimited {
            retry_after_secs: wait.as_secs().max(1),
        };
        return fail_form(error, &format!("/s/{slug}"), &[]);
    }
    let locale = lang.as_deref().and_then(Locale::from_tag);
    let answer = SurveyAnswer {
        slug: slug.clone(),
        form,
        channel: ch.as_deref().map_or(Channel::Web, |c| {
            Channel::parse(c).unwrap_or(Channel::Other)
        }),
        phase: tp.as_deref().and_then(JourneyPhase::parse),
        locale: locale.unwrap_or_default(),
        token,
        score_only: stage.as_deref() == Some("score"),
        answers: answers.unwrap_or_default().into_iter().collect(),
        bot: website.as_deref().is_some_and(|w| !w.trim().is_empty()),
        consent_wording: crate::i18n::LocaleTexts::texts(locale.unwrap_or_default())
            .consent_label
            .into(),
    };
    let embed = if embed.as_deref() == Some("1") {
        "&embed=1"
    } else {
        ""
    };
    let thanks = format!("/s/{slug}/thanks?lang={}{embed}", answer.locale.as_str());
    match answer_survey(&state, answer.clone()).await {
        Ok(Answered::Stored { .. }) if answer.score_only => Ok(()),
        Ok(_) => {
            leptos_axum::redirect(&thanks);
            Ok(())
        }
        Err(e) => answer_failed(e, &answer),
    }
}

/// Back to the form with the problems, and what the respondent typed when it fits in a URL.
#[cfg(feature = "ssr")]
fn answer_failed(
    error: klantstem_core::survey_answer::AnswerError,
    answer: &klantstem_core::survey_answer::SurveyAnswer,
) -> Result<(), AppError> {
    use crate::backend::{fail, fail_form};
    use klantstem_core::survey_answer::AnswerError;
    let back = format!("/s/{}", answer.slug);
    let fits = |v: &Option<String>, max: usize| {
        let v = v.as_deref().unwrap_or("");
        if v.chars().count() <= max {
            v.to_string()
        } else {
            String::new()
        }
    };
    let form = &answer.form;
    let mut echo = vec![
        ("score", fits(&form.score, 2)),
        ("reason", fits(&form.reason, ECHO_MAX_CHARS)),
        ("email", fits(&form.email, EMAIL_MAX_CHARS)),
        ("ch", answer.channel.as_str().to_string()),
        ("tp", answer.phase.map(|p| p.as_str()).unwrap_or("").into()),
        ("lang", answer.locale.as_str().to_string()),
    ];
    let error = match error {
        AnswerError::NotFound => return fail(AppError::NotFound),
        AnswerError::Store(e) => return fail(e.into()),
        AnswerError::Invalid(errors) => AppError::Invalid(errors),
        AnswerError::InvalidAnswers { score, errors } => {
            echo.retain(|(k, _)| !matches!(*k, "reason" | "email"));
            echo[0].1 = score.value().to_string();
            AppError::InvalidAnswers(errors)
        }
        AnswerError::Closed => {
            echo.retain(|(k, _)| *k == "lang");
            AppError::SurveyClosed
        }
    };
    let echo: Vec<(&str, &str)> = echo.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fail_form(error, &back, &echo)
}
