//! `orientir identify`: the identification lists from files, without a database.
//!
//! A contract other tools rely on: CSV `school_id,reason` (header, sorted by school_id) or JSON with
//! the failing cells, on stdout or into `--out`. Nothing is written when anything fails. The same
//! output serves identification from stored results (`results_cmd.rs`).

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use orientir_domain::identify::{
    self, Cell, Identification, Procedure, RuleConfig, SchoolContext, UnitKind,
};
use orientir_domain::registry::SchoolRecord;
use orientir_ingest::results::{self, CellFilter, ResultsOptions};

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

/// The rule of `--rule`, or the shipped default.
pub fn load_rule(path: Option<&Path>) -> anyhow::Result<RuleConfig> {
    Ok(match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("не удалось прочитать правило {}", path.display()))?;
            RuleConfig::from_toml(&text).with_context(|| format!("правило {}", path.display()))?
        }
        None => RuleConfig::default(),
    })
}

pub fn run(args: &IdentifyArgs) -> anyhow::Result<()> {
    let rule = load_rule(args.rule.as_deref())?;
    let schools = orientir_ingest::schools::read_schools(&args.schools)?;
    let known = schools.iter().map(|s| s.id.as_str().to_owned()).collect();
    let only = CellFilter {
        subjects: Some(rule.low_results.subjects.iter().cloned().collect()),
        years: Some(identify::analysed_years(args.year, &rule)),
    };
    let aggregation = aggregate(&args.results, known, &rule, args.skip_bad_rows, only)?;
    print_skipped(
        &args.results,
        &aggregation.skipped,
        aggregation.skipped_total,
        aggregation.duplicates,
    );
    // The reader aggregates only the rule's subjects in the years the rule looks at (every row
    // is still checked), so a national file never holds the cells of the other subjects.
    let cells = rule_cells(&aggregation, rule.low_results.unit == UnitKind::Procedure);
    drop(aggregation);
    let contexts: Vec<SchoolContext> = schools.iter().map(school_context).collect();
    let found = identify::identify(&cells, &contexts, args.year, &rule);
    write_lists(&found, args.format, args.out.as_deref())?;
    print_summary(&found, schools.len(), &rule);
    Ok(())
}

/// Writes the ШНОР list in the contract's format into `out`, or on stdout.
pub fn write_lists(
    found: &Identification,
    format: OutputFormat,
    out: Option<&Path>,
) -> anyhow::Result<()> {
    let text = match format {
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
    match out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("не удалось записать {}", path.display()))?,
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("запись в stdout")?,
    }
    Ok(())
}

/// Lists skipped rows on stderr as `FILE:LINE: reason`.
pub fn print_skipped(path: &Path, skipped: &[results::Problem], total: u64, duplicates: u64) {
    if skipped.is_empty() {
        return;
    }
    eprintln!("Пропущено строк с ошибками: {total} (повторов результатов: {duplicates}).");
    for problem in skipped {
        eprintln!("{}:{}: {}", path.display(), problem.line, problem.message);
    }
}

/// The one-line summary on stderr.
pub fn print_summary(found: &Identification, schools: usize, rule: &RuleConfig) {
    eprintln!(
        "ШНОР в {}: {} из {} школ (правило {}); ячеек меньше {} участников не учтено: {}.",
        found.year,
        found.low_results.len(),
        schools,
        rule.version,
        rule.low_results.min_participants,
        found.ignored_cells.len()
    );
}

/// Reads a student-level results file; rows of schools not in `known` are problems. Only the
/// cells `only` chooses are returned; every row is checked.
pub fn aggregate(
    path: &Path,
    known: HashSet<String>,
    rule: &RuleConfig,
    skip_bad_rows: bool,
    only: CellFilter,
) -> anyhow::Result<results::InternedAggregation> {
    aggregate_with_scores(path, known, rule, skip_bad_rows, only, false)
}

/// [`aggregate`], and with `ege_scores` each ЕГЭ cell keeps its score distribution (what an
/// import stores, so that a rule with other minimum scores recounts the cell).
pub fn aggregate_with_scores(
    path: &Path,
    known: HashSet<String>,
    rule: &RuleConfig,
    skip_bad_rows: bool,
    only: CellFilter,
    ege_scores: bool,
) -> anyhow::Result<results::InternedAggregation> {
    let show_progress = std::io::stderr().is_terminal();
    let options = ResultsOptions {
        ege_min: rule.ege_min_score.clone(),
        known_schools: Some(known),
        skip_bad_rows,
        cells: only,
        ege_scores,
        progress: show_progress.then(|| {
            Box::new(|done: u64, total: u64| {
                let percent = (done * 100).checked_div(total).unwrap_or(100);
                eprint!("\rЧтение результатов: {percent:>3} %");
            }) as results::ProgressFn
        }),
        ..ResultsOptions::default()
    };
    let aggregation = results::aggregate_file_interned(path, &options);
    if show_progress {
        eprintln!();
    }
    Ok(aggregation?)
}

/// The reader's cells as the rule's. When the rule pools grades, the grades of one (school, year,
/// procedure, subject) are pooled here already (the cells come sorted, so they are neighbours):
/// the engine pools them the same way, and so gets a fraction of the cells to index and sort.
fn rule_cells(read: &results::InternedAggregation, pool_grades: bool) -> Vec<Cell> {
    let name = |names: &[String], i: u32| names.get(i as usize).cloned().unwrap_or_default();
    // A school cell never approaches 4 billion pupils; saturate rather than wrap.
    let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut cells: Vec<Cell> = Vec::new();
    let mut last = None;
    for cell in &read.cells {
        let key = (cell.school_id, cell.year, cell.procedure, cell.subject);
        if pool_grades
            && last == Some(key)
            && let Some(pooled) = cells.last_mut()
        {
            pooled.participants = pooled.participants.saturating_add(count(cell.participants));
            pooled.failed = pooled.failed.saturating_add(count(cell.failed));
            continue;
        }
        last = Some(key);
        cells.push(Cell {
            school_id: name(&read.schools, cell.school_id),
            year: cell.year,
            procedure: domain_procedure(cell.procedure),
            subject: name(&read.subjects, cell.subject),
            grade: cell.grade,
            participants: count(cell.participants),
            failed: count(cell.failed),
        });
    }
    cells
}

/// The reader's procedure as the domain's (the two enums mirror each other).
pub fn domain_procedure(procedure: results::Procedure) -> Procedure {
    match procedure {
        results::Procedure::Vpr => Procedure::Vpr,
        results::Procedure::Oge => Procedure::Oge,
        results::Procedure::Ege => Procedure::Ege,
    }
}

fn school_context(school: &SchoolRecord) -> SchoolContext {
    SchoolContext::from_registry(&school.id, &school.social)
}

fn reason_code(decision: &identify::Decision) -> String {
    serde_json::to_value(decision.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
