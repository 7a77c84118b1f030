//! `orientir identify`: the identification lists from files, without a database.
//!
//! A contract other tools rely on: CSV `school_id,reason` (header, sorted by school_id) or JSON with
//! the failing cells, on stdout or into `--out`. Nothing is written when anything fails.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use orientir_domain::identify::{
    self, Cell, Procedure, RuleConfig, SOCIAL_FACTOR_NAMES, SchoolContext,
};
use orientir_domain::registry::SchoolRecord;
use orientir_ingest::results::{self, AggregateCell, ResultsOptions};

use crate::cli::OutputFormat;

pub struct IdentifyArgs {
    pub schools: PathBuf,
    pub results: PathBuf,
    pub year: i32,
    pub rule: Option<PathBuf>,
    pub format: OutputFormat,
    pub out: Option<PathBuf>,
    pub skip_bad_rows: bool,
}

pub fn run(args: &IdentifyArgs) -> anyhow::Result<()> {
    let rule = match &args.rule {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("не удалось прочитать правило {}", path.display()))?;
            RuleConfig::from_toml(&text).with_context(|| format!("правило {}", path.display()))?
        }
        None => RuleConfig::default(),
    };
    let schools = orientir_ingest::schools::read_schools(&args.schools)?;
    let aggregation = aggregate(&args.results, &schools, &rule, args.skip_bad_rows)?;
    if !aggregation.skipped.is_empty() {
        eprintln!(
            "Пропущено строк с ошибками: {} (повторов результатов: {}).",
            aggregation.skipped_total, aggregation.duplicates
        );
        for problem in &aggregation.skipped {
            eprintln!(
                "{}:{}: {}",
                args.results.display(),
                problem.line,
                problem.message
            );
        }
    }
    let cells: Vec<Cell> = aggregation.cells.iter().map(rule_cell).collect();
    let contexts: Vec<SchoolContext> = schools.iter().map(school_context).collect();
    let found = identify::identify(&cells, &contexts, args.year, &rule);
    let text = match args.format {
        OutputFormat::Csv => {
            let mut out = String::from("school_id,reason\n");
            for decision in &found.low_results {
                out.push_str(&format!(
                    "{},{}\n",
                    decision.school_id,
                    reason_code(decision)
                ));
            }
            out
        }
        OutputFormat::Json => {
            serde_json::to_string_pretty(&found.low_results).context("запись JSON")? + "\n"
        }
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("не удалось записать {}", path.display()))?,
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("запись в stdout")?,
    }
    eprintln!(
        "ШНОР в {}: {} из {} школ (правило {}); ячеек меньше {} участников не учтено: {}.",
        args.year,
        found.low_results.len(),
        schools.len(),
        rule.version,
        rule.low_results.min_participants,
        found.ignored_cells.len()
    );
    Ok(())
}

fn aggregate(
    path: &Path,
    schools: &[SchoolRecord],
    rule: &RuleConfig,
    skip_bad_rows: bool,
) -> anyhow::Result<results::Aggregation> {
    let known: HashSet<String> = schools.iter().map(|s| s.id.as_str().to_owned()).collect();
    let show_progress = std::io::stderr().is_terminal();
    let options = ResultsOptions {
        ege_min: rule.ege_min_score.clone(),
        known_schools: Some(known),
        skip_bad_rows,
        progress: show_progress.then(|| {
            Box::new(|done: u64, total: u64| {
                let percent = (done * 100).checked_div(total).unwrap_or(100);
                eprint!("\rЧтение результатов: {percent:>3} %");
            }) as results::ProgressFn
        }),
        ..ResultsOptions::default()
    };
    let aggregation = results::aggregate_file(path, &options);
    if show_progress {
        eprintln!();
    }
    Ok(aggregation?)
}

fn rule_cell(cell: &AggregateCell) -> Cell {
    Cell {
        school_id: cell.school_id.clone(),
        year: cell.year,
        procedure: match cell.procedure {
            results::Procedure::Vpr => Procedure::Vpr,
            results::Procedure::Oge => Procedure::Oge,
            results::Procedure::Ege => Procedure::Ege,
        },
        subject: cell.subject.clone(),
        grade: cell.grade,
        // A school cell never approaches 4 billion pupils; saturate rather than wrap.
        participants: u32::try_from(cell.participants).unwrap_or(u32::MAX),
        failed: u32::try_from(cell.failed).unwrap_or(u32::MAX),
    }
}

fn school_context(school: &SchoolRecord) -> SchoolContext {
    SchoolContext {
        school_id: school.id.as_str().to_owned(),
        social: SOCIAL_FACTOR_NAMES.map(|column| school.social.get(column)),
    }
}

fn reason_code(decision: &identify::Decision) -> String {
    serde_json::to_value(decision.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
