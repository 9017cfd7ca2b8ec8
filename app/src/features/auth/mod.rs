pub mod header;
pub mod login;
pub mod server;
pub use server::*;
