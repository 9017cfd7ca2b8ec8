//! The theme taxonomy lives in the domain crate, shared with the text analysis.

pub use domain::taxonomy::*;
