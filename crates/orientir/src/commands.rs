//! What each subcommand does.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use orientir_domain::demo::{self, DemoRegion, DemoScope, demo_region, demo_road_maps};
use orientir_domain::registry::{SchoolId, Scope};
use orientir_store::{Store, redact_url};

use crate::cli::{BenchCommand, Cli, Command, ImportCommand, RoadmapCommand, UserCommand};

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { db, addr, demo } => serve(&db.db, addr, demo).await,
        Command::User {
            what:
                UserCommand::Add {
                    login,
                    role,
                    scope,
                    name,
                    curate,
                    db,
                },
        } => {
            let store = open(&db.db).await?;
            let request = crate::users::AddUser {
                login,
                role,
                scope,
                name,
                curate,
            };
            crate::users::add(&store, request).await
        }
        Command::User {
            what: UserCommand::Token { login, name, db },
        } => {
            let store = open(&db.db).await?;
            crate::users::token(&store, &login, &name).await
        }
        Command::Migrate { db } => {
            open(&db.db).await?;
            println!("Схема базы данных {} актуальна.", redact_url(&db.db));
            Ok(())
        }
        Command::Demo { db } => {
            let store = open(&db.db).await?;
            fill_demo(&store).await?;
            Ok(())
        }
        Command::Import {
            what: ImportCommand::Schools { file, db },
        } => import_schools(&file, &db.db).await,
        Command::Import {
            what:
                ImportCommand::Results {
                    file,
                    aggregated,
                    skip_bad_rows,
                    db,
                },
        } => crate::results_cmd::import_results(&file, aggregated, skip_bad_rows, &db.db).await,
        Command::Identify {
            schools,
            results,
            year,
            rule,
            format,
            out,
            skip_bad_rows,
            save,
            db,
        } => {
            crate::results_cmd::identify(
                schools,
                results,
                crate::results_cmd::IdentifyOptions {
                    year,
                    rule,
                    format,
                    out,
                    skip_bad_rows,
                    save,
                    db: db.db,
                },
            )
            .await
        }
        Command::DemoResults {
            out_dir,
            schools,
            years,
            rows_per_school_year,
            seed,
        } => demo_results(
            &out_dir,
            &orientir_ingest::results::GenSpec {
                schools,
                years,
                seed,
                rows_per_school_year,
                dirty: false,
            },
        ),
        Command::Roadmap {
            what:
                RoadmapCommand::Import {
                    file,
                    save,
                    owner,
                    db,
                },
        } => import_roadmap(&file, save.then_some(owner).flatten(), &db.db).await,
        Command::Bench {
            what: BenchCommand::RoadmapImport { paths, rounds },
        } => crate::bench::roadmap_import(&paths, rounds),
    }
}

/// Writes schools.csv and results.csv of a generated region into `dir`.
fn demo_results(dir: &Path, spec: &orientir_ingest::results::GenSpec) -> anyhow::Result<()> {
    let create = |name: &str| {
        let path = dir.join(name);
        std::fs::File::create(&path)
            .map(std::io::BufWriter::new)
            .with_context(|| format!("не удалось создать {}", path.display()))
    };
    let started = Instant::now();
    let mut schools = create("schools.csv")?;
    orientir_ingest::results::generate_schools_csv(spec, &mut schools).context("schools.csv")?;
    schools.flush().context("schools.csv")?;
    let mut results = create("results.csv")?;
    let summary = orientir_ingest::results::generate(spec, &mut results).context("results.csv")?;
    results.flush().context("results.csv")?;
    println!(
        "Записаны {0}/schools.csv ({1} школ) и {0}/results.csv ({2} строк, {3:.1} МБ) за {4:.1} с.",
        dir.display(),
        spec.schools,
        summary.rows,
        summary.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Prints the road map as interchange JSON on stdout, and what could not be placed on stderr;
/// with an owner, stores it too.
async fn import_roadmap(
    file: &Path,
    owner: Option<orientir_domain::registry::Scope>,
    url: &str,
) -> anyhow::Result<()> {
    let (road_map, report) = orientir_ingest::roadmap::import_path(file)?;
    if let Some(owner) = &owner {
        let store = open(url).await?;
        let source = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let saved = store
            .save_road_map(owner, &road_map, source.as_deref())
            .await
            .context("дорожная карта не сохранена")?;
        eprintln!(
            "Сохранено: дорожная карта {}, версия {} (черновик), страница /road-maps/{}.",
            saved.id, saved.version, saved.id
        );
    }
    let json = serde_json::to_string_pretty(&road_map).context("запись JSON")?;
    println!("{json}");
    for warning in &report.warnings {
        eprintln!(
            "{}:{}: предупреждение: {}",
            file.display(),
            warning.line,
            warning.message
        );
    }
    eprintln!(
        "Разобрано: разделов {}, мероприятий {}, предупреждений {}.",
        road_map.sections.len(),
        road_map.activities().count(),
        report.warnings.len()
    );
    Ok(())
}

async fn open(url: &str) -> anyhow::Result<Store> {
    Ok(Store::open(url).await?)
}

/// Fills an empty database with the demo region; a database with schools is left as it is.
async fn fill_demo(store: &Store) -> anyhow::Result<()> {
    if !store.is_empty().await? {
        println!("В базе уже есть школы: демонстрационные данные не добавлены.");
        return Ok(());
    }
    let started = Instant::now();
    let demo = demo_region();
    let summary = store.load_demo(&demo).await?;
    let (road_maps, accounts) = save_demo_road_maps(store, &demo).await?;
    let results = save_demo_results(store, &demo).await?;
    let progress = orientir_web::seed_demo_progress(store).await?;
    println!(
        "Демонстрационный регион создан: муниципалитетов {}, школ {}, решений о статусах {}, \
         ответственных {}, дорожных карт {}, ячеек результатов {}, отметок исполнения {} ({} мс).",
        summary.municipalities,
        summary.schools,
        summary.status_records,
        summary.people,
        road_maps,
        results,
        progress,
        started.elapsed().as_millis()
    );
    println!("Демонстрационные пользователи (пароли показаны один раз):");
    for (login, role, password) in accounts {
        println!("  {role:<26} логин {login:<9} пароль {password}");
    }
    Ok(())
}

/// Stores the demo's aggregated results, so identification has something true to run on.
async fn save_demo_results(store: &Store, demo: &DemoRegion) -> anyhow::Result<usize> {
    use orientir_domain::identify::Procedure;
    let cells: Vec<orientir_store::ResultCell> = demo::demo_results(demo)
        .into_iter()
        .map(|r| {
            let (participants, failed) = (u64::from(r.participants), u64::from(r.failed));
            // ВПР and ОГЭ fail with mark 2; ЕГЭ has scores, not marks.
            let marked = r.procedure != Procedure::Ege;
            orientir_store::ResultCell {
                school_id: r.school_id,
                year: r.year,
                procedure: r.procedure,
                subject: r.subject.to_owned(),
                grade: r.grade,
                participants,
                failed,
                mark2: if marked { failed } else { 0 },
                mark3: if marked { participants - failed } else { 0 },
                mark4: 0,
                mark5: 0,
                score_sum: None,
                score_min: None,
                score_max: None,
                // Aggregated like a ФИС ОКО file: a count of failures, no scores.
                ege_scores: None,
            }
        })
        .collect();
    let rows = cells.iter().map(|c| c.participants).sum();
    store
        .import_results(
            "демонстрационные данные",
            orientir_store::ResultsKind::Aggregated,
            &cells,
            rows,
            0,
        )
        .await?;
    Ok(cells.len())
}

/// Stores the demo road maps for their owners, found by name in the freshly loaded region.
/// Also creates the demo's accounts, one per role, around the first school that has a road map.
async fn save_demo_road_maps(
    store: &Store,
    demo: &DemoRegion,
) -> anyhow::Result<(usize, Vec<(String, &'static str, String)>)> {
    let regions = store.regions().await?;
    let region = regions
        .iter()
        .find(|r| r.name == demo.region)
        .context("демонстрационный регион не найден после загрузки")?;
    let municipalities = store.municipality_overview(region.id, None).await?;
    let maps = demo_road_maps(demo);
    for (scope, map) in &maps {
        let owner = match scope {
            DemoScope::Region => Scope::Region(region.id),
            DemoScope::Municipality(name) => Scope::Municipality(
                municipalities
                    .iter()
                    .find(|m| &m.name == name)
                    .map(|m| m.id)
                    .with_context(|| format!("муниципалитет {name} не найден"))?,
            ),
            DemoScope::School(id) => Scope::School(id.clone()),
        };
        store.save_road_map(&owner, map, None).await?;
    }
    let schools_with_maps: Vec<SchoolId> = maps
        .iter()
        .filter_map(|(scope, _)| match scope {
            DemoScope::School(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    let school = schools_with_maps
        .first()
        .context("в демонстрационных данных нет школьной дорожной карты")?;
    let card = store
        .school(school)
        .await?
        .context("школа демонстрационной дорожной карты не найдена")?;
    let curated: Vec<SchoolId> = schools_with_maps.iter().take(3).cloned().collect();
    let accounts =
        crate::users::demo_users(store, region.id, card.municipality_id, school, &curated).await?;
    Ok((maps.len(), accounts))
}

async fn serve(url: &str, addr: SocketAddr, demo: bool) -> anyhow::Result<()> {
    // Bind first: a busy port is reported before anything is written to the database.
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|err| {
        if err.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "адрес {addr} уже занят другой программой; укажите другой порт, например --addr 127.0.0.1:8081"
            )
        } else {
            anyhow::anyhow!("не удалось открыть адрес {addr}: {err}")
        }
    })?;
    let store = open(url).await?;
    if demo {
        fill_demo(&store).await?;
    }
    let local = listener.local_addr().context("адрес сервера")?;
    println!(
        "Ориентир работает: http://{local}/ (база данных: {} {}). Остановить: Ctrl+C.",
        store.backend(),
        redact_url(url)
    );
    // Checkpoints are frozen when their date comes, whether or not anybody looks.
    let freezer = {
        let store = store.clone();
        tokio::spawn(async move {
            loop {
                if let Err(err) = orientir_web::freeze_due_checkpoints(&store).await {
                    tracing::warn!(error = %err, "checkpoint snapshots were not taken");
                }
                tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            }
        })
    };
    orientir_web::server::serve(
        listener,
        orientir_web::app(store.clone()),
        orientir_web::server::ServerOptions::default(),
        shutdown_signal(),
    )
    .await
    .context("работа сервера прервана")?;
    freezer.abort();
    store.close().await;
    println!("Ориентир остановлен.");
    Ok(())
}

async fn shutdown_signal() {
    if tokio::signal::ctrl_c().await.is_err() {
        // Without a signal handler the server runs until killed, as any daemon would.
        std::future::pending::<()>().await;
    }
}

async fn import_schools(file: &Path, url: &str) -> anyhow::Result<()> {
    // Read and check the whole file before touching the database: a bad file writes nothing.
    let schools = orientir_ingest::schools::read_schools(file)?;
    let store = open(url).await?;
    let summary = store.import_schools(&schools).await?;
    println!(
        "Реестр загружен из {}: школ добавлено {}, обновлено {}; новых муниципалитетов {}, регионов {}.",
        file.display(),
        summary.schools_created,
        summary.schools_updated,
        summary.municipalities_created,
        summary.regions_created
    );
    Ok(())
}
