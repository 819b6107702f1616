//! The retry policy: which outcomes of an exchange are worth another attempt, and how long to
//! wait first. Pure functions, so the table in the [crate documentation](crate#retries) is
//! tested row by row.

use std::time::{Duration, SystemTime};

use crate::error::TransportKind;

/// What one exchange came to, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// An HTTP answer with this status (and its `Retry-After`, if any).
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No answer.
    Transport(TransportKind),
    /// The exchange timed out.
    TimedOut,
}

/// The decision for one outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Done: a `2xx`, or an error that another attempt would not change.
    Stop,
    /// Wait this long, then try again.
    RetryAfter(Duration),
    /// Wait the backoff of this attempt, then try again.
    Backoff,
}

/// Whether to retry `outcome` of a call that is `idempotent` (repeating it cannot create a
/// second resource), given the longest `Retry-After` honoured.
pub(crate) fn decide(outcome: Outcome, idempotent: bool, max_retry_after: Duration) -> Decision {
    match outcome {
        Outcome::Status { status, .. } if (200..300).contains(&status) => Decision::Stop,
        Outcome::Status {
            status: 429,
            retry_after,
        } => match retry_after {
            Some(wait) if wait <= max_retry_after => Decision::RetryAfter(wait),
            Some(_) => Decision::Stop,
            None => Decision::Backoff,
        },
        // The server says it did not process the request.
        Outcome::Status { status: 503, .. } => Decision::Backoff,
        // It may have processed it.
        Outcome::Status {
            status: 500 | 502 | 504,
            ..
        } if idempotent => Decision::Backoff,
        Outcome::Status { .. } => Decision::Stop,
        // Nothing was sent.
        Outcome::Transport(TransportKind::Connect) => Decision::Backoff,
        Outcome::Transport(TransportKind::Send | TransportKind::Body) | Outcome::TimedOut
            if idempotent =>
        {
            Decision::Backoff
        }
        Outcome::Transport(_) | Outcome::TimedOut => Decision::Stop,
    }
}

/// The backoff before attempt `attempt + 1` (`attempt` counts from 1): `base` doubled per
/// attempt, capped at `max`, minus up to 50 % jitter (`jitter` in `[0, 1)`), so that clients
/// that failed together do not retry together.
pub(crate) fn backoff(base: Duration, max: Duration, attempt: u32, jitter: f64) -> Duration {
    let exponential = base.saturating_mul(1 << attempt.saturating_sub(1).min(16));
    let capped = exponential.min(max);
    capped.saturating_sub(capped.mul_f64(jitter.clamp(0.0, 1.0) / 2.0))
}

/// The value of a `Retry-After` header: delay-seconds, or an HTTP date (a date in the past
/// is no wait). `None` when it is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: Duration = Duration::from_secs(60);

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn the_policy_table() {
        use Decision::{Backoff, RetryAfter, Stop};
        let second = Duration::from_secs(1);
        let rows: &[(Outcome, bool, Decision)] = &[
            (status(200), false, Stop),
            (status(204), true, Stop),
            (status(400), true, Stop),
            (status(401), true, Stop),
            (status(404), true, Stop),
            (status(416), true, Stop),
            (status(429), false, Backoff),
            (
                Outcome::Status {
                    status: 429,
                    retry_after: Some(second),
                },
                false,
                RetryAfter(second),
            ),
            (
                Outcome::Status {
                    status: 429,
                    retry_after: Some(CAP + second),
                },
                true,
                Stop,
            ),
            (status(503), false, Backoff),
            (status(500), false, Stop),
            (status(500), true, Backoff),
            (status(502), false, Stop),
            (status(502), true, Backoff),
            (status(504), false, Stop),
            (status(504), true, Backoff),
            (status(501), true, Stop),
            (Outcome::Transport(TransportKind::Connect), false, Backoff),
            (Outcome::Transport(TransportKind::Send), false, Stop),
            (Outcome::Transport(TransportKind::Send), true, Backoff),
            (Outcome::Transport(TransportKind::Body), false, Stop),
            (Outcome::TimedOut, false, Stop),
            (Outcome::TimedOut, true, Backoff),
        ];
        for &(outcome, idempotent, expected) in rows {
            assert_eq!(
                decide(outcome, idempotent, CAP),
                expected,
                "{outcome:?}, idempotent: {idempotent}"
            );
        }
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered_down_by_at_most_half() {
        let base = Duration::from_millis(250);
        let max = Duration::from_secs(8);
        let delays: Vec<_> = (1..=7).map(|n| backoff(base, max, n, 0.0)).collect();
        assert_eq!(
            delays,
            [250, 500, 1000, 2000, 4000, 8000, 8000].map(Duration::from_millis)
        );
        assert_eq!(
            backoff(base, max, 1, 0.999_999),
            Duration::from_nanos(125_000_125)
        );
        assert_eq!(backoff(base, max, u32::MAX, 0.5), Duration::from_secs(6));
        assert_eq!(
            backoff(Duration::MAX, Duration::MAX, 40, 0.0),
            Duration::MAX
        );
    }

    #[test]
    fn retry_after_as_seconds_or_http_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
        for bad in ["", "-1", "1.5", "soon", "+3"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
        }
    }
}
