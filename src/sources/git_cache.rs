//! Memory of history scans: per-thread object caches whose cap is the
//! memory they hold, and the release of mapped pack pages.
//!
//! gix's memory-capped LRU caches (`gix_pack::cache::lru::MemoryCappedHashmap`
//! and `gix_pack::cache::object::MemoryCappedHashmap`, gix-pack 0.77) weigh an
//! entry by its length while recycling evicted buffers through a free list,
//! so a 40-byte entry can sit in a buffer that once held a 4 MiB blob, and
//! separately allocated entries of every size fragment the heap as they are
//! evicted. On hashicorp/terraform's history, two threads' "16 + 64 MiB"
//! caches took the resident set to 960 MiB. [`Ring`] keeps all entries of one
//! cache in one buffer of its cap.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

use gix::ObjectId;
use gix::objs::Kind;

/// Entries are at most this many per MiB of cap: the index of many tiny
/// objects costs memory too.
const ENTRIES_PER_MIB: usize = 4096;

struct Slot<K> {
    key: K,
    start: usize,
    len: usize,
    kind: Kind,
    compressed_size: usize,
}

/// A first-in first-out cache whose bytes live in one ring buffer of `cap`
/// bytes. A general-purpose LRU of separately allocated entries fragments the
/// heap: evicted entries leave holes of every size, and on terraform's
/// history a 16 MiB LRU per thread cost ~140 MiB of resident memory. Here the
/// memory is the buffer (touched as it fills) plus a bounded index.
///
/// Eviction is in insertion order: the entries overwritten by a write are the
/// oldest. Within the ring, the live entries are the previous lap's from the
/// write position to the end of what was written, then the current lap's from
/// the start up to the write position.
struct Ring<K> {
    buf: Vec<u8>,
    cap: usize,
    pos: usize,
    slots: VecDeque<Slot<K>>,
    /// Key → sequence number of its slot (`first_seq` is the front's).
    index: HashMap<K, u64>,
    first_seq: u64,
    max_entries: usize,
}

impl<K: Hash + Eq + Clone> Ring<K> {
    fn new(cap: usize) -> Self {
        Ring {
            buf: Vec::new(),
            cap,
            pos: 0,
            slots: VecDeque::new(),
            index: HashMap::new(),
            first_seq: 0,
            max_entries: (cap >> 20).max(1) * ENTRIES_PER_MIB,
        }
    }

    fn pop_front(&mut self) {
        if let Some(slot) = self.slots.pop_front() {
            if self.index.get(&slot.key) == Some(&self.first_seq) {
                self.index.remove(&slot.key);
            }
            self.first_seq += 1;
        }
    }

    /// Evict the previous lap's entries that start in `[from, to)`.
    fn evict_from(&mut self, from: usize, to: usize) {
        while let Some(front) = self.slots.front() {
            if front.start >= from && front.start < to {
                self.pop_front();
            } else {
                break;
            }
        }
    }

    fn put(&mut self, key: K, data: &[u8], kind: Kind, compressed_size: usize) {
        let len = data.len();
        // One entry never takes more than a quarter of the ring.
        if len > self.cap / 4 || self.index.contains_key(&key) {
            return;
        }
        if self.pos + len > self.cap {
            // Wrap: what is left of the previous lap is the oldest; drop it.
            self.evict_from(self.pos, usize::MAX);
            self.pos = 0;
        }
        self.evict_from(self.pos, self.pos + len.max(1));
        while self.slots.len() >= self.max_entries {
            self.pop_front();
        }
        let end = self.pos + len;
        if self.buf.len() < end {
            if self.buf.capacity() == 0 {
                // Reserved, not touched: pages become resident as written.
                self.buf.reserve_exact(self.cap);
            }
            self.buf.resize(end, 0);
        }
        self.buf[self.pos..end].copy_from_slice(data);
        let seq = self.first_seq + self.slots.len() as u64;
        self.slots.push_back(Slot {
            key: key.clone(),
            start: self.pos,
            len,
            kind,
            compressed_size,
        });
        self.index.insert(key, seq);
        self.pos = end;
    }

    fn get(&self, key: &K, out: &mut Vec<u8>) -> Option<(Kind, usize)> {
        let seq = *self.index.get(key)?;
        let slot = self
            .slots
            .get(usize::try_from(seq - self.first_seq).ok()?)?;
        let data = self.buf.get(slot.start..slot.start + slot.len)?;
        out.clear();
        out.try_reserve(data.len()).ok()?;
        out.extend_from_slice(data);
        Some((slot.kind, slot.compressed_size))
    }
}

/// Fully decoded pack entries (delta bases), keyed by pack and offset.
pub(crate) struct PackCache(Ring<(u32, u64)>);

impl PackCache {
    pub(crate) fn new(cap_bytes: usize) -> Self {
        PackCache(Ring::new(cap_bytes))
    }
}

impl gix::odb::pack::cache::DecodeEntry for PackCache {
    fn put(&mut self, pack_id: u32, offset: u64, data: &[u8], kind: Kind, compressed_size: usize) {
        self.0.put((pack_id, offset), data, kind, compressed_size);
    }

    fn get(&mut self, pack_id: u32, offset: u64, out: &mut Vec<u8>) -> Option<(Kind, usize)> {
        self.0.get(&(pack_id, offset), out)
    }
}

/// Decoded objects (trees that consecutive commits share), keyed by id.
pub(crate) struct ObjectCache(Ring<ObjectId>);

impl ObjectCache {
    pub(crate) fn new(cap_bytes: usize) -> Self {
        ObjectCache(Ring::new(cap_bytes))
    }
}

impl gix::odb::pack::cache::Object for ObjectCache {
    fn put(&mut self, id: ObjectId, kind: Kind, data: &[u8]) {
        self.0.put(id, data, kind, 0);
    }

    fn get(&mut self, id: &ObjectId, out: &mut Vec<u8>) -> Option<Kind> {
        self.0.get(id, out).map(|(kind, _)| kind)
    }
}

/// Calls [`shed_pack_pages`] on every `every`-th [`ShedEvery::tick`], from
/// any number of threads: the cadence of a long phase of a history scan.
pub(crate) struct ShedEvery {
    count: std::sync::atomic::AtomicUsize,
    every: usize,
}

impl ShedEvery {
    pub(crate) fn new(every: usize) -> Self {
        ShedEvery {
            count: std::sync::atomic::AtomicUsize::new(0),
            every: every.max(1),
        }
    }

    pub(crate) fn tick(&self) {
        let n = self
            .count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n % self.every == self.every - 1 {
            shed_pack_pages();
        }
    }
}

/// Drop this process's resident pages of every mapped pack file.
///
/// gix reads packs through read-only file mappings, and every page a scan
/// touches stays in the process's resident set until the mapping closes: a
/// history scan's RSS would grow with the size of the pack it reads (275 MiB
/// of terraform's 330 MiB pack). The pages are clean copies of the file, so
/// `MADV_DONTNEED` only unmaps them: they stay in the kernel's page cache, and
/// a later read of the same bytes faults them back in with the same content.
/// Called between stretches of a scan; returns the bytes released (0 where
/// this is not Linux or `/proc` is not mounted).
pub(crate) fn shed_pack_pages() -> u64 {
    #[cfg(target_os = "linux")]
    {
        let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
            return 0;
        };
        let mut released = 0u64;
        for line in maps.lines() {
            // `start-end perms offset dev inode path`
            let mut fields = line.split_ascii_whitespace();
            let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
                continue;
            };
            let path = fields.nth(3).unwrap_or("");
            if !path.ends_with(".pack") || !path.contains("/pack/pack-") || perms.starts_with("rw")
            {
                continue;
            }
            let Some((start, end)) = range.split_once('-') else {
                continue;
            };
            let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            ) else {
                continue;
            };
            if end <= start {
                continue;
            }
            // SAFETY: the range is a whole read-only file mapping of this
            // process, as the kernel lists it; MADV_DONTNEED on a clean
            // file-backed mapping never changes what reading it returns.
            let rc = unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED)
            };
            if rc == 0 {
                released += (end - start) as u64;
            }
        }
        released
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gix::odb::pack::cache::{DecodeEntry, Object};

    /// A small deterministic generator (no dependency for one test).
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn the_ring_never_returns_wrong_bytes_and_stays_within_its_cap() {
        // Oracle: a map of everything ever put. Whatever the ring answers
        // must be exactly what was put under that key; the newest entry is
        // always there; the bytes held never exceed the cap.
        let cap = 64 * 1024;
        let mut ring: Ring<u64> = Ring::new(cap);
        let mut truth: HashMap<u64, Vec<u8>> = HashMap::new();
        let mut state = 0x9e37_79b9_7f4a_7c15;
        let mut out = Vec::new();
        for i in 0..20_000u64 {
            let key = next(&mut state) % 3000;
            let len = (next(&mut state) % 20_000) as usize;
            let data: Vec<u8> = (0..len).map(|j| (j as u64 ^ key ^ i) as u8).collect();
            // The ring keeps the first copy of a key it still holds.
            let was_held = ring.index.contains_key(&key);
            if !was_held {
                truth.insert(key, data.clone());
            }
            ring.put(key, &data, Kind::Blob, len);
            if !was_held && len <= cap / 4 {
                assert_eq!(
                    ring.get(&key, &mut out),
                    Some((Kind::Blob, len)),
                    "step {i}"
                );
                assert_eq!(out, truth[&key]);
            }
            let probe = next(&mut state) % 3000;
            if let Some((_, size)) = ring.get(&probe, &mut out) {
                assert_eq!(out, truth[&probe], "step {i}: key {probe}");
                assert_eq!(size, out.len());
            }
            assert!(ring.buf.len() <= cap);
            assert!(ring.buf.capacity() <= cap);
            let held: usize = ring.slots.iter().map(|s| s.len).sum();
            assert!(held <= cap);
            // No two live entries overlap.
            let mut spans: Vec<(usize, usize)> = ring
                .slots
                .iter()
                .map(|s| (s.start, s.start + s.len))
                .collect();
            spans.sort_unstable();
            assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "step {i}");
        }
    }

    #[test]
    fn the_pack_cache_answers_with_kind_and_size() {
        let mut c = PackCache::new(1 << 20);
        c.put(2, 77, b"tree data", Kind::Tree, 5);
        let mut out = Vec::new();
        assert_eq!(c.get(2, 77, &mut out), Some((Kind::Tree, 5)));
        assert_eq!(out, b"tree data");
        assert_eq!(c.get(2, 78, &mut out), None);
    }

    #[test]
    fn an_entry_too_large_for_the_cache_is_not_kept_and_evicts_nothing() {
        let mut c = PackCache::new(10_000);
        c.put(1, 1, b"small", Kind::Tree, 5);
        c.put(1, 2, &[0; 5000], Kind::Blob, 5);
        let mut out = Vec::new();
        assert_eq!(c.get(1, 2, &mut out), None);
        assert_eq!(c.get(1, 1, &mut out), Some((Kind::Tree, 5)));
        assert_eq!(out, b"small");
    }

    #[test]
    fn the_index_of_tiny_entries_is_bounded() {
        let mut c = PackCache::new(1 << 20);
        for i in 0..100_000u64 {
            c.put(0, i, b"x", Kind::Blob, 1);
        }
        assert!(c.0.slots.len() <= ENTRIES_PER_MIB);
        assert!(c.0.index.len() <= ENTRIES_PER_MIB);
        let mut out = Vec::new();
        assert!(c.get(0, 99_999, &mut out).is_some());
        assert!(c.get(0, 0, &mut out).is_none());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn shedding_pack_pages_keeps_what_the_pack_reads_as() {
        use gix::objs::FindExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let git = |args: &[&str]| {
            let ok = std::process::Command::new("git")
                .args([
                    "-c",
                    "user.name=t",
                    "-c",
                    "user.email=t@t",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .current_dir(dir.path())
                .status()
                .expect("git runs")
                .success();
            assert!(ok, "git {args:?}");
        };
        git(&["init", "-q", "."]);
        let content: Vec<u8> = (0..200_000u32).flat_map(|i| i.to_le_bytes()).collect();
        std::fs::write(dir.path().join("data.bin"), &content).expect("write");
        git(&["add", "data.bin"]);
        git(&["commit", "-q", "-m", "one"]);
        git(&["gc", "-q"]);
        let repo = gix::open(dir.path()).expect("open");
        let id = repo
            .rev_parse_single("HEAD:data.bin")
            .expect("resolve")
            .detach();
        let mut buf = Vec::new();
        let first = repo
            .objects
            .find_blob(&id, &mut buf)
            .expect("read")
            .data
            .to_vec();
        assert_eq!(first, content);
        assert!(shed_pack_pages() > 0, "the pack is mapped and was released");
        let again = repo
            .objects
            .find_blob(&id, &mut buf)
            .expect("read again")
            .data
            .to_vec();
        assert_eq!(again, content);
    }

    #[test]
    fn the_object_cache_returns_what_was_put() {
        let mut c = ObjectCache::new(1 << 20);
        let id = ObjectId::null(gix::hash::Kind::Sha1);
        c.put(id, Kind::Tree, b"100644 a\0");
        let mut out = vec![1, 2, 3];
        assert_eq!(c.get(&id, &mut out), Some(Kind::Tree));
        assert_eq!(out, b"100644 a\0");
    }
}
