//! `POST /links`: a link, its `linkToken` (valid for the link's lifetime), and the
//! `link_created` event.

use std::sync::Arc;
use std::time::{Duration, Instant};

use klavi_types::links::{CreateLink, CreateLinkResponse};
use serde_json::json;

use crate::Shared;
use crate::handlers::{bare_tax_id, event};
use crate::routes::{Outcome, Parsed};
use crate::state::{Link, LinkToken, State};

/// `POST /data/v1/links`.
pub(crate) fn create(
    shared: &Arc<Shared>,
    state: &mut State,
    request: Parsed<CreateLink>,
) -> Outcome {
    let json = &request.json;
    let link_id = state.id();
    let link_token = state.token("link");
    let link = Link {
        personal_tax_id: bare_tax_id(json, "personalTaxId"),
        business_tax_id: bare_tax_id(json, "businessTaxId"),
        products_callback_url: json.get("productsCallbackURL").cloned(),
        external_info: json.get("externalInfo").cloned(),
    };
    let payload = json!({
        "personalTaxId": link.personal_tax_id,
        "businessTaxId": link.business_tax_id,
        "linkId": link_id,
    });
    let webhook = event(
        shared,
        state,
        "link_created",
        payload,
        link.external_info.as_ref(),
        Duration::ZERO,
    );
    let lifetime = shared.config.link_lifetime;
    let now = Instant::now();
    state
        .link_tokens
        .evict_while(|token| token.expires_at <= now);
    state.link_tokens.insert(
        link_token.clone(),
        LinkToken {
            link_id: link_id.clone(),
            expires_at: now + lifetime,
        },
    );
    state.links.insert(link_id.clone(), link);
    let link_url = format!("https://conecte-sandbox.klavi.ai/path?v={link_token}");
    Outcome::answer::<CreateLink>(&CreateLinkResponse::new(
        link_id,
        link_token,
        link_url,
        lifetime.as_secs(),
    ))
    .with_webhooks(webhook)
}
