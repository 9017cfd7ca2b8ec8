//! Staff accounts and their sessions.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::model::{Role, UserInfo};

#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
}

/// A user with the secret needed to log in; never leaves the server.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub info: UserInfo,
    pub password_hash: String,
    /// The address was confirmed (staff accounts always are).
    pub verified: bool,
}

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn create_user(&self, user: &NewUser) -> Result<i64, StoreError>;

    async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, StoreError>;

    async fn count_users(&self) -> Result<u64, StoreError>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        created_at: i64,
        expires_at: i64,
    ) -> Result<(), StoreError>;

    /// The user of a session that has not expired at `now` and was last used less than
    /// `idle_secs` ago; using it moves its last use to `now` (at most once a minute).
    async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
        idle_secs: i64,
    ) -> Result<Option<UserInfo>, StoreError>;

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;

    async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError>;
}
