//! Surveys and their questions.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::model::Survey;

#[derive(Debug, Clone, PartialEq)]
pub struct NewSurvey {
    pub slug: String,
    pub title_nl: String,
    pub title_en: String,
    pub open: bool,
    pub created_at: i64,
    pub texts: domain::model::SurveyTexts,
    pub embed_origins: Vec<String>,
}

#[async_trait]
pub trait SurveyStore: Send + Sync {
    async fn create_survey(&self, survey: &NewSurvey) -> Result<i64, StoreError>;

    /// Creates `copy` with the questions of survey `source_id` (not the retired ones), in one
    /// transaction.
    async fn duplicate_survey(&self, source_id: i64, copy: &NewSurvey) -> Result<i64, StoreError>;

    async fn survey_by_slug(&self, slug: &str) -> Result<Option<Survey>, StoreError>;

    /// Moves whenever this process changes a survey or its questions: what was built from
    /// surveys before is stale. (Another process's change shows within the store's survey cache
    /// freshness, 2 s.)
    fn surveys_generation(&self) -> u64;

    /// Every survey, archived ones included, in creation order.
    async fn list_surveys(&self) -> Result<Vec<Survey>, StoreError>;

    /// Changes titles, texts and embedding origins (never the slug); `false`: no such survey.
    async fn update_survey(&self, survey: &Survey) -> Result<bool, StoreError>;

    /// A survey's questions after the NPS question, retired ones included, in order.
    async fn survey_questions(
        &self,
        survey_id: i64,
    ) -> Result<Vec<domain::questions::Question>, StoreError>;

    /// Adds a question at the end.
    async fn add_question(
        &self,
        survey_id: i64,
        kind: domain::questions::QuestionKind,
        required: bool,
        texts: &domain::questions::QuestionTexts,
        now: i64,
    ) -> Result<i64, StoreError>;

    /// Changes a question's texts and whether it is required; `false`: no such question.
    async fn update_question(
        &self,
        survey_id: i64,
        id: i64,
        required: bool,
        texts: &domain::questions::QuestionTexts,
    ) -> Result<bool, StoreError>;

    async fn question_answered(&self, id: i64) -> Result<bool, StoreError>;

    /// Swaps a question with the one before (`up`) or after it; `false` when it cannot move.
    async fn move_question(&self, survey_id: i64, id: i64, up: bool) -> Result<bool, StoreError>;

    /// Deletes a question without answers; retires one with answers (they stay). `None`: no
    /// such question; `Some(true)`: retired.
    async fn remove_question(&self, survey_id: i64, id: i64) -> Result<Option<bool>, StoreError>;

    /// Opens or closes, archives or restores; `false`: no such survey.
    async fn set_survey_state(
        &self,
        id: i64,
        open: bool,
        archived: bool,
    ) -> Result<bool, StoreError>;
}
