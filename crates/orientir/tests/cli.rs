//! The `orientir` command as a user runs it: one clear message and a non-zero exit on every failure,
//! nothing half-written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use orientir_domain::registry::SchoolId;
use orientir_store::Store;
use orientir_store::testing::TestDb;

const HEADER: &str = "school_id,name,region,municipality,locality,kind,students";

fn orientir(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orientir"))
        .args(args)
        .env_remove("ORIENTIR_DB")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run orientir")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write file");
    path.display().to_string()
}

fn good_file(dir: &Path) -> String {
    write_file(
        dir,
        "schools.csv",
        &format!(
            "{HEADER}\n1,Первая школа,Область,Район,село,СОШ,100\n2,Вторая школа,Область,Район,город,Лицей,700\n"
        ),
    )
}

fn bad_file(dir: &Path) -> String {
    write_file(
        dir,
        "bad.csv",
        &format!(
            "{HEADER}\n1,Первая школа переименована,Область,Район,село,СОШ,100\n\
             3,Третья,Область,Район,хутор,СОШ,10\n4,Четвёртая,Область,Район,село,СОШ,-3\n\
             3,Дубль,Область,Район,село,СОШ,10\n"
        ),
    )
}

async fn school_name(url: &str, id: &str) -> Option<String> {
    let store = Store::open(url).await.expect("open");
    let card = store
        .school(&SchoolId::parse(id).expect("id"))
        .await
        .expect("query");
    store.close().await;
    card.map(|c| c.name)
}

/// A good import, then a bad one that must leave the database exactly as it was.
async fn import_story(url: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = orientir(&["import", "schools", &good_file(dir.path()), "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("школ добавлено 2, обновлено 0"),
        "{}",
        stdout(&out)
    );

    let bad = bad_file(dir.path());
    let out = orientir(&["import", "schools", &bad, "--db", url]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("отклонён целиком, ошибок: 3"), "{err}");
    assert!(err.contains(&format!("{bad}:3: столбец locality")), "{err}");
    assert!(err.contains(&format!("{bad}:4: столбец students")), "{err}");
    assert!(
        err.contains(&format!("{bad}:5: столбец school_id")),
        "{err}"
    );
    assert_eq!(
        school_name(url, "1").await.as_deref(),
        Some("Первая школа"),
        "the good row of a rejected file was not written"
    );
    assert_eq!(school_name(url, "3").await, None);
}

#[tokio::test]
async fn a_rejected_import_leaves_sqlite_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("o.db").display());
    import_story(&url).await;
}

#[tokio::test]
async fn a_rejected_import_leaves_postgres_unchanged() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    import_story(&db.url).await;
}

#[test]
fn a_missing_file_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let out = orientir(&["import", "schools", "/no/such/schools.csv", "--db", &db]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("файл не найден: /no/such/schools.csv"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("o.db").exists(), "no database was created");
}

#[test]
fn a_database_that_cannot_be_opened_is_reported() {
    let out = orientir(&["migrate", "--db", "sqlite:///no/such/dir/o.db"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("не удалось открыть базу данных sqlite:///no/such/dir/o.db"),
        "{}",
        stderr(&out)
    );

    let out = orientir(&[
        "migrate",
        "--db",
        "postgres://postgres:secret@127.0.0.1:1/none",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("не удалось открыть базу данных"), "{err}");
    assert!(!err.contains("secret"), "the password is not shown: {err}");

    let out = orientir(&["migrate", "--db", "mysql://localhost/x"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("неподдерживаемый адрес базы данных"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_port_in_use_is_reported_before_touching_the_database() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let out = orientir(&["serve", "--demo", "--addr", &addr, "--db", &db]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("адрес {addr} уже занят")),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("o.db").exists(), "nothing was written");
}

#[test]
fn demo_fills_an_empty_database_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let out = orientir(&["demo", "--db", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Демонстрационный регион создан"),
        "{}",
        stdout(&out)
    );
    let out = orientir(&["demo", "--db", &db]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("В базе уже есть школы"),
        "{}",
        stdout(&out)
    );
}

fn http_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

/// Sends a request with extra headers and a body; answers the whole response as text.
fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

/// The value of a `Set-Cookie: NAME=…` header of a response.
fn set_cookie(response: &str, name: &str) -> Option<String> {
    response
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
}

/// `orientir serve` on a free port with `args` and `env`: the running child, what it printed up to
/// its address line, and the address.
fn spawn_serve(args: &[&str], env: &[(&str, &str)]) -> (std::process::Child, Vec<String>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orientir"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .envs(env.iter().copied())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut printed = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map_while(Result::ok)
    {
        let done = line.contains("http://");
        printed.push(line);
        if done {
            break;
        }
    }
    let url_line = printed.last().cloned().unwrap_or_default();
    let addr = url_line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("host:port in {printed:?}"))
        .to_owned();
    (child, printed, addr)
}

#[test]
fn served_over_https_pages_carry_hsts_and_every_page_the_security_headers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let (mut child, _, addr) = spawn_serve(&["--db", &db], &[("ORIENTIR_SECURE_COOKIES", "1")]);
    let page = http_get(&addr, "/login").to_lowercase();
    let (mut plain, _, plain_addr) = spawn_serve(&["--db", &db], &[]);
    let plain_page = http_get(&plain_addr, "/login").to_lowercase();
    for c in [&mut child, &mut plain] {
        let _ = c.kill();
        let _ = c.wait();
    }
    assert!(
        page.contains("strict-transport-security: max-age=31536000"),
        "{page}"
    );
    assert!(
        page.contains("content-security-policy: default-src 'self'"),
        "{page}"
    );
    assert!(page.contains("x-frame-options: deny"), "{page}");
    assert!(
        !plain_page.contains("strict-transport-security"),
        "{plain_page}"
    );
    assert!(
        plain_page.contains("x-content-type-options: nosniff"),
        "{plain_page}"
    );
}

#[test]
fn serve_demo_prints_the_accounts_and_a_printed_login_opens_the_region() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let (mut child, printed, addr) = spawn_serve(&["--demo", "--db", &db], &[]);
    // The account lines: «Региональный координатор   логин region    пароль XXXX».
    let account = |login: &str| {
        printed
            .iter()
            .find(|l| l.contains(&format!("логин {login} ")))
            .and_then(|l| l.split("пароль ").nth(1))
            .map(|p| p.trim().to_owned())
            .unwrap_or_else(|| panic!("no account {login} in {printed:?}"))
    };
    for login in ["region", "moyo", "curator", "school", "expert", "observer"] {
        assert_eq!(
            account(login).chars().count(),
            16,
            "{login} has a printed password"
        );
    }
    let password = account("region");
    let db_file = dir.path().join("o.db");
    assert!(
        !std::fs::read(&db_file)
            .expect("db")
            .windows(password.len())
            .any(|w| w == password.as_bytes()),
        "the password itself is not stored"
    );
    let anonymous = http_get(&addr, "/regions/1");
    let form = http_get(&addr, "/login");
    let csrf_cookie = set_cookie(&form, "orientir_login_csrf").expect("the form's CSRF cookie");
    let body = format!("login=region&password={password}&csrf={csrf_cookie}&next=%2Fregions%2F1");
    let signed_in = http_request(
        &addr,
        "POST",
        "/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &format!("orientir_login_csrf={csrf_cookie}")),
        ],
        &body,
    );
    let session = set_cookie(&signed_in, "orientir_session").expect("a session cookie");
    let page = http_request(
        &addr,
        "GET",
        "/regions/1",
        &[("Cookie", &format!("orientir_session={session}"))],
        "",
    );
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        anonymous.starts_with("HTTP/1.0 303") || anonymous.starts_with("HTTP/1.1 303"),
        "{anonymous}"
    );
    assert!(anonymous.contains("/login?next="), "{anonymous}");
    assert!(
        signed_in.contains(" 303 ") && signed_in.to_lowercase().contains("location: /regions/1"),
        "{signed_in}"
    );
    assert!(signed_in.to_lowercase().contains("httponly"), "{signed_in}");
    assert!(page.contains("<h1>Северо-Озёрская область</h1>"), "{page}");
}

#[test]
fn migrate_reports_an_up_to_date_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("new.db").display());
    let out = orientir(&["migrate", "--db", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("актуальна"));
    assert!(dir.path().join("new.db").exists());
}

fn seeds_dir() -> Option<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("CI").is_some() {
        panic!("CI requires the seed road maps in {}", dir.display());
    } else {
        eprintln!("skipped: no seed road maps at {}", dir.display());
        None
    }
}

#[test]
fn roadmap_import_prints_the_interchange_json_of_a_real_road_map() {
    let Some(seeds) = seeds_dir() else {
        return;
    };
    let file = seeds.join("000_62d3398e9c36f85c.txt");
    let out = orientir(&["roadmap", "import", &file.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(json["order"]["number"], "№ 01-04-181");
    assert_eq!(json["period"]["from"], "2022-09-01");
    let sections = json["sections"].as_array().expect("sections");
    let activities: usize = sections
        .iter()
        .map(|s| s["activities"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(activities, 34);
    let first = &sections[0]["activities"][0];
    assert_eq!(first["period"]["kind"], "range");
    assert_eq!(first["responsible"][0], "Руководители ОУ");
    assert!(stderr(&out).contains("мероприятий 34"), "{}", stderr(&out));
}

#[test]
fn roadmap_import_rejects_bad_documents_naming_the_file_and_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docx_without_tables = {
        let mut bytes = Vec::new();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("zip entry");
        zip.write_all(
            br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Only text</w:t></w:r></w:p></w:body></w:document>"#,
        )
        .expect("zip write");
        zip.finish().expect("zip finish");
        bytes
    };
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("empty.txt", Vec::new(), "файл пуст"),
        (
            "binary.bin",
            vec![0, 159, 146, 150, 0, 1, 2, 3, 255, 0],
            "не похож на текст, HTML или DOCX",
        ),
        (
            "no-tables.docx",
            docx_without_tables,
            "в документе нет таблиц",
        ),
        (
            "no-header.txt",
            "План\n\n1\tодно\tдругое\n2\tтретье\tчетвёртое\n"
                .as_bytes()
                .to_vec(),
            "не найдена таблица мероприятий",
        ),
    ];
    for (name, bytes, reason) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = orientir(&["roadmap", "import", &path.display().to_string()]);
        assert!(!out.status.success(), "{name} must be rejected");
        let err = stderr(&out);
        assert!(err.contains(&path.display().to_string()), "{name}: {err}");
        assert!(err.contains(reason), "{name}: {err}");
        assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
    }
}

const RESULTS_HEADER: &str = "year,procedure,subject,grade,school_id,student_id,score,mark";

/// `n` pupils of one cell written as `year,procedure,subject,grade,school`, `failed` of them
/// with mark 2.
fn pupils(out: &mut String, cell: &str, n: u32, failed: u32) {
    for i in 0..n {
        let mark = if i < failed { 2 } else { 4 };
        let student = format!("{}-{i}", cell.replace(',', "-"));
        let (key, school) = cell.rsplit_once(',').expect("cell key");
        out.push_str(&format!("{key},{school},{student},10,{mark}\n"));
    }
}

fn identify_files(dir: &Path) -> (String, String) {
    let schools = write_file(
        dir,
        "schools.csv",
        &format!(
            "{HEADER}\nA1,Школа А1,Область,Район,село,СОШ,100\nB2,Школа Б2,Область,Район,город,СОШ,300\nC3,Школа В3,Область,Район,село,ООШ,50\n"
        ),
    );
    let mut results = format!("{RESULTS_HEADER}\n");
    // A1: 3 of 10 fail ВПР Russian and 4 of 10 fail ОГЭ maths in 2024: two procedures.
    pupils(&mut results, "2024,VPR,ru,5,A1", 10, 3);
    pupils(&mut results, "2024,OGE,math,9,A1", 10, 4);
    // B2: ВПР maths fails in 2023 and in 2024: two years.
    pupils(&mut results, "2023,VPR,math,6,B2", 20, 8);
    pupils(&mut results, "2024,VPR,math,6,B2", 20, 6);
    // C3: 2 of 10 (20 %) is below the threshold; a 4-pupil cell is ignored.
    pupils(&mut results, "2024,VPR,ru,5,C3", 10, 2);
    pupils(&mut results, "2024,OGE,ru,9,C3", 4, 4);
    let results = write_file(dir, "results.csv", &results);
    (schools, results)
}

#[test]
fn identify_from_files_prints_the_contract_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (schools, results) = identify_files(dir.path());
    let out = orientir(&[
        "identify",
        "--schools",
        &schools,
        "--results",
        &results,
        "--year",
        "2024",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "school_id,reason\nA1,two_procedures\nB2,two_years\n"
    );
}

#[test]
fn identify_json_names_the_failing_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (schools, results) = identify_files(dir.path());
    let out_file = dir.path().join("lists.json");
    let out = orientir(&[
        "identify",
        "--schools",
        &schools,
        "--results",
        &results,
        "--year",
        "2024",
        "--format",
        "json",
        "--out",
        &out_file.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out_file).expect("output file")).expect("JSON");
    let a1 = &json[0];
    assert_eq!(a1["school_id"], "A1");
    assert_eq!(a1["reason"], "two_procedures");
    let cells = a1["cells"].as_array().expect("cells");
    assert!(cells.iter().any(|c| c["procedure"] == "VPR"
        && c["subject"] == "ru"
        && c["participants"] == 10
        && c["failed"] == 3
        && c["year"] == 2024));
    assert!(
        cells
            .iter()
            .any(|c| c["procedure"] == "OGE" && c["failed"] == 4)
    );
}

#[test]
fn identify_rejects_a_bad_results_file_whole_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (schools, results) = identify_files(dir.path());
    let mut text = std::fs::read_to_string(&results).expect("read");
    text.push_str("2024,VPR,ru,5,A1,extra-1,10,7\n");
    text.push_str("2024,VPR,ru,5,Z9,extra-2,10,3\n");
    std::fs::write(&results, &text).expect("write");
    let lines = text.lines().count();
    let out_file = dir.path().join("lists.csv");
    let out = orientir(&[
        "identify",
        "--schools",
        &schools,
        "--results",
        &results,
        "--year",
        "2024",
        "--out",
        &out_file.display().to_string(),
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(&format!("{results}:{}:", lines - 1)), "{err}");
    assert!(err.contains(&format!("{results}:{lines}:")), "{err}");
    assert!(!out_file.exists(), "no output on a rejected file");

    let out = orientir(&[
        "identify",
        "--schools",
        &schools,
        "--results",
        &results,
        "--year",
        "2024",
        "--skip-bad-rows",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "school_id,reason\nA1,two_procedures\nB2,two_years\n"
    );
    assert!(
        stderr(&out).contains("Пропущено строк с ошибками: 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn roadmap_import_saves_for_an_owner_and_refuses_an_unknown_one() {
    let Some(seeds) = seeds_dir() else {
        return;
    };
    let file = seeds.join("002_49c13a6c8e74706a.txt").display().to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let demo = orientir(&["demo", "--db", &db]);
    assert!(demo.status.success());
    assert!(
        stdout(&demo).contains("дорожных карт 17"),
        "the demo stores 17 road maps: {}",
        stdout(&demo)
    );

    let out = orientir(&[
        "roadmap",
        "import",
        &file,
        "--save",
        "--owner",
        "municipality:1",
        "--db",
        &db,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Сохранено: дорожная карта 18, версия 1 (черновик)"),
        "{}",
        stderr(&out)
    );

    let out = orientir(&[
        "roadmap",
        "import",
        &file,
        "--save",
        "--owner",
        "municipality:999",
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("нет такого владельца дорожной карты: муниципалитет 999"),
        "{}",
        stderr(&out)
    );

    let out = orientir(&[
        "roadmap",
        "import",
        &file,
        "--save",
        "--owner",
        "district:1",
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("region:ID, municipality:ID или school:ID"),
        "{}",
        stderr(&out)
    );
}

/// `identify --year 2024` with `--format`, from the files when given, else from the database.
fn identify_csv_json(url: &str, files: Option<(&str, &str)>) -> (String, String) {
    let run = |format: &str| {
        let mut args = vec!["identify", "--year", "2024", "--format", format];
        match files {
            Some((schools, results)) => args.extend(["--schools", schools, "--results", results]),
            None => args.extend(["--db", url]),
        }
        let out = orientir(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    (run("csv"), run("json"))
}

async fn history(url: &str, id: &str) -> Vec<orientir_store::StatusEntry> {
    let store = Store::open(url).await.expect("open");
    let history = store
        .status_history(&SchoolId::parse(id).expect("id"))
        .await
        .expect("history");
    store.close().await;
    history
}

fn rule_run(version: &str) -> orientir_domain::registry::StatusSource {
    orientir_domain::registry::StatusSource::RuleRun {
        rule_version: version.to_owned(),
    }
}

/// Results imported into the database identify exactly as the files do; a rejected results file
/// changes nothing; `--save` keeps the lists in the status history, run after run.
async fn results_story(url: &str) {
    use orientir_domain::registry::{StatusDecision, StatusKind};

    let dir = tempfile::tempdir().expect("temp dir");
    let (schools, results) = identify_files(dir.path());
    let out = orientir(&["import", "schools", &schools, "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = orientir(&["import", "results", &results, "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("строк 74, ячеек 6 (новых 6, заменено 0), школ 3, годы 2023, 2024"),
        "{}",
        stdout(&out)
    );

    let from_files = identify_csv_json(url, Some((&schools, &results)));
    let stored = identify_csv_json(url, None);
    assert_eq!(stored, from_files, "the database gives what the files give");
    assert_eq!(
        stored.0,
        "school_id,reason\nA1,two_procedures\nB2,two_years\n"
    );

    // Valid rows that would put C3 on the list, and one row of a school not in the registry.
    let mut bad = format!("{RESULTS_HEADER}\n");
    pupils(&mut bad, "2024,VPR,math,5,C3", 10, 5);
    pupils(&mut bad, "2024,OGE,math,9,C3", 10, 5);
    bad.push_str("2024,VPR,ru,5,Z9,z-1,10,3\n");
    let bad = write_file(dir.path(), "bad-results.csv", &bad);
    let out = orientir(&["import", "results", &bad, "--db", url]);
    assert!(!out.status.success(), "a file with a bad row is rejected");
    let err = stderr(&out);
    assert!(err.contains("импорт отклонён, ошибок: 1"), "{err}");
    assert!(err.contains(&format!("{bad}:22:")), "{err}");
    assert!(stdout(&out).is_empty());
    assert_eq!(
        identify_csv_json(url, None),
        stored,
        "the rejected file changed nothing"
    );

    // --save: the lists go into the status history with the rule's version as their source.
    let out = orientir(&["identify", "--year", "2024", "--save", "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), stored.0, "--save prints the same list");
    assert!(
        stderr(&out).contains("присвоено 2 (ШНОР 2, зона риска 0, ШНСУ 0, наставники 0), снято 0"),
        "{}",
        stderr(&out)
    );
    let b2 = history(url, "B2").await;
    assert_eq!(b2.len(), 1);
    assert_eq!(b2[0].status, StatusKind::LowResults);
    assert_eq!(b2[0].decision, StatusDecision::Assigned);
    assert_eq!(b2[0].source, rule_run("2024.1"));
    assert!(b2[0].in_force);
    assert!(b2[0].note.is_some(), "the explanation is kept");

    // A stricter rule: 3 of 10 is no longer low. A1 keeps one failing procedure (зона риска).
    let strict = write_file(
        dir.path(),
        "strict.toml",
        "version = \"2024-strict\"\n[low_results]\nshare = 0.35\n",
    );
    let out = orientir(&[
        "identify", "--year", "2024", "--rule", &strict, "--save", "--db", url,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "school_id,reason\n");
    assert!(
        stderr(&out).contains("присвоено 1 (ШНОР 0, зона риска 1, ШНСУ 0, наставники 0), снято 2"),
        "{}",
        stderr(&out)
    );
    let b2 = history(url, "B2").await;
    assert_eq!(b2.len(), 2, "the first run's record is kept");
    assert!(!b2[0].in_force);
    assert_eq!(b2[1].decision, StatusDecision::Removed);
    assert_eq!(b2[1].source, rule_run("2024-strict"));
    assert!(b2[1].in_force, "the status in force follows the latest run");
    let a1: Vec<_> = history(url, "A1")
        .await
        .into_iter()
        .filter(|e| e.in_force)
        .map(|e| (e.status, e.decision))
        .collect();
    assert_eq!(
        a1,
        [
            (StatusKind::Declining, StatusDecision::Assigned),
            (StatusKind::LowResults, StatusDecision::Removed)
        ]
    );

    // Skipping bad rows stores the rest and lists what was skipped.
    let out = orientir(&["import", "results", &bad, "--skip-bad-rows", "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("{bad}:22:")),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("ячеек 2 (новых 2, заменено 0)"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        identify_csv_json(url, None).0,
        "school_id,reason\nA1,two_procedures\nB2,two_years\nC3,two_procedures\n"
    );
}

#[tokio::test]
async fn stored_results_identify_like_files_on_sqlite() {
    let db = TestDb::sqlite().await;
    results_story(&db.url).await;
}

#[tokio::test]
async fn stored_results_identify_like_files_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    results_story(&db.url).await;
}

/// Generated results of a few dozen schools: the database and the files give the same lists.
async fn generated_story(url: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().display().to_string();
    let out = orientir(&[
        "demo-results",
        "--out-dir",
        &out_dir,
        "--schools",
        "40",
        "--rows-per-school-year",
        "150",
        "--years",
        "2023,2024",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let schools = dir.path().join("schools.csv").display().to_string();
    let results = dir.path().join("results.csv").display().to_string();
    assert!(
        orientir(&["import", "schools", &schools, "--db", url])
            .status
            .success()
    );
    let out = orientir(&["import", "results", &results, "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let from_files = identify_csv_json(url, Some((&schools, &results)));
    assert!(
        from_files.0.lines().count() > 2,
        "the generated region has schools on the list: {}",
        from_files.0
    );
    assert_eq!(identify_csv_json(url, None), from_files);

    // Importing the same file again replaces every cell and changes nothing.
    let out = orientir(&["import", "results", &results, "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("(новых 0, заменено"),
        "{}",
        stdout(&out)
    );
    assert_eq!(identify_csv_json(url, None), from_files);
}

#[tokio::test]
async fn generated_results_identify_alike_from_the_database_on_sqlite() {
    let db = TestDb::sqlite().await;
    generated_story(&db.url).await;
}

#[tokio::test]
async fn generated_results_identify_alike_from_the_database_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    generated_story(&db.url).await;
}

/// ЕГЭ pupils of one cell written as `year,EGE,subject,grade,school`, one row per score.
fn ege_pupils(out: &mut String, cell: &str, scores: &[f64]) {
    let (key, school) = cell.rsplit_once(',').expect("cell key");
    for (i, score) in scores.iter().enumerate() {
        let student = format!("{}-{i}", cell.replace(',', "-"));
        out.push_str(&format!("{key},{school},{student},{score},\n"));
    }
}

/// `identify --year 2024` with a rule, in both formats, from the files when given, else from the
/// database; with stderr of the CSV run.
fn identify_with_rule(
    url: &str,
    rule: Option<&str>,
    files: Option<(&str, &str)>,
) -> (String, String, String) {
    let run = |format: &str| {
        let mut args = vec!["identify", "--year", "2024", "--format", format];
        if let Some(rule) = rule {
            args.extend(["--rule", rule]);
        }
        match files {
            Some((schools, results)) => args.extend(["--schools", schools, "--results", results]),
            None => args.extend(["--db", url]),
        }
        let out = orientir(&args);
        assert!(out.status.success(), "{}", stderr(&out));
        (stdout(&out), stderr(&out))
    };
    let (csv, err) = run("csv");
    let (json, _) = run("json");
    (csv, json, err)
}

/// Stored ЕГЭ cells keep their scores, so a rule with a higher ЕГЭ minimum gives from the database
/// the list the files give: a school enters ШНОР only under that rule. Cells of an aggregated file
/// keep the file's count, and the warning says how many.
async fn custom_ege_story(url: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let schools = write_file(
        dir.path(),
        "schools.csv",
        &format!(
            "{HEADER}\nE1,Школа Е1,Область,Район,село,СОШ,300\nF2,Школа Ф2,Область,Район,город,СОШ,400\nG3,Школа Г3,Область,Район,село,СОШ,200\n"
        ),
    );
    let mut results = format!("{RESULTS_HEADER}\n");
    // E1 and F2 fail ОГЭ maths (4 of 10): one procedure each, not enough for ШНОР alone.
    pupils(&mut results, "2024,OGE,math,9,E1", 10, 4);
    pupils(&mut results, "2024,OGE,math,9,F2", 10, 4);
    // E1, ЕГЭ Russian: 2 of 10 below 24 (20 %), 4 of 10 below 30 (40 %).
    ege_pupils(
        &mut results,
        "2024,EGE,ru,11,E1",
        &[20.0, 22.5, 26.0, 29.5, 30.0, 45.0, 60.0, 70.0, 80.0, 90.0],
    );
    // F2, ЕГЭ Russian: 2 of 10 below 30; four score exactly 30 and pass.
    ege_pupils(
        &mut results,
        "2024,EGE,ru,11,F2",
        &[25.0, 29.0, 30.0, 30.0, 30.0, 30.0, 80.0, 80.0, 81.0, 99.0],
    );
    // ЕГЭ maths in 2023 and 2024 at the shipped minimum (27 passes), for the scores of another
    // subject and year.
    ege_pupils(
        &mut results,
        "2023,EGE,math,11,E1",
        &[27.0, 27.0, 40.0, 55.0, 62.0],
    );
    ege_pupils(
        &mut results,
        "2024,EGE,math,11,F2",
        &[26.5, 27.0, 40.0, 55.0, 62.0],
    );
    let results = write_file(dir.path(), "results.csv", &results);
    let out = orientir(&["import", "schools", &schools, "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = orientir(&["import", "results", &results, "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));
    // G3: an aggregated file's ЕГЭ cell, a count of failures without scores.
    let aggregated = write_file(
        dir.path(),
        "fis-oko.csv",
        "school_id,year,procedure,subject,grade,participants,failed\nG3,2024,EGE,ru,11,10,1\n",
    );
    let out = orientir(&["import", "results", &aggregated, "--db", url]);
    assert!(out.status.success(), "{}", stderr(&out));

    let store = Store::open(url).await.expect("open");
    let stored = store.result_cells(2023..=2024).await.expect("cells");
    store.close().await;
    let e1_ru = stored
        .iter()
        .find(|s| s.cell.school_id.as_str() == "E1" && s.cell.subject == "ru")
        .expect("E1 ЕГЭ Russian");
    assert_eq!(
        e1_ru.cell.failed, 2,
        "counted at import with the shipped minimum"
    );
    assert_eq!(
        e1_ru.cell.ege_scores,
        Some(vec![
            (20.0, 1),
            (22.5, 1),
            (26.0, 1),
            (29.5, 1),
            (30.0, 1),
            (45.0, 1),
            (60.0, 1),
            (70.0, 1),
            (80.0, 1),
            (90.0, 1)
        ]),
        "the import keeps the scores"
    );

    // The shipped rule: nobody is ШНОР; the database gives what the files give, without a warning.
    let files = Some((schools.as_str(), results.as_str()));
    let default_stored = identify_with_rule(url, None, None);
    assert_eq!(default_stored.0, "school_id,reason\n");
    let default_files = identify_with_rule(url, None, files);
    assert_eq!(
        (&default_stored.0, &default_stored.1),
        (&default_files.0, &default_files.1)
    );
    assert!(
        !default_stored.2.contains("пороги ЕГЭ"),
        "{}",
        default_stored.2
    );

    // ЕГЭ Russian minimum 30: E1 fails two procedures; F2's pupils at exactly 30 pass.
    let custom = write_file(
        dir.path(),
        "custom.toml",
        "version = \"2024-ege30\"\n[ege_min_score]\nru = 30\n",
    );
    let custom_stored = identify_with_rule(url, Some(&custom), None);
    let custom_files = identify_with_rule(url, Some(&custom), files);
    assert_eq!(custom_files.0, "school_id,reason\nE1,two_procedures\n");
    assert_eq!(
        (&custom_stored.0, &custom_stored.1),
        (&custom_files.0, &custom_files.1),
        "the database recounts ЕГЭ with the rule's minimum, as the files do"
    );
    assert!(
        custom_stored.1.contains("\"failed\": 4"),
        "{}",
        custom_stored.1
    );
    // G3's cell came from an aggregated file: the warning counts it.
    assert!(
        custom_stored
            .2
            .contains("пороги ЕГЭ правила отличаются от встроенных")
            && custom_stored.2.contains("таких ячеек: 1"),
        "{}",
        custom_stored.2
    );

    // A rule changing only a subject outside the rule's subjects has nothing to warn about.
    let physics = write_file(
        dir.path(),
        "physics.toml",
        "version = \"2024-phys\"\n[ege_min_score]\nphys = 36\n",
    );
    let physics_stored = identify_with_rule(url, Some(&physics), None);
    assert_eq!(physics_stored.0, default_stored.0);
    assert!(
        !physics_stored.2.contains("пороги ЕГЭ"),
        "{}",
        physics_stored.2
    );
}

#[tokio::test]
async fn a_custom_ege_minimum_recounts_stored_results_on_sqlite() {
    let db = TestDb::sqlite().await;
    custom_ege_story(&db.url).await;
}

#[tokio::test]
async fn a_custom_ege_minimum_recounts_stored_results_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    custom_ege_story(&db.url).await;
}

#[test]
fn aggregated_results_are_recognised_by_their_header() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let (schools, _) = identify_files(dir.path());
    assert!(
        orientir(&["import", "schools", &schools, "--db", &db])
            .status
            .success()
    );
    let aggregated = write_file(
        dir.path(),
        "fis-oko.csv",
        "\u{feff}school_id;year;procedure;subject;grade;participants;failed;mark2;mark3;mark4;mark5\r\n\
         A1;2024;VPR;ru;5;10;3;3;4;2;1\r\nA1;2024;OGE;math;9;10;4;4;4;1;1\r\n\
         C3;2024;VPR;ru;5;10;1;1;5;3;1\r\n",
    );
    let out = orientir(&["import", "results", &aggregated, "--db", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("агрегированные результаты"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("ячеек 3"), "{}", stdout(&out));
    let out = orientir(&["identify", "--year", "2024", "--db", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "school_id,reason\nA1,two_procedures\n");
}

#[test]
fn identify_needs_both_files_or_neither() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (schools, results) = identify_files(dir.path());
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let out = orientir(&[
        "identify",
        "--year",
        "2024",
        "--schools",
        &schools,
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("указан --schools без --results"),
        "{}",
        stderr(&out)
    );
    let out = orientir(&["identify", "--year", "2024", "--results", &results]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("указан --results без --schools"),
        "{}",
        stderr(&out)
    );
    let out = orientir(&[
        "identify",
        "--year",
        "2024",
        "--schools",
        &schools,
        "--results",
        &results,
        "--save",
        "--db",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("--save записывает статусы"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("o.db").exists(), "no database was created");

    let out = orientir(&["identify", "--year", "2024", "--db", &db]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("в базе данных нет школ"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_results_names_a_missing_file_before_opening_the_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("o.db").display());
    let out = orientir(&["import", "results", "/no/such/results.csv", "--db", &db]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("/no/such/results.csv: файл не найден"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("o.db").exists(), "no database was created");
}

/// `orientir …` with `input` on stdin.
fn orientir_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orientir"))
        .args(args)
        .env_remove("ORIENTIR_DB")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run orientir");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("orientir finishes")
}

#[test]
fn user_add_takes_the_password_from_stdin_or_prints_a_generated_one_and_refuses_bad_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("sqlite://{}", dir.path().join("u.db").display());
    let schools = good_file(dir.path());
    assert!(
        orientir(&["import", "schools", &schools, "--db", &db])
            .status
            .success()
    );

    let add = |login: &str, role: &str, scope: &str, input: &str| {
        orientir_with_stdin(
            &[
                "user", "add", "--login", login, "--role", role, "--scope", scope, "--db", &db,
            ],
            input,
        )
    };
    let out = add(
        "anna",
        "municipal_coordinator",
        "municipality:1",
        "длинный-пароль-123\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Пользователь «anna» создан: Муниципальный координатор"),
        "{}",
        stdout(&out)
    );
    assert!(
        !stdout(&out).contains("Пароль"),
        "a typed password is not printed back"
    );

    let out = add("boris", "observer", "region:1", "");
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = stdout(&out);
    let generated = printed
        .lines()
        .find_map(|l| l.strip_prefix("Пароль (показан один раз): "))
        .unwrap_or_else(|| panic!("a generated password is printed: {printed}"));
    assert_eq!(generated.chars().count(), 16);

    let refusals = [
        (
            add("anna", "observer", "region:1", "другой-пароль-123\n"),
            "уже есть",
        ),
        (
            add("vera", "boss", "region:1", "длинный-пароль-123\n"),
            "--role",
        ),
        (
            add("vera", "observer", "planet:1", "длинный-пароль-123\n"),
            "--scope",
        ),
        (
            add(
                "vera",
                "observer",
                "municipality:99",
                "длинный-пароль-123\n",
            ),
            "такого региона, муниципалитета или школы в базе нет",
        ),
        (
            add("vera", "observer", "region:1", "короткий\n"),
            "не короче 10",
        ),
        (
            add(
                "вера петровна",
                "observer",
                "region:1",
                "длинный-пароль-123\n",
            ),
            "пробел",
        ),
    ];
    for (out, expected) in refusals {
        assert!(!out.status.success(), "refused: {}", stdout(&out));
        assert!(
            stderr(&out).contains(expected),
            "«{expected}» in: {}",
            stderr(&out)
        );
    }

    let out = orientir(&[
        "user",
        "token",
        "--login",
        "anna",
        "--name",
        "выгрузка",
        "--db",
        &db,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_owned();
    assert_eq!(token.len(), 64, "a 64-hex token: {}", stdout(&out));
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    let out = orientir(&["user", "token", "--login", "nobody", "--db", &db]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("нет пользователя с логином «nobody»"),
        "{}",
        stderr(&out)
    );
}
