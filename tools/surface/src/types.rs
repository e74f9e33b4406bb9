//! The surface's type vocabulary (see `qfpay::model::describe`) in each language.

use qfpay::surface::Lang;

/// `ty` (`str`, `str?`, `int`, `count`, `bool`, `raw`, `duration`, `bytes`, a result's name,
/// `list<T>`, `enum:<name>`, any of them with `?`) as `lang` writes it in a declaration.
pub fn render(lang: Lang, ty: &str) -> String {
    if let Some(inner) = ty.strip_suffix('?') {
        let inner = render(lang, inner);
        return match lang {
            Lang::Python => format!("{inner} | None"),
            Lang::Node => format!("{inner} | null"),
            Lang::Php => format!("?{inner}"),
            Lang::Jvm => format!("{inner}?"),
            Lang::Rust => format!("Option<{inner}>"),
        };
    }
    if let Some(item) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
        let item = render(lang, item);
        return match lang {
            Lang::Python => format!("list[{item}]"),
            Lang::Node => format!("{item}[]"),
            Lang::Php => "array".to_owned(),
            Lang::Jvm => format!("List<{item}>"),
            Lang::Rust => format!("Vec<{item}>"),
        };
    }
    if let Some(name) = ty.strip_prefix("enum:") {
        return pascal(name);
    }
    let (py, js, php, kt, rs) = match ty {
        "str" => ("str", "string", "string", "String", "String"),
        "int" => ("int", "number", "int", "Long", "i64"),
        "count" => ("int", "number", "int", "Long", "u32"),
        "bool" => ("bool", "boolean", "bool", "Boolean", "bool"),
        "raw" => (
            "dict[str, Any]",
            "Record<string, unknown>",
            "array",
            "Map<String, Any?>",
            "RawMap",
        ),
        "duration" => ("float", "number", "int", "Duration", "Duration"),
        "bytes" => ("bytes", "Buffer", "string", "ByteArray", "Vec<u8>"),
        other => (other, other, other, other, other),
    };
    match lang {
        Lang::Python => py,
        Lang::Node => js,
        Lang::Php => php,
        Lang::Jvm => kt,
        Lang::Rust => rs,
    }
    .to_owned()
}

/// `transaction_state` → `TransactionState`.
pub fn pascal(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}
