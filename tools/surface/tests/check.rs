//! `--check` passes on freshly written files and fails, naming the file, once one is edited by
//! hand or missing: what `make test` relies on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn run(root: &std::path::Path, check: bool) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qfpay-surface"));
    cmd.env("QFPAY_SURFACE_ROOT", root);
    if check {
        cmd.arg("--check");
    }
    cmd.output().unwrap()
}

#[test]
fn check_fails_on_a_stale_or_missing_file() {
    let root = std::env::temp_dir().join(format!("qfpay-surface-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();

    let missing = run(&root, true);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("tests/surface.json"));

    assert!(run(&root, false).status.success());
    assert!(run(&root, true).status.success(), "fresh files pass");
    let surface = root.join("tests/surface.json");
    let text = std::fs::read_to_string(&surface).unwrap();
    assert!(text.contains("GENERATED"), "a generated file says so");

    std::fs::write(
        &surface,
        text.replace("\"create_payment\"", "\"create_paymnt\""),
    )
    .unwrap();
    let stale = run(&root, true);
    assert!(!stale.status.success());
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("tests/surface.json"), "{stderr}");
    assert!(
        !stderr.contains("docs/NAMING.md"),
        "only the stale file is named: {stderr}"
    );
    let _ = std::fs::remove_dir_all(&root);
}
