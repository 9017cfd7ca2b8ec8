//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::EmergingTopic;
use crate::model::RetagStatus;
use crate::taxonomy::Theme;
use leptos::prelude::*;
use serde::Deserialize;
use serde::Serialize;

/// Texts per period read for emerging topics: enough for stable counts, bounded in time.
#[cfg(feature = "ssr")]
const TOPIC_TEXTS: u32 = 20_000;

#[cfg(feature = "ssr")]
fn may_edit(role: crate::model::Role) -> bool {
    role == crate::model::Role::Admin
}

#[server(endpoint = "themes/overview")]
pub async fn get_themes_overview(days: Option<u32>) -> Result<ThemesOverview, AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let days = days.filter(|d| PERIODS.contains(d)).unwrap_or(30);
    let (version, taxonomy) = state.analyzer.taxonomy();
    let now = now_unix();
    let span = i64::from(days) * 86_400;
    let (progress, current, previous) = tokio::try_join!(
        state.store.tagging_progress(version),
        state.store.texts_between(now - span, now + 1, TOPIC_TEXTS),
        state
            .store
            .texts_between(now - 2 * span, now - span, TOPIC_TEXTS),
    )?;
    let analyzer = state.analyzer.clone();
    let emerging =
        tokio::task::spawn_blocking(move || analyzer.emerging_topics(&current, &previous, 25))
            .await
            .map_err(|_| AppError::Internal)?;
    Ok(ThemesOverview {
        version,
        themes: taxonomy.themes,
        status: RetagStatus {
            version,
            pending: progress.0,
            total: progress.1,
        },
        days,
        emerging,
        can_edit: may_edit(user.role),
    })
}

#[server(endpoint = "themes/status")]
pub async fn get_retag_status() -> Result<RetagStatus, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let version = state.analyzer.taxonomy().0;
    let (pending, total) = state.store.tagging_progress(version).await?;
    Ok(RetagStatus {
        version,
        pending,
        total,
    })
}

#[server(endpoint = "themes/form")]
pub async fn get_theme_form(key: Option<String>) -> Result<ThemeForm, AppError> {
    use crate::backend::*;
    require(may_edit).await?;
    let (version, taxonomy) = stored_taxonomy().await?;
    match key.filter(|k| !k.is_empty() && k != "new") {
        None => Ok(ThemeForm {
            version,
            theme: None,
            suggestions: Vec::new(),
            model: None,
        }),
        Some(key) => match taxonomy.theme(&key) {
            Some(theme) => Ok(ThemeForm {
                version,
                theme: Some(theme.clone()),
                suggestions: klantstem_core::taxonomy::keyword_suggestions(&state()?, &key).await?,
                model: state()?
                    .analyzer
                    .theme_models()
                    .into_iter()
                    .find(|r| r.key == key),
            }),
            None => fail(AppError::NotFound),
        },
    }
}

#[cfg(feature = "ssr")]
async fn stored_taxonomy() -> Result<(i64, crate::taxonomy::Taxonomy), AppError> {
    let state = crate::backend::state()?;
    Ok(klantstem_core::taxonomy::stored_taxonomy(&state).await?)
}

#[server(endpoint = "themes/save")]
pub async fn save_theme(
    version: Option<String>,
    original_key: Option<String>,
    #[server(flatten)] form: crate::taxonomy::ThemeEditForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(may_edit).await?;
    let original_key = original_key.filter(|k| !k.is_empty());
    let back = match &original_key {
        Some(k) => format!("/admin/themes/{}", crate::url::percent_encode(k)),
        None => "/admin/themes/new".to_string(),
    };
    let based_on: i64 = version.as_deref().unwrap_or("").parse().unwrap_or(-1);
    let (state, key) = (state()?, original_key.as_deref());
    match klantstem_core::taxonomy::save_theme(&state, based_on, key, &form, user.id).await {
        Ok(()) => {
            leptos_axum::redirect("/admin/themes?saved=1");
            Ok(())
        }
        Err(e) => {
            // Without JavaScript the form comes back filled in as it was sent, unless that
            // would make an unwieldy URL.
            let mut echo = form.fields();
            if echo.iter().map(|(_, v)| v.len()).sum::<usize>() > ECHO_MAX_BYTES {
                echo.clear();
            } else {
                echo.push(("echo", "1"));
            }
            theme_failed(e, &back, &echo)
        }
    }
}

/// Adds a suggested word to a theme's keywords (a new taxonomy version; texts are tagged again).
#[server(endpoint = "themes/keyword")]
pub async fn accept_keyword(
    version: Option<String>,
    key: Option<String>,
    language: Option<String>,
    word: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(may_edit).await?;
    let key = key.unwrap_or_default();
    let back = format!("/admin/themes/{}", crate::url::percent_encode(&key));
    let based_on: i64 = version.as_deref().unwrap_or("").parse().unwrap_or(-1);
    let (language, word) = (language.unwrap_or_default(), word.unwrap_or_default());
    match klantstem_core::taxonomy::accept_keyword(
        &state()?,
        based_on,
        &key,
        &language,
        &word,
        user.id,
    )
    .await
    {
        Ok(()) => {
            leptos_axum::redirect(&format!("{back}?accepted=1"));
            Ok(())
        }
        Err(e) => theme_failed(e, &back, &[]),
    }
}

/// Largest form content sent back in the URL after a failed plain-HTML save.
#[cfg(feature = "ssr")]
const ECHO_MAX_BYTES: usize = 1500;

#[server(endpoint = "themes/delete")]
pub async fn delete_theme(version: Option<String>, key: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(may_edit).await?;
    let key = key.unwrap_or_default();
    let based_on: i64 = version.as_deref().unwrap_or("").parse().unwrap_or(-1);
    let back = format!("/admin/themes/{}", crate::url::percent_encode(&key));
    match klantstem_core::taxonomy::delete_theme(&state()?, based_on, &key, user.id).await {
        Ok(()) => {
            leptos_axum::redirect("/admin/themes?deleted=1");
            Ok(())
        }
        Err(e) => theme_failed(e, &back, &[]),
    }
}

#[cfg(feature = "ssr")]
fn theme_failed(
    error: klantstem_core::taxonomy::ThemeError,
    back: &str,
    echo: &[(&str, &str)],
) -> Result<(), AppError> {
    use crate::backend::{fail, fail_form};
    use klantstem_core::taxonomy::ThemeError;
    match error {
        ThemeError::NotFound => fail(AppError::NotFound),
        ThemeError::Invalid(errors) => fail_form(AppError::InvalidTheme(errors), back, echo),
        ThemeError::Store(e) => fail(e.into()),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemesOverview {
    pub version: i64,
    pub themes: Vec<Theme>,
    pub status: RetagStatus,
    pub days: u32,
    pub emerging: Vec<EmergingTopic>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeForm {
    /// The taxonomy version the form was opened on.
    pub version: i64,
    /// `None` for a new theme.
    pub theme: Option<Theme>,
    /// Words to add to its keywords, from the texts people tagged with it.
    #[serde(default)]
    pub suggestions: Vec<crate::taxonomy::KeywordSuggestion>,
    /// How the theme's model learned from people's theme labels does, if one was trained.
    #[serde(default)]
    pub model: Option<domain::labels::ThemeModelReport>,
}

/// The periods (days) emerging topics can be computed over.
pub const PERIODS: [u32; 3] = [7, 30, 90];
