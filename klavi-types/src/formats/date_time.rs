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

/// The value of ASCII digits (checked by [`UtcDateTime::is_valid`] before).
fn value(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0u32, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

impl UtcDateTime {
    /// Parses a timestamp: the text [`UtcDateTime::is_valid`] accepts (the one rule), then its
    /// fields read as numbers.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        if !Self::is_valid(text) {
            return Err(INVALID);
        }
        let b = text.as_bytes();
        let field = |range: std::ops::Range<usize>| b.get(range).map_or(0, value);
        // `…SS` then `Z`, or `…SS.` and 1 to 9 digits then `Z`.
        let fraction = b.get(20..b.len() - 1).unwrap_or_default();
        let fraction_digits = fraction.len() as u8;
        let nanos = value(fraction) * 10u32.pow(9 - u32::from(fraction_digits));
        let month = Month::try_from(field(5..7) as u8).map_err(|_| INVALID)?;
        let date = Date::from_calendar_date(field(0..4) as i32, month, field(8..10) as u8)
            .map_err(|_| INVALID)?;
        let (hour, minute, second) = (field(11..13), field(14..16), field(17..19));
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

    /// Whether `text` is a timestamp, decided without building the instant: the date and the
    /// hour and minute read as two 8-byte words (each digit and separator tested at once), the
    /// ranges and the month's length compared, the seconds and fraction byte by byte. The rule
    /// [`UtcDateTime::parse`] applies before it builds; what the compiled check asks (3
    /// timestamps a consent). Tests hold it to `time`'s calendar (`parse` never fails to build
    /// what it accepts).
    pub fn is_valid(text: &str) -> bool {
        let b = text.as_bytes();
        let (Some(date), Some(clock)) = (word(b, 0), word(b, 8)) else {
            return false;
        };
        if !digits_and(date, DATE_DIGITS, DATE_SEPARATORS)
            || !digits_and(clock, CLOCK_DIGITS, CLOCK_SEPARATORS)
        {
            return false;
        }
        let [y0, y1, y2, y3, _, mo0, mo1, _] = digit_values(date);
        let [d0, d1, _, h0, h1, _, mi0, mi1] = digit_values(clock);
        let year = u32::from(y0) * 1000 + u32::from(y1) * 100 + u32::from(y2) * 10 + u32::from(y3);
        let (month, day) = (mo0 * 10 + mo1, d0 * 10 + d1);
        let (hour, minute) = (h0 * 10 + h1, mi0 * 10 + mi1);
        if !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
        {
            return false;
        }
        // The seconds, 00 to 59.
        let (Some(b':'), Some(b'0'..=b'5'), Some(b'0'..=b'9')) = (b.get(16), b.get(17), b.get(18))
        else {
            return false;
        };
        match &b[19..] {
            [b'Z'] => true,
            [b'.', fraction @ .., b'Z'] => {
                (1..=9).contains(&fraction.len()) && fraction.iter().all(u8::is_ascii_digit)
            }
            _ => false,
        }
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

/// Bytes `at..at + 8` of `b` as a little-endian word (byte `at` lowest).
fn word(b: &[u8], at: usize) -> Option<u64> {
    let bytes: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(bytes))
}

/// `YYYY-MM-`: the bytes that are digits (0xFF) and the separators' values elsewhere.
const DATE_DIGITS: u64 = u64::from_le_bytes([0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0]);
const DATE_SEPARATORS: u64 = u64::from_le_bytes([0, 0, 0, 0, b'-', 0, 0, b'-']);
/// `DDTHH:MM`.
const CLOCK_DIGITS: u64 = u64::from_le_bytes([0xFF, 0xFF, 0, 0xFF, 0xFF, 0, 0xFF, 0xFF]);
const CLOCK_SEPARATORS: u64 = u64::from_le_bytes([0, 0, b'T', 0, 0, b':', 0, 0]);

/// Whether every byte of `word` under `digits` is an ASCII digit and every other byte is the
/// one `separators` holds there. A digit is 0x30 to 0x39: its high nibble is 3, and adding 6
/// leaves it 3 (0x3A to 0x3F would carry into it); no sum leaves its byte (0x3F + 6 < 0x100).
fn digits_and(word: u64, digits: u64, separators: u64) -> bool {
    let highs = 0xF0F0_F0F0_F0F0_F0F0 & digits;
    let threes = 0x3030_3030_3030_3030 & digits;
    let d = word & digits;
    word & !digits == separators
        && d & highs == threes
        && (d + (0x0606_0606_0606_0606 & digits)) & highs == threes
}

/// Each byte's low nibble (a digit's value).
fn digit_values(word: u64) -> [u8; 8] {
    (word & 0x0F0F_0F0F_0F0F_0F0F).to_le_bytes()
}

/// The days of `month` (1 to 12) of `year`, proleptic Gregorian.
fn days_in_month(year: u32, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
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

    /// `is_valid` against a reference built from each part's own verdict and `time`'s
    /// calendar, on every kind of text near a timestamp: each field at and past its bounds,
    /// February of leap and common years, separators, fractions; and `parse` accepts exactly
    /// the same texts (it never fails to build what `is_valid` accepts).
    #[test]
    fn is_valid_is_the_calendar_and_parse_builds_it() {
        let number = |text: &str| {
            text.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| text.parse::<u32>().ok())
                .flatten()
        };
        let mut checked = 0;
        for year in [
            "0000", "1900", "2000", "2023", "2024", "2100", "9999", "20x4", "2O24",
        ] {
            for month in ["00", "01", "02", "04", "12", "13", "1a"] {
                for day in ["00", "01", "28", "29", "30", "31", "32", "3:"] {
                    let date = match (number(year), number(month), number(day)) {
                        (Some(y), Some(m), Some(d)) => {
                            time::Month::try_from(m as u8).is_ok_and(|m| {
                                time::Date::from_calendar_date(y as i32, m, d as u8).is_ok()
                            })
                        }
                        _ => false,
                    };
                    for (clock, clock_ok) in [
                        ("00:00:00", true),
                        ("23:59:59", true),
                        ("24:00:00", false),
                        ("23:60:00", false),
                        ("23:59:60", false),
                        ("2/:00:00", false),
                    ] {
                        for (tail, tail_ok) in [
                            ("Z", true),
                            (".5Z", true),
                            (".123Z", true),
                            (".123456789Z", true),
                            (".1234567890Z", false),
                            (".Z", false),
                            ("z", false),
                            ("", false),
                            ("+00:00", false),
                            (".12aZ", false),
                        ] {
                            for t in ["T", "t", " "] {
                                let text = format!("{year}-{month}-{day}{t}{clock}{tail}");
                                let want = date && clock_ok && tail_ok && t == "T";
                                assert_eq!(UtcDateTime::is_valid(&text), want, "{text}");
                                assert_eq!(UtcDateTime::parse(&text).is_ok(), want, "{text}");
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 9 * 7 * 8 * 6 * 10 * 3);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]

        /// Random texts over the bytes a timestamp holds, and near-timestamps: `parse` accepts
        /// what `is_valid` accepts, never failing to build it.
        #[test]
        fn is_valid_agrees_with_parse(
            text in proptest::prelude::prop_oneof![
                "[0-9TZ:.+-]{0,30}",
                "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,10})?Z?",
            ]
        ) {
            proptest::prop_assert_eq!(UtcDateTime::is_valid(&text), UtcDateTime::parse(&text).is_ok());
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
