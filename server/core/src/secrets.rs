//! Secrets: random tokens, hashes of session and API tokens, passwords (argon2id), and the keyed
//! hash that recognises a customer across channels.

use crate::error::PasswordError;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system has no random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Session tokens are stored hashed: a leaked database does not leak live sessions.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The join key of a customer across channels: HMAC-SHA256 of their reference (trimmed,
/// lower-cased) under the installation's key. Without the key the hash reveals nothing, and
/// guessing e-mail addresses against it is useless.
pub fn customer_hash(key: &str, reference: &str) -> String {
    use hmac::{Hmac, Mac};
    let normalized = reference.trim().to_lowercase();
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any size");
    mac.update(normalized.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| PasswordError(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid argon2id hash of a random password, checked against when the account does not exist
/// so that a login takes as long for unknown accounts as for known ones.
pub fn dummy_password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// Compares secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn customer_hash_is_hmac_sha256_of_the_normalized_reference() {
        // RFC 4231 test case 2.
        assert_eq!(
            customer_hash("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            customer_hash("k", " Jan@Example.NL "),
            customer_hash("k", "jan@example.nl")
        );
        assert_ne!(customer_hash("k", "a"), customer_hash("other", "a"));
        // A key longer than SHA-256's block is hashed first: the same hashes as the hand-written
        // HMAC this replaced, so stored customer keys still match.
        assert_eq!(
            customer_hash(&"k".repeat(100), "K-1001"),
            "8ab484372c40abf01025bddfc187c27034c0f49efedfffc3ed33ed0dfa027761"
        );
    }
}
