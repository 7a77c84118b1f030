//! Small, dependency-free hashing: a fast FxHash-style hasher for interning
//! maps, and a stronger 64-bit hash for duplicate-detection keys.

use std::hash::{BuildHasherDefault, Hasher};

const FX_K: u64 = 0xf135_7aea_2e62_a9c5;

/// FxHash-like hasher: fast for short keys; not DoS-resistant (inputs are
/// local files, not network traffic).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(26) ^ word).wrapping_mul(FX_K);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(load_u64(chunk));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(load_u64(rest));
        }
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // A full mix: hashbrown takes the bucket from the low bits and a tag
        // from the top 7, while a multiplication carries information only
        // upwards; packed cell keys (the school in the high bits) and ids
        // like `S000123` (the changing digits in the last bytes) used to
        // share their low bits and pile up in a few buckets.
        fmix64(self.hash)
    }
}

/// Builder for maps using [`FxHasher`].
pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
/// HashMap with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
/// HashSet with [`FxHasher`].
pub(crate) type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;

/// Loads up to 8 bytes as a little-endian word (shorter input is zero-padded).
/// Without a variable-length copy: a `memcpy` call and the store it makes
/// cost more than the hashing around it.
#[inline]
pub(crate) fn load_u64(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    if n >= 8 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[..8]);
        return u64::from_le_bytes(word);
    }
    if n >= 4 {
        // Two overlapping 4-byte loads; the shared bytes are the same.
        let mut lo = [0u8; 4];
        lo.copy_from_slice(&bytes[..4]);
        let mut hi = [0u8; 4];
        hi.copy_from_slice(&bytes[n - 4..]);
        return u64::from(u32::from_le_bytes(lo))
            | u64::from(u32::from_le_bytes(hi)) << ((n - 4) * 8);
    }
    match bytes {
        [] => 0,
        [a] => u64::from(*a),
        [a, b] => u64::from(*a) | u64::from(*b) << 8,
        [a, b, c, ..] => u64::from(*a) | u64::from(*b) << 8 | u64::from(*c) << 16,
    }
}

/// MurmurHash3 64-bit finaliser: a full-avalanche mix.
#[inline]
pub(crate) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// A well-mixed 64-bit hash of `bytes` under `seed`. Used for duplicate
/// detection, where every hash match is confirmed against the real key, so
/// quality only affects speed, never correctness.
#[inline]
pub(crate) fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    const K1: u64 = 0x9e37_79b9_7f4a_7c15;
    const K2: u64 = 0xbf58_476d_1ce4_e5b9;
    let mut h = seed ^ (bytes.len() as u64).wrapping_mul(K1);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        h = (h ^ load_u64(chunk)).wrapping_mul(K2);
        h ^= h >> 31;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h ^ load_u64(rest)).wrapping_mul(K1);
        h ^= h >> 29;
    }
    fmix64(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_differ_and_are_stable() {
        assert_ne!(hash_bytes(1, b"P1"), hash_bytes(1, b"P2"));
        assert_ne!(hash_bytes(1, b"P1"), hash_bytes(2, b"P1"));
        assert_eq!(
            hash_bytes(7, b"P12345678901"),
            hash_bytes(7, b"P12345678901")
        );
        assert_ne!(hash_bytes(0, b""), hash_bytes(0, b"\0"));
    }

    #[test]
    fn short_loads_are_zero_padded_words() {
        let bytes = b"0123456789";
        for n in 0..=10 {
            let mut word = [0u8; 8];
            let k = n.min(8);
            word[..k].copy_from_slice(&bytes[..k]);
            assert_eq!(load_u64(&bytes[..n]), u64::from_le_bytes(word), "{n}");
        }
    }
}
