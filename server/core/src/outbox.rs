//! Delivering the outbox: a worker claims due mails, hands them to the `Mailer` (SMTP in the
//! server), and records the outcome; failures are tried again with backoff, then given up and
//! shown to admins, who can send them again.

use crate::error::StoreError;
use crate::secrets::random_token;
use crate::state::{now_unix, AppState};
use crate::store::{Mail, NewMail};
use async_trait::async_trait;
use domain::outbox::{retry_delay, LEASE_SECS, SUBJECT_MAX_CHARS};
use domain::survey::Email;
use std::sync::Arc;
use std::time::Duration;

/// Why a delivery failed (the SMTP server's answer, a connection error), kept for admins.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct MailError(pub String);

/// Where mails go: the SMTP adapter in the server, a recording one in tests.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &Mail) -> Result<(), MailError>;
}

/// Mails claimed per round.
const BATCH: u32 = 20;

/// A fresh Message-ID, the same for every try of the mail.
pub fn message_id(domain: &str) -> String {
    format!("<{}@{domain}>", &random_token()[..32])
}

/// Delivers the mails that are due; answers how many were sent.
pub async fn deliver_due(state: &AppState, mailer: &dyn Mailer) -> Result<usize, StoreError> {
    deliver_due_at(state, mailer, now_unix).await
}

/// [`deliver_due`] on the clock `now` (tests move it forward to see retries).
pub async fn deliver_due_at(
    state: &AppState,
    mailer: &dyn Mailer,
    now: impl Fn() -> i64,
) -> Result<usize, StoreError> {
    let mut sent = 0;
    loop {
        let mails = state.store.claim_mail(now(), LEASE_SECS, BATCH).await?;
        if mails.is_empty() {
            return Ok(sent);
        }
        for mail in mails {
            match mailer.send(&mail).await {
                Ok(()) => {
                    state.store.mail_sent(mail.id, now()).await?;
                    sent += 1;
                }
                Err(e) => {
                    let retry = retry_delay(mail.attempts).map(|d| now() + d);
                    tracing::warn!(mail = mail.id, attempt = mail.attempts, error = %e, "mail not delivered");
                    state.store.mail_failed(mail.id, &e.0, retry).await?;
                }
            }
        }
    }
}

/// Runs the mail worker: at start, when woken (a new mail), and every 30 s for retries.
pub fn spawn(state: AppState, mailer: Arc<dyn Mailer>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = deliver_due(&state, &*mailer).await {
                tracing::error!(error = %e, "outbox delivery failed");
            }
            let _ = tokio::time::timeout(Duration::from_secs(30), state.outbox.notified()).await;
        }
    });
}

#[derive(Debug, thiserror::Error)]
pub enum TestMailError {
    #[error("not an e-mail address")]
    InvalidAddress,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes a test mail to the outbox (admins check the mail settings with it); answers its id.
pub async fn send_test_mail(
    state: &AppState,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<i64, TestMailError> {
    let to = Email::parse(to).ok_or(TestMailError::InvalidAddress)?;
    let mail = NewMail {
        kind: "test".into(),
        recipient: to.as_str().to_string(),
        subject: subject.chars().take(SUBJECT_MAX_CHARS).collect(),
        body: body.to_string(),
        message_id: message_id("klantstem.local"),
    };
    let id = state.store.enqueue_mail(&mail, now_unix()).await?;
    state.outbox.notify_one();
    Ok(id)
}
