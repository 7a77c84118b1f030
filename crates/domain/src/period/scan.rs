//! Reads the token stream into [`Facts`]: the dated expressions a cell
//! names and the markers (recurrence, «в течение», «по запросу»...) around
//! them. Nothing here knows the document period; years that the text does
//! not state stay `None` until [`super::resolve`].
//!
//! Every recogniser either consumes at least one token and returns `true`
//! or leaves the position untouched and returns `false`.

use chrono::Weekday;

use super::Recurrence;
use super::lexicon::{self, Unit};
use super::tokens::Token;

/// A possibly incomplete date: `Сентябрь` has only a month, `15.09` no year,
/// `2023 год` only a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Point {
    pub day: Option<u32>,
    pub month: Option<u32>,
    pub year: Option<i32>,
}

/// Which year an ordinal period (quarter, half-year, term) is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum YearRef {
    Calendar(i32),
    /// The school year starting in September of this year.
    School(i32),
    Unstated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Edge {
    Start,
    End,
}

/// One dated expression of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expr {
    /// A point (`start == end`) or a range of points.
    Span {
        start: Point,
        end: Point,
    },
    Quarter {
        number: u32,
        year: YearRef,
    },
    HalfYear {
        number: u32,
        year: YearRef,
    },
    Term {
        number: u32,
        year: YearRef,
    },
    /// A whole school year: «2022-2023 уч. год».
    SchoolYear(i32),
    /// «в начале / в конце учебного года»: the first or last teaching month.
    SchoolYearEdge {
        edge: Edge,
        school_year: Option<i32>,
    },
}

/// How an expression is used in the cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The expression is the window itself.
    Plain,
    /// «до 15 апреля»: a deadline on a single day.
    By,
    /// «до конца сентября»: a deadline at the end of the expression.
    ByEndOf,
    /// «с 01.04.2022»: from that day on.
    From,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub role: Role,
    pub expr: Expr,
}

/// Everything a cell says, before any year is resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Facts {
    pub items: Vec<Item>,
    /// Recurrences other than weekly ones.
    pub recurrences: Vec<Recurrence>,
    pub weekdays: Vec<Weekday>,
    /// A marker that weekdays repeat: «еженедельно», «каждый», «по вторникам».
    pub weekly: bool,
    pub during: bool,
    pub on_request: bool,
    pub per_plan: bool,
    /// Something was not understood (a word, a number, an unsupported phrase).
    pub unknown: bool,
}

pub(crate) fn scan(tokens: &[Token]) -> Facts {
    let mut scanner = Scanner {
        tokens,
        pos: 0,
        facts: Facts::default(),
    };
    while scanner.pos < tokens.len() {
        scanner.step();
    }
    scanner.facts
}

struct Scanner<'a> {
    tokens: &'a [Token],
    pos: usize,
    facts: Facts,
}

impl<'a> Scanner<'a> {
    fn step(&mut self) {
        let recognised = self.recurrence()
            || self.weekday()
            || self.continuous()
            || self.during()
            || self.request_or_plan()
            || self.school_year_edge()
            || self.prefixed_item()
            || self.plain_item()
            || self.noise();
        if !recognised {
            self.facts.unknown = true;
            self.pos += 1;
        }
    }

    // ----- token access -------------------------------------------------

    fn peek(&self, offset: usize) -> Option<&'a Token> {
        self.tokens.get(self.pos + offset)
    }

    fn word(&self, offset: usize) -> Option<&'a str> {
        match self.peek(offset) {
            Some(Token::Word(word)) => Some(word.as_str()),
            _ => None,
        }
    }

    fn word_is(&self, offset: usize, expected: &[&str]) -> bool {
        self.word(offset).is_some_and(|w| expected.contains(&w))
    }

    fn is_dash(&self, offset: usize) -> bool {
        matches!(self.peek(offset), Some(Token::Dash))
    }

    /// Skips `.` tokens, as in «уч.г.» where dots sit between words.
    fn skip_stops(&mut self) {
        while matches!(self.peek(0), Some(Token::Stop)) {
            self.pos += 1;
        }
    }

    // ----- recurrences --------------------------------------------------

    fn recurrence(&mut self) -> bool {
        self.single_word_recurrence()
            || self.every()
            || self.after_each()
            || self.counted_recurrence()
    }

    fn single_word_recurrence(&mut self) -> bool {
        let Some(word) = self.word(0) else {
            return false;
        };
        let recurrence = if word.starts_with("еженедел") {
            None
        } else if word.starts_with("ежемесячн") {
            Some(Recurrence::Monthly)
        } else if word.starts_with("ежекварталь") {
            Some(Recurrence::Quarterly)
        } else if word.starts_with("ежегодн") {
            Some(Recurrence::Yearly)
        } else if word.starts_with("ежечетвертн") {
            Some(Recurrence::PerTerm)
        } else {
            return false;
        };
        self.pos += 1;
        self.add_recurrence_or_weekly(recurrence);
        true
    }

    /// `None` stands for a weekly recurrence, whose days come separately.
    fn add_recurrence_or_weekly(&mut self, recurrence: Option<Recurrence>) {
        match recurrence {
            Some(r) => self.facts.recurrences.push(r),
            None => self.facts.weekly = true,
        }
    }

    /// «каждый вторник», «каждый месяц», «каждую четверть».
    fn every(&mut self) -> bool {
        if !self.word(0).is_some_and(|w| w.starts_with("кажд")) {
            return false;
        }
        let next = self.word(1).unwrap_or_default();
        if lexicon::weekday(next).is_some() {
            // The weekday itself is read by the next step.
            self.facts.weekly = true;
            self.pos += 1;
            return true;
        }
        match lexicon::unit(next) {
            Some(unit) => {
                self.pos += 2;
                self.add_unit_recurrence(1, unit);
                true
            }
            None => false,
        }
    }

    /// «по итогам (каждой) четверти», «в конце каждого месяца».
    fn after_each(&mut self) -> bool {
        let by_results = self.word_is(0, &["по"])
            && self.word_is(1, &["итогам", "окончании", "завершении", "результатам"]);
        let at_end = self.word_is(0, &["в"]) && self.word_is(1, &["конце"]);
        if !by_results && !at_end {
            return false;
        }
        let mut offset = 2;
        if self.word(offset).is_some_and(|w| w.starts_with("кажд")) {
            offset += 1;
        }
        // «по итогам учебного года» is a yearly summary.
        if by_results && self.word(offset).is_some_and(lexicon::is_school_word) {
            offset += 1;
            while matches!(self.peek(offset), Some(Token::Stop)) {
                offset += 1;
            }
        }
        let unit = self.word(offset).and_then(lexicon::unit);
        let allowed = match unit {
            Some(Unit::Year) => by_results,
            Some(Unit::Week) | None => false,
            Some(_) => true,
        };
        match unit {
            Some(unit) if allowed => {
                self.pos += offset + 1;
                self.add_unit_recurrence(1, unit);
                true
            }
            _ => false,
        }
    }

    /// «1 раз в квартал», «2 раза в год», «дважды в год», «раз в месяц».
    fn counted_recurrence(&mut self) -> bool {
        let mark = self.pos;
        let count = match self.peek(0) {
            Some(Token::Number { value, digits }) if *digits <= 2 => {
                self.pos += 1;
                Some(*value)
            }
            Some(Token::Word(word)) => match word.as_str() {
                "один" | "одного" | "одна" => Some(1),
                "два" | "две" => Some(2),
                "три" => Some(3),
                "четыре" => Some(4),
                _ => None,
            }
            .inspect(|_| self.pos += 1),
            _ => None,
        };
        let count = if self.word_is(0, &["раз", "раза"]) {
            self.pos += 1;
            count.unwrap_or(1)
        } else if count.is_none() && self.word_is(0, &["дважды"]) {
            self.pos += 1;
            2
        } else {
            self.pos = mark;
            return false;
        };
        if self.word_is(0, &["в", "во"]) {
            self.pos += 1;
        }
        match self.word(0).and_then(lexicon::unit) {
            Some(unit) => {
                self.pos += 1;
                self.add_unit_recurrence(count, unit);
                true
            }
            None => {
                self.pos = mark;
                false
            }
        }
    }

    /// `count` times per `unit`; combinations with no [`Recurrence`]
    /// («3 раза в месяц») make the cell unresolved rather than approximated.
    fn add_unit_recurrence(&mut self, count: u32, unit: Unit) {
        let recurrence = match (count, unit) {
            (1, Unit::Week) => None,
            (1, Unit::Month) => Some(Recurrence::Monthly),
            (1, Unit::Quarter) => Some(Recurrence::Quarterly),
            (1, Unit::Term) => Some(Recurrence::PerTerm),
            (1, Unit::HalfYear) | (2, Unit::Year) => Some(Recurrence::TwiceAYear),
            (1, Unit::Year) => Some(Recurrence::Yearly),
            _ => {
                self.facts.unknown = true;
                return;
            }
        };
        self.add_recurrence_or_weekly(recurrence);
    }

    /// A weekday; «по вторникам» (plural) is a weekly marker by itself.
    fn weekday(&mut self) -> bool {
        let offset = usize::from(self.word_is(0, &["по"]));
        let Some((day, plural)) = self.word(offset).and_then(lexicon::weekday) else {
            return false;
        };
        if offset == 1 && !plural {
            return false;
        }
        self.pos += offset + 1;
        self.facts.weekly |= plural;
        if !self.facts.weekdays.contains(&day) {
            self.facts.weekdays.push(day);
        }
        true
    }

    // ----- whole-period markers -----------------------------------------

    /// «Постоянно», «ежедневно»: the activity runs through the whole period.
    fn continuous(&mut self) -> bool {
        if self.word(0).is_some_and(lexicon::is_continuous_word) {
            self.facts.during = true;
            self.pos += 1;
            return true;
        }
        false
    }

    /// «в течение года», «на протяжении всего периода», «весь период».
    /// A dated expression after the marker («в течение 2023 года») is read
    /// by the following steps and becomes the window.
    fn during(&mut self) -> bool {
        let opening = if self.word_is(0, &["в"]) && self.word_is(1, &["течение", "теч"])
            || self.word_is(0, &["на"]) && self.word_is(1, &["протяжении"])
        {
            2
        } else if self.word_is(0, &["весь", "всего"])
            && self.word_is(1, &["период", "периода", "срок", "срока"])
        {
            1
        } else {
            return false;
        };
        self.pos += opening;
        self.facts.during = true;
        loop {
            self.skip_stops();
            if self.word(0).is_some_and(lexicon::is_scope_word) {
                self.pos += 1;
            } else {
                break;
            }
        }
        true
    }

    /// «по запросу», «по мере необходимости», «по годовому плану»,
    /// «согласно графику», «в соответствии с расписанием».
    fn request_or_plan(&mut self) -> bool {
        const LEADS: [&str; 4] = ["по", "согласно", "соответствии", "с"];
        // A lead word may be followed by up to three qualifiers.
        let span = if self.word_is(0, &LEADS) { 4 } else { 1 };
        for offset in 0..span {
            let Some(word) = self.word(offset) else {
                return false;
            };
            if lexicon::is_request_word(word) {
                self.facts.on_request = true;
            } else if lexicon::is_plan_word(word) {
                self.facts.per_plan = true;
            } else {
                continue;
            }
            self.pos += offset + 1;
            return true;
        }
        false
    }

    // ----- dated expressions --------------------------------------------

    /// «в конце учебного года», «в начале 2022-2023 уч. года»,
    /// «в конце 2022 года» (December).
    fn school_year_edge(&mut self) -> bool {
        let edge = match self.word(0) {
            Some("конце") => Edge::End,
            Some("начале") => Edge::Start,
            _ => return false,
        };
        let mark = self.pos;
        self.pos += 1;
        if let Some(expr) = self.school_year_reference(edge) {
            self.push(Role::Plain, expr);
            return true;
        }
        if let Some(year) = self.year() {
            let month = if edge == Edge::End { 12 } else { 1 };
            let point = Point {
                day: None,
                month: Some(month),
                year: Some(year),
            };
            self.push(Role::Plain, span(point, point));
            return true;
        }
        self.pos = mark;
        false
    }

    /// «учебного года», «уч. г.», «2022-2023 учебного года» as the edge of
    /// a school year.
    fn school_year_reference(&mut self, edge: Edge) -> Option<Expr> {
        if let Some(year) = self.school_year() {
            return Some(Expr::SchoolYearEdge {
                edge,
                school_year: Some(year),
            });
        }
        let mark = self.pos;
        let mut saw_school_word = false;
        while let Some(word) = self.word(0) {
            if lexicon::is_school_word(word) {
                saw_school_word = true;
            } else if !lexicon::is_year_word(word) {
                break;
            }
            self.pos += 1;
            self.skip_stops();
        }
        if saw_school_word {
            Some(Expr::SchoolYearEdge {
                edge,
                school_year: None,
            })
        } else {
            self.pos = mark;
            None
        }
    }

    /// «до X», «к X», «не позднее X», «по X», «до конца X», «с X (по Y)».
    fn prefixed_item(&mut self) -> bool {
        let mark = self.pos;
        if self.word_is(0, &["с", "со"])
            || self.word_is(0, &["начиная"]) && self.word_is(1, &["с", "со"])
        {
            self.pos += if self.word_is(0, &["начиная"]) {
                2
            } else {
                1
            };
            if self.starting_item() {
                return true;
            }
        } else if self.word_is(0, &["до", "к", "по"]) {
            self.pos += 1;
            if self.deadline_item() {
                return true;
            }
        } else if self.word_is(0, &["не"]) && self.word_is(1, &["позднее", "позже"]) {
            self.pos += 2;
            if self.deadline_item() {
                return true;
            }
        }
        self.pos = mark;
        false
    }

    fn deadline_item(&mut self) -> bool {
        let end_of = self.word_is(0, &["конца", "концу", "окончания"]);
        if end_of {
            self.pos += 1;
            if let Some(expr) = self.school_year_reference(Edge::End) {
                self.push(Role::ByEndOf, expr);
                return true;
            }
        }
        match self.plain_expr() {
            Some(expr) => {
                self.push(if end_of { Role::ByEndOf } else { Role::By }, expr);
                true
            }
            None => false,
        }
    }

    /// After «с»: «с 1 по 15 сентября», «с 01.04.2022 года», «с сентября
    /// 2022 г. по май 2023 г.».
    fn starting_item(&mut self) -> bool {
        let Some(start) = self.point(true) else {
            return false;
        };
        let mark = self.pos;
        if self.range_separator(&["по", "до"]) {
            if let Some(end) = self.point(false) {
                return self.push_span(Role::Plain, start, end);
            }
            self.pos = mark;
        }
        self.push_span(Role::From, start, start)
    }

    fn plain_item(&mut self) -> bool {
        match self.plain_expr() {
            Some(expr) => {
                self.push(Role::Plain, expr);
                true
            }
            None => false,
        }
    }

    fn plain_expr(&mut self) -> Option<Expr> {
        if let Some(year) = self.school_year() {
            return Some(Expr::SchoolYear(year));
        }
        if let Some(expr) = self.ordinal_period() {
            return Some(expr);
        }
        let mark = self.pos;
        let start = self.point(true)?;
        let after_start = self.pos;
        if self.range_separator(&[]) {
            if let Some(end) = self.point(false) {
                return self.valid_span(start, end).or_else(|| {
                    self.pos = mark;
                    None
                });
            }
            self.pos = after_start;
        }
        self.valid_span(start, start).or_else(|| {
            self.pos = mark;
            None
        })
    }

    /// A day alone («1» in «с 1 по 15 сентября») borrows the month from the
    /// end; anything else needs at least a month or a year of its own.
    fn valid_span(&self, start: Point, end: Point) -> Option<Expr> {
        let dated = |p: &Point| p.month.is_some() || p.year.is_some();
        let start_ok = dated(&start) || (start.day.is_some() && end.month.is_some());
        (start_ok && dated(&end)).then_some(span(start, end))
    }

    /// A dash or one of `words` between two ends of a range, possibly
    /// after the dot of «2022 г.»; consumes it when present.
    fn range_separator(&mut self, words: &[&str]) -> bool {
        let offset = usize::from(matches!(self.peek(0), Some(Token::Stop)));
        if self.is_dash(offset) || self.word_is(offset, words) {
            self.pos += offset + 1;
            return true;
        }
        false
    }

    fn push_span(&mut self, role: Role, start: Point, end: Point) -> bool {
        match self.valid_span(start, end) {
            Some(expr) => {
                self.push(role, expr);
                true
            }
            None => false,
        }
    }

    fn push(&mut self, role: Role, expr: Expr) {
        self.facts.items.push(Item { role, expr });
    }

    /// A date, a day with a month, a month, or a year, each with an
    /// optional year. A bare day number is accepted only when `allow_day`.
    fn point(&mut self, allow_day: bool) -> Option<Point> {
        let mark = self.pos;
        match self.peek(0)? {
            Token::Date { day, month, year } => {
                let point = Point {
                    day: Some(*day),
                    month: Some(*month),
                    year: *year,
                };
                self.pos += 1;
                if point.year.is_some() {
                    self.skip_year_words();
                    return Some(point);
                }
                Some(Point {
                    year: self.year(),
                    ..point
                })
            }
            Token::Number { value, digits } if *digits <= 2 && (1..=31).contains(value) => {
                let day = Some(*value);
                self.pos += 1;
                match self.word(0).and_then(lexicon::month) {
                    Some(month) => {
                        self.pos += 1;
                        Some(Point {
                            day,
                            month: Some(month),
                            year: self.year(),
                        })
                    }
                    None if allow_day => Some(Point {
                        day,
                        ..Point::default()
                    }),
                    None => {
                        self.pos = mark;
                        None
                    }
                }
            }
            Token::Word(word) => {
                let month = lexicon::month(word)?;
                self.pos += 1;
                // «янв. 2023»: the dot of an abbreviation.
                if matches!(self.peek(0), Some(Token::Stop)) && self.year_number(1).is_some() {
                    self.pos += 1;
                }
                Some(Point {
                    day: None,
                    month: Some(month),
                    year: self.year(),
                })
            }
            _ => self.year().map(|year| Point {
                year: Some(year),
                ..Point::default()
            }),
        }
    }

    /// A four-digit year (1900–2100) and any «г.», «года» after it.
    fn year(&mut self) -> Option<i32> {
        let year = self.year_number(0)?;
        self.pos += 1;
        self.skip_year_words();
        Some(year)
    }

    fn year_number(&self, offset: usize) -> Option<i32> {
        match self.peek(offset)? {
            Token::Number { value, digits: 4 } if (1900..=2100).contains(value) => {
                i32::try_from(*value).ok()
            }
            _ => None,
        }
    }

    fn skip_year_words(&mut self) {
        while self.word(0).is_some_and(lexicon::is_year_word) {
            self.pos += 1;
            // «г.» followed by more: keep the dot only when a year word follows.
            if matches!(self.peek(0), Some(Token::Stop))
                && self.word(1).is_some_and(lexicon::is_year_word)
            {
                self.pos += 1;
            }
        }
    }

    /// «2022-2023 уч. год», «2022/23 учебного года», «учебного 2022-2023
    /// года»: a school year needs a school word before or after it.
    fn school_year(&mut self) -> Option<i32> {
        let mark = self.pos;
        let first = self.year_number(0)?;
        self.pos += 1;
        self.skip_year_words();
        if !matches!(self.peek(0), Some(Token::Dash | Token::Slash)) {
            self.pos = mark;
            return None;
        }
        self.pos += 1;
        let follows = match self.peek(0) {
            Some(Token::Number { value, digits: 4 }) => i64::from(*value) == i64::from(first) + 1,
            Some(Token::Number { value, digits: 2 }) => {
                i64::from(*value) == (i64::from(first) + 1) % 100
            }
            _ => false,
        };
        if !follows {
            self.pos = mark;
            return None;
        }
        self.pos += 1;
        let school_word_before = mark > 0
            && matches!(self.tokens.get(mark - 1), Some(Token::Word(w)) if lexicon::is_school_word(w));
        let mut school_word_after = false;
        loop {
            self.skip_stops();
            match self.word(0) {
                Some(w) if lexicon::is_school_word(w) => school_word_after = true,
                Some(w) if lexicon::is_year_word(w) => {}
                _ => break,
            }
            self.pos += 1;
        }
        if school_word_before || school_word_after {
            Some(first)
        } else {
            self.pos = mark;
            None
        }
    }

    /// «III квартал 2022», «I полугодие 2022-2023 уч.г.», «2-я четверть».
    fn ordinal_period(&mut self) -> Option<Expr> {
        let mark = self.pos;
        let number = self.ordinal()?;
        let unit = self.word(0).and_then(lexicon::unit);
        let make: fn(u32, YearRef) -> Expr = match unit {
            Some(Unit::Quarter) => |number, year| Expr::Quarter { number, year },
            Some(Unit::HalfYear) => |number, year| Expr::HalfYear { number, year },
            Some(Unit::Term) => |number, year| Expr::Term { number, year },
            _ => {
                self.pos = mark;
                return None;
            }
        };
        self.pos += 1;
        let year = if let Some(school) = self.school_year() {
            YearRef::School(school)
        } else if let Some(calendar) = self.year() {
            YearRef::Calendar(calendar)
        } else {
            self.skip_school_phrase();
            YearRef::Unstated
        };
        Some(make(number, year))
    }

    /// «учебного года» after a period without numbers: same school year as
    /// the document, so it adds nothing.
    fn skip_school_phrase(&mut self) {
        let mark = self.pos;
        let mut saw_school_word = false;
        while let Some(word) = self.word(0) {
            if lexicon::is_school_word(word) {
                saw_school_word = true;
            } else if !lexicon::is_year_word(word) {
                break;
            }
            self.pos += 1;
            self.skip_stops();
        }
        if !saw_school_word {
            self.pos = mark;
        }
    }

    /// 1–4 as `I`–`IV`, «первое»..., or `1`, `1-е`, `1-й`.
    fn ordinal(&mut self) -> Option<u32> {
        match self.peek(0)? {
            Token::Word(word) => {
                let number = lexicon::ordinal_word(word)?;
                self.pos += 1;
                Some(number)
            }
            Token::Number { value, digits: 1 } if (1..=4).contains(value) => {
                let number = *value;
                self.pos += 1;
                if self.is_dash(0) && self.word(1).is_some_and(lexicon::is_ordinal_suffix) {
                    self.pos += 2;
                } else if self.word(0).is_some_and(lexicon::is_ordinal_suffix) {
                    self.pos += 1;
                }
                Some(number)
            }
            _ => None,
        }
    }

    /// Punctuation and words with no meaning for the period.
    fn noise(&mut self) -> bool {
        let skip = match self.peek(0) {
            Some(Token::Word(word)) => lexicon::is_filler(word),
            Some(Token::Number { .. } | Token::Date { .. }) | None => false,
            Some(_) => true,
        };
        if skip {
            self.pos += 1;
        }
        skip
    }
}

fn span(start: Point, end: Point) -> Expr {
    Expr::Span { start, end }
}
