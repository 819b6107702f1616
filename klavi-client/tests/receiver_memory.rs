//! The receiver's memory, counted by a global allocator (so this is a test binary of its own):
//! a signed batch of 50,000 events stays within 3 times its body, and 40 concurrent forged
//! deliveries of 16 MiB each stay under 150 MB. The figures are printed:
//! `cargo test -p klavi-client --all-features --test receiver_memory -- --nocapture`.
#![cfg(feature = "axum")]

use std::alloc::System;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::routing::post;
use cap::Cap;
use klavi_client::receiver::{
    BoxFuture, Claim, DeliveryStore, LeaseToken, StoreError, WebhookReceiver,
};
use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{SIGNATURE_HEADER, TIMESTAMP_HEADER, headers_for};
use klavi_types::webhooks::Event;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[global_allocator]
static ALLOCATOR: Cap<System> = Cap::new(System, usize::MAX);

const SECRET: &str = "memory-secret-key";
const MIB: usize = 1 << 20;

/// A store that keeps nothing in this process (as Redis or PostgreSQL would not), so that the
/// peak is the receiver's own.
struct Elsewhere;

impl DeliveryStore for Elsewhere {
    fn claim<'a>(&'a self, _: &'a str, _: Duration) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async { Ok(Claim::Acquired(LeaseToken::random())) })
    }

    fn complete<'a>(
        &'a self,
        _: &'a str,
        _: &'a LeaseToken,
        _: Duration,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(async { Ok(true) })
    }

    fn release<'a>(
        &'a self,
        _: &'a str,
        _: &'a LeaseToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
}

async fn serve(receiver: &WebhookReceiver, handled: Arc<AtomicUsize>) -> String {
    let router = Router::new().route(
        "/events",
        post(receiver.events(move |event: Event| {
            handled.fetch_add(usize::from(event.event_id.is_some()), Ordering::Relaxed);
            async { Ok::<(), std::convert::Infallible>(()) }
        })),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// Sends `head` and `length` bytes of body in 64 KiB writes of one static buffer (the sender
/// holds no copy), and returns the answer's status line.
async fn send(address: &str, head: String, length: usize, chunk: &'static [u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut left = length;
    while left > 0 {
        let part = &chunk[..left.min(chunk.len())];
        if stream.write_all(part).await.is_err() {
            break; // answered (and closed) before the whole body
        }
        left -= part.len();
    }
    let mut answer = vec![0u8; 256];
    let read = stream.read(&mut answer).await.unwrap_or(0);
    String::from_utf8_lossy(&answer[..read])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Counts what is written.
struct Counter(usize);

impl std::fmt::Write for Counter {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0 += text.len();
        Ok(())
    }
}

/// A batch of `events` API events, as Klavi sends them.
fn write_batch(out: &mut impl std::fmt::Write, events: usize) {
    out.write_char('[').unwrap();
    for n in 0..events {
        if n > 0 {
            out.write_char(',').unwrap();
        }
        write!(
            out,
            r#"{{"partnerAppId":"12345678","eventId":"batch-{n:05}","eventType":"api","eventName":"link_created","eventTime":"2026-12-06T10:00:00.000Z","payload":{{"personalTaxId":"28001238938","businessTaxId":"","linkId":"ed812-81fcec-7ec55-7aa7d29-{n:05}"}},"externalInfo":{{"orderId":"o-{n}"}}}}"#
        )
        .unwrap();
    }
    out.write_char(']').unwrap();
}

fn head(address: &str, length: usize, signature: &str, timestamp: &str) -> String {
    format!(
        "POST /events HTTP/1.1\r\nhost: {address}\r\ncontent-length: {length}\r\n\
         {SIGNATURE_HEADER}: {signature}\r\n{TIMESTAMP_HEADER}: {timestamp}\r\n\r\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_and_a_flood_of_forgeries_stay_within_their_bounds() {
    // A signed batch of 50,000 events.
    let handled = Arc::new(AtomicUsize::new(0));
    let receiver = WebhookReceiver::new(Secret::new(SECRET))
        .with_store(Elsewhere)
        .with_max_body(64 * MIB)
        .with_body_budget(64 * MIB);
    let address = serve(&receiver, Arc::clone(&handled)).await;
    // Built in place, at its exact size: `max_allocated` is the peak since the start, so the
    // body must not cost more to build than the receiver costs to read.
    let length = {
        let mut counter = Counter(0);
        write_batch(&mut counter, 50_000);
        counter.0
    };
    let mut text = String::with_capacity(length);
    write_batch(&mut text, 50_000);
    assert_eq!(text.len(), length);
    let body: &'static [u8] = text.leak().as_bytes();
    let [(_, signature), (_, timestamp)] =
        headers_for(&Secret::new(SECRET), body, SystemTime::now());
    let before = ALLOCATOR.allocated();
    let status = send(
        &address,
        head(&address, body.len(), &signature, &timestamp),
        body.len(),
        body,
    )
    .await;
    let batch_peak = ALLOCATOR.max_allocated() - before;
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert_eq!(handled.load(Ordering::Relaxed), 50_000);
    let ratio = batch_peak as f64 / body.len() as f64;
    eprintln!(
        "receiver memory: a batch of 50,000 events, {:.1} MB of body: peak {:.1} MB above the baseline, {ratio:.2} times the body",
        body.len() as f64 / 1e6,
        batch_peak as f64 / 1e6,
    );
    assert!(ratio <= 3.0, "{ratio:.2} times the body");

    // 40 concurrent forged deliveries of 16 MiB: the syntax of a signature and a fresh
    // timestamp (what a forger can give), the HMAC of nothing.
    let receiver = WebhookReceiver::new(Secret::new(SECRET)).with_store(Elsewhere);
    let address = serve(&receiver, Arc::new(AtomicUsize::new(0))).await;
    let chunk: &'static [u8] = vec![b' '; 64 << 10].leak();
    let forged = "0".repeat(64);
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let baseline = ALLOCATOR.allocated();
    let senders: Vec<_> = (0..40)
        .map(|_| {
            let head = head(&address, 16 * MIB, &forged, &now);
            let address = address.clone();
            tokio::spawn(async move { send(&address, head, 16 * MIB, chunk).await })
        })
        .collect();
    let mut answers = std::collections::BTreeMap::<String, usize>::new();
    for sender in senders {
        *answers.entry(sender.await.unwrap()).or_default() += 1;
    }
    let peak = ALLOCATOR.max_allocated();
    eprintln!(
        "receiver memory: 40 concurrent forged 16 MiB deliveries: peak heap {:.1} MB ({:.1} MB before them); answers {answers:?}",
        peak as f64 / 1e6,
        baseline as f64 / 1e6,
    );
    assert!(peak < 150_000_000, "peak {peak} bytes");
    assert_eq!(answers.values().sum::<usize>(), 40);
    assert!(
        answers
            .keys()
            .all(|status| status.starts_with("HTTP/1.1 401") || status.starts_with("HTTP/1.1 503")),
        "{answers:?}"
    );
}
