//! Setting up boards, challenges and idea statuses: the forms admins fill in, checked field by
//! field (codes; the app words them).

use crate::calendar::{format_date, parse_timestamp};
use crate::idea::{is_key, BoardKind, BoardVisibility, IdeaStatus, Moderation, Stage};
use crate::survey::{clean_text, is_valid_slug};
use serde::{Deserialize, Serialize};

pub const NAME_MAX_CHARS: usize = 120;
pub const DESCRIPTION_MAX_CHARS: usize = 2000;
pub const OWNER_MAX_CHARS: usize = 80;
pub const MAX_STAGES: usize = 8;
pub const STATUS_NAME_MAX_CHARS: usize = 40;
pub const MAX_STATUSES: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardError {
    SlugInvalid,
    SlugTaken,
    NameMissing,
    NameTooLong,
    DescriptionTooLong,
    OwnerTooLong,
    DateInvalid,
    DatesOutOfOrder,
    StagesInvalid,
    StageUnknown,
    ResponseDaysInvalid,
    StatusKeyInvalid,
    StatusNameMissing,
    ColorInvalid,
    TooManyStatuses,
}

impl BoardError {
    pub const ALL: [BoardError; 15] = [
        BoardError::SlugInvalid,
        BoardError::SlugTaken,
        BoardError::NameMissing,
        BoardError::NameTooLong,
        BoardError::DescriptionTooLong,
        BoardError::OwnerTooLong,
        BoardError::DateInvalid,
        BoardError::DatesOutOfOrder,
        BoardError::StagesInvalid,
        BoardError::StageUnknown,
        BoardError::ResponseDaysInvalid,
        BoardError::StatusKeyInvalid,
        BoardError::StatusNameMissing,
        BoardError::ColorInvalid,
        BoardError::TooManyStatuses,
    ];

    pub fn code(self) -> &'static str {
        match self {
            BoardError::SlugInvalid => "board_slug_invalid",
            BoardError::SlugTaken => "board_slug_taken",
            BoardError::NameMissing => "board_name_missing",
            BoardError::NameTooLong => "board_name_too_long",
            BoardError::DescriptionTooLong => "board_description_too_long",
            BoardError::OwnerTooLong => "board_owner_too_long",
            BoardError::DateInvalid => "board_date_invalid",
            BoardError::DatesOutOfOrder => "board_dates_out_of_order",
            BoardError::StagesInvalid => "board_stages_invalid",
            BoardError::StageUnknown => "board_stage_unknown",
            BoardError::ResponseDaysInvalid => "board_response_days_invalid",
            BoardError::StatusKeyInvalid => "board_status_key_invalid",
            BoardError::StatusNameMissing => "board_status_name_missing",
            BoardError::ColorInvalid => "board_color_invalid",
            BoardError::TooManyStatuses => "board_too_many_statuses",
        }
    }

    pub fn from_code(code: &str) -> Option<BoardError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// A board or challenge as the admin's form posts it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardForm {
    pub slug: Option<String>,
    pub kind: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub description_nl: Option<String>,
    pub description_en: Option<String>,
    pub visibility: Option<String>,
    pub moderation: Option<String>,
    pub owner: Option<String>,
    /// `YYYY-MM-DD` (challenges).
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    /// One stage per line: `key | Dutch name | English name`.
    pub stages: Option<String>,
    /// The current stage's key.
    pub stage: Option<String>,
    pub response_days: Option<String>,
}

/// A board that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardInput {
    pub slug: String,
    pub kind: BoardKind,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub visibility: BoardVisibility,
    pub moderation: Moderation,
    pub owner: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub stages: Vec<Stage>,
    pub stage: Option<String>,
    pub response_days: i64,
}

/// The stages as the form shows them (see [`BoardForm::stages`]).
pub fn stages_text(stages: &[Stage]) -> String {
    stages
        .iter()
        .map(|s| format!("{} | {} | {}", s.key, s.name_nl, s.name_en))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A date of the form as `YYYY-MM-DD`.
pub fn date_text(at: Option<i64>) -> String {
    at.map(format_date).unwrap_or_default()
}

impl TryFrom<BoardForm> for BoardInput {
    type Error = Vec<BoardError>;

    fn try_from(form: BoardForm) -> Result<Self, Self::Error> {
        let text = |v: &Option<String>| clean_text(v.as_deref().unwrap_or(""));
        let mut errors = Vec::new();
        let slug = text(&form.slug).to_lowercase();
        if !is_valid_slug(&slug) {
            errors.push(BoardError::SlugInvalid);
        }
        let (name_nl, name_en) = (text(&form.name_nl), text(&form.name_en));
        if name_nl.is_empty() && name_en.is_empty() {
            errors.push(BoardError::NameMissing);
        } else if name_nl.chars().count() > NAME_MAX_CHARS
            || name_en.chars().count() > NAME_MAX_CHARS
        {
            errors.push(BoardError::NameTooLong);
        }
        let (description_nl, description_en) =
            (text(&form.description_nl), text(&form.description_en));
        if description_nl.chars().count() > DESCRIPTION_MAX_CHARS
            || description_en.chars().count() > DESCRIPTION_MAX_CHARS
        {
            errors.push(BoardError::DescriptionTooLong);
        }
        let owner = text(&form.owner);
        if owner.chars().count() > OWNER_MAX_CHARS {
            errors.push(BoardError::OwnerTooLong);
        }
        let kind = BoardKind::parse(&text(&form.kind)).unwrap_or(BoardKind::Board);
        let date = |v: &Option<String>, errors: &mut Vec<BoardError>| {
            let raw = text(v);
            if raw.is_empty() {
                return None;
            }
            let at = parse_timestamp(&raw).filter(|_| raw.len() == 10);
            if at.is_none() {
                errors.push(BoardError::DateInvalid);
            }
            at
        };
        let opens_at = date(&form.opens_on, &mut errors);
        // A challenge closes at the end of its last day.
        let closes_at = date(&form.closes_on, &mut errors).map(|at| at + 86_400);
        if let (Some(o), Some(c)) = (opens_at, closes_at) {
            if c <= o {
                errors.push(BoardError::DatesOutOfOrder);
            }
        }
        let mut stages = Vec::new();
        for line in text(&form.stages).lines().filter(|l| !l.trim().is_empty()) {
            let parts: Vec<String> = line.split('|').map(|p| p.trim().to_string()).collect();
            let key = parts.first().cloned().unwrap_or_default();
            let name_nl = parts.get(1).cloned().unwrap_or_default();
            let name_en = parts.get(2).cloned().unwrap_or_default();
            if !is_key(&key)
                || (name_nl.is_empty() && name_en.is_empty())
                || parts.len() > 3
                || stages.iter().any(|s: &Stage| s.key == key)
            {
                errors.push(BoardError::StagesInvalid);
                break;
            }
            stages.push(Stage {
                key,
                name_nl,
                name_en,
            });
        }
        if stages.len() > MAX_STAGES && !errors.contains(&BoardError::StagesInvalid) {
            errors.push(BoardError::StagesInvalid);
        }
        let stage = Some(text(&form.stage)).filter(|s| !s.is_empty());
        if let Some(s) = &stage {
            if !stages.iter().any(|x| &x.key == s) {
                errors.push(BoardError::StageUnknown);
            }
        }
        let stage = stage.or_else(|| stages.first().map(|s| s.key.clone()));
        let response_days = match text(&form.response_days).as_str() {
            "" => Some(14),
            raw => raw.parse::<i64>().ok().filter(|d| (1..=365).contains(d)),
        };
        if response_days.is_none() {
            errors.push(BoardError::ResponseDaysInvalid);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(BoardInput {
            slug,
            kind,
            name_nl,
            name_en,
            description_nl,
            description_en,
            visibility: BoardVisibility::parse(&text(&form.visibility))
                .unwrap_or(BoardVisibility::Public),
            moderation: Moderation::parse(&text(&form.moderation)).unwrap_or(Moderation::Off),
            owner,
            opens_at,
            closes_at,
            stages,
            stage,
            response_days: response_days.unwrap_or(14),
        })
    }
}

/// A status as the admin's form posts it (empty `key` with `new_key`: a new status).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusForm {
    pub key: Option<String>,
    pub name_nl: Option<String>,
    pub name_en: Option<String>,
    pub color: Option<String>,
    pub position: Option<String>,
    /// "on" when checked.
    pub on_roadmap: Option<String>,
    pub closed: Option<String>,
}

impl TryFrom<StatusForm> for IdeaStatus {
    type Error = Vec<BoardError>;

    fn try_from(form: StatusForm) -> Result<Self, Self::Error> {
        let text = |v: &Option<String>| clean_text(v.as_deref().unwrap_or(""));
        let mut errors = Vec::new();
        let key = text(&form.key);
        if !is_key(&key) {
            errors.push(BoardError::StatusKeyInvalid);
        }
        let (name_nl, name_en) = (text(&form.name_nl), text(&form.name_en));
        if (name_nl.is_empty() && name_en.is_empty())
            || name_nl.chars().count() > STATUS_NAME_MAX_CHARS
            || name_en.chars().count() > STATUS_NAME_MAX_CHARS
        {
            errors.push(BoardError::StatusNameMissing);
        }
        let color = text(&form.color).to_lowercase();
        if !(color.len() == 7
            && color.starts_with('#')
            && color[1..].bytes().all(|b| b.is_ascii_hexdigit()))
        {
            errors.push(BoardError::ColorInvalid);
        }
        let position = text(&form.position)
            .parse::<i64>()
            .unwrap_or(0)
            .clamp(0, 100);
        if !errors.is_empty() {
            return Err(errors);
        }
        let checked = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty() && v != "0");
        Ok(IdeaStatus {
            key,
            name_nl,
            name_en,
            color,
            position,
            on_roadmap: checked(&form.on_roadmap),
            closed: checked(&form.closed),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> BoardForm {
        BoardForm {
            slug: Some("Overstappen".into()),
            kind: Some("challenge".into()),
            name_nl: Some("Moeiteloos overstappen".into()),
            opens_on: Some("2026-12-01".into()),
            closes_on: Some("2026-12-31".into()),
            stages: Some("collect | Verzamelen | Collecting\nshortlist | Shortlist |".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_challenge_form_becomes_a_board() {
        let b = BoardInput::try_from(form()).unwrap();
        assert_eq!(b.slug, "overstappen");
        assert_eq!(b.kind, BoardKind::Challenge);
        assert_eq!(b.stages.len(), 2);
        assert_eq!(b.stage.as_deref(), Some("collect"));
        assert_eq!(b.closes_at.unwrap() - b.opens_at.unwrap(), 31 * 86_400);
        assert_eq!(date_text(b.opens_at), "2026-12-01");
        assert_eq!(
            stages_text(&b.stages),
            "collect | Verzamelen | Collecting\nshortlist | Shortlist | "
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let bad = BoardForm {
            slug: Some("geen slug!".into()),
            name_nl: Some(String::new()),
            opens_on: Some("2026-12-31".into()),
            closes_on: Some("2026-12-01".into()),
            stages: Some("Geen sleutel".into()),
            stage: Some("evaluate".into()),
            response_days: Some("0".into()),
            ..Default::default()
        };
        assert_eq!(
            BoardInput::try_from(bad).unwrap_err(),
            vec![
                BoardError::SlugInvalid,
                BoardError::NameMissing,
                BoardError::DatesOutOfOrder,
                BoardError::StagesInvalid,
                BoardError::StageUnknown,
                BoardError::ResponseDaysInvalid
            ]
        );
        let bad_date = BoardForm {
            opens_on: Some("1 december".into()),
            ..form()
        };
        assert_eq!(
            BoardInput::try_from(bad_date).unwrap_err(),
            vec![BoardError::DateInvalid]
        );
    }

    #[test]
    fn statuses_need_a_key_a_name_and_a_colour() {
        let ok = IdeaStatus::try_from(StatusForm {
            key: Some("testing".into()),
            name_nl: Some("In test".into()),
            color: Some("#A61B1B".into()),
            position: Some("7".into()),
            on_roadmap: Some("on".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (ok.color.as_str(), ok.position, ok.on_roadmap, ok.closed),
            ("#a61b1b", 7, true, false)
        );
        let bad = IdeaStatus::try_from(StatusForm {
            key: Some("In Test".into()),
            color: Some("red".into()),
            ..Default::default()
        });
        assert_eq!(
            bad.unwrap_err(),
            vec![
                BoardError::StatusKeyInvalid,
                BoardError::StatusNameMissing,
                BoardError::ColorInvalid
            ]
        );
    }

    #[test]
    fn error_codes_round_trip() {
        for e in BoardError::ALL {
            assert_eq!(BoardError::from_code(e.code()), Some(e));
        }
    }
}
