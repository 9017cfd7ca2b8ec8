//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::import::ImportPreview;
use crate::import::ImportSummary;
use crate::import::MappingForm;
use leptos::prelude::*;

#[server(endpoint = "import/list")]
pub async fn list_imports() -> Result<Vec<ImportSummary>, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    Ok(state()?.store.list_imports(20).await?)
}

#[server(endpoint = "import/preview")]
pub async fn get_import_preview(
    id: Option<String>,
    #[server(flatten)] mapping: MappingForm,
) -> Result<ImportPreview, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    klantstem_core::import::preview(&state()?, id, &mapping, locale)
        .await
        .or_else(import_failed)
}

#[server(endpoint = "import/start")]
pub async fn start_import(
    id: Option<String>,
    #[server(flatten)] mapping: MappingForm,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    klantstem_core::import::start(&state()?, id, &mapping, Some(user.id))
        .await
        .or_else(import_failed)?;
    leptos_axum::redirect(&format!("/admin/import/{id}"));
    Ok(())
}

#[cfg(feature = "ssr")]
fn import_failed<T>(error: klantstem_core::import::ImportError) -> Result<T, AppError> {
    use crate::backend::fail;
    use klantstem_core::import::ImportError;
    match error {
        ImportError::NotFound => fail(AppError::NotFound),
        ImportError::Store(e) => fail(e.into()),
        ImportError::Task(_) => fail(AppError::Internal),
    }
}

#[server(endpoint = "import/status")]
pub async fn get_import_status(id: i64) -> Result<ImportSummary, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    match state()?
        .store
        .list_imports(200)
        .await?
        .into_iter()
        .find(|i| i.id == id)
    {
        Some(s) => Ok(s),
        None => fail(AppError::NotFound),
    }
}
