//! Errors of the use cases and the storage ports. Each keeps its cause, for the log; what a user
//! reads is decided by the adapters.

/// What a storage port can report.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (e-mail, slug, taxonomy version) is taken already.
    #[error("already exists: {0}")]
    Conflict(String),
    /// A stored value that does not decode (a JSON column, an unknown enum value): the data was
    /// written by something else or a newer version. Reported, never replaced by a default.
    #[error("stored {what} is unreadable: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// Another worker holds the lease of the job this write belonged to: nothing was written.
    #[error("another process holds this job's lease")]
    LeaseLost,
    /// Anything the database reported; logged, never shown to users.
    #[error("database error")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn backend(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        StoreError::Backend(Box::new(error))
    }
}

#[cfg(feature = "sqlx")]
impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_string())
            }
            _ => StoreError::Backend(Box::new(error)),
        }
    }
}

/// Hashing a password failed (no random source, or argon2 refused its parameters).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct PasswordError(pub String);
