//! Privacy (GDPR): what the platform holds about one customer, found by the references they are
//! known by (an e-mail address, a customer number), exported as data and erased on request; an
//! audit log of staff who looked at, exported or erased it.

use serde::{Deserialize, Serialize};

/// At most this many references in one request (an address and a few customer numbers).
pub const MAX_REFERENCES: usize = 5;
pub const REFERENCE_MAX_CHARS: usize = 254;

/// What a privacy request can be wrong about (codes; the app words them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PrivacyError {
    ReferenceMissing,
    TooManyReferences,
    ReferenceTooLong,
    /// Erasing needs the box "I understand this cannot be undone" ticked.
    NotConfirmed,
}

impl PrivacyError {
    pub const ALL: [PrivacyError; 4] = [
        PrivacyError::ReferenceMissing,
        PrivacyError::TooManyReferences,
        PrivacyError::ReferenceTooLong,
        PrivacyError::NotConfirmed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PrivacyError::ReferenceMissing => "privacy_reference_missing",
            PrivacyError::TooManyReferences => "privacy_too_many_references",
            PrivacyError::ReferenceTooLong => "privacy_reference_too_long",
            PrivacyError::NotConfirmed => "privacy_not_confirmed",
        }
    }

    pub fn from_code(code: &str) -> Option<PrivacyError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// The references one customer is known by: trimmed, lower case (as the customer hash and the
/// users table keep them), without repeats. One per line or separated by commas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct References(Vec<String>);

impl References {
    pub fn parse(raw: &str) -> Result<References, PrivacyError> {
        let mut refs: Vec<String> = Vec::new();
        for part in raw.split([',', '\n', ';']) {
            let r = part.trim().to_lowercase();
            if r.is_empty() || refs.contains(&r) {
                continue;
            }
            if r.chars().count() > REFERENCE_MAX_CHARS {
                return Err(PrivacyError::ReferenceTooLong);
            }
            refs.push(r);
        }
        match refs.len() {
            0 => Err(PrivacyError::ReferenceMissing),
            n if n > MAX_REFERENCES => Err(PrivacyError::TooManyReferences),
            _ => Ok(References(refs)),
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// The ones that look like e-mail addresses (accounts, contact addresses, mails).
    pub fn emails(&self) -> Vec<String> {
        self.0.iter().filter(|r| r.contains('@')).cloned().collect()
    }

    /// For the audit log, which must not keep what an erasure removed: the first character of
    /// each reference and, for an address, its domain (`j…@example.nl`, `1…`).
    pub fn masked(&self) -> String {
        self.0
            .iter()
            .map(|r| {
                let first: String = r.chars().take(1).collect();
                match r.split_once('@') {
                    Some((_, domain)) => format!("{first}…@{domain}"),
                    None => format!("{first}…"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Everything held about one customer, as the export gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerData {
    pub account: Option<AccountData>,
    pub responses: Vec<ResponseData>,
    pub ideas: Vec<IdeaData>,
    pub comments: Vec<CommentData>,
    pub votes: Vec<VoteData>,
    pub follows: Vec<VoteData>,
    pub inbox: Vec<InboxData>,
    pub mails: Vec<MailData>,
}

impl CustomerData {
    pub fn is_empty(&self) -> bool {
        self == &CustomerData::default()
    }

    /// What was found, in figures (for the audit log; no names, no texts).
    pub fn counts(&self) -> String {
        format!(
            "account={} responses={} ideas={} comments={} votes={} follows={} inbox={} mails={}",
            u8::from(self.account.is_some()),
            self.responses.len(),
            self.ideas.len(),
            self.comments.len(),
            self.votes.len(),
            self.follows.len(),
            self.inbox.len(),
            self.mails.len()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    pub email: String,
    pub display_name: String,
    pub created_at: i64,
    pub email_verified_at: Option<i64>,
    pub locale: String,
    pub mail_notifications: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseData {
    pub id: i64,
    pub survey: String,
    pub created_at: i64,
    pub score: Option<i64>,
    pub rating: Option<i64>,
    pub text: Option<String>,
    pub language: Option<String>,
    pub channel: Option<String>,
    pub journey_phase: Option<String>,
    pub source: String,
    pub contact_email: Option<String>,
    pub customer_reference: Option<String>,
    /// The consent given with it, in the words they read.
    pub consent: Option<String>,
    pub consent_withdrawn_at: Option<i64>,
    pub sentiment: Option<String>,
    pub themes: Vec<String>,
    /// (question, number, text) of the survey's further questions.
    pub answers: Vec<(String, Option<i64>, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaData {
    pub id: i64,
    pub board: String,
    pub title: String,
    pub body: String,
    pub status: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentData {
    pub idea_id: i64,
    pub body: String,
    pub created_at: i64,
}

/// A vote or a follow: on which idea, since when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteData {
    pub idea_id: i64,
    pub idea_title: String,
    pub created_at: i64,
}

/// Where their feedback went, and what staff wrote down about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxData {
    pub response_id: i64,
    pub department: String,
    pub status: String,
    pub case_outcome: Option<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailData {
    pub created_at: i64,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub status: String,
}

/// What an erasure did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erasure {
    /// Scored responses kept for the figures without text, themes, answers' texts, contact
    /// details or the link to the customer.
    pub responses_anonymised: u64,
    /// Text-only feedback: nothing but personal text, so removed whole.
    pub responses_deleted: u64,
    pub account_erased: bool,
    pub ideas_anonymised: u64,
    pub comments_deleted: u64,
    pub votes_deleted: u64,
    pub mails_deleted: u64,
    pub notes_deleted: u64,
    /// Uploaded files not (yet) imported that name their address: emptied.
    pub uploads_cleared: u64,
}

impl Erasure {
    /// What was done, in figures (for the audit log).
    pub fn counts(&self) -> String {
        format!(
            "anonymised={} deleted={} account={} ideas={} comments={} votes={} mails={} notes={} uploads={}",
            self.responses_anonymised,
            self.responses_deleted,
            u8::from(self.account_erased),
            self.ideas_anonymised,
            self.comments_deleted,
            self.votes_deleted,
            self.mails_deleted,
            self.notes_deleted,
            self.uploads_cleared
        )
    }
}

/// What the retention job anonymised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Responses that lost their contact address, customer reference and customer link.
    pub responses: u64,
    pub notes: u64,
    pub mails: u64,
    pub deliveries: u64,
    /// Uploaded files never imported (or failed): emptied. Imported ones keep only their header.
    pub uploads: u64,
}

impl Retention {
    pub fn counts(&self) -> String {
        format!(
            "responses={} notes={} mails={} deliveries={} uploads={}",
            self.responses, self.notes, self.mails, self.deliveries, self.uploads
        )
    }

    pub fn is_empty(&self) -> bool {
        self == &Retention::default()
    }
}

/// The start of the retention window: `months` average months (30.44 days) before `now`.
pub fn retention_cutoff(now: i64, months: u32) -> i64 {
    now - i64::from(months) * 2_629_746
}

/// What staff did with personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    Viewed,
    Exported,
    Erased,
    /// Their consent withdrawn on their request.
    Withdrew,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Viewed => "viewed",
            AuditAction::Exported => "exported",
            AuditAction::Erased => "erased",
            AuditAction::Withdrew => "withdrew",
        }
    }

    pub fn parse(raw: &str) -> Option<AuditAction> {
        [
            AuditAction::Viewed,
            AuditAction::Exported,
            AuditAction::Erased,
            AuditAction::Withdrew,
        ]
        .into_iter()
        .find(|a| a.as_str() == raw)
    }
}

/// A line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: i64,
    /// Who (their name then; kept when the account goes).
    pub actor: String,
    pub action: AuditAction,
    /// The references, masked.
    pub subject: String,
    /// What was found or done, in figures.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_trimmed_lower_case_and_unique() {
        let refs = References::parse(" Jan@Example.NL \n12345, jan@example.nl;").unwrap();
        assert_eq!(refs.as_slice(), ["jan@example.nl", "12345"]);
        assert_eq!(refs.emails(), ["jan@example.nl"]);
        assert_eq!(refs.masked(), "j…@example.nl, 1…");
    }

    #[test]
    fn bad_references_say_what_is_wrong() {
        assert_eq!(
            References::parse(" , \n"),
            Err(PrivacyError::ReferenceMissing)
        );
        assert_eq!(
            References::parse("a,b,c,d,e,f"),
            Err(PrivacyError::TooManyReferences)
        );
        assert_eq!(
            References::parse(&"x".repeat(255)),
            Err(PrivacyError::ReferenceTooLong)
        );
    }
}
