//! Выявление: the identification rule run on stored results for a year, with the four lists,
//! counts by municipality, transitions against the year before, and a what-if: change any scalar
//! parameter of the rule ([`PARAMS`]) and see who would enter or leave each list before saving.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use orientir_domain::identify::{
    Cell, Decision, Identification, RuleConfig, SchoolContext, TwoYears, UnitKind, identify,
    school_ids, transitions,
};
use orientir_domain::registry::{SchoolYear, StatusKind};
use orientir_report::{SheetTable, tables_xlsx};
use orientir_store::{RuleRunStatus, SchoolFilter, SchoolSort};
use serde::Deserialize;

use crate::auth::{Auth, SessionView, places};
use crate::error::PageError;
use crate::query::bad_query;
use crate::view::{SelectOption, href};
use crate::{AppState, WebError};
use orientir_domain::access::{Action, Resource};

#[derive(Debug, Default, Deserialize)]
pub struct RunQuery {
    year: Option<String>,
    saved: Option<String>,
    /// What-if: the rule parameters of [`PARAMS`] by their query names; other names are ignored.
    #[serde(flatten)]
    params: HashMap<String, String>,
}

/// How a what-if parameter is written and checked.
enum Kind {
    /// A number in a closed range; a decimal comma is accepted.
    Number { min: f64, max: f64 },
    /// A whole number in a closed range.
    Whole { min: u32, max: u32 },
    /// One of the listed values: (value, Russian label).
    Choice(&'static [(&'static str, &'static str)]),
    /// `true` (да) or `false` (нет).
    Flag,
}

/// A value of a what-if parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Number(f64),
    Whole(u32),
    Choice(&'static str),
    Flag(bool),
}

impl Value {
    /// As the query, the form and the export write it.
    fn query_text(self) -> String {
        match self {
            Value::Number(v) => v.to_string(),
            Value::Whole(v) => v.to_string(),
            Value::Choice(v) => v.to_owned(),
            Value::Flag(v) => v.to_string(),
        }
    }

    /// As the rule version and the page name it.
    fn text(self) -> String {
        match self {
            Value::Flag(true) => "да".to_owned(),
            Value::Flag(false) => "нет".to_owned(),
            other => other.query_text(),
        }
    }

    fn same_as(self, other: Value) -> bool {
        match (self, other) {
            (Value::Number(a), Value::Number(b)) => (a - b).abs() <= f64::EPSILON,
            (a, b) => a == b,
        }
    }
}

impl Kind {
    /// The value `raw` stands for, if it is one of this kind within its range.
    fn parse(&self, raw: &str) -> Option<Value> {
        match self {
            Kind::Number { min, max } => raw
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (*min..=*max).contains(v))
                .map(Value::Number),
            Kind::Whole { min, max } => raw
                .parse::<u32>()
                .ok()
                .filter(|v| (*min..=*max).contains(v))
                .map(Value::Whole),
            Kind::Choice(options) => options
                .iter()
                .find(|(value, _)| *value == raw)
                .map(|(value, _)| Value::Choice(value)),
            Kind::Flag => match raw {
                "true" => Some(Value::Flag(true)),
                "false" => Some(Value::Flag(false)),
                _ => None,
            },
        }
    }

    /// The options of a select, or none for a text field.
    fn options(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Kind::Choice(options) => options.to_vec(),
            Kind::Flag => vec![("true", "да"), ("false", "нет")],
            Kind::Number { .. } | Kind::Whole { .. } => Vec::new(),
        }
    }

    fn input_mode(&self) -> &'static str {
        match self {
            Kind::Number { .. } => "decimal",
            _ => "numeric",
        }
    }
}

/// One scalar parameter of the rule that the what-if can change.
struct Param {
    /// The query and form field name (and the control's id).
    name: &'static str,
    /// The key in the rule's TOML (`default_rule.toml`).
    key: &'static str,
    /// The part of the rule, the legend of its controls.
    section: &'static str,
    /// The control's label.
    label: &'static str,
    /// What it does, from `default_rule.toml`.
    about: &'static str,
    /// The allowed values, for the hint and the 400 message.
    expected: &'static str,
    /// How the rule version names a changed value: «доля 0.35».
    short: &'static str,
    kind: Kind,
    get: fn(&RuleConfig) -> Value,
    set: fn(&mut RuleConfig, Value),
}

const UNITS: &[(&str, &str)] = &[
    ("procedure", "процедура (классы суммируются)"),
    ("procedure+grade", "процедура в отдельном классе"),
];

const TWO_YEARS: &[(&str, &str)] = &[
    ("same", "та же единица анализа"),
    ("any", "любая единица анализа"),
];

/// Every scalar parameter of the rule, in the order of `default_rule.toml`: the what-if form,
/// [`rule_with`], the save form's hidden fields, the export link and the rule version are all
/// made from this table.
const PARAMS: &[Param] = &[
    Param {
        name: "share",
        key: "low_results.share",
        section: "ШНОР",
        label: "Доля не преодолевших порог",
        about: "Доля участников, не преодолевших минимальный порог, при которой результат считается низким.",
        expected: "число от 0 до 1",
        short: "доля",
        kind: Kind::Number { min: 0.0, max: 1.0 },
        get: |r| Value::Number(r.low_results.share),
        set: |r, v| {
            if let Value::Number(v) = v {
                r.low_results.share = v;
            }
        },
    },
    Param {
        name: "min_participants",
        key: "low_results.min_participants",
        section: "ШНОР",
        label: "Минимум участников",
        about: "Ячейки с меньшим числом участников не учитываются.",
        expected: "целое число не меньше 1",
        short: "минимум участников",
        kind: Kind::Whole {
            min: 1,
            max: u32::MAX,
        },
        get: |r| Value::Whole(r.low_results.min_participants),
        set: |r, v| {
            if let Value::Whole(v) = v {
                r.low_results.min_participants = v;
            }
        },
    },
    Param {
        name: "unit",
        key: "low_results.unit",
        section: "ШНОР",
        label: "Единица анализа",
        about: "Процедура (ВПР, ОГЭ, ЕГЭ) с суммированием классов или процедура в отдельном классе.",
        expected: "procedure или procedure+grade",
        short: "единица анализа",
        kind: Kind::Choice(UNITS),
        get: |r| {
            Value::Choice(match r.low_results.unit {
                UnitKind::Procedure => "procedure",
                UnitKind::ProcedureGrade => "procedure+grade",
            })
        },
        set: |r, v| {
            if let Value::Choice(v) = v {
                r.low_results.unit = if v == "procedure+grade" {
                    UnitKind::ProcedureGrade
                } else {
                    UnitKind::Procedure
                };
            }
        },
    },
    Param {
        name: "two_years",
        key: "low_results.two_years",
        section: "ШНОР",
        label: "Два года подряд",
        about: "Низкий результат в прошлом и в текущем году: в той же единице анализа или в любой.",
        expected: "same или any",
        short: "два года подряд",
        kind: Kind::Choice(TWO_YEARS),
        get: |r| {
            Value::Choice(match r.low_results.two_years {
                TwoYears::Same => "same",
                TwoYears::Any => "any",
            })
        },
        set: |r, v| {
            if let Value::Choice(v) = v {
                r.low_results.two_years = if v == "any" {
                    TwoYears::Any
                } else {
                    TwoYears::Same
                };
            }
        },
    },
    Param {
        name: "rise_points",
        key: "declining.rise_points",
        section: "Зона риска",
        label: "Рост доли не преодолевших порог, п.п.",
        about: "Рост доли с прошлого года на текущий в какой-либо единице анализа и предмете.",
        expected: "число от 0 до 100",
        short: "рост доли (п.п.)",
        kind: Kind::Number {
            min: 0.0,
            max: 100.0,
        },
        get: |r| Value::Number(r.declining.rise_points),
        set: |r, v| {
            if let Value::Number(v) = v {
                r.declining.rise_points = v;
            }
        },
    },
    Param {
        name: "also_single_unit",
        key: "declining.also_single_unit",
        section: "Зона риска",
        label: "Низкий результат в одной единице анализа",
        about: "Включать ли в зону риска школу с низким результатом ровно в одной единице анализа.",
        expected: "true (да) или false (нет)",
        short: "одна единица анализа",
        kind: Kind::Flag,
        get: |r| Value::Flag(r.declining.also_single_unit),
        set: |r, v| {
            if let Value::Flag(v) = v {
                r.declining.also_single_unit = v;
            }
        },
    },
    Param {
        name: "top_share",
        key: "social_risk.top_share",
        section: "ШНСУ",
        label: "Доля школ с наибольшим индексом",
        about: "Доля школ с наибольшим индексом социального риска; число школ округляется вверх.",
        expected: "число от 0 до 1",
        short: "доля ШНСУ",
        kind: Kind::Number { min: 0.0, max: 1.0 },
        get: |r| Value::Number(r.social_risk.top_share),
        set: |r, v| {
            if let Value::Number(v) = v {
                r.social_risk.top_share = v;
            }
        },
    },
    Param {
        name: "max_failed_share",
        key: "mentor.max_failed_share",
        section: "Школы-наставники",
        label: "Наибольшая доля не преодолевших порог",
        about: "В каждой единице анализа и предмете с достаточным числом участников.",
        expected: "число от 0 до 1",
        short: "доля у наставников",
        kind: Kind::Number { min: 0.0, max: 1.0 },
        get: |r| Value::Number(r.mentor.max_failed_share),
        set: |r, v| {
            if let Value::Number(v) = v {
                r.mentor.max_failed_share = v;
            }
        },
    },
    Param {
        name: "mentor_years",
        key: "mentor.years",
        section: "Школы-наставники",
        label: "Сколько последних лет проверяется",
        about: "Включая текущий год.",
        expected: "целое число от 1 до 100",
        short: "лет у наставников",
        kind: Kind::Whole { min: 1, max: 100 },
        get: |r| Value::Whole(r.mentor.years),
        set: |r, v| {
            if let Value::Whole(v) = v {
                r.mentor.years = v;
            }
        },
    },
    Param {
        name: "min_units",
        key: "mentor.min_units",
        section: "Школы-наставники",
        label: "Наименьшее число единиц анализа в год",
        about: "С достаточным числом участников, в каждом из проверяемых лет.",
        expected: "целое число не меньше 1",
        short: "единиц анализа у наставников",
        kind: Kind::Whole {
            min: 1,
            max: u32::MAX,
        },
        get: |r| Value::Whole(r.mentor.min_units),
        set: |r, v| {
            if let Value::Whole(v) = v {
                r.mentor.min_units = v;
            }
        },
    },
];

/// The rule a request asks for: the default with the what-if values applied.
struct WhatIf {
    rule: RuleConfig,
    /// The parameters whose value differs from the default, in table order.
    changed: Vec<&'static Param>,
}

impl WhatIf {
    fn is_changed(&self) -> bool {
        !self.changed.is_empty()
    }

    /// The changed parameters as query pairs: unchanged ones are the default anyway.
    fn pairs(&self) -> Vec<(&'static str, Option<String>)> {
        self.changed
            .iter()
            .map(|p| (p.name, Some((p.get)(&self.rule).query_text())))
            .collect()
    }
}

/// The default rule with the what-if parameters applied; a bad value is a 400 naming the
/// parameter and what it accepts. A changed rule's version lists every changed parameter.
fn rule_with(params: &HashMap<String, String>) -> Result<WhatIf, WebError> {
    let default = RuleConfig::default();
    let mut rule = default.clone();
    let mut changed = Vec::new();
    for param in PARAMS {
        let Some(raw) = params
            .get(param.name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        let value = param.kind.parse(raw).ok_or_else(|| {
            WebError::BadRequest(format!(
                "Параметр «{}» ({}): значение «{raw}» не подходит — ожидается {}.",
                param.label, param.key, param.expected
            ))
        })?;
        (param.set)(&mut rule, value);
        if !value.same_as((param.get)(&default)) {
            changed.push(param);
        }
    }
    if !changed.is_empty() {
        let parts: Vec<String> = changed
            .iter()
            .map(|p| format!("{} {}", p.short, (p.get)(&rule).text()))
            .collect();
        rule.version = format!("{} ({})", default.version, parts.join("; "));
    }
    Ok(WhatIf { rule, changed })
}

/// A control of the what-if form.
struct Control {
    name: &'static str,
    label: &'static str,
    hint: String,
    value: String,
    /// Empty for a text field.
    options: Vec<SelectOption>,
    input_mode: &'static str,
}

/// The controls of one part of the rule.
struct ControlGroup {
    legend: &'static str,
    controls: Vec<Control>,
}

fn controls(rule: &RuleConfig) -> Vec<ControlGroup> {
    let default = RuleConfig::default();
    let mut groups: Vec<ControlGroup> = Vec::new();
    for param in PARAMS {
        let value = (param.get)(rule).query_text();
        let control = Control {
            name: param.name,
            label: param.label,
            hint: format!(
                "{} Допустимо: {}; по умолчанию {}.",
                param.about,
                param.expected,
                (param.get)(&default).text()
            ),
            options: param
                .kind
                .options()
                .into_iter()
                .map(|(v, label)| SelectOption::new(v, label, v == value))
                .collect(),
            value,
            input_mode: param.kind.input_mode(),
        };
        match groups.last_mut() {
            Some(group) if group.legend == param.section => group.controls.push(control),
            _ => groups.push(ControlGroup {
                legend: param.section,
                controls: vec![control],
            }),
        }
    }
    groups
}

/// A school as the lists show it.
#[derive(Clone)]
struct SchoolRef {
    name: String,
    municipality: String,
}

struct Listed {
    name: String,
    href: String,
    municipality: String,
    explanation: String,
}

struct ListBlock {
    id: &'static str,
    title: &'static str,
    rows: Vec<Listed>,
}

struct MunicipalityCounts {
    name: String,
    counts: [usize; 4],
}

struct Change {
    title: String,
    schools: Vec<String>,
}

/// A changed parameter as the what-if box names it.
struct ChangedParam {
    label: &'static str,
    key: &'static str,
    value: String,
    default: String,
}

#[derive(Template)]
#[template(path = "identification.html")]
struct IdentificationPage {
    session: SessionView,
    years: Vec<SelectOption>,
    year: Option<i32>,
    groups: Vec<ControlGroup>,
    /// The what-if parameters the save form carries.
    hidden: Vec<(&'static str, String)>,
    changed: Vec<ChangedParam>,
    what_if: bool,
    rule_version: String,
    lists: Vec<ListBlock>,
    by_municipality: Vec<MunicipalityCounts>,
    transitions: Vec<Change>,
    what_if_changes: Vec<Change>,
    saved: Option<String>,
    reset_href: String,
    export_href: String,
}

/// What the rule runs on, read once per request and shared by every run the page makes (the
/// year, the year before, the default rule for the what-if).
struct Inputs {
    cells: Vec<Cell>,
    contexts: Vec<SchoolContext>,
}

impl Inputs {
    /// Cells from the earliest year any run needs (the year before, and the mentor rule's span)
    /// up to `year`; the engine ignores the years a run does not look at.
    /// The span covers the default rule too, which the what-if compares with.
    /// ЕГЭ cells are counted with `rule`'s minimum scores: the what-if does not change them
    /// ([`PARAMS`]), so they are the default rule's too.
    async fn load(state: &AppState, year: i32, rule: &RuleConfig) -> Result<Self, WebError> {
        let years = rule.mentor.years.max(RuleConfig::default().mentor.years);
        let span = i32::try_from(years).unwrap_or(i32::MAX).max(2);
        let inputs = state
            .store
            .rule_inputs(year.saturating_sub(span)..=year, rule)
            .await?;
        Ok(Self {
            cells: inputs.cells,
            contexts: inputs.contexts,
        })
    }

    fn run(&self, year: i32, rule: &RuleConfig) -> Identification {
        identify(&self.cells, &self.contexts, year, rule)
    }
}

/// The `year` parameter, when given.
fn requested_year(query: &RunQuery) -> Result<Option<i32>, WebError> {
    match query
        .year
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(raw) => SchoolYear::parse(raw)
            .map(|y| Some(y.start_year()))
            .map_err(|e| WebError::BadRequest(format!("Параметр year: {e}."))),
        None => Ok(None),
    }
}

/// Names and municipalities of every school, for the lists.
async fn directory(state: &AppState) -> Result<HashMap<String, SchoolRef>, WebError> {
    let store = &state.store;
    let mut schools = HashMap::new();
    for region in store.regions().await? {
        for municipality in store.municipality_overview(region.id, None).await? {
            let filter = SchoolFilter {
                municipality_id: municipality.id,
                year: None,
                status: None,
                locality: None,
                kind: None,
                sort: SchoolSort::Name,
                descending: false,
            };
            for school in store.schools(&filter).await? {
                schools.insert(
                    school.id.to_string(),
                    SchoolRef {
                        name: school.name,
                        municipality: municipality.name.clone(),
                    },
                );
            }
        }
    }
    Ok(schools)
}

fn name_of(directory: &HashMap<String, SchoolRef>, id: &str) -> String {
    directory
        .get(id)
        .map_or_else(|| id.to_owned(), |s| s.name.clone())
}

fn block(
    id: &'static str,
    title: &'static str,
    decisions: impl Iterator<Item = (String, String)>,
    directory: &HashMap<String, SchoolRef>,
) -> ListBlock {
    let mut rows: Vec<Listed> = decisions
        .map(|(school, explanation)| Listed {
            name: name_of(directory, &school),
            href: format!("/schools/{school}"),
            municipality: directory
                .get(&school)
                .map(|s| s.municipality.clone())
                .unwrap_or_default(),
            explanation,
        })
        .collect();
    rows.sort_by(|a, b| (&a.municipality, &a.name).cmp(&(&b.municipality, &b.name)));
    ListBlock { id, title, rows }
}

fn decisions(list: &[Decision]) -> impl Iterator<Item = (String, String)> + '_ {
    list.iter()
        .map(|d| (d.school_id.clone(), d.explanation.clone()))
}

/// The four lists of a year under a rule, with names and municipalities.
fn lists_for(
    inputs: &Inputs,
    year: i32,
    rule: &RuleConfig,
    directory: &HashMap<String, SchoolRef>,
) -> (Identification, Vec<ListBlock>) {
    let found = inputs.run(year, rule);
    let social = found
        .social_risk
        .iter()
        .map(|d| (d.school_id.clone(), d.explanation.clone()));
    let lists = vec![
        block(
            "low-results",
            "ШНОР",
            decisions(&found.low_results),
            directory,
        ),
        block(
            "declining",
            "Зона риска",
            decisions(&found.declining),
            directory,
        ),
        block("social-risk", "ШНСУ", social, directory),
        block(
            "mentors",
            "Школы-наставники",
            decisions(&found.mentors),
            directory,
        ),
    ];
    (found, lists)
}

/// The four lists as an XLSX workbook, one sheet per list.
pub async fn export(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<RunQuery>, QueryRejection>,
) -> Result<Response, PageError> {
    places::require_everywhere(
        &state.store,
        &session,
        Action::Read,
        Resource::Identification,
    )
    .await?;
    let Query(query) = query.map_err(bad_query)?;
    let rule = rule_with(&query.params)?.rule;
    let year = requested_year(&query)?
        .ok_or_else(|| WebError::BadRequest("Укажите год: параметр year.".to_owned()))?;
    let directory = directory(&state).await?;
    let inputs = Inputs::load(&state, year, &rule).await?;
    let (_, lists) = lists_for(&inputs, year, &rule, &directory);
    let headers = ["Школа", "Код", "Муниципалитет", "Основание"]
        .map(str::to_owned)
        .to_vec();
    let tables: Vec<SheetTable> = lists
        .iter()
        .map(|list| SheetTable {
            name: format!("{} {year}", list.title),
            headers: headers.clone(),
            rows: list
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone(),
                        r.href.trim_start_matches("/schools/").to_owned(),
                        r.municipality.clone(),
                        r.explanation.clone(),
                    ]
                })
                .collect(),
        })
        .collect();
    let bytes = tables_xlsx(&tables).map_err(WebError::Export)?;
    let file_name = format!("identification-{year}.xlsx");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The school ids of the four lists, in the order of [`lists_for`].
fn list_ids(found: &Identification) -> [Vec<String>; 4] {
    [
        school_ids(&found.low_results),
        school_ids(&found.declining),
        found
            .social_risk
            .iter()
            .map(|d| d.school_id.clone())
            .collect(),
        school_ids(&found.mentors),
    ]
}

/// How the what-if box names the schools that would enter and leave each list.
const WHAT_IF_TITLES: [(&str, &str); 4] = [
    ("Добавятся к списку ШНОР", "Выйдут из списка ШНОР"),
    ("Добавятся к зоне риска", "Выйдут из зоны риска"),
    ("Добавятся к списку ШНСУ", "Выйдут из списка ШНСУ"),
    (
        "Добавятся к школам-наставникам",
        "Выйдут из школ-наставников",
    ),
];

pub async fn page(
    State(state): State<AppState>,
    Auth(session): Auth,
    query: Result<Query<RunQuery>, QueryRejection>,
) -> Result<Html<String>, PageError> {
    places::require_everywhere(
        &state.store,
        &session,
        Action::Read,
        Resource::Identification,
    )
    .await?;
    let Query(query) = query.map_err(bad_query)?;
    let what_if = rule_with(&query.params)?;
    let rule = &what_if.rule;
    let years = state.store.result_years().await?;
    let year = match requested_year(&query)? {
        Some(year) => Some(year),
        None => years.first().copied(),
    };
    let directory = directory(&state).await?;
    let mut lists = Vec::new();
    let mut by_municipality: Vec<MunicipalityCounts> = Vec::new();
    let mut transition_blocks = Vec::new();
    let mut what_if_changes = Vec::new();
    let mut rule_version = rule.version.clone();
    if let Some(year) = year {
        let inputs = Inputs::load(&state, year, rule).await?;
        let (found, computed) = lists_for(&inputs, year, rule, &directory);
        rule_version = found.rule_version.clone();
        lists = computed;
        let mut counts: HashMap<String, [usize; 4]> = HashMap::new();
        for (i, list) in lists.iter().enumerate() {
            for row in &list.rows {
                counts.entry(row.municipality.clone()).or_default()[i] += 1;
            }
        }
        by_municipality = counts
            .into_iter()
            .map(|(name, counts)| MunicipalityCounts { name, counts })
            .collect();
        by_municipality.sort_by(|a, b| a.name.cmp(&b.name));

        let names = |ids: &[String]| ids.iter().map(|id| name_of(&directory, id)).collect();
        let current = list_ids(&found);
        if years.contains(&(year - 1)) {
            let before = inputs.run(year - 1, rule);
            let moved = transitions(&school_ids(&before.low_results), &current[0]);
            transition_blocks = vec![
                Change {
                    title: "Вошли в список".to_owned(),
                    schools: names(&moved.entered),
                },
                Change {
                    title: "Остались в списке".to_owned(),
                    schools: names(&moved.stayed),
                },
                Change {
                    title: "Вышли из списка".to_owned(),
                    schools: names(&moved.left),
                },
            ];
        }
        if what_if.is_changed() {
            let baseline = list_ids(&inputs.run(year, &RuleConfig::default()));
            for ((before, after), (enter, leave)) in
                baseline.iter().zip(&current).zip(WHAT_IF_TITLES)
            {
                let moved = transitions(before, after);
                for (title, ids) in [(enter, &moved.entered), (leave, &moved.left)] {
                    if !ids.is_empty() {
                        what_if_changes.push(Change {
                            title: title.to_owned(),
                            schools: names(ids),
                        });
                    }
                }
            }
        }
    }
    let default = RuleConfig::default();
    let pairs = what_if.pairs();
    let page = IdentificationPage {
        session: session.view(),
        years: years
            .iter()
            .map(|y| SelectOption::new(y.to_string(), format!("{y}"), Some(*y) == year))
            .collect(),
        year,
        groups: controls(rule),
        hidden: pairs
            .iter()
            .filter_map(|(name, value)| value.clone().map(|v| (*name, v)))
            .collect(),
        changed: what_if
            .changed
            .iter()
            .map(|p| ChangedParam {
                label: p.label,
                key: p.key,
                value: (p.get)(rule).text(),
                default: (p.get)(&default).text(),
            })
            .collect(),
        what_if: what_if.is_changed(),
        rule_version,
        lists,
        by_municipality,
        transitions: transition_blocks,
        what_if_changes,
        saved: query.saved,
        reset_href: href("/identification", &[("year", year.map(|y| y.to_string()))]),
        export_href: href(
            "/identification/export.xlsx",
            &[vec![("year", year.map(|y| y.to_string()))], pairs].concat(),
        ),
    };
    Ok(Html(page.render()?))
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    year: String,
    /// The what-if parameters of [`PARAMS`] by their names; other fields are ignored.
    #[serde(flatten)]
    params: HashMap<String, String>,
}

/// Records the run as statuses for the school year (append-only; the latest run is in force).
pub async fn save(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(form): Form<SaveForm>,
) -> Result<Response, PageError> {
    places::require_everywhere(
        &state.store,
        &session,
        Action::Write,
        Resource::Identification,
    )
    .await?;
    let year: i32 = form.year.trim().parse().map_err(|_| {
        WebError::BadRequest(format!(
            "Год выявления «{}» не распознан: ожидается год начала учебного года, например 2024.",
            form.year
        ))
    })?;
    let what_if = rule_with(&form.params)?;
    let rule = &what_if.rule;
    let school_year =
        SchoolYear::new(year).map_err(|e| WebError::BadRequest(format!("Год выявления: {e}.")))?;
    let found = Inputs::load(&state, year, rule).await?.run(year, rule);
    let mut listed = Vec::new();
    let mut push = |ids: Vec<String>, status: StatusKind| -> Result<(), WebError> {
        for id in ids {
            let school_id = orientir_domain::registry::SchoolId::parse(&id)
                .map_err(|e| WebError::BadRequest(e.to_string()))?;
            listed.push(RuleRunStatus {
                school_id,
                status,
                note: None,
            });
        }
        Ok(())
    };
    let [low, declining, social, mentors] = list_ids(&found);
    push(low, StatusKind::LowResults)?;
    push(declining, StatusKind::Declining)?;
    push(social, StatusKind::SocialRisk)?;
    push(mentors, StatusKind::Mentor)?;
    let summary = session
        .store(&state.store)
        .record_rule_run(school_year, &found.rule_version, &listed)
        .await?;
    let message = format!(
        "Статусы за {} учебный год записаны: присвоено {}, снято {}.",
        school_year.label(),
        summary.assigned,
        summary.removed
    );
    let mut pairs = vec![("year", Some(year.to_string())), ("saved", Some(message))];
    pairs.extend(what_if.pairs());
    Ok(Redirect::to(&href("/identification", &pairs)).into_response())
}
