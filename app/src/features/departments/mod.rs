//! `/admin/departments`: admins set up departments (name, lead, members), the routing rules that
//! send feedback to them (tested on recent feedback before saving), the default department and
//! the follow-up case policy.

pub mod server;
pub mod views;
