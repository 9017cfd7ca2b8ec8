//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::PublicSurvey;
use leptos::prelude::*;

#[server(endpoint = "surveys/open")]
pub async fn list_open_surveys() -> Result<Vec<PublicSurvey>, AppError> {
    let state = crate::backend::state()?;
    let surveys = state.store.list_surveys().await?;
    Ok(surveys
        .into_iter()
        .filter(|s| s.is_public())
        .map(PublicSurvey::from)
        .collect())
}
