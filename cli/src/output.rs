//! Printing: one line at a time, quietly ending the process when the reader has gone away
//! (`qfpay demo | head -1`), never panicking on a closed pipe.

use std::io::Write;

use serde_json::Value;

/// Writes one line to stdout. If stdout is a closed pipe, exits at once with status 0 and
/// nothing on stderr (what `head`, `grep -q` and friends expect).
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let written = writeln!(out, "{text}").and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        // Any other failure to write (disk full...): say so once, if stderr still works.
        err_line(&format!("error: cannot write to standard output: {e}"));
        std::process::exit(1);
    }
}

/// Writes one line to stderr, ignoring a closed stderr.
pub fn err_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{text}");
}

/// Prints `fields` as aligned `name: value` lines, or `model` as one JSON object with `--json`.
pub fn print(json: bool, title: &str, fields: &[(&str, String)], model: &Value) {
    if json {
        line(&model.to_string());
        return;
    }
    line(title);
    let width = fields.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in fields {
        if !v.is_empty() {
            line(&format!("  {k:width$}  {v}"));
        }
    }
}
