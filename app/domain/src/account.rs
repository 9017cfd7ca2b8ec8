//! Customer accounts: registering, verifying the address, resetting a forgotten password.

use crate::survey::Email;
use serde::{Deserialize, Serialize};

pub const NAME_MAX_CHARS: usize = 60;
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 256;
/// How long a verification link works.
pub const VERIFY_TTL_SECS: i64 = 7 * 24 * 3600;
/// How long a password-reset link works.
pub const RESET_TTL_SECS: i64 = 3600;

/// What a registration or password form can be wrong about (codes; the app words them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountError {
    EmailInvalid,
    NameMissing,
    NameTooLong,
    PasswordTooShort,
    PasswordTooLong,
    /// The address has an account already. Said only to the person who owns the address (by
    /// mail), never on the form: the form answers the same either way.
    EmailTaken,
    /// Changing the password: the current one typed is not the account's.
    CurrentPasswordWrong,
    /// Changing the password: the new one was not typed the same twice.
    RepeatDiffers,
    /// Changing the password: the new one is the current one.
    PasswordUnchanged,
}

impl AccountError {
    pub const ALL: [AccountError; 9] = [
        AccountError::EmailInvalid,
        AccountError::NameMissing,
        AccountError::NameTooLong,
        AccountError::PasswordTooShort,
        AccountError::PasswordTooLong,
        AccountError::EmailTaken,
        AccountError::CurrentPasswordWrong,
        AccountError::RepeatDiffers,
        AccountError::PasswordUnchanged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountError::EmailInvalid => "account_email_invalid",
            AccountError::NameMissing => "account_name_missing",
            AccountError::NameTooLong => "account_name_too_long",
            AccountError::PasswordTooShort => "account_password_too_short",
            AccountError::PasswordTooLong => "account_password_too_long",
            AccountError::EmailTaken => "account_email_taken",
            AccountError::CurrentPasswordWrong => "account_current_password_wrong",
            AccountError::RepeatDiffers => "account_repeat_differs",
            AccountError::PasswordUnchanged => "account_password_unchanged",
        }
    }

    pub fn from_code(code: &str) -> Option<AccountError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The form field the problem belongs to.
    pub fn field(self) -> &'static str {
        match self {
            AccountError::EmailInvalid | AccountError::EmailTaken => "email",
            AccountError::NameMissing | AccountError::NameTooLong => "name",
            AccountError::PasswordTooShort
            | AccountError::PasswordTooLong
            | AccountError::PasswordUnchanged => "password",
            AccountError::CurrentPasswordWrong => "current",
            AccountError::RepeatDiffers => "repeat",
        }
    }
}

/// The registration form as posted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub email: Option<String>,
    pub name: Option<String>,
    pub password: Option<String>,
}

/// A registration that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub email: Email,
    pub name: String,
    pub password: String,
}

impl TryFrom<RegistrationForm> for Registration {
    type Error = Vec<AccountError>;

    fn try_from(form: RegistrationForm) -> Result<Self, Self::Error> {
        let mut errors = Vec::new();
        // Accounts are found by address in lower case (as the users table keeps them).
        let email = Email::parse(&form.email.as_deref().unwrap_or("").to_lowercase());
        if email.is_none() {
            errors.push(AccountError::EmailInvalid);
        }
        let name = crate::survey::clean_text(&form.name.unwrap_or_default());
        if name.is_empty() {
            errors.push(AccountError::NameMissing);
        } else if name.chars().count() > NAME_MAX_CHARS {
            errors.push(AccountError::NameTooLong);
        }
        let password = form.password.unwrap_or_default();
        if let Err(e) = check_password(&password) {
            errors.push(e);
        }
        match email {
            Some(email) if errors.is_empty() => Ok(Registration {
                email,
                name,
                password,
            }),
            _ => Err(errors),
        }
    }
}

/// The form to change one's password while signed in, as posted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PasswordChangeForm {
    pub current: Option<String>,
    pub password: Option<String>,
    pub repeat: Option<String>,
}

/// A password change whose new password passed every check; the current one is still to be
/// verified against the account.
#[derive(Debug, Clone, PartialEq)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

impl TryFrom<PasswordChangeForm> for PasswordChange {
    type Error = Vec<AccountError>;

    fn try_from(form: PasswordChangeForm) -> Result<Self, Self::Error> {
        let current = form.current.unwrap_or_default();
        let new = form.password.unwrap_or_default();
        let mut errors = Vec::new();
        if current.is_empty() || current.chars().count() > PASSWORD_MAX_CHARS {
            errors.push(AccountError::CurrentPasswordWrong);
        }
        if let Err(e) = check_password(&new) {
            errors.push(e);
        } else if new == current {
            errors.push(AccountError::PasswordUnchanged);
        }
        if form.repeat.unwrap_or_default() != new {
            errors.push(AccountError::RepeatDiffers);
        }
        if errors.is_empty() {
            Ok(PasswordChange { current, new })
        } else {
            Err(errors)
        }
    }
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        Err(AccountError::PasswordTooShort)
    } else if n > PASSWORD_MAX_CHARS {
        Err(AccountError::PasswordTooLong)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(current: &str, new: &str, repeat: &str) -> Result<PasswordChange, Vec<AccountError>> {
        PasswordChange::try_from(PasswordChangeForm {
            current: Some(current.into()),
            password: Some(new.into()),
            repeat: Some(repeat.into()),
        })
    }

    #[test]
    fn a_password_change_needs_the_current_one_and_a_new_one_typed_twice() {
        let ok = change(
            "oud wachtwoord 1",
            "nieuw wachtwoord 2",
            "nieuw wachtwoord 2",
        )
        .unwrap();
        assert_eq!(ok.new, "nieuw wachtwoord 2");
        assert_eq!(
            change("", "kort", "anders").unwrap_err(),
            vec![
                AccountError::CurrentPasswordWrong,
                AccountError::PasswordTooShort,
                AccountError::RepeatDiffers
            ]
        );
        assert_eq!(
            change(
                "zelfde wachtwoord",
                "zelfde wachtwoord",
                "zelfde wachtwoord"
            )
            .unwrap_err(),
            vec![AccountError::PasswordUnchanged]
        );
        assert_eq!(
            PasswordChange::try_from(PasswordChangeForm::default()).unwrap_err(),
            vec![
                AccountError::CurrentPasswordWrong,
                AccountError::PasswordTooShort
            ]
        );
    }

    fn form(email: &str, name: &str, password: &str) -> RegistrationForm {
        RegistrationForm {
            email: Some(email.into()),
            name: Some(name.into()),
            password: Some(password.into()),
        }
    }

    #[test]
    fn a_registration_is_checked_field_by_field() {
        let ok =
            Registration::try_from(form(" Eva@Voorbeeld.NL ", " Eva ", "lang-genoeg-1")).unwrap();
        assert_eq!(ok.email.as_str(), "eva@voorbeeld.nl");
        assert_eq!(ok.name, "Eva");
        assert_eq!(
            Registration::try_from(form("geen-adres", "", "kort")).unwrap_err(),
            vec![
                AccountError::EmailInvalid,
                AccountError::NameMissing,
                AccountError::PasswordTooShort
            ]
        );
        assert_eq!(
            Registration::try_from(form("a@b.nl", &"x".repeat(61), &"p".repeat(257))).unwrap_err(),
            vec![AccountError::NameTooLong, AccountError::PasswordTooLong]
        );
    }

    #[test]
    fn codes_round_trip() {
        for e in AccountError::ALL {
            assert_eq!(AccountError::from_code(e.code()), Some(e));
        }
    }
}
