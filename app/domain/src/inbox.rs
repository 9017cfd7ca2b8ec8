//! A department's inbox: the feedback routed to it, and the follow-up cases opened for
//! detractors who agreed to be contacted — their deadline (in business hours if configured),
//! contact attempts, and what it takes to close one.

use crate::routing::Facts;
use serde::{Deserialize, Serialize};

/// Longest note, root cause or reply, in characters.
pub const NOTE_MAX_CHARS: usize = 4000;
pub const ROOT_CAUSE_MAX_CHARS: usize = 80;

/// Where an item stands in its department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemStatus {
    New,
    Seen,
    InProgress,
    Handled,
}

impl ItemStatus {
    pub const ALL: [ItemStatus; 4] = [
        ItemStatus::New,
        ItemStatus::Seen,
        ItemStatus::InProgress,
        ItemStatus::Handled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::New => "new",
            ItemStatus::Seen => "seen",
            ItemStatus::InProgress => "in_progress",
            ItemStatus::Handled => "handled",
        }
    }

    pub fn parse(raw: &str) -> Option<ItemStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }
}

/// How a contact attempt was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContactChannel {
    Phone,
    Email,
}

impl ContactChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::Phone => "phone",
            ContactChannel::Email => "email",
        }
    }

    pub fn parse(raw: &str) -> Option<ContactChannel> {
        match raw.trim() {
            "phone" => Some(ContactChannel::Phone),
            "email" => Some(ContactChannel::Email),
            _ => None,
        }
    }
}

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    Resolved,
    NotResolved,
    NotReached,
    Declined,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Resolved,
        Outcome::NotResolved,
        Outcome::NotReached,
        Outcome::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::NotResolved => "not_resolved",
            Outcome::NotReached => "not_reached",
            Outcome::Declined => "declined",
        }
    }

    pub fn parse(raw: &str) -> Option<Outcome> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }
}

/// Why an inbox or case change was refused. Codes, worded by the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InboxError {
    NoteEmpty,
    NoteTooLong,
    BadStatus,
    BadChannel,
    NotAMember,
    NoContact,
    NoOutcome,
    NoRootCause,
    RootCauseTooLong,
    CaseClosed,
    NoAddress,
    BadScore,
}

impl InboxError {
    pub const ALL: [InboxError; 12] = [
        InboxError::NoteEmpty,
        InboxError::NoteTooLong,
        InboxError::BadStatus,
        InboxError::BadChannel,
        InboxError::NotAMember,
        InboxError::NoContact,
        InboxError::NoOutcome,
        InboxError::NoRootCause,
        InboxError::RootCauseTooLong,
        InboxError::CaseClosed,
        InboxError::NoAddress,
        InboxError::BadScore,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InboxError::NoteEmpty => "inbox_note_empty",
            InboxError::NoteTooLong => "inbox_note_too_long",
            InboxError::BadStatus => "inbox_bad_status",
            InboxError::BadChannel => "inbox_bad_channel",
            InboxError::NotAMember => "inbox_not_a_member",
            InboxError::NoContact => "case_no_contact",
            InboxError::NoOutcome => "case_no_outcome",
            InboxError::NoRootCause => "case_no_root_cause",
            InboxError::RootCauseTooLong => "case_root_cause_too_long",
            InboxError::CaseClosed => "case_closed",
            InboxError::NoAddress => "case_no_address",
            InboxError::BadScore => "case_bad_score",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// A note's text: trimmed, not empty, not too long.
pub fn note_text(raw: &str) -> Result<String, InboxError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() {
        Err(InboxError::NoteEmpty)
    } else if text.chars().count() > NOTE_MAX_CHARS {
        Err(InboxError::NoteTooLong)
    } else {
        Ok(text)
    }
}

/// A root-cause tag: one line, lower case, so "Wachtrij" and "wachtrij " count as one.
pub fn root_cause(raw: &str) -> Result<Option<String>, InboxError> {
    let tag = raw
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if tag.is_empty() {
        Ok(None)
    } else if tag.chars().count() > ROOT_CAUSE_MAX_CHARS {
        Err(InboxError::RootCauseTooLong)
    } else {
        Ok(Some(tag))
    }
}

/// Working hours in which a case's deadline runs: weekdays from `start_hour` to `end_hour`,
/// in the installation's time zone, `utc_offset_minutes` from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    pub start_hour: u8,
    pub end_hour: u8,
    pub utc_offset_minutes: i32,
}

/// When feedback opens a follow-up case, and how long the department has to make contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePolicy {
    pub enabled: bool,
    /// Scores up to this one are detractors who get a case (the NPS rule: 6).
    pub max_score: u8,
    /// Negative sentiment on one of these themes opens a case whatever the score.
    pub negative_themes: Vec<String>,
    pub deadline_hours: u32,
    pub business_hours: Option<BusinessHours>,
}

impl Default for CasePolicy {
    fn default() -> Self {
        CasePolicy {
            enabled: true,
            max_score: 6,
            negative_themes: Vec::new(),
            // The industry rule: call a detractor back within 48 hours.
            deadline_hours: 48,
            business_hours: None,
        }
    }
}

const HOUR: i64 = 3600;
/// How old feedback may be and still open a follow-up case.
pub const CASE_HISTORY_DAYS: i64 = 7;

impl CasePolicy {
    /// Whether this feedback opens a case: a detractor or a negative mention of a chosen theme,
    /// from a customer who agreed to be contacted.
    pub fn opens_case(&self, f: &Facts) -> bool {
        self.enabled
            && f.consent
            && (f.score.is_some_and(|s| s <= self.max_score)
                || f.themes.iter().any(|(key, sentiment)| {
                    sentiment.as_deref() == Some("negative") && self.negative_themes.contains(key)
                }))
    }

    /// Feedback from the last [`CASE_HISTORY_DAYS`] opens cases (overdue at once if its deadline
    /// passed: yesterday's complaint mails imported today still need a call); older history
    /// does not.
    pub fn is_recent(&self, given_at: i64, now: i64) -> bool {
        now - given_at <= CASE_HISTORY_DAYS * 86_400
    }

    /// The moment a case opened at `opened` must have had its first contact.
    pub fn deadline(&self, opened: i64) -> i64 {
        let hours = i64::from(self.deadline_hours.max(1));
        match self.business_hours {
            None => opened + hours * HOUR,
            Some(b) => add_business_seconds(opened, hours * HOUR, b),
        }
    }
}

/// `seconds` of working time after `from`, counting only weekday hours in `[start, end)`.
fn add_business_seconds(from: i64, mut seconds: i64, b: BusinessHours) -> i64 {
    let offset = i64::from(b.utc_offset_minutes) * 60;
    let (start, end) = (i64::from(b.start_hour) * HOUR, i64::from(b.end_hour) * HOUR);
    if end <= start {
        return from + seconds;
    }
    let mut local = from + offset;
    // At most a few years of days: the loop advances a day at a time.
    for _ in 0..5000 {
        let day = local.div_euclid(86_400);
        let in_day = local.rem_euclid(86_400);
        // 1970-01-01 was a Thursday: day 0 → weekday 3 (Monday = 0).
        let weekday = (day + 3).rem_euclid(7);
        if weekday < 5 && in_day < end {
            let begin = in_day.max(start);
            let available = end - begin;
            if seconds <= available {
                return day * 86_400 + begin + seconds - offset;
            }
            seconds -= available;
        }
        local = (day + 1) * 86_400;
    }
    from + seconds
}

/// What it takes to close a case: a contact attempt on record, an outcome and a root cause.
pub fn check_close(
    contact_attempts: usize,
    outcome: Option<&str>,
    root: &str,
) -> Result<(Outcome, String), InboxError> {
    if contact_attempts == 0 {
        return Err(InboxError::NoContact);
    }
    let outcome = outcome
        .and_then(Outcome::parse)
        .ok_or(InboxError::NoOutcome)?;
    let root = root_cause(root)?.ok_or(InboxError::NoRootCause)?;
    Ok((outcome, root))
}

/// One contact attempt on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactAttempt {
    pub channel: ContactChannel,
    pub reached: bool,
    pub note: String,
    pub by: String,
    pub at: i64,
}

/// A follow-up case as its department sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: i64,
    pub opened_at: i64,
    pub deadline_at: i64,
    pub escalated_at: Option<i64>,
    pub first_contact_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub contacts: Vec<ContactAttempt>,
    /// When the "is it solved now?" question was sent, and its answer (0–10).
    #[serde(default)]
    pub followup_sent_at: Option<i64>,
    #[serde(default)]
    pub followup_score: Option<u8>,
}

impl Case {
    /// Open, past its deadline, and nobody has made contact yet.
    pub fn overdue(&self, now: i64) -> bool {
        self.closed_at.is_none() && self.first_contact_at.is_none() && now > self.deadline_at
    }
}

/// A line of a department's inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxItem {
    pub id: i64,
    pub department_id: i64,
    pub department: String,
    pub response_id: Option<i64>,
    pub idea_id: Option<i64>,
    pub score: Option<u8>,
    /// The feedback's text as staff may see it (masked by the use case).
    pub text: Option<String>,
    pub channel: Option<String>,
    pub status: ItemStatus,
    pub assignee: Option<(i64, String)>,
    pub root_cause: Option<String>,
    pub received_at: i64,
    /// The rule that routed it, or none for the default department.
    pub rule: Option<String>,
    /// (deadline, closed, escalated) of its case, if it has one.
    pub case: Option<CaseLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CaseLine {
    pub deadline_at: i64,
    pub first_contact_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub escalated: bool,
}

impl CaseLine {
    pub fn overdue(&self, now: i64) -> bool {
        self.closed_at.is_none() && self.first_contact_at.is_none() && now > self.deadline_at
    }
}

/// A note on an item, for its department only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub author: String,
    pub body: String,
    pub at: i64,
}

/// What an inbox list shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InboxQuery {
    pub department: Option<i64>,
    pub status: Option<ItemStatus>,
    /// Only items with an open case.
    pub open_cases: bool,
    /// Only items assigned to this user.
    pub assignee: Option<i64>,
    pub page: u32,
}

pub const INBOX_PAGE_SIZE: u32 = 50;

/// A case of a customer, for their timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCase {
    pub item_id: i64,
    pub department: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub outcome: Option<Outcome>,
    pub root_cause: Option<String>,
}

/// The case policy form as posted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyForm {
    #[serde(default)]
    pub default_department: Option<String>,
    #[serde(default)]
    pub enabled: Option<String>,
    #[serde(default)]
    pub max_score: Option<String>,
    /// Theme keys, comma-separated.
    #[serde(default)]
    pub negative_themes: String,
    #[serde(default)]
    pub deadline_hours: Option<String>,
    /// "on": the deadline counts working hours only.
    #[serde(default)]
    pub business_hours: Option<String>,
    #[serde(default)]
    pub start_hour: Option<String>,
    #[serde(default)]
    pub end_hour: Option<String>,
    #[serde(default)]
    pub utc_offset_minutes: Option<String>,
}

impl PolicyForm {
    /// The default department (one of `departments`) and the checked policy.
    pub fn parse(
        &self,
        departments: &[i64],
    ) -> Result<(Option<i64>, CasePolicy), crate::routing::RoutingError> {
        use crate::routing::RoutingError;
        let number = |raw: &Option<String>, default: i64, min: i64, max: i64| match raw
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            None => Ok(default),
            Some(r) => r
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or(RoutingError::BadHours),
        };
        let default = match self.default_department.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(
                raw.parse::<i64>()
                    .ok()
                    .filter(|d| departments.contains(d))
                    .ok_or(RoutingError::UnknownDepartment)?,
            ),
        };
        let business_hours = if self
            .business_hours
            .as_deref()
            .is_some_and(|v| !v.is_empty())
        {
            let start = number(&self.start_hour, 9, 0, 23)?;
            let end = number(&self.end_hour, 17, 1, 24)?;
            if end <= start {
                return Err(RoutingError::BadHours);
            }
            Some(BusinessHours {
                start_hour: start as u8,
                end_hour: end as u8,
                utc_offset_minutes: number(&self.utc_offset_minutes, 60, -720, 840)? as i32,
            })
        } else {
            None
        };
        let mut themes: Vec<String> = Vec::new();
        for t in self
            .negative_themes
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if !themes.iter().any(|x| x == t) && themes.len() < 100 {
                themes.push(t.to_string());
            }
        }
        Ok((
            default,
            CasePolicy {
                enabled: self.enabled.as_deref().is_some_and(|v| !v.is_empty()),
                max_score: number(&self.max_score, 6, 0, 10)? as u8,
                negative_themes: themes,
                deadline_hours: number(&self.deadline_hours, 48, 1, 24 * 30)? as u32,
                business_hours,
            },
        ))
    }
}

/// One follow-up case as the figures need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFact {
    pub department: String,
    pub opened_at: i64,
    pub deadline_at: i64,
    pub first_contact_at: Option<i64>,
    pub score: Option<u8>,
    /// The customer's next answer after the case opened, if any.
    pub next_score: Option<u8>,
}

/// How a department follows up its detractors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub department: String,
    pub cases: u64,
    pub contacted: u64,
    /// Contacted before the deadline.
    pub in_time: u64,
    /// Hours from opening to first contact: median and 90th percentile.
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Contacted customers who answered again, and how many of them scored higher.
    pub answered_again: u64,
    pub recovered: u64,
}

impl FollowUp {
    /// Share of contacted customers whose next score was higher, in percent.
    pub fn recovery_rate(&self) -> Option<f64> {
        (self.answered_again > 0)
            .then(|| self.recovered as f64 / self.answered_again as f64 * 100.0)
    }

    pub fn contacted_share(&self) -> Option<f64> {
        (self.cases > 0).then(|| self.contacted as f64 / self.cases as f64 * 100.0)
    }
}

/// The nearest-rank percentile `p` (0–100) of sorted `values`.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// Follow-up figures per department (in name order) and for all together (last, named "").
pub fn follow_up(facts: &[CaseFact]) -> Vec<FollowUp> {
    let mut names: Vec<&str> = facts.iter().map(|f| f.department.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let figures = |department: &str, cases: Vec<&CaseFact>| {
        let mut hours: Vec<f64> = cases
            .iter()
            .filter_map(|c| {
                c.first_contact_at
                    .map(|at| (at - c.opened_at).max(0) as f64 / 3600.0)
            })
            .collect();
        hours.sort_by(f64::total_cmp);
        let contacted: Vec<&&CaseFact> = cases
            .iter()
            .filter(|c| c.first_contact_at.is_some())
            .collect();
        let again: Vec<&&&CaseFact> = contacted
            .iter()
            .filter(|c| c.next_score.is_some())
            .collect();
        FollowUp {
            department: department.to_string(),
            cases: cases.len() as u64,
            contacted: contacted.len() as u64,
            in_time: contacted
                .iter()
                .filter(|c| c.first_contact_at.is_some_and(|at| at <= c.deadline_at))
                .count() as u64,
            median_hours: percentile(&hours, 50.0),
            p90_hours: percentile(&hours, 90.0),
            answered_again: again.len() as u64,
            recovered: again.iter().filter(|c| c.next_score > c.score).count() as u64,
        }
    };
    let mut out: Vec<FollowUp> = names
        .iter()
        .map(|n| figures(n, facts.iter().filter(|f| f.department == *n).collect()))
        .collect();
    if !facts.is_empty() {
        out.push(figures("", facts.iter().collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detractor(score: Option<u8>, consent: bool) -> Facts {
        Facts {
            survey: "s".into(),
            score,
            consent,
            themes: vec![("prijs".into(), Some("negative".into()))],
            ..Default::default()
        }
    }

    #[test]
    fn detractors_who_consented_open_cases() {
        let p = CasePolicy::default();
        assert!(p.opens_case(&detractor(Some(6), true)));
        assert!(!p.opens_case(&detractor(Some(7), true)));
        assert!(!p.opens_case(&detractor(Some(0), false)));
        assert!(!p.opens_case(&detractor(None, true)));
        let themed = CasePolicy {
            negative_themes: vec!["prijs".into()],
            ..CasePolicy::default()
        };
        assert!(themed.opens_case(&detractor(Some(9), true)));
        assert!(themed.opens_case(&detractor(None, true)));
        let off = CasePolicy {
            enabled: false,
            ..CasePolicy::default()
        };
        assert!(!off.opens_case(&detractor(Some(1), true)));
    }

    #[test]
    fn deadlines_in_calendar_and_business_hours() {
        // Friday 2026-11-27 16:00 UTC.
        let friday_16 = 1_795_737_600 + 16 * HOUR;
        assert_eq!(
            crate::calendar::format_date(friday_16),
            "2026-11-27",
            "the fixture is a Friday"
        );
        assert_eq!(
            CasePolicy::default().deadline(friday_16),
            friday_16 + 48 * HOUR
        );
        let office = CasePolicy {
            deadline_hours: 4,
            business_hours: Some(BusinessHours {
                start_hour: 9,
                end_hour: 17,
                utc_offset_minutes: 0,
            }),
            ..CasePolicy::default()
        };
        // One hour on Friday, three on Monday: Monday 12:00.
        let monday_12 = friday_16 + 3 * 24 * HOUR - 4 * HOUR;
        assert_eq!(office.deadline(friday_16), monday_12);
        // Opened on Saturday night: the clock starts Monday 09:00.
        let saturday_22 = friday_16 + 30 * HOUR;
        assert_eq!(office.deadline(saturday_22), monday_12 + HOUR);
        // Amsterdam in winter (UTC+1): 9–17 local is 8–16 UTC.
        let cet = CasePolicy {
            business_hours: Some(BusinessHours {
                utc_offset_minutes: 60,
                ..office.business_hours.unwrap()
            }),
            ..office.clone()
        };
        assert_eq!(cet.deadline(friday_16 - 2 * HOUR), monday_12 - 2 * HOUR);
    }

    #[test]
    fn closing_needs_contact_outcome_and_root_cause() {
        assert_eq!(
            check_close(0, Some("resolved"), "wachtrij"),
            Err(InboxError::NoContact)
        );
        assert_eq!(check_close(1, None, "wachtrij"), Err(InboxError::NoOutcome));
        assert_eq!(
            check_close(1, Some("maybe"), "wachtrij"),
            Err(InboxError::NoOutcome)
        );
        assert_eq!(
            check_close(1, Some("resolved"), "  "),
            Err(InboxError::NoRootCause)
        );
        assert_eq!(
            check_close(2, Some("resolved"), " Wachtrij  Telefoon "),
            Ok((Outcome::Resolved, "wachtrij telefoon".into()))
        );
    }

    #[test]
    fn follow_up_figures_per_department() {
        let h = 3600;
        let case = |d: &str, contact: Option<i64>, score: u8, next: Option<u8>| CaseFact {
            department: d.into(),
            opened_at: 0,
            deadline_at: 48 * h,
            first_contact_at: contact.map(|c| c * h),
            score: Some(score),
            next_score: next,
        };
        let facts = vec![
            case("Service", Some(2), 3, Some(8)),
            case("Service", Some(10), 5, Some(4)),
            case("Service", Some(60), 2, None),
            case("Service", None, 1, Some(9)),
            case("Billing", Some(1), 6, Some(9)),
        ];
        let f = follow_up(&facts);
        assert_eq!(f.len(), 3);
        let (billing, service, all) = (&f[0], &f[1], &f[2]);
        assert_eq!(billing.department, "Billing");
        assert_eq!(
            (service.cases, service.contacted, service.in_time),
            (4, 3, 2)
        );
        assert_eq!(service.contacted_share().map(f64::round), Some(75.0));
        // Hours 2, 10, 60: median 10, p90 60.
        assert_eq!(
            (service.median_hours, service.p90_hours),
            (Some(10.0), Some(60.0))
        );
        // Two contacted answered again, one higher; the uncontacted one does not count.
        assert_eq!((service.answered_again, service.recovered), (2, 1));
        assert_eq!(service.recovery_rate(), Some(50.0));
        assert_eq!(
            (all.department.as_str(), all.cases, all.recovered),
            ("", 5, 2)
        );
        assert!(follow_up(&[]).is_empty());
        assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 50.0), Some(2.0));
    }

    #[test]
    fn overdue_means_no_contact_by_the_deadline() {
        let mut case = Case {
            id: 1,
            opened_at: 0,
            deadline_at: 100,
            escalated_at: None,
            first_contact_at: None,
            closed_at: None,
            outcome: None,
            contacts: vec![],
            followup_sent_at: None,
            followup_score: None,
        };
        assert!(!case.overdue(100));
        assert!(case.overdue(101));
        case.first_contact_at = Some(150);
        assert!(!case.overdue(200));
    }
}
