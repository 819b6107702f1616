//! Every kept copy of the docs, block or page, is watched: a field added to any of them, in the
//! copy's own form (a quoted or plain API block, a rendered list, a four-line or pipe table, a
//! table flattened to prose, a parameter named in prose, a 200 example), is drift naming the
//! field and the endpoint; a removed, retyped or re-required field on a rendered page too. The
//! copies are checked in-process (the library `klavi docs check` calls); `docs.rs` runs the
//! command itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use klavi_cli::docs::{self, Accepted, DriftKind, KeptCopy, Survey};
use klavi_schema::load::{DirSource, Documents, load};

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn documents() -> Documents {
    load(&mut DirSource::new(schemas_dir()), "endpoints.json").expect("the schemas load")
}

/// Every kept copy's text, by file name.
fn kept_texts() -> BTreeMap<String, String> {
    std::fs::read_dir(schemas_dir().join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap())
        .map(|entry| entry.file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".txt"))
        .map(|name| {
            let text = std::fs::read_to_string(schemas_dir().join("docs").join(&name)).unwrap();
            (name, text)
        })
        .collect()
}

fn accepted() -> Vec<Accepted> {
    serde_json::from_str(
        &std::fs::read_to_string(schemas_dir().join("docs/accepted.json")).unwrap(),
    )
    .unwrap()
}

fn survey_of(documents: &Documents, texts: &BTreeMap<String, String>) -> Survey {
    let copies: Vec<KeptCopy> = texts
        .iter()
        .map(|(file, text)| docs::read_copy(file, text).unwrap_or_else(|e| panic!("{file}: {e}")))
        .collect();
    docs::survey(documents, copies, &accepted()).unwrap()
}

/// A quoted block's new item, placed before another.
const QUOTED: &str = r#"{ "name" "newfield", "kind" "optional", "type" "string", "description" "new", "children" \[] }, "#;
/// A plain block's new item.
const PLAIN: &str = "name newfield kind optional type string description new children ";
/// A rendered list's new item.
const LISTED: &str = "newField\noptional\nString\nA new parameter\n";

/// Per kept copy: the text found, what replaces it (the same text with a new field in the
/// copy's own form), and the drift expected (`message`, `field`), or why none is.
struct Row {
    file: &'static str,
    find: &'static str,
    replace: String,
    expected: Result<(&'static str, &'static str), &'static str>,
}

fn row(
    file: &'static str,
    find: &'static str,
    insert_before: &str,
    expected: (&'static str, &'static str),
) -> Row {
    Row {
        file,
        find,
        replace: format!("{insert_before}{find}"),
        expected: Ok(expected),
    }
}

fn rows() -> Vec<Row> {
    vec![
        // API blocks, quoted.
        row("create-consent.block.txt", r#"{ "name" "externaltrackid""#, QUOTED, ("create-consent.request", "newfield")),
        row("create-link.block.txt", r#"{ "name" "connectionkey""#, QUOTED, ("create-link.request", "newfield")),
        row("get-consent-list.block.txt", r#"{ "name" "consentid""#, QUOTED, ("get-consent-list.response", "newfield")),
        row("get-consent.block.txt", r#"{ "name" "consentid""#, QUOTED, ("get-consent.response", "newfield")),
        row("submit-mfa.block.txt", r#"{ "name" "code""#, QUOTED, ("submit-mfa.request", "newfield")),
        Row {
            file: "get-institution-status.block.txt",
            find: r#""response" \[]"#,
            replace: r#""response" \[ { "name" "newfield", "kind" "optional", "type" "string", "description" "new" } ]"#.into(),
            expected: Ok(("get-institution-status.response", "newfield")),
        },
        Row {
            file: "get-institution-list.block.txt",
            find: "",
            replace: String::new(),
            expected: Err("the copy stops before its first list (`\"queryparameter`)"),
        },
        // API blocks, plain.
        row("create-link.block-2.txt", "name email kind", PLAIN, ("create-link.request", "newfield")),
        row("get-consent-list.block-2.txt", "name personaltaxid kind", PLAIN, ("get-consent-list.query", "newfield")),
        row("request-business-user-report.block.txt", "name taxid kind", PLAIN, ("request-business-user-report.request", "newfield")),
        // Rendered pages: the request lists.
        row("create-consent.page.txt", "phone\n", LISTED, ("create-consent.request", "newField")),
        row("create-link.page.txt", "phone\n", LISTED, ("create-link.request", "newField")),
        row("generate-access-token.page.txt", "secretKey\n", LISTED, ("generate-access-token.request", "newField")),
        row("get-consent-list.page.txt", "linkId\n", LISTED, ("get-consent-list.query", "newField")),
        row("request-personal-institution-report.page.txt", "institutionCode\n", LISTED, ("request-personal-institution-report.request", "newField")),
        Row {
            file: "create-link.page-2.txt",
            find: "phone\n",
            replace: format!("{LISTED}phone\n"),
            expected: Err("superseded by create-link.page.txt on its body parameters, the only list it reaches"),
        },
        // Rendered pages: four-line and pipe response tables.
        row("create-consent.page-2.txt", "consentRedirectURL\n", "newField\nString\nNo\nA new field\n", ("create-consent.response", "newField")),
        row("get-institution-list.page.txt", "avatar\n", "newField\n\nString\n\nNo\n\nA new field\n\n", ("get-institution-list.response", "newField")),
        row("create-link.page-3.txt", "linkToken |", "newField | String | No | A new field |\n", ("create-link.response", "newField")),
        row("get-consent.page.txt", "linkId |", "newField | String | No | A new field |\n", ("get-consent.response", "newField")),
        row("get-task-status.page.txt", "message |", "newField | A new field |\n", ("get-task-status.response", "newField")),
        row("get-task-status.page-2.txt", "message |", "newField | A new field |\n", ("get-task-status.response", "newField")),
        // Page text flattened to prose: a table, and parameters named in sentences.
        row("get-consent.page-2.txt", "linkid string yes", "newfield string no a new field ", ("get-consent.response", "newfield")),
        row("request-personal-user-report.page.txt", "linkid if you submit", "newfield if you submit this parameter, the backend uses it ", ("request-personal-user-report.request", "newfield")),
        row("request-personal-institution-report.page-2.txt", "- linkId:", "- newField: If you submit this parameter, the backend uses it.\n", ("request-personal-institution-report.request", "newField")),
        Row {
            file: "get-task-status.page-3.txt",
            find: "",
            replace: String::new(),
            expected: Err("a `name descritption` table flattened to prose: where one row ends and the next begins is lost"),
        },
        // Rendered pages whose response is shown only by its 200 example.
        row("refresh-access-token.page.txt", r#""accessToken": "JhbG"#, r#""newField": 1, "#, ("refresh-access-token.response", "newField")),
        row("revoke-consent.page.txt", r#""message": "ok" }"#, r#""newField": 1, "#, ("revoke-consent.response", "newField")),
        row("revoke-consent.page-2.txt", r#""message": "ok" }"#, r#""newField": 1, "#, ("revoke-consent.response", "newField")),
        row("get-institution-status.page.txt", "3 \"institutionCode\": \"260\",", "3 \"newField\": true,\n", ("get-institution-status.response", "newField")),
    ]
}

#[test]
fn the_kept_copies_are_in_step_and_watch_14_of_15_endpoints() {
    let survey = survey_of(&documents(), &kept_texts());
    assert!(survey.is_in_step(), "{survey:#?}");
    assert_eq!((survey.watched.len(), survey.endpoints()), (14, 15));
    assert_eq!(survey.unwatched.len(), 1);
    assert_eq!(
        survey.unwatched[0].endpoint,
        "request-business-institution-report"
    );
    assert!(
        survey.unwatched[0].reason.starts_with("no kept copy"),
        "{:?}",
        survey.unwatched[0]
    );
}

#[test]
fn a_field_added_to_any_kept_copy_is_drift_naming_it_and_its_endpoint() {
    let documents = documents();
    let texts = kept_texts();
    let rows = rows();
    // Every kept copy has its row, and every row its copy.
    let files: Vec<&str> = texts.keys().map(String::as_str).collect();
    let mut listed: Vec<&str> = rows.iter().map(|r| r.file).collect();
    listed.sort_unstable();
    assert_eq!(
        files, listed,
        "a kept copy without its row, or a row without its copy"
    );
    for row in &rows {
        let mut changed = texts.clone();
        let text = changed.get_mut(row.file).unwrap();
        if !row.find.is_empty() {
            assert!(
                text.contains(row.find),
                "{}: `{}` not found",
                row.file,
                row.find
            );
            *text = text.replacen(row.find, &row.replace, 1);
        }
        let survey = survey_of(&documents, &changed);
        let copy = survey.copies.iter().find(|c| c.file == row.file).unwrap();
        // No other copy drifts.
        for other in survey.copies.iter().filter(|c| c.file != row.file) {
            assert!(other.drift.is_empty(), "{}: {:?}", other.file, other.drift);
        }
        match row.expected {
            Ok((message, field)) => {
                let endpoint = message.split('.').next().unwrap();
                assert_eq!(copy.endpoint, endpoint, "{}", row.file);
                assert_eq!(copy.drift.len(), 1, "{}: {:?}", row.file, copy.drift);
                let drift = &copy.drift[0];
                assert_eq!(
                    (drift.message.as_str(), drift.field.as_str(), &drift.kind),
                    (message, field, &DriftKind::Added),
                    "{}",
                    row.file
                );
                assert!(drift.detail.contains(field), "{}", drift.detail);
                assert!(!survey.is_in_step());
            }
            Err(why) => {
                assert!(
                    copy.drift.is_empty(),
                    "{} ({why}): {:?}",
                    row.file,
                    copy.drift
                );
                assert!(survey.is_in_step(), "{} ({why})", row.file);
            }
        }
    }
}

/// One change to one kept copy: the drift it must give.
fn drift_of(file: &str, find: &str, replace: &str) -> Vec<(String, String, DriftKind)> {
    let mut texts = kept_texts();
    let text = texts.get_mut(file).unwrap();
    assert!(text.contains(find), "{file}: `{find}` not found");
    *text = text.replacen(find, replace, 1);
    let survey = survey_of(&documents(), &texts);
    survey
        .copies
        .into_iter()
        .flat_map(|c| c.drift)
        .map(|d| (d.message, d.field, d.kind))
        .collect()
}

#[test]
fn removed_retyped_and_re_required_fields_on_rendered_pages() {
    let drift =
        |message: &str, field: &str, kind| vec![(message.to_owned(), field.to_owned(), kind)];
    // Removed from a list the page gives whole.
    assert_eq!(
        drift_of(
            "generate-access-token.page.txt",
            "secretKey\nrequired\nString\nApp secret key\n",
            ""
        ),
        drift(
            "generate-access-token.request",
            "secretKey",
            DriftKind::Removed
        )
    );
    // Removed from a pipe table, and from a table flattened to prose.
    assert_eq!(
        drift_of(
            "get-consent.page.txt",
            "linkId | String | Yes | Unique Link |\n",
            ""
        ),
        drift("get-consent.response", "linkId", DriftKind::Removed)
    );
    assert_eq!(
        drift_of(
            "get-consent.page-2.txt",
            "linkid string yes unique link ",
            ""
        ),
        drift("get-consent.response", "linkId", DriftKind::Removed)
    );
    // A query parameter removed from, and one retyped in, a rendered list.
    assert_eq!(
        drift_of(
            "get-consent-list.page.txt",
            "linkId\noptional\nString\nlink identify, it returned by the /links\n",
            ""
        ),
        drift("get-consent-list.query", "linkId", DriftKind::Removed)
    );
    assert_eq!(
        drift_of(
            "get-consent-list.page.txt",
            "businessTaxId\noptional\nString",
            "businessTaxId\noptional\nArray"
        ),
        drift(
            "get-consent-list.query",
            "businessTaxId",
            DriftKind::Retyped
        )
    );
    // Retyped in a pipe table and in a rendered list.
    assert_eq!(
        drift_of(
            "get-consent.page.txt",
            "expireAt | String |",
            "expireAt | Boolean |"
        ),
        drift("get-consent.response", "expireAt", DriftKind::Retyped)
    );
    assert_eq!(
        drift_of(
            "create-consent.page.txt",
            "validityPeriod\nNumber\nrequired",
            "validityPeriod\nString\nrequired"
        ),
        drift(
            "create-consent.request",
            "validityPeriod",
            DriftKind::Retyped
        )
    );
    // Retyped in a 200 example.
    assert_eq!(
        drift_of(
            "revoke-consent.page.txt",
            r#"{ "message": "ok" }"#,
            r#"{ "message": 1 }"#
        ),
        drift("revoke-consent.response", "message", DriftKind::Retyped)
    );
    // Required-ness changed in a four-line table.
    assert_eq!(
        drift_of(
            "get-institution-list.page.txt",
            "isBeta\n\nBoolean\n\nYes",
            "isBeta\n\nBoolean\n\nNo"
        ),
        drift(
            "get-institution-list.response",
            "isBeta",
            DriftKind::Required
        )
    );
    // A list the copy stops in reports no removal, even of a field it no longer names.
    assert_eq!(
        drift_of(
            "create-consent.page.txt",
            "consentId | String | Yes | Consent identify maxLength: 36 |\n",
            ""
        ),
        vec![]
    );
}

#[test]
fn a_page_calling_another_path_or_method_is_endpoint_drift() {
    let found = drift_of(
        "refresh-access-token.page.txt",
        "GET\nRequest",
        "POST\nRequest",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].2.clone()),
        ("refresh-access-token", DriftKind::Endpoint)
    );
    let found = drift_of(
        "get-task-status.page.txt",
        "/data/v1/tasks/{taskId}/status'",
        "/data/v2/tasks/{taskId}/status'",
    );
    assert_eq!(
        found,
        vec![(
            "get-task-status".to_owned(),
            "GET /data/v2/tasks/{taskid}/status".to_owned(),
            DriftKind::Endpoint
        )]
    );
}

#[test]
fn a_superseded_copy_speaks_only_where_the_newer_one_does_not() {
    let survey = survey_of(&documents(), &kept_texts());
    let older = survey
        .copies
        .iter()
        .find(|c| c.file == "create-consent.page-2.txt")
        .unwrap();
    let (newer, set_aside) = older.superseded.as_ref().unwrap();
    assert_eq!(newer, "create-consent.page.txt");
    assert!(set_aside.contains(&docs::Location::Body));
    // Its response table, which the newer copy does not reach whole, is still compared.
    assert_eq!(
        drift_of(
            "create-consent.page-2.txt",
            "consentId\n\nString",
            "consentId\n\nBoolean"
        ),
        vec![(
            "create-consent.response".to_owned(),
            "consentId".to_owned(),
            DriftKind::Retyped
        )]
    );
    // Without its header, the older copy's body list (no `validityPeriod`) is drift.
    let found = drift_of(
        "create-consent.page-2.txt",
        "# superseded-by: create-consent.page.txt\n",
        "",
    );
    assert_eq!(
        found,
        vec![(
            "create-consent.request".to_owned(),
            "validityPeriod".to_owned(),
            DriftKind::Removed
        )]
    );
}
