//! Improvement actions: what a department does about what customers said, with the evidence
//! (themes, responses, cases, ideas) and a before/after measurement of its effect — the linked
//! themes' mentions, NPS and negative share before and after the action was done, against the
//! same change in the responses that do not mention them (difference in differences).

use crate::nps::{NpsSummary, ScoreDistribution};
use serde::{Deserialize, Serialize};

pub const TITLE_MAX_CHARS: usize = 120;
pub const TEXT_MAX_CHARS: usize = 4000;
/// The message customers read ("you said, we did").
pub const PUBLIC_MAX_CHARS: usize = 600;
pub const THEMES_MAX: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionStatus {
    Proposed,
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::Proposed,
        ActionStatus::Planned,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Proposed => "proposed",
            ActionStatus::Planned => "planned",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(raw: &str) -> Option<ActionStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// Still to be done.
    pub fn is_open(self) -> bool {
        !matches!(self, ActionStatus::Done | ActionStatus::Dropped)
    }
}

/// What an action rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EvidenceKind {
    Response,
    /// An inbox item (and its case).
    Item,
    Idea,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Response => "response",
            EvidenceKind::Item => "item",
            EvidenceKind::Idea => "idea",
        }
    }

    pub fn parse(raw: &str) -> Option<EvidenceKind> {
        match raw.trim() {
            "response" => Some(EvidenceKind::Response),
            "item" => Some(EvidenceKind::Item),
            "idea" => Some(EvidenceKind::Idea),
            _ => None,
        }
    }
}

/// A piece of evidence with what the page shows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub id: i64,
    /// A short text: the response's or idea's words (masked for staff).
    pub label: String,
    /// Where it lives (`/responses/7`, `/inbox/3`, `/ideas/app/5`).
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub department: Option<(i64, String)>,
    pub owner: Option<(i64, String)>,
    /// The due day (Unix seconds at 00:00 UTC).
    pub due: Option<i64>,
    pub status: ActionStatus,
    /// What customers read when it is done ("je zei, wij deden"); empty: nobody is told.
    pub public_message: String,
    pub themes: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub created_at: i64,
    pub done_at: Option<i64>,
    /// Customers told it was done.
    pub told: u64,
}

impl Action {
    /// Open and past its due day.
    pub fn overdue(&self, now: i64) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| now >= d + 86_400)
    }
}

/// The action form as posted (strings: a form without JavaScript posts text).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub title: String,
    pub description: String,
    pub department: Option<String>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub status: Option<String>,
    /// Theme keys, comma-separated.
    pub themes: String,
    pub public_message: String,
    /// Where it was created from: `response:12`, `item:3`, `idea:5`.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionError {
    TitleMissing,
    TitleTooLong,
    TextTooLong,
    PublicTooLong,
    BadDate,
    BadStatus,
    TooManyThemes,
    UnknownTheme,
    UnknownDepartment,
    UnknownOwner,
    BadEvidence,
}

impl ActionError {
    pub const ALL: [ActionError; 11] = [
        ActionError::TitleMissing,
        ActionError::TitleTooLong,
        ActionError::TextTooLong,
        ActionError::PublicTooLong,
        ActionError::BadDate,
        ActionError::BadStatus,
        ActionError::TooManyThemes,
        ActionError::UnknownTheme,
        ActionError::UnknownDepartment,
        ActionError::UnknownOwner,
        ActionError::BadEvidence,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionError::TitleMissing => "action_title_missing",
            ActionError::TitleTooLong => "action_title_too_long",
            ActionError::TextTooLong => "action_text_too_long",
            ActionError::PublicTooLong => "action_public_too_long",
            ActionError::BadDate => "action_bad_date",
            ActionError::BadStatus => "action_bad_status",
            ActionError::TooManyThemes => "action_too_many_themes",
            ActionError::UnknownTheme => "action_unknown_theme",
            ActionError::UnknownDepartment => "action_unknown_department",
            ActionError::UnknownOwner => "action_unknown_owner",
            ActionError::BadEvidence => "action_bad_evidence",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// A checked action form.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionInput {
    pub title: String,
    pub description: String,
    pub department: Option<i64>,
    pub owner: Option<i64>,
    pub due: Option<i64>,
    pub status: ActionStatus,
    pub themes: Vec<String>,
    pub public_message: String,
    pub evidence: Option<(EvidenceKind, i64)>,
}

/// What the form may refer to: existing departments, staff and theme keys.
pub struct Known<'a> {
    pub departments: &'a [i64],
    pub staff: &'a [i64],
    pub themes: &'a [String],
}

fn id_field(
    raw: &Option<String>,
    known: &[i64],
    error: ActionError,
) -> Result<Option<i64>, ActionError> {
    match raw.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(r) => r
            .parse::<i64>()
            .ok()
            .filter(|id| known.contains(id))
            .map(Some)
            .ok_or(error),
    }
}

impl ActionForm {
    pub fn parse(&self, known: &Known<'_>) -> Result<ActionInput, Vec<ActionError>> {
        let mut errors = Vec::new();
        let title = self.title.split_whitespace().collect::<Vec<_>>().join(" ");
        if title.is_empty() {
            errors.push(ActionError::TitleMissing);
        } else if title.chars().count() > TITLE_MAX_CHARS {
            errors.push(ActionError::TitleTooLong);
        }
        let description = self.description.trim().replace("\r\n", "\n");
        if description.chars().count() > TEXT_MAX_CHARS {
            errors.push(ActionError::TextTooLong);
        }
        let public_message = self.public_message.trim().replace("\r\n", "\n");
        if public_message.chars().count() > PUBLIC_MAX_CHARS {
            errors.push(ActionError::PublicTooLong);
        }
        let due = match self.due.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => match crate::calendar::parse_day(d) {
                Some(day) => Some(day),
                None => {
                    errors.push(ActionError::BadDate);
                    None
                }
            },
        };
        let status = match self
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => ActionStatus::Proposed,
            Some(s) => ActionStatus::parse(s).unwrap_or_else(|| {
                errors.push(ActionError::BadStatus);
                ActionStatus::Proposed
            }),
        };
        let mut themes: Vec<String> = Vec::new();
        for key in self
            .themes
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            if !known.themes.iter().any(|t| t == key) {
                errors.push(ActionError::UnknownTheme);
                break;
            }
            if !themes.iter().any(|t| t == key) {
                themes.push(key.to_string());
            }
        }
        if themes.len() > THEMES_MAX {
            errors.push(ActionError::TooManyThemes);
        }
        let department = id_field(
            &self.department,
            known.departments,
            ActionError::UnknownDepartment,
        )
        .unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let owner =
            id_field(&self.owner, known.staff, ActionError::UnknownOwner).unwrap_or_else(|e| {
                errors.push(e);
                None
            });
        let evidence = match self
            .evidence
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            None => None,
            Some(e) => {
                let parsed = e.split_once(':').and_then(|(kind, id)| {
                    Some((EvidenceKind::parse(kind)?, id.trim().parse::<i64>().ok()?))
                });
                if parsed.is_none() {
                    errors.push(ActionError::BadEvidence);
                }
                parsed
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ActionInput {
            title,
            description,
            department,
            owner,
            due,
            status,
            themes,
            public_message,
            evidence,
        })
    }
}

/// The figures of one window (before or after the action) that the measurement needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct WindowFigures {
    /// Responses that mention a linked theme, by score.
    pub with_themes: ScoreDistribution,
    /// Mentions of the linked themes (one per response and theme); of them, those with a
    /// confident sentiment, and how many of those were negative (the negative share's basis).
    pub mentions: u64,
    #[serde(default)]
    pub rated: u64,
    pub negative_mentions: u64,
    /// Responses in the window that mention none of the themes: the comparison.
    pub others: ScoreDistribution,
}

/// A change with its margin (95 %) and two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub change: Option<f64>,
    pub margin: Option<f64>,
    pub p_value: Option<f64>,
}

impl Change {
    /// Larger than chance explains at the 5 % level.
    pub fn significant(&self) -> bool {
        self.p_value.is_some_and(|p| p < 0.05)
    }
}

/// The before/after measurement of an action.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    pub window_days: i64,
    pub before: WindowFigures,
    pub after: WindowFigures,
    /// NPS of the responses that mention the themes.
    pub theme_nps: Change,
    /// NPS of the responses that do not: did everything move?
    pub other_nps: Change,
    /// The themes' change minus the others' change, in NPS points.
    pub difference_in_differences: Change,
    /// Share of the mentions that are negative, in percent.
    pub negative_share: Change,
}

/// Standard normal distribution function (Abramowitz–Stegun 7.1.26, error below 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

fn two_sided_p(estimate: f64, standard_error: f64) -> Option<f64> {
    (standard_error > 0.0).then(|| 2.0 * (1.0 - normal_cdf((estimate / standard_error).abs())))
}

/// NPS and its standard error, in NPS points; `None` below two responses.
fn nps_and_se(s: &NpsSummary) -> Option<(f64, f64)> {
    Some((s.nps()?, s.margin_of_error()? / 1.96))
}

fn nps_change(before: &ScoreDistribution, after: &ScoreDistribution) -> Change {
    let (b, a) = (before.summary(), after.summary());
    let (bs, as_) = (nps_and_se(&b), nps_and_se(&a));
    let both = bs.zip(as_);
    let se = both.map(|((_, x), (_, y))| (x * x + y * y).sqrt());
    let change = both.map(|((b, _), (a, _))| a - b);
    Change {
        before: b.nps(),
        after: a.nps(),
        change,
        margin: se.map(|s| 1.96 * s),
        p_value: change.zip(se).and_then(|(c, s)| two_sided_p(c, s)),
    }
}

/// Compares the window before an action with the window after it.
pub fn impact(window_days: i64, before: WindowFigures, after: WindowFigures) -> Impact {
    let theme_nps = nps_change(&before.with_themes, &after.with_themes);
    let other_nps = nps_change(&before.others, &after.others);
    let se = |c: &Change| c.margin.map(|m| m / 1.96);
    let did_se = se(&theme_nps)
        .zip(se(&other_nps))
        .map(|(a, b)| (a * a + b * b).sqrt());
    let did = theme_nps.change.zip(other_nps.change).map(|(t, o)| t - o);
    let share =
        |f: &WindowFigures| (f.rated > 0).then(|| f.negative_mentions as f64 / f.rated as f64);
    let (sb, sa) = (share(&before), share(&after));
    // Two-proportion z-test with the pooled share.
    let share_se = (before.rated > 0 && after.rated > 0).then(|| {
        let pooled = (before.negative_mentions + after.negative_mentions) as f64
            / (before.rated + after.rated) as f64;
        (pooled * (1.0 - pooled) * (1.0 / before.rated as f64 + 1.0 / after.rated as f64)).sqrt()
    });
    let share_change = sb.zip(sa).map(|(b, a)| a - b);
    let unpooled_margin = sb.zip(sa).map(|(b, a)| {
        1.96 * (b * (1.0 - b) / before.rated as f64 + a * (1.0 - a) / after.rated as f64).sqrt()
            * 100.0
    });
    Impact {
        window_days,
        before,
        after,
        theme_nps,
        other_nps,
        difference_in_differences: Change {
            before: None,
            after: None,
            change: did,
            margin: did_se.map(|s| 1.96 * s),
            p_value: did.zip(did_se).and_then(|(d, s)| two_sided_p(d, s)),
        },
        negative_share: Change {
            before: sb.map(|s| s * 100.0),
            after: sa.map(|s| s * 100.0),
            change: share_change.map(|c| c * 100.0),
            margin: unpooled_margin,
            p_value: share_change
                .zip(share_se)
                .and_then(|(c, s)| two_sided_p(c, s)),
        },
    }
}

/// The measurement windows around `done_at`: `[done − days, done)` and `[done, done + days)`.
pub fn windows(done_at: i64, days: i64) -> ((i64, i64), (i64, i64)) {
    let span = days.clamp(7, 365) * 86_400;
    ((done_at - span, done_at), (done_at, done_at + span))
}

/// A line of the actions overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionLine {
    pub id: i64,
    pub title: String,
    pub department: Option<(i64, String)>,
    pub owner: Option<String>,
    pub status: ActionStatus,
    pub due: Option<i64>,
    pub created_at: i64,
    pub done_at: Option<i64>,
}

impl ActionLine {
    pub fn overdue(&self, now: i64) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| now >= d + 86_400)
    }
}

/// How the customers who were told an action was done scored before and after: their answer
/// before they were told and their first answer after.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ToldCustomers {
    pub told: u64,
    /// Customers who answered again since.
    pub answered_again: u64,
    pub before: ScoreDistribution,
    pub after: ScoreDistribution,
}

/// What the action forms offer and check: (id, name) of departments and staff, (key, name) of
/// themes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Choices {
    pub departments: Vec<(i64, String)>,
    pub staff: Vec<(i64, String)>,
    pub themes: Vec<(String, String)>,
}

/// The overview: open actions first (oldest on top), then done and dropped ones, and the
/// new-action form filled in from where it was started (a theme, response, case, idea).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionsPage {
    pub actions: Vec<ActionLine>,
    pub choices: Choices,
    pub draft: ActionForm,
    /// Whether this user starts actions (staff in no department only follow them).
    pub may_start: bool,
    pub now: i64,
}

/// An action's page: before/after of its themes around the day it was done (before that, the
/// latest window as a baseline) and how the customers told about it scored since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionPage {
    pub action: Action,
    pub choices: Choices,
    pub impact: Option<Impact>,
    pub baseline: Option<WindowFigures>,
    pub told: ToldCustomers,
    pub window_days: i64,
    pub now: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(promoters: u64, passives: u64, detractors: u64) -> ScoreDistribution {
        let mut d = ScoreDistribution::default();
        d.0[10] = promoters;
        d.0[8] = passives;
        d.0[3] = detractors;
        d
    }

    #[test]
    fn the_normal_distribution_is_right_to_seven_places() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975_002).abs() < 1e-5);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-5);
        assert!((normal_cdf(3.0) - 0.998_650).abs() < 1e-5);
    }

    #[test]
    fn difference_in_differences_separates_the_action_from_the_tide() {
        // Theme: NPS −40 → +10 (n=100 each); the rest: +20 → +30 (n=400 each).
        let before = WindowFigures {
            with_themes: dist(20, 20, 60),
            mentions: 100,
            rated: 100,
            negative_mentions: 60,
            others: dist(160, 160, 80),
        };
        let after = WindowFigures {
            with_themes: dist(40, 30, 30),
            mentions: 100,
            rated: 100,
            negative_mentions: 30,
            others: dist(180, 160, 60),
        };
        let i = impact(30, before, after);
        assert_eq!(i.theme_nps.before.map(f64::round), Some(-40.0));
        assert_eq!(i.theme_nps.after.map(f64::round), Some(10.0));
        assert_eq!(i.theme_nps.change.map(f64::round), Some(50.0));
        assert_eq!(i.other_nps.change.map(f64::round), Some(10.0));
        assert_eq!(
            i.difference_in_differences.change.map(f64::round),
            Some(40.0)
        );
        // se(theme before) = sqrt((0.2+0.6−0.16)/100)·100 = 8.0; after sqrt((0.4+0.3−0.01)/100)·100 = 8.31
        // se(others before) = sqrt((0.4+0.2−0.04)/400)·100 = 3.74; after sqrt((0.45+0.15−0.09)/400)·100 = 3.57
        // se(DiD) = sqrt(8.0² + 8.31² + 3.74² + 3.57²) = 12.64 → margin 24.77, z = 3.16, p = 0.0016
        let did = i.difference_in_differences;
        assert!((did.margin.unwrap() - 24.77).abs() < 0.01, "{did:?}");
        assert!((did.p_value.unwrap() - 0.0016).abs() < 0.0002, "{did:?}");
        assert!(did.significant());
        // Negative share 60 % → 30 %: pooled 0.45, se = sqrt(0.45·0.55·0.02) = 0.0704, z = 4.26.
        let share = i.negative_share;
        assert_eq!(share.change.map(f64::round), Some(-30.0));
        assert!(share.p_value.unwrap() < 0.0001);
    }

    #[test]
    fn no_effect_beyond_the_tide_is_not_significant() {
        let before = WindowFigures {
            with_themes: dist(10, 10, 20),
            mentions: 40,
            rated: 40,
            negative_mentions: 20,
            others: dist(50, 30, 20),
        };
        let after = WindowFigures {
            with_themes: dist(12, 10, 18),
            mentions: 40,
            rated: 40,
            negative_mentions: 18,
            others: dist(55, 30, 15),
        };
        let i = impact(30, before, after);
        assert!(!i.difference_in_differences.significant());
        assert!(!i.theme_nps.significant());
        // Too little data gives no figure rather than a made-up one.
        let empty = impact(30, WindowFigures::default(), after);
        assert_eq!(empty.theme_nps.change, None);
        assert_eq!(empty.difference_in_differences.p_value, None);
        assert_eq!(empty.negative_share.before, None);
    }

    #[test]
    fn the_form_is_checked() {
        let themes = vec!["waiting_time".to_string(), "price_billing".to_string()];
        let known = Known {
            departments: &[1],
            staff: &[7],
            themes: &themes,
        };
        let form = ActionForm {
            title: "  Terugbelservice  bij drukte ".into(),
            department: Some("1".into()),
            owner: Some("7".into()),
            due: Some("2026-12-31".into()),
            status: Some("planned".into()),
            themes: "waiting_time, waiting_time".into(),
            evidence: Some("item:4".into()),
            ..Default::default()
        };
        let input = form.parse(&known).unwrap();
        assert_eq!(input.title, "Terugbelservice bij drukte");
        assert_eq!(input.themes, vec!["waiting_time".to_string()]);
        assert_eq!(input.status, ActionStatus::Planned);
        assert_eq!(input.evidence, Some((EvidenceKind::Item, 4)));
        assert_eq!(
            input.due.map(crate::calendar::format_date).as_deref(),
            Some("2026-12-31")
        );
        let errors = ActionForm {
            title: " ".into(),
            due: Some("31-12-2026".into()),
            themes: "colour".into(),
            department: Some("9".into()),
            status: Some("finished".into()),
            evidence: Some("tweet:1".into()),
            ..Default::default()
        }
        .parse(&known)
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                ActionError::TitleMissing,
                ActionError::BadDate,
                ActionError::BadStatus,
                ActionError::UnknownTheme,
                ActionError::UnknownDepartment,
                ActionError::BadEvidence,
            ]
        );
    }

    #[test]
    fn overdue_is_open_past_the_due_day() {
        let line = ActionLine {
            id: 1,
            title: "x".into(),
            department: None,
            owner: None,
            status: ActionStatus::Planned,
            due: Some(86_400 * 10),
            created_at: 0,
            done_at: None,
        };
        assert!(
            !line.overdue(86_400 * 10 + 3600),
            "the due day itself is in time"
        );
        assert!(line.overdue(86_400 * 11));
        let done = ActionLine {
            status: ActionStatus::Done,
            ..line
        };
        assert!(!done.overdue(86_400 * 20));
    }
}
