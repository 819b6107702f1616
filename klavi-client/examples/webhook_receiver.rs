//! A webhook receiver: each event handed to `on_event` once, whatever the number of replicas.

use axum::{Router, routing::post};
use klavi_client::receiver::{RedisStore, WebhookReceiver};
use klavi_types::secret::Secret;
use klavi_types::webhooks::Event;

#[derive(Debug)]
struct NotNow;

async fn on_event(event: Event) -> Result<(), NotNow> {
    println!("{} {:?}", event.event_name, event.event_id);
    Ok(()) // done. Err(_), a panic or running out of time: processed again on redelivery.
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Shared by every replica (feature `redis`); `MemoryStore` (the default) for one process.
    let store = RedisStore::connect(&std::env::var("REDIS_URL")?).await?;
    let secret_key = Secret::new(std::env::var("KLAVI_SECRET_KEY")?);
    let receiver = WebhookReceiver::new(secret_key).with_store(store);
    let app = Router::new().route("/klavi/events", post(receiver.events(on_event)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
