pub mod server;
pub mod views;
