//! The words the interface uses for domain values and domain error codes. The domain crate knows
//! codes only; what a person reads in Dutch or English is written here.

use crate::i18n::Locale;

/// The name of a domain value (a channel, a journey phase, a kind of question) in the UI.
pub trait Label {
    fn label(self, locale: Locale) -> &'static str;
}

/// What a person reads for a domain error code.
pub trait Message {
    fn message(self, locale: Locale) -> String;
}

mod channel_and_phase {
    use super::*;
    use domain::survey::{Channel, JourneyPhase};

    impl Label for Channel {
        fn label(self, locale: Locale) -> &'static str {
            let nl = locale == Locale::Nl;
            match self {
                Channel::Web => "Website",
                Channel::App => "App",
                Channel::Email => "E-mail",
                Channel::Phone if nl => "Telefoon",
                Channel::Phone => "Phone",
                Channel::Store if nl => "Winkel",
                Channel::Store => "Store",
                Channel::Social if nl => "Sociale media",
                Channel::Social => "Social media",
                Channel::Chat => "Chat",
                Channel::Other if nl => "Overig",
                Channel::Other => "Other",
            }
        }
    }

    impl Label for JourneyPhase {
        fn label(self, locale: Locale) -> &'static str {
            let nl = locale == Locale::Nl;
            match self {
                JourneyPhase::Orientation if nl => "Oriëntatie",
                JourneyPhase::Orientation => "Orientation",
                JourneyPhase::Purchase if nl => "Aankoop",
                JourneyPhase::Purchase => "Purchase",
                JourneyPhase::Onboarding => "Onboarding",
                JourneyPhase::Usage if nl => "Gebruik",
                JourneyPhase::Usage => "Usage",
                JourneyPhase::Service => "Service",
                JourneyPhase::Renewal if nl => "Verlenging",
                JourneyPhase::Renewal => "Renewal",
            }
        }
    }
}

mod survey_texts {
    use super::*;
    use domain::survey::*;

    impl Message for FormError {
        fn message(self, locale: Locale) -> String {
            match (self, locale) {
                (FormError::ScoreMissing, Locale::Nl) => {
                    "Kies een score van 0 tot en met 10.".into()
                }
                (FormError::ScoreMissing, Locale::En) => {
                    "Please choose a score from 0 to 10.".into()
                }
                (FormError::ScoreInvalid, Locale::Nl) => {
                    "De score moet een heel getal van 0 tot en met 10 zijn.".into()
                }
                (FormError::ScoreInvalid, Locale::En) => {
                    "The score must be a whole number from 0 to 10.".into()
                }
                (FormError::ReasonTooLong, Locale::Nl) => {
                    format!("Uw toelichting is te lang: maximaal {REASON_MAX_CHARS} tekens.")
                }
                (FormError::ReasonTooLong, Locale::En) => {
                    format!("Your comment is too long: at most {REASON_MAX_CHARS} characters.")
                }
                (FormError::EmailInvalid, Locale::Nl) => {
                    "Dit lijkt geen geldig e-mailadres.".into()
                }
                (FormError::EmailInvalid, Locale::En) => {
                    "This does not look like a valid e-mail address.".into()
                }
                (FormError::ConsentWithoutEmail, Locale::Nl) => {
                    "Vul uw e-mailadres in als wij contact met u mogen opnemen.".into()
                }
                (FormError::ConsentWithoutEmail, Locale::En) => {
                    "Please fill in your e-mail address if we may contact you.".into()
                }
                (FormError::EmailWithoutConsent, Locale::Nl) => {
                    "Vink aan dat wij contact mogen opnemen, of laat het e-mailadres leeg.".into()
                }
                (FormError::EmailWithoutConsent, Locale::En) => {
                    "Tick the box to allow us to contact you, or leave the e-mail address empty."
                        .into()
                }
            }
        }
    }

    impl Message for SurveyEditError {
        fn message(self, locale: Locale) -> String {
            let nl = locale == Locale::Nl;
            match self {
                SurveyEditError::SlugInvalid if nl => format!("De korte naam in de link bestaat uit kleine letters, cijfers en streepjes (maximaal {SLUG_MAX_CHARS} tekens)."),
                SurveyEditError::SlugInvalid => format!("The short name in the link consists of lowercase letters, digits and hyphens (at most {SLUG_MAX_CHARS} characters)."),
                SurveyEditError::SlugTaken if nl => "Er is al een vragenlijst met deze korte naam.".into(),
                SurveyEditError::SlugTaken => "A survey with this short name exists already.".into(),
                SurveyEditError::TitleMissing if nl => format!("Geef een titel in het Nederlands of het Engels (maximaal {TITLE_MAX_CHARS} tekens)."),
                SurveyEditError::TitleMissing => format!("Enter a title in Dutch or English (at most {TITLE_MAX_CHARS} characters)."),
                SurveyEditError::TextTooLong if nl => format!("Teksten hebben maximaal {SURVEY_TEXT_MAX_CHARS} tekens."),
                SurveyEditError::TextTooLong => format!("Texts have at most {SURVEY_TEXT_MAX_CHARS} characters."),
                SurveyEditError::OriginInvalid if nl => format!("Websites die de vragenlijst mogen insluiten schrijft u als https://www.voorbeeld.nl, één per regel (maximaal {MAX_EMBED_ORIGINS})."),
                SurveyEditError::OriginInvalid => format!("Write sites that may embed the survey as https://www.example.com, one per line (at most {MAX_EMBED_ORIGINS})."),
            }
        }
    }
}

mod questions_texts {
    use super::*;
    use domain::questions::*;
    use domain::survey::REASON_MAX_CHARS;

    impl Label for QuestionKind {
        fn label(self, locale: Locale) -> &'static str {
            match (self, locale) {
                (QuestionKind::Csat, Locale::Nl) => "Tevredenheid (CSAT, 1–5)",
                (QuestionKind::Csat, Locale::En) => "Satisfaction (CSAT, 1–5)",
                (QuestionKind::Ces, Locale::Nl) => "Gemak (CES, 1–7)",
                (QuestionKind::Ces, Locale::En) => "Effort (CES, 1–7)",
                (QuestionKind::Single, Locale::Nl) => "Eén keuze",
                (QuestionKind::Single, Locale::En) => "Single choice",
                (QuestionKind::Multiple, Locale::Nl) => "Meerdere keuzes",
                (QuestionKind::Multiple, Locale::En) => "Multiple choice",
                (QuestionKind::Text, Locale::Nl) => "Open vraag",
                (QuestionKind::Text, Locale::En) => "Open question",
            }
        }
    }

    impl Message for QuestionError {
        fn message(self, locale: Locale) -> String {
            match (self, locale) {
                (QuestionError::Missing(_), Locale::Nl) => "Beantwoord deze vraag.".into(),
                (QuestionError::Missing(_), Locale::En) => "Please answer this question.".into(),
                (QuestionError::Invalid(_), Locale::Nl) => {
                    format!(
                        "Dit antwoord kan niet (open antwoorden: maximaal {REASON_MAX_CHARS} tekens)."
                    )
                }
                (QuestionError::Invalid(_), Locale::En) => {
                    format!("This answer is not possible (open answers: at most {REASON_MAX_CHARS} characters).")
                }
            }
        }
    }

    impl Message for QuestionEditError {
        fn message(self, locale: Locale) -> String {
            let nl = locale == Locale::Nl;
            match self {
                QuestionEditError::LabelMissing if nl => "Geef de vraag een tekst in het Nederlands of het Engels.".into(),
                QuestionEditError::LabelMissing => "Give the question a text in Dutch or English.".into(),
                QuestionEditError::LabelTooLong if nl => format!("De vraag heeft maximaal {LABEL_MAX_CHARS} tekens."),
                QuestionEditError::LabelTooLong => format!("The question has at most {LABEL_MAX_CHARS} characters."),
                QuestionEditError::Options if nl => format!("Een keuzevraag heeft 2 tot {MAX_OPTIONS} opties van maximaal {OPTION_MAX_CHARS} tekens, één per regel."),
                QuestionEditError::Options => format!("A choice question has 2 to {MAX_OPTIONS} options of at most {OPTION_MAX_CHARS} characters, one per line."),
                QuestionEditError::KindUnknown if nl => "Kies het soort vraag.".into(),
                QuestionEditError::KindUnknown => "Choose the kind of question.".into(),
                QuestionEditError::TooMany if nl => format!("Een vragenlijst heeft maximaal {MAX_QUESTIONS} vragen."),
                QuestionEditError::TooMany => format!("A survey has at most {MAX_QUESTIONS} questions."),
                QuestionEditError::Frozen if nl => "Deze vraag is al beantwoord: opties kunnen er alleen bij komen, niet verdwijnen of van plaats wisselen.".into(),
                QuestionEditError::Frozen => "This question has answers: options can only be added, not removed or reordered.".into(),
            }
        }
    }
}

mod ingest_texts {
    use super::*;
    use domain::ingest::*;
    use domain::survey::{Channel, JourneyPhase, REASON_MAX_CHARS};

    impl Message for IngestError {
        fn message(self, locale: Locale) -> String {
            let nl = locale == Locale::Nl;
            let list = |all: &[&str]| all.join(", ");
            match self {
                IngestError::SurveyMissing if nl => "De vragenlijst ontbreekt.".into(),
                IngestError::SurveyMissing => "The survey is missing.".into(),
                IngestError::SurveyUnknown if nl => "Deze vragenlijst bestaat niet.".into(),
                IngestError::SurveyUnknown => "There is no such survey.".into(),
                IngestError::ScoreMissing if nl => "De score ontbreekt.".into(),
                IngestError::ScoreMissing => "The score is missing.".into(),
                IngestError::ScoreInvalid if nl => {
                    "De score moet een heel getal van 0 tot en met 10 zijn.".into()
                }
                IngestError::ScoreInvalid => {
                    "The score must be a whole number from 0 to 10.".into()
                }
                IngestError::CommentTooLong if nl => {
                    format!("De toelichting heeft meer dan {REASON_MAX_CHARS} tekens.")
                }
                IngestError::CommentTooLong => {
                    format!("The comment has more than {REASON_MAX_CHARS} characters.")
                }
                IngestError::ChannelUnknown => {
                    let all: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
                    if nl {
                        format!("Onbekend kanaal; gebruik een van: {}.", list(&all))
                    } else {
                        format!("Unknown channel; use one of: {}.", list(&all))
                    }
                }
                IngestError::PhaseUnknown => {
                    let all: Vec<&str> = JourneyPhase::ALL.iter().map(|p| p.as_str()).collect();
                    if nl {
                        format!("Onbekende klantreisfase; gebruik een van: {}.", list(&all))
                    } else {
                        format!("Unknown journey phase; use one of: {}.", list(&all))
                    }
                }
                IngestError::LanguageUnknown if nl => "Onbekende taal; gebruik nl of en.".into(),
                IngestError::LanguageUnknown => "Unknown language; use nl or en.".into(),
                IngestError::DateInvalid if nl => {
                    "Onleesbare datum; gebruik bijvoorbeeld 2026-11-24 of 2026-11-24T14:30:00Z."
                        .into()
                }
                IngestError::DateInvalid => {
                    "Unreadable date; use for example 2026-11-24 or 2026-11-24T14:30:00Z.".into()
                }
                IngestError::DateOutOfRange if nl => {
                    "De datum ligt in de toekomst of vóór 2000.".into()
                }
                IngestError::DateOutOfRange => "The date is in the future or before 2000.".into(),
                IngestError::ReferenceTooLong if nl => {
                    format!("De klantreferentie heeft meer dan {REFERENCE_MAX_CHARS} tekens.")
                }
                IngestError::ReferenceTooLong => {
                    format!(
                        "The customer reference has more than {REFERENCE_MAX_CHARS} characters."
                    )
                }
                IngestError::EmailInvalid if nl => "Dit lijkt geen geldig e-mailadres.".into(),
                IngestError::EmailInvalid => {
                    "This does not look like a valid e-mail address.".into()
                }
                IngestError::ConsentInvalid if nl => {
                    "Toestemming is ja of nee (yes/no, true/false, 1/0).".into()
                }
                IngestError::ConsentInvalid => {
                    "Consent is yes or no (ja/nee, true/false, 1/0).".into()
                }
                IngestError::ExternalIdTooLong if nl => {
                    format!("Het externe id heeft meer dan {EXTERNAL_ID_MAX_CHARS} tekens.")
                }
                IngestError::ExternalIdTooLong => {
                    format!("The external id has more than {EXTERNAL_ID_MAX_CHARS} characters.")
                }
            }
        }
    }
}
/// A problem an import report lists: the code of an ingest or file error, worded. Reports stored
/// before codes were kept hold the sentence itself, which is shown as it is.
pub fn import_problem(code: &str, locale: Locale) -> String {
    use domain::import::MAX_ROWS;
    use domain::ingest::IngestError;
    let nl = locale == Locale::Nl;
    match code {
        "csv_empty" if nl => "Het bestand is leeg of heeft alleen een kopregel.".into(),
        "csv_empty" => "The file is empty or has only a header line.".into(),
        "too_many_rows" if nl => format!("Meer dan {MAX_ROWS} rijen: splits het bestand."),
        "too_many_rows" => format!("More than {MAX_ROWS} rows: split the file."),
        "csv_unreadable" if nl => "Het bestand is geen leesbare CSV.".into(),
        "csv_unreadable" => "The file is not readable CSV.".into(),
        _ => IngestError::from_code(code)
            .map(|e| e.message(locale))
            .unwrap_or_else(|| code.to_string()),
    }
}

mod csv_texts {
    use super::*;
    use domain::import::CsvError;

    impl Message for CsvError {
        fn message(self, locale: Locale) -> String {
            match self {
                CsvError::Unreadable(detail) if locale == Locale::Nl => {
                    format!("Het bestand is geen leesbare CSV: {detail}")
                }
                CsvError::Unreadable(detail) => format!("The file is not readable CSV: {detail}"),
                other => import_problem(other.code(), locale),
            }
        }
    }
}

#[cfg(feature = "ssr")]
mod server_texts {
    use super::*;
    use domain::model::Dimension;
    use domain::survey::{Channel, JourneyPhase};

    /// The interface's words for the dashboard use case.
    pub struct UiWords(pub Locale);

    impl klantstem_core::dashboard::Wording for UiWords {
        fn value(&self, dimension: Dimension, key: &str) -> Option<String> {
            use crate::i18n::LocaleTexts;
            let locale = self.0;
            match dimension {
                Dimension::Channel => Channel::parse(key).map(|c| c.label(locale).to_string()),
                Dimension::JourneyPhase => {
                    JourneyPhase::parse(key).map(|p| p.label(locale).to_string())
                }
                Dimension::Language if key == "und" => Some(locale.texts().undetermined.into()),
                _ => None,
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use server_texts::UiWords;

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ingest::IngestError;
    use domain::questions::{QuestionEditError, QuestionError, QuestionKind};
    use domain::survey::{Channel, FormError, JourneyPhase, SurveyEditError};

    #[test]
    fn every_value_and_code_has_words_in_every_language() {
        for locale in Locale::ALL {
            let labels = Channel::ALL
                .iter()
                .map(|c| c.label(locale))
                .chain(JourneyPhase::ALL.iter().map(|p| p.label(locale)))
                .chain(QuestionKind::ALL.iter().map(|k| k.label(locale)));
            for label in labels {
                assert!(!label.is_empty());
            }
            let messages = FormError::ALL
                .iter()
                .map(|e| e.message(locale))
                .chain(SurveyEditError::ALL.iter().map(|e| e.message(locale)))
                .chain(IngestError::ALL.iter().map(|e| e.message(locale)))
                .chain(
                    [QuestionError::Missing(1), QuestionError::Invalid(1)]
                        .iter()
                        .map(|e| e.message(locale)),
                )
                .chain(QuestionEditError::ALL.iter().map(|e| e.message(locale)));
            for message in messages {
                assert!(message.ends_with('.'), "{message}");
            }
        }
        assert_eq!(JourneyPhase::Orientation.label(Locale::Nl), "Oriëntatie");
    }
}
