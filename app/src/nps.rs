//! The NPS maths live in the domain crate.

pub use domain::nps::*;
