//! The HTTP server loop (instead of `axum::serve`, which has no timeouts): a connection must send
//! its request headers within `header_timeout` — also while idle between keep-alive requests — or
//! it is closed; at most `max_connections` are open at once and at most `per_client` from one
//! address, so idle or half-sent connections cannot exhaust the server's file descriptors and
//! memory. Each request carries `ConnectInfo<SocketAddr>` (the client's address). Shutdown stops
//! accepting, lets requests in flight finish (for at most `drain`), then returns.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

/// Limits of the server loop.
#[derive(Debug, Clone, Copy)]
pub struct ServerOptions {
    pub header_timeout: Duration,
    pub max_connections: usize,
    pub per_client: usize,
    pub drain: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 2048,
            // Behind a reverse proxy every connection comes from the proxy: keep this generous.
            per_client: 256,
            drain: Duration::from_secs(10),
        }
    }
}

/// Open connections, in all and per client address.
#[derive(Default)]
struct Counts {
    total: usize,
    by_client: HashMap<IpAddr, usize>,
}

/// A connection's place in [`Counts`], given back when the connection ends.
struct Slot {
    counts: Arc<Mutex<Counts>>,
    client: IpAddr,
}

impl Slot {
    fn take(counts: &Arc<Mutex<Counts>>, client: IpAddr, options: &ServerOptions) -> Option<Self> {
        let mut c = counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mine = c.by_client.get(&client).copied().unwrap_or(0);
        if c.total >= options.max_connections || mine >= options.per_client {
            return None;
        }
        c.total += 1;
        c.by_client.insert(client, mine + 1);
        Some(Self {
            counts: counts.clone(),
            client,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut c = self
            .counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        c.total = c.total.saturating_sub(1);
        if let Some(n) = c.by_client.get_mut(&self.client) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                c.by_client.remove(&self.client);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    options: ServerOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let counts = Arc::new(Mutex::new(Counts::default()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors or the like: wait instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = Slot::take(&counts, client.ip(), &options) else {
            tracing::debug!(client = %client.ip(), "connection refused: too many open");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(client));
                app.clone().oneshot(request.map(Body::new))
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(options.header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(err) = result {
                        tracing::debug!(error = %err, "connection ended");
                    }
                    return;
                }
                _ = stop.wait_for(|stop| *stop) => connection.as_mut().graceful_shutdown(),
            }
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection ended during shutdown");
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Requests in flight finish; connections still open after `drain` are dropped with the runtime.
    let deadline = tokio::time::Instant::now() + options.drain;
    while open(&counts) > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(())
}

fn open(counts: &Arc<Mutex<Counts>>) -> usize {
    counts
        .lock()
        .map_or_else(|poisoned| poisoned.into_inner().total, |c| c.total)
}
