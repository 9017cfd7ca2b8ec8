//! People label texts: the review queue (`/review`) and the sentiment label on a response page.
//! Labels outlast every retagging and measure the lexicon.

pub mod review;
pub mod server;
pub mod theme_sentiment;
pub use server::*;
pub use theme_sentiment::*;
