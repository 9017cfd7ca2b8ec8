//! API tokens and the answers remembered per idempotency key.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::model::ApiToken;

#[derive(Debug, Clone, PartialEq)]
pub struct NewApiToken {
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_by: i64,
    pub created_at: i64,
}

/// What an earlier request with the same idempotency key answered.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnswer {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

#[async_trait]
pub trait TokenStore: Send + Sync {
    async fn create_api_token(&self, token: &NewApiToken) -> Result<i64, StoreError>;

    async fn list_api_tokens(&self) -> Result<Vec<ApiToken>, StoreError>;

    /// The token with this hash, revoked or not.
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>, StoreError>;

    async fn touch_api_token(&self, id: i64, now: i64) -> Result<(), StoreError>;

    /// `false` when there is no such token or it was revoked already.
    async fn revoke_api_token(&self, id: i64, now: i64) -> Result<bool, StoreError>;

    async fn stored_answer(
        &self,
        token_id: i64,
        key: &str,
    ) -> Result<Option<StoredAnswer>, StoreError>;

    /// Keeps the first answer stored under a key.
    async fn store_answer(
        &self,
        token_id: i64,
        key: &str,
        answer: &StoredAnswer,
        now: i64,
    ) -> Result<(), StoreError>;
}
