//! Users' walks through the demo region in a real browser (headless Chromium via chromedriver):
//! region → municipality → filter by status → school card; and a coordinator's road map: upload a
//! document from the municipality page, check the preview, save, edit an activity, download the
//! DOCX. Proves the pages work as served, with the stylesheet, links and forms (a real file upload
//! included), and leaves screenshots of the school card and of the road map for humans in the
//! temporary directory.
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

/// Serves the demo region in-process, opens a browser session and runs `walk` with the client
/// and the application's base URL; the session is closed even when the walk fails.
async fn in_browser<W, F>(walk: W)
where
    W: FnOnce(Client, String) -> F,
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
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .expect("bind the app to a free port");
    let base = format!(
        "http://{}",
        listener.local_addr().expect("the app's address")
    );
    let server =
        tokio::spawn(axum::serve(listener, orientir_web::app(db.store.clone())).into_future());

    let region = db.store.regions().await.expect("regions")[0].id;
    let user = orientir_web::testing::user(
        &db.store,
        "coordinator",
        orientir_domain::registry::Role::RegionalCoordinator,
        &orientir_domain::registry::Scope::Region(region),
    )
    .await
    .expect("a coordinator account");
    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().expect("a fresh browser profile directory");
    let client = connect(&driver, profile.path()).await;
    sign_in(&client, &base, &user.login, orientir_web::testing::PASSWORD).await;
    // Run the walk as a task so that the browser session is closed even when an assertion fails.
    let outcome = tokio::spawn(walk(client.clone(), base)).await;
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
