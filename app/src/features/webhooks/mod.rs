//! `/admin/webhooks`: outbound webhooks — target, events, conditions, private targets allowed or
//! not, the signing secret, a test event — and the delivery log (also on `/admin/outbox`).

pub mod server;
pub mod views;
