//! Execution records for the demo region, so that dashboards and checkpoints have something true
//! to show: past activities of school road maps mostly accepted or done with a link as evidence,
//! some returned with the curator's comment, some late; future ones planned or started.

use chrono::Utc;
use orientir_store::Store;
use orientir_store::execution::SeedProgress;
use orientir_store::monitoring::ExecutionScope;

use crate::WebError;
use crate::pages::execution::model::Occurrence;

fn record(o: &Occurrence, status: &str, evidence: bool, comment: Option<&str>) -> SeedProgress {
    SeedProgress {
        key: o.key.clone(),
        status: status.to_owned(),
        evidence_url: evidence.then(|| {
            format!(
                "https://school.example/docs/{}-{}",
                o.key.road_map_id, o.key.activity_key
            )
        }),
        comment: comment.map(str::to_owned),
    }
}

/// Records statuses for the school road maps of every region; answers how many.
pub async fn seed_demo_progress(store: &Store) -> Result<usize, WebError> {
    let today = Utc::now().date_naive();
    let mut records = Vec::new();
    for region in store.regions().await? {
        let data = store
            .execution_data(&ExecutionScope::Region(region.id))
            .await?;
        for school in crate::pages::dashboard::progress::by_school(&data, today) {
            for (i, o) in school.occurrences.iter().enumerate() {
                let past = o.due.is_some_and(|d| d < today);
                let r = match (past, i % 6) {
                    (true, 0 | 1) => record(o, "accepted", true, None),
                    (true, 2) => record(o, "done", true, None),
                    (true, 3) => record(
                        o,
                        "returned",
                        true,
                        Some("Приложите протокол с подписями участников."),
                    ),
                    (true, 4) | (false, 0) => record(o, "in_progress", false, None),
                    _ => continue,
                };
                records.push(r);
            }
        }
    }
    store.seed_progress(&records).await?;
    Ok(records.len())
}
