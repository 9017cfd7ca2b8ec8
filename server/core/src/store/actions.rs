//! Improvement actions: their evidence, the before/after figures of their themes, and the
//! customers told they were done.

use crate::error::StoreError;
use crate::store::NewMail;
use async_trait::async_trait;
use domain::action::{Action, ActionInput, ActionLine, ToldCustomers, WindowFigures};

/// A consented customer behind an action's feedback, to tell it was done.
#[derive(Debug, Clone, PartialEq)]
pub struct ToldCandidate {
    pub response_id: i64,
    pub email: String,
    /// The language they answered in.
    pub locale: String,
    pub customer_hash: Option<String>,
}

/// One customer told, with their mail.
#[derive(Debug, Clone, PartialEq)]
pub struct Telling {
    pub response_id: i64,
    pub customer_hash: Option<String>,
    pub mail: NewMail,
}

#[async_trait]
pub trait ActionStore: Send + Sync {
    async fn create_action(
        &self,
        input: &ActionInput,
        created_by: i64,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// Saves the fields (not the evidence). The first time it becomes done, `done_at` is set and
    /// `tell` is written — rows and mails — in the same transaction; false: no such action.
    async fn update_action(
        &self,
        id: i64,
        input: &ActionInput,
        tell: &[Telling],
        now: i64,
    ) -> Result<bool, StoreError>;
    async fn add_evidence(
        &self,
        id: i64,
        kind: domain::action::EvidenceKind,
        target: i64,
    ) -> Result<(), StoreError>;
    /// The action with its evidence; labels are raw texts (the use case masks them).
    async fn action(&self, id: i64) -> Result<Option<Action>, StoreError>;
    /// Actions of `departments` (all when `None`; unassigned ones only to all), open first.
    async fn list_actions(
        &self,
        departments: Option<&[i64]>,
    ) -> Result<Vec<ActionLine>, StoreError>;
    /// The figures of `themes` among responses given in `[from, to)`.
    async fn window_figures(
        &self,
        themes: &[String],
        from: i64,
        to: i64,
    ) -> Result<WindowFigures, StoreError>;
    /// Consented customers behind the action's feedback since `since`: its responses, its
    /// items' responses and responses mentioning its themes; one per address, latest answer.
    async fn told_candidates(
        &self,
        id: i64,
        since: i64,
        limit: u32,
    ) -> Result<Vec<ToldCandidate>, StoreError>;
    /// How the customers told about action `id` (every done action: `None`) scored before and
    /// after.
    async fn told_customers(&self, id: Option<i64>) -> Result<ToldCustomers, StoreError>;
    /// Done actions with a public message, newest first: (title, message, done at).
    async fn public_actions(&self, limit: u32) -> Result<Vec<(String, String, i64)>, StoreError>;
}
