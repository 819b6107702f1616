//! Collections that hold at most a fixed number of entries, the oldest evicted first, so that a
//! mock under any load (a long load test, Schemathesis) keeps its memory bounded.

use std::borrow::Borrow;
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// A map that remembers insertion order and keeps at most `capacity` entries: inserting a new
/// key into a full map evicts the oldest entry.
pub(crate) struct BoundedMap<K, V> {
    entries: HashMap<K, V>,
    /// The keys, oldest first.
    order: VecDeque<K>,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> BoundedMap<K, V> {
    /// An empty map of at most `capacity` entries (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        BoundedMap {
            entries: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Inserts (or replaces) `key`; a new key into a full map evicts the oldest entry.
    pub(crate) fn insert(&mut self, key: K, value: V) {
        if self.entries.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
            while self.order.len() > self.capacity {
                if let Some(oldest) = self.order.pop_front() {
                    self.entries.remove(&oldest);
                }
            }
        }
    }

    /// Removes the oldest entries while `stale` says so (entries expire in insertion order
    /// when they share one lifetime).
    pub(crate) fn evict_while(&mut self, mut stale: impl FnMut(&V) -> bool) {
        while let Some(oldest) = self.order.front() {
            if !self.entries.get(oldest).is_some_and(&mut stale) {
                break;
            }
            if let Some(oldest) = self.order.pop_front() {
                self.entries.remove(&oldest);
            }
        }
    }

    pub(crate) fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.get(key)
    }

    pub(crate) fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.get_mut(key)
    }

    pub(crate) fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.entries.contains_key(key)
    }

    /// The values, oldest first.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.order.iter().filter_map(|key| self.entries.get(key))
    }

    /// Every value, in no particular order.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.values_mut()
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

/// A log of at most `capacity` entries: pushing onto a full log drops the oldest. Entries keep
/// a sequence number, so that an entry can be found again after older ones were dropped.
pub(crate) struct BoundedLog<T> {
    entries: VecDeque<T>,
    /// The sequence number of `entries[0]`.
    first: u64,
    capacity: usize,
}

impl<T> BoundedLog<T> {
    /// An empty log of at most `capacity` entries (at least one).
    pub(crate) fn new(capacity: usize) -> Self {
        BoundedLog {
            entries: VecDeque::new(),
            first: 0,
            capacity: capacity.max(1),
        }
    }

    /// Appends `entry` and returns its sequence number.
    pub(crate) fn push(&mut self, entry: T) -> u64 {
        self.entries.push_back(entry);
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
            self.first += 1;
        }
        self.first + self.entries.len() as u64 - 1
    }

    /// The entry with sequence number `sequence`, unless it was dropped.
    pub(crate) fn get_mut(&mut self, sequence: u64) -> Option<&mut T> {
        let index = usize::try_from(sequence.checked_sub(self.first)?).ok()?;
        self.entries.get_mut(index)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries kept, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.entries.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_map_evicts_its_oldest_entry_and_keeps_the_order() {
        let mut map = BoundedMap::new(3);
        for i in 0..5 {
            map.insert(i, i * 10);
        }
        assert_eq!(map.len(), 3);
        assert!(!map.contains_key(&0) && !map.contains_key(&1));
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [20, 30, 40]);
        // Replacing a key keeps its place and evicts nothing.
        map.insert(2, 21);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [21, 30, 40]);
        map.evict_while(|value| *value < 35);
        assert_eq!(map.values().copied().collect::<Vec<_>>(), [40]);
        assert_eq!(map.get(&4), Some(&40));
    }

    #[test]
    fn a_full_log_drops_its_oldest_entry_and_finds_the_others_by_sequence() {
        let mut log = BoundedLog::new(2);
        let sequences: Vec<u64> = (0..4).map(|i| log.push(i)).collect();
        assert_eq!(sequences, [0, 1, 2, 3]);
        assert_eq!(log.iter().copied().collect::<Vec<_>>(), [2, 3]);
        assert!(log.get_mut(1).is_none());
        *log.get_mut(3).unwrap() = 30;
        assert_eq!(log.iter().copied().collect::<Vec<_>>(), [2, 30]);
        assert!(log.get_mut(u64::MAX).is_none());
    }
}
