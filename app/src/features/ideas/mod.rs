pub mod board;
pub mod idea;
pub mod index;
pub mod lists;
pub mod server;
pub mod triage;
