//! LibreOffice opens the DOCX: seed 000 converted to PDF.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use orientir_report::{Approval, road_map_docx};

use crate::common::{SEEDS, ci, seed_map};

/// `soffice` or `libreoffice` when one is on PATH.
fn office() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs `command`, killing it after `limit`.
fn run_with_timeout(command: &mut Command, limit: Duration) -> bool {
    let mut child = command.spawn().expect("LibreOffice starts");
    let start = Instant::now();
    loop {
        match child.try_wait().expect("waiting for LibreOffice") {
            Some(status) => return status.success(),
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("LibreOffice did not finish in {limit:?}");
            }
            None => std::thread::sleep(Duration::from_millis(200)),
        }
    }
}

#[test]
fn libreoffice_converts_the_docx_to_pdf() {
    let Some(office) = office() else {
        assert!(
            !ci(),
            "CI requires LibreOffice: apt-get install -y --no-install-recommends libreoffice-writer-nogui"
        );
        eprintln!("skipped: LibreOffice (soffice) is not on PATH");
        return;
    };
    let Some(map) = seed_map(SEEDS[0]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let home = dir.path().join("home");
    std::fs::create_dir(&home).expect("home directory");
    let docx = dir.path().join("road_map.docx");
    let bytes = road_map_docx(&map, &Approval::default()).expect("DOCX written");
    std::fs::write(&docx, bytes).expect("DOCX saved");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        home.join("profile").display()
    );
    let ok = run_with_timeout(
        Command::new(office)
            .arg(profile)
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&docx)
            .env("HOME", &home)
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        Duration::from_secs(120),
    );
    assert!(ok, "LibreOffice failed");
    let pdf = dir.path().join("road_map.pdf");
    let size = Path::new(&pdf).metadata().map(|m| m.len()).unwrap_or(0);
    assert!(size > 1000, "a non-empty PDF: {} bytes", size);
    let head = std::fs::read(&pdf).expect("PDF read");
    assert!(head.starts_with(b"%PDF"));
}

/// Writes the DOCX and XLSX of every seed to `ORIENTIR_REPORT_DUMP` (a directory) for looking
/// at them by eye; does nothing without it.
#[test]
fn dump_for_inspection() {
    let Some(dir) = std::env::var_os("ORIENTIR_REPORT_DUMP") else {
        return;
    };
    for name in SEEDS {
        let Some(map) = seed_map(name) else {
            return;
        };
        let stem = Path::new(&dir).join(name.trim_end_matches(".txt"));
        let docx = road_map_docx(&map, &Approval::default()).expect("DOCX written");
        std::fs::write(stem.with_extension("docx"), docx).expect("DOCX saved");
        let xlsx = orientir_report::road_map_xlsx(&map).expect("XLSX written");
        std::fs::write(stem.with_extension("xlsx"), xlsx).expect("XLSX saved");
    }
}
