//! Managing surveys: create or edit one, open, close, archive, restore, duplicate.

use crate::error::StoreError;
use crate::state::{now_unix, AppState};
use crate::store::NewSurvey;
use domain::survey::{
    is_valid_slug, SurveyAction, SurveyEdit, SurveyEditError, SurveyEditForm, SLUG_MAX_CHARS,
};

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("no such survey")]
    NotFound,
    #[error("the survey as entered has problems")]
    Invalid(Vec<SurveyEditError>),
    #[error("no free slug for a copy")]
    NoFreeSlug,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a survey (`original` `None`) or changes the one with slug `original`; answers the
/// slug. New surveys start closed: they open when they are ready.
pub async fn save_survey(
    state: &AppState,
    original: Option<&str>,
    form: SurveyEditForm,
) -> Result<String, SurveyError> {
    let existing = match original {
        Some(slug) => Some(
            state
                .store
                .survey_by_slug(slug)
                .await?
                .ok_or(SurveyError::NotFound)?,
        ),
        None => None,
    };
    // The slug is in every link already sent out: it never changes.
    let fixed = existing.as_ref().map(|s| s.slug.as_str());
    let edit = SurveyEdit::parse(form, fixed).map_err(SurveyError::Invalid)?;
    let slug = edit.slug.clone();
    match existing {
        Some(mut survey) => {
            survey.title_nl = edit.title_nl;
            survey.title_en = edit.title_en;
            survey.texts = edit.texts;
            survey.embed_origins = edit.embed_origins;
            state.store.update_survey(&survey).await?;
        }
        None => {
            let new = NewSurvey {
                slug: edit.slug,
                title_nl: edit.title_nl,
                title_en: edit.title_en,
                open: false,
                created_at: now_unix(),
                texts: edit.texts,
                embed_origins: edit.embed_origins,
            };
            match state.store.create_survey(&new).await {
                Ok(_) => {}
                Err(StoreError::Conflict(_)) => {
                    return Err(SurveyError::Invalid(vec![SurveyEditError::SlugTaken]))
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(slug)
}

/// Applies `action` to the survey `slug`; answers the slug to show next (the copy's, for a
/// duplicate).
pub async fn change_survey(
    state: &AppState,
    slug: &str,
    action: SurveyAction,
) -> Result<String, SurveyError> {
    if !is_valid_slug(slug) {
        return Err(SurveyError::NotFound);
    }
    let survey = state
        .store
        .survey_by_slug(slug)
        .await?
        .ok_or(SurveyError::NotFound)?;
    let Some((open, archived)) = action.next_state(survey.archived) else {
        let copy = free_copy_slug(state, &survey.slug).await?;
        // The copy asks the same questions (fresh ones: no answers yet), made in one transaction.
        let new = NewSurvey {
            slug: copy.clone(),
            title_nl: survey.title_nl,
            title_en: survey.title_en,
            open: false,
            created_at: now_unix(),
            texts: survey.texts,
            embed_origins: survey.embed_origins,
        };
        state.store.duplicate_survey(survey.id, &new).await?;
        return Ok(copy);
    };
    state
        .store
        .set_survey_state(survey.id, open, archived)
        .await?;
    Ok(survey.slug)
}

/// `slug-2`, `slug-3`, … : the first that no survey has.
async fn free_copy_slug(state: &AppState, slug: &str) -> Result<String, SurveyError> {
    for n in 2.. {
        let candidate = format!("{slug}-{n}");
        if candidate.len() > SLUG_MAX_CHARS {
            break;
        }
        if state.store.survey_by_slug(&candidate).await?.is_none() {
            return Ok(candidate);
        }
    }
    Err(SurveyError::NoFreeSlug)
}

/// (slug, title in `locale`) of every survey, or only of those that take answers, in creation
/// order: what pickers and filters offer.
pub async fn titles(
    state: &AppState,
    locale: domain::locale::Locale,
    only_public: bool,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(state
        .store
        .list_surveys()
        .await?
        .into_iter()
        .filter(|s| !only_public || s.is_public())
        .map(|s| (s.slug.clone(), s.title(locale).to_string()))
        .collect())
}

/// Every survey's id by its slug, for checking records that name their survey.
pub async fn ids(state: &AppState) -> Result<std::collections::HashMap<String, i64>, StoreError> {
    Ok(state
        .store
        .list_surveys()
        .await?
        .into_iter()
        .map(|s| (s.slug, s.id))
        .collect())
}
