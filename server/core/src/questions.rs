//! The questions after the NPS question: add, change (an answered question's options can only
//! be added to, so answers keep the meaning they were given), move and remove.

use crate::error::StoreError;
use crate::state::{now_unix, AppState};
use domain::questions::{
    check_question, options_keep_meaning, QuestionEditError, QuestionKind, QuestionTexts,
    MAX_QUESTIONS,
};
use domain::survey::is_valid_slug;

#[derive(Debug, thiserror::Error)]
pub enum QuestionError {
    #[error("no such survey or question")]
    NotFound,
    #[error("the question as entered has a problem")]
    Invalid(QuestionEditError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a manager entered for a question.
#[derive(Debug, Clone, Default)]
pub struct QuestionInput {
    pub required: bool,
    pub label_nl: String,
    pub label_en: String,
    pub options_nl: String,
    pub options_en: String,
}

impl QuestionInput {
    fn texts(&self, kind: QuestionKind) -> Result<QuestionTexts, QuestionError> {
        let texts = QuestionTexts::from_form(
            kind,
            &self.label_nl,
            &self.label_en,
            &self.options_nl,
            &self.options_en,
        );
        check_question(kind, &texts).map_err(QuestionError::Invalid)?;
        Ok(texts)
    }
}

/// How a question moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionMove {
    Up,
    Down,
    /// Deleted without answers; retired (its answers stay) with them.
    Remove,
}

async fn survey_id(state: &AppState, slug: &str) -> Result<i64, QuestionError> {
    if !is_valid_slug(slug) {
        return Err(QuestionError::NotFound);
    }
    let survey = state.store.survey_by_slug(slug).await?;
    survey.map(|s| s.id).ok_or(QuestionError::NotFound)
}

/// Adds a question at the end of survey `slug`; answers its id.
pub async fn add_question(
    state: &AppState,
    slug: &str,
    kind: Option<QuestionKind>,
    input: &QuestionInput,
) -> Result<i64, QuestionError> {
    let survey_id = survey_id(state, slug).await?;
    let kind = kind.ok_or(QuestionError::Invalid(QuestionEditError::KindUnknown))?;
    let texts = input.texts(kind)?;
    if state.store.survey_questions(survey_id).await?.len() >= MAX_QUESTIONS {
        return Err(QuestionError::Invalid(QuestionEditError::TooMany));
    }
    let now = now_unix();
    let id = state
        .store
        .add_question(survey_id, kind, input.required, &texts, now)
        .await?;
    Ok(id)
}

/// Changes question `id` of survey `slug`.
pub async fn update_question(
    state: &AppState,
    slug: &str,
    id: i64,
    input: &QuestionInput,
) -> Result<(), QuestionError> {
    let survey_id = survey_id(state, slug).await?;
    let question = state
        .store
        .survey_questions(survey_id)
        .await?
        .into_iter()
        .find(|q| q.id == id)
        .ok_or(QuestionError::NotFound)?;
    let texts = input.texts(question.kind)?;
    if !options_keep_meaning(&question.texts, &texts) && state.store.question_answered(id).await? {
        return Err(QuestionError::Invalid(QuestionEditError::Frozen));
    }
    state
        .store
        .update_question(survey_id, id, input.required, &texts)
        .await?;
    Ok(())
}

/// Moves or removes question `id` of survey `slug`. Moving the first question up changes
/// nothing, but a question that is not in this survey is not found, whatever the move.
pub async fn move_question(
    state: &AppState,
    slug: &str,
    id: i64,
    how: QuestionMove,
) -> Result<(), QuestionError> {
    let survey_id = survey_id(state, slug).await?;
    let questions = state.store.survey_questions(survey_id).await?;
    if !questions.iter().any(|q| q.id == id) {
        return Err(QuestionError::NotFound);
    }
    match how {
        QuestionMove::Up => state.store.move_question(survey_id, id, true).await?,
        QuestionMove::Down => state.store.move_question(survey_id, id, false).await?,
        QuestionMove::Remove => state.store.remove_question(survey_id, id).await?.is_some(),
    };
    Ok(())
}
