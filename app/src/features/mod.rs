//! One folder per feature: its views, and its server functions in `server.rs`.

pub mod api_tokens;
pub mod auth;
pub mod dashboard;
pub mod home;
pub mod import;
pub mod outbox;
pub mod responses;
pub mod survey;
pub mod surveys;
pub mod themes;
