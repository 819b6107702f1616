//! Example: a Klavi Data API client built on `klavi-types` (see `client.rs`).
//!
//! Creates a link from `examples/payloads/create-link.request.json` (validated before it is
//! sent), lists the institutions with the link's token, and lists the end user's consents:
//!
//! ```text
//! KLAVI_BASE_URL=http://127.0.0.1:8080 KLAVI_ACCESS_KEY=... KLAVI_SECRET_KEY=... \
//!     cargo run -p klavi-types --example klavi_client
//! ```
//!
//! This build of the example speaks plain HTTP only (the workspace enables no TLS backend of
//! `reqwest`, since its tests run on loopback); against `https://api-sandbox.klavi.ai` add
//! `features = ["rustls"]` to the `reqwest` dependency. The workspace test
//! `tests/tests/client_flow.rs` runs the same client against the fake Klavi server.

mod client;

use std::process::ExitCode;
use std::sync::atomic::Ordering;

use klavi_types::Empty;
use klavi_types::consents::{GetConsentList, GetConsentListQuery};
use klavi_types::institutions::GetInstitutionList;
use klavi_types::links::{CreateLink, CreateLinkRequest};
use klavi_types::secret::Secret;

use client::{Config, KlaviClient};

const PAYLOAD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/payloads/create-link.request.json"
));

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let variable = |name: &str| {
        std::env::var(name)
            .map_err(|_| format!("set {name} (see the comment at the top of main.rs)"))
    };
    let config = Config::new(
        variable("KLAVI_BASE_URL")?,
        Secret::new(variable("KLAVI_ACCESS_KEY")?),
        Secret::new(variable("KLAVI_SECRET_KEY")?),
    );
    let client = KlaviClient::new(config)?;

    let request: CreateLinkRequest = klavi_types::from_json_str(PAYLOAD)?;
    let link = client.send::<CreateLink>(&Empty, &Empty, &request).await?;
    println!("link {} created", link.link_id);

    let institutions = client
        .send_with_link_token::<GetInstitutionList>(&link.link_token, &Empty, &Empty, &Empty)
        .await?;
    println!("{} institutions", institutions.len());

    let mut query = GetConsentListQuery::new();
    query.personal_tax_id = request.personal_tax_id;
    let consents = client
        .send::<GetConsentList>(&Empty, &query, &Empty)
        .await?;
    println!("{} consents for the link's CPF", consents.len());
    let stats = client.stats();
    println!(
        "{} authentication(s), {} refresh(es), {} retries",
        stats.authentications.load(Ordering::Relaxed),
        stats.refreshes.load(Ordering::Relaxed),
        stats.retries.load(Ordering::Relaxed)
    );
    Ok(())
}
