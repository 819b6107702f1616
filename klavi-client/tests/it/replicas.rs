//! Several receivers (separate routers on separate ports, one store) under 10,000 deliveries
//! each run: duplicates, concurrent redeliveries to different replicas, handlers that fail,
//! panic or outlast the sender (which hangs up), and a store restart. Every event must be
//! processed to success exactly once: none lost, none twice.
//!
//! The in-memory store runs always (its replicas share one process). The Redis and PostgreSQL
//! runs need the servers that `.ci/services` starts on loopback (`eval "$(bash .ci/services
//! start)"`, as `.ci/run` does); without them they are skipped with a note, unless
//! `KLAVI_REQUIRE_SERVICES=1` (CI) makes that a failure. The figures are printed:
//! `cargo test -p klavi-client --all-features --test it replicas -- --nocapture`.
#![cfg(feature = "axum")]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::routing::post;
use klavi_client::receiver::{DeliveryStore, MemoryStore, WebhookReceiver};
use klavi_types::secret::Secret;
use klavi_types::webhook_signature::headers_for;
use klavi_types::webhooks::Event;

const SECRET: &str = "replicas-secret-key";
/// Distinct events per run; each is delivered four times on average, or more (10,000
/// deliveries at least).
const EVENTS: usize = 2_500;
/// The sender's time limit: a handler slower than this sees its sender hang up.
const SENDER_TIMEOUT: Duration = Duration::from_millis(250);
const LEASE: Duration = Duration::from_secs(3);
const INJECTED_PANIC: &str = "injected handler panic";

/// How often each fault is injected, in percent of handler runs.
const FAIL_PERCENT: u8 = 8;
const PANIC_PERCENT: u8 = 3;
const SLOW_PERCENT: u8 = 5;

#[derive(Default)]
struct Counters {
    deliveries: AtomicUsize,
    hang_ups: AtomicUsize,
    in_progress: AtomicUsize,
    unavailable: AtomicUsize,
    failed_answers: AtomicUsize,
    injected_failures: AtomicUsize,
    injected_panics: AtomicUsize,
    injected_slow: AtomicUsize,
}

/// The partner's handler: counts each event it completes, and fails, panics or dawdles at
/// random (seeded).
#[derive(Clone)]
struct Partner {
    completed: Arc<Mutex<HashMap<String, usize>>>,
    rng: Arc<Mutex<fastrand::Rng>>,
    counters: Arc<Counters>,
}

#[derive(Debug)]
struct Injected;

impl Partner {
    async fn handle(self, event: Event) -> Result<(), Injected> {
        let roll = self.rng.lock().unwrap().u8(..100);
        if roll < FAIL_PERCENT {
            self.counters
                .injected_failures
                .fetch_add(1, Ordering::Relaxed);
            return Err(Injected);
        }
        if roll < FAIL_PERCENT + PANIC_PERCENT {
            self.counters
                .injected_panics
                .fetch_add(1, Ordering::Relaxed);
            panic!("{INJECTED_PANIC}");
        }
        if roll < FAIL_PERCENT + PANIC_PERCENT + SLOW_PERCENT {
            self.counters.injected_slow.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(SENDER_TIMEOUT * 2).await;
        }
        let id = event.event_id.unwrap_or_default();
        *self.completed.lock().unwrap().entry(id).or_default() += 1;
        Ok(())
    }
}

/// Keeps the injected panics out of the test output (every other panic is printed as usual).
fn quiet_injected_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let injected = info
                .payload()
                .downcast_ref::<String>()
                .is_some_and(|message| message == INJECTED_PANIC);
            if !injected {
                default(info);
            }
        }));
    });
}

/// Starts one replica on its own port: its own router, the shared `store`.
async fn replica(store: Arc<dyn DeliveryStore>, partner: Partner) -> String {
    let receiver = WebhookReceiver::new(Secret::new(SECRET))
        .with_shared_store(store)
        .with_lease(LEASE)
        .with_store_timeout(Duration::from_secs(2));
    let router = Router::new().route(
        "/events",
        post(receiver.events(move |event: Event| partner.clone().handle(event))),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/events", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

fn event_body(n: usize, run: &str) -> String {
    format!(
        r#"[{{"partnerAppId": "1", "eventId": "{run}-{n}", "eventType": "api",
             "eventName": "link_created", "eventTime": "2026-12-06T10:00:00.000Z",
             "payload": {{"linkId": "l-{n}"}}}}]"#
    )
}

/// One POST, as Klavi sends it; the answer's status, or `None` when the sender gave up.
async fn send(client: &reqwest::Client, url: &str, body: &str, counters: &Counters) -> Option<u16> {
    counters.deliveries.fetch_add(1, Ordering::Relaxed);
    let mut request = client.post(url).body(body.to_owned());
    for (name, value) in headers_for(&Secret::new(SECRET), body.as_bytes(), SystemTime::now()) {
        request = request.header(name, value);
    }
    match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            match status {
                200 => {}
                503 if text.contains("in_progress") => {
                    counters.in_progress.fetch_add(1, Ordering::Relaxed);
                }
                503 if text.contains("store_unavailable") => {
                    counters.unavailable.fetch_add(1, Ordering::Relaxed);
                }
                _ => {
                    counters.failed_answers.fetch_add(1, Ordering::Relaxed);
                }
            }
            Some(status)
        }
        Err(error) => {
            assert!(error.is_timeout(), "{error}");
            counters.hang_ups.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

/// Runs one scenario: `stores[i]` backs replica `i` (one backend); `restart` restarts the
/// backend once, a third of the way through.
async fn scenario(name: &str, stores: Vec<Arc<dyn DeliveryStore>>, restart: Option<fn()>) {
    quiet_injected_panics();
    let started = Instant::now();
    let run = format!("{name}-{}", fastrand::u64(..));
    let counters = Arc::new(Counters::default());
    let partner = Partner {
        completed: Arc::default(),
        rng: Arc::new(Mutex::new(fastrand::Rng::with_seed(7))),
        counters: Arc::clone(&counters),
    };
    let mut urls = Vec::new();
    for store in &stores {
        urls.push(replica(Arc::clone(store), partner.clone()).await);
    }
    let urls = Arc::new(urls);
    let client = reqwest::Client::builder()
        .timeout(SENDER_TIMEOUT)
        .build()
        .unwrap();
    let senders = Arc::new(tokio::sync::Semaphore::new(64));
    let sent = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for n in 0..EVENTS {
        let (urls, client, counters, senders, sent) = (
            Arc::clone(&urls),
            client.clone(),
            Arc::clone(&counters),
            Arc::clone(&senders),
            Arc::clone(&sent),
        );
        let body = event_body(n, &run);
        tasks.push(tokio::spawn(async move {
            let _slot = senders.acquire().await.unwrap();
            let mut rng = fastrand::Rng::with_seed(n as u64);
            // Two deliveries at once, to two replicas (Klavi's redelivery racing the first).
            let first = rng.usize(..urls.len());
            let second = (first + 1) % urls.len();
            let (a, b) = tokio::join!(
                send(&client, &urls[first], &body, &counters),
                send(&client, &urls[second], &body, &counters)
            );
            let mut done = a == Some(200) || b == Some(200);
            // Then as Klavi does: again until acknowledged (here without a limit, so that a
            // lost event is the receiver's fault, never the sender's).
            let mut pause = Duration::from_millis(20);
            while !done {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(500));
                let url = &urls[rng.usize(..urls.len())];
                done = send(&client, url, &body, &counters).await == Some(200);
            }
            // Redeliveries and replays after the acknowledgement.
            for _ in 0..rng.usize(1..=3) {
                let url = &urls[rng.usize(..urls.len())];
                while send(&client, url, &body, &counters).await != Some(200) {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
            sent.fetch_add(1, Ordering::Relaxed);
        }));
    }
    if let Some(restart) = restart {
        while sent.load(Ordering::Relaxed) < EVENTS / 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::task::spawn_blocking(restart).await.unwrap();
    }
    for task in tasks {
        task.await.unwrap();
    }
    // A slow handler may still be finishing after its sender's last redelivery.
    tokio::time::sleep(SENDER_TIMEOUT * 3).await;

    let completed = partner.completed.lock().unwrap().clone();
    let twice: Vec<_> = completed.iter().filter(|(_, times)| **times > 1).collect();
    let lost = (0..EVENTS)
        .filter(|n| !completed.contains_key(&format!("{run}-{n}")))
        .count();
    let deliveries = counters.deliveries.load(Ordering::Relaxed);
    eprintln!(
        "replicas {name}: {} replicas, {deliveries} deliveries of {EVENTS} events in {:.1?}; \
         injected: {} handler failures, {} panics, {} slow handlers (sender hang-ups {}){}; \
         answered in_progress {}, store_unavailable {}, other failures {}; \
         processed {}, processed twice {}, lost {lost}",
        stores.len(),
        started.elapsed(),
        counters.injected_failures.load(Ordering::Relaxed),
        counters.injected_panics.load(Ordering::Relaxed),
        counters.injected_slow.load(Ordering::Relaxed),
        counters.hang_ups.load(Ordering::Relaxed),
        if restart.is_some() {
            ", one store restart"
        } else {
            ""
        },
        counters.in_progress.load(Ordering::Relaxed),
        counters.unavailable.load(Ordering::Relaxed),
        counters.failed_answers.load(Ordering::Relaxed),
        completed.len(),
        twice.len(),
    );
    assert!(deliveries >= 10_000, "{deliveries} deliveries");
    assert!(twice.is_empty(), "processed twice: {twice:?}");
    assert_eq!(lost, 0, "events lost");
    assert_eq!(completed.len(), EVENTS);
    // Every fault happened.
    assert!(counters.injected_failures.load(Ordering::Relaxed) > 0);
    assert!(counters.injected_panics.load(Ordering::Relaxed) > 0);
    assert!(counters.hang_ups.load(Ordering::Relaxed) > 0);
    assert!(counters.in_progress.load(Ordering::Relaxed) > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_replicas_on_one_memory_store() {
    let store: Arc<dyn DeliveryStore> = Arc::new(MemoryStore::default());
    scenario(
        "memory",
        vec![Arc::clone(&store), Arc::clone(&store), store],
        None,
    )
    .await;
}

/// The environment variable `name`, or `None` (and a note) when the servers are not running;
/// a failure instead under `KLAVI_REQUIRE_SERVICES=1`.
#[cfg(any(feature = "redis", feature = "postgres"))]
fn service(name: &str) -> Option<String> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Some(value),
        _ => {
            assert!(
                std::env::var("KLAVI_REQUIRE_SERVICES").as_deref() != Ok("1"),
                "{name} is not set: start the servers with `eval \"$(bash .ci/services start)\"`"
            );
            eprintln!("skipped: {name} is not set (eval \"$(bash .ci/services start)\")");
            None
        }
    }
}

/// Restarts a server through `.ci/services` (its path in `KLAVI_TEST_SERVICES`).
#[cfg(any(feature = "redis", feature = "postgres"))]
fn restart_service(which: &str) {
    let script = std::env::var("KLAVI_TEST_SERVICES").expect("KLAVI_TEST_SERVICES");
    let status = std::process::Command::new("bash")
        .args([script.as_str(), "restart", which])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "restarting {which}");
}

#[cfg(feature = "redis")]
mod redis {
    use super::*;
    use klavi_client::receiver::RedisStore;

    async fn stores(url: &str, replicas: usize) -> Vec<Arc<dyn DeliveryStore>> {
        let mut stores: Vec<Arc<dyn DeliveryStore>> = Vec::new();
        for _ in 0..replicas {
            stores.push(Arc::new(RedisStore::connect(url).await.unwrap()));
        }
        stores
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_replicas_on_redis() {
        let Some(url) = service("KLAVI_TEST_REDIS_URL") else {
            return;
        };
        scenario("redis", stores(&url, 2).await, None).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn three_replicas_on_redis_through_a_restart() {
        let Some(url) = service("KLAVI_TEST_REDIS_URL") else {
            return;
        };
        scenario(
            "redis-restart",
            stores(&url, 3).await,
            Some(|| restart_service("redis")),
        )
        .await;
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use klavi_client::receiver::PostgresStore;

    async fn stores(config: &str, replicas: usize) -> Vec<Arc<dyn DeliveryStore>> {
        let mut stores: Vec<Arc<dyn DeliveryStore>> = Vec::new();
        for _ in 0..replicas {
            stores.push(Arc::new(PostgresStore::connect(config).await.unwrap()));
        }
        stores
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_replicas_on_postgres() {
        let Some(config) = service("KLAVI_TEST_POSTGRES_URL") else {
            return;
        };
        scenario("postgres", stores(&config, 2).await, None).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn three_replicas_on_postgres_through_a_restart() {
        let Some(config) = service("KLAVI_TEST_POSTGRES_URL") else {
            return;
        };
        scenario(
            "postgres-restart",
            stores(&config, 3).await,
            Some(|| restart_service("postgres")),
        )
        .await;
    }
}
