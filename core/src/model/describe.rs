//! One description per result type: `describe!` lists each field a binding exposes, computed
//! values included, with how it is read, once. From it come the type's `FIELDS` (checked
//! against `tests/surface.json`) and its `serde::Serialize` (snake_case names, amounts as
//! integers, `state` and pay types as their wire strings, `raw` untouched), which the CLI's
//! `--json` and the bindings' conversions use instead of mirroring the fields by hand.

/// `describe!(Type { name: |v| expr, ... })`: `Type::FIELDS` (the names, in order) and
/// `impl Serialize for Type` (each `expr`, with `v` the value, under its name).
macro_rules! describe {
    ($ty:ident { $($name:ident : |$v:ident| $e:expr),+ $(,)? }) => {
        impl $ty {
            /// The result's field names as every binding exposes them (computed values
            /// included), in order; checked against `tests/surface.json` and the struct.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($name)),+];
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
    };
}

pub(crate) use describe;
