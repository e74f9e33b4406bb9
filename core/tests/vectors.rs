//! Runs the shared vectors that need no server: signing, notifications, validation rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use qfpay::{SignType, notify, sign};
use serde_json::Value;

#[test]
fn signing_vectors() {
    for case in common::cases("signing.json") {
        let name = case["name"].as_str().unwrap();
        let params: Vec<(String, String)> = case["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let st = SignType::parse(case["sign_type"].as_str().unwrap()).unwrap();
        assert_eq!(
            sign::string_to_sign(&params),
            case["string_to_sign"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            sign::sign(&params, case["key"].as_str().unwrap(), st),
            case["signature"].as_str().unwrap(),
            "{name}"
        );
        let masked = sign::debug_string_to_sign(&params);
        assert!(
            !masked.contains(case["key"].as_str().unwrap()),
            "{name}: the key leaked"
        );
    }
}

#[test]
fn notification_vectors() {
    for case in common::cases("notifications.json") {
        let name = case["name"].as_str().unwrap();
        let body = case["body"].as_str().unwrap().as_bytes();
        let result = notify::verify(
            body,
            case["signature"].as_str().unwrap(),
            case["key"].as_str().unwrap(),
        );
        if case["valid"].as_bool().unwrap() {
            let n = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            for (field, want) in case["expect"].as_object().unwrap() {
                let got = match field.as_str() {
                    "notify_type" => Value::from(n.kind.as_str()),
                    "txamt" => Value::from(n.txamt),
                    "pay_type" => Value::from(n.pay_type.code()),
                    "status" => Value::from(n.status.as_str()),
                    "syssn" => Value::from(n.syssn.as_str()),
                    "out_trade_no" => Value::from(n.out_trade_no.as_str()),
                    "txcurrcd" => Value::from(n.txcurrcd.as_str()),
                    "cancel" => Value::from(n.cancel.as_str()),
                    "respcd" => Value::from(n.respcd.as_str()),
                    "goods_name" => Value::from(n.goods_name.as_str()),
                    "mchid" => Value::from(n.mchid.clone().unwrap_or_default()),
                    "orig_syssn" => Value::from(n.orig_syssn.clone().unwrap_or_default()),
                    "orig_out_trade_no" => {
                        Value::from(n.orig_out_trade_no.clone().unwrap_or_default())
                    }
                    other => panic!("{name}: unknown field {other}"),
                };
                assert_eq!(&got, want, "{name}: {field}");
            }
        } else {
            let e = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
            assert_eq!(
                e.code(),
                case["error_code"].as_str().unwrap(),
                "{name}: {e}"
            );
            assert!(
                !e.to_string().contains(case["key"].as_str().unwrap()),
                "{name}: the key leaked"
            );
        }
    }
}

#[test]
fn validation_vectors_offline() {
    for case in common::cases("validation.json") {
        let name = case["name"].as_str().unwrap();
        let result = common::op(case["operation"].as_str().unwrap(), &case["params"])
            .and_then(|op| op.validate());
        if case["valid"].as_bool().unwrap() {
            assert!(result.is_ok(), "{name}: {:?}", result.err());
        } else {
            let e = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
            assert_eq!(e.code(), "validation", "{name}");
            assert_eq!(e.field(), case["field"].as_str(), "{name}: {e}");
        }
    }
}

/// `checkout.json`: links built with the client's `checkout_url` equal the boilerplate's, and
/// links read back verify (or fail, naming the mistake).
#[test]
fn checkout_vectors() {
    use qfpay::surface::{Lang, Request, apply};
    let mut kinds = std::collections::BTreeSet::new();
    for case in common::cases("checkout.json") {
        let name = case["name"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap();
        kinds.insert(kind.to_owned());
        let mut b = qfpay::Client::builder()
            .base_url(case["base_url"].as_str().unwrap())
            .credentials(
                case["app_code"].as_str().unwrap(),
                case["key"].as_str().unwrap(),
            );
        if let Some(st) = case["sign_type"].as_str() {
            b = b.sign_type(SignType::parse(st).unwrap());
        }
        let c = b.build().unwrap();
        match kind {
            "sign" => {
                let op = qfpay::surface::operation("checkout_url").unwrap();
                let Request::Checkout(req) =
                    apply::request(Lang::Rust, op, case["request"].clone().into())
                        .unwrap_or_else(|e| panic!("{name}: {e}"))
                else {
                    panic!("{name}: not a checkout")
                };
                let link = c
                    .checkout_url(req)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(link.url, case["url"].as_str().unwrap(), "{name}");
                let sign = link.params.last().unwrap();
                assert_eq!(sign.1, case["sign"].as_str().unwrap(), "{name}");
                let unsigned = &link.params[..link.params.len() - 1];
                assert_eq!(
                    sign::string_to_sign(unsigned),
                    case["string_to_sign"].as_str().unwrap(),
                    "{name}"
                );
                assert_eq!(c.verify_checkout_url(&link.url).unwrap(), link, "{name}");
            }
            "verify" => {
                let result = c.verify_checkout_url(case["url"].as_str().unwrap());
                if case["valid"].as_bool().unwrap() {
                    result.unwrap_or_else(|e| panic!("{name}: {e}"));
                } else {
                    let e = result.err().unwrap_or_else(|| panic!("{name}: verified"));
                    assert_eq!(e.code(), "signature", "{name}");
                    if let Some(reason) = case["reason"].as_str() {
                        assert!(e.to_string().contains(reason), "{name}: {e}");
                    }
                }
            }
            other => panic!("{name}: unknown kind {other}"),
        }
    }
    assert_eq!(kinds.into_iter().collect::<Vec<_>>(), ["sign", "verify"]);
}
