//! The workspace's crates move in lockstep: generated code calls `klavi_types::__private`, so
//! `klavi-types` pins `klavi-derive` and `klavi-derive` pins `klavi-schema` exactly. Cargo cannot
//! refer to the workspace version from a dependency, so this test holds every `=` pin of the
//! root `Cargo.toml` to `[workspace.package] version`.

#[test]
fn every_workspace_crate_is_pinned_to_the_workspace_version() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"))
        .expect("the workspace manifest");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("[workspace.package] version");
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let mut pinned = 0;
    for name in [
        "klavi-schema",
        "klavi-derive",
        "klavi-types",
        "klavi-client",
        "klavi-mock",
        "klavi-cli",
    ] {
        let line = manifest
            .lines()
            .find(|line| line.starts_with(&format!("{name} = {{ path")))
            .unwrap_or_else(|| panic!("{name} in [workspace.dependencies]"));
        assert!(
            line.contains(&format!("version = \"={version}\"")),
            "{name} is not pinned to ={version}: {line}"
        );
        pinned += 1;
    }
    assert_eq!(pinned, 6);
}
