//! Passwords (argon2id, salted, parameters inside the hash) and random tokens (sessions, API,
//! CSRF). Only SHA-256 hashes of session and API tokens reach the database.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};

use crate::WebError;

/// Shortest password accepted when a user sets one.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> Result<String, WebError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| WebError::Internal(format!("argon2: {e}")))
}

/// Whether `password` matches a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// 32 random bytes as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// A password people can type: 16 letters and digits without look-alikes (0/O, 1/l/I).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a new password is refused, in Russian; `None` when it is acceptable.
pub fn password_problem(password: &str) -> Option<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(format!(
            "Пароль должен быть не короче {MIN_PASSWORD_CHARS} знаков."
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash_password("правильный пароль").expect("hashing works");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("правильный пароль", &hash));
        assert!(!verify_password("неправильный пароль", &hash));
        assert!(!verify_password("правильный пароль", "not a hash"));
    }

    #[test]
    fn tokens_differ_and_hash_to_hex() {
        assert_ne!(new_token(), new_token());
        assert_eq!(sha256_hex(b"abc").len(), 64);
        assert_eq!(generate_password().chars().count(), 16);
    }
}
