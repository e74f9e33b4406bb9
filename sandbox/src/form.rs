//! Form bodies as real clients send them: properly URL-encoded (`+` for space, `%XX`), or the
//! raw `k=v&...` string with literal spaces and unencoded characters (the PHP and Java samples),
//! or `multipart/form-data` (curl `-F`, PHP's `CURLOPT_POSTFIELDS` given an array, browsers).
//! Both readings of a URL-encoded body are kept so the signature can be checked against either.
//!
//! Multipart is parsed here by a small function rather than through axum's `multipart`
//! feature: that feature brings `multer` and its dependencies into the one feature set the
//! whole workspace shares, for what is a few text fields split on a boundary.

/// One parsed form: the URL-decoded reading and the raw reading, in the order sent.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// Values URL-decoded (`+` → space, `%XX` → byte), invalid UTF-8 replaced.
    pub decoded: Vec<(String, String)>,
    /// Values exactly as sent (invalid UTF-8 replaced).
    pub raw: Vec<(String, String)>,
}

impl Form {
    /// Parses a body or query string. Never fails: empty pieces are skipped, a piece without
    /// `=` is a name with an empty value, bad escapes are kept literally.
    pub fn parse(input: &[u8]) -> Self {
        // A line end after the last value (some HTTP clients add one) is not part of it.
        let mut input = input;
        while let [rest @ .., b'\r' | b'\n'] = input {
            input = rest;
        }
        let mut decoded = Vec::new();
        let mut raw = Vec::new();
        for piece in input.split(|b| *b == b'&') {
            if piece.is_empty() {
                continue;
            }
            let (k, v) = match piece.iter().position(|b| *b == b'=') {
                Some(i) => (&piece[..i], &piece[i + 1..]),
                None => (piece, &piece[piece.len()..]),
            };
            let k_raw = String::from_utf8_lossy(k).trim().to_owned();
            if k_raw.is_empty() {
                continue;
            }
            let v_raw = String::from_utf8_lossy(v).into_owned();
            decoded.push((decode(k).trim().to_owned(), decode(v)));
            raw.push((k_raw, v_raw));
        }
        Self { decoded, raw }
    }

    /// Parses a body according to its `Content-Type`: `multipart/form-data` (with a
    /// boundary) as multipart, anything else — none, `application/x-www-form-urlencoded`,
    /// `text/plain` — as a form string. A multipart body that cannot be parsed is read as a
    /// form string (and will then fail the signature check, naming what was signed).
    pub fn parse_body(content_type: &str, body: &[u8]) -> Self {
        if let Some(boundary) = multipart_boundary(content_type)
            && let Some(fields) = parse_multipart(body, &boundary)
        {
            return Self {
                decoded: fields.clone(),
                raw: fields,
            };
        }
        Self::parse(body)
    }

    /// Takes out the `sign` parameter (never part of the signed set; some clients put the
    /// signature there too) and returns its value.
    pub fn take_sign(&mut self) -> Option<String> {
        let mut found = None;
        for list in [&mut self.decoded, &mut self.raw] {
            if let Some(i) = list.iter().position(|(k, _)| k == "sign") {
                let (_, v) = list.remove(i);
                found.get_or_insert(v);
                list.retain(|(k, _)| k != "sign");
            }
        }
        found.filter(|v| !v.trim().is_empty())
    }

    /// Whether the two readings differ (so both are worth checking).
    pub fn readings_differ(&self) -> bool {
        self.decoded != self.raw
    }
}

/// The boundary of a `multipart/form-data` content type, if it is one.
pub fn multipart_boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    let mime = parts.next()?.trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        (!v.is_empty() && v.len() <= 200).then(|| v.to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > hay.len() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The `name` of a part from its `Content-Disposition: form-data; name="..."` header.
fn part_name(headers: &str) -> Option<String> {
    let line = headers.lines().find(|l| {
        l.split_once(':')
            .is_some_and(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
    })?;
    let (_, value) = line.split_once(':')?;
    value.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case("name") {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        Some(v.replace("%22", "\"").replace("\\\"", "\""))
    })
}

/// Parses a `multipart/form-data` body into (name, value) pairs in order; `None` when it is
/// not one (no first boundary, a part without a name, or no closing boundary). Values are
/// taken as sent (UTF-8, invalid bytes replaced); CRLF line ends, bare LF tolerated.
pub fn parse_multipart(body: &[u8], boundary: &str) -> Option<Vec<(String, String)>> {
    let delim = format!("--{boundary}");
    let delim = delim.as_bytes();
    let mut pos = find(body, delim, 0)? + delim.len();
    let mut fields = Vec::new();
    loop {
        if body[pos..].starts_with(b"--") {
            return Some(fields);
        }
        // The rest of the boundary line.
        let line_end = find(body, b"\n", pos)? + 1;
        let (head_end, content_start) = match (
            find(body, b"\r\n\r\n", line_end),
            find(body, b"\n\n", line_end),
        ) {
            (Some(a), Some(b)) if b + 1 < a => (b, b + 2),
            (Some(a), _) => (a, a + 4),
            (None, Some(b)) => (b, b + 2),
            (None, None) => return None,
        };
        let headers = String::from_utf8_lossy(&body[line_end..head_end]);
        let name = part_name(&headers)?;
        let next = find(body, delim, content_start)?;
        let mut end = next;
        if end > content_start && body[end - 1] == b'\n' {
            end -= 1;
            if end > content_start && body[end - 1] == b'\r' {
                end -= 1;
            }
        }
        let value =
            String::from_utf8_lossy(&body[content_start..end.max(content_start)]).into_owned();
        if !name.trim().is_empty() {
            fields.push((name.trim().to_owned(), value));
        }
        pos = next + delim.len();
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// URL-decodes one component (`application/x-www-form-urlencoded` rules).
pub fn decode(input: &[u8]) -> String {
    if !input.iter().any(|b| *b == b'%' || *b == b'+') {
        return String::from_utf8_lossy(input).into_owned();
    }
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < input.len() => match (hex(input[i + 1]), hex(input[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_readings() {
        let f = Form::parse(b"txdtm=2024-01-02+03%3A04%3A05&mchid=ZaMVg%2A%2A&x&=y&&g=a b");
        assert_eq!(f.decoded[0].1, "2024-01-02 03:04:05");
        assert_eq!(f.raw[0].1, "2024-01-02+03%3A04%3A05");
        assert_eq!(f.decoded[1].1, "ZaMVg**");
        assert_eq!(f.decoded[2], ("x".into(), "".into()));
        assert_eq!(f.decoded[3].1, "a b");
        assert_eq!(f.decoded.len(), 4);
        assert_eq!(decode(b"%"), "%");
        assert_eq!(decode(b"%4"), "%4");
        assert_eq!(decode(b"%41"), "A");
        assert_eq!(decode(b"%zz"), "%zz");
        let bad = Form::parse(b"a=\xff\xfe&b=%ff");
        assert_eq!(bad.decoded.len(), 2);
    }

    #[test]
    fn multipart() {
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"abc d\"").as_deref(),
            Some("abc d")
        );
        assert_eq!(
            multipart_boundary("Multipart/Form-Data;charset=utf-8;BOUNDARY=x").as_deref(),
            Some("x")
        );
        assert_eq!(
            multipart_boundary("application/x-www-form-urlencoded"),
            None
        );
        assert_eq!(multipart_boundary("multipart/form-data"), None);
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"txdtm\"\r\n\r\n2026-01-15 11:45:44\r\n--XyZ\r\ncontent-disposition: form-data; name=goods_name\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nA+B %20 \xe5\xb0\x8f\r\nline2\r\n--XyZ\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--XyZ--\r\n";
        let f = Form::parse_body("multipart/form-data; boundary=XyZ", body);
        assert_eq!(
            f.decoded,
            vec![
                ("txdtm".to_owned(), "2026-01-15 11:45:44".to_owned()),
                ("goods_name".to_owned(), "A+B %20 小\r\nline2".to_owned()),
                ("empty".to_owned(), String::new()),
            ]
        );
        assert!(!f.readings_differ());
        // Bare LF line ends.
        let lf = b"--b\nContent-Disposition: form-data; name=\"a\"\n\n1\n--b--\n";
        assert_eq!(
            parse_multipart(lf, "b"),
            Some(vec![("a".into(), "1".into())])
        );
        // Not multipart at all, truncated, or nameless: None (then read as a form string).
        assert_eq!(parse_multipart(b"a=1&b=2", "b"), None);
        assert_eq!(
            parse_multipart(
                b"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
                "b"
            ),
            None
        );
        assert_eq!(parse_multipart(b"--b\r\nX: y\r\n\r\n1\r\n--b--", "b"), None);
        assert_eq!(parse_multipart(b"--b", "b"), None);
        assert_eq!(parse_multipart(b"", "b"), None);
        let f = Form::parse_body("multipart/form-data; boundary=b", b"a=1");
        assert_eq!(f.decoded, vec![("a".into(), "1".into())]);
        // A stray sign is taken out of both readings.
        let mut f = Form::parse(b"a=1&sign=ABC&b=2");
        assert_eq!(f.take_sign().as_deref(), Some("ABC"));
        assert_eq!(f.decoded.len(), 2);
        assert_eq!(f.raw.len(), 2);
        assert_eq!(Form::parse(b"a=1").take_sign(), None);
    }
}
