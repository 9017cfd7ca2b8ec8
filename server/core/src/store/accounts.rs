//! Customer accounts: registering, one-time links (verify an address, reset a password), mail
//! preferences.

use crate::error::StoreError;
use crate::store::NewMail;
use async_trait::async_trait;

#[derive(Debug, Clone, PartialEq)]
pub struct NewCustomer {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    /// The customer key of the address, joining their survey answers.
    pub customer_hash: String,
    /// "nl" or "en": the language of their mails.
    pub locale: String,
}

/// A one-time link's token (only its hash is stored).
#[derive(Debug, Clone, PartialEq)]
pub struct NewAccountToken {
    pub token_hash: String,
    /// "verify" or "reset".
    pub purpose: &'static str,
    pub expires_at: i64,
}

/// What mails and notifications need of an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub verified: bool,
    pub mail_notifications: bool,
    pub customer_hash: Option<String>,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an unverified customer with their verification token and mail, in one
    /// transaction. An address that has an account already is `StoreError::Conflict`.
    async fn create_customer(
        &self,
        customer: &NewCustomer,
        token: &NewAccountToken,
        mail: &NewMail,
        now: i64,
    ) -> Result<i64, StoreError>;

    /// Stores a one-time token for `user_id` and its mail, in one transaction.
    async fn create_account_token(
        &self,
        user_id: i64,
        token: &NewAccountToken,
        mail: &NewMail,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Uses a token once: the user it belongs to when it exists, has `purpose`, is unused and
    /// has not expired at `now`; `None` otherwise.
    async fn use_account_token(
        &self,
        token_hash: &str,
        purpose: &str,
        now: i64,
    ) -> Result<Option<i64>, StoreError>;

    async fn mark_verified(&self, user_id: i64, now: i64) -> Result<(), StoreError>;

    /// Sets a new password, ends every session of the user and writes `notice` to the outbox,
    /// in one transaction.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        notice: &NewMail,
        now: i64,
    ) -> Result<(), StoreError>;

    async fn account(&self, user_id: i64) -> Result<Option<Account>, StoreError>;

    async fn account_by_email(&self, email: &str) -> Result<Option<Account>, StoreError>;

    async fn set_mail_notifications(&self, user_id: i64, on: bool) -> Result<(), StoreError>;

    /// Joins an account to the customer key of its survey answers.
    async fn set_customer_hash(&self, user_id: i64, hash: &str) -> Result<(), StoreError>;
}
