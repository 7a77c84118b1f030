//! The string form of [`Recurrence`] used by the interchange JSON:
//! `weekly:mon,fri`, `weekly`, `monthly`, `quarterly`, `per_term`,
//! `twice_a_year`, `yearly`.

use std::fmt;
use std::str::FromStr;

use chrono::Weekday;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Recurrence;

const WEEKDAY_CODES: [(Weekday, &str); 7] = [
    (Weekday::Mon, "mon"),
    (Weekday::Tue, "tue"),
    (Weekday::Wed, "wed"),
    (Weekday::Thu, "thu"),
    (Weekday::Fri, "fri"),
    (Weekday::Sat, "sat"),
    (Weekday::Sun, "sun"),
];

fn weekday_code(day: Weekday) -> &'static str {
    WEEKDAY_CODES
        .iter()
        .find(|(d, _)| *d == day)
        .map_or("mon", |(_, code)| code)
}

fn weekday_from_code(code: &str) -> Option<Weekday> {
    WEEKDAY_CODES
        .iter()
        .find(|(_, c)| *c == code)
        .map(|(day, _)| *day)
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recurrence::Weekly(days) if days.is_empty() => f.write_str("weekly"),
            Recurrence::Weekly(days) => {
                let codes: Vec<&str> = days.iter().map(|d| weekday_code(*d)).collect();
                write!(f, "weekly:{}", codes.join(","))
            }
            Recurrence::Monthly => f.write_str("monthly"),
            Recurrence::Quarterly => f.write_str("quarterly"),
            Recurrence::PerTerm => f.write_str("per_term"),
            Recurrence::TwiceAYear => f.write_str("twice_a_year"),
            Recurrence::Yearly => f.write_str("yearly"),
        }
    }
}

/// The error for a string that is not a known recurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRecurrence(pub String);

impl fmt::Display for UnknownRecurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown recurrence `{}`", self.0)
    }
}

impl std::error::Error for UnknownRecurrence {}

impl FromStr for Recurrence {
    type Err = UnknownRecurrence;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unknown = || UnknownRecurrence(s.to_string());
        match s {
            "weekly" => Ok(Recurrence::Weekly(Vec::new())),
            "monthly" => Ok(Recurrence::Monthly),
            "quarterly" => Ok(Recurrence::Quarterly),
            "per_term" => Ok(Recurrence::PerTerm),
            "twice_a_year" => Ok(Recurrence::TwiceAYear),
            "yearly" => Ok(Recurrence::Yearly),
            _ => {
                let days = s.strip_prefix("weekly:").ok_or_else(unknown)?;
                days.split(',')
                    .map(|code| weekday_from_code(code).ok_or_else(unknown))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Recurrence::Weekly)
            }
        }
    }
}

impl Serialize for Recurrence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Recurrence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip() {
        for text in [
            "weekly",
            "weekly:mon",
            "weekly:mon,fri",
            "monthly",
            "quarterly",
            "per_term",
            "twice_a_year",
            "yearly",
        ] {
            let parsed: Recurrence = text.parse().expect("round trip");
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn rejects_unknown_strings() {
        assert!("weekly:".parse::<Recurrence>().is_err());
        assert!("weekly:xyz".parse::<Recurrence>().is_err());
        assert!("daily".parse::<Recurrence>().is_err());
    }
}
