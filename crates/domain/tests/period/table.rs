//! Table of real-looking «Сроки» cells and what they must parse into.

use crate::common::window;
use orientir_domain::period::{PeriodContext, PeriodKind, parse_period};

use PeriodKind::{By, During, On, OnRequest, PerPlan, Range, Recurring, Unresolved};

/// The road map's own period for a case.
#[derive(Clone, Copy)]
enum Doc {
    None,
    /// 1 September of the year – 31 August of the next.
    School(i32),
    Custom(&'static str, &'static str),
}

use Doc::{Custom, School};

const NO_DOC: Doc = Doc::None;
const SY: Doc = School(2022);

type Case = (
    &'static str,
    Doc,
    PeriodKind,
    &'static [(&'static str, &'static str)],
    Option<&'static str>,
);

const DOC_2223: &[(&str, &str)] = &[("2022-09-01", "2023-08-31")];

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Month ranges with stated years, every dash and spacing.
    ("Сентябрь – октябрь 2022 г.", NO_DOC, Range, &[("2022-09-01", "2022-10-31")], None),
    ("Сентябрь – октябрь 2022 г.", SY, Range, &[("2022-09-01", "2022-10-31")], None),
    ("Август – сентябрь 2022г.", NO_DOC, Range, &[("2022-08-01", "2022-09-30")], None),
    ("февраль-апрель 2024 г.", NO_DOC, Range, &[("2024-02-01", "2024-04-30")], None),
    ("Июнь – июль 2022 г.", NO_DOC, Range, &[("2022-06-01", "2022-07-31")], None),
    ("Июнь—июль 2022 года", NO_DOC, Range, &[("2022-06-01", "2022-07-31")], None),
    ("июнь -июль 2022", NO_DOC, Range, &[("2022-06-01", "2022-07-31")], None),
    ("ИЮНЬ- ИЮЛЬ 2022 Г.", NO_DOC, Range, &[("2022-06-01", "2022-07-31")], None),
    ("Сентябрь 2022 - май 2023", NO_DOC, Range, &[("2022-09-01", "2023-05-31")], None),
    ("сентябрь 2022 г. – май 2023 г.", NO_DOC, Range, &[("2022-09-01", "2023-05-31")], None),
    ("Ноябрь – февраль 2023", SY, Range, &[("2022-11-01", "2023-02-28")], None),
    ("Декабрь 2022 – январь 2023", NO_DOC, Range, &[("2022-12-01", "2023-01-31")], None),
    // Several windows in one cell.
    ("Сентябрь – октябрь 2022 г. Февраль 2023г.", NO_DOC, Range, &[("2022-09-01", "2022-10-31"), ("2023-02-01", "2023-02-28")], None),
    ("Август 2022 г. Декабрь 2022г. Март 2023 г.", NO_DOC, Range, &[("2022-08-01", "2022-08-31"), ("2022-12-01", "2022-12-31"), ("2023-03-01", "2023-03-31")], None),
    ("Ноябрь 2022 г. Март 2023 г.", NO_DOC, Range, &[("2022-11-01", "2022-11-30"), ("2023-03-01", "2023-03-31")], None),
    ("Ноябрь-декабрь 2022 г., март 2023 г.", NO_DOC, Range, &[("2022-11-01", "2022-12-31"), ("2023-03-01", "2023-03-31")], None),
    ("Май, август 2023", NO_DOC, Range, &[("2023-05-01", "2023-05-31"), ("2023-08-01", "2023-08-31")], None),
    ("май, июнь, август 2023 г.", NO_DOC, Range, &[("2023-05-01", "2023-05-31"), ("2023-06-01", "2023-06-30"), ("2023-08-01", "2023-08-31")], None),
    ("Октябрь 2022; апрель 2023", NO_DOC, Range, &[("2022-10-01", "2022-10-31"), ("2023-04-01", "2023-04-30")], None),
    // Single months, any grammatical form.
    ("Февраль 2022", NO_DOC, Range, &[("2022-02-01", "2022-02-28")], None),
    ("февраль 2023 г.", NO_DOC, Range, &[("2023-02-01", "2023-02-28")], None),
    ("февраля 2024 года", NO_DOC, Range, &[("2024-02-01", "2024-02-29")], None),
    ("В сентябре 2022 г.", NO_DOC, Range, &[("2022-09-01", "2022-09-30")], None),
    ("в Декабре 2022", NO_DOC, Range, &[("2022-12-01", "2022-12-31")], None),
    ("Сентябре", SY, Range, &[("2022-09-01", "2022-09-30")], None),
    ("в марте", SY, Range, &[("2023-03-01", "2023-03-31")], None),
    ("янв. 2023", NO_DOC, Range, &[("2023-01-01", "2023-01-31")], None),
    // Years missing: the school year of the document decides.
    ("Сентябрь – октябрь", SY, Range, &[("2022-09-01", "2022-10-31")], None),
    ("Сентябрь – октябрь", NO_DOC, Unresolved, &[], None),
    ("Сентябрь – май", SY, Range, &[("2022-09-01", "2023-05-31")], None),
    ("Сентябрь – май", NO_DOC, Unresolved, &[], None),
    ("январь-март", SY, Range, &[("2023-01-01", "2023-03-31")], None),
    ("Май – сентябрь", SY, Unresolved, &[], None),
    ("Февраль – ноябрь", Custom("2023-01-01", "2023-12-31"), Range, &[("2023-02-01", "2023-11-30")], None),
    ("Сентябрь – май", Custom("2023-01-01", "2023-12-31"), Unresolved, &[], None),
    ("Сентябрь", Custom("2022-09-01", "2024-08-31"), Unresolved, &[], None),
    ("Сентябрь – май 2023", SY, Range, &[("2022-09-01", "2023-05-31")], None),
    ("Сентябрь – май 2023", NO_DOC, Unresolved, &[], None),
    ("Сентябрь – октябрь. Февраль", SY, Range, &[("2022-09-01", "2022-10-31"), ("2023-02-01", "2023-02-28")], None),
    ("Ноябрь 2022 г. Март", SY, Range, &[("2022-11-01", "2022-11-30"), ("2023-03-01", "2023-03-31")], None),
    ("Ноябрь 2022 г. Март", NO_DOC, Unresolved, &[], None),
    // Single dates.
    ("01.09.2022г.", NO_DOC, On, &[("2022-09-01", "2022-09-01")], None),
    ("01.09.2022", NO_DOC, On, &[("2022-09-01", "2022-09-01")], None),
    ("1.9.22", NO_DOC, On, &[("2022-09-01", "2022-09-01")], None),
    ("15 сентября 2022 года", NO_DOC, On, &[("2022-09-15", "2022-09-15")], None),
    ("01.09.2022, 01.03.2023", NO_DOC, On, &[("2022-09-01", "2022-09-01"), ("2023-03-01", "2023-03-01")], None),
    ("25.12", SY, On, &[("2022-12-25", "2022-12-25")], None),
    ("25.12", NO_DOC, Unresolved, &[], None),
    ("31.02.2023", NO_DOC, Unresolved, &[], None),
    ("29.02.2024", NO_DOC, On, &[("2024-02-29", "2024-02-29")], None),
    // Explicit date ranges.
    ("15.09.2022 – 30.09.2022", NO_DOC, Range, &[("2022-09-15", "2022-09-30")], None),
    ("15.09.2022-30.09.2022", NO_DOC, Range, &[("2022-09-15", "2022-09-30")], None),
    ("с 1 по 15 сентября 2022 г.", NO_DOC, Range, &[("2022-09-01", "2022-09-15")], None),
    ("С 15.09.2022 по 15.10.2022", NO_DOC, Range, &[("2022-09-15", "2022-10-15")], None),
    ("с сентября 2022 г. по май 2023 г.", NO_DOC, Range, &[("2022-09-01", "2023-05-31")], None),
    ("15-30 сентября 2022", NO_DOC, Range, &[("2022-09-15", "2022-09-30")], None),
    ("с 1 по 15 сентября", SY, Range, &[("2022-09-01", "2022-09-15")], None),
    ("30.09.2022 – 15.09.2022", NO_DOC, Unresolved, &[], None),
    ("Октябрь 2023 – сентябрь 2022", NO_DOC, Unresolved, &[], None),
    // Deadlines: «до X» runs from the document start when X is inside it.
    ("до 15апреля 2023 г.", NO_DOC, By, &[("2023-04-15", "2023-04-15")], None),
    ("до 15апреля 2023 г.", SY, By, &[("2022-09-01", "2023-04-15")], None),
    ("До 30 марта 2022 года", NO_DOC, By, &[("2022-03-30", "2022-03-30")], None),
    ("До 30 марта 2022 года", SY, By, &[("2022-03-30", "2022-03-30")], None),
    ("До 30 марта 2022 года", School(2021), By, &[("2021-09-01", "2022-03-30")], None),
    ("до 01.06", SY, By, &[("2022-09-01", "2023-06-01")], None),
    ("до 01.06", NO_DOC, Unresolved, &[], None),
    ("до 15 апреля", SY, By, &[("2022-09-01", "2023-04-15")], None),
    ("до 15 апреля", NO_DOC, Unresolved, &[], None),
    ("до 1 сентября", SY, By, &[("2022-09-01", "2022-09-01")], None),
    ("не позднее 20.12.2022", SY, By, &[("2022-09-01", "2022-12-20")], None),
    ("к 1 октября 2022 г.", NO_DOC, By, &[("2022-10-01", "2022-10-01")], None),
    ("до конца сентября 2022", NO_DOC, By, &[("2022-09-30", "2022-09-30")], None),
    ("до конца учебного года", SY, By, &[("2022-09-01", "2023-05-31")], None),
    ("до конца 2022 года", SY, By, &[("2022-09-01", "2022-12-31")], None),
    ("до мая 2023", SY, Unresolved, &[], None),
    ("до конца года", SY, Unresolved, &[], None),
    // Open starts.
    ("С 01.04.2022 года.", School(2021), Range, &[("2022-04-01", "2022-08-31")], None),
    ("С 01.04.2022 года.", SY, Range, &[("2022-09-01", "2023-08-31")], None),
    ("С 01.04.2022 года.", NO_DOC, Unresolved, &[], None),
    ("начиная с октября 2022", SY, Range, &[("2022-10-01", "2023-08-31")], None),
    // The whole period.
    ("В течение года", SY, During, DOC_2223, None),
    ("В течение года", NO_DOC, During, &[], None),
    ("в течение всего года", SY, During, DOC_2223, None),
    ("В течение 2022-2023 уч.года", NO_DOC, During, DOC_2223, None),
    ("В течение 2022-2023 уч.года", School(2023), During, DOC_2223, None),
    ("в течение 2022/2023 учебного года", NO_DOC, During, DOC_2223, None),
    ("в течение учебного года", SY, During, DOC_2223, None),
    ("в течение учебного года", NO_DOC, During, &[], None),
    ("в течение 2023 года", NO_DOC, During, &[("2023-01-01", "2023-12-31")], None),
    ("На протяжении всего периода", SY, During, DOC_2223, None),
    ("на протяжении года", SY, During, DOC_2223, None),
    ("Постоянно", SY, During, DOC_2223, None),
    ("постоянно", NO_DOC, During, &[], None),
    ("Весь период", SY, During, DOC_2223, None),
    ("в течение всего периода реализации дорожной карты", SY, During, DOC_2223, None),
    ("в течение месяца", SY, Unresolved, &[], None),
    // Recurrences.
    ("Ежемесячно", SY, Recurring, DOC_2223, Some("monthly")),
    ("Ежемесячно", NO_DOC, Recurring, &[], Some("monthly")),
    ("1 раз в месяц", SY, Recurring, DOC_2223, Some("monthly")),
    ("каждый месяц", SY, Recurring, DOC_2223, Some("monthly")),
    ("1 раз в квартал", SY, Recurring, DOC_2223, Some("quarterly")),
    ("Ежеквартально", SY, Recurring, DOC_2223, Some("quarterly")),
    ("ежеквартально, 2023 год", SY, Recurring, &[("2023-01-01", "2023-12-31")], Some("quarterly")),
    ("Два раза в год", SY, Recurring, DOC_2223, Some("twice_a_year")),
    ("2 раза в год", SY, Recurring, DOC_2223, Some("twice_a_year")),
    ("дважды в год", SY, Recurring, DOC_2223, Some("twice_a_year")),
    ("1 раз в полугодие", SY, Recurring, DOC_2223, Some("twice_a_year")),
    ("Ежегодно", SY, Recurring, DOC_2223, Some("yearly")),
    ("раз в год", SY, Recurring, DOC_2223, Some("yearly")),
    ("По итогам четверти", SY, Recurring, DOC_2223, Some("per_term")),
    ("По итогам каждой четверти", SY, Recurring, DOC_2223, Some("per_term")),
    ("1 раз в четверть", SY, Recurring, DOC_2223, Some("per_term")),
    ("в конце каждой четверти", SY, Recurring, DOC_2223, Some("per_term")),
    ("по итогам полугодия", SY, Recurring, DOC_2223, Some("twice_a_year")),
    ("по итогам учебного года", SY, Recurring, DOC_2223, Some("yearly")),
    ("Каждый вторник, Февраль – май 2022", NO_DOC, Recurring, &[("2022-02-01", "2022-05-31")], Some("weekly:tue")),
    ("Еженедельно, понедельник, пятница", SY, Recurring, DOC_2223, Some("weekly:mon,fri")),
    ("еженедельно, пятница, понедельник", SY, Recurring, DOC_2223, Some("weekly:mon,fri")),
    ("Еженедельно", SY, Recurring, DOC_2223, Some("weekly")),
    ("1 раз в неделю", SY, Recurring, DOC_2223, Some("weekly")),
    ("по вторникам и четвергам", SY, Recurring, DOC_2223, Some("weekly:tue,thu")),
    ("каждую среду", NO_DOC, Recurring, &[], Some("weekly:wed")),
    ("Ежемесячно, сентябрь – май", SY, Recurring, &[("2022-09-01", "2023-05-31")], Some("monthly")),
    ("Ежемесячно, сентябрь – май", NO_DOC, Unresolved, &[], None),
    ("вторник", SY, Unresolved, &[], None),
    ("3 раза в месяц", SY, Unresolved, &[], None),
    ("ежемесячно, ежеквартально", SY, Unresolved, &[], None),
    // Plans, schedules and requests.
    ("по годовому плану", SY, PerPlan, DOC_2223, None),
    ("по специальному графику", SY, PerPlan, DOC_2223, None),
    ("по расписанию", NO_DOC, PerPlan, &[], None),
    ("согласно плану работы ИМЦ", SY, PerPlan, DOC_2223, None),
    ("в соответствии с графиком", SY, PerPlan, DOC_2223, None),
    ("по графику, сентябрь 2022", SY, PerPlan, &[("2022-09-01", "2022-09-30")], None),
    ("По запросам", SY, OnRequest, DOC_2223, None),
    ("по запросу ОО", SY, OnRequest, DOC_2223, None),
    ("по запросу ОО", NO_DOC, OnRequest, &[], None),
    ("по мере необходимости", SY, OnRequest, DOC_2223, None),
    ("по заявкам школ", SY, OnRequest, DOC_2223, None),
    ("По запросу, ежемесячно", SY, Recurring, DOC_2223, Some("monthly")),
    // School years, half-years, quarters, terms.
    ("I полугодие 2022-2023 уч.г.", NO_DOC, Range, &[("2022-09-01", "2022-12-31")], None),
    ("II полугодие 2022-2023 уч.г.", NO_DOC, Range, &[("2023-01-01", "2023-05-31")], None),
    ("1 полугодие 2023 г.", NO_DOC, Range, &[("2023-01-01", "2023-06-30")], None),
    ("второе полугодие", SY, Range, &[("2023-01-01", "2023-05-31")], None),
    ("2022-2023 уч. год", NO_DOC, Range, DOC_2223, None),
    ("2022-2023 учебный год", NO_DOC, Range, DOC_2223, None),
    ("2022/23 уч. г.", NO_DOC, Range, DOC_2223, None),
    ("2022-2023 гг.", NO_DOC, Range, &[("2022-01-01", "2023-12-31")], None),
    ("III квартал 2022", NO_DOC, Range, &[("2022-07-01", "2022-09-30")], None),
    ("IV квартал 2022 г.", NO_DOC, Range, &[("2022-10-01", "2022-12-31")], None),
    ("1 квартал", SY, Range, &[("2023-01-01", "2023-03-31")], None),
    ("3 квартал", SY, Unresolved, &[], None),
    ("2023 год", NO_DOC, Range, &[("2023-01-01", "2023-12-31")], None),
    ("2023", NO_DOC, Range, &[("2023-01-01", "2023-12-31")], None),
    ("2 четверть", SY, Range, &[("2022-11-07", "2022-12-28")], None),
    ("I четверть 2022-2023 уч. года", NO_DOC, Range, &[("2022-09-01", "2022-10-28")], None),
    ("в течение I четверти", SY, During, &[("2022-09-01", "2022-10-28")], None),
    // School-year edges.
    ("В конце учебного года", SY, Range, &[("2023-05-01", "2023-05-31")], None),
    ("В конце учебного года", NO_DOC, Unresolved, &[], None),
    ("в конце 2022-2023 учебного года", NO_DOC, Range, &[("2023-05-01", "2023-05-31")], None),
    ("в начале учебного года", SY, Range, &[("2022-09-01", "2022-09-30")], None),
    ("в конце 2022 года", NO_DOC, Range, &[("2022-12-01", "2022-12-31")], None),
    ("в конце года", SY, Unresolved, &[], None),
    // More real-looking variants.
    ("в течение сентября 2022", NO_DOC, During, &[("2022-09-01", "2022-09-30")], None),
    ("в течение учебного 2022-2023 года", NO_DOC, During, DOC_2223, None),
    ("Октябрь-ноябрь 2022, апрель-май 2023", NO_DOC, Range, &[("2022-10-01", "2022-11-30"), ("2023-04-01", "2023-05-31")], None),
    ("Сентябрь-октябрь 2022 г.; Март-апрель 2023г.", NO_DOC, Range, &[("2022-09-01", "2022-10-31"), ("2023-03-01", "2023-04-30")], None),
    ("01.09.2022-31.05.2023", NO_DOC, Range, &[("2022-09-01", "2023-05-31")], None),
    ("декабрь 2022 – февраль", SY, Range, &[("2022-12-01", "2023-02-28")], None),
    ("декабрь 2022 – февраль", NO_DOC, Unresolved, &[], None),
    ("по 30 сентября 2022", SY, By, &[("2022-09-01", "2022-09-30")], None),
    ("Еженедельно (по пятницам)", SY, Recurring, DOC_2223, Some("weekly:fri")),
    ("Ежегодно, декабрь", SY, Recurring, &[("2022-12-01", "2022-12-31")], Some("yearly")),
    ("1-е полугодие", SY, Range, &[("2022-09-01", "2022-12-31")], None),
    ("Сентябрь, ноябрь, январь", SY, Range, &[("2022-09-01", "2022-09-30"), ("2022-11-01", "2022-11-30"), ("2023-01-01", "2023-01-31")], None),
    ("ежемесячно до 25 числа", SY, Unresolved, &[], None),
    // Things that must not be guessed.
    ("", SY, Unresolved, &[], None),
    ("   ", SY, Unresolved, &[], None),
    ("—", SY, Unresolved, &[], None),
    ("по мере готовности", SY, Unresolved, &[], None),
    ("текущий год", SY, Unresolved, &[], None),
    ("Сентябрь 2022 (ориентировочно)", SY, Unresolved, &[], None),
    ("15", SY, Unresolved, &[], None),
    ("2022-2023", SY, Range, &[("2022-01-01", "2023-12-31")], None),
    ("12345", SY, Unresolved, &[], None),
    ("до 25 числа", SY, Unresolved, &[], None),
];

fn context(doc: Doc) -> PeriodContext {
    match doc {
        Doc::None => PeriodContext::default(),
        School(year) => PeriodContext::school_year(year),
        Custom(from, to) => crate::common::document(from, to),
    }
}

#[test]
fn table_has_at_least_a_hundred_cases() {
    assert!(CASES.len() >= 100, "only {} cases", CASES.len());
}

#[test]
fn every_table_case_parses_as_expected() {
    let mut failures = Vec::new();
    for (text, doc, kind, windows, recurrence) in CASES {
        let period = parse_period(text, &context(*doc));
        let expected_windows: Vec<_> = windows.iter().map(|(f, t)| window(f, t)).collect();
        let actual_recurrence = period.recurrence.as_ref().map(ToString::to_string);
        let ok = period.text == *text
            && period.kind == *kind
            && period.windows == expected_windows
            && actual_recurrence.as_deref() == *recurrence;
        if !ok {
            failures.push(format!(
                "{text:?}: got {:?} {:?} {:?}, expected {kind:?} {expected_windows:?} {recurrence:?}",
                period.kind, period.windows, actual_recurrence
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn serialises_to_the_interchange_format() {
    let period = parse_period("Сентябрь – октябрь 2022 г.", &PeriodContext::default());
    let json = serde_json::to_value(&period).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({
            "text": "Сентябрь – октябрь 2022 г.",
            "kind": "range",
            "windows": [{"from": "2022-09-01", "to": "2022-10-31"}],
            "recurrence": null
        })
    );
    let weekly = parse_period(
        "Еженедельно, понедельник, пятница",
        &PeriodContext::school_year(2022),
    );
    let json = serde_json::to_value(&weekly).expect("serialises");
    assert_eq!(json["kind"], "recurring");
    assert_eq!(json["recurrence"], "weekly:mon,fri");
    let back: orientir_domain::period::Period = serde_json::from_value(json).expect("deserialises");
    assert_eq!(back, weekly);
}

#[test]
fn every_kind_serialises_in_snake_case() {
    let names: Vec<String> = [
        Range, By, On, During, Recurring, OnRequest, PerPlan, Unresolved,
    ]
    .iter()
    .map(|kind| serde_json::to_string(kind).expect("serialises"))
    .collect();
    assert_eq!(
        names,
        [
            "\"range\"",
            "\"by\"",
            "\"on\"",
            "\"during\"",
            "\"recurring\"",
            "\"on_request\"",
            "\"per_plan\"",
            "\"unresolved\""
        ]
    );
}
