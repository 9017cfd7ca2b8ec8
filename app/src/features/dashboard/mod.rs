pub mod server;
pub mod switches;
pub mod views;
pub use server::*;
