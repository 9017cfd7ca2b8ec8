//! Privacy requests (admins): find a customer's data, erase it, read the audit log. The export
//! itself is a download (`server/src/http/privacy.rs`).

use crate::error::AppError;
use domain::privacy::{AuditEntry, CustomerData, PrivacyError};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyPage {
    /// What is held about the references searched for.
    pub found: Option<CustomerData>,
    /// What is wrong with the references searched for.
    pub problem: Option<PrivacyError>,
    pub audit: Vec<AuditEntry>,
}

#[cfg(feature = "ssr")]
fn privacy_failed(
    e: klantstem_core::privacy::PrivacyUseError,
) -> Result<Option<PrivacyError>, AppError> {
    use crate::backend::*;
    use klantstem_core::privacy::PrivacyUseError as E;
    match e {
        E::Invalid(problem) => Ok(Some(problem)),
        E::Forbidden => fail(AppError::Forbidden),
        E::LinkInvalid => fail(AppError::LinkInvalid),
        E::Store(e) => fail(e.into()),
    }
}

/// A form that failed: back to the page with the problem and the references typed.
#[cfg(feature = "ssr")]
fn privacy_form_failed(
    e: klantstem_core::privacy::PrivacyUseError,
    refs: &str,
) -> Result<(), AppError> {
    use crate::backend::*;
    match privacy_failed(e)? {
        Some(problem) => fail_form(AppError::InvalidPrivacy(problem), PAGE, &[("refs", refs)]),
        None => fail(AppError::Internal),
    }
}

#[cfg(feature = "ssr")]
const PAGE: &str = "/admin/privacy";

/// The page: what is held about `refs` (looking is logged), and the audit log.
#[server(endpoint = "privacy/page")]
pub async fn get_privacy(refs: Option<String>) -> Result<PrivacyPage, AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let state = state()?;
    let mut page = PrivacyPage {
        found: None,
        problem: None,
        audit: Vec::new(),
    };
    if let Some(refs) = refs.filter(|r| !r.trim().is_empty()) {
        match klantstem_core::privacy::find(&state, &user, &refs).await {
            Ok(data) => page.found = Some(data),
            Err(e) => page.problem = privacy_failed(e)?,
        }
    }
    page.audit = klantstem_core::privacy::audit_log(&state, &user)
        .await
        .or_else(|e| privacy_failed(e).map(|_| Vec::new()))?;
    Ok(page)
}

/// Withdraws the consent given by the customer behind `refs`.
#[server(endpoint = "privacy/withdraw")]
pub async fn withdraw_consent(refs: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let refs = refs.unwrap_or_default();
    match klantstem_core::privacy::withdraw_consent(&state()?, &user, &refs).await {
        Ok(n) => {
            leptos_axum::redirect(&format!(
                "{PAGE}?withdrawn={n}&refs={}",
                crate::url::percent_encode(&refs)
            ));
            Ok(())
        }
        Err(e) => privacy_form_failed(e, &refs),
    }
}

/// Erases what is held about `refs`, once `confirm` is ticked.
#[server(endpoint = "privacy/erase")]
pub async fn erase_customer(refs: Option<String>, confirm: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(|r| r == crate::model::Role::Admin).await?;
    let refs = refs.unwrap_or_default();
    let confirmed = confirm.is_some_and(|c| !c.is_empty());
    match klantstem_core::privacy::erase(&state()?, &user, &refs, confirmed).await {
        Ok(_) => {
            leptos_axum::redirect(&format!("{PAGE}?erased=1"));
            Ok(())
        }
        Err(e) => privacy_form_failed(e, &refs),
    }
}

/// A customer withdraws their consent from the link in a mail to them (`e`: their address,
/// `t`: the link's proof). No account needed; the page says what happened.
#[server(endpoint = "privacy/consent")]
pub async fn withdraw_own_consent(e: Option<String>, t: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::privacy::PrivacyUseError as E;
    let (e, t) = (e.unwrap_or_default(), t.unwrap_or_default());
    let back = [("e", e.as_str()), ("t", t.as_str())];
    const CONSENT: &str = "/account/consent";
    match klantstem_core::privacy::withdraw_by_link(&state()?, &e, &t).await {
        Ok(_) => {
            leptos_axum::redirect(&format!("{CONSENT}?done=1"));
            Ok(())
        }
        Err(E::LinkInvalid | E::Invalid(_)) => fail_form(AppError::LinkInvalid, CONSENT, &back),
        Err(E::Forbidden) => fail(AppError::Forbidden),
        Err(E::Store(e)) => fail(e.into()),
    }
}
