//! One folder per feature: its views, and its server functions in `server.rs`.

pub mod accounts;
pub mod actions;
pub mod api_tokens;
pub mod auth;
pub mod dashboard;
pub mod departments;
pub mod home;
pub mod ideas;
pub mod import;
pub mod inbox;
pub mod labels;
pub mod outbox;
pub mod privacy;
pub mod responses;
pub mod survey;
pub mod surveys;
pub mod themes;
pub mod webhooks;
