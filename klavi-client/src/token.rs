//! The access token: cached, refreshed before it expires, and renewed once when the API
//! refuses it, with one renewal at a time however many calls wait for it, and one failure
//! shared by every call that waited for it (then a backoff before the next attempt), so that
//! refused keys never turn into a storm of `POST /auth`.

use std::time::{Duration, Instant};

use klavi_types::secret::Secret;

use crate::error::ClientError;

/// The furthest ahead any instant is put: 30 years, as tokio's own "far future". Adding a
/// duration the API or a configuration gives (an `expireIn` of `u64::MAX` seconds, a deadline
/// of `Duration::MAX`) never overflows, so never panics.
const FAR: Duration = Duration::from_secs(30 * 365 * 24 * 3600);

/// `now + duration`, the duration capped at 30 years.
pub(crate) fn later(now: Instant, duration: Duration) -> Instant {
    now.checked_add(duration.min(FAR)).unwrap_or(now)
}

/// A token, when to refresh it and when it expires. `generation` counts the tokens this client
/// has held, so that a call refused with a `401` renews only the token it used, not one another
/// call just renewed.
#[derive(Clone)]
pub(crate) struct CachedToken {
    pub(crate) token: Secret,
    /// From here on, it is refreshed before use.
    pub(crate) refresh_at: Instant,
    pub(crate) expires_at: Instant,
    /// The `expireIn` it came with.
    pub(crate) lifetime: Duration,
    pub(crate) generation: u64,
}

impl CachedToken {
    /// A token received at `now`, valid for `lifetime`. It is refreshed when less than
    /// `margin` is left, or half its lifetime for a token shorter than twice the margin (a
    /// 30-second token with a 60-second margin would otherwise be refreshed by every call).
    pub(crate) fn new(
        token: Secret,
        lifetime: Duration,
        margin: Duration,
        now: Instant,
        generation: u64,
    ) -> Self {
        let expires_at = later(now, lifetime);
        let margin = margin.min(lifetime / 2);
        CachedToken {
            token,
            refresh_at: expires_at.checked_sub(margin).unwrap_or(now),
            expires_at,
            lifetime,
            generation,
        }
    }
}

/// What the cache says of the token it holds.
pub(crate) enum Freshness<'a> {
    /// Use it.
    Fresh(&'a CachedToken),
    /// It still works but is due for a refresh: refresh it (or authenticate again).
    Expiring(&'a CachedToken),
    /// None held, it expired, or it is the one the API refused: authenticate.
    Missing,
}

/// Classifies `cached` at `now`. `refused` is the generation a `401` was answered to.
pub(crate) fn freshness(
    cached: Option<&CachedToken>,
    now: Instant,
    refused: Option<u64>,
) -> Freshness<'_> {
    match cached {
        Some(token) if Some(token.generation) == refused => Freshness::Missing,
        Some(token) if refused.is_some() => Freshness::Fresh(token),
        Some(token) if now < token.refresh_at => Freshness::Fresh(token),
        Some(token) if now < token.expires_at => Freshness::Expiring(token),
        _ => Freshness::Missing,
    }
}

/// The last failed renewal: its error, given to every call that waited for it and to every
/// call until `retry_at`.
pub(crate) struct Failed {
    pub(crate) error: ClientError,
    /// The renewal count when it failed.
    pub(crate) renewal: u64,
    pub(crate) retry_at: Instant,
}

/// What the token lock guards.
#[derive(Default)]
pub(crate) struct TokenState {
    pub(crate) cached: Option<CachedToken>,
    pub(crate) failed: Option<Failed>,
    /// Renewals failed in a row (the backoff's exponent).
    pub(crate) failures_in_a_row: u32,
}

impl TokenState {
    /// The failure to give a caller that saw `renewals_seen` renewals before waiting for the
    /// lock: the one that happened while it waited, or one still within its backoff.
    pub(crate) fn shared_failure(&self, renewals_seen: u64, now: Instant) -> Option<ClientError> {
        self.failed
            .as_ref()
            .filter(|failed| failed.renewal > renewals_seen || now < failed.retry_at)
            .map(|failed| failed.error.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_expiring_missing_and_refused() {
        let now = Instant::now();
        let margin = Duration::from_secs(60);
        let token = |seconds: u64, generation: u64| {
            CachedToken::new(
                Secret::new("t"),
                Duration::from_secs(seconds),
                margin,
                now,
                generation,
            )
        };
        let long = token(600, 1);
        let gone = token(0, 3);
        assert!(matches!(
            freshness(Some(&long), now, None),
            Freshness::Fresh(_)
        ));
        let near_the_end = now + Duration::from_secs(590);
        assert!(matches!(
            freshness(Some(&long), near_the_end, None),
            Freshness::Expiring(_)
        ));
        assert!(matches!(
            freshness(Some(&gone), now, None),
            Freshness::Missing
        ));
        assert!(matches!(freshness(None, now, None), Freshness::Missing));
        // The refused token is replaced; a newer one (renewed by another call) is used.
        assert!(matches!(
            freshness(Some(&long), now, Some(1)),
            Freshness::Missing
        ));
        assert!(matches!(
            freshness(Some(&long), now, Some(0)),
            Freshness::Fresh(_)
        ));
    }

    #[test]
    fn a_token_shorter_than_twice_the_margin_is_refreshed_at_half_its_life() {
        let now = Instant::now();
        let short = CachedToken::new(
            Secret::new("t"),
            Duration::from_secs(30),
            Duration::from_secs(60),
            now,
            1,
        );
        assert!(matches!(
            freshness(Some(&short), now, None),
            Freshness::Fresh(_)
        ));
        let at = |seconds| now + Duration::from_secs(seconds);
        assert!(matches!(
            freshness(Some(&short), at(14), None),
            Freshness::Fresh(_)
        ));
        assert!(matches!(
            freshness(Some(&short), at(16), None),
            Freshness::Expiring(_)
        ));
        assert!(matches!(
            freshness(Some(&short), at(31), None),
            Freshness::Missing
        ));
    }

    #[test]
    fn lifetimes_and_margins_of_any_size_do_not_panic() {
        let now = Instant::now();
        for (lifetime, margin) in [
            (Duration::MAX, Duration::MAX),
            (Duration::from_secs(u64::MAX), Duration::ZERO),
            (Duration::ZERO, Duration::MAX),
        ] {
            let token = CachedToken::new(Secret::new("t"), lifetime, margin, now, 1);
            assert!(token.expires_at >= now && token.refresh_at <= token.expires_at);
        }
        assert!(later(now, Duration::MAX) > now);
    }
}
