//! Command-line flags made from the core's surface: every optional field of an operation
//! (`create_payment`, `checkout_url`) is a `--flag` named after it (`goods_name` →
//! `--goods-name`), documented with the surface's one line, and read back into the values the
//! core's one applier takes (`qfpay::surface::apply::request`). A field QFPay adds to the
//! surface is a flag here without a change to the CLI.

use clap::{Arg, ArgAction, ArgMatches, Command};
use qfpay::surface::{Kind, Operation, Value, operation};

/// The flag of a canonical name: `goods_name` → `goods-name`.
fn flag(name: &str) -> String {
    name.replace('_', "-")
}

/// Adds one flag per optional field of `op`.
fn augment(mut cmd: Command, op: &'static Operation) -> Command {
    for o in op.optional() {
        let mut arg = Arg::new(o.name).long(flag(o.name)).help(o.doc);
        arg = match o.kind {
            Kind::Map => arg
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help(format!("{} Repeatable.", o.doc)),
            Kind::Count => arg.value_name("N"),
            Kind::ExtendInfo => arg.value_name("JSON"),
            _ => arg.value_name(o.name.to_ascii_uppercase()),
        };
        cmd = cmd.arg(arg);
    }
    cmd
}

/// The optional fields given, as the applier's values (canonical names).
fn read(m: &ArgMatches, op: &'static Operation) -> Result<Vec<(String, Value)>, String> {
    let mut out = Vec::new();
    for o in op.optional() {
        match o.kind {
            Kind::Map => {
                let Some(items) = m.get_many::<String>(o.name) else {
                    continue;
                };
                let mut map = Vec::new();
                for item in items {
                    let (k, v) = item.split_once('=').ok_or_else(|| {
                        format!("--{} takes NAME=VALUE (got {item:?})", flag(o.name))
                    })?;
                    map.push((k.to_owned(), Value::Text(v.to_owned())));
                }
                out.push((o.name.to_owned(), Value::Map(map)));
            }
            kind => {
                let Some(v) = m.get_one::<String>(o.name) else {
                    continue;
                };
                let value = match kind {
                    Kind::Count | Kind::Amount => {
                        v.parse::<i64>().map(Value::Int).map_err(|_| {
                            format!("--{} must be a whole number (got {v:?})", flag(o.name))
                        })?
                    }
                    _ => Value::Text(v.clone()),
                };
                out.push((o.name.to_owned(), value));
            }
        }
    }
    Ok(out)
}

macro_rules! surface_args {
    ($ty:ident, $op:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Default)]
        pub struct $ty(pub Vec<(String, Value)>);

        impl $ty {
            fn op() -> &'static Operation {
                // The name is the surface's own: a miss is a bug the CLI's tests catch.
                operation($op).unwrap_or(&qfpay::surface::OPERATIONS[0])
            }
        }

        impl clap::FromArgMatches for $ty {
            fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
                read(m, Self::op())
                    .map($ty)
                    .map_err(|e| clap::Error::raw(clap::error::ErrorKind::ValueValidation, e))
            }

            fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
                *self = Self::from_arg_matches(m)?;
                Ok(())
            }
        }

        impl clap::Args for $ty {
            fn augment_args(cmd: Command) -> Command {
                augment(cmd, Self::op())
            }

            fn augment_args_for_update(cmd: Command) -> Command {
                augment(cmd, Self::op())
            }
        }
    };
}

surface_args!(
    PaymentFields,
    "create_payment",
    "Every optional field of a payment, one flag each (from the core's surface)."
);
surface_args!(
    CheckoutFields,
    "checkout_url",
    "Every optional field of a checkout link, one flag each (from the core's surface)."
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use clap::Args;

    #[test]
    fn every_payment_option_is_a_flag() {
        let cmd = PaymentFields::augment_args(Command::new("pay"));
        let op = operation("create_payment").unwrap();
        for o in op.optional() {
            assert!(
                cmd.get_arguments().any(|a| a.get_id() == o.name),
                "{} has no flag",
                o.name
            );
        }
        let m = cmd
            .try_get_matches_from([
                "pay",
                "--goods-name",
                "Coffee",
                "--expired-time",
                "10",
                "--extra-params",
                "a=1",
                "--extra-params",
                "b=x=y",
            ])
            .unwrap();
        let v = read(&m, op).unwrap();
        assert!(v.contains(&("goods_name".into(), Value::Text("Coffee".into()))));
        assert!(v.contains(&("expired_time".into(), Value::Int(10))));
        assert!(v.contains(&(
            "extra_params".into(),
            Value::Map(vec![
                ("a".into(), Value::Text("1".into())),
                ("b".into(), Value::Text("x=y".into()))
            ])
        )));
    }
}
