//! Generators of Create a Link request payloads: each member is absent, valid, or one of the
//! near misses a client really sends (a wrong check digit, a partial mask, `all` beside another
//! key, a missing `appRedirectURLKey`, a misspelled name, a wrong JSON type, `null`, an empty
//! string). About a third of the generated payloads are valid (the test reports the share).

use proptest::prelude::*;

use crate::schema_gen::regex;
use serde_json::{Map, Value, json};

use klavi_types::tax_id::{Cnpj, Cpf};

/// A valid CPF built from nine random digits (bare or masked).
pub fn valid_cpf() -> impl Strategy<Value = String> {
    (proptest::array::uniform9(0u8..10), any::<bool>()).prop_filter_map(
        "reserved CPF",
        |(digits, masked)| {
            let base = digits.map(|d| b'0' + d);
            let cpf = Cpf::from_base(&base)?;
            Some(if masked {
                cpf.to_formatted_string()
            } else {
                cpf.as_str().to_owned()
            })
        },
    )
}

/// A valid CNPJ, numeric or alphanumeric, bare or masked.
pub fn valid_cnpj() -> impl Strategy<Value = String> {
    let character = prop_oneof![
        3 => b'0'..=b'9',
        1 => b'A'..=b'Z',
    ];
    (proptest::array::uniform12(character), any::<bool>()).prop_filter_map(
        "reserved CNPJ",
        |(base, masked)| {
            let cnpj = Cnpj::from_base(&base)?;
            Some(if masked {
                cnpj.to_formatted_string()
            } else {
                cnpj.as_str().to_owned()
            })
        },
    )
}

/// A string that is almost a tax id: one character changed, a digit dropped, lower case, a
/// partial mask, whitespace, or all-equal digits.
pub fn near_miss_tax_id(valid: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (valid, 0usize..7, any::<prop::sample::Index>()).prop_map(|(text, kind, index)| {
        let mut bytes = text.into_bytes();
        let i = index.index(bytes.len());
        match kind {
            0 => {
                // Change one alphanumeric character to another digit.
                let positions: Vec<usize> = (0..bytes.len())
                    .filter(|&p| bytes[p].is_ascii_alphanumeric())
                    .collect();
                let p = positions[index.index(positions.len())];
                bytes[p] = if bytes[p] == b'9' {
                    b'0'
                } else if bytes[p].is_ascii_digit() {
                    bytes[p] + 1
                } else {
                    b'1'
                };
            }
            1 => {
                bytes.remove(i);
            }
            2 => bytes.make_ascii_lowercase(),
            3 => {
                // A partial mask: drop one separator if any, else insert one.
                match bytes.iter().position(|b| matches!(b, b'.' | b'/' | b'-')) {
                    Some(p) => {
                        bytes.remove(p);
                    }
                    None => bytes.insert(i, b'.'),
                }
            }
            4 => bytes.insert(0, b' '),
            5 => bytes = b"11111111111".to_vec(),
            _ => bytes.push(b'0'),
        }
        String::from_utf8(bytes).unwrap_or_default()
    })
}

/// What a generated member looks like.
#[derive(Clone, Debug)]
pub enum Member {
    /// Left out.
    Absent,
    /// Present with this value.
    Present(Value),
}

fn member(valid: BoxedStrategy<Value>, invalid: BoxedStrategy<Value>) -> BoxedStrategy<Member> {
    prop_oneof![
        4 => Just(Member::Absent),
        6 => valid.prop_map(Member::Present),
        1 => invalid.prop_map(Member::Present),
    ]
    .boxed()
}

fn wrong_type() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(12345678909u64)),
        Just(json!(true)),
        Just(json!(["x"])),
        Just(json!({"x": 1})),
    ]
    .boxed()
}

fn http_url() -> BoxedStrategy<Value> {
    prop_oneof![
        Just("https://www.yourdomain.com/yourpath"),
        Just("http://localhost:8080/klavi?x=1"),
        Just("https://example.com"),
        Just("https://a.b/c#d"),
    ]
    .prop_map(Value::from)
    .boxed()
}

fn bad_http_url() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!("ftp://example.com/x")),
        Just(json!("https://")),
        Just(json!("www.example.com")),
        Just(json!("https://exa mple.com")),
        Just(json!("HTTPS://example.com")),
        Just(json!("")),
        wrong_type(),
    ]
    .boxed()
}

fn products_callback_url() -> BoxedStrategy<Value> {
    let key = prop_oneof![
        Just("pf_checking_account".to_owned()),
        Just("pf_credit_card".to_owned()),
        Just("pf_categorized_checking_l3".to_owned()),
        Just("other".to_owned()),
        regex("[a-z][a-z0-9]{0,6}(_[a-z0-9]{1,4}){0,2}").prop_filter("reserved", |k| k != "all"),
    ];
    prop_oneof![
        http_url().prop_map(|url| json!({"all": url})),
        proptest::collection::btree_map(key, http_url(), 0..4)
            .prop_map(|map| Value::Object(map.into_iter().collect())),
    ]
    .boxed()
}

fn bad_products_callback_url() -> BoxedStrategy<Value> {
    prop_oneof![
        (http_url(), http_url()).prop_map(|(a, b)| json!({"all": a, "pf_credit_card": b})),
        (http_url(), http_url()).prop_map(|(a, b)| json!({"all": a, "other": b})),
        http_url().prop_map(|url| json!({"PF-Checking": url})),
        bad_http_url().prop_map(|url| json!({"pf_checking_account": url})),
        bad_http_url().prop_map(|url| json!({"all": url})),
        wrong_type(),
    ]
    .boxed()
}

fn external_info() -> BoxedStrategy<Value> {
    let customization = (
        proptest::option::of(proptest::collection::vec("[0-9]{3}", 0..3)),
        proptest::option::of("[a-z !]{0,10}"),
    )
        .prop_map(|(institutions, title)| {
            let mut map = Map::new();
            if let Some(list) = institutions {
                map.insert("institutions".into(), json!(list));
            }
            if let Some(title) = title {
                map.insert("landingTitle".into(), json!(title));
            }
            Value::Object(map)
        });
    (
        proptest::collection::btree_map("[a-zA-Z]{1,8}", "[a-z0-9-]{0,8}", 0..3),
        proptest::option::of(customization),
    )
        .prop_map(|(extra, customization)| {
            let mut map: Map<String, Value> = extra
                .into_iter()
                .map(|(k, v)| (k, Value::from(v)))
                .collect();
            map.remove("customization");
            if let Some(c) = customization {
                map.insert("customization".into(), c);
            }
            Value::Object(map)
        })
        .boxed()
}

fn bad_external_info() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!({"customization": {"institutions": "001"}})),
        Just(json!({"customization": {"landingTitle": 7}})),
        Just(json!({"customization": []})),
        wrong_type(),
    ]
    .boxed()
}

fn non_empty() -> BoxedStrategy<Value> {
    regex("[A-Za-z0-9_-]{1,12}").prop_map(Value::from).boxed()
}

fn bad_non_empty() -> BoxedStrategy<Value> {
    prop_oneof![Just(json!("")), wrong_type()].boxed()
}

fn email() -> BoxedStrategy<Value> {
    prop_oneof![
        Just("maria.silva@example.com"),
        Just("a@b.co"),
        Just("first+tag@sub.example.com.br"),
        Just("x_y@[192.0.2.1]"),
    ]
    .prop_map(Value::from)
    .boxed()
}

fn bad_email() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!("not-an-email")),
        Just(json!("a@")),
        Just(json!("@example.com")),
        Just(json!("a b@example.com")),
        Just(json!("a@-example.com")),
        Just(json!("")),
        wrong_type(),
    ]
    .boxed()
}

fn uri() -> BoxedStrategy<Value> {
    prop_oneof![
        Just("myapp://klavi/callback"),
        Just("https://example.com/app"),
        Just("br.com.bank:/oauth"),
    ]
    .prop_map(Value::from)
    .boxed()
}

fn bad_uri() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(json!("/relative/path")),
        Just(json!("my app://x")),
        Just(json!("")),
        wrong_type(),
    ]
    .boxed()
}

/// A Create a Link request body: valid or a near miss.
pub fn create_link_request() -> impl Strategy<Value = Value> {
    let tax_ids = (
        member(
            valid_cpf().prop_map(Value::from).boxed(),
            prop_oneof![
                near_miss_tax_id(valid_cpf()).prop_map(Value::from),
                wrong_type()
            ]
            .boxed(),
        ),
        member(
            valid_cnpj().prop_map(Value::from).boxed(),
            prop_oneof![
                near_miss_tax_id(valid_cnpj()).prop_map(Value::from),
                wrong_type()
            ]
            .boxed(),
        ),
    );
    let contact = (
        member(email(), bad_email()),
        member(
            regex("[+0-9 ()-]{0,16}").prop_map(Value::from).boxed(),
            wrong_type(),
        ),
        member(non_empty(), bad_non_empty()),
    );
    let urls = (
        member(http_url(), bad_http_url()),
        member(products_callback_url(), bad_products_callback_url()),
        member(external_info(), bad_external_info()),
    );
    let app = (
        member(non_empty(), bad_non_empty()),
        member(uri(), bad_uri()),
        member(non_empty(), bad_non_empty()),
        prop_oneof![
            12 => Just(None),
            1 => Just(Some("redirectUrl")),
            1 => Just(Some("appRedirectUrlKey")),
            1 => Just(Some("personalTaxID")),
        ],
    );
    (tax_ids, contact, urls, app).prop_map(
        |(
            (personal, business),
            (email, phone, institution),
            (redirect, callbacks, external),
            (connection, app_link, app_key, unknown),
        )| {
            let mut map = Map::new();
            let members = [
                ("personalTaxId", personal),
                ("businessTaxId", business),
                ("email", email),
                ("phone", phone),
                ("institutionCode", institution),
                ("redirectURL", redirect),
                ("productsCallbackURL", callbacks),
                ("externalInfo", external),
                ("connectionKey", connection),
                ("appLink", app_link),
                ("appRedirectURLKey", app_key),
            ];
            for (name, member) in members {
                if let Member::Present(value) = member {
                    map.insert(name.to_owned(), value);
                }
            }
            if let Some(name) = unknown {
                map.insert(name.to_owned(), json!("x"));
            }
            Value::Object(map)
        },
    )
}
