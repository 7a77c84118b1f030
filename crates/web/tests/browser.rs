//! Users' walks through the demo region in a real browser (headless Chromium via chromedriver):
//! region → municipality → filter by status → school card; and a coordinator's road map: upload a
//! document from the municipality page, check the preview, save, edit an activity, download the
//! DOCX; and the weekly loop of a school road map: the school lead reports an activity done with a
//! PDF, the curator returns it with a comment, the school attaches another file, the curator
//! accepts, the municipality sees the figures and «История» (each person signs in through the
//! form). Proves the pages work as served, with the stylesheet, links and forms (real file uploads
//! included), and leaves screenshots of the school card, the road map and the accepted activity
//! for humans in the temporary directory.
//!
//! Without chromium and chromedriver the test is skipped with a message, except under CI (`CI`
//! set), where it fails.

use std::future::Future;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use orientir_store::Store;
use orientir_store::testing::TestDb;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WAIT: Duration = Duration::from_secs(10);

/// chromedriver, stopped when dropped so a failing test leaves no process behind.
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    fn start() -> Chromedriver {
        let port = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|l| l.local_addr())
            .expect("find a free port for chromedriver")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Chromedriver { child, port };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + WAIT;
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {port} within {WAIT:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the browser is installed; when not, CI fails and a developer's run is skipped.
fn browser_available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "CI requires the browser test, but {} is missing: apt-get install chromium chromium-driver",
            missing.join(", ")
        );
    }
    eprintln!("skipped: browser test (install chromium and chromium-driver)");
    false
}

async fn connect(driver: &Chromedriver, profile: &Path) -> Client {
    let options = serde_json::json!({
        "binary": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,1000",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".to_owned(), options);
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .expect("open a Chromium session through chromedriver");
    // A page that does not load (a navigation, a click that submits a form) fails within WAIT
    // rather than WebDriver's default minute.
    client
        .update_timeouts(TimeoutConfiguration::new(Some(WAIT), Some(WAIT), None))
        .await
        .expect("set the session's timeouts");
    client
}

async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} is on the page: {e}"))
        .text()
        .await
        .expect("read the element's text")
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} appears within {WAIT:?}: {e}"))
}

/// The walk itself; any failure panics with what the user would have seen go wrong.
async fn walk(client: &Client, base: &str) {
    client.goto(&format!("{base}/")).await.expect("open /");
    wait_for(client, "#municipalities").await;
    assert_eq!(
        text(client, "h1").await,
        "Северо-Озёрская область",
        "/ leads to the only region"
    );
    let municipalities = client
        .find_all(Locator::Css("#municipalities tbody tr"))
        .await
        .expect("municipality rows");
    assert!(
        municipalities.len() >= 3,
        "the demo region has at least 3 municipalities, the page shows {}",
        municipalities.len()
    );

    client
        .find(Locator::LinkText("Берёзовский муниципальный район"))
        .await
        .expect("the municipality is linked from the region page")
        .click()
        .await
        .expect("click the municipality");
    wait_for(client, "#found").await;
    assert_eq!(text(client, "h1").await, "Берёзовский муниципальный район");
    let all_schools = client
        .find_all(Locator::Css("#schools tbody tr"))
        .await
        .expect("school rows");
    assert!(
        !all_schools.is_empty(),
        "the municipality lists its schools"
    );
    let found_before = text(client, "#found").await;

    client
        .find(Locator::Css("select#status"))
        .await
        .expect("the status filter")
        .select_by_label("ШНОР")
        .await
        .expect("choose ШНОР");
    client
        .find(Locator::XPath(
            "//form//button[normalize-space()='Показать']",
        ))
        .await
        .expect("the «Показать» button")
        .click()
        .await
        .expect("submit the filter");
    // Only the page served for the filtered list has the option marked selected in its markup.
    wait_for(
        client,
        "select#status option[value='low_results'][selected]",
    )
    .await;
    let found_after = text(client, "#found").await;
    assert_ne!(
        found_after, found_before,
        "the count changes once the list is filtered"
    );
    let rows = client
        .find_all(Locator::Css("#schools tbody tr"))
        .await
        .expect("filtered rows");
    assert!(
        !rows.is_empty(),
        "the demo district has ШНОР schools ({found_after})"
    );
    assert!(
        rows.len() < all_schools.len(),
        "the filter narrowed the list"
    );
    for row in &rows {
        let badges = row
            .find_all(Locator::Css(".badge-low_results"))
            .await
            .expect("badges of a row");
        let name = row.text().await.unwrap_or_default();
        assert_eq!(badges.len(), 1, "row «{name}» has a ШНОР badge");
        assert_eq!(badges[0].text().await.expect("badge text"), "ШНОР");
    }

    let first = client
        .find(Locator::Css("#schools tbody th a"))
        .await
        .expect("a school link");
    let school_name = first.text().await.expect("the link's text");
    first.click().await.expect("open the school card");
    wait_for(client, "#statuses-title").await;
    assert_eq!(
        text(client, "h1").await,
        school_name,
        "the card is the school clicked"
    );
    assert_eq!(
        text(client, "#statuses-title").await,
        "Статусы по учебным годам"
    );

    let png = client.screenshot().await.expect("take a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    let path = std::env::temp_dir().join("orientir-browser-school.png");
    std::fs::write(&path, png).expect("save the screenshot");
    eprintln!("screenshot of the school card: {}", path.display());
}

/// Serves the demo region in-process, signs a regional coordinator in and runs `walk` with the
/// client and the application's base URL; the session is closed even when the walk fails.
async fn in_browser<W, F>(walk: W)
where
    W: FnOnce(Client, String) -> F + Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    in_browser_with(
        |store| async move {
            let region = store.regions().await.expect("regions")[0].id;
            orientir_web::testing::user(
                &store,
                "coordinator",
                orientir_domain::registry::Role::RegionalCoordinator,
                &orientir_domain::registry::Scope::Region(region),
            )
            .await
            .expect("a coordinator account")
        },
        |client, base, user| async move {
            sign_in(&client, &base, &user.login, orientir_web::testing::PASSWORD).await;
            walk(client, base).await;
        },
    )
    .await;
}

/// Serves the demo region in-process, lets `setup` add what the walk needs straight to the store
/// (road maps, accounts), opens a browser session with nobody signed in and runs `walk` with the
/// client, the application's base URL and what `setup` returned; the session is closed even when
/// the walk fails.
async fn in_browser_with<S, SF, T, W, F>(setup: S, walk: W)
where
    S: FnOnce(Store) -> SF,
    SF: Future<Output = T>,
    W: FnOnce(Client, String, T) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    if !browser_available() {
        return;
    }
    let db = TestDb::sqlite().await;
    db.store
        .load_demo(&orientir_domain::demo::demo_region())
        .await
        .expect("load the demo region");
    let given = setup(db.store.clone()).await;
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind the app to a free port");
    let base = format!(
        "http://{}",
        listener.local_addr().expect("the app's address")
    );
    let server =
        tokio::spawn(axum::serve(listener, orientir_web::app(db.store.clone())).into_future());

    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().expect("a fresh browser profile directory");
    let client = connect(&driver, profile.path()).await;
    // Run the walk as a task so that the browser session is closed even when an assertion fails.
    let outcome = tokio::spawn(walk(client.clone(), base, given)).await;
    let _ = client.close().await;
    server.abort();
    match outcome {
        Ok(()) => {}
        Err(failure) if failure.is_panic() => std::panic::resume_unwind(failure.into_panic()),
        Err(failure) => panic!("the walk did not finish: {failure}"),
    }
}

/// Signs in through the form, as a person would; the start page follows.
async fn sign_in(client: &Client, base: &str, login: &str, password: &str) {
    client
        .goto(&format!("{base}/login"))
        .await
        .expect("open the sign-in page");
    wait_for(client, "#login")
        .await
        .send_keys(login)
        .await
        .expect("type the login");
    wait_for(client, "#password")
        .await
        .send_keys(password)
        .await
        .expect("type the password");
    wait_for(client, "#login-form button[type=submit]")
        .await
        .click()
        .await
        .expect("submit the sign-in form");
    wait_for(client, "#account").await;
}

/// `orientir_session=…` of the browser, for downloads made outside it.
async fn session_cookie(client: &Client) -> String {
    let cookie = client
        .get_named_cookie("orientir_session")
        .await
        .expect("the browser holds a session cookie");
    format!("orientir_session={}", cookie.value())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_walks_from_the_region_to_a_filtered_list_and_a_school_card() {
    in_browser(|client, base| async move { walk(&client, &base).await }).await;
}

const ROAD_MAP_TITLE: &str = "Дорожная карта по поддержке школ на 2024-2025 уч. год";
const ROAD_MAP_FILE: &str = "дорожная карта.txt";
/// The activities of the uploaded document: title, period as written, responsible.
const ACTIVITIES: [(&str, &str, &str); 3] = [
    (
        "Анализ результатов ВПР",
        "Сентябрь 2024 г.",
        "Иванова А.А. Петров Б.Б.",
    ),
    (
        "Методический семинар для учителей",
        "Каждый вторник, Октябрь – декабрь 2024",
        "Отдел образования",
    ),
    (
        "Итоговая встреча с родителями",
        "когда-нибудь потом",
        "Петров Б.Б.",
    ),
];
const EDITED_TITLE: &str = "Анализ результатов ВПР (уточнено)";

/// A road map as text copied from a PDF: a title line and a tab-separated table with a section.
fn road_map_text() -> String {
    let mut text = format!(
        "{ROAD_MAP_TITLE}\n\n№\tМероприятия\tСроки\tОтветственный\nI. Организационная работа\t\t\t\n"
    );
    for (n, (title, period, responsible)) in ACTIVITIES.iter().enumerate() {
        text.push_str(&format!("{}\t{title}\t{period}\t{responsible}\n", n + 1));
    }
    text
}

/// A plain HTTP/1.0 GET, as a download manager would do it: status, headers (names lower-cased)
/// and body.
fn http_get(base: &str, path: &str, cookie: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let address = base.trim_start_matches("http://").to_owned();
    let socket: SocketAddr = address.parse().expect("the app's socket address");
    let mut stream = TcpStream::connect_timeout(&socket, WAIT).expect("connect to the app");
    stream.set_read_timeout(Some(WAIT)).expect("read timeout");
    stream.set_write_timeout(Some(WAIT)).expect("write timeout");
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {address}\r\nCookie: {cookie}\r\n\r\n"
    )
    .expect("send the request");
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .expect("read the response within the timeout");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("the response has a header block");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let body = response[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {status_line}"));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    (status, headers, body)
}

async fn click_button(client: &Client, label: &str) {
    client
        .find(Locator::XPath(&format!(
            "//form//button[normalize-space()='{label}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("the «{label}» button is on the page: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click «{label}»: {e}"));
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client
        .find_all(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("look for {css}: {e}"))
    {
        texts.push(element.text().await.expect("read the element's text"));
    }
    texts
}

async fn count(client: &Client, css: &str) -> usize {
    client
        .find_all(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("look for {css}: {e}"))
        .len()
}

/// The coordinator's walk: municipality → upload → preview → save → edit → DOCX.
async fn road_map_walk(client: &Client, base: &str) {
    client.goto(&format!("{base}/")).await.expect("open /");
    wait_for(client, "#municipalities").await;
    client
        .find(Locator::LinkText("Берёзовский муниципальный район"))
        .await
        .expect("the municipality is linked from the region page")
        .click()
        .await
        .expect("click the municipality");
    wait_for(client, "#found").await;
    let municipality_url = client.current_url().await.expect("the municipality's URL");
    assert!(
        municipality_url.path().starts_with("/municipalities/"),
        "the region page links to /municipalities/{{id}}, not {municipality_url}"
    );
    let upload = wait_for(client, "#upload-road-map").await;
    assert_eq!(
        upload.text().await.expect("the link's text"),
        "Загрузить дорожную карту"
    );
    upload.click().await.expect("open the upload form");

    // The upload form: a real file chosen through the file input.
    let input = wait_for(client, "input#file").await;
    assert_eq!(text(client, "h1").await, "Загрузка дорожной карты");
    let folder = tempfile::tempdir().expect("a folder for the document");
    let file = folder.path().join(ROAD_MAP_FILE);
    std::fs::write(&file, road_map_text()).expect("write the road-map document");
    let absolute = file.canonicalize().expect("the document's absolute path");
    input
        .send_keys(absolute.to_str().expect("a UTF-8 path"))
        .await
        .expect("choose the file");
    click_button(client, "Загрузить и проверить").await;

    // The preview: what was understood, nothing stored yet.
    wait_for(client, "#save-form").await;
    assert_eq!(
        text(client, "h1").await,
        ROAD_MAP_TITLE,
        "the preview's title"
    );
    let titles = texts(client, "#activities tr.activity td:nth-child(2)").await;
    assert_eq!(
        titles,
        ACTIVITIES.map(|(title, _, _)| title),
        "the preview lists the activities in order"
    );
    assert_eq!(
        texts(client, "#activities .section-row th").await,
        ["I. Организационная работа"]
    );
    assert_eq!(
        count(client, "#export-docx").await,
        0,
        "nothing to download before saving"
    );
    click_button(client, "Сохранить дорожную карту").await;

    // The saved road map.
    wait_for(client, "#export-docx").await;
    let saved_url = client.current_url().await.expect("the road map's URL");
    assert!(
        saved_url.path().starts_with("/road-maps/"),
        "saving opens the road map, not {saved_url}"
    );
    assert_eq!(text(client, "h1").await, ROAD_MAP_TITLE);
    let meta = text(client, "#meta").await;
    assert!(
        meta.contains(&format!("«{ROAD_MAP_FILE}»")),
        "the meta line names the uploaded file: {meta}"
    );
    wait_for(client, "svg#timeline").await;
    assert_eq!(
        count(client, "svg#timeline g.tl-row").await,
        ACTIVITIES.len(),
        "one timeline row per activity"
    );
    assert!(
        count(client, "svg#timeline rect.tl-bar").await >= 1,
        "dated activities are drawn as bars"
    );
    assert_eq!(
        count(client, "svg#timeline g.tl-row.tl-unresolved").await,
        1,
        "the unreadable period is marked on the timeline"
    );
    let flagged = client
        .find(Locator::XPath(
            "//table[@id='activities']//td[.//span[contains(@class, 'badge-unresolved')]]",
        ))
        .await
        .expect("the unresolved period is flagged in the table")
        .text()
        .await
        .expect("the flagged cell's text");
    assert!(
        flagged.contains("когда-нибудь потом"),
        "the flagged period is the one written as «когда-нибудь потом»: {flagged}"
    );
    assert_eq!(
        count(client, ".badge-unresolved").await,
        1,
        "only that period is flagged"
    );

    // Editing an activity, when the page offers it.
    let mut expected_titles = ACTIVITIES.map(|(title, _, _)| title.to_owned());
    let edit_links = client
        .find_all(Locator::Css("a.edit-activity"))
        .await
        .expect("look for edit links");
    if let Some(edit) = edit_links.first() {
        edit.click().await.expect("open the activity form");
        wait_for(client, "form#activity-form").await;
        // The title is a textarea (titles run to several lines), the other fields inputs.
        let title = wait_for(client, "form#activity-form #title").await;
        assert_eq!(
            title
                .prop("value")
                .await
                .expect("the title's value")
                .as_deref(),
            Some(ACTIVITIES[0].0),
            "the form edits the first activity"
        );
        title.clear().await.expect("clear the title");
        title.send_keys(EDITED_TITLE).await.expect("type the title");
        client
            .find(Locator::Css(
                "form#activity-form button[type=submit], form#activity-form input[type=submit]",
            ))
            .await
            .expect("the activity form's submit button")
            .click()
            .await
            .expect("submit the activity");
        client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&format!(
                "//table[@id='activities']//td[normalize-space()='{EDITED_TITLE}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("the road map shows «{EDITED_TITLE}» within {WAIT:?}: {e}"));
        assert_eq!(text(client, "h1").await, ROAD_MAP_TITLE);
        // Saving returns to the road map at the edited row.
        let back = client.current_url().await.expect("the road map's URL");
        assert_eq!(
            back.path(),
            saved_url.path(),
            "saving returns to the road map"
        );
        if let Some(anchor) = back.fragment() {
            let row = text(client, &format!("tr#{anchor}")).await;
            assert!(
                row.contains(EDITED_TITLE),
                "the anchor #{anchor} points at the edited row: {row}"
            );
        }
        expected_titles[0] = EDITED_TITLE.to_owned();
        assert_eq!(
            texts(client, "#activities tr.activity td:nth-child(2)").await,
            expected_titles,
            "only the edited activity changed"
        );
    } else {
        panic!("every activity row of the latest version offers «Изменить» (a.edit-activity)");
    }

    // The edit returns to its row further down; the screenshot shows the page from the top.
    client
        .execute("window.scrollTo(0, 0)", Vec::new())
        .await
        .expect("scroll to the top");
    let png = client.screenshot().await.expect("take a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    let path = std::env::temp_dir().join("orientir-browser-road-map.png");
    std::fs::write(&path, png).expect("save the screenshot");
    eprintln!("screenshot of the road map: {}", path.display());

    // The order's appendix, downloaded as a user's download manager would.
    let href = wait_for(client, "#export-docx")
        .await
        .attr("href")
        .await
        .expect("read the link")
        .expect("#export-docx has an href");
    assert!(href.starts_with('/'), "the DOCX link is local: {href}");
    let cookie = session_cookie(client).await;
    let (status, headers, body) = {
        let base = base.to_owned();
        let href = href.clone();
        tokio::task::spawn_blocking(move || http_get(&base, &href, &cookie))
            .await
            .expect("the download finished")
    };
    assert_eq!(status, 200, "GET {href}");
    let content_type = headers
        .iter()
        .find(|(name, _)| name == "content-type")
        .map(|(_, value)| value.as_str())
        .unwrap_or_default();
    assert_eq!(
        content_type, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "GET {href} is a DOCX"
    );
    assert!(body.starts_with(b"PK"), "the DOCX is a zip");
    let (exported, _) =
        orientir_ingest::roadmap::import_docx(&body).expect("the exported DOCX reads back");
    let exported_titles: Vec<String> = exported.activities().map(|a| a.title.clone()).collect();
    for title in &expected_titles {
        assert!(
            exported_titles.contains(title),
            "the DOCX has «{title}»: {exported_titles:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_uploads_previews_saves_edits_and_exports_a_road_map() {
    in_browser(|client, base| async move { road_map_walk(&client, &base).await }).await;
}

// --- the weekly loop: school lead ↔ curator, seen by the municipality ---------------------------

const LEAD: &str = "director";
const CURATOR: &str = "curator";
const MUNICIPAL: &str = "municipal";
const RETURN_COMMENT: &str = "Нужна подпись директора";
const FIRST_FILE: &str = "приказ о назначении координатора.pdf";
const SECOND_FILE: &str = "приказ с подписью директора.pdf";

/// What the store was given before the loop: a school with its road map, and who works on it.
struct WeeklyLoop {
    school_id: String,
    school_name: String,
    municipality_id: i64,
    road_map_title: String,
    /// The activity the loop moves: due in the past, it names an output document.
    activity: String,
}

/// The demo's school road maps (one per ШНОР school), the first school's lead, a curator
/// assigned to it and a coordinator of its municipality.
async fn weekly_loop_setup(store: Store) -> WeeklyLoop {
    use orientir_domain::demo::{DemoScope, demo_region, demo_road_maps};
    use orientir_domain::registry::{Role, Scope};

    let mut first = None;
    for (scope, map) in demo_road_maps(&demo_region()) {
        if let DemoScope::School(id) = scope {
            store
                .save_road_map(&Scope::School(id.clone()), &map, None)
                .await
                .expect("save a demo school road map");
            first.get_or_insert((id, map));
        }
    }
    let (school, map) = first.expect("the demo has school road maps");
    let activity = map
        .activities()
        .next()
        .expect("the school road map has activities");
    assert!(
        activity.output.as_deref().is_some_and(|o| !o.is_empty()),
        "the loop's activity names an output document, so «Выполнено» needs evidence"
    );
    let card = store
        .school(&school)
        .await
        .expect("read the school")
        .expect("the road map's school exists");
    let municipality = Scope::Municipality(card.municipality_id);
    orientir_web::testing::user(
        &store,
        LEAD,
        Role::SchoolLead,
        &Scope::School(school.clone()),
    )
    .await
    .expect("a school lead account");
    let curator = orientir_web::testing::user(&store, CURATOR, Role::Curator, &municipality)
        .await
        .expect("a curator account");
    store
        .assign_curator(curator.id, &school)
        .await
        .expect("assign the curator to the school");
    orientir_web::testing::user(&store, MUNICIPAL, Role::MunicipalCoordinator, &municipality)
        .await
        .expect("a municipal coordinator account");
    WeeklyLoop {
        school_id: school.to_string(),
        school_name: card.name,
        municipality_id: card.municipality_id,
        road_map_title: map.title.clone(),
        activity: activity.title.clone(),
    }
}

/// Waits for `css`; when it does not come, fails with what the page says instead (an error
/// page's message, a form's complaint).
async fn expect_page(client: &Client, css: &str, what: &str) -> fantoccini::elements::Element {
    match client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => element,
        Err(e) => {
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let shown = match client.find(Locator::Css("main")).await {
                Ok(main) => main.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            panic!("{what}: {css} did not appear within {WAIT:?} ({e}); {url} shows:\n{shown}");
        }
    }
}

/// The rows of a table as header → cell text; no rows when the table is absent (the page says
/// it is empty instead).
async fn table_rows(
    client: &Client,
    table: &str,
) -> Vec<std::collections::BTreeMap<String, String>> {
    const SCRIPT: &str = "const t = document.querySelector(arguments[0]); if (!t) return []; \
        const heads = [...t.querySelectorAll('thead th')].map(h => h.innerText.trim()); \
        return [...t.querySelectorAll('tbody tr')].map(r => Object.fromEntries( \
            [...r.children].map((c, i) => [heads[i], c.innerText.trim()])));";
    let value = client
        .execute(SCRIPT, vec![serde_json::json!(table)])
        .await
        .unwrap_or_else(|e| panic!("read the table {table}: {e}"));
    serde_json::from_value(value).unwrap_or_else(|e| panic!("the rows of {table}: {e}"))
}

/// The one row of `table` whose cells read as `wanted` says (column, text).
async fn table_row(
    client: &Client,
    table: &str,
    wanted: &[(&str, &str)],
) -> std::collections::BTreeMap<String, String> {
    let rows = table_rows(client, table).await;
    let mut found = rows.iter().filter(|row| {
        wanted
            .iter()
            .all(|(column, value)| row.get(*column).map(String::as_str) == Some(*value))
    });
    match (found.next(), found.next()) {
        (Some(row), None) => row.clone(),
        _ => panic!("{table} has exactly one row with {wanted:?}: {rows:#?}"),
    }
}

fn cell<'a>(row: &'a std::collections::BTreeMap<String, String>, column: &str) -> &'a str {
    row.get(column)
        .unwrap_or_else(|| panic!("the row has a «{column}» column: {row:?}"))
}

fn number(row: &std::collections::BTreeMap<String, String>, column: &str) -> u32 {
    let text = cell(row, column);
    text.parse()
        .unwrap_or_else(|e| panic!("«{column}» is a number, not «{text}»: {e}"))
}

/// Clicks the link reading `label` inside `scope` (an XPath prefix) and waits for `then`.
async fn follow(client: &Client, scope: &str, label: &str, then: &str) {
    client
        .find(Locator::XPath(&format!(
            "{scope}//a[normalize-space()='{label}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("a link «{label}» in {scope}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click «{label}»: {e}"));
    expect_page(client, then, &format!("after following «{label}»")).await;
}

/// Signs out with the header's «Выйти» and lands on the sign-in form.
async fn sign_out(client: &Client) {
    let button = wait_for(client, "#account form button[type=submit]").await;
    assert_eq!(button.text().await.expect("the button's text"), "Выйти");
    button.click().await.expect("click «Выйти»");
    expect_page(client, "#login-form", "signing out").await;
    assert_eq!(count(client, "#account").await, 0, "nobody is signed in");
}

/// Opens «Мои задачи» from the header and waits for `section` of the user's dashboard.
async fn my_dashboard(client: &Client, section: &str) {
    client
        .find(Locator::XPath(
            "//nav[contains(@class, 'site-nav')]//a[normalize-space()='Мои задачи']",
        ))
        .await
        .expect("«Мои задачи» in the header")
        .click()
        .await
        .expect("open «Мои задачи»");
    expect_page(client, section, "opening «Мои задачи»").await;
}

/// The status the activity page shows for its (only) occurrence.
async fn status_label(client: &Client) -> String {
    text(client, "#occurrence-1 .status").await
}

/// Presses a status button of the activity page (with a comment, if any) and waits for the
/// status it sets to be shown.
async fn move_status(client: &Client, code: &str, comment: Option<&str>) {
    if let Some(comment) = comment {
        wait_for(client, "#occurrence-1 .status-form textarea[name=comment]")
            .await
            .send_keys(comment)
            .await
            .expect("type the comment");
    }
    wait_for(
        client,
        &format!("#occurrence-1 button.status-button[data-status='{code}']"),
    )
    .await
    .click()
    .await
    .unwrap_or_else(|e| panic!("press the «{code}» button: {e}"));
    expect_page(
        client,
        &format!("#occurrence-1 .status.status-{code}"),
        &format!("setting the status «{code}»"),
    )
    .await;
}

/// Chooses a file in the evidence form, attaches it and waits for it in the list.
async fn attach(client: &Client, file: &Path) {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name");
    let absolute = file.canonicalize().expect("the file's absolute path");
    wait_for(client, "#occurrence-1 form.evidence-form input[name=file]")
        .await
        .send_keys(absolute.to_str().expect("a UTF-8 path"))
        .await
        .expect("choose the file");
    wait_for(
        client,
        "#occurrence-1 form.evidence-form button[type=submit]",
    )
    .await
    .click()
    .await
    .expect("press «Приложить»");
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(&format!(
            "//section[@id='occurrence-1']//ul[contains(@class, 'evidence')]//a[normalize-space()='{name}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("«{name}» is listed after attaching it within {WAIT:?}: {e}"));
}

/// A small real PDF.
fn write_pdf(folder: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = folder.join(name);
    let body = format!(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
         2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {text}\n\
         trailer << /Root 1 0 R >>\n%%EOF\n"
    );
    std::fs::write(&path, body).expect("write the PDF");
    path
}

/// «История» of the activity page, oldest first: (who, what, change).
async fn history(client: &Client) -> Vec<(String, String, String)> {
    let mut lines: Vec<(String, String, String)> = table_rows(client, "#history")
        .await
        .into_iter()
        .map(|row| {
            (
                cell(&row, "Кто").to_owned(),
                cell(&row, "Что").to_owned(),
                cell(&row, "Изменение").to_owned(),
            )
        })
        .collect();
    lines.reverse();
    lines
}

/// The status an «История» line of a status change records, and its comment.
/// «Выполнено → Принято; комментарий: «…»» → the new status label and the comment.
fn status_change(change: &str) -> (String, Option<String>) {
    let (statuses, comment) = match change.split_once("; комментарий: ") {
        Some((statuses, comment)) => (
            statuses,
            Some(
                comment
                    .trim_start_matches('«')
                    .trim_end_matches('»')
                    .to_owned(),
            ),
        ),
        None => (change, None),
    };
    let after = statuses.rsplit(" → ").next().unwrap_or(statuses);
    (after.trim().to_owned(), comment)
}

async fn weekly_loop_walk(client: &Client, base: &str, given: WeeklyLoop) {
    use orientir_web::testing::PASSWORD;
    let WeeklyLoop {
        school_id,
        school_name,
        municipality_id,
        road_map_title,
        activity,
    } = given;
    let folder = tempfile::tempdir().expect("a folder for the evidence");
    let first_pdf = write_pdf(folder.path(), FIRST_FILE, "Приказ № 12 от 02.09.2024");
    let second_pdf = write_pdf(folder.path(), SECOND_FILE, "Приказ № 12, подписан");

    // 0. The municipality before the loop: the activity is overdue, nothing waits for review.
    sign_in(client, base, MUNICIPAL, PASSWORD).await;
    my_dashboard(client, "section#overdue").await;
    let url = client.current_url().await.expect("the dashboard's URL");
    assert_eq!(
        url.path(),
        format!("/dashboard/municipalities/{municipality_id}"),
        "«Мои задачи» of a municipal coordinator is the municipality's dashboard"
    );
    let before = table_row(client, "#schools-table", &[("Школа", &school_name)]).await;
    assert_eq!(cell(&before, "Ждут проверки"), "0", "{before:?}");
    let done_before = number(&before, "Выполнено с документами");
    let overdue_before = number(&before, "Просрочено");
    assert!(
        overdue_before >= 1,
        "the past activities are overdue: {before:?}"
    );
    let overdue = table_row(
        client,
        "#overdue-table",
        &[("Школа", &school_name), ("Мероприятие", &activity)],
    )
    .await;
    assert_eq!(cell(&overdue, "Статус"), "Запланировано (просрочено)");
    sign_out(client).await;

    // 1. The school lead starts the activity, attaches the order and reports it done.
    sign_in(client, base, LEAD, PASSWORD).await;
    my_dashboard(client, "section#returned").await;
    assert_eq!(
        client.current_url().await.expect("the URL").path(),
        format!("/dashboard/schools/{school_id}")
    );
    assert_eq!(
        text(client, "h1").await,
        format!("Мои задачи: {school_name}")
    );
    let mine = table_row(client, "#activities-table", &[("Мероприятие", &activity)]).await;
    assert_eq!(cell(&mine, "Статус"), "Запланировано (просрочено)");
    assert_eq!(cell(&mine, "Документы"), "0");
    assert_eq!(
        count(client, "#returned-table").await,
        0,
        "nothing has been returned yet"
    );
    follow(
        client,
        "//table[@id='activities-table']",
        &activity,
        "#occurrence-1",
    )
    .await;
    let activity_url = client.current_url().await.expect("the activity's URL");
    assert!(
        text(client, "#activity-title").await.ends_with(&activity),
        "the page is the activity clicked"
    );
    assert_eq!(status_label(client).await, "Запланировано");
    assert_eq!(count(client, "#occurrence-1 .overdue-badge").await, 1);
    assert_eq!(
        text(client, "#occurrence-1 .muted").await,
        "Документов пока нет."
    );
    move_status(client, "in_progress", None).await;
    assert_eq!(status_label(client).await, "Выполняется");

    // «Выполнено» without the document named in the road map is refused, with a reason.
    wait_for(
        client,
        "#occurrence-1 button.status-button[data-status='done']",
    )
    .await
    .click()
    .await
    .expect("press «Отметить выполненным»");
    let refusal = expect_page(client, ".error-code", "marking done without evidence").await;
    assert_eq!(refusal.text().await.unwrap_or_default(), "400");
    let said = text(client, "main").await;
    assert!(
        said.contains("Приложите подтверждающий документ"),
        "the refusal says what is missing: {said}"
    );
    client
        .goto(activity_url.as_str())
        .await
        .expect("back to the activity");
    expect_page(
        client,
        "#occurrence-1 .status-in_progress",
        "the activity is still in progress",
    )
    .await;

    attach(client, &first_pdf).await;
    assert_eq!(
        texts(client, "#occurrence-1 ul.evidence li a").await,
        [FIRST_FILE]
    );
    let meta = text(client, "#occurrence-1 ul.evidence li .muted").await;
    assert!(
        meta.contains(LEAD),
        "the file's line names who attached it: {meta}"
    );
    move_status(client, "done", None).await;
    assert_eq!(status_label(client).await, "Выполнено");
    assert_eq!(
        count(client, "#occurrence-1 .overdue-badge").await,
        0,
        "a done activity is not overdue"
    );
    sign_out(client).await;

    // 2. The curator finds it waiting for review and returns it with a comment.
    sign_in(client, base, CURATOR, PASSWORD).await;
    my_dashboard(client, "section#review").await;
    assert_eq!(
        client.current_url().await.expect("the URL").path(),
        "/dashboard/curator"
    );
    assert_eq!(
        text(client, "#review-heading")
            .await
            .trim_end_matches("XLSX")
            .trim(),
        "Ждут проверки"
    );
    let school_row = table_row(client, "#schools-table", &[("Школа", &school_name)]).await;
    assert_eq!(cell(&school_row, "Ждут проверки"), "1");
    let waiting = table_row(
        client,
        "#review-table",
        &[("Школа", &school_name), ("Мероприятие", &activity)],
    )
    .await;
    assert_eq!(cell(&waiting, "Документы"), "1");
    follow(
        client,
        "//table[@id='review-table']",
        &activity,
        "#occurrence-1",
    )
    .await;
    assert_eq!(status_label(client).await, "Выполнено");
    assert_eq!(
        texts(client, "#occurrence-1 ul.evidence li a").await,
        [FIRST_FILE],
        "the curator sees the school's file"
    );
    let moves = texts(client, "#occurrence-1 button.status-button").await;
    assert!(
        moves.contains(&"Принять".to_owned()) && moves.contains(&"Вернуть на доработку".to_owned()),
        "the curator may accept or return: {moves:?}"
    );
    move_status(client, "returned", Some(RETURN_COMMENT)).await;
    assert_eq!(status_label(client).await, "Возвращено на доработку");
    assert_eq!(
        texts(client, "#occurrence-1 .comments .comment-body").await,
        [RETURN_COMMENT]
    );
    assert!(
        text(client, "#occurrence-1 .comments .comment-meta")
            .await
            .starts_with(CURATOR),
        "the comment is signed by the curator"
    );
    sign_out(client).await;

    // 3. The school lead sees what was returned and why, attaches the signed order, reports again.
    sign_in(client, base, LEAD, PASSWORD).await;
    my_dashboard(client, "section#returned").await;
    let returned = table_row(client, "#returned-table", &[("Мероприятие", &activity)]).await;
    assert_eq!(
        cell(&returned, "Комментарий куратора"),
        format!("{CURATOR}: {RETURN_COMMENT}")
    );
    let mine = table_row(client, "#activities-table", &[("Мероприятие", &activity)]).await;
    assert_eq!(
        cell(&mine, "Статус"),
        "Возвращено на доработку (просрочено)"
    );
    assert_eq!(cell(&mine, "Документы"), "1");
    follow(
        client,
        "//table[@id='returned-table']",
        &activity,
        "#occurrence-1",
    )
    .await;
    assert_eq!(status_label(client).await, "Возвращено на доработку");
    assert_eq!(
        texts(client, "#occurrence-1 .comments .comment-body").await,
        [RETURN_COMMENT],
        "the activity page shows the curator's comment"
    );
    attach(client, &second_pdf).await;
    assert_eq!(
        texts(client, "#occurrence-1 ul.evidence li a").await,
        [FIRST_FILE, SECOND_FILE]
    );
    move_status(client, "done", None).await;
    assert_eq!(status_label(client).await, "Выполнено");
    sign_out(client).await;

    // 4. The curator accepts it; nothing waits for review any more.
    sign_in(client, base, CURATOR, PASSWORD).await;
    my_dashboard(client, "section#review").await;
    let waiting = table_row(client, "#review-table", &[("Мероприятие", &activity)]).await;
    assert_eq!(cell(&waiting, "Документы"), "2");
    follow(
        client,
        "//table[@id='review-table']",
        &activity,
        "#occurrence-1",
    )
    .await;
    assert_eq!(
        texts(client, "#occurrence-1 ul.evidence li a").await,
        [FIRST_FILE, SECOND_FILE]
    );
    move_status(client, "accepted", None).await;
    assert_eq!(status_label(client).await, "Принято");
    my_dashboard(client, "section#review").await;
    assert!(
        table_rows(client, "#review-table")
            .await
            .iter()
            .all(|row| row.get("Мероприятие") != Some(&activity)),
        "an accepted activity no longer waits for review"
    );
    let school_row = table_row(client, "#schools-table", &[("Школа", &school_name)]).await;
    assert_eq!(cell(&school_row, "Ждут проверки"), "0");
    sign_out(client).await;

    // 5. The municipality sees the school's progress, and the activity's «История».
    sign_in(client, base, MUNICIPAL, PASSWORD).await;
    my_dashboard(client, "section#overdue").await;
    let after = table_row(client, "#schools-table", &[("Школа", &school_name)]).await;
    assert_eq!(cell(&after, "Ждут проверки"), "0", "{after:?}");
    assert_eq!(
        number(&after, "Выполнено с документами"),
        done_before + 1,
        "the accepted activity counts as done with documents: before {before:?}, after {after:?}"
    );
    assert_eq!(
        number(&after, "Просрочено"),
        overdue_before - 1,
        "the accepted activity is no longer overdue"
    );
    assert!(
        table_rows(client, "#overdue-table")
            .await
            .iter()
            .all(|row| row.get("Мероприятие") != Some(&activity)
                || row.get("Школа") != Some(&school_name)),
        "the accepted activity left «Просроченные мероприятия»"
    );

    // From the school card to the road map, its execution and the activity.
    client
        .goto(&format!("{base}/schools/{school_id}"))
        .await
        .expect("open the school card");
    expect_page(client, "#road-maps", "the school card lists its road maps").await;
    follow(
        client,
        "//ul[@id='road-maps']",
        &road_map_title,
        "#execution-link",
    )
    .await;
    wait_for(client, "#execution-link")
        .await
        .click()
        .await
        .expect("open «Исполнение»");
    expect_page(client, "#execution-table", "the road map's execution").await;
    let row = table_row(client, "#execution-table", &[("Мероприятие", &activity)]).await;
    assert_eq!(cell(&row, "Статус"), "Принято");
    assert_eq!(cell(&row, "Документы"), "2");
    follow(
        client,
        "//table[@id='execution-table']",
        &activity,
        "#history",
    )
    .await;
    assert_eq!(status_label(client).await, "Принято");
    let lines = history(client).await;
    let statuses: Vec<(String, String)> = lines
        .iter()
        .filter(|(_, what, _)| what == "статус")
        .map(|(who, _, change)| (who.clone(), status_change(change).0))
        .collect();
    let expected = [
        (LEAD, "Выполняется"),
        (LEAD, "Выполнено"),
        (CURATOR, "Возвращено на доработку"),
        (LEAD, "Выполнено"),
        (CURATOR, "Принято"),
    ]
    .map(|(who, status)| (who.to_owned(), status.to_owned()));
    assert_eq!(
        statuses, expected,
        "«История» of statuses, oldest first: {lines:#?}"
    );
    let returned_with = lines
        .iter()
        .filter(|(_, what, _)| what == "статус")
        .find_map(|(_, _, change)| match status_change(change) {
            (status, comment) if status == "Возвращено на доработку" => {
                comment
            }
            _ => None,
        });
    assert_eq!(returned_with.as_deref(), Some(RETURN_COMMENT));
    let documents: Vec<&str> = lines
        .iter()
        .filter(|(_, what, _)| what == "подтверждающий документ")
        .map(|(who, _, _)| who.as_str())
        .collect();
    assert_eq!(
        documents,
        [LEAD, LEAD],
        "both files were attached by the school: {lines:#?}"
    );

    // The screenshot shows the discussion and «История».
    client
        .execute(
            "document.querySelector('#occurrence-1 .comments').scrollIntoView()",
            Vec::new(),
        )
        .await
        .expect("scroll to the discussion");
    let png = client.screenshot().await.expect("take a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    let path = std::env::temp_dir().join("orientir-browser-activity.png");
    std::fs::write(&path, png).expect("save the screenshot");
    eprintln!("screenshot of the accepted activity: {}", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_lead_and_a_curator_complete_the_weekly_loop() {
    in_browser_with(weekly_loop_setup, |client, base, given| async move {
        weekly_loop_walk(&client, &base, given).await;
    })
    .await;
}
