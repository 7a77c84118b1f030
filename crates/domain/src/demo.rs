//! The demo region: a deterministic, generated region so every screen has something true to show.
//!
//! Names are invented; the shape (rural and urban schools, kinds, enrolment, statuses over three years,
//! decisions by rule and by order) follows what real regions have.

use chrono::NaiveDate;

use crate::registry::{
    Locality, PersonDraft, Role, SchoolId, SchoolKind, SchoolRecord, SchoolYear, SocialContext,
    StatusDecision, StatusDecisionRecord, StatusKind, StatusSource,
};

pub const DEMO_REGION: &str = "Северо-Озёрская область";
/// The school years the demo fills with statuses.
pub const DEMO_YEARS: [i32; 3] = [2022, 2023, 2024];
const SEED: u64 = 20_241_101;

/// Where a demo person's role applies, by name, since database ids are not known yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoScope {
    Region,
    Municipality(String),
    School(SchoolId),
}

#[derive(Debug, Clone)]
pub struct DemoPerson {
    pub person: PersonDraft,
    pub roles: Vec<(Role, DemoScope)>,
}

#[derive(Debug, Clone)]
pub struct DemoRegion {
    pub region: String,
    pub schools: Vec<SchoolRecord>,
    pub decisions: Vec<StatusDecisionRecord>,
    pub people: Vec<DemoPerson>,
}

struct MunicipalityPlan {
    name: &'static str,
    code: u32,
    urban: bool,
    villages: &'static [&'static str],
}

const MUNICIPALITIES: [MunicipalityPlan; 4] = [
    MunicipalityPlan {
        name: "Городской округ Светлогорск",
        code: 1,
        urban: true,
        villages: &[],
    },
    MunicipalityPlan {
        name: "Берёзовский муниципальный район",
        code: 2,
        urban: false,
        villages: &[
            "Берёзовская",
            "Ключевская",
            "Сосновская",
            "Малиновская",
            "Еловская",
            "Ягодная",
            "Подгорная",
            "Луговская",
            "Тихоновская",
            "Зареченская",
            "Осиновская",
            "Красноярская",
            "Погорельская",
            "Вознесенская",
            "Дубровская",
            "Ёлкинская",
            "Покровская",
            "Никольская",
        ],
    },
    MunicipalityPlan {
        name: "Озёрный муниципальный округ",
        code: 3,
        urban: false,
        villages: &[
            "Озёрская",
            "Рыбинская",
            "Камышовская",
            "Песчанская",
            "Островская",
            "Заозёрная",
            "Устьинская",
            "Бережковская",
            "Лебяжинская",
            "Гусиновская",
            "Широковская",
            "Приозёрная",
            "Карасёвская",
            "Щучинская",
            "Тростниковская",
            "Белоярская",
        ],
    },
    MunicipalityPlan {
        name: "Каменский муниципальный район",
        code: 4,
        urban: false,
        villages: &[
            "Каменская",
            "Гранитная",
            "Кремнёвская",
            "Рудничная",
            "Горновская",
            "Уральская",
            "Скалистая",
            "Медведевская",
            "Волчанская",
            "Лисицинская",
            "Соболевская",
            "Кедровская",
            "Таёжная",
            "Ольховская",
        ],
    },
];

const SURNAMES: [&str; 16] = [
    "Бабкина",
    "Зырянова",
    "Вагин",
    "Яковченко",
    "Эстер",
    "Шаламов",
    "Ерёмина",
    "Моспан",
    "Дунаева",
    "Шкабатура",
    "Мокрецова",
    "Ушанёва",
    "Родная",
    "Артемьева",
    "Ярков",
    "Совенко",
];
const INITIALS: [&str; 8] = [
    "Н.А.", "М.А.", "И.В.", "О.В.", "А.С.", "Г.Ф.", "Е.М.", "С.В.",
];

/// Builds the demo region. The same call always gives the same region.
pub fn demo_region() -> DemoRegion {
    let mut rng = fastrand::Rng::with_seed(SEED);
    let mut schools = Vec::new();
    for plan in &MUNICIPALITIES {
        if plan.urban {
            urban_schools(&mut rng, plan, &mut schools);
        } else {
            rural_schools(&mut rng, plan, &mut schools);
        }
    }
    let decisions = statuses(&mut rng, &schools);
    let people = people(&mut rng, &schools);
    DemoRegion {
        region: DEMO_REGION.to_owned(),
        schools,
        decisions,
        people,
    }
}

fn school_id(municipality: u32, n: usize) -> SchoolId {
    // Ids are generated from small numbers, so they are always valid.
    SchoolId::parse(&format!("58{municipality:02}{n:03}")).unwrap_or_else(|_| unreachable!())
}

fn kind(name: &str) -> SchoolKind {
    SchoolKind::parse(name).unwrap_or_else(|_| unreachable!())
}

fn social(rng: &mut fastrand::Rng, rural: bool) -> SocialContext {
    // Rural schools have more low-income families and fewer parents with higher education.
    let weight = if rural { 1.6 } else { 1.0 };
    let mut share = |from: f64, spread: f64| {
        let value = ((from + rng.f64() * spread) * 100.0).round() / 100.0;
        Some(value.clamp(0.0, 1.0))
    };
    SocialContext {
        low_income: share(0.08 * weight, 0.22 * weight),
        single_parent: share(0.10, 0.15 * weight),
        non_native: share(0.0, 0.08 * weight),
        disability: share(0.01, 0.05),
        parents_higher_ed: share(0.45 / weight, 0.30 / weight),
        on_register: share(0.0, 0.03 * weight),
    }
}

fn urban_schools(rng: &mut fastrand::Rng, plan: &MunicipalityPlan, out: &mut Vec<SchoolRecord>) {
    let mut n = 0;
    let mut push = |rng: &mut fastrand::Rng, name: String, kind_name: &str, students: u32| {
        n += 1;
        out.push(SchoolRecord {
            id: school_id(plan.code, n),
            name,
            region: DEMO_REGION.to_owned(),
            municipality: plan.name.to_owned(),
            locality: Locality::City,
            kind: kind(kind_name),
            students,
            social: social(rng, false),
        });
    };
    for number in 1..=14 {
        let students = 450 + rng.u32(0..900);
        push(
            rng,
            format!("МБОУ «СОШ № {number}» г. Светлогорска"),
            "СОШ",
            students,
        );
    }
    for number in 1..=2 {
        let students = 600 + rng.u32(0..400);
        push(
            rng,
            format!("МАОУ «Гимназия № {number}»"),
            "Гимназия",
            students,
        );
    }
    let students = 500 + rng.u32(0..300);
    push(rng, "МАОУ «Лицей № 1»".to_owned(), "Лицей", students);
    let students = 180 + rng.u32(0..120);
    push(
        rng,
        "МБОУ «Начальная школа № 20»".to_owned(),
        "НОШ",
        students,
    );
    let students = 90;
    push(
        rng,
        "МБОУ «Центр образования „Перспектива“»".to_owned(),
        "Центр образования",
        students,
    );
}

fn rural_schools(rng: &mut fastrand::Rng, plan: &MunicipalityPlan, out: &mut Vec<SchoolRecord>) {
    for (i, village) in plan.villages.iter().enumerate() {
        let n = i + 1;
        // The district centre (first village) has a large school; others are small.
        let (kind_name, students) = if i == 0 {
            ("СОШ", 400 + rng.u32(0..300))
        } else {
            match rng.u32(0..10) {
                0..=5 => ("СОШ", 60 + rng.u32(0..260)),
                6..=8 => ("ООШ", 20 + rng.u32(0..90)),
                _ => ("НОШ", 8 + rng.u32(0..30)),
            }
        };
        let name = format!("МКОУ «{village} {kind_name} № {n}»");
        out.push(SchoolRecord {
            id: school_id(plan.code, n),
            name,
            region: DEMO_REGION.to_owned(),
            municipality: plan.name.to_owned(),
            locality: if i == 0 {
                Locality::City
            } else {
                Locality::Village
            },
            kind: kind(kind_name),
            students,
            social: social(rng, true),
        });
    }
}

/// Statuses over three years with persistence, as a region's lists really move: most ШНОР stay,
/// some leave, a few enter; mentors are strong urban schools.
fn statuses(rng: &mut fastrand::Rng, schools: &[SchoolRecord]) -> Vec<StatusDecisionRecord> {
    let mut decisions = Vec::new();
    let mut low_prev: Vec<bool> = vec![false; schools.len()];
    // ШНСУ: the top decile by social index, as the default rule would pick.
    let mut indices: Vec<f64> = schools.iter().map(social_index).collect();
    indices.sort_by(|a, b| b.total_cmp(a));
    let social_cutoff = indices
        .get(schools.len().div_ceil(10).saturating_sub(1))
        .copied()
        .unwrap_or(f64::INFINITY);
    for &start in &DEMO_YEARS {
        let year = SchoolYear::new(start).unwrap_or_else(|_| unreachable!());
        let rule = StatusSource::RuleRun {
            rule_version: format!("{start}.1"),
        };
        for (i, school) in schools.iter().enumerate() {
            let rural = school.locality == Locality::Village;
            let strong = matches!(school.kind.as_str(), "Гимназия" | "Лицей");
            let p_low = match (low_prev[i], rural) {
                _ if strong => 0.0,
                (true, _) => 0.7,
                (false, true) => 0.16,
                (false, false) => 0.05,
            };
            let low = rng.f64() < p_low;
            let mut push = |status, source: &StatusSource, decision| {
                decisions.push(StatusDecisionRecord {
                    school_id: school.id.clone(),
                    year,
                    status,
                    decision,
                    source: source.clone(),
                    note: None,
                });
            };
            if low {
                push(StatusKind::LowResults, &rule, StatusDecision::Assigned);
            } else if !strong && rng.f64() < 0.15 {
                push(StatusKind::Declining, &rule, StatusDecision::Assigned);
            }
            if social_index(school) >= social_cutoff {
                push(StatusKind::SocialRisk, &rule, StatusDecision::Assigned);
            }
            if strong || (!rural && !low && rng.f64() < 0.1) {
                push(StatusKind::Mentor, &rule, StatusDecision::Assigned);
            }
            low_prev[i] = low;
        }
    }
    manual_decisions(schools, &mut decisions);
    decisions
}

fn social_index(school: &SchoolRecord) -> f64 {
    let s = &school.social;
    s.low_income.unwrap_or(0.0) + s.single_parent.unwrap_or(0.0) + s.non_native.unwrap_or(0.0)
        - s.parents_higher_ed.unwrap_or(0.0)
}

/// A few decisions by order, as municipalities make them: one school taken off the list after
/// an appeal, one added by the commission.
fn manual_decisions(schools: &[SchoolRecord], decisions: &mut Vec<StatusDecisionRecord>) {
    let year = SchoolYear::new(2024).unwrap_or_else(|_| unreachable!());
    let order_date = NaiveDate::from_ymd_opt(2024, 10, 15);
    let removed = decisions
        .iter()
        .find(|d| d.year == year && d.status == StatusKind::LowResults)
        .map(|d| d.school_id.clone());
    if let Some(school_id) = removed {
        decisions.push(StatusDecisionRecord {
            school_id,
            year,
            status: StatusKind::LowResults,
            decision: StatusDecision::Removed,
            source: StatusSource::Manual {
                order_number: "01-04-181".to_owned(),
                order_date,
            },
            note: Some("Снят решением комиссии после перепроверки результатов ВПР".to_owned()),
        });
    }
    let added = schools.iter().rev().find(|s| {
        !decisions
            .iter()
            .any(|d| d.school_id == s.id && d.year == year && d.status == StatusKind::SocialRisk)
    });
    if let Some(school) = added {
        decisions.push(StatusDecisionRecord {
            school_id: school.id.clone(),
            year,
            status: StatusKind::SocialRisk,
            decision: StatusDecision::Assigned,
            source: StatusSource::Manual {
                order_number: "155-РМК".to_owned(),
                order_date,
            },
            note: Some("Включена по представлению МОУО".to_owned()),
        });
    }
}

fn people(rng: &mut fastrand::Rng, schools: &[SchoolRecord]) -> Vec<DemoPerson> {
    let name = |rng: &mut fastrand::Rng| {
        format!(
            "{} {}",
            SURNAMES[rng.usize(0..SURNAMES.len())],
            INITIALS[rng.usize(0..INITIALS.len())]
        )
    };
    let mut people = vec![DemoPerson {
        person: PersonDraft {
            full_name: name(rng),
            position: Some("Главный специалист министерства образования".to_owned()),
            email: None,
        },
        roles: vec![(Role::RegionalCoordinator, DemoScope::Region)],
    }];
    for plan in &MUNICIPALITIES {
        people.push(DemoPerson {
            person: PersonDraft {
                full_name: name(rng),
                position: Some("Главный методист МОУО".to_owned()),
                email: None,
            },
            roles: vec![(
                Role::MunicipalCoordinator,
                DemoScope::Municipality(plan.name.to_owned()),
            )],
        });
        let own: Vec<&SchoolRecord> = schools
            .iter()
            .filter(|s| s.municipality == plan.name)
            .collect();
        for chunk in own.chunks(6) {
            people.push(DemoPerson {
                person: PersonDraft {
                    full_name: name(rng),
                    position: Some("Муниципальный тьютор".to_owned()),
                    email: None,
                },
                roles: chunk
                    .iter()
                    .map(|s| (Role::Curator, DemoScope::School(s.id.clone())))
                    .collect(),
            });
        }
    }
    for school in schools {
        people.push(DemoPerson {
            person: PersonDraft {
                full_name: name(rng),
                position: Some("Директор".to_owned()),
                email: None,
            },
            roles: vec![(Role::SchoolLead, DemoScope::School(school.id.clone()))],
        });
    }
    people
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_is_deterministic() {
        let (a, b) = (demo_region(), demo_region());
        assert_eq!(a.schools, b.schools);
        assert_eq!(a.decisions, b.decisions);
    }

    #[test]
    fn demo_has_the_variety_the_screens_need() {
        let demo = demo_region();
        assert!(demo.schools.len() >= 60, "{} schools", demo.schools.len());
        let municipalities: HashSet<_> = demo.schools.iter().map(|s| &s.municipality).collect();
        assert!(municipalities.len() >= 3);
        for kind in ["НОШ", "ООШ", "СОШ", "Гимназия", "Лицей"] {
            assert!(
                demo.schools.iter().any(|s| s.kind.as_str() == kind),
                "no {kind}"
            );
        }
        assert!(demo.schools.iter().any(|s| s.locality == Locality::City));
        assert!(demo.schools.iter().any(|s| s.locality == Locality::Village));
        let ids: HashSet<_> = demo.schools.iter().map(|s| &s.id).collect();
        assert_eq!(ids.len(), demo.schools.len(), "ids are unique");
        for year in DEMO_YEARS {
            for status in StatusKind::ALL {
                assert!(
                    demo.decisions
                        .iter()
                        .any(|d| d.year.start_year() == year && d.status == status),
                    "no {status:?} in {year}"
                );
            }
        }
        assert!(
            demo.decisions
                .iter()
                .any(|d| matches!(d.source, StatusSource::Manual { .. }))
        );
    }
}

/// One activity of a generated road map: number, title, period as a document writes it,
/// responsible, resulting document.
type ActivityPlan = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
);

const MUNICIPAL_TRACKS: [(&str, &[ActivityPlan]); 3] = [
    (
        "Трек 1 - Адресная поддержка школ с низкими образовательными результатами",
        &[
            (
                "1",
                "Анализ результатов ВПР, ОГЭ и ЕГЭ по русскому языку и математике",
                "Август – сентябрь 2024 г.",
                &["Руководители ОУ"],
                "Информационно-аналитическая справка",
            ),
            (
                "2",
                "Выявление школ с низкими результатами обучения",
                "До 15 октября 2024 г.",
                &["Муниципальный координатор"],
                "Приказ МОУО",
            ),
            (
                "3",
                "Заключение соглашений со школами-наставниками и утверждение планов совместной деятельности",
                "Октябрь 2024 г.",
                &["Муниципальный координатор", "Руководители ОУ"],
                "Соглашение, план совместной деятельности",
            ),
            (
                "4",
                "Методический десант в школы с низкими результатами",
                "Ноябрь 2024 г. Март 2025 г.",
                &["Муниципальные тьюторы"],
                "Оргпроект мероприятия",
            ),
            (
                "5",
                "Заседание координационного совета",
                "Ежеквартально",
                &["Муниципальный координатор", "Члены КС"],
                "Решение КС",
            ),
        ],
    ),
    (
        "Трек 2 - Работа со школами в зоне риска снижения образовательных результатов",
        &[
            (
                "6",
                "Семинар-совещание для школ в зоне риска по анализу результатов",
                "Сентябрь 2024 г.",
                &["Отдел общего образования"],
                "Оргпроект семинара",
            ),
            (
                "7",
                "Консультации для управленческих команд школ по запросу",
                "По запросам",
                &["Муниципальные тьюторы"],
                "Журнал консультаций",
            ),
            (
                "8",
                "Мониторинг выполнения школьных дорожных карт",
                "До 01.04.2025",
                &["Муниципальный координатор"],
                "Справка по итогам мониторинга",
            ),
        ],
    ),
    (
        "Трек 3 - Профилактика учебной неуспешности",
        &[
            (
                "9",
                "Работа методических объединений учителей русского языка и математики",
                "Каждый вторник, Октябрь – декабрь 2024",
                &["Руководители МО"],
                "Протоколы заседаний",
            ),
            (
                "10",
                "Анализ результатов по итогам четверти",
                "По итогам четверти",
                &["Руководители ОУ"],
                "Аналитическая справка",
            ),
            (
                "11",
                "Подведение итогов реализации дорожной карты",
                "В конце учебного года",
                &["Муниципальный координатор"],
                "Информационно-аналитическая справка",
            ),
        ],
    ),
];

const SCHOOL_SECTIONS: [(&str, &[ActivityPlan]); 2] = [
    (
        "I. Организационно-управленческие мероприятия",
        &[
            (
                "1",
                "Назначение школьного координатора и рабочей группы",
                "Сентябрь 2024 г.",
                &["Директор"],
                "Приказ по школе",
            ),
            (
                "2",
                "Разработка антирисковых программ по выбранным факторам риска",
                "До 30 октября 2024 г.",
                &["Рабочая группа"],
                "Антирисковые программы",
            ),
            (
                "3",
                "Размещение дорожной карты на сайте школы",
                "Ноябрь 2024 г.",
                &["Школьный координатор"],
                "Страница на сайте",
            ),
        ],
    ),
    (
        "II. Повышение качества преподавания",
        &[
            (
                "4",
                "Взаимопосещение уроков русского языка и математики со школой-наставником",
                "Ежемесячно",
                &["Заместитель директора по УВР"],
                "Листы наблюдения",
            ),
            (
                "5",
                "Индивидуальные образовательные маршруты для обучающихся с рисками учебной неуспешности",
                "В течение года",
                &["Учителя-предметники"],
                "ИОМ",
            ),
            (
                "6",
                "Пробные работы в формате ВПР",
                "Февраль – март 2025 г.",
                &["Руководители МО"],
                "Анализ результатов",
            ),
        ],
    ),
];

fn road_map_from(
    title: String,
    level: crate::roadmap::Level,
    sections: &[(&str, &[ActivityPlan])],
) -> crate::roadmap::RoadMap {
    use crate::period::{PeriodContext, parse_period};
    use crate::roadmap::{Activity, Order, RoadMap, Section};
    let context = PeriodContext::school_year(2024);
    RoadMap {
        title,
        level,
        owner: None,
        order: Some(Order {
            number: Some("№ 01-04-215".to_owned()),
            date: NaiveDate::from_ymd_opt(2024, 8, 30),
            ..Order::default()
        }),
        period: context.document,
        goals: vec![
            "Повышение качества образования в школах с низкими образовательными результатами"
                .to_owned(),
        ],
        tasks: vec![],
        expected_results: vec![],
        sections: sections
            .iter()
            .map(|(section, activities)| Section {
                title: (*section).to_owned(),
                tasks: vec![],
                planned_results: vec![],
                activities: activities
                    .iter()
                    .map(|(number, title, period, responsible, output)| Activity {
                        number: Some((*number).to_owned()),
                        title: (*title).to_owned(),
                        period: Some(parse_period(period, &context)),
                        responsible: responsible.iter().map(|r| (*r).to_owned()).collect(),
                        output: Some((*output).to_owned()),
                        indicator: None,
                        publicity: None,
                        external_help: None,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Road maps for the demo region in the style of real ones: a municipal road map for every
/// municipality and a school road map for each school that is ШНОР in 2024.
pub fn demo_road_maps(demo: &DemoRegion) -> Vec<(DemoScope, crate::roadmap::RoadMap)> {
    use crate::roadmap::Level;
    let mut maps = Vec::new();
    for plan in &MUNICIPALITIES {
        let title = format!(
            "Дорожная карта по поддержке школ с низкими образовательными результатами на 2024-2025 уч. год ({})",
            plan.name
        );
        maps.push((
            DemoScope::Municipality(plan.name.to_owned()),
            road_map_from(title, Level::Municipal, &MUNICIPAL_TRACKS),
        ));
    }
    let year = SchoolYear::new(2024).unwrap_or_else(|_| unreachable!());
    let mut low: Vec<&SchoolId> = demo
        .decisions
        .iter()
        .filter(|d| d.year == year && d.status == StatusKind::LowResults)
        .map(|d| &d.school_id)
        .collect();
    low.sort();
    low.dedup();
    for id in low {
        if let Some(school) = demo.schools.iter().find(|s| &s.id == id) {
            let title = format!(
                "Дорожная карта {} по выходу из перечня ШНОР на 2024-2025 уч. год",
                school.name
            );
            maps.push((
                DemoScope::School(id.clone()),
                road_map_from(title, Level::School, &SCHOOL_SECTIONS),
            ));
        }
    }
    maps
}

#[cfg(test)]
mod road_map_tests {
    use super::*;
    use crate::period::PeriodKind;

    #[test]
    fn demo_results_make_the_rule_find_the_demo_low_results_schools() {
        use crate::identify::{Cell, RuleConfig, identify};
        let demo = demo_region();
        let cells: Vec<Cell> = demo_results(&demo)
            .into_iter()
            .map(|r| Cell {
                school_id: r.school_id.as_str().to_owned(),
                year: r.year,
                procedure: r.procedure,
                subject: r.subject.to_owned(),
                grade: r.grade,
                participants: r.participants,
                failed: r.failed,
            })
            .collect();
        let schools: Vec<crate::identify::SchoolContext> = demo
            .schools
            .iter()
            .map(|s| crate::identify::SchoolContext {
                school_id: s.id.as_str().to_owned(),
                social: [None; 6],
            })
            .collect();
        let found = identify(&cells, &schools, 2024, &RuleConfig::default());
        let listed: Vec<&str> = found
            .low_results
            .iter()
            .map(|d| d.school_id.as_str())
            .collect();
        let assigned = demo
            .decisions
            .iter()
            .filter(|d| d.year.start_year() == 2024 && d.status == StatusKind::LowResults)
            .count();
        assert!(assigned > 0);
        assert!(
            listed.len() >= assigned / 2,
            "the rule finds most ШНОР of the demo: {} of {assigned}",
            listed.len()
        );
    }

    #[test]
    fn every_demo_period_is_read_and_every_municipality_has_a_road_map() {
        let demo = demo_region();
        let maps = demo_road_maps(&demo);
        let municipal = maps
            .iter()
            .filter(|(scope, _)| matches!(scope, DemoScope::Municipality(_)))
            .count();
        assert_eq!(municipal, MUNICIPALITIES.len());
        assert!(
            maps.iter()
                .any(|(scope, _)| matches!(scope, DemoScope::School(_)))
        );
        for (_, map) in &maps {
            for activity in map.activities() {
                let period = activity.period.as_ref().expect("period");
                assert_ne!(
                    period.kind,
                    PeriodKind::Unresolved,
                    "demo period «{}» must be readable",
                    period.text
                );
            }
        }
    }
}

/// One aggregated result of the demo: (school, year, procedure, subject, grade) with participants
/// and how many of them did not reach the minimum threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoResult {
    pub school_id: SchoolId,
    pub year: i32,
    pub procedure: crate::identify::Procedure,
    pub subject: &'static str,
    pub grade: u8,
    pub participants: u32,
    pub failed: u32,
}

/// Results for the demo schools over the demo years, consistent with their statuses: schools
/// that are ШНОР in a year fail often in that year, declining ones fail more than the year before,
/// strong ones rarely fail. Deterministic.
pub fn demo_results(demo: &DemoRegion) -> Vec<DemoResult> {
    use crate::identify::Procedure;
    let mut rng = fastrand::Rng::with_seed(SEED ^ 0x5eed);
    let has = |id: &SchoolId, year: i32, status: StatusKind| {
        demo.decisions.iter().any(|d| {
            &d.school_id == id
                && d.year.start_year() == year
                && d.status == status
                && d.decision == StatusDecision::Assigned
        })
    };
    let mut results = Vec::new();
    for school in &demo.schools {
        // Pupils per grade: enrolment spread over grades 1–11.
        let per_grade = (school.students / 11).max(3);
        for &year in &DEMO_YEARS {
            let base = if has(&school.id, year, StatusKind::LowResults) {
                0.36
            } else if has(&school.id, year, StatusKind::Declining) {
                0.22
            } else if has(&school.id, year, StatusKind::Mentor) {
                0.02
            } else {
                0.08
            };
            // A primary school writes only the grade 4 ВПР; others grades 5–8 and the ОГЭ.
            let mut units: Vec<(Procedure, u8)> = if school.kind.as_str() == "НОШ" {
                vec![(Procedure::Vpr, 4)]
            } else {
                let mut units: Vec<_> = (5..=8).map(|grade| (Procedure::Vpr, grade)).collect();
                units.push((Procedure::Oge, 9));
                units
            };
            if matches!(school.kind.as_str(), "СОШ" | "Гимназия" | "Лицей") {
                units.push((Procedure::Ege, 11));
            }
            for (procedure, grade) in units {
                for subject in ["ru", "math"] {
                    let participants = per_grade.saturating_sub(rng.u32(0..=2)).max(1);
                    let share = (base + (rng.f64() - 0.5) * 0.12).clamp(0.0, 0.9);
                    let failed =
                        ((f64::from(participants) * share).round() as u32).min(participants);
                    results.push(DemoResult {
                        school_id: school.id.clone(),
                        year,
                        procedure,
                        subject,
                        grade,
                        participants,
                        failed,
                    });
                }
            }
        }
    }
    results
}
