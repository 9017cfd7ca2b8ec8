//! A respondent answers a survey: the form checked, the extra questions read, the response built
//! by the one ingest path and stored (or, for the follow-up of a one-click score, completed).

use crate::error::StoreError;
use crate::ingest::to_new_response;
use crate::secrets::random_token;
use crate::state::{now_unix, AppState};
use crate::store::NewResponse;
use domain::ingest::ValidResponse;
use domain::locale::Locale;
use domain::nps::NpsScore;
use domain::questions::{read_answers, QuestionError};
use domain::survey::{is_valid_slug, validate, Channel, FormError, JourneyPhase, SubmissionInput};

/// What a respondent sent through the survey form.
#[derive(Debug, Clone)]
pub struct SurveyAnswer {
    pub slug: String,
    pub form: SubmissionInput,
    pub channel: Channel,
    pub phase: Option<JourneyPhase>,
    pub locale: Locale,
    /// The page's submission token: the same token is stored once.
    pub token: Option<String>,
    /// A one-click score from an e-mail; the extra questions come with the reason after it.
    pub score_only: bool,
    /// The extra questions' form fields (`q12`, `q13_2`).
    pub answers: Vec<(String, String)>,
    /// The honeypot field was filled in: a bot, which learns nothing and stores nothing.
    pub bot: bool,
    /// The consent sentence as the form showed it, kept with a consented answer.
    pub consent_wording: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    #[error("no such survey")]
    NotFound,
    #[error("the form has problems")]
    Invalid(Vec<FormError>),
    #[error("the extra questions' answers have problems")]
    InvalidAnswers {
        score: NpsScore,
        errors: Vec<QuestionError>,
    },
    #[error("the survey is not open")]
    Closed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    Stored {
        response_id: i64,
        duplicate: bool,
        completed: bool,
    },
    /// A bot's answer, discarded.
    Discarded,
}

pub async fn answer_survey(state: &AppState, a: SurveyAnswer) -> Result<Answered, AnswerError> {
    if !is_valid_slug(&a.slug) {
        return Err(AnswerError::NotFound);
    }
    let survey = state
        .store
        .survey_by_slug(&a.slug)
        .await?
        .ok_or(AnswerError::NotFound)?;
    if a.bot {
        return Ok(Answered::Discarded);
    }
    let valid = validate(&a.form).map_err(AnswerError::Invalid)?;
    let answers = if a.score_only {
        Vec::new()
    } else {
        let questions = state.store.survey_questions(survey.id).await?;
        read_answers(&questions, &a.answers).map_err(|errors| AnswerError::InvalidAnswers {
            score: valid.score,
            errors,
        })?
    };
    if !survey.is_public() {
        return Err(AnswerError::Closed);
    }
    // The token arrives from the page; anything odd gets a fresh one (no dedup, but no harm).
    let token = a
        .token
        .filter(|t| (16..=64).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or_else(random_token);
    // A consented e-mail address recognises the customer across channels.
    let consent = valid.contact_email.is_some();
    let record = ValidResponse {
        survey: a.slug,
        score: Some(valid.score),
        rating: None,
        sentiment: None,
        themes: None,
        comment: valid.reason,
        channel: a.channel,
        journey_phase: a.phase,
        locale: Some(a.locale),
        submitted_at: None,
        customer_ref: None,
        customer_email: valid.contact_email,
        consent,
        consent_wording: consent.then(|| a.consent_wording.clone()),
        external_id: None,
    };
    let response = NewResponse {
        answers,
        ..to_new_response(
            &*state.analyzer,
            &state.customer_key,
            survey.id,
            record,
            now_unix(),
            token,
            "survey",
        )
    };
    let inserted = state.store.insert_response(&response).await?;
    // The follow-up of a one-click score (same token) completes that response.
    let completed = inserted.duplicate
        && (response.reason.is_some() || response.contact_email.is_some())
        && state.store.complete_response(&response).await?;
    tracing::info!(
        survey = survey.id,
        response = inserted.id,
        duplicate = inserted.duplicate,
        completed,
        "response stored"
    );
    Ok(Answered::Stored {
        response_id: inserted.id,
        duplicate: inserted.duplicate,
        completed,
    })
}
