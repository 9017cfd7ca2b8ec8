//! The words of the mails the use cases send (`klantstem_core::notices::MailWording`), from the
//! catalogues, in the recipient's language.

use crate::i18n::{fill, Locale, LocaleTexts};
use klantstem_core::ideas::MailContext;
use klantstem_core::notices::{MailText, MailWording, Unsubscribe};

pub struct CatalogueMail;

/// What the idea use cases need to send mail: links to `base`, words from the catalogues.
pub fn context(base: String) -> MailContext {
    MailContext {
        base,
        wording: &CatalogueMail,
    }
}

impl MailWording for CatalogueMail {
    fn mail_to_respondent(
        &self,
        locale: Locale,
        text: &MailText<'_>,
        withdraw: &str,
    ) -> (String, String) {
        let (subject, mut body) = self.mail(locale, text, None);
        body.push_str(&fill(
            locale.texts().mail_consent_footer,
            &[("link", &withdraw)],
        ));
        (subject, body)
    }

    fn mail(
        &self,
        locale: Locale,
        text: &MailText<'_>,
        unsubscribe: Option<&Unsubscribe>,
    ) -> (String, String) {
        let t = locale.texts();
        let (subject, mut body) = match text {
            MailText::Verify { name, link } => (
                t.mail_verify_subject.to_string(),
                fill(t.mail_verify_body, &[("name", name), ("link", link)]),
            ),
            MailText::AlreadyRegistered { name, login, reset } => (
                t.mail_already_subject.to_string(),
                fill(
                    t.mail_already_body,
                    &[("name", name), ("login", login), ("reset", reset)],
                ),
            ),
            MailText::ActionDone {
                title,
                message,
                link,
            } => (
                t.mail_action_done_subject.to_string(),
                fill(
                    t.mail_action_done_body,
                    &[("title", title), ("message", message), ("link", link)],
                ),
            ),
            MailText::CaseReply { department, text } => (
                fill(t.mail_case_reply_subject, &[("department", department)]),
                fill(
                    t.mail_case_reply_body,
                    &[("department", department), ("text", text)],
                ),
            ),
            MailText::FollowUpQuestion { link } => (
                t.mail_followup_subject.to_string(),
                fill(t.mail_followup_body, &[("link", link)]),
            ),
            MailText::CaseEscalated {
                department,
                deadline,
                link,
            } => (
                fill(t.mail_case_escalated_subject, &[("department", department)]),
                fill(
                    t.mail_case_escalated_body,
                    &[
                        ("department", department),
                        ("deadline", deadline),
                        ("link", link),
                    ],
                ),
            ),
            MailText::PasswordChanged { name, reset } => (
                t.mail_password_changed_subject.to_string(),
                fill(
                    t.mail_password_changed_body,
                    &[("name", name), ("reset", reset)],
                ),
            ),
            MailText::Reset { name, link } => (
                t.mail_reset_subject.to_string(),
                fill(t.mail_reset_body, &[("name", name), ("link", link)]),
            ),
            MailText::StatusChanged {
                idea,
                status,
                message,
                link,
            } => (
                fill(t.mail_status_subject, &[("idea", idea), ("status", status)]),
                fill(
                    t.mail_status_body,
                    &[
                        ("idea", idea),
                        ("status", status),
                        ("message", &message.unwrap_or("")),
                        ("link", link),
                    ],
                )
                .replace("\n\n\n\n", "\n\n"),
            ),
            MailText::Comment {
                idea,
                author,
                text,
                official,
                link,
            } => (
                fill(
                    if *official {
                        t.mail_official_subject
                    } else {
                        t.mail_comment_subject
                    },
                    &[("idea", idea)],
                ),
                fill(
                    t.mail_comment_body,
                    &[
                        ("author", author),
                        ("idea", idea),
                        ("text", text),
                        ("link", link),
                    ],
                ),
            ),
            MailText::StageChanged { board, stage, link } => (
                fill(t.mail_stage_subject, &[("board", board), ("stage", stage)]),
                fill(
                    t.mail_stage_body,
                    &[("board", board), ("stage", stage), ("link", link)],
                ),
            ),
            MailText::Merged { idea, into, link } => (
                fill(t.mail_merged_subject, &[("idea", idea)]),
                fill(
                    t.mail_merged_body,
                    &[("idea", idea), ("into", into), ("link", link)],
                ),
            ),
        };
        if let Some(u) = unsubscribe {
            body.push_str("\n--\n");
            if let Some(link) = &u.this_idea {
                body.push_str(&fill(t.mail_unsubscribe_idea, &[("link", link)]));
                body.push('\n');
            }
            body.push_str(&fill(t.mail_unsubscribe_all, &[("link", &u.everything)]));
            body.push('\n');
        }
        // A subject is one line (an idea title could hold anything).
        let subject: String = subject
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(200)
            .collect();
        (subject, body)
    }
}
