//! Heavy work on users' files (parsing an uploaded document) runs on tokio's blocking pool, never
//! on the async workers that answer every other request, and at most `PARALLEL` at once, so that
//! a few large uploads cannot starve the server.

use std::time::Duration;

use tokio::sync::Semaphore;

use crate::WebError;

/// Parses running at the same time: the machines Orientir runs on have few cores.
const PARALLEL: usize = 2;
/// How long an upload waits for its turn before the user is asked to try again.
const WAIT: Duration = Duration::from_secs(30);

static PERMITS: Semaphore = Semaphore::const_new(PARALLEL);

/// Runs `work` on the blocking pool when a permit is free.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, WebError> {
    let busy = || {
        WebError::Unavailable(
            "Сервер сейчас разбирает другие файлы. Повторите загрузку через минуту.".to_owned(),
        )
    };
    let _permit = tokio::time::timeout(WAIT, PERMITS.acquire())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|err| WebError::Internal(format!("разбор файла прерван: {err}")))
}
