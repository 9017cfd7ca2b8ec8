//! Editing the theme taxonomy: every change stores a new version (refused when another change
//! came first), puts it in force and starts retagging the stored texts.

use crate::error::StoreError;
use crate::state::{now_unix, AppState};
use domain::taxonomy::{Taxonomy, TaxonomyError, ThemeEditForm};

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("no such theme")]
    NotFound,
    #[error("the theme as entered has problems")]
    Invalid(Vec<TaxonomyError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The taxonomy as stored (version 0: none yet): the source of truth when several server
/// processes share a database.
pub async fn stored_taxonomy(state: &AppState) -> Result<(i64, Taxonomy), StoreError> {
    match state.store.current_taxonomy().await? {
        Some((version, document)) => serde_json::from_str(&document)
            .map(|t| (version, t))
            .map_err(|e| StoreError::Corrupt {
                what: "taxonomy",
                detail: format!("version {version}: {e}"),
            }),
        None => Ok((0, Taxonomy::default())),
    }
}

/// Adds a theme (`original_key` `None`) or changes one, in the taxonomy version `based_on`.
pub async fn save_theme(
    state: &AppState,
    based_on: i64,
    original_key: Option<&str>,
    form: &ThemeEditForm,
    user_id: i64,
) -> Result<(), ThemeError> {
    let (stored, mut taxonomy) = current(state, based_on).await?;
    taxonomy
        .upsert(original_key, form.theme(original_key))
        .map_err(ThemeError::Invalid)?;
    save_taxonomy(state, stored, &taxonomy, user_id).await
}

/// Removes a theme from the taxonomy version `based_on`.
pub async fn delete_theme(
    state: &AppState,
    based_on: i64,
    key: &str,
    user_id: i64,
) -> Result<(), ThemeError> {
    let (stored, mut taxonomy) = current(state, based_on).await?;
    let before = taxonomy.themes.len();
    taxonomy.themes.retain(|t| t.key != key);
    if taxonomy.themes.len() == before {
        return Err(ThemeError::NotFound);
    }
    save_taxonomy(state, stored, &taxonomy, user_id).await
}

/// Texts compared for keyword suggestions, of each side at most.
const EXAMPLES: u32 = 2_000;

/// Words to add to theme `key`'s keywords: those that set the texts people tagged with it (the
/// ones its keywords missed) apart from the texts without it.
pub async fn keyword_suggestions(
    state: &AppState,
    key: &str,
) -> Result<Vec<domain::taxonomy::KeywordSuggestion>, StoreError> {
    let (theme, others) = state.store.theme_examples(key, EXAMPLES).await?;
    if theme.is_empty() {
        return Ok(Vec::new());
    }
    let analyzer = state.analyzer.clone();
    let key = key.to_string();
    tokio::task::spawn_blocking(move || analyzer.suggest_keywords(&key, &theme, &others, 12))
        .await
        .map_err(StoreError::backend)
}

/// Adds `word` to the keywords of theme `key` in `language`, in the taxonomy version `based_on`
/// (a new version; the stored texts are tagged again).
pub async fn accept_keyword(
    state: &AppState,
    based_on: i64,
    key: &str,
    language: &str,
    word: &str,
    user_id: i64,
) -> Result<(), ThemeError> {
    let (stored, mut taxonomy) = current(state, based_on).await?;
    let word = word.trim().to_lowercase();
    if word.is_empty()
        || word.chars().count() > 60
        || !domain::taxonomy::TERM_LANGUAGES.contains(&language)
    {
        return Err(ThemeError::NotFound);
    }
    let theme = taxonomy
        .themes
        .iter_mut()
        .find(|t| t.key == key)
        .ok_or(ThemeError::NotFound)?;
    match theme.terms.iter_mut().find(|t| t.language == language) {
        Some(terms) if terms.keywords.contains(&word) => return Ok(()),
        Some(terms) => terms.keywords.push(word),
        None => theme.terms.push(domain::taxonomy::Terms {
            language: language.to_string(),
            keywords: vec![word],
            exclusions: Vec::new(),
        }),
    }
    save_taxonomy(state, stored, &taxonomy, user_id).await
}

/// The stored taxonomy, if it is still version `based_on` (the one the editor showed).
async fn current(state: &AppState, based_on: i64) -> Result<(i64, Taxonomy), ThemeError> {
    let (stored, taxonomy) = stored_taxonomy(state).await?;
    if based_on != stored {
        return Err(ThemeError::Invalid(vec![TaxonomyError::Stale]));
    }
    Ok((stored, taxonomy))
}

/// Stores `taxonomy` as the version after `based_on`, puts it in force and starts retagging.
async fn save_taxonomy(
    state: &AppState,
    based_on: i64,
    taxonomy: &Taxonomy,
    user_id: i64,
) -> Result<(), ThemeError> {
    let document = serde_json::to_string(taxonomy).map_err(StoreError::backend)?;
    match state
        .store
        .save_taxonomy(based_on, &document, Some(user_id), now_unix())
        .await
    {
        Ok(version) => {
            state.analyzer.set_taxonomy(version, taxonomy);
            state.retag.notify_one();
            tracing::info!(version, user = user_id, "taxonomy saved; retagging");
            Ok(())
        }
        Err(StoreError::Conflict(_)) => Err(ThemeError::Invalid(vec![TaxonomyError::Stale])),
        Err(e) => Err(e.into()),
    }
}
