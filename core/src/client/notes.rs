//! Transaction notes (`POST /trade/v1/add_note`).

use super::*;
use crate::model::{NoteAdded, NoteRequest};

impl Client {
    /// Adds a note to a completed transaction (`POST /trade/v1/add_note`): QFPay shows it with
    /// the transaction in its merchant portal and its reports. The note is 1 to 200 characters.
    ///
    /// QFPay allows it only to merchants who send no `mchid`: a client configured with one is
    /// refused (`config`) before anything is sent. QFPay does not say whether a second note
    /// replaces the first; like a query, the call is sent again when no answer came back, with
    /// the same text.
    pub async fn add_note(&self, req: NoteRequest) -> Result<NoteAdded> {
        req.validate()?;
        if self.mchid(None).is_some() {
            return Err(Error::config_option(
                "mchid",
                "is configured, and QFPay's add_note is only for merchants who send no mchid",
            ));
        }
        let params = req.to_params(&self.inner.config.app_code);
        self.read(Endpoint::AddNote, &params, |raw| {
            NoteAdded::from_raw(raw, &req)
        })
        .await
    }
}
