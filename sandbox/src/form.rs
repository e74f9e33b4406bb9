//! Form bodies as real clients send them: properly URL-encoded (`+` for space, `%XX`), or the
//! raw `k=v&...` string with literal spaces and unencoded characters (the PHP and Java samples).
//! Both readings are kept so the signature can be checked against either.

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

    /// Whether the two readings differ (so both are worth checking).
    pub fn readings_differ(&self) -> bool {
        self.decoded != self.raw
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
}
