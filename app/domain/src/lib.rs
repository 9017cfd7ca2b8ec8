//! Klantstem's domain types that the browser, the server and the text analysis share: plain Rust
//! and serde, no web or database types. The rest of the domain still lives in the `app` crate
//! (see ARCHITECTURE.md) and moves here step by step.

pub mod locale;
pub mod nps;
pub mod taxonomy;
