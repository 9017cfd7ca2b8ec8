//! Privacy requests (GDPR): an admin finds what the platform holds about a customer by the
//! references they are known by, exports it as data, or erases it; every look, export and
//! erasure is written to the audit log, and so is staff opening a response or an inbox item.

use crate::error::StoreError;
use crate::secrets::customer_hash;
use crate::state::{now_unix, AppState};
use crate::store::{NewAudit, Subject};
use domain::model::{Role, UserInfo};
use domain::privacy::{
    AuditAction, AuditEntry, CustomerData, Erasure, PrivacyError, References, Retention,
};

#[derive(Debug, thiserror::Error)]
pub enum PrivacyUseError {
    #[error("the request has a problem: {0:?}")]
    Invalid(PrivacyError),
    #[error("only admins handle privacy requests")]
    Forbidden,
    /// A customer's consent link that this installation did not make.
    #[error("the link does not work")]
    LinkInvalid,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How many audit lines the privacy page shows.
pub const AUDIT_LINES: u32 = 200;

fn admin(user: &UserInfo) -> Result<(), PrivacyUseError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(PrivacyUseError::Forbidden)
    }
}

fn subject(state: &AppState, refs: &References) -> Subject {
    Subject {
        hashes: refs
            .as_slice()
            .iter()
            .map(|r| customer_hash(&state.customer_key, r))
            .collect(),
        emails: refs.emails(),
    }
}

fn audit(user: &UserInfo, action: AuditAction, subject: String, detail: String) -> NewAudit {
    NewAudit {
        user_id: Some(user.id),
        actor: user.display_name.clone(),
        action,
        subject,
        detail,
    }
}

fn references(raw: &str) -> Result<References, PrivacyUseError> {
    References::parse(raw).map_err(PrivacyUseError::Invalid)
}

/// What is held about the customer behind `raw` (one reference per line), for the admin's
/// overview; logged as viewed.
pub async fn find(
    state: &AppState,
    user: &UserInfo,
    raw: &str,
) -> Result<CustomerData, PrivacyUseError> {
    gather(state, user, raw, AuditAction::Viewed).await
}

/// Everything held about the customer, for them (a JSON file); logged as exported.
pub async fn export(
    state: &AppState,
    user: &UserInfo,
    raw: &str,
) -> Result<CustomerData, PrivacyUseError> {
    let data = gather(state, user, raw, AuditAction::Exported).await?;
    tracing::info!(user = user.id, "customer data exported");
    Ok(data)
}

async fn gather(
    state: &AppState,
    user: &UserInfo,
    raw: &str,
    action: AuditAction,
) -> Result<CustomerData, PrivacyUseError> {
    admin(user)?;
    let refs = references(raw)?;
    let data = state.store.customer_data(&subject(state, &refs)).await?;
    let line = audit(user, action, refs.masked(), data.counts());
    state.store.record_audit(&line, now_unix()).await?;
    Ok(data)
}

/// Erases the customer (see [`crate::store::PrivacyStore::erase_customer`]) once the admin
/// confirmed it; the audit line is written in the same transaction.
pub async fn erase(
    state: &AppState,
    user: &UserInfo,
    raw: &str,
    confirmed: bool,
) -> Result<Erasure, PrivacyUseError> {
    admin(user)?;
    let refs = references(raw)?;
    if !confirmed {
        return Err(PrivacyUseError::Invalid(PrivacyError::NotConfirmed));
    }
    let line = audit(user, AuditAction::Erased, refs.masked(), String::new());
    let done = state
        .store
        .erase_customer(&subject(state, &refs), &line, now_unix())
        .await?;
    tracing::info!(user = user.id, erased = %done.counts(), "customer erased");
    Ok(done)
}

/// The customer withdraws the consent they gave (contact, keeping their reference): an admin
/// records it on their request.
pub async fn withdraw_consent(
    state: &AppState,
    user: &UserInfo,
    raw: &str,
) -> Result<u64, PrivacyUseError> {
    admin(user)?;
    let refs = references(raw)?;
    let line = audit(user, AuditAction::Withdrew, refs.masked(), String::new());
    let n = state
        .store
        .withdraw_consent(&subject(state, &refs), &line, now_unix())
        .await?;
    tracing::info!(user = user.id, responses = n, "consent withdrawn");
    Ok(n)
}

/// The proof in a consent link that the installation made it for `email`.
pub fn consent_token(key: &str, email: &str) -> String {
    customer_hash(key, &format!("consent:{}", email.trim().to_lowercase()))
}

/// Where a customer withdraws, themselves, the consent they gave with their feedback: the link
/// at the foot of every mail sent to them about it.
pub fn consent_link(state: &AppState, base: &str, email: &str) -> String {
    let email = email.trim().to_lowercase();
    format!(
        "{base}/account/consent?e={}&t={}",
        domain::url::percent_encode(&email),
        consent_token(&state.customer_key, &email)
    )
}

/// A customer withdraws their consent from the link in a mail (no account needed): like an
/// admin's withdrawal, the record of the consent and its time stay, the address and customer
/// reference go, and the audit log says the customer did it. Answers how many responses.
pub async fn withdraw_by_link(
    state: &AppState,
    email: &str,
    token: &str,
) -> Result<u64, PrivacyUseError> {
    let expected = consent_token(&state.customer_key, email);
    if !crate::secrets::constant_time_eq(expected.as_bytes(), token.trim().as_bytes()) {
        return Err(PrivacyUseError::LinkInvalid);
    }
    let refs = references(email)?;
    let line = NewAudit {
        user_id: None,
        actor: "customer (mail link)".into(),
        action: AuditAction::Withdrew,
        subject: refs.masked(),
        detail: String::new(),
    };
    let n = state
        .store
        .withdraw_consent(&subject(state, &refs), &line, now_unix())
        .await?;
    tracing::info!(responses = n, "consent withdrawn by the customer");
    Ok(n)
}

/// Staff opened something that shows a customer's words or contact details (`what`, e.g.
/// `response 12`): one audit line.
pub async fn record_view(
    state: &AppState,
    user: &UserInfo,
    what: String,
) -> Result<(), StoreError> {
    let line = audit(user, AuditAction::Viewed, what, String::new());
    state.store.record_audit(&line, now_unix()).await
}

/// Anonymises personal data older than the retention setting, in batches, and writes one audit
/// line for what it did; nothing without a setting. Run daily by the server (and safe to run
/// on several processes at once: a second run finds nothing left).
pub async fn apply_retention(state: &AppState) -> Result<Retention, StoreError> {
    let Some(months) = state.settings.retention_months else {
        return Ok(Retention::default());
    };
    let now = now_unix();
    let cutoff = domain::privacy::retention_cutoff(now, months);
    // Batches, so a first run over years of data does not hold the writer for long.
    let mut responses = 0;
    loop {
        let done = state.store.anonymise_responses_before(cutoff, 500).await?;
        responses += done;
        if done < 500 {
            break;
        }
    }
    let total = Retention {
        responses,
        ..state.store.delete_records_before(cutoff).await?
    };
    if !total.is_empty() {
        let line = NewAudit {
            user_id: None,
            actor: "retention".into(),
            action: AuditAction::Erased,
            subject: format!("> {months} months"),
            detail: total.counts(),
        };
        state.store.record_audit(&line, now).await?;
        tracing::info!(months, anonymised = %total.counts(), "retention applied");
    }
    Ok(total)
}

pub async fn audit_log(
    state: &AppState,
    user: &UserInfo,
) -> Result<Vec<AuditEntry>, PrivacyUseError> {
    admin(user)?;
    Ok(state.store.audit_log(AUDIT_LINES).await?)
}
