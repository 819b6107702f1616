//! The access token: cached, refreshed before it expires, and renewed once when the API
//! refuses it, with one renewal at a time however many calls wait for it.

use std::time::Instant;

use klavi_types::secret::Secret;

/// A token and when it expires. `generation` counts the tokens this client has held, so that a
/// call refused with a `401` renews only the token it used, not one another call just renewed.
#[derive(Clone)]
pub(crate) struct CachedToken {
    pub(crate) token: Secret,
    pub(crate) expires_at: Instant,
    /// The `expireIn` it came with.
    pub(crate) lifetime: std::time::Duration,
    pub(crate) generation: u64,
}

/// What the cache says of the token it holds.
pub(crate) enum Freshness<'a> {
    /// Use it.
    Fresh(&'a CachedToken),
    /// It still works but expires within the margin: refresh it (or authenticate again).
    Expiring(&'a CachedToken),
    /// None held, it expired, or it is the one the API refused: authenticate.
    Missing,
}

/// Classifies `cached` at `now`. `refused` is the generation a `401` was answered to.
pub(crate) fn freshness<'a>(
    cached: Option<&'a CachedToken>,
    now: Instant,
    margin: std::time::Duration,
    refused: Option<u64>,
) -> Freshness<'a> {
    match cached {
        Some(token) if Some(token.generation) == refused => Freshness::Missing,
        Some(token) if refused.is_some() => Freshness::Fresh(token),
        Some(token) if token.expires_at > now + margin => Freshness::Fresh(token),
        Some(token) if token.expires_at > now => Freshness::Expiring(token),
        _ => Freshness::Missing,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn fresh_expiring_missing_and_refused() {
        let now = Instant::now();
        let margin = Duration::from_secs(60);
        let token = |seconds: u64, generation: u64| CachedToken {
            token: Secret::new("t"),
            expires_at: now + Duration::from_secs(seconds),
            lifetime: Duration::from_secs(seconds),
            generation,
        };
        let long = token(600, 1);
        let short = token(30, 2);
        let gone = token(0, 3);
        assert!(matches!(
            freshness(Some(&long), now, margin, None),
            Freshness::Fresh(_)
        ));
        assert!(matches!(
            freshness(Some(&short), now, margin, None),
            Freshness::Expiring(_)
        ));
        assert!(matches!(
            freshness(Some(&gone), now, margin, None),
            Freshness::Missing
        ));
        assert!(matches!(
            freshness(None, now, margin, None),
            Freshness::Missing
        ));
        // The refused token is replaced; a newer one (renewed by another call) is used.
        assert!(matches!(
            freshness(Some(&long), now, margin, Some(1)),
            Freshness::Missing
        ));
        assert!(matches!(
            freshness(Some(&long), now, margin, Some(0)),
            Freshness::Fresh(_)
        ));
    }
}
