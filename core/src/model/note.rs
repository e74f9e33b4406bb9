//! A transaction note (`POST /trade/v1/add_note`): text QFPay shows with a completed
//! transaction in its merchant portal and its transaction reports.

use crate::error::Result;
use crate::model::fields::{self, RawMap};
use crate::validate;

/// The longest note QFPay takes, in characters.
pub const NOTE_MAX_CHARS: usize = 200;

/// A note for a completed transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRequest {
    /// QFPay's transaction number.
    pub syssn: String,
    /// The note: 1 to 200 characters, no control characters.
    pub note: String,
}

impl NoteRequest {
    /// `note` for transaction `syssn`.
    pub fn new(syssn: impl Into<String>, note: impl Into<String>) -> Self {
        Self {
            syssn: syssn.into(),
            note: note.into(),
        }
    }

    /// Checks the fields before anything is sent.
    pub fn validate(&self) -> Result<()> {
        validate::length("syssn", &self.syssn, 1, 40)?;
        validate::length("note", &self.note, 1, NOTE_MAX_CHARS)
    }

    /// The signed form: QFPay wants the app code again, as the body field `code`.
    pub(crate) fn to_params(&self, app_code: &str) -> Vec<(&'static str, String)> {
        vec![
            ("code", app_code.to_owned()),
            ("syssn", self.syssn.clone()),
            ("note", self.note.clone()),
        ]
    }
}

/// QFPay's answer to a note.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteAdded {
    /// The transaction QFPay names in its answer (`data.syssn`; the request's when absent).
    pub syssn: String,
    /// The note as sent.
    pub note: String,
    /// Every field QFPay sent.
    pub raw: RawMap,
}

impl NoteAdded {
    /// Reads the `0000` answer to `req`.
    pub fn from_raw(raw: RawMap, req: &NoteRequest) -> Result<Self> {
        let syssn = match raw.get("data") {
            Some(serde_json::Value::Object(data)) => fields::opt_text(data, "syssn"),
            _ => None,
        };
        Ok(Self {
            syssn: syssn.unwrap_or_else(|| req.syssn.clone()),
            note: req.note.clone(),
            raw,
        })
    }
}

crate::model::describe::describe!(NoteAdded "A note QFPay took for a transaction." {
    syssn: "str" "The transaction (QFPay's data.syssn; the request's when QFPay names none)." = |n| &n.syssn,
    note: "str" "The note as sent." = |n| &n.note,
    raw: "raw" "Every field QFPay sent." = |n| &n.raw,
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_one_to_two_hundred_characters_of_text() {
        assert!(NoteRequest::new("2026", "x".repeat(200)).validate().is_ok());
        assert!(
            NoteRequest::new("2026", "字".repeat(200))
                .validate()
                .is_ok()
        );
        let e = NoteRequest::new("2026", "字".repeat(201))
            .validate()
            .unwrap_err();
        assert_eq!(e.field(), Some("note"));
        assert!(e.to_string().contains("201"), "{e}");
        assert_eq!(
            NoteRequest::new("2026", "").validate().unwrap_err().field(),
            Some("note")
        );
        assert_eq!(
            NoteRequest::new("2026", "a\nb")
                .validate()
                .unwrap_err()
                .field(),
            Some("note")
        );
        assert_eq!(
            NoteRequest::new("", "x").validate().unwrap_err().field(),
            Some("syssn")
        );
    }

    #[test]
    fn the_answer_names_its_transaction() {
        let req = NoteRequest::new("2026A", "gift wrap");
        let serde_json::Value::Object(raw) =
            serde_json::json!({"respcd": "0000", "data": {"syssn": "2026B"}})
        else {
            unreachable!()
        };
        let n = NoteAdded::from_raw(raw, &req).unwrap();
        assert_eq!((n.syssn.as_str(), n.note.as_str()), ("2026B", "gift wrap"));
        let n = NoteAdded::from_raw(RawMap::new(), &req).unwrap();
        assert_eq!(n.syssn, "2026A");
    }
}
