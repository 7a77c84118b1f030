//! `orientir bench …`: measurements that print their figures. Nothing here is asserted by tests;
//! the numbers are for the reader to compare with the targets in the issues.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

/// Files named, or the files of folders named, sorted for a stable order.
fn files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path)
                .with_context(|| format!("не удалось прочитать папку {}", path.display()))?;
            for entry in entries {
                let entry = entry.with_context(|| format!("папка {}", path.display()))?;
                if entry.path().is_file() {
                    files.push(entry.path());
                }
            }
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            anyhow::bail!("нет такого файла или папки: {}", path.display());
        }
    }
    files.sort();
    Ok(files)
}

/// Times the import of road-map documents: the bytes are read once, then parsed `rounds` times.
pub fn roadmap_import(paths: &[PathBuf], rounds: u32) -> anyhow::Result<()> {
    let files = files(paths)?;
    anyhow::ensure!(!files.is_empty(), "нет файлов для замера");
    let documents: Vec<(&Path, Vec<u8>, Option<String>)> = files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path)
                .with_context(|| format!("не удалось прочитать {}", path.display()))?;
            let extension = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            Ok((path.as_path(), bytes, extension))
        })
        .collect::<anyhow::Result<_>>()?;
    let mut activities = 0;
    for (path, bytes, extension) in &documents {
        let (road_map, _) = orientir_ingest::roadmap::import_bytes(bytes, extension.as_deref())
            .with_context(|| format!("файл {}", path.display()))?;
        activities += road_map.activities().count();
    }
    let rounds = rounds.max(1);
    let started = Instant::now();
    for _ in 0..rounds {
        for (_, bytes, extension) in &documents {
            // The result is used so the work cannot be optimised away.
            let imported = orientir_ingest::roadmap::import_bytes(bytes, extension.as_deref());
            std::hint::black_box(&imported);
        }
    }
    let per_round = started.elapsed() / rounds;
    println!(
        "roadmap import: {} files, {} activities, {:.3} ms per round (all files), {} rounds, {} build",
        documents.len(),
        activities,
        per_round.as_secs_f64() * 1000.0,
        rounds,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    Ok(())
}
