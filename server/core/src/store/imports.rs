//! CSV imports: the uploaded file, its mapping, progress and report.

use crate::error::StoreError;
use crate::store::{Inserted, NewResponse};
use async_trait::async_trait;

#[derive(Debug, Clone, PartialEq)]
pub struct NewImport {
    /// `None` for the command line.
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub filename: String,
    pub content_hash: String,
    pub content: String,
}

/// An uploaded file with its mapping and progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub summary: domain::import::ImportSummary,
    pub created_by: Option<i64>,
    pub content_hash: String,
    pub content: String,
    /// JSON of a [`domain::import::Mapping`].
    pub mapping: Option<String>,
    /// JSON list of [`domain::import::RowProblem`].
    pub report: Option<String>,
}

/// Who works a running import, and until when (unix seconds) unless renewed.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    pub holder: String,
    pub until: i64,
}

/// One batch of an import: rows done including this batch, this batch's refused rows, under
/// `lease` (extended to its `until`).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportBatch<'a> {
    pub import_id: i64,
    pub processed: u64,
    pub failed: u64,
    pub lease: &'a Lease,
}

#[async_trait]
pub trait ImportStore: Send + Sync {
    async fn create_import(&self, import: &NewImport) -> Result<i64, StoreError>;

    async fn import_record(&self, id: i64) -> Result<Option<ImportRecord>, StoreError>;

    /// Newest first, without contents.
    async fn list_imports(
        &self,
        limit: u32,
    ) -> Result<Vec<domain::import::ImportSummary>, StoreError>;

    /// Sets the mapping and marks the import running with `total` rows under `lease`, unless it
    /// is running or done already (then `false`).
    async fn start_import(
        &self,
        id: i64,
        mapping: &str,
        total: u64,
        lease: &Lease,
    ) -> Result<bool, StoreError>;

    /// Takes over a running import whose lease ran out by `now` (its process died or stopped):
    /// `false` if it is not running or another process holds it.
    async fn claim_import(&self, id: i64, lease: &Lease, now: i64) -> Result<bool, StoreError>;

    /// Stores one batch of an import and moves its counts forward in the same transaction, so
    /// they always match what is stored and a resumed import goes on exactly after its last
    /// batch. The lease is renewed in that transaction too; if another process holds it,
    /// nothing is written ([`StoreError::LeaseLost`]).
    async fn insert_import_batch(
        &self,
        batch: &ImportBatch<'_>,
        responses: &[NewResponse],
    ) -> Result<Vec<Inserted>, StoreError>;

    async fn import_progress(
        &self,
        id: i64,
        processed: u64,
        created: u64,
        duplicates: u64,
        failed: u64,
    ) -> Result<(), StoreError>;

    /// Records how an import ended; `keep`, if given, replaces the file's content (a finished
    /// import keeps only its header line, a failed one all of it, to be started again).
    async fn finish_import(
        &self,
        id: i64,
        status: &str,
        report: &str,
        keep: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError>;
}
