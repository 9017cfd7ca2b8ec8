//! Pieces several features use: the page frame, filters, charts, and `html_text`, the only way
//! to write a text area or a page title.

pub mod chart;
pub mod filters;
pub mod form_actions;
pub mod html_text;
pub mod layout;
pub mod score_badge;
