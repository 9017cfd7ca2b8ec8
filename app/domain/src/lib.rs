//! Klantstem's domain: what the browser, the server and the text analysis share. Plain Rust and
//! serde — no web or database types, and no UI text: errors carry codes, which the interface
//! turns into sentences (`app::labels`).

pub mod account;
pub mod action;
pub mod board_admin;
pub mod calendar;
pub mod engagement;
pub mod idea;
pub mod import;
pub mod inbox;
pub mod ingest;
pub mod labels;
pub mod locale;
pub mod model;
pub mod nps;
pub mod outbox;
pub mod privacy;
pub mod questions;
pub mod routing;
pub mod survey;
pub mod switches;
pub mod taxonomy;
pub mod url;
pub mod webhook;
