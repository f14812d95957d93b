//! Timestamps: seconds since the Unix epoch, parsed from RFC 3339 as
//! documents carry them (`2026-11-20T09:30:00+08:00`, `…Z`, fractions).

use std::fmt;

/// A moment, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

/// Text that is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(pub String);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an RFC 3339 time such as 2026-11-20T09:30:00+08:00",
            self.0
        )
    }
}

impl std::error::Error for TimestampError {}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Whether date and clock fields are in range (a leap second allowed).
fn valid_fields(month: i64, day: i64, hour: i64, minute: i64, second: i64) -> bool {
    (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 60
}

/// The civil date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC: `2026-11-20T01:30:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, seconds) = (self.0.div_euclid(86_400), self.0.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            seconds / 3_600,
            seconds / 60 % 60,
            seconds % 60
        )
    }
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; a space may stand
    /// for the `T`.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let error = || TimestampError(text.to_string());
        let bytes = text.trim().as_bytes();
        let number = |from: usize, length: usize| -> Result<i64, TimestampError> {
            let digits = bytes.get(from..from + length).ok_or_else(error)?;
            if !digits.iter().all(u8::is_ascii_digit) {
                return Err(error());
            }
            Ok(digits
                .iter()
                .fold(0, |value, digit| value * 10 + (digit - b'0') as i64))
        };
        let separator =
            |at: usize, allowed: &[u8]| bytes.get(at).is_some_and(|byte| allowed.contains(byte));
        if !(separator(4, b"-")
            && separator(7, b"-")
            && separator(10, b"Tt ")
            && separator(13, b":")
            && separator(16, b":"))
        {
            return Err(error());
        }
        let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
        let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
        if !valid_fields(month, day, hour, minute, second) {
            return Err(error());
        }
        let mut at = 19;
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
        }
        let offset = match bytes.get(at) {
            Some(b'Z' | b'z') if at + 1 == bytes.len() => 0,
            Some(&sign @ (b'+' | b'-')) if at + 6 == bytes.len() && separator(at + 3, b":") => {
                let minutes = number(at + 1, 2)? * 60 + number(at + 4, 2)?;
                if sign == b'+' { minutes } else { -minutes }
            }
            _ => return Err(error()),
        };
        let seconds =
            days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second
                - offset * 60;
        Ok(Timestamp(seconds))
    }
}

impl Timestamp {
    /// Parses RFC 2822 dates as RSS writes them: `Tue, 10 Jun 2003
    /// 04:00:00 GMT`, `10 Jun 2003 12:00 +0800` (the weekday is optional,
    /// seconds too; zones GMT, UT, Z, the US zones and ±HHMM).
    pub fn parse_rfc2822(text: &str) -> Result<Timestamp, TimestampError> {
        let error = || TimestampError(text.to_string());
        let trimmed = text.trim();
        let without_weekday = trimmed
            .split_once(',')
            .map_or(trimmed, |(_, rest)| rest)
            .trim();
        let parts: Vec<&str> = without_weekday.split_whitespace().collect();
        let [day, month, year, time, zone] = parts.as_slice() else {
            return Err(error());
        };
        let day: i64 = day.parse().map_err(|_| error())?;
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let month = MONTHS
            .iter()
            .position(|name| month.to_ascii_lowercase().starts_with(name))
            .ok_or_else(error)? as i64
            + 1;
        let mut year: i64 = year.parse().map_err(|_| error())?;
        if year < 100 {
            year += if year < 50 { 2000 } else { 1900 };
        }
        let clock: Vec<i64> = time
            .split(':')
            .map(|part| part.parse().map_err(|_| error()))
            .collect::<Result<_, _>>()?;
        let (hour, minute, second) = match clock.as_slice() {
            [hour, minute] => (*hour, *minute, 0),
            [hour, minute, second] => (*hour, *minute, *second),
            _ => return Err(error()),
        };
        let offset_minutes = match zone.to_ascii_uppercase().as_str() {
            "GMT" | "UT" | "UTC" | "Z" => 0,
            "EST" => -300,
            "EDT" => -240,
            "CST" => -360,
            "CDT" => -300,
            "MST" => -420,
            "MDT" => -360,
            "PST" => -480,
            "PDT" => -420,
            zone if zone.len() == 5 && (zone.starts_with('+') || zone.starts_with('-')) => {
                let value: i64 = zone[1..].parse().map_err(|_| error())?;
                let minutes = value / 100 * 60 + value % 100;
                if zone.starts_with('-') {
                    -minutes
                } else {
                    minutes
                }
            }
            _ => return Err(error()),
        };
        if !valid_fields(month, day, hour, minute, second) {
            return Err(error());
        }
        Ok(Timestamp(
            days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second
                - offset_minutes * 60,
        ))
    }
}

/// On the wire a timestamp is its RFC 3339 text in UTC.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_parse_to_the_same_instant() {
        let utc = Timestamp::parse("2026-11-20T01:30:00Z").unwrap();
        assert_eq!(Timestamp::parse("2026-11-20T09:30:00+08:00").unwrap(), utc);
        assert_eq!(
            Timestamp::parse("2026-11-19 20:30:00.123-05:00").unwrap(),
            utc
        );
        assert_eq!(
            Timestamp::parse("1970-01-01T00:00:00Z").unwrap(),
            Timestamp(0)
        );
        assert_eq!(
            Timestamp::parse("2000-03-01T00:00:00Z").unwrap(),
            Timestamp(951_868_800)
        );
        assert_eq!(utc.to_string(), "2026-11-20T01:30:00Z");
        assert_eq!(Timestamp(951_868_800).to_string(), "2000-03-01T00:00:00Z");
        assert_eq!(
            Timestamp::parse(&Timestamp(-1).to_string()).unwrap(),
            Timestamp(-1)
        );
        for bad in [
            "",
            "2026-11-20",
            "2026-13-01T00:00:00Z",
            "2026-11-20T09:30:00",
            "yesterday",
            "2026-11-20T09:30:00+8",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }
}
