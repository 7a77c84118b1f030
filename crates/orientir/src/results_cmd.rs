//! Results in the database: `orientir import results` (a results file read and checked whole, then
//! its aggregated cells stored in one transaction) and `orientir identify` without files (the rule
//! run on stored cells and the registry, printing the same contract as from files, and with
//! `--save` appending the decisions to the schools' status history).

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use orientir_domain::identify::{self, Decision, RuleConfig};
use orientir_domain::registry::{SchoolId, SchoolYear, StatusKind};
use orientir_ingest::results::{self, AggregateCell, AggregatedOptions, CellFilter, ResultsError};
use orientir_store::{ResultCell, ResultsKind, RuleRunStatus, Store};

use crate::cli::OutputFormat;
use crate::identify::{IdentifyArgs, domain_procedure, load_rule, print_summary, write_lists};

/// `identify` options other than the two files.
pub struct IdentifyOptions {
    pub year: i32,
    pub rule: Option<PathBuf>,
    pub format: OutputFormat,
    pub out: Option<PathBuf>,
    pub skip_bad_rows: bool,
    pub save: bool,
    pub db: String,
}

/// `identify`: from files when both `--schools` and `--results` are given, from the database when
/// neither is.
pub async fn identify(
    schools: Option<PathBuf>,
    results: Option<PathBuf>,
    options: IdentifyOptions,
) -> anyhow::Result<()> {
    match (schools, results) {
        (Some(schools), Some(results)) => {
            if options.save {
                bail!(
                    "--save записывает статусы по результатам из базы данных: загрузите файлы \
                     командами import schools и import results и запустите identify без --schools \
                     и --results"
                );
            }
            crate::identify::run(&IdentifyArgs {
                schools,
                results,
                year: options.year,
                rule: options.rule,
                format: options.format,
                out: options.out,
                skip_bad_rows: options.skip_bad_rows,
            })
        }
        (None, None) => {
            if options.skip_bad_rows {
                bail!(
                    "--skip-bad-rows относится к чтению файла результатов: указывается вместе \
                     с --schools и --results (или в import results)"
                );
            }
            identify_stored(&options).await
        }
        (Some(_), None) => bail!(
            "указан --schools без --results: укажите оба файла (выявление по файлам) или ни \
             одного (выявление по результатам в базе данных)"
        ),
        (None, Some(_)) => bail!(
            "указан --results без --schools: укажите оба файла (выявление по файлам) или ни \
             одного (выявление по результатам в базе данных)"
        ),
    }
}

/// The rule on the stored cells and the registry's schools.
async fn identify_stored(options: &IdentifyOptions) -> anyhow::Result<()> {
    let rule = load_rule(options.rule.as_deref())?;
    let school_year = SchoolYear::new(options.year).context("год выявления")?;
    let store = Store::open(&options.db).await?;
    // The rule looks at Y-1 and Y, and at the last `mentor.years` years for mentors.
    let span = i32::try_from(rule.mentor.years).unwrap_or(i32::MAX).max(2);
    let first_year = options.year.saturating_sub(span - 1);
    let inputs = store.rule_inputs(first_year..=options.year, &rule).await?;
    let (cells, contexts) = (&inputs.cells, &inputs.contexts);
    if contexts.is_empty() {
        bail!("в базе данных нет школ: сначала загрузите реестр (orientir import schools ФАЙЛ)");
    }
    if !store.result_years().await?.contains(&options.year) {
        eprintln!(
            "предупреждение: в базе данных нет результатов за {} год (загрузите их: orientir \
             import results ФАЙЛ)",
            options.year
        );
    }
    let kept = ege_counts_kept(&rule, &inputs.ege_without_scores);
    if kept > 0 {
        eprintln!(
            "предупреждение: пороги ЕГЭ правила отличаются от встроенных, но в ячейках ЕГЭ без \
             баллов обучающихся (из агрегированных файлов или загруженных прежней версией) число \
             не преодолевших порог не пересчитано и взято из файла; таких ячеек: {kept}"
        );
    }
    let found = identify::identify(cells, contexts, options.year, &rule);
    // Statuses first: when they cannot be saved, no list is printed either.
    if options.save {
        let listed = rule_run_statuses(&found)?;
        let summary = store
            .record_rule_run(school_year, &found.rule_version, &listed)
            .await
            .context("статусы не записаны")?;
        let count = |status| listed.iter().filter(|l| l.status == status).count();
        eprintln!(
            "Статусы за {} учебный год записаны (правило {}): присвоено {} (ШНОР {}, зона риска \
             {}, ШНСУ {}, наставники {}), снято {}.",
            school_year.label(),
            found.rule_version,
            summary.assigned,
            count(StatusKind::LowResults),
            count(StatusKind::Declining),
            count(StatusKind::SocialRisk),
            count(StatusKind::Mentor),
            summary.removed
        );
    }
    store.close().await;
    write_lists(&found, options.format, options.out.as_deref())?;
    print_summary(&found, contexts.len(), &rule);
    Ok(())
}

/// How many stored ЕГЭ cells without scores keep their file's count of failures although `rule`
/// sets another minimum score for their subject than the shipped rule (only the rule's subjects
/// count: the others change no list).
fn ege_counts_kept(rule: &RuleConfig, without_scores: &BTreeMap<String, usize>) -> usize {
    let shipped = RuleConfig::default();
    without_scores
        .iter()
        .filter(|(subject, _)| {
            rule.low_results.subjects.contains(subject)
                && rule.ege_min_score.get(*subject) != shipped.ege_min_score.get(*subject)
        })
        .map(|(_, cells)| cells)
        .sum()
}

/// Every list of a rule run as statuses, each with its explanation.
fn rule_run_statuses(found: &identify::Identification) -> anyhow::Result<Vec<RuleRunStatus>> {
    let status = |school_id: &str, status, explanation: &str| {
        Ok(RuleRunStatus {
            school_id: SchoolId::parse(school_id)
                .with_context(|| format!("код школы «{school_id}»"))?,
            status,
            note: Some(explanation.to_owned()),
        })
    };
    let decisions = |list: &[Decision], kind| {
        list.iter()
            .map(|d| status(&d.school_id, kind, &d.explanation))
            .collect::<anyhow::Result<Vec<_>>>()
    };
    let mut listed = decisions(&found.low_results, StatusKind::LowResults)?;
    listed.extend(decisions(&found.declining, StatusKind::Declining)?);
    for d in &found.social_risk {
        listed.push(status(
            &d.school_id,
            StatusKind::SocialRisk,
            &d.explanation,
        )?);
    }
    listed.extend(decisions(&found.mentors, StatusKind::Mentor)?);
    Ok(listed)
}

/// `import results FILE`: read and check the whole file against the registry's schools, then store
/// its cells in one transaction. A rejected file stores nothing.
pub async fn import_results(
    file: &Path,
    aggregated: bool,
    skip_bad_rows: bool,
    url: &str,
) -> anyhow::Result<()> {
    // A missing file is reported before a database is created or opened.
    if !file.exists() {
        return Err(ResultsError::NotFound {
            path: file.to_path_buf(),
        }
        .into());
    }
    let kind = if aggregated || looks_aggregated(file) {
        ResultsKind::Aggregated
    } else {
        ResultsKind::Student
    };
    let store = Store::open(url).await?;
    let known: HashSet<String> = store
        .school_contexts()
        .await?
        .into_iter()
        .map(|(id, _)| id.as_str().to_owned())
        .collect();
    if known.is_empty() {
        bail!("в реестре нет школ: сначала загрузите реестр (orientir import schools ФАЙЛ)");
    }
    let (cells, rows, skipped) = match kind {
        ResultsKind::Student => {
            // ЕГЭ failures are counted with the shipped rule's minimum scores, and each ЕГЭ
            // cell keeps its scores: a rule with other minimum scores recounts from them.
            let read = crate::identify::aggregate_with_scores(
                file,
                known,
                &RuleConfig::default(),
                skip_bad_rows,
                CellFilter::default(),
                true,
            )?;
            crate::identify::print_skipped(
                file,
                &read.skipped,
                read.skipped_total,
                read.duplicates,
            );
            let cells = read
                .cells
                .iter()
                .map(|cell| cell.named(&read.schools, &read.subjects))
                .collect();
            (cells, read.rows, read.skipped_total)
        }
        ResultsKind::Aggregated => {
            let options = AggregatedOptions {
                known_schools: Some(known),
                skip_bad_rows,
            };
            let read = results::read_aggregated(file, &options)?;
            if !read.skipped.is_empty() {
                eprintln!("Пропущено строк с ошибками: {}.", read.skipped_total);
                for problem in &read.skipped {
                    eprintln!("{}:{}: {}", file.display(), problem.line, problem.message);
                }
            }
            (read.cells, read.rows, read.skipped_total)
        }
    };
    if cells.is_empty() {
        bail!(
            "{}: не осталось ни одной ячейки результатов; ничего не загружено",
            file.display()
        );
    }
    let cells = cells
        .iter()
        .map(store_cell)
        .collect::<anyhow::Result<Vec<_>>>()?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let summary = store
        .import_results(&name, kind, &cells, rows, skipped)
        .await
        .context("результаты не загружены")?;
    store.close().await;
    let years: Vec<String> = summary.years.iter().map(i32::to_string).collect();
    println!(
        "Результаты загружены из {} ({}): строк {}, ячеек {} (новых {}, заменено {}), школ {}, \
         годы {}; пропущено строк {}.",
        file.display(),
        kind.label(),
        rows,
        summary.cells,
        summary.new_cells,
        summary.replaced_cells,
        summary.schools,
        years.join(", "),
        skipped
    );
    Ok(())
}

fn store_cell(cell: &AggregateCell) -> anyhow::Result<ResultCell> {
    Ok(ResultCell {
        school_id: SchoolId::parse(&cell.school_id)
            .with_context(|| format!("код школы «{}»", cell.school_id))?,
        year: cell.year,
        procedure: domain_procedure(cell.procedure),
        subject: cell.subject.clone(),
        grade: cell.grade,
        participants: cell.participants,
        failed: cell.failed,
        mark2: cell.mark2,
        mark3: cell.mark3,
        mark4: cell.mark4,
        mark5: cell.mark5,
        score_sum: cell.score_sum,
        score_min: cell.score_min,
        score_max: cell.score_max,
        ege_scores: cell.ege_scores.clone(),
    })
}

/// Whether a file is aggregated results: a workbook, or a header with `participants` and without
/// `student_id`. When in doubt it is read as student-level, whose reader names what is missing.
fn looks_aggregated(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
        return true;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    let Some(header) = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|line| !line.trim_matches([',', ';', '\t', ' ', '\r']).is_empty())
    else {
        return false;
    };
    let names: Vec<String> = header
        .split([',', ';', '\t'])
        .map(|n| n.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect();
    names.iter().any(|n| n == "participants") && !names.iter().any(|n| n == "student_id")
}
