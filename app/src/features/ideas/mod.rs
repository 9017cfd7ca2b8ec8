pub mod board;
pub mod boards_admin;
pub mod idea;
pub mod index;
pub mod lists;
pub mod panel;
pub mod server;
pub mod triage;
