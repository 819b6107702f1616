//! Work spread over every core: the suites that loop over every message (hundreds of thousands
//! of generated cases) give each message to the next free worker thread, so a 2-core machine
//! runs them in half the time, and still report in the registry's order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// The number of worker threads: the machine's available parallelism (at least one), or
/// `KLAVI_TEST_THREADS` when set (`1`: one worker, the items in order).
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
    let threads = workers().min(items.len()).max(1);
    // Each worker keeps what it did, by index; joined, the pieces go back in order.
    let mut done: Vec<(usize, R)> = Vec::with_capacity(items.len());
    let mut first_panic = None;
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            break;
                        };
                        mine.push((index, work(item)));
                    }
                    mine
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(mine) => done.extend(mine),
                // The first panic's own payload (its assertion message) is kept.
                Err(payload) => {
                    first_panic.get_or_insert(payload);
                }
            }
        }
    });
    if let Some(payload) = first_panic {
        std::panic::resume_unwind(payload);
    }
    done.sort_unstable_by_key(|&(index, _)| index);
    done.into_iter().map(|(_, result)| result).collect()
}
