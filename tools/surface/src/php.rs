//! The php binding's generated type file.

use crate::File;

/// The files this module writes.
pub fn files() -> Vec<File> {
    Vec::new()
}
