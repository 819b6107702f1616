//! RFC 3339 timestamps in UTC, as the Klavi API sends them.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::{FormatError, string_format};

/// An RFC 3339 timestamp in UTC (`Z`), with or without fractional seconds, such as
/// `2022-06-25T20:08:17.848Z` or `2024-11-21T23:59:59Z`.
///
/// Implements `schemas/common.json#/$defs/UtcDateTime` (`format: date-time` plus the pattern
/// requiring `Z`). Equality and order compare instants; the number of fractional digits received
/// is kept so that the value serializes back as it came. Leap seconds (`:60`) are rejected: the
/// API stores UTC without them.
#[derive(Clone, Copy)]
pub struct UtcDateTime {
    instant: OffsetDateTime,
    fraction_digits: u8,
}

const INVALID: FormatError = crate::validation::messages::DATE_TIME;

fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')))
}

impl UtcDateTime {
    /// Parses a timestamp.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        let b = text.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
            || b.last() != Some(&b'Z')
        {
            return Err(INVALID);
        }
        let field = |range: std::ops::Range<usize>| digits(&b[range]).ok_or(INVALID);
        let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
        let (hour, minute, second) = (field(11..13)?, field(14..16)?, field(17..19)?);
        let fraction = &b[19..b.len() - 1];
        let (nanos, fraction_digits) = match fraction {
            [] => (0, 0),
            [b'.', rest @ ..] if (1..=9).contains(&rest.len()) => {
                let value = digits(rest).ok_or(INVALID)?;
                let scale = 10u32.pow(9 - rest.len() as u32);
                (value * scale, rest.len() as u8)
            }
            _ => return Err(INVALID),
        };
        let month = u8::try_from(month)
            .ok()
            .and_then(|m| Month::try_from(m).ok())
            .ok_or(INVALID)?;
        let date = Date::from_calendar_date(year as i32, month, day as u8).map_err(|_| INVALID)?;
        let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos)
            .map_err(|_| INVALID)?;
        Ok(UtcDateTime {
            instant: PrimitiveDateTime::new(date, time).assume_utc(),
            fraction_digits,
        })
    }

    fn parse_owned(text: String) -> Result<Self, FormatError> {
        Self::parse(&text)
    }

    /// The instant, as a `time::OffsetDateTime` in UTC.
    pub fn to_offset_date_time(self) -> OffsetDateTime {
        self.instant
    }

    /// Seconds since the Unix epoch.
    pub fn unix_timestamp(self) -> i64 {
        self.instant.unix_timestamp()
    }
}

impl From<OffsetDateTime> for UtcDateTime {
    /// Converts to UTC; keeps milliseconds when there are any.
    fn from(value: OffsetDateTime) -> Self {
        let instant = value.to_offset(time::UtcOffset::UTC);
        let fraction_digits = if instant.nanosecond() == 0 {
            0
        } else if instant.nanosecond().is_multiple_of(1_000_000) {
            3
        } else {
            9
        };
        UtcDateTime {
            instant,
            fraction_digits,
        }
    }
}

impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.instant;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )?;
        if self.fraction_digits > 0 {
            let digits = u32::from(self.fraction_digits);
            let value = t.nanosecond() / 10u32.pow(9 - digits);
            write!(f, ".{value:0width$}", width = digits as usize)?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UtcDateTime({self})")
    }
}

impl PartialEq for UtcDateTime {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for UtcDateTime {}

impl Hash for UtcDateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

impl PartialOrd for UtcDateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for UtcDateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

string_format!(
    UtcDateTime,
    r#"{"type": "string", "format": "date-time", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$", "description": "An RFC 3339 timestamp in UTC."}"#,
    display
);

#[cfg(test)]
mod tests {
    use super::UtcDateTime;

    #[test]
    fn round_trips_keep_the_fraction_digits() {
        for text in [
            "2022-06-25T20:08:17.848Z",
            "2024-11-21T23:59:59Z",
            "2024-02-29T00:00:00.5Z",
            "2023-12-08T09:19:19.000000001Z",
        ] {
            let parsed = UtcDateTime::parse(text).expect(text);
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn rejects_non_utc_and_impossible_dates() {
        for text in [
            "2022-06-25T20:08:17.848+00:00",
            "2022-06-25 20:08:17Z",
            "2022-06-25t20:08:17z",
            "2023-02-29T00:00:00Z",
            "2022-13-01T00:00:00Z",
            "2022-06-25T24:00:00Z",
            "2022-06-25T23:59:60Z",
            "2022-06-25T20:08:17.Z",
            "2022-06-25T20:08:17.1234567890Z",
            "2019-12-23T06:10:43",
            "2021-01-07",
            "",
            "２022-06-25T20:08:17Z",
        ] {
            assert!(UtcDateTime::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn equality_is_by_instant() {
        let a = UtcDateTime::parse("2022-06-25T20:08:17.5Z").unwrap();
        let b = UtcDateTime::parse("2022-06-25T20:08:17.500Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(b.to_string(), "2022-06-25T20:08:17.500Z");
    }
}
