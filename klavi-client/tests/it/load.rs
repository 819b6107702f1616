//! Load: 1,000 concurrent calls through one client against `klavi mock` injecting `429` and
//! `503`, and the 1,000 `link_created` webhooks they cause, delivered to the axum receiver,
//! whose handler fails some at random (so Klavi's redelivery runs). No request may be processed
//! twice, no webhook lost or handled twice. The figures (requests per second, p99 latency,
//! retries, redeliveries) are printed: `cargo test --release -p klavi-client --all-features
//! --test it load -- --nocapture`.
#![cfg(feature = "axum")]

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::post;
use klavi_client::receiver::WebhookReceiver;
use klavi_client::{Config, Environment, KlaviClient};
use klavi_mock::{Faults, MockConfig, MockKlavi, Redelivery};
use klavi_types::links::CreateLinkRequest;
use klavi_types::webhooks::Event;

const CALLS: usize = 1_000;

#[derive(Clone)]
struct Receiver {
    /// Each link's `externalInfo.n`, by event id, with how often it was handled.
    handled: Arc<Mutex<BTreeMap<String, (u64, usize)>>>,
    refusals: Arc<Mutex<fastrand::Rng>>,
}

/// A busy partner's handler: one event in ten fails (so Klavi's redelivery runs).
#[derive(Debug)]
struct Busy;

impl Receiver {
    fn handle(&self, event: &Event) -> Result<(), Busy> {
        if self.refusals.lock().unwrap().u8(..10) == 0 {
            return Err(Busy);
        }
        let n = event
            .external_info
            .as_ref()
            .and_then(|info| serde_json::to_value(info).ok())
            .and_then(|info| info["n"].as_u64())
            .unwrap_or(u64::MAX);
        let mut handled = self.handled.lock().unwrap();
        let entry = handled
            .entry(event.event_id.clone().unwrap_or_default())
            .or_insert((n, 0));
        entry.1 += 1;
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_and_webhooks_under_faults() {
    let receiver = Receiver {
        handled: Arc::default(),
        refusals: Arc::new(Mutex::new(fastrand::Rng::with_seed(17))),
    };
    let webhooks = WebhookReceiver::new(klavi_types::secret::Secret::new(
        klavi_mock::DEFAULT_SECRET_KEY,
    ));
    let handler = receiver.clone();
    let router = Router::new().route(
        "/events",
        post(webhooks.events(move |event: Event| {
            let handled = handler.handle(&event);
            async move { handled }
        })),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let receiver_url = format!("http://{}/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });

    let mock = MockKlavi::start_with(MockConfig {
        webhook_url: Some(receiver_url),
        faults: Faults {
            rate: 0.1,
            statuses: vec![429, 503],
            retry_after: 0,
            ..Faults::default()
        },
        redelivery: Redelivery {
            retries: 8,
            backoff: Duration::from_millis(20),
            timeout: Duration::from_secs(10),
        },
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let mut config = Config::new(
        Environment::Custom(mock.base_url()),
        mock.config().access_key.clone(),
        mock.config().secret_key.clone(),
    );
    config.max_attempts = 10;
    config.base_backoff = Duration::from_millis(5);
    config.max_backoff = Duration::from_millis(100);
    let client = Arc::new(KlaviClient::new(config).unwrap());
    // The token first, so that the calls measure the calls.
    client.generate_access_token().await.unwrap();

    let started = Instant::now();
    let calls: Vec<_> = (0..CALLS)
        .map(|n| {
            let client = Arc::clone(&client);
            tokio::spawn(async move {
                let request: CreateLinkRequest = klavi_types::from_json_str(&format!(
                    r#"{{"personalTaxId": "28001238938", "externalInfo": {{"n": {n}}}}}"#
                ))
                .unwrap();
                let began = Instant::now();
                let link = client.create_link(&request).await;
                (link.map(|link| link.link_id), began.elapsed())
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(CALLS);
    let mut link_ids = std::collections::BTreeSet::new();
    for call in calls {
        let (link, latency) = call.await.unwrap();
        link_ids.insert(link.expect("every call succeeds within its attempts"));
        latencies.push(latency);
    }
    let elapsed = started.elapsed();

    // Every webhook delivered, each handled once.
    let deadline = Instant::now() + Duration::from_secs(120);
    while receiver.handled.lock().unwrap().len() < CALLS {
        assert!(Instant::now() < deadline, "webhooks still missing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let handled = receiver.handled.lock().unwrap().clone();
    let duplicates: usize = handled.values().map(|(_, times)| times - 1).sum();
    let numbers: std::collections::BTreeSet<u64> = handled.values().map(|(n, _)| *n).collect();
    let lost = CALLS - numbers.len();

    // No request processed twice: one link per call, and the server created exactly as many.
    assert_eq!(link_ids.len(), CALLS);
    assert_eq!(mock.count("create-link", 200), CALLS);
    assert_eq!(numbers, (0..CALLS as u64).collect());
    assert_eq!((duplicates, lost), (0, 0));
    let deliveries = mock.deliveries();
    assert_eq!(deliveries.len(), CALLS);
    assert!(deliveries.iter().all(klavi_mock::Delivery::delivered));

    latencies.sort();
    let p = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let faults = mock.log().iter().filter(|logged| logged.fault).count();
    let retries = client.stats().retries.load(Ordering::Relaxed);
    let redelivered = deliveries
        .iter()
        .filter(|delivery| delivery.statuses.len() > 1)
        .count();
    eprintln!(
        "load: {CALLS} concurrent create-link calls in {elapsed:.2?}: {:.0} requests/s; latency p50 {:.1?}, p99 {:.1?}, max {:.1?}; injected faults {faults}, client retries {retries}; webhooks {CALLS}, redelivered {redelivered}; duplicates {duplicates}, lost {lost}",
        CALLS as f64 / elapsed.as_secs_f64(),
        p(0.5),
        p(0.99),
        latencies[latencies.len() - 1],
    );
    // Every injected fault was retried, and only those.
    assert_eq!(retries, faults as u64);
    assert!(faults > 0 && redelivered > 0);
}
