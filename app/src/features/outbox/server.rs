//! The outbox's server functions (admins): the list, sending a mail again, a test mail.

use crate::error::AppError;
use crate::outbox::OutboxEntry;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Mails listed on the page, newest first.
#[cfg(feature = "ssr")]
const SHOWN: u32 = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub entries: Vec<OutboxEntry>,
    /// An SMTP server is configured (else mails wait here).
    pub mail_enabled: bool,
}

#[server(endpoint = "outbox/list")]
pub async fn get_outbox() -> Result<OutboxPage, AppError> {
    use crate::backend::*;
    require(|r| r == crate::model::Role::Admin).await?;
    let state = state()?;
    Ok(OutboxPage {
        entries: state.store.list_outbox(SHOWN).await?,
        mail_enabled: state.settings.mail_enabled,
    })
}

/// Sends a failed (or sent) mail again.
#[server(endpoint = "outbox/resend")]
pub async fn resend_mail(id: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let state = state()?;
    let id = id.and_then(|i| i.parse::<i64>().ok()).unwrap_or(-1);
    if !state.store.resend_mail(id, now_unix()).await? {
        return fail(AppError::NotFound);
    }
    state.outbox.notify_one();
    tracing::info!(mail = id, user = user.id, "mail sent again");
    leptos_axum::redirect("/admin/outbox");
    Ok(())
}

/// Writes a test mail to the outbox, in the admin's language.
#[server(endpoint = "outbox/test")]
pub async fn send_test_mail(to: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    use crate::i18n::LocaleTexts;
    use klantstem_core::outbox::TestMailError;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let t = locale.texts();
    let to = to.unwrap_or_default();
    let body = crate::i18n::fill(t.outbox_test_body, &[("name", &user.display_name)]);
    match klantstem_core::outbox::send_test_mail(&state()?, &to, t.outbox_test_subject, &body).await
    {
        Ok(id) => {
            tracing::info!(mail = id, user = user.id, "test mail written to the outbox");
            leptos_axum::redirect("/admin/outbox?queued=1");
            Ok(())
        }
        Err(TestMailError::InvalidAddress) => {
            fail_form(AppError::InvalidRecipient, "/admin/outbox", &[("to", &to)])
        }
        Err(TestMailError::Store(e)) => fail(e.into()),
    }
}
