//! Webhooks, the events that feed them and their deliveries.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::webhook::{DeliveryLine, Webhook, WebhookInput};

/// An event not yet turned into deliveries.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingEvent {
    pub id: i64,
    pub event_id: String,
    pub kind: String,
    pub subject_id: i64,
    pub created_at: i64,
}

/// A delivery to write for an event.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDelivery {
    pub webhook_id: i64,
    pub event_id: String,
    pub kind: String,
    pub payload: String,
}

/// A delivery claimed for sending, with what sending needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedDelivery {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub allow_private: bool,
    pub event_id: String,
    pub payload: String,
    /// Tries including this one.
    pub attempts: u32,
}

#[async_trait]
pub trait WebhookStore: Send + Sync {
    async fn list_webhooks(&self) -> Result<Vec<Webhook>, StoreError>;
    /// Creates (`id` None, with `secret`) or changes a webhook; `None` when there is no such.
    async fn save_webhook(
        &self,
        id: Option<i64>,
        input: &WebhookInput,
        secret: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError>;
    async fn delete_webhook(&self, id: i64) -> Result<bool, StoreError>;
    async fn webhook_secret(&self, id: i64) -> Result<Option<String>, StoreError>;
    async fn pending_events(&self, limit: u32) -> Result<Vec<PendingEvent>, StoreError>;
    /// Writes the event's deliveries and marks it dispatched, together; false when another
    /// worker dispatched it first.
    async fn dispatch_event(
        &self,
        id: i64,
        deliveries: &[NewDelivery],
        now: i64,
    ) -> Result<bool, StoreError>;
    /// A delivery outside the event flow ("send test event").
    async fn enqueue_delivery(&self, delivery: &NewDelivery, now: i64) -> Result<(), StoreError>;
    /// Claims due deliveries for `lease` seconds (a worker that dies leaves them to another).
    async fn claim_deliveries(
        &self,
        now: i64,
        lease: i64,
        limit: u32,
    ) -> Result<Vec<ClaimedDelivery>, StoreError>;
    async fn delivery_done(&self, id: i64, status: u16, now: i64) -> Result<(), StoreError>;
    /// A failed try: tried again at `next`, or given up when `None`.
    async fn delivery_failed(
        &self,
        id: i64,
        status: Option<u16>,
        error: &str,
        next: Option<i64>,
    ) -> Result<(), StoreError>;
    async fn deliveries(&self, limit: u32) -> Result<Vec<DeliveryLine>, StoreError>;
    /// What routing knows of a response, for webhook conditions.
    async fn response_facts(
        &self,
        response_id: i64,
    ) -> Result<Option<domain::routing::Facts>, StoreError>;
    /// The response and department of a case: (response id, item id, department).
    async fn case_subject(&self, case_id: i64) -> Result<Option<(i64, i64, String)>, StoreError>;
    /// Removes dispatched events older than `before`.
    async fn purge_events(&self, before: i64) -> Result<u64, StoreError>;
}
