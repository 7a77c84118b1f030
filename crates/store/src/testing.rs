//! Fresh databases for tests, on either backend: a temporary SQLite file, or a new PostgreSQL
//! database on the server named by `ORIENTIR_TEST_PG`. Each is removed when dropped.
//!
//! PostgreSQL tests skip with a message when the variable is unset, except under CI (`CI` set),
//! where they are required.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::Store;

pub const PG_ENV: &str = "ORIENTIR_TEST_PG";

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_suffix() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!("{}_{n}_{nanos}", std::process::id())
}

/// The PostgreSQL server to test against, if any.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(PG_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => panic!(
            "CI requires the PostgreSQL tests: set {PG_ENV}=postgres://postgres@127.0.0.1:5432/postgres"
        ),
        _ => None,
    }
}

enum Cleanup {
    Files(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

/// A migrated, empty database that disappears with this value.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("orientir_test_{}.db", unique_suffix()));
        let url = format!("sqlite://{}", path.display());
        let store = Store::open(&url)
            .await
            .expect("open a temporary SQLite database");
        TestDb {
            store,
            url,
            cleanup: Cleanup::Files(path),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a message) when no server is configured.
    pub async fn postgres() -> Option<TestDb> {
        let Some(admin_url) = postgres_admin_url() else {
            eprintln!("skipped: PostgreSQL test (set {PG_ENV}=postgres://… to run it)");
            return None;
        };
        let name = format!("orientir_test_{}", unique_suffix());
        let admin = Store::connect(&admin_url)
            .await
            .expect("connect to the PostgreSQL test server");
        admin
            .execute_admin(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create a test database");
        admin.close().await;
        let url = with_database(&admin_url, &name);
        let store = Store::open(&url).await.expect("open the test database");
        Some(TestDb {
            store,
            url,
            cleanup: Cleanup::PgDatabase { admin_url, name },
        })
    }

    /// Both backends this environment offers: SQLite always, PostgreSQL when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite().await];
        dbs.extend(TestDb::postgres().await);
        dbs
    }
}

/// Replaces the database name of a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    format!("{}/{name}{query}", &base[..host_end])
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Files(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.clone().into_os_string();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            Cleanup::PgDatabase { admin_url, name } => {
                // Drop runs inside the test's runtime; a thread with its own runtime can block.
                let (admin_url, db_name) = (admin_url.clone(), name.clone());
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        let admin = Store::connect(&admin_url).await.ok()?;
                        let sql = format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)");
                        admin.execute_admin(&sql).await.ok()?;
                        admin.close().await;
                        Some(())
                    })
                })
                .join();
                if !matches!(dropped, Ok(Some(()))) {
                    eprintln!("warning: test database {name} was not dropped");
                }
            }
        }
    }
}

/// Generates, for each named `async fn(&Store)`, one test on SQLite and one on PostgreSQL, so the
/// same suite proves both backends.
#[macro_export]
macro_rules! test_on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = $crate::testing::TestDb::sqlite().await;
                    super::$name(&db.store).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = $crate::testing::TestDb::postgres().await else {
                        return;
                    };
                    super::$name(&db.store).await;
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::with_database("postgres://h:5432", "t1"),
            "postgres://h:5432/t1"
        );
        assert_eq!(
            super::with_database("postgres://h/db?sslmode=disable", "t1"),
            "postgres://h/t1?sslmode=disable"
        );
    }
}
