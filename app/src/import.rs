//! The CSV import's types live in the domain crate, its use case in `klantstem_core::import`.

pub use domain::import::*;
#[cfg(feature = "ssr")]
pub use klantstem_core::import::*;
