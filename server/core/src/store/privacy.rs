//! Privacy: one customer's data gathered and erased, found by their customer hashes (keyed
//! hashes of their references) and e-mail addresses; the audit log.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::privacy::{AuditAction, AuditEntry, CustomerData, Erasure, Retention};

/// Who a privacy request is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// The customer hash of each reference.
    pub hashes: Vec<String>,
    /// The references that are e-mail addresses, lower case.
    pub emails: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    /// `None` for the platform itself (the retention job).
    pub user_id: Option<i64>,
    pub actor: String,
    pub action: AuditAction,
    pub subject: String,
    pub detail: String,
}

#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Everything held about `subject`: their account (a customer account only), responses
    /// (by customer hash or contact address) with themes and answers, ideas, comments, votes,
    /// follows, where their feedback was routed with staff notes, and mails to them.
    async fn customer_data(&self, subject: &Subject) -> Result<CustomerData, StoreError>;
    /// Erases `subject` in one transaction with its audit line: scored responses lose text,
    /// themes, answers' texts, labels, contact details and their link to the customer (the
    /// rollups lose their theme mentions, keep their scores); text-only feedback goes; staff
    /// notes on their feedback, mails to them, their votes, follows and comments go; their
    /// customer account is anonymised and its ideas kept without a name. The audit line's
    /// detail becomes what was done.
    async fn erase_customer(
        &self,
        subject: &Subject,
        audit: &NewAudit,
        now: i64,
    ) -> Result<Erasure, StoreError>;
    /// Anonymises responses older than `cutoff`, at most `limit` of them (call again until fewer
    /// come back): they lose contact address, customer reference and customer link (journeys
    /// follow). Texts and scores stay. Answers how many.
    async fn anonymise_responses_before(&self, cutoff: i64, limit: u32) -> Result<u64, StoreError>;
    /// Deletes what is older than `cutoff` and kept only for working: staff notes and contact
    /// notes' texts, sent and failed mails, finished webhook deliveries (`responses` stays 0).
    async fn delete_records_before(&self, cutoff: i64) -> Result<Retention, StoreError>;
    /// Withdraws the consent `subject` gave with their responses: the time is kept, the contact
    /// address and customer reference (kept only with consent) go; with its audit line (detail:
    /// how many). Answers how many responses had a consent withdrawn.
    async fn withdraw_consent(
        &self,
        subject: &Subject,
        audit: &NewAudit,
        now: i64,
    ) -> Result<u64, StoreError>;
    async fn record_audit(&self, audit: &NewAudit, now: i64) -> Result<(), StoreError>;
    /// The newest `limit` lines, newest first.
    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, StoreError>;
}
