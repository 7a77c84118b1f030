//! Read-through caches for the reads every request makes (the session, the user's grants, a
//! dashboard's execution data). An entry is valid while no write has gone through this process's
//! store since it was read (the store's generation) and for at most `TTL`, which bounds how long
//! another process's writes (several servers on one PostgreSQL) can stay unseen.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest an entry is trusted without a write of this process invalidating it.
pub const TTL: Duration = Duration::from_secs(5);
/// Entries kept at most; the cache is emptied when it would grow past this.
const MAX_ENTRIES: usize = 10_000;

pub struct Cache<K, V> {
    entries: Mutex<HashMap<K, (u64, Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> Default for Cache<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: Eq + Hash, V: Clone> Cache<K, V> {
    pub fn new() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The value read at `generation`, if it is still that generation and fresh.
    pub fn get(&self, key: &K, generation: u64) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        let (at, read, value) = entries.get(key)?;
        (*at == generation && read.elapsed() < TTL).then(|| value.clone())
    }

    pub fn put(&self, key: K, generation: u64, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (generation, Instant::now(), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_valid_only_at_its_generation() {
        let cache = Cache::new();
        cache.put("k", 1, 10);
        assert_eq!(cache.get(&"k", 1), Some(10));
        assert_eq!(
            cache.get(&"k", 2),
            None,
            "a write since the read invalidates it"
        );
        assert_eq!(cache.get(&"other", 1), None);
    }
}
