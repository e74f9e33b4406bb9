//! One description per result type: `describe!` lists each field a binding exposes, computed
//! values included, with its type, its one-line doc and how it is read, once. From it come the
//! type's `FIELDS` (names, in order), its `SCHEMA` (name, type, doc: what
//! [`crate::surface::schema`] publishes and the generated type files are written from) and its
//! `serde::Serialize` (snake_case names, amounts as integers, `state` and pay types as their
//! wire strings, `raw` untouched), which the CLI's `--json` and every binding's results use
//! instead of mirroring the fields by hand.
//!
//! Types are the surface's vocabulary: `str`, `str?` (absent is null), `int` (an amount in
//! minor units), `count` (a whole number 0..2^32), `bool`, `raw` (QFPay's fields as sent), a
//! result type's name, `list<Type>`, `enum:<name>` (one of [`crate::surface::ENUMS`]),
//! `bytes` (a file: base64 text in the JSON form, [`Base64`]; bytes in every language).

/// One field of a result as every binding exposes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The canonical (snake_case) name.
    pub name: &'static str,
    /// The type, in the surface's vocabulary (see the module doc).
    pub ty: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
}

/// A type described by `describe!`: its name and each field serialised on its own, so a binding
/// can keep the value and convert only the fields that are read.
pub trait Described {
    /// The type's name (as in [`crate::surface::schema::RESULTS`]).
    const NAME: &'static str;
    /// Field `index` (in `FIELDS` order) as JSON, the form `Serialize` gives it; `None` past
    /// the last field.
    fn field_json(&self, index: usize) -> Option<serde_json::Result<serde_json::Value>>;
}

/// `describe!(Type "doc" { name: "type" "doc" = |v| expr, ... })`: `Type::FIELDS`,
/// `Type::SCHEMA`, `Type::DOC`, `impl Serialize for Type` (each `expr`, with `v` the value,
/// under its name) and `impl Described for Type`.
macro_rules! describe {
    ($ty:ident $tydoc:literal { $($name:ident : $fty:literal $doc:literal = |$v:ident| $e:expr),+ $(,)? }) => {
        impl $ty {
            /// The result's field names as every binding exposes them (computed values
            /// included), in order.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($name)),+];
            /// Each field's name, type and doc, in order (the surface schema's source).
            pub const SCHEMA: &'static [crate::model::describe::FieldSpec] = &[$(
                crate::model::describe::FieldSpec { name: stringify!($name), ty: $fty, doc: $doc }
            ),+];
            /// One line about the result type.
            pub const DOC: &'static str = $tydoc;
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let mut s = serializer.serialize_struct(stringify!($ty), Self::FIELDS.len())?;
                $(
                    s.serialize_field(stringify!($name), &{
                        let $v = self;
                        $e
                    })?;
                )+
                s.end()
            }
        }

        impl crate::model::describe::Described for $ty {
            const NAME: &'static str = stringify!($ty);

            fn field_json(
                &self,
                index: usize,
            ) -> Option<serde_json::Result<serde_json::Value>> {
                let mut at = 0usize;
                $(
                    if at == index {
                        let $v = self;
                        return Some(serde_json::to_value(&{ $e }));
                    }
                    at += 1;
                )+
                debug_assert_eq!(at, Self::FIELDS.len());
                None
            }
        }
    };
}

pub(crate) use describe;

/// Bytes in a result's JSON form: standard base64 text. Each binding turns a field of type
/// `bytes` back into its language's bytes.
pub struct Base64<'a>(pub &'a [u8]);

impl serde::Serialize for Base64<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use base64::Engine;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::Described;
    use crate::model::query::Transaction;

    /// Each field alone is what the whole serialisation holds under its name, in `FIELDS` order.
    #[test]
    fn each_field_alone_is_the_serialised_field() {
        let raw = serde_json::json!({
            "syssn": "20231201000200020000000001", "out_trade_no": "ORD-1", "order_type": "payment",
            "pay_type": "800201", "txamt": "300", "txcurrcd": "HKD", "respcd": "0000",
            "cancel": "5", "errmsg": "ok"
        });
        let serde_json::Value::Object(raw) = raw else {
            panic!("not an object")
        };
        let t = Transaction::from_raw(raw).unwrap();
        let whole = serde_json::to_value(&t).unwrap();
        for (i, name) in Transaction::FIELDS.iter().enumerate() {
            let alone = t.field_json(i).unwrap().unwrap();
            assert_eq!(Some(&alone), whole.get(name), "{name}");
        }
        assert!(t.field_json(Transaction::FIELDS.len()).is_none());
        assert_eq!(Transaction::NAME, "Transaction");
    }
}
