//! Feedback gathered elsewhere (the REST API, CSV files): one raw record, checked field by field
//! into a response the platform can store. Plain Rust, no web or database types.

use crate::locale::Locale;
use crate::nps::{NpsScore, ScoreError};
use crate::survey::{
    clean_text, is_valid_slug, Channel, Email, JourneyPhase, EMAIL_MAX_CHARS, REASON_MAX_CHARS,
};
use serde::{Deserialize, Serialize};

/// Most records in one API request.
pub const BATCH_MAX: usize = 500;
pub const EXTERNAL_ID_MAX_CHARS: usize = 200;
pub const REFERENCE_MAX_CHARS: usize = 254;
/// Feedback dated before this (2000-01-01) is a typo, not history.
pub const EARLIEST: i64 = 946_684_800;
/// Clocks differ: a timestamp a little in the future is accepted as now.
const CLOCK_SKEW_SECS: i64 = 300;

/// One record as it arrives: every field as text, empty when absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RawResponse {
    pub survey: String,
    /// 0–10; empty for feedback without a score (a complaint mail, a chat, a review).
    pub score: String,
    /// A star rating (CSAT) 1–5, besides or instead of the score.
    #[serde(default)]
    pub rating: String,
    pub comment: String,
    pub channel: String,
    pub journey_phase: String,
    /// The language the customer used or was asked in (nl, en): context for text analysis.
    pub language: String,
    /// Unix seconds, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or RFC 3339.
    pub submitted_at: String,
    /// The customer's id in the system the feedback comes from.
    pub customer_ref: String,
    pub customer_email: String,
    /// Whether the customer agreed to be contacted and to have their reference kept.
    pub consent: String,
    /// The record's id in the system it comes from: the same id is stored once.
    pub external_id: String,
    /// A person's label of the text's sentiment (negative, neutral, positive): stored as a
    /// correction that every retagging keeps, and learned from.
    #[serde(default)]
    pub sentiment: String,
    /// A person's labels of the themes: the keys that apply (comma or semicolon separated; `none`
    /// for none of them). The text's themes become exactly these.
    #[serde(default)]
    pub themes: String,
    /// The words of the consent the customer gave, as they read them (the staff form's
    /// sentence); kept with the response. Not a field of the API or the CSV import.
    #[serde(skip)]
    pub consent_wording: String,
}

impl RawResponse {
    /// The field names, as the API, the CSV mapping and the errors call them.
    pub const FIELDS: [&'static str; 14] = [
        "survey",
        "score",
        "rating",
        "comment",
        "channel",
        "journey_phase",
        "language",
        "submitted_at",
        "customer_ref",
        "customer_email",
        "consent",
        "external_id",
        "sentiment",
        "themes",
    ];

    /// A record read field by field (`get` answers a field's text, empty when absent).
    pub fn from_fields(get: impl Fn(&str) -> String) -> RawResponse {
        RawResponse {
            survey: get("survey"),
            score: get("score"),
            rating: get("rating"),
            comment: get("comment"),
            channel: get("channel"),
            journey_phase: get("journey_phase"),
            language: get("language"),
            submitted_at: get("submitted_at"),
            customer_ref: get("customer_ref"),
            customer_email: get("customer_email"),
            consent: get("consent"),
            external_id: get("external_id"),
            sentiment: get("sentiment"),
            themes: get("themes"),
            consent_wording: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidResponse {
    pub survey: String,
    pub score: Option<NpsScore>,
    /// A star rating 1–5.
    pub rating: Option<u8>,
    pub comment: Option<String>,
    pub channel: Channel,
    pub journey_phase: Option<JourneyPhase>,
    pub locale: Option<Locale>,
    pub submitted_at: Option<i64>,
    pub customer_ref: Option<String>,
    pub customer_email: Option<Email>,
    pub consent: bool,
    /// The words they agreed to, when known (else where the consent came from is kept).
    pub consent_wording: Option<String>,
    pub external_id: Option<String>,
    /// A person's sentiment label: "negative", "neutral" or "positive".
    pub sentiment: Option<&'static str>,
    /// A person's theme labels: the keys that apply (empty: none does); `None` without labels.
    pub themes: Option<Vec<String>>,
}

impl ValidResponse {
    /// What identifies the customer across channels: their reference, else their e-mail address.
    pub fn customer_key(&self) -> Option<&str> {
        self.customer_ref
            .as_deref()
            .or(self.customer_email.as_ref().map(Email::as_str))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IngestError {
    SurveyMissing,
    SurveyUnknown,
    /// No score, no rating and no text: nothing to store.
    FeedbackEmpty,
    ScoreInvalid,
    RatingInvalid,
    CommentTooLong,
    ChannelUnknown,
    PhaseUnknown,
    LanguageUnknown,
    DateInvalid,
    DateOutOfRange,
    ReferenceTooLong,
    EmailInvalid,
    ConsentInvalid,
    ExternalIdTooLong,
    SentimentUnknown,
    ThemeUnknown,
}

impl IngestError {
    pub const ALL: [IngestError; 17] = [
        IngestError::SurveyMissing,
        IngestError::SurveyUnknown,
        IngestError::FeedbackEmpty,
        IngestError::ScoreInvalid,
        IngestError::RatingInvalid,
        IngestError::CommentTooLong,
        IngestError::ChannelUnknown,
        IngestError::PhaseUnknown,
        IngestError::LanguageUnknown,
        IngestError::DateInvalid,
        IngestError::DateOutOfRange,
        IngestError::ReferenceTooLong,
        IngestError::EmailInvalid,
        IngestError::ConsentInvalid,
        IngestError::ExternalIdTooLong,
        IngestError::SentimentUnknown,
        IngestError::ThemeUnknown,
    ];

    pub fn from_code(code: &str) -> Option<IngestError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn code(self) -> &'static str {
        match self {
            IngestError::SurveyMissing => "survey_missing",
            IngestError::SurveyUnknown => "survey_unknown",
            IngestError::FeedbackEmpty => "feedback_empty",
            IngestError::ScoreInvalid => "score_invalid",
            IngestError::RatingInvalid => "rating_invalid",
            IngestError::CommentTooLong => "comment_too_long",
            IngestError::ChannelUnknown => "channel_unknown",
            IngestError::PhaseUnknown => "journey_phase_unknown",
            IngestError::LanguageUnknown => "language_unknown",
            IngestError::DateInvalid => "submitted_at_invalid",
            IngestError::DateOutOfRange => "submitted_at_out_of_range",
            IngestError::ReferenceTooLong => "customer_ref_too_long",
            IngestError::EmailInvalid => "customer_email_invalid",
            IngestError::ConsentInvalid => "consent_invalid",
            IngestError::ExternalIdTooLong => "external_id_too_long",
            IngestError::SentimentUnknown => "sentiment_unknown",
            IngestError::ThemeUnknown => "themes_unknown",
        }
    }

    pub fn field(self) -> &'static str {
        match self {
            IngestError::SurveyMissing | IngestError::SurveyUnknown => "survey",
            IngestError::FeedbackEmpty | IngestError::ScoreInvalid => "score",
            IngestError::RatingInvalid => "rating",
            IngestError::CommentTooLong => "comment",
            IngestError::ChannelUnknown => "channel",
            IngestError::PhaseUnknown => "journey_phase",
            IngestError::LanguageUnknown => "language",
            IngestError::DateInvalid | IngestError::DateOutOfRange => "submitted_at",
            IngestError::ReferenceTooLong => "customer_ref",
            IngestError::EmailInvalid => "customer_email",
            IngestError::ConsentInvalid => "consent",
            IngestError::ExternalIdTooLong => "external_id",
            IngestError::SentimentUnknown => "sentiment",
            IngestError::ThemeUnknown => "themes",
        }
    }
}

/// Checks every field of a record and reports all its problems. `now` bounds the date;
/// `known_theme` tells the taxonomy's theme keys. Whether the survey exists is for the caller to
/// check (it needs the database).
pub fn validate(
    raw: &RawResponse,
    now: i64,
    known_theme: &dyn Fn(&str) -> bool,
) -> Result<ValidResponse, Vec<IngestError>> {
    let mut errors = Vec::new();
    let survey = raw.survey.trim().to_string();
    if survey.is_empty() {
        errors.push(IngestError::SurveyMissing);
    } else if !is_valid_slug(&survey) {
        errors.push(IngestError::SurveyUnknown);
    }
    let score = match NpsScore::parse(&raw.score) {
        Ok(s) => Some(s),
        Err(ScoreError::Missing) => None,
        Err(_) => {
            errors.push(IngestError::ScoreInvalid);
            None
        }
    };
    let rating = parse_rating(&raw.rating).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let comment = clean_text(&raw.comment);
    if comment.chars().count() > REASON_MAX_CHARS {
        errors.push(IngestError::CommentTooLong);
    }
    let blank = |s: &str| s.trim().is_empty();
    if blank(&raw.score) && blank(&raw.rating) && comment.is_empty() {
        errors.push(IngestError::FeedbackEmpty);
    }
    let channel = if raw.channel.trim().is_empty() {
        Some(Channel::Other)
    } else {
        Channel::parse(&raw.channel)
    };
    if channel.is_none() {
        errors.push(IngestError::ChannelUnknown);
    }
    let journey_phase = if raw.journey_phase.trim().is_empty() {
        None
    } else {
        let p = JourneyPhase::parse(&raw.journey_phase);
        if p.is_none() {
            errors.push(IngestError::PhaseUnknown);
        }
        p
    };
    let locale = if raw.language.trim().is_empty() {
        None
    } else {
        let l = Locale::from_tag(&raw.language);
        if l.is_none() {
            errors.push(IngestError::LanguageUnknown);
        }
        l
    };
    let submitted_at = if raw.submitted_at.trim().is_empty() {
        None
    } else {
        match parse_timestamp(&raw.submitted_at) {
            Some(t) if (EARLIEST..=now + CLOCK_SKEW_SECS).contains(&t) => Some(t.min(now)),
            Some(_) => {
                errors.push(IngestError::DateOutOfRange);
                None
            }
            None => {
                errors.push(IngestError::DateInvalid);
                None
            }
        }
    };
    let customer_ref = clean_text(&raw.customer_ref);
    if customer_ref.chars().count() > REFERENCE_MAX_CHARS {
        errors.push(IngestError::ReferenceTooLong);
    }
    let customer_email = if raw.customer_email.trim().is_empty() {
        None
    } else {
        let e = Email::parse(&raw.customer_email);
        if e.is_none() || raw.customer_email.len() > EMAIL_MAX_CHARS {
            errors.push(IngestError::EmailInvalid);
        }
        e
    };
    let consent = match raw.consent.trim().to_lowercase().as_str() {
        "" | "no" | "nee" | "false" | "0" | "n" => Some(false),
        "yes" | "ja" | "true" | "1" | "y" | "j" => Some(true),
        _ => None,
    };
    if consent.is_none() {
        errors.push(IngestError::ConsentInvalid);
    }
    let external_id = raw.external_id.trim().to_string();
    if external_id.chars().count() > EXTERNAL_ID_MAX_CHARS {
        errors.push(IngestError::ExternalIdTooLong);
    }
    let sentiment = parse_sentiment(&raw.sentiment).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let themes = parse_themes(&raw.themes, known_theme).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ValidResponse {
        survey,
        score,
        rating,
        comment: (!comment.is_empty()).then_some(comment),
        channel: channel.expect("checked above"),
        journey_phase,
        locale,
        submitted_at,
        customer_ref: (!customer_ref.is_empty()).then_some(customer_ref),
        customer_email,
        consent: consent.expect("checked above"),
        consent_wording: Some(crate::survey::clean_text(&raw.consent_wording))
            .filter(|w| consent == Some(true) && !w.is_empty()),
        external_id: (!external_id.is_empty()).then_some(external_id),
        sentiment,
        themes,
    })
}

/// A sentiment label in English or Dutch: empty for none.
pub fn parse_sentiment(text: &str) -> Result<Option<&'static str>, IngestError> {
    match text.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "negative" | "negatief" | "neg" | "-1" => Ok(Some("negative")),
        "neutral" | "neutraal" | "neu" | "0" => Ok(Some("neutral")),
        "positive" | "positief" | "pos" | "1" | "+1" => Ok(Some("positive")),
        _ => Err(IngestError::SentimentUnknown),
    }
}

/// Theme labels: keys separated by commas, semicolons or `|`; `none` (or `geen`) for none of
/// the themes; empty for no labels.
pub fn parse_themes(
    text: &str,
    known_theme: &dyn Fn(&str) -> bool,
) -> Result<Option<Vec<String>>, IngestError> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return Ok(None);
    }
    if t == "none" || t == "geen" || t == "-" {
        return Ok(Some(Vec::new()));
    }
    let mut keys: Vec<String> = Vec::new();
    for key in t
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        if !known_theme(key) {
            return Err(IngestError::ThemeUnknown);
        }
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    }
    Ok(Some(keys))
}

pub use crate::calendar::parse_timestamp;

/// A star rating: empty for none, else a whole number 1–5 (`4`, `4/5`, `4 sterren`).
pub fn parse_rating(text: &str) -> Result<Option<u8>, IngestError> {
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return Ok(None);
    }
    let number = t
        .strip_suffix("/5")
        .or_else(|| {
            ["sterren", "ster", "stars", "star"]
                .iter()
                .find_map(|w| t.strip_suffix(w))
        })
        .unwrap_or(&t)
        .trim();
    match number.parse::<u8>() {
        Ok(r @ 1..=5) => Ok(Some(r)),
        _ => Err(IngestError::RatingInvalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_996_800; // 2026-11-30

    fn any_theme(key: &str) -> bool {
        ["waiting_time", "price"].contains(&key)
    }

    fn raw() -> RawResponse {
        RawResponse {
            survey: "klantenservice".into(),
            score: "7".into(),
            comment: "  Prima geholpen \r\n".into(),
            channel: "Phone".into(),
            ..RawResponse::default()
        }
    }

    #[test]
    fn a_minimal_record_is_valid() {
        let v = validate(&raw(), NOW, &any_theme).unwrap();
        assert_eq!(v.score.map(|s| s.value()), Some(7));
        assert_eq!(v.comment.as_deref(), Some("Prima geholpen"));
        assert_eq!(v.channel, Channel::Phone);
        assert_eq!(
            (v.consent, v.submitted_at, v.customer_key()),
            (false, None, None)
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = RawResponse {
            survey: "".into(),
            score: "11".into(),
            rating: "6".into(),
            comment: "x".repeat(REASON_MAX_CHARS + 1),
            channel: "pigeon".into(),
            journey_phase: "afterlife".into(),
            language: "xx".into(),
            submitted_at: "2026-02-30".into(),
            customer_ref: "r".repeat(REFERENCE_MAX_CHARS + 1),
            customer_email: "no-at-sign".into(),
            consent: "maybe".into(),
            external_id: "e".repeat(EXTERNAL_ID_MAX_CHARS + 1),
            sentiment: "boos".into(),
            themes: "waiting_time, parking".into(),
            consent_wording: String::new(),
        };
        let errors = validate(&bad, NOW, &any_theme).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field()).collect();
        assert_eq!(fields, RawResponse::FIELDS);
        for e in errors {
            assert!(!e.code().is_empty());
        }
    }

    #[test]
    fn feedback_may_come_without_a_score_but_not_empty() {
        let mail = RawResponse {
            score: "".into(),
            comment: "Mijn pakket is nooit aangekomen".into(),
            ..raw()
        };
        let v = validate(&mail, NOW, &any_theme).unwrap();
        assert_eq!((v.score, v.rating), (None, None));
        let review = RawResponse {
            score: "".into(),
            rating: "2 sterren".into(),
            comment: "".into(),
            ..raw()
        };
        assert_eq!(validate(&review, NOW, &any_theme).unwrap().rating, Some(2));
        let nothing = RawResponse {
            score: " ".into(),
            comment: " \r\n".into(),
            ..raw()
        };
        assert_eq!(
            validate(&nothing, NOW, &any_theme).unwrap_err(),
            [IngestError::FeedbackEmpty]
        );
    }

    #[test]
    fn human_labels_come_with_the_record() {
        let r = RawResponse {
            sentiment: "Negatief".into(),
            themes: "Waiting_time; price, waiting_time".into(),
            ..raw()
        };
        let v = validate(&r, NOW, &any_theme).unwrap();
        assert_eq!(v.sentiment, Some("negative"));
        assert_eq!(
            v.themes,
            Some(vec!["waiting_time".to_string(), "price".to_string()])
        );
        let none = RawResponse {
            themes: "geen".into(),
            ..raw()
        };
        assert_eq!(
            validate(&none, NOW, &any_theme).unwrap().themes,
            Some(vec![])
        );
        assert_eq!(validate(&raw(), NOW, &any_theme).unwrap().themes, None);
        let unknown = RawResponse {
            themes: "parking".into(),
            ..raw()
        };
        assert_eq!(
            validate(&unknown, NOW, &any_theme).unwrap_err(),
            [IngestError::ThemeUnknown]
        );
    }

    #[test]
    fn ratings_are_one_to_five_stars() {
        assert_eq!(parse_rating(""), Ok(None));
        assert_eq!(parse_rating("4"), Ok(Some(4)));
        assert_eq!(parse_rating(" 4/5 "), Ok(Some(4)));
        assert_eq!(parse_rating("1 ster"), Ok(Some(1)));
        assert_eq!(parse_rating("5 Stars"), Ok(Some(5)));
        for bad in ["0", "6", "4.5", "goed", "-1", "3/10"] {
            assert_eq!(parse_rating(bad), Err(IngestError::RatingInvalid), "{bad}");
        }
    }

    #[test]
    fn the_customer_is_known_by_reference_else_email() {
        let mut r = raw();
        r.customer_email = "Jan@Example.NL".into();
        r.consent = "ja".into();
        let v = validate(&r, NOW, &any_theme).unwrap();
        assert_eq!(v.customer_key(), Some("Jan@example.nl"));
        assert!(v.consent);
        r.customer_ref = "K-123".into();
        assert_eq!(
            validate(&r, NOW, &any_theme).unwrap().customer_key(),
            Some("K-123")
        );
    }

    #[test]
    fn dates_in_the_future_or_long_ago_are_refused() {
        let mut r = raw();
        r.submitted_at = (NOW + 3600).to_string();
        assert_eq!(
            validate(&r, NOW, &any_theme).unwrap_err(),
            [IngestError::DateOutOfRange]
        );
        r.submitted_at = "1999-12-31".into();
        assert_eq!(
            validate(&r, NOW, &any_theme).unwrap_err(),
            [IngestError::DateOutOfRange]
        );
        r.submitted_at = (NOW + 60).to_string();
        assert_eq!(
            validate(&r, NOW, &any_theme).unwrap().submitted_at,
            Some(NOW),
            "small skew is now"
        );
    }

    #[test]
    fn timestamps_parse_in_common_forms() {
        assert_eq!(parse_timestamp("2026-11-30"), Some(NOW));
        assert_eq!(parse_timestamp("1795996800"), Some(NOW));
        assert_eq!(parse_timestamp("2026-11-30T01:02:03Z"), Some(NOW + 3723));
        assert_eq!(parse_timestamp("2026-11-30 01:02"), Some(NOW + 3720));
        assert_eq!(
            parse_timestamp("2026-11-30T01:02:03.456+01:00"),
            Some(NOW + 123)
        );
        assert_eq!(parse_timestamp("2026-11-29T23:00:00-01:00"), Some(NOW));
        assert_eq!(parse_timestamp("2024-02-29"), Some(1_709_164_800));
        for bad in [
            "",
            "2026-13-01",
            "2026-02-29",
            "30-11-2026",
            "2026-11-30T25:00",
            "soon",
            "2026-11-30T01:02:03+1",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
