//! Klantstem's server-side core: the ports the adapters implement (storage per aggregate, text
//! analysis), the use cases that server functions, REST handlers and background jobs call
//! (ingest, import, dashboard), secrets and limits. Depends on the domain only: no Leptos, no
//! axum, no database driver.

pub mod accounts;
pub mod actions;
pub mod analyzer;
pub mod auth;
pub mod dashboard;
pub mod error;
pub mod ideas;
pub mod import;
pub mod inbox;
pub mod ingest;
pub mod labels;
pub mod login_throttle;
pub mod notices;
pub mod outbox;
pub mod privacy;
pub mod questions;
pub mod rate_limit;
pub mod responses;
pub mod routing;
pub mod secrets;
pub mod state;
pub mod store;
pub mod survey_answer;
pub mod surveys;
pub mod taxonomy;
pub mod webhooks;

pub use error::{PasswordError, StoreError};
pub use state::{now_unix, AppState, Settings};
pub use store::Store;
