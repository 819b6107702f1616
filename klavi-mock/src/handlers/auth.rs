//! `POST /auth` and `GET /refresh`: access tokens that expire after the configured lifetime.

use std::sync::Arc;
use std::time::Instant;

use klavi_types::auth::{AccessToken, GenerateAccessToken, RefreshAccessToken};

use crate::Shared;
use crate::routes::{Outcome, Parsed};
use crate::state::State;

/// A new access token; expired ones are forgotten first.
fn issue(state: &mut State) -> AccessToken {
    let now = Instant::now();
    state.access_tokens.evict_while(|expiry| *expiry <= now);
    let token = state.token("access");
    let lifetime = state.token_lifetime;
    state.access_tokens.insert(token.clone(), now + lifetime);
    AccessToken::new(token, lifetime.as_secs())
}

/// `POST /data/v1/auth`: a token for the configured `accessKey` and `secretKey`, else the
/// documented `401`.
pub(crate) fn generate(
    shared: &Arc<Shared>,
    state: &mut State,
    request: Parsed<GenerateAccessToken>,
) -> Outcome {
    if request.body.access_key != shared.config.access_key
        || request.body.secret_key != shared.config.secret_key
    {
        return Outcome::error(401, "Invalid accessKey or secretKey");
    }
    Outcome::answer::<GenerateAccessToken>(&issue(state))
}

/// `GET /data/v1/refresh`: a new token for a valid one.
pub(crate) fn refresh(
    _: &Arc<Shared>,
    state: &mut State,
    _: Parsed<RefreshAccessToken>,
) -> Outcome {
    Outcome::answer::<RefreshAccessToken>(&issue(state))
}
