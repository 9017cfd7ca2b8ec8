//! The storage ports of `klantstem_core` on SQLite (the embedded default) and PostgreSQL.
//!
//! Every query is written once, in a dialect both databases accept (`$N` placeholders,
//! `ON CONFLICT`, `RETURNING`), in one file per aggregate. Each file holds a `macro_rules!`
//! that implements its port for a store type; [`sqlite::SqliteStore`] and
//! [`postgres::PgStore`] invoke them all through `sql_store!`. Where the SQL must differ, the
//! code asks the [`Dialect`]. Connection setup and migrations are per backend. The conformance
//! suite (`tests/conformance.rs`) runs the same checks on both.

use klantstem_core::{Store, StoreError};
use std::sync::Arc;

mod accounts;
mod actions;
mod departments;
mod group_commit;
mod idea_sql;
mod ideas;
mod imports;
mod instance;
mod labels;
mod outbox;
mod privacy;
mod responses;
mod scores;
mod survey_cache;
mod surveys;
mod taxonomy;
mod tokens;
mod users;
mod webhooks;
mod writes;

mod filter;
pub(crate) mod rollup;
mod rows;

pub mod postgres;
pub mod sqlite;
#[cfg(feature = "test-db")]
pub mod test_db;

pub(crate) use filter::{
    filter_sql, filter_sql_from, marks, numbered, placeholders, scan_sql, Bind,
};

/// The SQL dialect of a backend, for the few statements that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
}

/// Opens the database named by `url` (`sqlite://…` or `postgres://…`) and applies migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else {
        Err(StoreError::Backend(
            format!("unsupported database URL {url:?}: use sqlite://PATH or postgres://…").into(),
        ))
    }
}

fn migrate_err(e: sqlx::migrate::MigrateError) -> StoreError {
    StoreError::backend(e)
}

/// Implements every port for a struct with a `pool` field of one sqlx backend.
macro_rules! sql_store {
    ($store:ty, $dialect:expr) => {
        instance_store!($store, $dialect);
        user_store!($store, $dialect);
        account_store!($store, $dialect);
        action_store!($store, $dialect);
        department_store!($store, $dialect);
        idea_store!($store, $dialect);
        survey_store!($store, $dialect);
        response_store!($store, $dialect);
        score_store!($store, $dialect);
        taxonomy_store!($store, $dialect);
        token_store!($store, $dialect);
        import_store!($store, $dialect);
        label_store!($store, $dialect);
        outbox_store!($store, $dialect);
        privacy_store!($store, $dialect);
        webhook_store!($store, $dialect);
    };
}
pub(crate) use sql_store;

/// The names the per-aggregate macros use, imported where they expand.
mod prelude {
    pub(crate) use crate::accounts::{account_store, insert_account_token};
    pub(crate) use crate::actions::action_store;
    pub(crate) use crate::departments::{
        department_store, load_rules, ItemRow, ITEM_SELECT, ROUTE_CHUNK,
    };
    pub(crate) use crate::ideas::{
        idea_store, insert_event, record_moves, set_membership, write_notices,
    };
    pub(crate) use crate::imports::import_store;
    pub(crate) use crate::instance::instance_store;
    pub(crate) use crate::labels::label_store;
    pub(crate) use crate::outbox::outbox_store;
    pub(crate) use crate::privacy::{insert_audit, privacy_store, subject_ids};
    pub(crate) use crate::responses::{response_store, INSERT_ROWS};
    pub(crate) use crate::rollup;
    pub(crate) use crate::rows::{
        api_token_from_row, import_from_row, mail_from_row, outbox_entry_from_row, survey_from_row,
        user_info, verbatim_from_row, ApiTokenRow, ClaimedMailRow, ImportRecordRow, ImportRow,
        OutboxRow, SurveyRow, VerbatimRow, IMPORT_COLUMNS, SURVEY_COLUMNS, VERBATIM_SELECT,
    };
    pub(crate) use crate::rows::{
        board_from_row, idea_from_row, roadmap_item, triage_record, AccountRow, BoardRow, CardRow,
        CommentRow, IdeaRow, NotificationRow, RecipientRow, StatusRow, TriageRow, ACCOUNT_SELECT,
        BOARD_COLUMNS, CARD_SELECT, IDEA_SELECT,
    };
    pub(crate) use crate::scores::score_store;
    pub(crate) use crate::survey_cache::changes_surveys;
    pub(crate) use crate::surveys::survey_store;
    pub(crate) use crate::taxonomy::taxonomy_store;
    pub(crate) use crate::tokens::token_store;
    pub(crate) use crate::users::user_store;
    pub(crate) use crate::webhooks::{insert_delivery, webhook_store};
    pub(crate) use crate::writes::{
        adjust_rollups, begin_write, bind_all, bind_ids, enqueue_mail, insert_labels,
        insert_survey, record_event, update_journeys,
    };
    pub(crate) use crate::{filter_sql, scan_sql, Bind, Dialect};
    pub use domain::idea::{
        Board, IdeaCard, IdeaComment, IdeaEvent, IdeaQuery, IdeaStatus, Notification, Priority,
    };
    pub use domain::model::{
        ApiToken, GroupScores, Grouping, ResponseFilter, Survey, UserInfo, Verbatim,
    };
    pub use domain::privacy::{AuditAction, AuditEntry, CustomerData, Erasure, Retention};
    pub use klantstem_core::now_unix;
    pub use klantstem_core::store::{
        Account, CustomerCase, IdeaActivity, IdeaRecord, ItemChange, ItemRecord, LadderFacts,
        Merge, Moved, MyIdeas, NewAccountToken, NewBoard, NewComment, NewContact, NewCustomer,
        NewIdea, Notices, OverdueCase, Recipient, RoadmapItem, RoutingSetup, StatusChange, Telling,
        ToldCandidate, TriageRecord,
    };
    pub use klantstem_core::store::{ClaimedDelivery, NewDelivery, PendingEvent};
    pub use klantstem_core::store::{ImportBatch, Lease, NewAudit, Subject};
    pub use klantstem_core::store::{
        ImportRecord, Inserted, Mail, NewApiToken, NewImport, NewMail, NewResponse, NewSurvey,
        NewUser, PeriodText, Retagged, StoredAnswer, TextToTag, ThemeCorrection, UserRecord,
    };
    pub use klantstem_core::StoreError;
}
