//! The mails the idea side sends, as data: the app words them from its catalogues
//! ([`MailWording`]), the use cases address them and write them to the outbox.

use crate::secrets::customer_hash;
use crate::store::NewMail;
use domain::locale::Locale;

/// A mail to word. Links are complete URLs.
#[derive(Debug, Clone, PartialEq)]
pub enum MailText<'a> {
    /// Confirm the address of a new account.
    Verify {
        name: &'a str,
        link: &'a str,
    },
    /// Someone registered with an address that has an account: tell its owner, not the form.
    AlreadyRegistered {
        name: &'a str,
        login: &'a str,
        reset: &'a str,
    },
    Reset {
        name: &'a str,
        link: &'a str,
    },
    /// The account's password was changed (by its owner, or with a reset link): if that was
    /// not the reader, `reset` lets them take the account back.
    PasswordChanged {
        name: &'a str,
        reset: &'a str,
    },
    StatusChanged {
        idea: &'a str,
        status: &'a str,
        message: Option<&'a str>,
        link: &'a str,
    },
    Comment {
        idea: &'a str,
        author: &'a str,
        text: &'a str,
        official: bool,
        link: &'a str,
    },
    StageChanged {
        board: &'a str,
        stage: &'a str,
        link: &'a str,
    },
    /// An improvement the reader's feedback led to is done ("je zei, wij deden").
    ActionDone {
        title: &'a str,
        message: &'a str,
        link: &'a str,
    },
    /// A department answers the reader's feedback from its follow-up case.
    CaseReply {
        department: &'a str,
        text: &'a str,
    },
    /// "Is it solved now?" after a case closed: a link to answer 0–10.
    FollowUpQuestion {
        link: &'a str,
    },
    /// A follow-up case of the reader's department passed its deadline without contact.
    CaseEscalated {
        department: &'a str,
        deadline: &'a str,
        link: &'a str,
    },
    /// The reader's idea was merged into another that says the same.
    Merged {
        idea: &'a str,
        into: &'a str,
        link: &'a str,
    },
}

/// Where a notification mail's reader stops the mail: about this idea, or all of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsubscribe {
    pub this_idea: Option<String>,
    pub everything: String,
}

/// Words mails in a language (subject, plain-text body).
pub trait MailWording: Send + Sync {
    fn mail(
        &self,
        locale: Locale,
        text: &MailText<'_>,
        unsubscribe: Option<&Unsubscribe>,
    ) -> (String, String);

    /// A mail to a customer about their feedback, sent because they consented to contact: with
    /// `withdraw`, the link where they withdraw that consent, at its foot.
    fn mail_to_respondent(
        &self,
        locale: Locale,
        text: &MailText<'_>,
        withdraw: &str,
    ) -> (String, String);
}

/// The proof in an unsubscribe link that the installation made it: an HMAC of the user and
/// the idea (0: every mail).
pub fn unsubscribe_token(key: &str, user_id: i64, idea_id: i64) -> String {
    customer_hash(key, &format!("unsubscribe:{user_id}:{idea_id}"))
}

/// The unsubscribe links for `user_id` (about `idea_id` when given).
pub fn unsubscribe_links(base: &str, key: &str, user_id: i64, idea_id: Option<i64>) -> Unsubscribe {
    let link = |idea: i64| {
        format!(
            "{base}/account/unsubscribe?u={user_id}&i={idea}&t={}",
            unsubscribe_token(key, user_id, idea)
        )
    };
    Unsubscribe {
        this_idea: idea_id.map(link),
        everything: link(0),
    }
}

/// A worded mail for the outbox.
pub fn new_mail(kind: &str, to: &str, (subject, body): (String, String)) -> NewMail {
    NewMail {
        kind: kind.into(),
        recipient: to.into(),
        subject,
        body,
        message_id: crate::outbox::message_id("klantstem.local"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribe_tokens_are_per_user_and_idea() {
        let a = unsubscribe_token("k", 1, 2);
        assert_eq!(a, unsubscribe_token("k", 1, 2));
        assert_ne!(a, unsubscribe_token("k", 1, 3));
        assert_ne!(a, unsubscribe_token("k", 2, 2));
        assert_ne!(a, unsubscribe_token("other", 1, 2));
        let links = unsubscribe_links("https://x.nl", "k", 7, Some(9));
        assert!(links
            .this_idea
            .unwrap()
            .starts_with("https://x.nl/account/unsubscribe?u=7&i=9&t="));
        assert!(links.everything.contains("&i=0&t="));
    }
}
