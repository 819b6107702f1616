//! `partner-app`: the example integration against a running `klavi mock` (or any Klavi base
//! URL), in a second terminal:
//!
//! ```text
//! cargo run -p klavi-cli --features mock -- mock --webhook-url http://127.0.0.1:3000/klavi/events
//! cargo run -p partner-app
//! ```
//!
//! Settings from the environment: `KLAVI_BASE_URL` (default `http://127.0.0.1:8080`),
//! `KLAVI_ACCESS_KEY` and `KLAVI_SECRET_KEY` (default the mock's), `PARTNER_LISTEN`
//! (default `127.0.0.1:3000`), `KLAVI_PRODUCT` (default `pf_categorized_checking_l3`),
//! `REDIS_URL` (the receiver's store on Redis, shared by replicas; in memory when unset).

use std::process::ExitCode;
use std::time::Duration;

use klavi_types::secret::Secret;
use partner_app::{MOCK_ACCESS_KEY, MOCK_SECRET_KEY, Settings, run, summary};

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main]
async fn main() -> ExitCode {
    let listen = env_or("PARTNER_LISTEN", "127.0.0.1:3000");
    let settings = Settings {
        base_url: env_or("KLAVI_BASE_URL", "http://127.0.0.1:8080"),
        access_key: Secret::new(env_or("KLAVI_ACCESS_KEY", MOCK_ACCESS_KEY)),
        secret_key: Secret::new(env_or("KLAVI_SECRET_KEY", MOCK_SECRET_KEY)),
        public_url: format!("http://{listen}"),
        product: env_or("KLAVI_PRODUCT", "pf_categorized_checking_l3"),
        wait: Duration::from_secs(30),
        redis_url: std::env::var("REDIS_URL")
            .ok()
            .filter(|url| !url.is_empty()),
    };
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("error: cannot listen on {listen}: {error}");
            return ExitCode::from(2);
        }
    };
    println!("webhooks on http://{listen}/klavi/events and /klavi/reports");
    match run(settings, listener).await {
        Ok(report) => {
            println!("{}", summary(&report));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
