//! Codes and labels of activity statuses.

use orientir_domain::DomainError;
use orientir_domain::monitoring::ActivityStatus;

#[test]
fn codes_and_labels() {
    let expected = [
        (ActivityStatus::Planned, "planned", "Запланировано"),
        (ActivityStatus::InProgress, "in_progress", "Выполняется"),
        (ActivityStatus::Done, "done", "Выполнено"),
        (ActivityStatus::Accepted, "accepted", "Принято"),
        (
            ActivityStatus::Returned,
            "returned",
            "Возвращено на доработку",
        ),
    ];
    for (status, code, label) in expected {
        assert_eq!(status.code(), code);
        assert_eq!(status.label(), label);
        assert_eq!(ActivityStatus::parse(code), Ok(status));
        assert_eq!(ActivityStatus::parse(&format!(" {code} ")), Ok(status));
    }
    assert_eq!(ActivityStatus::ALL.len(), expected.len());
}

#[test]
fn unknown_codes_are_refused() {
    for code in ["", "overdue", "Done", "выполнено"] {
        assert_eq!(
            ActivityStatus::parse(code),
            Err(DomainError::InvalidActivityStatus(code.to_owned()))
        );
    }
}

#[test]
fn serialised_as_the_code() {
    for status in ActivityStatus::ALL {
        let json = serde_json::to_string(&status).expect("serialise");
        assert_eq!(json, format!("\"{}\"", status.code()));
    }
}
