//! Collections that hold at most a number of entries and a number of bytes, the oldest evicted
//! first, so that a mock under any load (a long load test, Schemathesis, hostile requests with
//! megabyte `externalInfo`s) keeps its memory bounded.

use std::collections::{HashMap, VecDeque};

/// What an entry costs: about the bytes it holds on the heap (its JSON size for JSON, the
/// length of its strings), counted against a collection's byte budget.
pub(crate) trait Weigh {
    fn weight(&self) -> usize;
}

/// Bookkeeping on top of the heap bytes of every entry (the map's slot, the order's key).
const ENTRY_OVERHEAD: usize = 64;

/// A map keyed by strings that remembers insertion order and keeps at most `capacity` entries
/// and `budget` bytes ([`Weigh`]): inserting past either evicts the oldest entries.
pub(crate) struct BoundedMap<V> {
    entries: HashMap<String, (V, usize)>,
    /// The keys, oldest first.
    order: VecDeque<String>,
    capacity: usize,
    budget: usize,
    /// The weight of every entry, keys included.
    weight: usize,
}

impl<V: Weigh> BoundedMap<V> {
    /// An empty map of at most `capacity` entries (at least one) and `budget` bytes.
    pub(crate) fn new(capacity: usize, budget: usize) -> Self {
        BoundedMap {
            entries: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            budget,
            weight: 0,
        }
    }

    /// Inserts (or replaces) `key`, then evicts the oldest entries while the map holds more
    /// than its capacity or its budget (an entry larger than the whole budget is evicted at
    /// once: the mock forgets it, as it forgets an old one).
    pub(crate) fn insert(&mut self, key: String, value: V) {
        let weight = key.len() * 2 + value.weight() + ENTRY_OVERHEAD;
        match self.entries.insert(key.clone(), (value, weight)) {
            Some((_, old)) => self.weight = self.weight - old + weight,
            None => {
                self.order.push_back(key);
                self.weight += weight;
            }
        }
        while self.order.len() > self.capacity || self.weight > self.budget {
            if !self.evict_oldest() {
                break;
            }
        }
    }

    /// Re-weighs the entry `key` after a change made through [`BoundedMap::get_mut`].
    pub(crate) fn reweigh(&mut self, key: &str) {
        if let Some((value, weight)) = self.entries.get_mut(key) {
            let new = key.len() * 2 + value.weight() + ENTRY_OVERHEAD;
            self.weight = self.weight - *weight + new;
            *weight = new;
        }
    }

    fn evict_oldest(&mut self) -> bool {
        let Some(oldest) = self.order.pop_front() else {
            return false;
        };
        if let Some((_, weight)) = self.entries.remove(&oldest) {
            self.weight -= weight;
        }
        true
    }

    /// Removes the oldest entries while `stale` says so (entries expire in insertion order
    /// when they share one lifetime).
    pub(crate) fn evict_while(&mut self, mut stale: impl FnMut(&V) -> bool) {
        while let Some(oldest) = self.order.front() {
            if !self
                .entries
                .get(oldest)
                .is_some_and(|(value, _)| stale(value))
            {
                break;
            }
            self.evict_oldest();
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key).map(|(value, _)| value)
    }

    /// The entry `key`, to change: call [`BoundedMap::reweigh`] after a change that may make
    /// it larger.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.entries.get_mut(key).map(|(value, _)| value)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The values, oldest first.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.order
            .iter()
            .filter_map(|key| self.entries.get(key).map(|(value, _)| value))
    }

    /// Every value, in no particular order (for changes that do not make them larger).
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.values_mut().map(|(value, _)| value)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The bytes its entries weigh ([`Weigh`]), at most its budget.
    pub(crate) fn weight(&self) -> usize {
        self.weight
    }
}

/// A log of at most `capacity` entries and `budget` bytes: pushing past either drops the
/// oldest. Entries keep a sequence number, so that an entry can be found again after older
/// ones were dropped.
pub(crate) struct BoundedLog<T> {
    entries: VecDeque<(T, usize)>,
    /// The sequence number of `entries[0]`.
    first: u64,
    capacity: usize,
    budget: usize,
    weight: usize,
}

impl<T: Weigh> BoundedLog<T> {
    /// An empty log of at most `capacity` entries (at least one) and `budget` bytes.
    pub(crate) fn new(capacity: usize, budget: usize) -> Self {
        BoundedLog {
            entries: VecDeque::new(),
            first: 0,
            capacity: capacity.max(1),
            budget,
            weight: 0,
        }
    }

    /// Appends `entry` and returns its sequence number.
    pub(crate) fn push(&mut self, entry: T) -> u64 {
        let weight = entry.weight() + ENTRY_OVERHEAD;
        self.entries.push_back((entry, weight));
        self.weight += weight;
        let sequence = self.first + self.entries.len() as u64 - 1;
        while self.entries.len() > self.capacity || self.weight > self.budget {
            let Some((_, weight)) = self.entries.pop_front() else {
                break;
            };
            self.weight -= weight;
            self.first += 1;
        }
        sequence
    }

    /// The entry with sequence number `sequence`, unless it was dropped (its weight is not
    /// counted again: a delivery's attempts add a few bytes each, at most seven).
    pub(crate) fn get_mut(&mut self, sequence: u64) -> Option<&mut T> {
        let index = usize::try_from(sequence.checked_sub(self.first)?).ok()?;
        self.entries.get_mut(index).map(|(entry, _)| entry)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The bytes its entries weigh ([`Weigh`]), at most its budget.
    pub(crate) fn weight(&self) -> usize {
        self.weight
    }

    /// The entries kept, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter().map(|(entry, _)| entry)
    }
}

impl Weigh for () {
    fn weight(&self) -> usize {
        0
    }
}

impl Weigh for std::time::Instant {
    fn weight(&self) -> usize {
        0
    }
}

impl Weigh for serde_json::Value {
    /// Its JSON text's length, twice: a parsed value takes about that on the heap.
    fn weight(&self) -> usize {
        serde_json::to_vec(self).map_or(0, |text| text.len() * 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Bytes(usize);

    impl Weigh for Bytes {
        fn weight(&self) -> usize {
            self.0
        }
    }

    fn values(map: &BoundedMap<Bytes>) -> Vec<usize> {
        map.values().map(|b| b.0).collect()
    }

    #[test]
    fn a_full_map_evicts_its_oldest_entries_by_count_and_by_bytes() {
        let mut map = BoundedMap::new(3, usize::MAX);
        for i in 0..5 {
            map.insert(i.to_string(), Bytes(i * 10));
        }
        assert_eq!(map.len(), 3);
        assert!(!map.contains_key("0") && !map.contains_key("1"));
        assert_eq!(values(&map), [20, 30, 40]);
        // Replacing a key keeps its place and evicts nothing.
        map.insert("2".to_owned(), Bytes(21));
        assert_eq!(values(&map), [21, 30, 40]);
        map.evict_while(|value| value.0 < 35);
        assert_eq!(values(&map), [40]);
        assert_eq!(map.get("4").map(|b| b.0), Some(40));

        // By bytes: each entry weighs its bytes, twice its key (`k0`: 2 bytes) and the overhead.
        let entry = |bytes: usize| 2 * 2 + bytes + ENTRY_OVERHEAD;
        let mut map = BoundedMap::new(usize::MAX, 3 * entry(100));
        for i in 0..3 {
            map.insert(format!("k{i}"), Bytes(100));
        }
        assert_eq!((map.len(), map.weight()), (3, 3 * entry(100)));
        map.insert("k3".to_owned(), Bytes(150));
        assert_eq!(values(&map), [100, 150]);
        assert_eq!(map.weight(), entry(100) + entry(150));
        // An entry grown in place is weighed again, and the budget holds after the next insert.
        map.get_mut("k3").unwrap().0 = 10_000;
        map.reweigh("k3");
        assert_eq!(map.weight(), entry(100) + entry(10_000));
        map.insert("k4".to_owned(), Bytes(1));
        assert_eq!(values(&map), [1]);
        assert!(map.weight() <= 3 * entry(100));
    }

    #[test]
    fn a_full_log_drops_its_oldest_entries_and_finds_the_others_by_sequence() {
        let mut log = BoundedLog::new(2, usize::MAX);
        let sequences: Vec<u64> = (0..4).map(|i| log.push(Bytes(i))).collect();
        assert_eq!(sequences, [0, 1, 2, 3]);
        assert_eq!(log.iter().map(|b| b.0).collect::<Vec<_>>(), [2, 3]);
        assert!(log.get_mut(1).is_none());
        log.get_mut(3).unwrap().0 = 30;
        assert_eq!(log.iter().map(|b| b.0).collect::<Vec<_>>(), [2, 30]);
        assert!(log.get_mut(u64::MAX).is_none());

        let mut log = BoundedLog::new(usize::MAX, 2 * (100 + ENTRY_OVERHEAD));
        for _ in 0..5 {
            log.push(Bytes(100));
        }
        assert_eq!((log.len(), log.weight()), (2, 2 * (100 + ENTRY_OVERHEAD)));
        log.push(Bytes(10_000));
        assert_eq!(
            log.len(),
            0,
            "an entry over the whole budget is dropped at once"
        );
        assert_eq!(log.weight(), 0);
    }
}
