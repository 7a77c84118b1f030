//! The generator is deterministic and its output is valid.

use orientir_ingest::results::{
    GenSpec, ResultsOptions, aggregate_file, generate, generate_schools_csv,
};

fn spec(dirty: bool, seed: u64) -> GenSpec {
    GenSpec {
        schools: 30,
        years: vec![2023, 2024],
        seed,
        rows_per_school_year: 120,
        dirty,
    }
}

#[test]
fn same_seed_same_bytes() {
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut c = Vec::new();
    let sa = generate(&spec(true, 7), &mut a).expect("gen");
    generate(&spec(true, 7), &mut b).expect("gen");
    generate(&spec(true, 8), &mut c).expect("gen");
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(sa.bytes, a.len() as u64);
    let mut s1 = Vec::new();
    let mut s2 = Vec::new();
    generate_schools_csv(&spec(false, 7), &mut s1).expect("gen");
    generate_schools_csv(&spec(false, 7), &mut s2).expect("gen");
    assert_eq!(s1, s2);
    let text = String::from_utf8(s1).expect("utf8");
    assert_eq!(text.lines().count(), 31);
    assert!(
        text.starts_with("school_id,name,region,municipality,locality,kind,students,low_income")
    );
}

#[test]
fn output_aggregates_without_problems_clean_and_dirty() {
    for dirty in [false, true] {
        let mut bytes = Vec::new();
        let summary = generate(&spec(dirty, 3), &mut bytes).expect("gen");
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("results.csv");
        std::fs::write(&path, &bytes).expect("write");
        let known = (0..30).map(|i| format!("S{i:06}")).collect();
        let opts = ResultsOptions {
            known_schools: Some(known),
            block_size: 4096,
            threads: 3,
            ..ResultsOptions::default()
        };
        let agg = aggregate_file(&path, &opts).expect("valid output");
        assert_eq!(agg.rows, summary.rows);
        assert_eq!(agg.duplicates, 0);
        let participants: u64 = agg.cells.iter().map(|c| c.participants).sum();
        assert_eq!(participants, summary.rows);
        // Some school fails ≥ 30 % on VPR in some year.
        let mut per_school: std::collections::BTreeMap<(String, i32), (u64, u64)> =
            Default::default();
        for c in agg
            .cells
            .iter()
            .filter(|c| c.procedure.code() == "VPR" && (c.subject == "ru" || c.subject == "math"))
        {
            let e = per_school.entry((c.school_id.clone(), c.year)).or_default();
            e.0 += c.participants;
            e.1 += c.failed;
        }
        assert!(per_school.values().any(|(n, f)| *f * 10 >= *n * 3));
        assert!(per_school.values().any(|(n, f)| *f * 10 < *n * 2));
    }
}
