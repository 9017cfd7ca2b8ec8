//! All integration tests in one binary: one link instead of one per file keeps the debug build
//! small and fast on 2 cores.

mod common;

mod access;
mod actions;
mod api;
mod auth;
mod backup;
mod dashboard;
mod entry;
mod fuzz;
mod ideas;
mod import;
mod inbox;
mod labels;
mod links;
mod markup;
mod open_feedback;
mod outbox;
mod privacy;
mod processes;
mod public_pages;
mod questions;
mod responses;
mod security;
mod survey_answers;
mod surveys;
mod themes;
mod web;
mod webhooks;
