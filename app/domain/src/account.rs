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
}

impl AccountError {
    pub const ALL: [AccountError; 6] = [
        AccountError::EmailInvalid,
        AccountError::NameMissing,
        AccountError::NameTooLong,
        AccountError::PasswordTooShort,
        AccountError::PasswordTooLong,
        AccountError::EmailTaken,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountError::EmailInvalid => "account_email_invalid",
            AccountError::NameMissing => "account_name_missing",
            AccountError::NameTooLong => "account_name_too_long",
            AccountError::PasswordTooShort => "account_password_too_short",
            AccountError::PasswordTooLong => "account_password_too_long",
            AccountError::EmailTaken => "account_email_taken",
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
            AccountError::PasswordTooShort | AccountError::PasswordTooLong => "password",
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
