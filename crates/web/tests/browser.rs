//! A user's walk through the demo region in a real browser (headless Chromium via chromedriver):
//! region → municipality → filter by status → school card. Proves the pages work as served, with
//! the stylesheet, links and the filter form, and leaves a screenshot of the school card for
//! humans in the temporary directory.
//!
//! Without chromium and chromedriver the test is skipped with a message, except under CI (`CI`
//! set), where it fails.

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .expect("open a Chromium session through chromedriver")
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_walks_from_the_region_to_a_filtered_list_and_a_school_card() {
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

    let driver = Chromedriver::start();
    let profile = tempfile::tempdir().expect("a fresh browser profile directory");
    let client = connect(&driver, profile.path()).await;
    // Run the walk as a task so that the browser session is closed even when an assertion fails.
    let walk_client = client.clone();
    let outcome = tokio::spawn(async move { walk(&walk_client, &base).await }).await;
    let _ = client.close().await;
    server.abort();
    match outcome {
        Ok(()) => {}
        Err(failure) if failure.is_panic() => std::panic::resume_unwind(failure.into_panic()),
        Err(failure) => panic!("the walk did not finish: {failure}"),
    }
}
