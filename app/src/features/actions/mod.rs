//! `/actions`: improvement actions — the overview (open ones by department and age, overdue
//! marked) with the new-action form, prefilled when started from a theme, response, case or
//! idea; `/actions/{id}`: one action with its evidence, its before/after measurement and the
//! customers told it was done.

pub mod detail;
pub mod list;
pub mod server;
