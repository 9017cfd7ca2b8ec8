//! The storage ports, one per aggregate, under one supertrait [`Store`]. The `store` crate
//! implements them for SQLite and PostgreSQL; its conformance suite checks both the same way.

mod accounts;
mod actions;
mod departments;
mod ideas;
mod imports;
mod labels;
mod outbox;
mod privacy;
mod responses;
mod scores;
mod surveys;
mod taxonomy;
mod tokens;
mod users;
mod webhooks;

pub use accounts::*;
pub use actions::*;
pub use departments::*;
pub use ideas::*;
pub use imports::*;
pub use labels::*;
pub use outbox::*;
pub use privacy::*;
pub use responses::*;
pub use scores::*;
pub use surveys::*;
pub use taxonomy::*;
pub use tokens::*;
pub use users::*;
pub use webhooks::*;

use crate::error::StoreError;
use async_trait::async_trait;

/// Everything the application stores. Calls go through `Arc<dyn Store>`: the methods of every
/// port are callable on it without importing the port.
#[async_trait]
pub trait Store:
    UserStore
    + AccountStore
    + ActionStore
    + DepartmentStore
    + IdeaStore
    + SurveyStore
    + ResponseStore
    + ScoreStore
    + TaxonomyStore
    + TokenStore
    + ImportStore
    + LabelStore
    + OutboxStore
    + PrivacyStore
    + WebhookStore
    + 'static
{
    /// "sqlite" or "postgres".
    fn backend_name(&self) -> &'static str;

    async fn ping(&self) -> Result<(), StoreError>;

    /// The value of an installation secret, created from `initial` the first time.
    async fn instance_secret(&self, name: &str, initial: &str) -> Result<String, StoreError>;

    /// What is wrong with the stored data, in words; empty when it is sound. SQLite's
    /// `integrity_check` and foreign keys, PostgreSQL's index validity, and on both the rollups
    /// against the responses they count (`server check`, the crash test).
    async fn check(&self) -> Result<Vec<String>, StoreError>;
}
