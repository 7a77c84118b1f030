//! The real server loop on a port of its own: half-sent requests are timed out, one client cannot
//! hold every connection, and the server answers others meanwhile.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use orientir_store::testing::TestDb;
use orientir_web::server::{ServerOptions, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;

/// A running server and the way to stop it.
struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    async fn start(options: ServerOptions) -> (Running, TestDb) {
        let db = TestDb::sqlite().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("the address");
        let (stop, stopped) = oneshot::channel::<()>();
        let app = orientir_web::app(db.store.clone());
        let task = tokio::spawn(serve(listener, app, options, async move {
            let _ = stopped.await;
        }));
        (
            Running {
                addr,
                stop: Some(stop),
                task,
            },
            db,
        )
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = tokio::time::timeout(Duration::from_secs(15), self.task)
            .await
            .expect("the server stops");
        result
            .expect("the server task")
            .expect("the server ends well");
    }
}

/// A connection from `from` (any 127.x.y.z address is this machine).
async fn connect_from(from: &str, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(format!("{from}:0").parse().expect("an address"))?;
    socket.connect(to).await
}

/// Sends a whole GET and reads the answer's status line.
async fn get_status(from: &str, to: SocketAddr, path: &str) -> std::io::Result<String> {
    let mut stream = connect_from(from, to).await?;
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

/// Whether the server closes `stream` within `within` (a read returns end of file or an error).
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 512];
    match tokio::time::timeout(within, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    {
        Ok(()) => true,
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let options = ServerOptions {
        header_timeout: Duration::from_millis(500),
        ..ServerOptions::default()
    };
    let (server, _db) = Running::start(options).await;
    let mut slow = connect_from("127.0.0.1", server.addr)
        .await
        .expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: te")
        .await
        .expect("half a request");
    let started = Instant::now();
    assert!(
        closed_within(&mut slow, Duration::from_secs(5)).await,
        "closed"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "not before the timeout"
    );
    // An idle keep-alive connection is closed the same way.
    let mut idle = connect_from("127.0.0.1", server.addr)
        .await
        .expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .expect("a request");
    assert!(
        closed_within(&mut idle, Duration::from_secs(5)).await,
        "idle closed"
    );
    server.stop().await;
}

#[tokio::test]
async fn one_client_holding_connections_does_not_stop_the_others() {
    let options = ServerOptions {
        header_timeout: Duration::from_secs(30),
        max_connections: 400,
        per_client: 100,
        ..ServerOptions::default()
    };
    let (server, _db) = Running::start(options).await;
    // 300 half-sent requests from one address: 100 are held, the rest closed at once.
    let mut held = Vec::new();
    for _ in 0..300 {
        let mut stream = connect_from("127.0.0.1", server.addr)
            .await
            .expect("connect");
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: x").await;
        held.push(stream);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut refused = 0;
    for stream in held.iter_mut() {
        if closed_within(stream, Duration::from_millis(20)).await {
            refused += 1;
        }
    }
    assert_eq!(
        refused, 200,
        "the connections beyond 100 of one client are closed"
    );
    // Another client is answered at once.
    let started = Instant::now();
    let status = get_status("127.0.0.2", server.addr, "/healthz")
        .await
        .expect("healthz");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(held);
    // Once the held connections go, their client is served again.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = get_status("127.0.0.1", server.addr, "/healthz")
        .await
        .expect("healthz");
    assert_eq!(status, "HTTP/1.1 200 OK");
    server.stop().await;
}

#[tokio::test]
async fn shutdown_lets_a_request_in_flight_finish() {
    let (server, _db) = Running::start(ServerOptions::default()).await;
    let status = get_status("127.0.0.1", server.addr, "/healthz")
        .await
        .expect("healthz");
    assert_eq!(status, "HTTP/1.1 200 OK");
    let addr = server.addr;
    server.stop().await;
    assert!(
        get_status("127.0.0.1", addr, "/healthz").await.is_err(),
        "nothing listens after shutdown"
    );
}
