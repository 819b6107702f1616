use klavi_client::{Config, Environment, KlaviClient};
use klavi_mock::MockKlavi;
use klavi_types::links::CreateLinkRequest;
use klavi_types::secret::Secret;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A local sandbox; or `klavi mock` in a terminal, or Environment::Sandbox with real keys.
    let mock = MockKlavi::start().await?;
    let client = KlaviClient::new(Config::new(
        Environment::Custom(mock.base_url()),
        Secret::new(klavi_mock::DEFAULT_ACCESS_KEY),
        Secret::new(klavi_mock::DEFAULT_SECRET_KEY),
    ))?;
    let request: CreateLinkRequest = klavi_types::from_json_str(
        r#"{"personalTaxId": "280.012.389-38", "redirectURL": "https://example.com/back"}"#,
    )?;
    let link = client.create_link(&request).await?; // validated, authenticated, retried
    let institutions = client.get_institution_list(&link.link_token).await?;
    println!("link {}: {} institutions", link.link_id, institutions.len());
    Ok(())
}
