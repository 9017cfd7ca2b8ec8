//! The server functions of improvement actions: each parses, calls a use case in
//! `klantstem_core::actions` (which checks the department scope) and maps its error.

use crate::error::AppError;
use domain::action::ActionForm;
pub use domain::action::{ActionPage, ActionsPage};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::backend::*;
    use crate::error::AppError;
    use klantstem_core::actions::ActionUseError;

    pub fn locale() -> crate::i18n::Locale {
        request_parts()
            .map(|p| request_locale(&p))
            .unwrap_or_default()
    }

    pub fn to_app_error(e: ActionUseError) -> AppError {
        match e {
            ActionUseError::NotFound => AppError::NotFound,
            ActionUseError::Forbidden => AppError::Forbidden,
            ActionUseError::Invalid(errors) => AppError::InvalidAction(errors),
            ActionUseError::Store(e) => e.into(),
        }
    }

    pub fn post_failed(e: ActionUseError, back: &str) -> Result<(), AppError> {
        match to_app_error(e) {
            e @ (AppError::NotFound | AppError::Forbidden | AppError::Internal) => fail(e),
            e => fail_form(e, back, &[]),
        }
    }
}

#[cfg(feature = "ssr")]
fn staff(role: crate::model::Role) -> bool {
    role.is_staff()
}

#[server(endpoint = "actions/list")]
pub async fn get_actions(
    theme: Option<String>,
    response: Option<String>,
    item: Option<String>,
    idea: Option<String>,
) -> Result<ActionsPage, AppError> {
    use ssr::*;
    let user = require(staff).await?;
    let id = |raw: Option<String>| raw.and_then(|r| r.parse::<i64>().ok());
    let from = klantstem_core::actions::StartFrom {
        theme: theme.filter(|t| !t.is_empty()),
        response: id(response),
        item: id(item),
        idea: id(idea),
    };
    klantstem_core::actions::overview(&state()?, &user, &from, locale())
        .await
        .or_else(|e| fail(to_app_error(e)))
}

#[server(endpoint = "actions/create")]
pub async fn create_action(#[server(flatten)] form: ActionForm) -> Result<(), AppError> {
    use ssr::*;
    let user = require(staff).await?;
    match klantstem_core::actions::create(&state()?, &user, &form, locale()).await {
        Ok(id) => {
            leptos_axum::redirect(&format!("/actions/{id}"));
            Ok(())
        }
        Err(e) => post_failed(e, "/actions"),
    }
}

#[server(endpoint = "actions/get")]
pub async fn get_action(
    id: Option<String>,
    window: Option<String>,
) -> Result<ActionPage, AppError> {
    use ssr::*;
    let user = require(staff).await?;
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    let window = window.and_then(|w| w.parse::<i64>().ok());
    klantstem_core::actions::page(&state()?, &user, id, window, locale())
        .await
        .or_else(|e| fail(to_app_error(e)))
}

#[server(endpoint = "actions/save")]
pub async fn save_action(id: i64, #[server(flatten)] form: ActionForm) -> Result<(), AppError> {
    use ssr::*;
    let user = require(staff).await?;
    let mail = crate::mail::context(mail_base());
    let back = format!("/actions/{id}");
    match klantstem_core::actions::update(&state()?, &user, id, &form, &mail, locale()).await {
        Ok(told) => {
            leptos_axum::redirect(&format!("{back}?saved=1&told={told}"));
            Ok(())
        }
        Err(e) => post_failed(e, &back),
    }
}
