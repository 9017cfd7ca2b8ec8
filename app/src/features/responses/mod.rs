pub mod detail;
pub mod entry;
pub mod list;
pub mod server;
pub use server::*;
