//! The client key: a secret that never prints.

use std::fmt;

/// The QFPay client key (the signing secret issued with an app code).
///
/// `Debug` and `Display` print `***`, so the key cannot leak through logs, error messages or
/// `{:?}` dumps of a client or its configuration. Use [`ClientKey::expose`] only where the key
/// is really needed (signing).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientKey(String);

impl ClientKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for signing.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key, when it is long enough to be masked in texts without garbling them (8
    /// characters or more; QFPay's keys have 32): errors and events replace it with `***`
    /// wherever a server or a misplaced option echoes it.
    pub fn maskable(&self) -> Option<&str> {
        (self.0.chars().count() >= 8).then_some(self.0.as_str())
    }

    /// Whether the key is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientKey(***)")
    }
}

impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for ClientKey {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for ClientKey {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_never_prints() {
        let key = ClientKey::new("0E32A59A8B454940A2FF39SECRET");
        assert_eq!(format!("{key}"), "***");
        assert_eq!(format!("{key:?}"), "ClientKey(***)");
        assert_eq!(key.expose(), "0E32A59A8B454940A2FF39SECRET");
    }
}
