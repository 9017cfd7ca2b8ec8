//! Survey answers: channels, journey phases, and validation of a submitted NPS form.
//!
//! Plain Rust, shared by the server (authoritative) and the browser (instant feedback).

use crate::nps::{NpsScore, ScoreError};
use serde::{Deserialize, Serialize};

/// Longest "why" answer we store, in characters. Long enough for a real story, short enough
/// that one submission cannot fill the disk.
pub const REASON_MAX_CHARS: usize = 2000;
/// RFC 5321 limit on an address.
pub const EMAIL_MAX_CHARS: usize = 254;
pub const SLUG_MAX_CHARS: usize = 64;

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw.trim().to_ascii_lowercase().as_str() {
                    $($s => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

string_enum! {
    /// Where a response came from.
    Channel {
        Web = "web",
        App = "app",
        Email = "email",
        Phone = "phone",
        Store = "store",
        Social = "social",
        Chat = "chat",
        Other = "other",
    }
}

string_enum! {
    /// The phase of the customer journey a response is about.
    JourneyPhase {
        Orientation = "orientation",
        Purchase = "purchase",
        Onboarding = "onboarding",
        Usage = "usage",
        Service = "service",
        Renewal = "renewal",
    }
}

/// A syntactically plausible e-mail address (the only real check is a mail that arrives).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Option<Email> {
        let raw = raw.trim();
        if raw.is_empty() || raw.chars().count() > EMAIL_MAX_CHARS {
            return None;
        }
        let (local, domain) = raw.rsplit_once('@')?;
        let ok_chars = |s: &str| {
            !s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\@".contains(c))
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        (!local.is_empty() && domain_ok && ok_chars(local) && ok_chars(domain))
            .then(|| Email(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a form field can be wrong about; the code travels in URLs and JSON, the text is localised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormError {
    ScoreMissing,
    ScoreInvalid,
    ReasonTooLong,
    EmailInvalid,
    ConsentWithoutEmail,
    EmailWithoutConsent,
}

impl FormError {
    pub const ALL: [FormError; 6] = [
        FormError::ScoreMissing,
        FormError::ScoreInvalid,
        FormError::ReasonTooLong,
        FormError::EmailInvalid,
        FormError::ConsentWithoutEmail,
        FormError::EmailWithoutConsent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FormError::ScoreMissing => "score_missing",
            FormError::ScoreInvalid => "score_invalid",
            FormError::ReasonTooLong => "reason_too_long",
            FormError::EmailInvalid => "email_invalid",
            FormError::ConsentWithoutEmail => "consent_without_email",
            FormError::EmailWithoutConsent => "email_without_consent",
        }
    }

    pub fn from_code(code: &str) -> Option<FormError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The form field the error belongs to (its input's `name`).
    pub fn field(self) -> &'static str {
        match self {
            FormError::ScoreMissing | FormError::ScoreInvalid => "score",
            FormError::ReasonTooLong => "reason",
            FormError::EmailInvalid | FormError::EmailWithoutConsent => "email",
            FormError::ConsentWithoutEmail => "consent",
        }
    }
}

/// The raw fields of a submitted NPS form, exactly as they arrive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SubmissionInput {
    pub score: Option<String>,
    pub reason: Option<String>,
    pub email: Option<String>,
    pub consent: Option<String>,
}

/// A validated NPS answer, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSubmission {
    pub score: NpsScore,
    /// Trimmed, with line endings normalised; `None` when left empty.
    pub reason: Option<String>,
    /// Present only together with consent to be contacted.
    pub contact_email: Option<Email>,
}

/// Normalises free text: CRLF to LF, control characters (other than newline and tab) removed,
/// surrounding white space trimmed.
pub fn clean_text(raw: &str) -> String {
    raw.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

/// Checks every field and reports all problems at once, so the respondent fixes them in one go.
pub fn validate(input: &SubmissionInput) -> Result<ValidSubmission, Vec<FormError>> {
    let mut errors = Vec::new();
    let score = match NpsScore::parse(input.score.as_deref().unwrap_or("")) {
        Ok(s) => Some(s),
        Err(ScoreError::Missing) => {
            errors.push(FormError::ScoreMissing);
            None
        }
        Err(_) => {
            errors.push(FormError::ScoreInvalid);
            None
        }
    };
    let reason = clean_text(input.reason.as_deref().unwrap_or(""));
    if reason.chars().count() > REASON_MAX_CHARS {
        errors.push(FormError::ReasonTooLong);
    }
    let email_raw = input.email.as_deref().unwrap_or("").trim();
    // A checkbox sends its value only when ticked; any value counts as ticked.
    let consent = input.consent.as_deref().is_some_and(|v| !v.is_empty());
    let email = if email_raw.is_empty() {
        if consent {
            errors.push(FormError::ConsentWithoutEmail);
        }
        None
    } else {
        match Email::parse(email_raw) {
            Some(e) if consent => Some(e),
            Some(_) => {
                errors.push(FormError::EmailWithoutConsent);
                None
            }
            None => {
                errors.push(FormError::EmailInvalid);
                None
            }
        }
    };
    match score {
        Some(score) if errors.is_empty() => Ok(ValidSubmission {
            score,
            reason: (!reason.is_empty()).then_some(reason),
            contact_email: email,
        }),
        _ => Err(errors),
    }
}

/// A survey slug as it may appear in a URL: lower-case letters, digits and dashes.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX_CHARS
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(score: &str, reason: &str, email: &str, consent: bool) -> SubmissionInput {
        SubmissionInput {
            score: Some(score.into()),
            reason: Some(reason.into()),
            email: Some(email.into()),
            consent: consent.then(|| "on".into()),
        }
    }

    #[test]
    fn accepts_a_plain_answer() {
        let v = validate(&input("9", "  Snelle hulp!\r\nTop. ", "", false)).unwrap();
        assert_eq!(v.score.value(), 9);
        assert_eq!(v.reason.as_deref(), Some("Snelle hulp!\nTop."));
        assert_eq!(v.contact_email, None);
    }

    #[test]
    fn empty_reason_is_none() {
        let v = validate(&input("3", "   ", "", false)).unwrap();
        assert_eq!(v.reason, None);
    }

    #[test]
    fn reports_all_errors_at_once() {
        let long = "x".repeat(REASON_MAX_CHARS + 1);
        let errs = validate(&input("12", &long, "not-an-email", true)).unwrap_err();
        assert_eq!(
            errs,
            vec![
                FormError::ScoreInvalid,
                FormError::ReasonTooLong,
                FormError::EmailInvalid
            ]
        );
        let errs = validate(&SubmissionInput::default()).unwrap_err();
        assert_eq!(errs, vec![FormError::ScoreMissing]);
    }

    #[test]
    fn reason_limit_counts_characters_not_bytes() {
        let exactly = "é".repeat(REASON_MAX_CHARS);
        assert!(validate(&input("5", &exactly, "", false)).is_ok());
    }

    #[test]
    fn email_needs_consent_and_consent_needs_email() {
        assert_eq!(
            validate(&input("5", "", "a@b.nl", false)).unwrap_err(),
            vec![FormError::EmailWithoutConsent]
        );
        assert_eq!(
            validate(&input("5", "", "", true)).unwrap_err(),
            vec![FormError::ConsentWithoutEmail]
        );
        let v = validate(&input("5", "", "Jan@Example.NL", true)).unwrap();
        assert_eq!(v.contact_email.unwrap().as_str(), "Jan@example.nl");
    }

    #[test]
    fn email_shapes() {
        assert!(Email::parse("a.b+c@d.co.uk").is_some());
        for bad in [
            "", "a", "a@b", "@b.nl", "a@.nl", "a@b.", "a b@c.nl", "a@b..nl", "a@b@c.nl",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
        assert!(Email::parse(&format!("{}@b.nl", "a".repeat(260))).is_none());
    }

    #[test]
    fn channels_and_phases_parse_case_insensitively() {
        assert_eq!(Channel::parse("EMAIL"), Some(Channel::Email));
        assert_eq!(Channel::parse("fax"), None);
        assert_eq!(
            JourneyPhase::parse("onboarding"),
            Some(JourneyPhase::Onboarding)
        );
    }

    #[test]
    fn error_codes_round_trip() {
        for e in FormError::ALL {
            assert_eq!(FormError::from_code(e.code()), Some(e));
        }
    }

    #[test]
    fn slugs() {
        assert!(is_valid_slug("klantenservice-2026"));
        assert!(!is_valid_slug("Bad Slug"));
        assert!(!is_valid_slug("-x"));
        assert!(!is_valid_slug(""));
    }
}

// ---------------------------------------------------------------------------------------------
// Editing a survey

/// Longest title.
pub const TITLE_MAX_CHARS: usize = 120;
/// Longest introduction, follow-up question or thank-you text.
pub const SURVEY_TEXT_MAX_CHARS: usize = 1000;
pub const MAX_EMBED_ORIGINS: usize = 20;

/// A problem with a survey as a manager entered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyEditError {
    SlugInvalid,
    SlugTaken,
    TitleMissing,
    TextTooLong,
    OriginInvalid,
}

impl SurveyEditError {
    pub const ALL: [SurveyEditError; 5] = [
        SurveyEditError::SlugInvalid,
        SurveyEditError::SlugTaken,
        SurveyEditError::TitleMissing,
        SurveyEditError::TextTooLong,
        SurveyEditError::OriginInvalid,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SurveyEditError::SlugInvalid => "survey_slug_invalid",
            SurveyEditError::SlugTaken => "survey_slug_taken",
            SurveyEditError::TitleMissing => "survey_title_missing",
            SurveyEditError::TextTooLong => "survey_text_too_long",
            SurveyEditError::OriginInvalid => "survey_origin_invalid",
        }
    }

    pub fn from_code(code: &str) -> Option<SurveyEditError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// `https://host[:port]` (or `http://` for exactly `localhost`, `127.0.0.1` or `[::1]`, for
/// testing), optionally `https://*.host`: what a Content-Security-Policy `frame-ancestors`
/// source may be.
pub fn parse_origin(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_end_matches('/').to_lowercase();
    let (scheme, host) = raw.split_once("://")?;
    // The port follows the last colon, except inside an IPv6 address's brackets.
    let (name, port) = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => (&host[..i], Some(&host[i + 1..])),
        _ => (host, None),
    };
    if let Some(p) = port {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err() {
            return None;
        }
    }
    let local = matches!(name, "localhost" | "127.0.0.1" | "[::1]");
    if scheme != "https" && !(scheme == "http" && local) {
        return None;
    }
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
    };
    let ok = local
        || match name.strip_prefix("*.") {
            Some(rest) => name_ok(rest) && rest.contains('.'),
            None => name_ok(name),
        };
    ok.then(|| match port {
        Some(p) => format!("{scheme}://{name}:{p}"),
        None => format!("{scheme}://{name}"),
    })
}

/// Checks what a manager entered for a survey: titles, texts, embedding sites.
pub fn check_survey_edit(
    slug: &str,
    title_nl: &str,
    title_en: &str,
    texts: &[&str],
    origins: &str,
) -> Result<Vec<String>, Vec<SurveyEditError>> {
    let mut errors = Vec::new();
    if !is_valid_slug(slug) {
        errors.push(SurveyEditError::SlugInvalid);
    }
    let title_ok = |t: &str| t.chars().count() <= TITLE_MAX_CHARS;
    if (title_nl.trim().is_empty() && title_en.trim().is_empty())
        || !title_ok(title_nl)
        || !title_ok(title_en)
    {
        errors.push(SurveyEditError::TitleMissing);
    }
    if texts
        .iter()
        .any(|t| t.chars().count() > SURVEY_TEXT_MAX_CHARS)
    {
        errors.push(SurveyEditError::TextTooLong);
    }
    let lines: Vec<&str> = origins
        .split(['\n', ',', ' '])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let parsed: Option<Vec<String>> = lines.iter().map(|l| parse_origin(l)).collect();
    let mut origins = match parsed {
        Some(o) if o.len() <= MAX_EMBED_ORIGINS => o,
        _ => {
            errors.push(SurveyEditError::OriginInvalid);
            Vec::new()
        }
    };
    origins.dedup();
    if errors.is_empty() {
        Ok(origins)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod edit_tests {
    use super::*;

    #[test]
    fn origins_are_what_frame_ancestors_accepts() {
        assert_eq!(
            parse_origin("https://www.Example.nl/").as_deref(),
            Some("https://www.example.nl")
        );
        assert_eq!(
            parse_origin("https://*.example.nl").as_deref(),
            Some("https://*.example.nl")
        );
        assert_eq!(
            parse_origin("http://localhost:8080").as_deref(),
            Some("http://localhost:8080")
        );
        for local in [
            "http://127.0.0.1",
            "http://127.0.0.1:3000",
            "http://[::1]:8080",
            "http://[::1]",
            "http://localhost",
        ] {
            assert_eq!(parse_origin(local).as_deref(), Some(local), "{local}");
        }
        for bad in [
            // Only the exact local names may use http: these are other sites.
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
            "http://localhost:80.evil.example",
            "http://127.0.0.1:3000.evil.example",
            "http://127.0.0.2",
            "http://[::1].evil.example",
            "https://a.nl:65536",
            "http://example.nl",
            "example.nl",
            "https://",
            "https://exa mple.nl",
            "https://a.nl/pad",
            "https://*.nl",
            "javascript:alert(1)",
            "https://a.nl:99999x",
            "https://a.nl'; script-src *",
        ] {
            assert_eq!(parse_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn survey_edits_are_checked() {
        assert_eq!(
            check_survey_edit(
                "winkel",
                "Winkel",
                "",
                &["Kort"],
                "https://a.nl\nhttps://b.nl"
            )
            .unwrap(),
            ["https://a.nl", "https://b.nl"]
        );
        let long = "x".repeat(SURVEY_TEXT_MAX_CHARS + 1);
        assert_eq!(
            check_survey_edit("Bad Slug", " ", "", &[&long], "ftp://x").unwrap_err(),
            [
                SurveyEditError::SlugInvalid,
                SurveyEditError::TitleMissing,
                SurveyEditError::TextTooLong,
                SurveyEditError::OriginInvalid
            ]
        );
        for e in SurveyEditError::ALL {
            assert_eq!(SurveyEditError::from_code(e.code()), Some(e));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The survey editor's form

/// The survey editor's fields exactly as they arrive (every one may be missing).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyEditForm {
    pub slug: Option<String>,
    pub title_nl: Option<String>,
    pub title_en: Option<String>,
    pub intro_nl: Option<String>,
    pub intro_en: Option<String>,
    pub followup_detractor_nl: Option<String>,
    pub followup_detractor_en: Option<String>,
    pub followup_passive_nl: Option<String>,
    pub followup_passive_en: Option<String>,
    pub followup_promoter_nl: Option<String>,
    pub followup_promoter_en: Option<String>,
    pub thanks_nl: Option<String>,
    pub thanks_en: Option<String>,
    pub embed_origins: Option<String>,
}

/// A survey as a manager entered it, checked: cleaned texts, embedding sites as origins.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyEdit {
    /// Lower-cased; for an existing survey its own slug (links already sent out keep working).
    pub slug: String,
    pub title_nl: String,
    pub title_en: String,
    pub texts: crate::model::SurveyTexts,
    pub embed_origins: Vec<String>,
}

impl SurveyEdit {
    /// Checks the form; `fixed_slug` is the slug of the survey being edited (it never changes).
    pub fn parse(
        form: SurveyEditForm,
        fixed_slug: Option<&str>,
    ) -> Result<SurveyEdit, Vec<SurveyEditError>> {
        let text = |v: Option<String>| clean_text(&v.unwrap_or_default());
        let slug = match fixed_slug {
            Some(s) => s.to_string(),
            None => text(form.slug).to_lowercase(),
        };
        let texts = crate::model::SurveyTexts {
            intro_nl: text(form.intro_nl),
            intro_en: text(form.intro_en),
            followup_detractor_nl: text(form.followup_detractor_nl),
            followup_detractor_en: text(form.followup_detractor_en),
            followup_passive_nl: text(form.followup_passive_nl),
            followup_passive_en: text(form.followup_passive_en),
            followup_promoter_nl: text(form.followup_promoter_nl),
            followup_promoter_en: text(form.followup_promoter_en),
            thanks_nl: text(form.thanks_nl),
            thanks_en: text(form.thanks_en),
        };
        let (title_nl, title_en) = (text(form.title_nl), text(form.title_en));
        let all_texts = [
            texts.intro_nl.as_str(),
            &texts.intro_en,
            &texts.followup_detractor_nl,
            &texts.followup_detractor_en,
            &texts.followup_passive_nl,
            &texts.followup_passive_en,
            &texts.followup_promoter_nl,
            &texts.followup_promoter_en,
            &texts.thanks_nl,
            &texts.thanks_en,
        ];
        let origins = form.embed_origins.unwrap_or_default();
        let embed_origins = check_survey_edit(&slug, &title_nl, &title_en, &all_texts, &origins)?;
        Ok(SurveyEdit {
            slug,
            title_nl,
            title_en,
            texts,
            embed_origins,
        })
    }
}

/// What a manager can do to a survey as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyAction {
    Open,
    Close,
    Archive,
    Restore,
    Duplicate,
}

impl SurveyAction {
    pub fn parse(raw: &str) -> Option<SurveyAction> {
        match raw {
            "open" => Some(SurveyAction::Open),
            "close" => Some(SurveyAction::Close),
            "archive" => Some(SurveyAction::Archive),
            "restore" => Some(SurveyAction::Restore),
            "duplicate" => Some(SurveyAction::Duplicate),
            _ => None,
        }
    }

    /// (open, archived) after the action, from `archived` before it; `None` for a duplicate.
    pub fn next_state(self, archived: bool) -> Option<(bool, bool)> {
        match self {
            SurveyAction::Open => Some((true, false)),
            SurveyAction::Close => Some((false, archived)),
            // An archived survey takes no answers and leaves the everyday lists.
            SurveyAction::Archive => Some((false, true)),
            SurveyAction::Restore => Some((false, false)),
            SurveyAction::Duplicate => None,
        }
    }
}

#[cfg(test)]
mod edit_form_tests {
    use super::*;

    #[test]
    fn an_edit_is_cleaned_and_keeps_the_slug_of_an_existing_survey() {
        let form = SurveyEditForm {
            slug: Some(" Nieuw ".into()),
            title_nl: Some(" Service\r\n".into()),
            embed_origins: Some("https://www.example.nl/\nhttps://www.example.nl".into()),
            ..Default::default()
        };
        let edit = SurveyEdit::parse(form.clone(), None).unwrap();
        assert_eq!(edit.slug, "nieuw");
        assert_eq!(edit.title_nl, "Service");
        assert_eq!(edit.embed_origins, ["https://www.example.nl"]);
        assert_eq!(SurveyEdit::parse(form, Some("oud")).unwrap().slug, "oud");
        assert_eq!(
            SurveyEdit::parse(SurveyEditForm::default(), None).unwrap_err(),
            [SurveyEditError::SlugInvalid, SurveyEditError::TitleMissing]
        );
    }

    #[test]
    fn actions_move_a_survey_between_states() {
        assert_eq!(SurveyAction::parse("close"), Some(SurveyAction::Close));
        assert_eq!(SurveyAction::parse("delete"), None);
        assert_eq!(SurveyAction::Close.next_state(true), Some((false, true)));
        assert_eq!(SurveyAction::Duplicate.next_state(false), None);
    }
}
