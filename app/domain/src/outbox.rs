//! The outbox: e-mails waiting to be sent, and how long to wait before trying one again.

use serde::{Deserialize, Serialize};

/// Tries before a mail is given up (an admin can send it again).
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claimed mail stays with the worker that claimed it; a worker that died mid-delivery
/// leaves it to another after this (the one case in which a mail may go out twice, under the
/// same Message-ID).
pub const LEASE_SECS: i64 = 300;
pub const SUBJECT_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MailStatus {
    Pending,
    Sending,
    Sent,
    Failed,
}

impl MailStatus {
    pub const ALL: [MailStatus; 4] = [
        MailStatus::Pending,
        MailStatus::Sending,
        MailStatus::Sent,
        MailStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<MailStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// A mail as admins see it in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub message_id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: i64,
    /// When it is tried (again); for a mail being sent, when its lease ends.
    pub next_attempt_at: i64,
    pub sent_at: Option<i64>,
}

/// Seconds to wait after failed attempt number `attempts` (1-based): 1, 2, 4, … minutes, at most
/// six hours; `None` once [`MAX_ATTEMPTS`] tries have failed.
pub fn retry_delay(attempts: i32) -> Option<i64> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let minutes = 1i64 << (attempts.clamp(1, 16) - 1);
    Some((minutes * 60).min(6 * 3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_end() {
        assert_eq!(retry_delay(1), Some(60));
        assert_eq!(retry_delay(2), Some(120));
        assert_eq!(retry_delay(4), Some(480));
        assert_eq!(retry_delay(MAX_ATTEMPTS - 1), Some(3840));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        for s in MailStatus::ALL {
            assert_eq!(MailStatus::parse(s.as_str()), Some(s));
        }
    }
}
