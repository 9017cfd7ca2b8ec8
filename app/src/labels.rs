//! The words the interface uses for domain values and domain error codes. The domain crate knows
//! codes only; the sentences are in the catalogues (`app/locales/*.toml`), filled in here.

use crate::i18n::{fill, Locale, LocaleTexts};
use domain::import::{CsvError, MAX_ROWS};
use domain::ingest::{IngestError, EXTERNAL_ID_MAX_CHARS, REFERENCE_MAX_CHARS};
use domain::questions::{
    QuestionEditError, QuestionError, QuestionKind, LABEL_MAX_CHARS, MAX_OPTIONS, MAX_QUESTIONS,
    OPTION_MAX_CHARS,
};
use domain::survey::{
    Channel, FormError, JourneyPhase, SurveyEditError, MAX_EMBED_ORIGINS, REASON_MAX_CHARS,
    SLUG_MAX_CHARS, SURVEY_TEXT_MAX_CHARS, TITLE_MAX_CHARS,
};
use domain::taxonomy::{
    TaxonomyError, MAX_NAME_CHARS, MAX_TERMS_PER_LANGUAGE, MAX_TERM_CHARS, MAX_THEMES,
};

/// The name of a domain value (a channel, a journey phase, a kind of question) in the UI.
pub trait Label {
    fn label(self, locale: Locale) -> &'static str;
}

/// What a person reads for a domain error code.
pub trait Message {
    fn message(self, locale: Locale) -> String;
}

impl Label for Channel {
    fn label(self, locale: Locale) -> &'static str {
        let t = locale.texts();
        match self {
            Channel::Web => t.channel_web,
            Channel::App => t.channel_app,
            Channel::Email => t.channel_email,
            Channel::Phone => t.channel_phone,
            Channel::Store => t.channel_store,
            Channel::Social => t.channel_social,
            Channel::Chat => t.channel_chat,
            Channel::Other => t.channel_other,
        }
    }
}

impl Label for JourneyPhase {
    fn label(self, locale: Locale) -> &'static str {
        let t = locale.texts();
        match self {
            JourneyPhase::Orientation => t.phase_orientation,
            JourneyPhase::Purchase => t.phase_purchase,
            JourneyPhase::Onboarding => t.phase_onboarding,
            JourneyPhase::Usage => t.phase_usage,
            JourneyPhase::Service => t.phase_service,
            JourneyPhase::Renewal => t.phase_renewal,
        }
    }
}

impl Label for domain::outbox::MailStatus {
    fn label(self, locale: Locale) -> &'static str {
        use domain::outbox::MailStatus;
        let t = locale.texts();
        match self {
            MailStatus::Pending => t.mail_pending,
            MailStatus::Sending => t.mail_sending,
            MailStatus::Sent => t.mail_sent,
            MailStatus::Failed => t.mail_failed,
        }
    }
}

impl Label for QuestionKind {
    fn label(self, locale: Locale) -> &'static str {
        let t = locale.texts();
        match self {
            QuestionKind::Csat => t.question_kind_csat,
            QuestionKind::Ces => t.question_kind_ces,
            QuestionKind::Single => t.question_kind_single,
            QuestionKind::Multiple => t.question_kind_multiple,
            QuestionKind::Text => t.question_kind_text,
        }
    }
}

/// A text with a `{max}` limit.
fn with_max(text: &str, max: usize) -> String {
    fill(text, &[("max", &max)])
}

impl Message for FormError {
    fn message(self, locale: Locale) -> String {
        let t = locale.texts();
        match self {
            FormError::ScoreMissing => t.form_score_missing.into(),
            FormError::ScoreInvalid => t.form_score_invalid.into(),
            FormError::ReasonTooLong => with_max(t.form_reason_too_long, REASON_MAX_CHARS),
            FormError::EmailInvalid => t.form_email_invalid.into(),
            FormError::ConsentWithoutEmail => t.form_consent_without_email.into(),
            FormError::EmailWithoutConsent => t.form_email_without_consent.into(),
        }
    }
}

impl Message for SurveyEditError {
    fn message(self, locale: Locale) -> String {
        let t = locale.texts();
        match self {
            SurveyEditError::SlugInvalid => with_max(t.survey_slug_invalid, SLUG_MAX_CHARS),
            SurveyEditError::SlugTaken => t.survey_slug_taken.into(),
            SurveyEditError::TitleMissing => with_max(t.survey_title_missing, TITLE_MAX_CHARS),
            SurveyEditError::TextTooLong => with_max(t.survey_text_too_long, SURVEY_TEXT_MAX_CHARS),
            SurveyEditError::OriginInvalid => with_max(t.survey_origin_invalid, MAX_EMBED_ORIGINS),
        }
    }
}

impl Message for QuestionError {
    fn message(self, locale: Locale) -> String {
        let t = locale.texts();
        match self {
            QuestionError::Missing(_) => t.answer_missing.into(),
            QuestionError::Invalid(_) => with_max(t.answer_invalid, REASON_MAX_CHARS),
        }
    }
}

impl Message for QuestionEditError {
    fn message(self, locale: Locale) -> String {
        let t = locale.texts();
        match self {
            QuestionEditError::LabelMissing => t.question_label_missing.into(),
            QuestionEditError::LabelTooLong => with_max(t.question_label_too_long, LABEL_MAX_CHARS),
            QuestionEditError::Options => fill(
                t.question_options_invalid,
                &[("max", &MAX_OPTIONS), ("chars", &OPTION_MAX_CHARS)],
            ),
            QuestionEditError::KindUnknown => t.question_kind_unknown.into(),
            QuestionEditError::TooMany => with_max(t.question_too_many, MAX_QUESTIONS),
            QuestionEditError::Frozen => t.question_frozen.into(),
        }
    }
}

impl Message for IngestError {
    fn message(self, locale: Locale) -> String {
        let t = locale.texts();
        let list = |all: Vec<&str>| all.join(", ");
        match self {
            IngestError::SurveyMissing => t.ingest_survey_missing.into(),
            IngestError::SurveyUnknown => t.ingest_survey_unknown.into(),
            IngestError::FeedbackEmpty => t.ingest_feedback_empty.into(),
            IngestError::ScoreInvalid => t.ingest_score_invalid.into(),
            IngestError::RatingInvalid => t.ingest_rating_invalid.into(),
            IngestError::SentimentUnknown => t.ingest_sentiment_unknown.into(),
            IngestError::ThemeUnknown => t.ingest_themes_unknown.into(),
            IngestError::CommentTooLong => with_max(t.ingest_comment_too_long, REASON_MAX_CHARS),
            IngestError::ChannelUnknown => {
                let all = list(Channel::ALL.iter().map(|c| c.as_str()).collect());
                fill(t.ingest_channel_unknown, &[("list", &all)])
            }
            IngestError::PhaseUnknown => {
                let all = list(JourneyPhase::ALL.iter().map(|p| p.as_str()).collect());
                fill(t.ingest_phase_unknown, &[("list", &all)])
            }
            IngestError::LanguageUnknown => t.ingest_language_unknown.into(),
            IngestError::DateInvalid => t.ingest_date_invalid.into(),
            IngestError::DateOutOfRange => t.ingest_date_out_of_range.into(),
            IngestError::ReferenceTooLong => {
                with_max(t.ingest_reference_too_long, REFERENCE_MAX_CHARS)
            }
            IngestError::EmailInvalid => t.ingest_email_invalid.into(),
            IngestError::ConsentInvalid => t.ingest_consent_invalid.into(),
            IngestError::ExternalIdTooLong => {
                with_max(t.ingest_external_id_too_long, EXTERNAL_ID_MAX_CHARS)
            }
        }
    }
}

impl Message for TaxonomyError {
    fn message(self, locale: Locale) -> String {
        let t = locale.texts();
        match self {
            TaxonomyError::KeyInvalid => t.theme_key_invalid.into(),
            TaxonomyError::KeyTaken => t.theme_key_taken.into(),
            TaxonomyError::UnknownTheme => t.theme_unknown.into(),
            TaxonomyError::NameMissing => t.theme_name_missing.into(),
            TaxonomyError::NameTooLong => with_max(t.theme_name_too_long, MAX_NAME_CHARS),
            TaxonomyError::KeywordsMissing => t.theme_keywords_missing.into(),
            TaxonomyError::LanguageUnknown => t.theme_language_unknown.into(),
            TaxonomyError::TooManyTerms => with_max(t.theme_too_many_terms, MAX_TERMS_PER_LANGUAGE),
            TaxonomyError::TermInvalid => with_max(t.theme_term_invalid, MAX_TERM_CHARS),
            TaxonomyError::TooManyThemes => with_max(t.theme_too_many, MAX_THEMES),
            TaxonomyError::Stale => t.theme_stale.into(),
        }
    }
}

impl Message for CsvError {
    fn message(self, locale: Locale) -> String {
        match self {
            CsvError::Unreadable(detail) => fill(
                locale.texts().csv_unreadable_because,
                &[("detail", &detail)],
            ),
            other => import_problem(other.code(), locale),
        }
    }
}

/// A problem an import report lists: the code of an ingest or file error, worded. Reports stored
/// before codes were kept hold the sentence itself, which is shown as it is.
pub fn import_problem(code: &str, locale: Locale) -> String {
    let t = locale.texts();
    match code {
        "csv_empty" => t.csv_empty.into(),
        "too_many_rows" => with_max(t.csv_too_many_rows, MAX_ROWS),
        "csv_unreadable" => t.csv_unreadable.into(),
        _ => IngestError::from_code(code)
            .map(|e| e.message(locale))
            .unwrap_or_else(|| code.to_string()),
    }
}

#[cfg(feature = "ssr")]
mod server_texts {
    use super::*;
    use domain::model::Dimension;

    /// The interface's words for the dashboard use case.
    pub struct UiWords(pub Locale);

    impl klantstem_core::dashboard::Wording for UiWords {
        fn value(&self, dimension: Dimension, key: &str) -> Option<String> {
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

impl Message for domain::account::AccountError {
    fn message(self, locale: Locale) -> String {
        use domain::account::AccountError as E;
        let t = locale.texts();
        match self {
            E::EmailInvalid => t.account_email_invalid,
            E::NameMissing => t.account_name_missing,
            E::NameTooLong => t.account_name_too_long,
            E::PasswordTooShort => t.account_password_too_short,
            E::PasswordTooLong => t.account_password_too_long,
            E::EmailTaken => t.account_email_taken,
            E::CurrentPasswordWrong => t.account_current_password_wrong,
            E::RepeatDiffers => t.account_repeat_differs,
            E::PasswordUnchanged => t.account_password_unchanged,
        }
        .into()
    }
}

impl Message for domain::privacy::PrivacyError {
    fn message(self, locale: Locale) -> String {
        use domain::privacy::PrivacyError as E;
        let t = locale.texts();
        match self {
            E::ReferenceMissing => t.privacy_reference_missing,
            E::TooManyReferences => t.privacy_too_many_references,
            E::ReferenceTooLong => t.privacy_reference_too_long,
            E::NotConfirmed => t.privacy_not_confirmed,
        }
        .into()
    }
}

impl Message for domain::board_admin::BoardError {
    fn message(self, locale: Locale) -> String {
        use domain::board_admin::BoardError as E;
        let t = locale.texts();
        match self {
            E::SlugInvalid => t.board_slug_invalid,
            E::SlugTaken => t.board_slug_taken,
            E::NameMissing => t.board_name_missing,
            E::NameTooLong => t.board_name_too_long,
            E::DescriptionTooLong => t.board_description_too_long,
            E::OwnerTooLong => t.board_owner_too_long,
            E::DateInvalid => t.board_date_invalid,
            E::DatesOutOfOrder => t.board_dates_out_of_order,
            E::StagesInvalid => t.board_stages_invalid,
            E::StageUnknown => t.board_stage_unknown,
            E::ResponseDaysInvalid => t.board_response_days_invalid,
            E::StatusKeyInvalid => t.board_status_key_invalid,
            E::StatusNameMissing => t.board_status_name_missing,
            E::ColorInvalid => t.board_color_invalid,
            E::TooManyStatuses => t.board_too_many_statuses,
        }
        .into()
    }
}

impl Message for domain::idea::IdeaError {
    fn message(self, locale: Locale) -> String {
        use domain::idea::IdeaError as E;
        let t = locale.texts();
        match self {
            E::TitleTooShort => t.idea_title_too_short,
            E::TitleTooLong => t.idea_title_too_long,
            E::BodyTooLong => t.idea_body_too_long,
            E::CommentEmpty => t.idea_comment_empty,
            E::CommentTooLong => t.idea_comment_too_long,
            E::MessageTooLong => t.idea_message_too_long,
            E::StatusUnknown => t.idea_status_unknown,
            E::BoardClosed => t.idea_board_closed,
            E::EditWindowPassed => t.idea_edit_window_passed,
            E::PriorityInvalid => t.idea_priority_invalid,
            E::MergeInvalid => t.idea_merge_invalid,
            E::ReasonMissing => t.idea_reason_missing,
        }
        .into()
    }
}

impl Label for domain::inbox::ItemStatus {
    fn label(self, locale: Locale) -> &'static str {
        use domain::inbox::ItemStatus;
        let t = locale.texts();
        match self {
            ItemStatus::New => t.item_status_new,
            ItemStatus::Seen => t.item_status_seen,
            ItemStatus::InProgress => t.item_status_in_progress,
            ItemStatus::Handled => t.item_status_handled,
        }
    }
}

impl Label for domain::inbox::Outcome {
    fn label(self, locale: Locale) -> &'static str {
        use domain::inbox::Outcome;
        let t = locale.texts();
        match self {
            Outcome::Resolved => t.outcome_resolved,
            Outcome::NotResolved => t.outcome_not_resolved,
            Outcome::NotReached => t.outcome_not_reached,
            Outcome::Declined => t.outcome_declined,
        }
    }
}

impl Message for domain::routing::RoutingError {
    fn message(self, locale: Locale) -> String {
        use domain::routing::{RoutingError, CONDITIONS_MAX, NAME_MAX_CHARS};
        let t = locale.texts();
        match self {
            RoutingError::NameMissing => t.routing_name_missing.into(),
            RoutingError::NameTooLong => with_max(t.routing_name_too_long, NAME_MAX_CHARS),
            RoutingError::NameTaken => t.routing_name_taken.into(),
            RoutingError::NoConditions => t.routing_no_conditions.into(),
            RoutingError::UnknownField => t.routing_unknown_field.into(),
            RoutingError::EmptyCondition => t.routing_empty_condition.into(),
            RoutingError::TooManyConditions => {
                with_max(t.routing_too_many_conditions, CONDITIONS_MAX)
            }
            RoutingError::NoTargets => t.routing_no_targets.into(),
            RoutingError::UnknownDepartment => t.routing_unknown_department.into(),
            RoutingError::BadHours => t.routing_bad_hours.into(),
        }
    }
}

impl Message for domain::inbox::InboxError {
    fn message(self, locale: Locale) -> String {
        use domain::inbox::{InboxError, NOTE_MAX_CHARS, ROOT_CAUSE_MAX_CHARS};
        let t = locale.texts();
        match self {
            InboxError::NoteEmpty => t.inbox_note_empty.into(),
            InboxError::NoteTooLong => with_max(t.inbox_note_too_long, NOTE_MAX_CHARS),
            InboxError::BadStatus => t.inbox_bad_status.into(),
            InboxError::BadChannel => t.inbox_bad_channel.into(),
            InboxError::NotAMember => t.inbox_not_a_member.into(),
            InboxError::NoContact => t.case_no_contact.into(),
            InboxError::NoOutcome => t.case_no_outcome.into(),
            InboxError::NoRootCause => t.case_no_root_cause.into(),
            InboxError::RootCauseTooLong => {
                with_max(t.case_root_cause_too_long, ROOT_CAUSE_MAX_CHARS)
            }
            InboxError::CaseClosed => t.case_already_closed.into(),
            InboxError::NoAddress => t.case_no_address.into(),
            InboxError::BadScore => t.followup_bad_score.into(),
        }
    }
}

impl Label for domain::action::ActionStatus {
    fn label(self, locale: Locale) -> &'static str {
        use domain::action::ActionStatus;
        let t = locale.texts();
        match self {
            ActionStatus::Proposed => t.action_status_proposed,
            ActionStatus::Planned => t.action_status_planned,
            ActionStatus::InProgress => t.action_status_in_progress,
            ActionStatus::Done => t.action_status_done,
            ActionStatus::Dropped => t.action_status_dropped,
        }
    }
}

impl Message for domain::action::ActionError {
    fn message(self, locale: Locale) -> String {
        use domain::action::{
            ActionError, PUBLIC_MAX_CHARS, TEXT_MAX_CHARS, THEMES_MAX, TITLE_MAX_CHARS,
        };
        let t = locale.texts();
        match self {
            ActionError::TitleMissing => t.action_title_missing.into(),
            ActionError::TitleTooLong => with_max(t.action_title_too_long, TITLE_MAX_CHARS),
            ActionError::TextTooLong => with_max(t.action_text_too_long, TEXT_MAX_CHARS),
            ActionError::PublicTooLong => with_max(t.action_public_too_long, PUBLIC_MAX_CHARS),
            ActionError::BadDate => t.action_bad_date.into(),
            ActionError::BadStatus => t.action_bad_status.into(),
            ActionError::TooManyThemes => with_max(t.action_too_many_themes, THEMES_MAX),
            ActionError::UnknownTheme => t.action_unknown_theme.into(),
            ActionError::UnknownDepartment => t.action_unknown_department.into(),
            ActionError::UnknownOwner => t.action_unknown_owner.into(),
            ActionError::BadEvidence => t.action_bad_evidence.into(),
        }
    }
}

impl Message for domain::webhook::WebhookError {
    fn message(self, locale: Locale) -> String {
        use domain::webhook::{WebhookError, NAME_MAX_CHARS};
        let t = locale.texts();
        match self {
            WebhookError::NameMissing => t.webhook_name_missing.into(),
            WebhookError::NameTooLong => with_max(t.webhook_name_too_long, NAME_MAX_CHARS),
            WebhookError::UrlInvalid => t.webhook_url_invalid.into(),
            WebhookError::NoEvents => t.webhook_no_events.into(),
            WebhookError::BadConditions => t.webhook_bad_conditions.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                .chain(QuestionEditError::ALL.iter().map(|e| e.message(locale)))
                .chain(TaxonomyError::ALL.iter().map(|e| e.message(locale)));
            for message in messages {
                assert!(message.ends_with('.'), "{message}");
                assert!(!message.contains('{'), "unfilled placeholder: {message}");
            }
        }
        assert_eq!(JourneyPhase::Orientation.label(Locale::Nl), "Oriëntatie");
        assert_eq!(
            FormError::ReasonTooLong.message(Locale::En),
            "Your comment is too long: at most 2000 characters."
        );
    }
}
