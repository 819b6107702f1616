//! `klavi docs check` and `klavi docs import`: drift between the kept API blocks and the schemas
//! is reported (a field added, removed, retyped, or whose required-ness changed); importing
//! merges without dropping hand-written rules.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn schemas_copy(name: &str) -> PathBuf {
    // Cargo's directory for integration tests' files (under `target/`), not the system's.
    let to = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("klavi-docs-{name}"));
    let _ = std::fs::remove_dir_all(&to);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas"),
        &to,
    );
    to
}

fn klavi(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("klavi")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_repository_is_in_step_with_its_kept_blocks() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let (status, stdout, stderr) =
        klavi(&["docs", "check", "--schemas", schemas.to_str().unwrap()]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("in step: create-link.block.txt"),
        "{stdout}"
    );
    assert!(
        stdout.contains("in step: get-consent-list.block.txt"),
        "{stdout}"
    );
    // Pages too, and the endpoint no copy watches is said.
    assert!(
        stdout.contains(
            "in step: generate-access-token.page.txt (generate-access-token: 4 field(s))\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("watching 14 of 15 endpoints\nnot watched: request-business-institution-report: no kept copy of its page (paste the page's text into docs/request-business-institution-report.page.txt)\n"),
        "{stdout}"
    );
}

#[test]
fn every_kind_of_drift_is_reported() {
    let schemas = schemas_copy("drift");
    let block_path = schemas.join("docs/create-link.block.txt");
    let block = std::fs::read_to_string(&block_path).unwrap();
    let changed = block
        // Added: a field the schema does not declare.
        .replacen(
            r#"{ "name" "connectionkey""#,
            r#"{ "name" "newtoggle", "kind" "optional", "type" "boolean", "description" "new", "children" \[] }, { "name" "connectionkey""#,
            1,
        )
        // Renamed: `phone` disappears (removed) and `mobile` appears (added).
        .replacen(r#""name" "phone""#, r#""name" "mobile""#, 1)
        // Retyped: `email` as a number.
        .replacen(r#""name" "email", "kind" "optional", "type" "string""#, r#""name" "email", "kind" "optional", "type" "number""#, 1)
        // Required-ness: `institutioncode` required.
        .replacen(r#""name" "institutioncode", "kind" "optional""#, r#""name" "institutioncode", "kind" "required""#, 1);
    assert_ne!(changed, block);
    std::fs::write(&block_path, changed).unwrap();
    let (status, stdout, _) = klavi(&["docs", "check", "--schemas", schemas.to_str().unwrap()]);
    assert_eq!(status, 1, "{stdout}");
    for expected in [
        "create-link.request newtoggle [added]",
        "create-link.request mobile [added]",
        "create-link.request phone [removed]",
        "create-link.request email [retyped]: the docs say number, the schema says string",
        "create-link.request institutionCode [required]: the docs say required, the schema says optional",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in\n{stdout}"
        );
    }
    assert!(
        stdout.contains("in step: get-consent-list.block.txt"),
        "{stdout}"
    );
}

#[test]
fn a_stale_accepted_difference_is_reported() {
    let schemas = schemas_copy("stale");
    let accepted = schemas.join("docs/accepted.json");
    let text = std::fs::read_to_string(&accepted).unwrap().replacen(
        "[",
        r#"[{"message": "create-link.request", "field": "email", "kind": "retyped", "reason": "old"},"#,
        1,
    );
    std::fs::write(&accepted, text).unwrap();
    let (status, stdout, _) = klavi(&["docs", "check", "--schemas", schemas.to_str().unwrap()]);
    assert_eq!(status, 1);
    assert!(
        stdout.contains("stale: docs/accepted.json accepts `create-link.request email [retyped]`"),
        "{stdout}"
    );
}

#[test]
fn import_merges_without_dropping_hand_written_rules() {
    let schemas = schemas_copy("import");
    let block_path = schemas.join("docs/create-link.block.txt");
    let block = std::fs::read_to_string(&block_path).unwrap().replacen(
        r#"{ "name" "connectionkey""#,
        r#"{ "name" "newtoggle", "kind" "required", "type" "boolean", "description" "new flag", "children" \[] }, { "name" "connectionkey""#,
        1,
    );
    std::fs::write(&block_path, block).unwrap();
    let (status, stdout, stderr) = klavi(&[
        "docs",
        "import",
        block_path.to_str().unwrap(),
        "--schemas",
        schemas.to_str().unwrap(),
        "--write",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.contains("wrote "), "{stdout}");
    assert!(
        stderr.contains("undecided: request: `newtoggle`"),
        "{stderr}"
    );
    let merged: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(schemas.join("links/create-link.request.json")).unwrap(),
    )
    .unwrap();
    // The hand-written rules survive, with the wire casing.
    assert_eq!(
        merged["dependentRequired"]["appLink"][0],
        "appRedirectURLKey"
    );
    assert_eq!(
        merged["properties"]["personalTaxId"]["$ref"],
        "../common.json#/$defs/Cpf"
    );
    assert_eq!(merged["additionalProperties"], false);
    assert!(merged["examples"].as_array().unwrap().len() >= 3);
    // The new field is added, and required as the block says.
    assert_eq!(merged["properties"]["newtoggle"]["type"], "boolean");
    assert_eq!(merged["required"], serde_json::json!(["newtoggle"]));
    // And the check now sees the schema in step with that block; the rendered page, which
    // does not document the field, now reports it: each kept copy of a page is updated.
    let (status, stdout, _) = klavi(&["docs", "check", "--schemas", schemas.to_str().unwrap()]);
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("in step: create-link.block.txt ("),
        "{stdout}"
    );
    assert!(!stdout.contains("newtoggle [added]"), "{stdout}");
    assert!(
        stdout.contains("drift: create-link.page.txt (")
            && stdout.contains("  create-link.request newtoggle [removed]"),
        "{stdout}"
    );
}

#[test]
fn a_cut_off_copy_is_compared_as_far_as_it_goes() {
    let schemas = schemas_copy("cut");
    let (status, stdout, stderr) =
        klavi(&["docs", "check", "--schemas", schemas.to_str().unwrap()]);
    assert_eq!(status, 0, "{stdout}{stderr}");
    // Create a Consent stops inside `institutionCode`: the members after it (`redirectURL`,
    // `validityPeriod`, …) are not reported removed, and the cut field is not compared.
    assert!(
        stdout.contains("in step: create-consent.block.txt (create-consent: 4 field(s); 1 accepted difference(s); the copy ends in the body parameters, at `institutioncode`, and nothing past it is compared)"),
        "{stdout}"
    );
    // The plain copy (no punctuation at all) is read too.
    assert!(
        stdout.contains("in step: request-business-user-report.block.txt (request-business-user-report: 5 field(s); the copy ends in the body parameters, at `productscallbackurl`"),
        "{stdout}"
    );
    // What the copy does list is still compared: a field renamed before the cut is drift.
    let block_path = schemas.join("docs/create-consent.block.txt");
    let block = std::fs::read_to_string(&block_path).unwrap();
    let renamed = block.replacen(r#""name" "externaltrackid""#, r#""name" "trackingid""#, 1);
    assert_ne!(renamed, block);
    std::fs::write(&block_path, renamed).unwrap();
    let (status, stdout, _) = klavi(&["docs", "check", "--schemas", schemas.to_str().unwrap()]);
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("create-consent.request trackingid [added]"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("[removed]"),
        "a list the copy cuts off reports no removal: {stdout}"
    );
    assert!(
        stdout.contains("drift: create-consent.block.txt (create-consent: 4 field(s); 1 accepted difference(s); the copy ends in the body parameters, at `institutioncode`, and nothing past it is compared)"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&schemas);
}

#[test]
fn an_example_calling_another_path_is_reported_until_accepted() {
    let schemas = schemas_copy("example");
    let accepted_path = schemas.join("docs/accepted.json");
    let accepted: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&accepted_path).unwrap()).unwrap();
    let kept: Vec<&serde_json::Value> = accepted
        .iter()
        .filter(|entry| entry["kind"] != "example")
        .collect();
    std::fs::write(&accepted_path, serde_json::to_string(&kept).unwrap()).unwrap();
    let (status, stdout, _) = klavi(&["docs", "check", "--schemas", schemas.to_str().unwrap()]);
    assert_eq!(status, 1, "{stdout}");
    assert!(
        stdout.contains("submit-mfa /data/v1/tasks/{taskid}/mfa/{taskid} [example]: a curl example calls `/data/v1/tasks/{taskid}/mfa/{taskid}`; the block's url is `/data/v1/tasks/{taskid}/mfa`"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&schemas);
}

/// A new body parameter, as the rendered Create a Consent page would list it.
const NEW_PARAMETER: &str =
    "consentPurpose\noptional\nBoolean\nWhether the consent is for a purpose\n";

#[test]
fn a_page_outside_the_kept_copies_is_imported_for_the_endpoint_named() {
    let schemas = schemas_copy("outside");
    let pasted = schemas.join("pasted-page.txt");
    let text = std::fs::read_to_string(schemas.join("docs/create-consent.page.txt")).unwrap();
    std::fs::write(
        &pasted,
        text.replacen("phone\n", &format!("{NEW_PARAMETER}phone\n"), 1),
    )
    .unwrap();
    let dir = schemas.to_str().unwrap();
    // The page shows its method but no path: which endpoint must be said.
    let (status, _, stderr) =
        klavi(&["docs", "import", pasted.to_str().unwrap(), "--schemas", dir]);
    assert_eq!(status, 2);
    assert!(stderr.contains("--endpoint ID"), "{stderr}");
    let (status, stdout, stderr) = klavi(&[
        "docs",
        "import",
        pasted.to_str().unwrap(),
        "--endpoint",
        "create-consent",
        "--schemas",
        dir,
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("// POST /data/v1/consents request\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\"consentPurpose\": {"), "{stdout}");
    let (status, _, stderr) = klavi(&[
        "docs",
        "import",
        pasted.to_str().unwrap(),
        "--endpoint",
        "no-such-endpoint",
        "--schemas",
        dir,
    ]);
    assert_eq!(status, 2);
    assert!(
        stderr.contains("no endpoint `no-such-endpoint`"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&schemas);
}

#[test]
fn a_misnamed_copy_or_a_missing_newer_copy_is_an_error() {
    let schemas = schemas_copy("misnamed");
    let dir = schemas.to_str().unwrap();
    for (file, text, expected) in [
        (
            "create-consent-new.txt",
            "POST\n",
            "docs/create-consent-new.txt: not a kept copy's name",
        ),
        (
            "create-consent.page-9.txt",
            "# superseded-by: create-consent.page-8.txt\nPOST\n",
            "create-consent.page-9.txt: superseded by `create-consent.page-8.txt`, which is not kept",
        ),
        (
            "create-consent.page-9.txt",
            "# superseded-by: get-consent.page.txt\nPOST\n",
            "create-consent.page-9.txt: superseded by `get-consent.page.txt`, a copy of another endpoint",
        ),
        (
            "create-consent.page-9.txt",
            "# superseeded-by: create-consent.page.txt\nPOST\n",
            "unknown header `# superseeded-by:`",
        ),
        (
            "create-a-consent.page.txt",
            "POST\n",
            "create-a-consent.page.txt: no endpoint `create-a-consent` in the index",
        ),
    ] {
        let path = schemas.join("docs").join(file);
        std::fs::write(&path, text).unwrap();
        let (status, stdout, stderr) = klavi(&["docs", "check", "--schemas", dir]);
        assert_eq!((status, stdout.as_str()), (2, ""), "{file}");
        assert!(stderr.contains(expected), "{file}: {stderr}");
        std::fs::remove_file(&path).unwrap();
    }
    let _ = std::fs::remove_dir_all(&schemas);
}

/// The README's walk-through ("A real change, end to end"), step by step: `validityPeriod`
/// taken out of the Create a Consent request as it was before Klavi added it, then followed
/// back from the kept page.
#[test]
fn the_readmes_real_change_replays_as_it_says() {
    let schemas = schemas_copy("replay");
    let dir = schemas.to_str().unwrap();
    let request = schemas.join("consents/create-consent.request.json");
    let original = std::fs::read_to_string(&request).unwrap();
    let mut before: serde_json::Value = serde_json::from_str(&original).unwrap();
    before["properties"]
        .as_object_mut()
        .unwrap()
        .remove("validityPeriod")
        .unwrap();
    before["required"]
        .as_array_mut()
        .unwrap()
        .retain(|name| name != "validityPeriod");
    for example in before["examples"].as_array_mut().unwrap() {
        example
            .as_object_mut()
            .unwrap()
            .remove("validityPeriod")
            .unwrap();
    }
    std::fs::write(&request, serde_json::to_string_pretty(&before).unwrap()).unwrap();
    // 2. Check.
    let (status, stdout, _) = klavi(&["docs", "check", "--schemas", dir]);
    assert_eq!(status, 1, "{stdout}");
    let drift: Vec<&str> = stdout
        .lines()
        .filter(|line| !line.starts_with("in step: "))
        .collect();
    assert_eq!(
        drift,
        [
            "drift: create-consent.page.txt (create-consent: 11 field(s); 1 accepted difference(s); the copy ends in the response fields, at `consentRedirectURL`, and nothing past it is compared)",
            "  create-consent.request validityPeriod [added]: the docs document `validityPeriod` (number); the schema does not declare it",
            "watching 14 of 15 endpoints",
            "not watched: request-business-institution-report: no kept copy of its page (paste the page's text into docs/request-business-institution-report.page.txt)",
        ]
    );
    // 3. Import.
    let page = schemas.join("docs/create-consent.page.txt");
    let (status, stdout, stderr) = klavi(&[
        "docs",
        "import",
        page.to_str().unwrap(),
        "--schemas",
        dir,
        "--write",
    ]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        format!(
            "wrote {}\nunchanged {}\n",
            request.display(),
            schemas
                .join("consents/create-consent.response.json")
                .display()
        )
    );
    let drafted: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&request).unwrap()).unwrap();
    let skeleton = &drafted["properties"]["validityPeriod"];
    assert_eq!(skeleton["type"], "integer");
    assert!(
        skeleton["description"]
            .as_str()
            .unwrap()
            .starts_with("The expiration month of the consent.")
    );
    assert!(
        skeleton["description"]
            .as_str()
            .unwrap()
            .contains("Enum: [0, 12] The end-user completes authorization"),
        "the description runs on into the page's redirect notes, as the README says"
    );
    // Required as the page says; the hand-written rules stay; and the page marks
    // `personalTaxId` required, which `accepted.json` says why the schema does not (one of two
    // tax ids): the import keeps the schema's choice.
    let required = drafted["required"].as_array().unwrap();
    assert!(required.contains(&"validityPeriod".into()));
    assert!(!required.contains(&"personalTaxId".into()), "{required:?}");
    assert_eq!(drafted["additionalProperties"], false);
    assert_eq!(drafted["anyOf"], before["anyOf"]);
    // 4. The reviewer writes the rule: the schema is back as it is, and in step.
    std::fs::write(&request, &original).unwrap();
    let (status, stdout, _) = klavi(&["docs", "check", "--schemas", dir]);
    assert_eq!(status, 0, "{stdout}");
    let _ = std::fs::remove_dir_all(&schemas);
}
