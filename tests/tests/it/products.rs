//! The report products (`schemas/products/`): every example of the docs reads into its body type,
//! validates on both paths, and writes every member back, amounts byte for byte; the report
//! gives the body its `productName` chooses; the shapes the docs vary (`limit`/`limits`,
//! `accountId`/`accountIds`, `brOKerNoteId`) read alike; a statement's transactions add up to
//! its balance; nothing the server sends fails for a reason the docs do not state.

use klavi_types::Validate;
use klavi_types::diagnostics::validator_for;
use klavi_types::formats::Amount;
use klavi_types::products::{
    BalancesBody, CheckingAccountsBody, CreditCardsBody, CreditDebitType, CreditOperationsBody,
    CreditRiskBody, IdentityBody, InvestmentsBody, SavingsAccountsBody,
};
use klavi_types::registry::{self, MessageInfo};
use klavi_types::reports::{ProductReport, ProductReportBody};
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The product messages, by the module their file is in.
fn product_messages() -> Vec<&'static MessageInfo> {
    registry::standalone()
        .iter()
        .filter(|m| m.id.ends_with(".product"))
        .collect()
}

fn examples(info: &MessageInfo) -> Vec<Value> {
    info.examples()
}

/// The JSON number literals of `text`, in order (outside strings).
fn number_literals(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut in_string = false;
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => in_string = !in_string,
            '\\' if in_string => {
                chars.next();
            }
            '-' | '0'..='9' if !in_string => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                found.push(text[i..end].to_owned());
            }
            _ => {}
        }
    }
    found.sort();
    found
}

/// `value` with every member spelled as the schemas declare it, not as one of its
/// `x-klavi-aliases` (which are read, and written back in the declared spelling).
fn declared_spelling(value: &Value) -> Value {
    const ALIASES: &[(&str, &str)] = &[
        ("limit", "limits"),
        ("brOKerNoteId", "brokerNoteId"),
        ("accountId", "accountIds"),
    ];
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let declared = ALIASES
                        .iter()
                        .find(|(alias, _)| alias == key)
                        .map_or(key.as_str(), |(_, declared)| declared);
                    (declared.to_owned(), declared_spelling(value))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(declared_spelling).collect()),
        other => other.clone(),
    }
}

/// Reads `example` as the body type `T` whose member is `key`, and checks it: valid on both
/// paths, every member of the body written back (none dropped as unknown; aliases in their
/// declared spelling), strings exactly and numbers with their exact digits.
fn reads_back_exactly<T>(info: &MessageInfo, example: &Value, key: &str)
where
    T: DeserializeOwned + Serialize + Validate,
{
    let oracle = validator_for(&serde_json::from_str(info.schema).unwrap()).unwrap();
    assert!(
        oracle.is_valid(example),
        "{}: jsonschema rejects the example",
        info.id
    );
    let bytes = serde_json::to_vec(example).unwrap();
    let body: T = klavi_types::from_json(&bytes)
        .unwrap_or_else(|e| panic!("{}: the example does not read: {e}", info.id));
    assert!((info.check)(&bytes).is_ok(), "{}", info.id);
    let written = serde_json::to_string(&body).unwrap();
    let written_value: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        written_value[key],
        declared_spelling(&example[key]),
        "{}: the body does not write back every member as it came",
        info.id
    );
    let original = serde_json::to_string(&example[key]).unwrap();
    assert_eq!(
        number_literals(&written),
        number_literals(&original),
        "{}: a number lost its digits",
        info.id
    );
}

#[test]
fn every_product_example_reads_validates_and_writes_back_exactly() {
    let mut checked = 0;
    for info in product_messages() {
        let shape = info.type_name.rsplit("::").next().unwrap();
        for example in examples(info) {
            match shape {
                "CheckingAccountsBody" => {
                    reads_back_exactly::<CheckingAccountsBody>(info, &example, "checkingAccounts")
                }
                "SavingsAccountsBody" => {
                    reads_back_exactly::<SavingsAccountsBody>(info, &example, "savingsAccounts")
                }
                "BalancesBody" => reads_back_exactly::<BalancesBody>(info, &example, "accounts"),
                "CreditCardsBody" => {
                    reads_back_exactly::<CreditCardsBody>(info, &example, "creditCards")
                }
                "IdentityBody" => reads_back_exactly::<IdentityBody>(info, &example, "identity"),
                "InvestmentsBody" => {
                    reads_back_exactly::<InvestmentsBody>(info, &example, "investments")
                }
                "CreditOperationsBody" => {
                    reads_back_exactly::<CreditOperationsBody>(info, &example, "creditOperations")
                }
                "CreditRiskBody" => {
                    reads_back_exactly::<CreditRiskBody>(info, &example, "creditRisk")
                }
                other => panic!("{}: no test for the body type {other}", info.id),
            }
            // The envelope of every example reads too, and names the product of the file.
            let report: ProductReport =
                klavi_types::from_json(&serde_json::to_vec(&example).unwrap()).unwrap();
            assert_eq!(
                report.product_name.replace('_', "-") + ".product",
                info.id,
                "the example of {} names another product",
                info.id
            );
            checked += 1;
        }
    }
    assert_eq!(
        product_messages().len(),
        21,
        "the products changed: update this count"
    );
    assert_eq!(
        checked, 24,
        "the product examples changed: update this count"
    );
}

#[test]
fn the_docs_spellings_of_one_member_read_alike() {
    let info = registry::message("pf-credit-card.product").unwrap();
    let plain = &examples(info)[0];
    // `pf_credit_card` names the limit `limit`; the categorized products `limits`.
    let cards: CreditCardsBody =
        klavi_types::from_json(&serde_json::to_vec(plain).unwrap()).unwrap();
    let card = &cards.credit_cards.as_ref().unwrap()[0];
    let limits = card.limits.as_ref().expect("`limit` read into `limits`");
    assert_eq!(
        limits
            .limit_amount
            .as_ref()
            .unwrap()
            .limit_amount_reason
            .as_deref(),
        Some("")
    );

    // `accountId` (investments, Plain CPF loans) and `accountIds` (the rest).
    let singular = &examples(registry::message("pf-loans.product").unwrap())[0];
    let report: ProductReport =
        klavi_types::from_json(&serde_json::to_vec(singular).unwrap()).unwrap();
    let grant = &report.links[0].consents[0].permissions["REGISTRATION_ALL"];
    assert_eq!(
        grant.account_ids.as_deref(),
        Some(&["123456".to_owned()][..])
    );

    // The Common Format page's `institutionId` and `permisionGranted`.
    let mut common_format = singular.clone();
    let link = &mut common_format["links"][0];
    let code = link
        .as_object_mut()
        .unwrap()
        .remove("institutionCode")
        .unwrap();
    link["institutionId"] = code;
    let grant = &mut link["consents"][0]["permissions"]["REGISTRATION_ALL"];
    let granted = grant
        .as_object_mut()
        .unwrap()
        .remove("permissionsGranted")
        .unwrap();
    grant["permisionGranted"] = granted;
    let report: ProductReport =
        klavi_types::from_json(&serde_json::to_vec(&common_format).unwrap()).unwrap();
    assert_eq!(report.links[0].institution_code, "033");
    let grant = &report.links[0].consents[0].permissions["REGISTRATION_ALL"];
    assert_eq!(grant.permissions_granted, Some(true));

    // `brOKerNoteId`, as the docs print it.
    let body =
        br#"{"investments": {"variableIncomes": [{"transactions": [{"brOKerNoteId": "XWYZ5"}]}]}}"#;
    let investments: InvestmentsBody = klavi_types::from_json(body).unwrap();
    let variable = &investments.investments.unwrap().variable_incomes.unwrap()[0];
    let note = variable.transactions.as_ref().unwrap()[0]
        .broker_note_id
        .as_deref();
    assert_eq!(note, Some("XWYZ5"));
}

#[test]
fn a_statement_adds_up_to_its_balance() {
    let info = registry::message("pf-checking-account.product").unwrap();
    let example = serde_json::to_vec(&examples(info)[0]).unwrap();
    let statement: CheckingAccountsBody = klavi_types::from_json(&example).unwrap();
    let account = &statement.checking_accounts.as_ref().unwrap()[0];
    let decimal = |amount: &Amount| amount.to_decimal().unwrap();
    let mut running = Decimal::ZERO;
    let transactions = account.transaction_details.as_ref().unwrap();
    assert_eq!(transactions.len(), 3);
    for transaction in transactions {
        let amount = decimal(&transaction.transaction_amount.as_ref().unwrap().amount);
        match transaction.credit_debit_type.as_ref().unwrap() {
            CreditDebitType::Credito => running += amount,
            CreditDebitType::Debito => running -= amount,
            other => panic!("unexpected {other:?}"),
        }
        let after = decimal(transaction.post_transaction_balance.as_ref().unwrap());
        assert_eq!(
            running, after,
            "the running balance after {:?}",
            transaction.transaction_id
        );
    }
    let available = decimal(&account.balances.available_amount.amount);
    assert_eq!(running, available);
    // Places are kept: the balance has four, the running sum of four-place amounts too.
    assert_eq!(available.to_string(), "2300.0000");
    assert_eq!(running.to_string(), "2300.0000");
}

#[test]
fn what_the_docs_do_not_rule_out_never_fails_a_report() {
    // Open enums keep unknown values; dates and tax ids are kept as sent; amounts may be JSON
    // numbers or strings with any number of places; unknown members are ignored.
    let body = br#"{"checkingAccounts": [{
        "brandName": "b", "bacenName": "b", "compeCode": "001", "companyCnpj": "",
        "number": "1", "checkDigit": "0", "subtype": "CONJUNTA_NOVA", "civilName": "n",
        "type": "CONTA_SALARIO", "somethingNew": {"x": [1, 2]},
        "balances": {"availableAmount": {"amount": 10, "currency": "USD"},
                     "blockedAmount": {"amount": "0.12345678", "currency": "BRL"}},
        "transactionDetails": [{"transactionDate": "07/01/2021", "transactionDateTime": "2021-01-07T10:00:00-03:00",
            "creditDebitType": "ESTORNO", "type": "PIX_AUTOMATICO", "partieCnpjCpf": "12.345.678/0001-00",
            "postTransactionBalance": 100, "fAll": 1}]}]}"#;
    let statement: CheckingAccountsBody = klavi_types::from_json(body).unwrap();
    let account = &statement.checking_accounts.as_ref().unwrap()[0];
    let transaction = &account.transaction_details.as_ref().unwrap()[0];
    assert!(
        transaction
            .transaction_date
            .as_ref()
            .unwrap()
            .to_date()
            .is_err()
    );
    let at = transaction
        .transaction_date_time
        .as_ref()
        .unwrap()
        .to_offset_date_time()
        .unwrap();
    assert_eq!(at.hour(), 10);
    assert_eq!(at.offset().whole_hours(), -3);
    assert!(
        transaction
            .partie_cnpj_cpf
            .as_ref()
            .unwrap()
            .parse()
            .is_err()
    );
    assert_eq!(
        format!("{:?}", transaction.credit_debit_type.as_ref().unwrap()),
        r#"Unknown("ESTORNO")"#
    );
    // What the docs' table does require is required.
    let missing = br#"{"checkingAccounts": [{"number": "1"}]}"#;
    let errors = klavi_types::from_json::<CheckingAccountsBody>(missing).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|v| v.pointer() == "/checkingAccounts/0/balances"
                || v.pointer() == "/checkingAccounts/0/brandName"),
        "{errors:?}"
    );
}

#[test]
fn personal_data_in_bodies_never_shows_in_debug() {
    for info in product_messages() {
        for example in examples(info) {
            let bytes = serde_json::to_vec(&example).unwrap();
            let debug = (info.debug)(&bytes).unwrap();
            for secret in [
                "Mike",
                "John",
                "Marcela",
                "Roberto Marino",
                "94088392",
                "67890854360",
                "44550245",
                "75253468744594820620",
                "15291908",
                "4453",
                "1324926521496",
                "50685362006773",
                "12345678909",
                "TRANSFCWAR5TX",
                "1989-06-23",
            ] {
                assert!(
                    !debug.contains(secret),
                    "{}: Debug shows {secret}: {debug}",
                    info.id
                );
            }
        }
    }
}

/// The variant name of a report's body.
fn body_kind(body: &ProductReportBody) -> &'static str {
    match body {
        ProductReportBody::CheckingAccounts(_) => "CheckingAccountsBody",
        ProductReportBody::SavingsAccounts(_) => "SavingsAccountsBody",
        ProductReportBody::Balances(_) => "BalancesBody",
        ProductReportBody::CreditCards(_) => "CreditCardsBody",
        ProductReportBody::Identity(_) => "IdentityBody",
        ProductReportBody::Investments(_) => "InvestmentsBody",
        ProductReportBody::CreditOperations(_) => "CreditOperationsBody",
        ProductReportBody::CreditRisk(_) => "CreditRiskBody",
        ProductReportBody::Unknown(_) => "Unknown",
        _ => "another",
    }
}

#[test]
fn the_report_gives_the_body_its_product_names() {
    let mut checked = 0;
    for info in product_messages() {
        let shape = info.type_name.rsplit("::").next().unwrap();
        for example in examples(info) {
            let bytes = serde_json::to_vec(&example).unwrap();
            let report: ProductReport =
                klavi_types::from_json(&bytes).unwrap_or_else(|e| panic!("{}: {e}", info.id));
            assert_eq!(body_kind(&report.body), shape, "{}", info.id);
            // The body's members are in `body`, not also in `extra`.
            assert!(
                report.extra.is_empty(),
                "{}: {:?}",
                info.id,
                report.extra.keys()
            );
            // The whole report writes back as it came (aliases in their declared spelling),
            // numbers with their digits.
            let written = serde_json::to_string(&report).unwrap();
            let written_value: Value = serde_json::from_str(&written).unwrap();
            assert_eq!(written_value, declared_spelling(&example), "{}", info.id);
            let original = serde_json::to_string(&example).unwrap();
            assert_eq!(
                number_literals(&written),
                number_literals(&original),
                "{}",
                info.id
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 24);
    assert!(ProductReportBody::KNOWN.contains(&"pj_credit_card"));
    assert!(!ProductReportBody::KNOWN.contains(&"pf_funds"));
}

#[test]
fn an_unknown_product_is_a_valid_envelope_keeping_its_body_exact() {
    // The body member comes before `productName`: the order of members does not matter.
    let report = br#"{"checkingAccounts": {"x": 12345678901234567890.12345678901234567890},
        "code": 200, "message": "OK", "requestId": "r", "productName": "pf_open_data_uber",
        "productVersion": "V3", "productReportId": "p", "productReportTime": "2019-12-23T06:10:43",
        "enquiryCpf": "", "links": [], "rides": [{"fare": 12.5000}]}"#;
    let report: ProductReport = klavi_types::from_json(report).unwrap();
    let ProductReportBody::Unknown(members) = &report.body else {
        panic!("not unknown: {:?}", report.body);
    };
    assert!(report.body.is_unknown());
    assert_eq!(members["rides"].get(), r#"[{"fare": 12.5000}]"#);
    assert_eq!(
        members["checkingAccounts"].get(),
        r#"{"x": 12345678901234567890.12345678901234567890}"#
    );
    let written = serde_json::to_string(&report).unwrap();
    assert!(
        written.contains("12345678901234567890.12345678901234567890"),
        "{written}"
    );
    assert!(written.contains(r#"[{"fare": 12.5000}]"#), "{written}");
    // The diagnostics agree: no body is checked for a product the schema does not list.
    let diagnostics = klavi_types::diagnostics::Diagnostics::new();
    let bytes = serde_json::to_vec(&serde_json::to_value(&report).unwrap()).unwrap();
    assert_eq!(
        diagnostics.check("product-report.webhook", &bytes).unwrap(),
        []
    );
}

#[test]
fn a_broken_body_is_reported_inside_the_body() {
    let info = registry::message("pf-balance.product").unwrap();
    let mut example = examples(info).remove(0);
    example["accounts"][0]["balances"]["availableAmount"]["amount"] = Value::Bool(true);
    example["accounts"][0]
        .as_object_mut()
        .unwrap()
        .remove("civilName");
    let bytes = serde_json::to_vec_pretty(&example).unwrap();
    // The typed path stops at the first; the diagnostics list both, at their pointers.
    let typed = klavi_types::from_json::<ProductReport>(&bytes).unwrap_err();
    let first = typed.as_slice()[0].pointer().to_owned();
    assert!(first.starts_with("/accounts/0/"), "{typed:?}");
    let diagnostics = klavi_types::diagnostics::Diagnostics::new();
    let found = diagnostics.check("product-report.webhook", &bytes).unwrap();
    let pointers: Vec<&str> = found.iter().map(|v| v.pointer()).collect();
    assert!(
        pointers.contains(&"/accounts/0/balances/availableAmount/amount")
            && pointers.contains(&"/accounts/0/civilName"),
        "{found:?}"
    );
    // The CLI locates them in the file, line and column.
    // Cargo's directory for integration tests' files (under `target/`), not the system's.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("klavi-products");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.json");
    std::fs::write(&file, &bytes).unwrap();
    let output = std::process::Command::new(klavi_tests::binary::klavi())
        .args(["validate", "product-report.webhook"])
        .arg(&file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let amount = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pointer"] == "/accounts/0/balances/availableAmount/amount")
        .unwrap_or_else(|| panic!("{report}"));
    let text = String::from_utf8(bytes).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("\"amount\": true"))
        .unwrap()
        + 1;
    assert_eq!(amount["line"], line, "{report}");
    assert!(amount["column"].as_u64().unwrap() > 1, "{report}");
    // No personal value of the report shows.
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(
        !shown.contains("94088392") && !shown.contains("Mike"),
        "{shown}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
