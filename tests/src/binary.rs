//! The `klavi` binary of this build, for the tests that run it as a user would.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The `klavi` binary next to the running test executable (`target/PROFILE/klavi`, wherever
/// `CARGO_TARGET_DIR` puts it), built on demand when only this crate's tests run.
pub fn klavi() -> &'static PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test executable");
        let profile_dir = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target/PROFILE/deps");
        let binary = profile_dir.join(format!("klavi{}", std::env::consts::EXE_SUFFIX));
        if !binary.exists() {
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
            let status = Command::new(cargo)
                .args(["build", "-q", "-p", "klavi-cli", "--bin", "klavi"])
                .status()
                .expect("run cargo build");
            assert!(status.success(), "cargo build -p klavi-cli failed");
        }
        binary
    })
}
