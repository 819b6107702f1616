//! [`klavi_tests::parallel`], which the long suites run on: every item worked on once, results
//! in the items' order, whatever the number of workers.

use std::sync::atomic::{AtomicUsize, Ordering};

use klavi_tests::parallel::map_in_order;

#[test]
fn every_item_is_worked_on_once_and_results_keep_their_order() {
    let items: Vec<u64> = (0..1000).collect();
    let calls = AtomicUsize::new(0);
    let squares = map_in_order(&items, |n| {
        calls.fetch_add(1, Ordering::Relaxed);
        // Uneven work, so that the workers finish out of order.
        std::thread::sleep(std::time::Duration::from_micros(n % 7 * 50));
        n * n
    });
    assert_eq!(calls.load(Ordering::Relaxed), items.len());
    assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    assert!(map_in_order(&[] as &[u64], |n| *n).is_empty());
}

#[test]
#[should_panic(expected = "item 7")]
fn a_panic_in_a_worker_reaches_the_caller() {
    let items: Vec<u64> = (0..20).collect();
    map_in_order(&items, |&n| assert_ne!(n, 7, "item 7"));
}
