pub mod consent;
pub mod server;
pub mod views;
