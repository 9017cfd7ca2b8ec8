//! The outbox: mails written with the change that causes them, claimed by a delivery worker.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::outbox::OutboxEntry;

#[derive(Debug, Clone, PartialEq)]
pub struct NewMail {
    /// What the mail is about (`test`, `verify_email`, …), for admins.
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// `<…@…>`, the same for every try.
    pub message_id: String,
}

/// A mail claimed for delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Tries including this one.
    pub attempts: i32,
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    async fn enqueue_mail(&self, mail: &NewMail, now: i64) -> Result<i64, StoreError>;

    /// Takes up to `limit` mails that are due (pending, or claimed by a worker whose lease ended)
    /// for `lease` seconds, counting the attempt. Two workers never claim the same mail at once.
    async fn claim_mail(&self, now: i64, lease: i64, limit: u32) -> Result<Vec<Mail>, StoreError>;

    async fn mail_sent(&self, id: i64, now: i64) -> Result<(), StoreError>;

    /// Records a failed try: again at `retry_at`, or given up (`None`).
    async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError>;

    /// Newest first.
    async fn list_outbox(&self, limit: u32) -> Result<Vec<OutboxEntry>, StoreError>;

    /// Sends a given-up or sent mail again from now, with a fresh count of tries; `false` when
    /// there is no such mail or it is still pending or being sent.
    async fn resend_mail(&self, id: i64, now: i64) -> Result<bool, StoreError>;
}
