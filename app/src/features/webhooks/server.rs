//! The server functions of webhook administration (admins only); each calls a use case in
//! `klantstem_core::webhooks`.

use crate::error::AppError;
use domain::webhook::{DeliveryLine, Webhook, WebhookForm};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhooksData {
    pub webhooks: Vec<Webhook>,
    pub deliveries: Vec<DeliveryLine>,
    /// The webhook being edited and its signing secret.
    pub editing: Option<(Webhook, String)>,
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::backend::*;
    use crate::error::AppError;
    use klantstem_core::webhooks::WebhookUseError;

    pub fn to_app_error(e: WebhookUseError) -> AppError {
        match e {
            WebhookUseError::Forbidden => AppError::Forbidden,
            WebhookUseError::NotFound => AppError::NotFound,
            WebhookUseError::Invalid(errors) => AppError::InvalidWebhook(errors),
            WebhookUseError::Store(e) => e.into(),
        }
    }

    pub fn done(result: Result<String, WebhookUseError>, back: &str) -> Result<(), AppError> {
        match result {
            Ok(to) => {
                leptos_axum::redirect(&to);
                Ok(())
            }
            Err(e) => match to_app_error(e) {
                e @ (AppError::Forbidden | AppError::NotFound | AppError::Internal) => fail(e),
                e => fail_form(e, back, &[]),
            },
        }
    }

    pub async fn admin() -> Result<crate::model::UserInfo, AppError> {
        require(|r| r == crate::model::Role::Admin).await
    }
}

#[server(endpoint = "webhooks/list")]
pub async fn get_webhooks(edit: Option<String>) -> Result<WebhooksData, AppError> {
    use ssr::*;
    let user = admin().await?;
    let state = state()?;
    let (webhooks, deliveries) = klantstem_core::webhooks::page(&state, &user)
        .await
        .or_else(|e| fail(to_app_error(e)))?;
    let editing = match edit.and_then(|e| e.parse::<i64>().ok()) {
        Some(id) => match webhooks.iter().find(|w| w.id == id) {
            Some(w) => Some((
                w.clone(),
                klantstem_core::webhooks::secret(&state, &user, id)
                    .await
                    .or_else(|e| fail(to_app_error(e)))?,
            )),
            None => return fail(AppError::NotFound),
        },
        None => None,
    };
    Ok(WebhooksData {
        webhooks,
        deliveries,
        editing,
    })
}

#[server(endpoint = "webhooks/deliveries")]
pub async fn get_webhook_deliveries() -> Result<Vec<DeliveryLine>, AppError> {
    use ssr::*;
    let user = admin().await?;
    klantstem_core::webhooks::deliveries(&state()?, &user)
        .await
        .or_else(|e| fail(to_app_error(e)))
}

#[server(endpoint = "webhooks/save")]
pub async fn save_webhook(#[server(flatten)] form: WebhookForm) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    let back = match form.existing() {
        Some(id) => format!("/admin/webhooks?edit={id}"),
        None => "/admin/webhooks".to_string(),
    };
    let result = klantstem_core::webhooks::save(&state()?, &user, &form)
        .await
        .map(|id| format!("/admin/webhooks?edit={id}&saved=1"));
    done(result, &back)
}

#[server(endpoint = "webhooks/delete")]
pub async fn delete_webhook(id: i64) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    let result = klantstem_core::webhooks::delete(&state()?, &user, id)
        .await
        .map(|()| "/admin/webhooks".to_string());
    done(result, "/admin/webhooks")
}

#[server(endpoint = "webhooks/ping")]
pub async fn ping_webhook(id: i64) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    let result = klantstem_core::webhooks::ping(&state()?, &user, id)
        .await
        .map(|event| format!("/admin/webhooks?edit={id}&ping={event}#deliveries"));
    done(result, "/admin/webhooks")
}
