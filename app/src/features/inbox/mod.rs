//! `/inbox`: a department member's routed feedback and follow-up cases; `/inbox/{id}`: one item
//! with the customer's whole timeline, its case, notes and what to do next.

pub mod figures;
pub mod followup;
pub mod item;
pub mod list;
pub mod server;
