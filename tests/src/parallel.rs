//! Work spread over every core: the suites that loop over every message (hundreds of thousands
//! of generated cases) give each message to the next free worker thread, so a 2-core machine
//! runs them in half the time, and still report in the registry's order.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// The number of worker threads: the machine's available parallelism (at least one), or
/// `KLAVI_TEST_THREADS` when set (`1` runs everything on the calling thread's order).
pub fn workers() -> usize {
    std::env::var("KLAVI_TEST_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n > 0)
        .unwrap_or_else(|| thread::available_parallelism().map_or(1, usize::from))
}

/// `work` applied to every item, on [`workers`] threads, each taking the next item not yet
/// taken; the results come back in the items' order. A panic in `work` is raised again here
/// once every thread has stopped.
pub fn map_in_order<T, R, F>(items: &[T], work: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let threads = workers().min(items.len()).max(1);
    let panicked = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            break;
                        };
                        let result = work(item);
                        results.lock().expect("no worker panicked holding the lock")[index] =
                            Some(result);
                    }
                })
            })
            .collect();
        // Every worker joined; the first panic's own payload (its assertion message) kept.
        let mut first_panic = None;
        for handle in handles {
            if let Err(payload) = handle.join() {
                first_panic.get_or_insert(payload);
            }
        }
        first_panic
    });
    if let Some(payload) = panicked {
        std::panic::resume_unwind(payload);
    }
    results
        .into_inner()
        .expect("no worker panicked holding the lock")
        .into_iter()
        .map(|result| result.expect("every item was worked on"))
        .collect()
}
