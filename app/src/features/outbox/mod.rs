pub mod server;
pub mod views;
pub use server::*;
