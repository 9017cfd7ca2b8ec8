//! Outbound webhooks: which events a target receives and on which conditions, how a delivery
//! is signed (Standard Webhooks: HMAC-SHA256 over `id.timestamp.body`, done by the server), when
//! a failed delivery is tried again, and which addresses a target may never resolve to.

use crate::routing::{parse_conditions, Condition};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub const NAME_MAX_CHARS: usize = 80;
pub const URL_MAX_CHARS: usize = 2000;

macro_rules! events {
    ($($variant:ident = $s:literal, $field:ident;)+) => {
        /// What happened.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum EventKind { $($variant),+ }

        impl EventKind {
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(EventKind::$variant => $s),+ }
            }

            pub fn parse(raw: &str) -> Option<EventKind> {
                match raw.trim() { $($s => Some(EventKind::$variant),)+ _ => None }
            }
        }

        /// The webhook form as posted: one checkbox per event.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct WebhookForm {
            /// Text: a flattened form cannot read numbers.
            pub id: Option<String>,
            pub name: String,
            pub url: String,
            /// Conditions on feedback events, as routing rules write them (`channel: phone`).
            pub conditions: String,
            pub allow_private: Option<String>,
            pub active: Option<String>,
            $(pub $field: Option<String>,)+
        }

        impl WebhookForm {
            /// The webhook being changed, if any.
            pub fn existing(&self) -> Option<i64> {
                self.id.as_deref().and_then(|i| i.trim().parse().ok())
            }

            fn chosen(&self) -> Vec<EventKind> {
                let mut out = Vec::new();
                $(if self.$field.as_deref().is_some_and(|v| !v.is_empty()) {
                    out.push(EventKind::$variant);
                })+
                out
            }
        }
    };
}

events! {
    ResponseCreated = "response.created", ev_response_created;
    Detractor = "response.detractor", ev_response_detractor;
    CaseOpened = "case.opened", ev_case_opened;
    CaseEscalated = "case.escalated", ev_case_escalated;
    CaseClosed = "case.closed", ev_case_closed;
    IdeaCreated = "idea.created", ev_idea_created;
    IdeaStatusChanged = "idea.status_changed", ev_idea_status_changed;
    ActionDone = "action.done", ev_action_done;
}

/// The event a "send test event" button sends; no webhook subscribes to it.
pub const PING: &str = "ping";

impl EventKind {
    /// Events about a piece of feedback, where a webhook's conditions apply.
    pub fn about_feedback(self) -> bool {
        matches!(
            self,
            EventKind::ResponseCreated
                | EventKind::Detractor
                | EventKind::CaseOpened
                | EventKind::CaseEscalated
                | EventKind::CaseClosed
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: i64,
    pub name: String,
    pub url: String,
    pub events: Vec<EventKind>,
    pub conditions: Vec<Condition>,
    /// An admin allowed a target on a private or loopback address (an internal system).
    pub allow_private: bool,
    pub active: bool,
    pub created_at: i64,
}

impl Webhook {
    /// Whether an event of `kind` (about feedback with `facts`, if any) goes to this target.
    pub fn wants(&self, kind: EventKind, facts: Option<&crate::routing::Facts>) -> bool {
        self.active
            && self.events.contains(&kind)
            && (!kind.about_feedback()
                || self.conditions.is_empty()
                || facts.is_some_and(|f| self.conditions.iter().all(|c| c.holds(f))))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WebhookError {
    NameMissing,
    NameTooLong,
    UrlInvalid,
    NoEvents,
    BadConditions,
}

impl WebhookError {
    pub const ALL: [WebhookError; 5] = [
        WebhookError::NameMissing,
        WebhookError::NameTooLong,
        WebhookError::UrlInvalid,
        WebhookError::NoEvents,
        WebhookError::BadConditions,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WebhookError::NameMissing => "webhook_name_missing",
            WebhookError::NameTooLong => "webhook_name_too_long",
            WebhookError::UrlInvalid => "webhook_url_invalid",
            WebhookError::NoEvents => "webhook_no_events",
            WebhookError::BadConditions => "webhook_bad_conditions",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// The parts of a target URL the server needs: scheme, host, port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    pub host: String,
    pub port: u16,
}

/// An `http(s)://host[:port]/path` URL without credentials; anything else is refused.
pub fn parse_target(url: &str) -> Option<Target> {
    let url = url.trim();
    if url.len() > URL_MAX_CHARS || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (https, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if after.is_empty() => default_port(https),
            None => return None,
        };
        (host.to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), p.parse().ok()?),
            None => (authority.to_string(), default_port(https)),
        }
    };
    if host.is_empty() || port == 0 {
        return None;
    }
    Some(Target {
        https,
        host: host.to_ascii_lowercase(),
        port,
    })
}

fn default_port(https: bool) -> u16 {
    if https {
        443
    } else {
        80
    }
}

/// Addresses a webhook may not reach unless an admin allowed private targets: loopback, private
/// networks, link-local (which holds the cloud metadata service, 169.254.169.254), shared and
/// unspecified addresses, multicast and broadcast.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => forbidden_v4(v4),
            None => forbidden_v6(v6),
        },
    }
}

/// Link-local addresses, where cloud metadata services answer (169.254.169.254, fd00:ec2::254
/// is unique-local but fe80::/10 and 169.254.0.0/16 are link-local): never a webhook target,
/// not even when an admin allows private ones.
pub fn is_always_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.is_link_local(),
            None => {
                (v6.segments()[0] & 0xffc0) == 0xfe80
                    || v6 == "fd00:ec2::254".parse::<Ipv6Addr>().expect("literal")
            }
        },
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // Benchmarking, 198.18.0.0/15.
        || (a == 198 && (b == 18 || b == 19))
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local (fc00::/7, includes fd00:ec2::254) and link-local (fe80::/10).
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // IPv4-compatible and NAT64 forms of internal addresses.
        || ip.to_ipv4().is_some_and(|v4| first == 0 && forbidden_v4(v4))
}

/// When to try a failed delivery again, after `attempts` tries; `None`: give up.
pub fn retry_after(attempts: u32) -> Option<i64> {
    const SCHEDULE: [i64; 6] = [30, 120, 600, 3600, 6 * 3600, 24 * 3600];
    SCHEDULE.get(attempts.saturating_sub(1) as usize).copied()
}

/// A checked webhook form.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookInput {
    pub name: String,
    pub url: String,
    pub events: Vec<EventKind>,
    pub conditions: Vec<Condition>,
    pub allow_private: bool,
    pub active: bool,
}

impl WebhookForm {
    pub fn parse(&self) -> Result<WebhookInput, Vec<WebhookError>> {
        let mut errors = Vec::new();
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            errors.push(WebhookError::NameMissing);
        } else if name.chars().count() > NAME_MAX_CHARS {
            errors.push(WebhookError::NameTooLong);
        }
        let url = self.url.trim().to_string();
        if parse_target(&url).is_none() {
            errors.push(WebhookError::UrlInvalid);
        }
        let events = self.chosen();
        if events.is_empty() {
            errors.push(WebhookError::NoEvents);
        }
        let conditions = parse_conditions(&self.conditions).unwrap_or_else(|_| {
            errors.push(WebhookError::BadConditions);
            Vec::new()
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        let on = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
        Ok(WebhookInput {
            name,
            url,
            events,
            conditions,
            allow_private: on(&self.allow_private),
            active: on(&self.active),
        })
    }
}

/// A delivery's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryStatus {
    Pending,
    Sending,
    Delivered,
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Sending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// A line of the delivery log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: i64,
    pub webhook: String,
    pub event_id: String,
    pub kind: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

/// Base64 with the standard alphabet and padding (RFC 4648), for signatures and secrets.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The inverse of [`base64`]; `None` for anything that is not.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = text.trim_end_matches('=').as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let take = chunk.len().saturating_sub(1);
        for i in 0..take {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::Facts;

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64_decode("Zm9v!"), None);
    }

    #[test]
    fn internal_addresses_are_forbidden() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(is_forbidden(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_forbidden(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "169.254.169.254",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:169.254.169.254",
        ] {
            assert!(is_always_forbidden(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["127.0.0.1", "10.0.0.1", "::1"] {
            assert!(
                !is_always_forbidden(ip.parse().unwrap()),
                "{ip}: allowed when an admin says so"
            );
        }
    }

    #[test]
    fn targets_are_http_urls_without_credentials() {
        assert_eq!(
            parse_target("https://hooks.example.nl/klantstem?x=1"),
            Some(Target {
                https: true,
                host: "hooks.example.nl".into(),
                port: 443
            })
        );
        assert_eq!(
            parse_target("http://[::1]:8080/x"),
            Some(Target {
                https: false,
                host: "::1".into(),
                port: 8080
            })
        );
        assert_eq!(
            parse_target("http://127.0.0.1:9/"),
            Some(Target {
                https: false,
                host: "127.0.0.1".into(),
                port: 9
            })
        );
        for bad in [
            "ftp://x.nl",
            "https://user:pw@x.nl/",
            "https://",
            "https://x.nl:0/",
            "https://x .nl",
            "javascript:alert(1)",
        ] {
            assert_eq!(parse_target(bad), None, "{bad}");
        }
    }

    #[test]
    fn retries_back_off_then_stop() {
        assert_eq!(retry_after(1), Some(30));
        assert_eq!(retry_after(2), Some(120));
        assert_eq!(retry_after(6), Some(24 * 3600));
        assert_eq!(retry_after(7), None);
    }

    #[test]
    fn conditions_filter_feedback_events_only() {
        let form = WebhookForm {
            name: "Telefoon-detractors".into(),
            url: "https://crm.example.nl/hook".into(),
            conditions: "score_group: detractor\nchannel: phone".into(),
            active: Some("on".into()),
            ev_response_created: Some("on".into()),
            ev_action_done: Some("on".into()),
            ..Default::default()
        };
        let input = form.parse().unwrap();
        let hook = Webhook {
            id: 1,
            name: input.name,
            url: input.url,
            events: input.events,
            conditions: input.conditions,
            allow_private: false,
            active: true,
            created_at: 0,
        };
        let phone = Facts {
            score: Some(3),
            channel: Some("phone".into()),
            ..Default::default()
        };
        let web = Facts {
            channel: Some("web".into()),
            ..phone.clone()
        };
        assert!(hook.wants(EventKind::ResponseCreated, Some(&phone)));
        assert!(!hook.wants(EventKind::ResponseCreated, Some(&web)));
        assert!(
            !hook.wants(EventKind::CaseOpened, Some(&phone)),
            "not subscribed"
        );
        assert!(
            hook.wants(EventKind::ActionDone, None),
            "conditions are about feedback"
        );
        let errors = WebhookForm {
            url: "ftp://x".into(),
            conditions: "kleur: rood".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                WebhookError::NameMissing,
                WebhookError::UrlInvalid,
                WebhookError::NoEvents,
                WebhookError::BadConditions
            ]
        );
    }
}
