//! Dates and date-times of report bodies, kept exactly as the server sent them and parsed only
//! when asked: a report never fails to deserialize because of a date's form.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::FormatError;
use crate::validation::messages;

/// A calendar date (`YYYY-MM-DD`, such as `2021-01-07`) exactly as the server sent it.
///
/// Implements `schemas/common.json#/$defs/DateText`: any JSON string is kept verbatim (the
/// docs' examples all use `YYYY-MM-DD`, but nothing states that every institution's data does),
/// and [`DateText::to_date`] parses it when you need the date.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateText(String);

impl DateText {
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The date, when the text is a valid `YYYY-MM-DD` date.
    pub fn to_date(&self) -> Result<Date, FormatError> {
        parse_date(self.0.as_bytes()).ok_or(messages::DATE)
    }
}

/// A date and time of day exactly as the server sent it: with `Z`
/// (`2016-01-29T12:29:03.374Z`), with an offset (`2020-07-21T08:30:00-03:00`), or with no zone
/// at all, as the report envelope's `productReportTime` (`2019-12-23T06:10:43`).
///
/// Implements `schemas/common.json#/$defs/DateTimeText`: any JSON string is kept verbatim and
/// [`DateTimeText::to_offset_date_time`] parses it when you need the instant. A time without a
/// zone is read as UTC, which is what the docs say of `productReportTime`;
/// [`DateTimeText::has_zone`] tells whether the text said so itself.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTimeText(String);

impl DateTimeText {
    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The instant: `YYYY-MM-DDThh:mm:ss`, optional fractional seconds (up to 9 digits), then
    /// `Z`, `±hh:mm` or nothing (read as UTC).
    pub fn to_offset_date_time(&self) -> Result<OffsetDateTime, FormatError> {
        parse_date_time(self.0.as_bytes())
            .map(|(local, offset)| local.assume_offset(offset.unwrap_or(UtcOffset::UTC)))
            .ok_or(messages::REPORT_DATE_TIME)
    }

    /// Whether the text carries its own zone (`Z` or an offset); `None` when it is not a
    /// date-time at all.
    pub fn has_zone(&self) -> Option<bool> {
        parse_date_time(self.0.as_bytes()).map(|(_, offset)| offset.is_some())
    }
}

/// Whether `text` is a valid `YYYY-MM-DD` date (what [`DateText::to_date`] reads).
pub(crate) fn is_date(text: &str) -> bool {
    parse_date(text.as_bytes()).is_some()
}

/// Whether `text` is a date-time [`DateTimeText::to_offset_date_time`] reads.
pub(crate) fn is_date_time(text: &str) -> bool {
    parse_date_time(text.as_bytes()).is_some()
}

/// The value of an all-digit field, or `None`.
fn number(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')))
}

/// `YYYY-MM-DD`, exactly ten bytes.
fn parse_date(b: &[u8]) -> Option<Date> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(number(&b[0..4])?).ok()?;
    let month = Month::try_from(u8::try_from(number(&b[5..7])?).ok()?).ok()?;
    let day = u8::try_from(number(&b[8..10])?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// `YYYY-MM-DDThh:mm:ss[.f{1,9}][Z|±hh:mm]`: the local date-time and the offset, if any.
fn parse_date_time(b: &[u8]) -> Option<(PrimitiveDateTime, Option<UtcOffset>)> {
    if b.len() < 19 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = parse_date(&b[..10])?;
    let field = |range: std::ops::Range<usize>| u8::try_from(number(&b[range])?).ok();
    let (hour, minute, second) = (field(11..13)?, field(14..16)?, field(17..19)?);
    let rest = &b[19..];
    let zone_at = rest
        .iter()
        .position(|c| matches!(c, b'Z' | b'+' | b'-'))
        .unwrap_or(rest.len());
    let (fraction, zone) = rest.split_at(zone_at);
    let nanos = match fraction {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(digits)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let offset = match zone {
        [] => None,
        [b'Z'] => Some(UtcOffset::UTC),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = i8::try_from(number(&[*h1, *h2])?).ok()?;
            let minutes = i8::try_from(number(&[*m1, *m2])?).ok()?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let sign = if *sign == b'-' { -1 } else { 1 };
            Some(UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()?)
        }
        _ => return None,
    };
    let time = Time::from_hms_nano(hour, minute, second, nanos).ok()?;
    Some((PrimitiveDateTime::new(date, time), offset))
}

/// The impls of a type that keeps any string as sent: conversions from text, serde (any JSON
/// string), `JsonSchema`, and [`plain_text_impls`](super::plain_text_impls)'s.
macro_rules! text_kept_as_sent {
    ($name:ident, $schema:expr) => {
        super::plain_text_impls!($name);

        impl From<String> for $name {
            /// Keeps any text; parse it on demand.
            fn from(text: String) -> Self {
                $name(text)
            }
        }

        impl From<&str> for $name {
            /// Keeps any text; parse it on demand.
            fn from(text: &str) -> Self {
                $name(text.to_owned())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            /// Any JSON string, kept as sent; anything else is a `type` violation.
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Self, D::Error> {
                crate::formats::deserialize_kept_text(deserializer).map($name)
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                crate::schema_text::schema_from_str($schema)
            }
        }
    };
}

text_kept_as_sent!(
    DateText,
    r#"{"type": "string", "description": "A date (`YYYY-MM-DD`), kept as sent."}"#
);
text_kept_as_sent!(
    DateTimeText,
    r#"{"type": "string", "description": "A date-time (`YYYY-MM-DDThh:mm:ss[.fff][Z|±hh:mm]`), kept as sent."}"#
);

#[cfg(test)]
mod tests {
    use super::{DateText, DateTimeText};
    use time::macros::{date, datetime};

    #[test]
    fn dates_keep_any_text_and_parse_on_demand() {
        let date: DateText = serde_json::from_str(r#""2021-01-07""#).unwrap();
        assert_eq!(date.to_date(), Ok(date!(2021 - 01 - 07)));
        assert_eq!(serde_json::to_string(&date).unwrap(), r#""2021-01-07""#);
        assert_eq!(format!("{date:?}"), r#"DateText("2021-01-07")"#);
        for kept in [
            "",
            "2021-02-30",
            "07/01/2021",
            "2021-1-7",
            "2021-01-07T00:00:00Z",
        ] {
            let date: DateText = serde_json::from_value(serde_json::json!(kept)).unwrap();
            assert_eq!(date.as_str(), kept);
            assert_eq!(date.to_date().unwrap_err().code(), "date", "{kept}");
        }
        for wrong in ["20210107", "null", "[]", "{}"] {
            let error = serde_json::from_str::<DateText>(wrong).unwrap_err();
            let violation = crate::parse::classify_message(String::new(), &error.to_string());
            assert_eq!(violation.code(), "type", "{wrong}: {error}");
        }
    }

    #[test]
    fn date_times_read_every_zone_form_of_the_docs() {
        for (text, instant, zoned) in [
            (
                "2016-01-29T12:29:03.374Z",
                datetime!(2016-01-29 12:29:03.374 UTC),
                true,
            ),
            (
                "2020-07-21T08:30:00Z",
                datetime!(2020-07-21 08:30 UTC),
                true,
            ),
            (
                "2019-12-23T06:10:43",
                datetime!(2019-12-23 06:10:43 UTC),
                false,
            ),
            (
                "2020-07-21T08:30:00-03:00",
                datetime!(2020-07-21 11:30 UTC),
                true,
            ),
            (
                "2020-07-21T08:30:00.123456789+05:30",
                datetime!(2020-07-21 03:00:00.123456789 UTC),
                true,
            ),
        ] {
            let kept: DateTimeText = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(kept.to_offset_date_time(), Ok(instant), "{text}");
            assert_eq!(kept.has_zone(), Some(zoned), "{text}");
            assert_eq!(
                serde_json::to_value(&kept).unwrap(),
                serde_json::json!(text)
            );
        }
        for bad in [
            "2019-12-23",
            "2019-12-23 06:10:43",
            "2019-12-23T24:00:00",
            "2019-12-23T06:10:60Z",
            "2019-12-23T06:10:43.Z",
            "2019-12-23T06:10:43.1234567890Z",
            "2019-12-23T06:10:43+0300",
            "2019-12-23T06:10:43+24:00",
            "2019-12-23T06:10:43z",
            "2019-02-29T06:10:43Z",
            "２019-12-23T06:10:43Z",
        ] {
            let kept = DateTimeText::from(bad);
            assert_eq!(
                kept.to_offset_date_time().unwrap_err().code(),
                "date_time",
                "{bad}"
            );
            assert_eq!(kept.has_zone(), None, "{bad}");
        }
    }

    #[test]
    fn parsing_never_panics_on_arbitrary_text() {
        use proptest::prelude::*;
        proptest!(|(text in "[0-9T:.Z+-]{0,40}|\\PC{0,40}")| {
            let _ = DateText::from(text.as_str()).to_date();
            let _ = DateTimeText::from(text.as_str()).to_offset_date_time();
        });
    }
}
