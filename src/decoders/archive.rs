//! Archives recognised by their magic bytes, never by their names: zip (and
//! so jar, war, ear, whl, nupkg, apk, vsix, docx …), tar (`ustar` at offset
//! 257) and gzip (a gzip holding a tar, `.tar.gz`/`.tgz`, is one archive of
//! the tar's members). [`expand`] hands each member's content to a visitor;
//! nesting (a jar inside a war) is the caller's worklist, see
//! [`crate::decoders::whole`].
//!
//! Every limit is enforced while reading, before anything is allocated for
//! it: bytes decoded per top-level input, bytes per member, members per
//! top-level input, and the compression ratio (a member that inflates past
//! [`Limits::max_ratio`] times its compressed size, and past
//! [`Limits::ratio_floor`], is reported as a likely zip bomb and not
//! scanned). Reading a zip's own structure is bounded too: it may read at
//! most four times the archive's size (overlapping members are a bomb of
//! their own). Nothing is ever written to disk: member names are only
//! shown, escaped, never used as paths.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};

/// An archive format, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Zip,
    Tar,
    Gzip,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Zip => "zip",
            Format::Tar => "tar",
            Format::Gzip => "gzip",
        }
    }
}

/// Which archive format `data` (or its head: 262 bytes are enough) is.
pub fn detect(data: &[u8]) -> Option<Format> {
    match data {
        // A local file header, or the end record of an empty archive.
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => Some(Format::Zip),
        // Deflate is the only method gzip defines.
        [0x1F, 0x8B, 8, ..] => Some(Format::Gzip),
        _ if is_tar(data) => Some(Format::Tar),
        _ => None,
    }
}

/// POSIX (`ustar\0`) and GNU (`ustar  \0`) tar headers carry their magic at 257.
fn is_tar(data: &[u8]) -> bool {
    data.get(257..262) == Some(b"ustar")
}

/// How far expansion goes for one top-level input.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Bytes decoded out of one top-level input, all levels together.
    pub max_total: u64,
    /// Bytes of one member (the scan's `--max-file-size`); past it only
    /// the first `max_member` bytes are scanned.
    pub max_member: u64,
    /// Members (files, directories, links) of one top-level input, all levels.
    pub max_members: u64,
    /// Archive levels expanded: the top-level archive is level 1.
    pub max_depth: usize,
    /// A member inflating past this many times its compressed size …
    pub max_ratio: u64,
    /// … and past this many bytes is a likely zip bomb.
    pub ratio_floor: u64,
}

impl Limits {
    pub const DEFAULT_MAX_TOTAL: u64 = 256 << 20;
    pub const DEFAULT_MAX_MEMBERS: u64 = 100_000;
    pub const DEFAULT_MAX_DEPTH: usize = 5;
    pub const DEFAULT_MAX_RATIO: u64 = 100;
    pub const DEFAULT_RATIO_FLOOR: u64 = 1 << 20;

    /// The default limits, members capped at `max_member` bytes.
    pub fn new(max_member: u64) -> Limits {
        Limits {
            max_total: Self::DEFAULT_MAX_TOTAL,
            max_member,
            max_members: Self::DEFAULT_MAX_MEMBERS,
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_ratio: Self::DEFAULT_MAX_RATIO,
            ratio_floor: Self::DEFAULT_RATIO_FLOOR,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::new(100 << 20)
    }
}

/// What one top-level input has used of its [`Limits`], across all levels.
#[derive(Debug, Default)]
pub struct Budget {
    /// Bytes decoded (decompressed, or copied out of a tar).
    pub decoded: Cell<u64>,
    /// Members met.
    pub members: Cell<u64>,
    /// A limit for the whole input was reached: expand nothing more.
    pub spent: Cell<bool>,
}

/// What [`expand`] hands its visitor.
pub enum Event<'a> {
    /// One member's content, or its first [`Limits::max_member`] bytes when
    /// `truncated`. The visitor may take the buffer (`std::mem::take`).
    Member {
        /// The member's path in the archive, escaped for display.
        name: &'a str,
        data: &'a mut Vec<u8>,
        truncated: bool,
    },
    /// Something left part of the archive unscanned: about `name` (escaped)
    /// when given, else about the archive itself.
    Problem {
        name: Option<&'a str>,
        message: String,
    },
}

/// Expand the archive `data` (of `format`), named `outer` (its last path
/// part names a bare gzip's member), member by member into `visit`.
pub fn expand(
    data: &[u8],
    format: Format,
    outer: &str,
    limits: &Limits,
    budget: &Budget,
    visit: &mut dyn FnMut(Event<'_>),
) {
    if budget.spent.get() {
        return;
    }
    match format {
        Format::Zip => expand_zip(data, limits, budget, visit),
        Format::Tar => {
            let mut input = data;
            expand_tar(
                &mut input,
                true,
                limits,
                budget,
                visit,
                &TripCell::new(None),
            );
        }
        Format::Gzip => expand_gzip(data, outer, limits, budget, visit),
    }
}

/// A member name as shown: lossy UTF-8, control characters escaped.
fn shown_name(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    let s = if s.is_empty() {
        Cow::Borrowed("(unnamed)")
    } else {
        s
    };
    crate::safe_io::escape(&s).into_owned()
}

/// Count one member; `false` (and a problem reported once) past the limit.
fn admit(limits: &Limits, budget: &Budget, visit: &mut dyn FnMut(Event<'_>)) -> bool {
    if budget.spent.get() {
        return false;
    }
    let n = budget.members.get() + 1;
    if n > limits.max_members {
        budget.spent.set(true);
        visit(Event::Problem {
            name: None,
            message: format!(
                "more than {} archive members in this input (the limit); the rest were not scanned",
                limits.max_members
            ),
        });
        return false;
    }
    budget.members.set(n);
    true
}

/// Why a [`Meter`] stopped its reader.
#[derive(Debug, Clone, Copy)]
enum Trip {
    Ratio { decoded: u64, compressed: u64 },
    Total,
}

/// Where a [`Meter`] leaves why it stopped, for the code that reads through
/// it (a tar reader owns the stream, so it cannot ask the meter).
type TripCell = Cell<Option<Trip>>;

/// A reader of decoded bytes that counts them into the input's [`Budget`]
/// and stops (with an error) at the total limit or the ratio limit.
struct Meter<'b, R> {
    inner: R,
    limits: &'b Limits,
    budget: &'b Budget,
    /// Compressed size the ratio is judged against; `None`: no ratio check.
    compressed: Option<u64>,
    produced: u64,
    trip: &'b TripCell,
}

impl<'b, R: Read> Meter<'b, R> {
    fn new(
        inner: R,
        compressed: Option<u64>,
        limits: &'b Limits,
        budget: &'b Budget,
        trip: &'b TripCell,
    ) -> Meter<'b, R> {
        Meter {
            inner,
            limits,
            budget,
            compressed,
            produced: 0,
            trip,
        }
    }

    fn stop(&self, why: Trip) -> io::Error {
        if matches!(why, Trip::Total) {
            self.budget.spent.set(true);
        }
        self.trip.set(Some(why));
        io::Error::other("archive limit reached")
    }
}

impl<R: Read> Read for Meter<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.trip.get().is_some() {
            return Err(io::Error::other("archive limit reached"));
        }
        // Never hand out more than the input may still decode.
        let left = self
            .limits
            .max_total
            .saturating_sub(self.budget.decoded.get());
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 && !buf.is_empty() {
            // At the limit: only the end of the stream is still fine.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(self.stop(Trip::Total)),
            };
        }
        let n = self.inner.read(&mut buf[..want])?;
        self.produced += n as u64;
        self.budget
            .decoded
            .set(self.budget.decoded.get() + n as u64);
        if let Some(c) = self.compressed
            && self.produced > self.limits.ratio_floor
            && self.produced > c.saturating_mul(self.limits.max_ratio)
        {
            return Err(self.stop(Trip::Ratio {
                decoded: self.produced,
                compressed: c,
            }));
        }
        Ok(n)
    }
}

fn bomb_message(decoded: u64, compressed: u64, limits: &Limits, declared: bool) -> String {
    let ratio = decoded / compressed.max(1);
    format!(
        "{} {decoded} bytes from {compressed} compressed (ratio {ratio}:1, the limit is {}:1): \
         a likely zip bomb, not scanned",
        if declared {
            "declares"
        } else {
            "decompresses past"
        },
        limits.max_ratio
    )
}

fn total_message(limits: &Limits) -> String {
    format!(
        "more than {} bytes decoded from this input (the limit); the rest was not scanned",
        limits.max_total
    )
}

/// Read one member into `buf`, at most `max_member` bytes of it (one more
/// is read to tell a cut): `Ok(truncated)`, or the error if it failed (then
/// `trip` may tell a limit, and `buf` holds what came before the error).
fn read_member(reader: &mut dyn Read, limits: &Limits, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.clear();
    let cap = limits.max_member.saturating_add(1);
    let read = reader.take(cap).read_to_end(buf);
    let max = usize::try_from(limits.max_member).unwrap_or(usize::MAX);
    let truncated = buf.len() > max;
    buf.truncate(max);
    read.map(|_| truncated)
}

/// A member whose reading failed. A limit's stop is reported and nothing of
/// it scanned; a broken stream or a bad checksum is reported, and what was
/// read before it is still handed on (a cut `.tgz` keeps its text).
fn member_failed(
    name: &str,
    error: &io::Error,
    trip: &TripCell,
    limits: &Limits,
    buf: &mut Vec<u8>,
    visit: &mut dyn FnMut(Event<'_>),
) {
    if trip.get().is_none() && !buf.is_empty() {
        visit(Event::Problem {
            name: Some(name),
            message: format!(
                "cannot read this member to its end ({error}); the {} bytes read before were scanned",
                buf.len()
            ),
        });
        visit(Event::Member {
            name,
            data: buf,
            truncated: false,
        });
        return;
    }
    buf.clear();
    report_stop(Some(name), error, trip, limits, "", visit);
}

/// Report why reading stopped at member `name` (or at the archive's
/// structure when `None`): a limit `trip` tells, or `error`.
fn report_stop(
    name: Option<&str>,
    error: &io::Error,
    trip: &TripCell,
    limits: &Limits,
    what: &str,
    visit: &mut dyn FnMut(Event<'_>),
) {
    let (name, message) = match trip.get() {
        Some(Trip::Ratio {
            decoded,
            compressed,
        }) => (name, bomb_message(decoded, compressed, limits, false)),
        Some(Trip::Total) => (None, total_message(limits)),
        None if name.is_some() => (name, format!("cannot read this member: {error}")),
        None => (None, format!("not a readable {what}: {error}")),
    };
    visit(Event::Problem { name, message });
}

/// A seekable reader over a slice that stops after reading `budget` bytes:
/// the work a zip's structure can ask for is bounded by its size.
struct Bounded<'a> {
    data: &'a [u8],
    pos: u64,
    read: u64,
    budget: u64,
    exceeded: &'a Cell<bool>,
}

impl Read for Bounded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let start = usize::try_from(self.pos)
            .unwrap_or(usize::MAX)
            .min(self.data.len());
        let n = buf.len().min(self.data.len() - start);
        if self.read + n as u64 > self.budget {
            self.exceeded.set(true);
            return Err(io::Error::other(OVERREAD));
        }
        buf[..n].copy_from_slice(&self.data[start..start + n]);
        self.pos += n as u64;
        self.read += n as u64;
        Ok(n)
    }
}

const OVERREAD: &str =
    "reading this zip takes more than four times its size (overlapping members?)";

impl Seek for Bounded<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = self.data.len() as u64;
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(t) => {
                self.pos = t;
                Ok(t)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the archive",
            )),
        }
    }
}

fn expand_zip(data: &[u8], limits: &Limits, budget: &Budget, visit: &mut dyn FnMut(Event<'_>)) {
    let exceeded = Cell::new(false);
    let reader = Bounded {
        data,
        pos: 0,
        read: 0,
        budget: (data.len() as u64)
            .saturating_mul(4)
            .saturating_add(1 << 20),
        exceeded: &exceeded,
    };
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        Err(e) => {
            visit(Event::Problem {
                name: None,
                message: format!("not a readable zip archive: {e}"),
            });
            return;
        }
    };
    let mut buf = Vec::new();
    for i in 0..zip.len() {
        if exceeded.get() {
            visit(Event::Problem {
                name: None,
                message: format!("{OVERREAD}; the rest was not scanned"),
            });
            return;
        }
        if !admit(limits, budget, visit) {
            return;
        }
        let name = shown_name(zip.name_for_index(i).unwrap_or("").as_bytes());
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                visit(Event::Problem {
                    name: Some(&name),
                    message: format!("cannot read this member: {e}"),
                });
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        let (declared, compressed) = (file.size(), file.compressed_size());
        if declared > limits.ratio_floor && declared > compressed.saturating_mul(limits.max_ratio) {
            visit(Event::Problem {
                name: Some(&name),
                message: bomb_message(declared, compressed, limits, true),
            });
            continue;
        }
        let trip = TripCell::new(None);
        let read = {
            let mut meter = Meter::new(&mut file, Some(compressed), limits, budget, &trip);
            read_member(&mut meter, limits, &mut buf)
        };
        drop(file);
        match read {
            Ok(truncated) => visit(Event::Member {
                name: &name,
                data: &mut buf,
                truncated,
            }),
            Err(e) => member_failed(&name, &e, &trip, limits, &mut buf, visit),
        }
        if budget.spent.get() {
            return;
        }
    }
}

/// Tar members from `input`. `metered`: member bytes count into the
/// budget here (a tar in memory); a tar streamed out of gzip is metered by
/// its decompressor instead, which leaves its stops in `trip`.
fn expand_tar(
    input: &mut dyn Read,
    metered: bool,
    limits: &Limits,
    budget: &Budget,
    visit: &mut dyn FnMut(Event<'_>),
    trip: &TripCell,
) {
    let mut archive = tar::Archive::new(input);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            report_stop(None, &e, trip, limits, "tar archive", visit);
            return;
        }
    };
    let mut buf = Vec::new();
    for entry in entries {
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => {
                report_stop(None, &e, trip, limits, "tar archive", visit);
                return;
            }
        };
        if !admit(limits, budget, visit) {
            return;
        }
        let name = shown_name(&entry.path_bytes());
        let kind = entry.header().entry_type();
        if !(kind.is_file() || kind.is_gnu_sparse() || kind == tar::EntryType::Continuous) {
            continue;
        }
        let read = if metered {
            let mut meter = Meter::new(&mut entry, None, limits, budget, trip);
            read_member(&mut meter, limits, &mut buf)
        } else {
            read_member(&mut entry, limits, &mut buf)
        };
        match read {
            Ok(truncated) => visit(Event::Member {
                name: &name,
                data: &mut buf,
                truncated,
            }),
            Err(e) => {
                // The stream underneath broke or hit a limit: the archive ends.
                member_failed(&name, &e, trip, limits, &mut buf, visit);
                return;
            }
        }
        if budget.spent.get() {
            return;
        }
    }
}

/// The member name of a bare gzip: its own name less `.gz` (`.tgz` → `.tar`),
/// else the name its header records.
fn gzip_member_name(outer: &str, header: Option<&[u8]>) -> String {
    let last = outer.rsplit(['/', '!']).next().unwrap_or(outer);
    let stripped = if let Some(s) = last.strip_suffix(".tgz") {
        Some(format!("{s}.tar"))
    } else {
        last.strip_suffix(".gz")
            .or_else(|| last.strip_suffix(".gzip"))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match (stripped, header) {
        (Some(s), _) => s,
        (None, Some(h)) if !h.is_empty() => shown_name(h),
        _ => "(gunzipped)".into(),
    }
}

fn expand_gzip(
    data: &[u8],
    outer: &str,
    limits: &Limits,
    budget: &Budget,
    visit: &mut dyn FnMut(Event<'_>),
) {
    let decoder = flate2::read::MultiGzDecoder::new(data);
    let header_name = decoder
        .header()
        .and_then(|h| h.filename())
        .map(<[u8]>::to_vec);
    let trip = TripCell::new(None);
    let mut meter = Meter::new(decoder, Some(data.len() as u64), limits, budget, &trip);
    // The first 512 bytes tell a tar inside.
    let mut head = Vec::with_capacity(512);
    if let Err(e) = (&mut meter).take(512).read_to_end(&mut head) {
        report_stop(None, &e, &trip, limits, "gzip stream", visit);
        return;
    }
    let tar_inside = is_tar(&head);
    let mut stream = io::Cursor::new(head).chain(&mut meter);
    if tar_inside {
        expand_tar(&mut stream, false, limits, budget, visit, &trip);
        return;
    }
    let name = gzip_member_name(outer, header_name.as_deref());
    if !admit(limits, budget, visit) {
        return;
    }
    let mut buf = Vec::new();
    match read_member(&mut stream, limits, &mut buf) {
        Ok(truncated) => visit(Event::Member {
            name: &name,
            data: &mut buf,
            truncated,
        }),
        Err(e) => member_failed(&name, &e, &trip, limits, &mut buf, visit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in members {
            w.start_file(*name, opts).expect("start member");
            w.write_all(data).expect("write member");
        }
        w.finish().expect("finish zip").into_inner()
    }

    fn tar_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in members {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *data).expect("append");
        }
        b.into_inner().expect("finish tar")
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).expect("compress");
        e.finish().expect("finish gzip")
    }

    /// (member, content) and problems ("member: message") of one expansion.
    fn run(data: &[u8], outer: &str, limits: &Limits) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
        let budget = Budget::default();
        let (mut members, mut problems) = (Vec::new(), Vec::new());
        let format = detect(data).expect("an archive");
        expand(data, format, outer, limits, &budget, &mut |e| match e {
            Event::Member { name, data, .. } => members.push((name.to_string(), data.clone())),
            Event::Problem { name, message } => {
                problems.push(format!("{}: {message}", name.unwrap_or("-")))
            }
        });
        (members, problems)
    }

    #[test]
    fn formats_are_told_by_magic_bytes() {
        assert_eq!(detect(&zip_of(&[("a", b"x")])), Some(Format::Zip));
        assert_eq!(detect(&zip_of(&[])), Some(Format::Zip));
        assert_eq!(detect(&tar_of(&[("a", b"x")])), Some(Format::Tar));
        assert_eq!(detect(&gzip(b"hello")), Some(Format::Gzip));
        assert_eq!(detect(b"PK is not enough"), None);
        assert_eq!(detect(&[0u8; 600]), None);
        assert_eq!(detect(b""), None);
    }

    #[test]
    fn zip_tar_and_gzip_members_come_out_with_their_names() {
        let l = Limits::default();
        let zip = zip_of(&[("config/prod.env", b"A=1\n"), ("b.txt", b"two")]);
        let (m, p) = run(&zip, "app.zip", &l);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(m[0], ("config/prod.env".to_string(), b"A=1\n".to_vec()));
        assert_eq!(m[1].0, "b.txt");

        let tgz = gzip(&tar_of(&[("etc/app.conf", b"k=v\n")]));
        let (m, p) = run(&tgz, "dist/app.tgz", &l);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(m, vec![("etc/app.conf".to_string(), b"k=v\n".to_vec())]);

        let (m, _) = run(&gzip(b"plain\n"), "logs/notes.txt.gz", &l);
        assert_eq!(m, vec![("notes.txt".to_string(), b"plain\n".to_vec())]);
        let (m, _) = run(&gzip(b"plain\n"), "x!blob", &l);
        assert_eq!(m[0].0, "(gunzipped)");
    }

    #[test]
    fn hostile_names_are_escaped_not_used() {
        let zip = zip_of(&[("../../etc/passwd\u{1b}[31m\n", b"x")]);
        let (m, _) = run(&zip, "a.zip", &Limits::default());
        assert_eq!(m[0].0, "../../etc/passwd\\x1b[31m\\n");
    }

    #[test]
    fn a_highly_compressible_member_is_a_bomb_and_not_read() {
        let zeros = vec![0u8; 4 << 20];
        let zip = zip_of(&[("big.bin", &zeros), ("ok.txt", b"fine")]);
        let (m, p) = run(&zip, "a.zip", &Limits::default());
        assert_eq!(m.len(), 1, "only ok.txt is read");
        assert!(p[0].starts_with("big.bin: declares 4194304 bytes"), "{p:?}");
        assert!(p[0].contains("zip bomb"), "{p:?}");
        // The same inside gzip, where only the stream tells.
        let (m, p) = run(&gzip(&zeros), "z.gz", &Limits::default());
        assert!(m.is_empty());
        assert!(p[0].contains("decompresses past"), "{p:?}");
    }

    #[test]
    fn a_bomb_that_understates_its_size_is_stopped_while_inflating() {
        let zeros = vec![0u8; 4 << 20];
        let mut zip = zip_of(&[("liar.bin", &zeros)]);
        // Declare 1000 bytes in the local and the central header.
        let central = memchr::memmem::find(&zip, b"PK\x01\x02").expect("central header");
        zip[22..26].copy_from_slice(&1000u32.to_le_bytes());
        zip[central + 24..central + 28].copy_from_slice(&1000u32.to_le_bytes());
        let (m, p) = run(&zip, "a.zip", &Limits::default());
        assert!(m.is_empty(), "not scanned");
        assert!(p[0].starts_with("liar.bin: decompresses past"), "{p:?}");
        assert!(p[0].contains("zip bomb"), "{p:?}");
    }

    #[test]
    fn members_past_the_limits_are_cut_counted_and_reported() {
        let mut l = Limits::new(4);
        let (m, p) = run(&zip_of(&[("a", b"123456789")]), "a.zip", &l);
        assert_eq!(m[0].1, b"1234");
        assert!(p.is_empty());
        l.max_members = 2;
        let many: Vec<(String, &[u8])> = (0..5).map(|i| (format!("m{i}"), &b"x"[..])).collect();
        let refs: Vec<(&str, &[u8])> = many.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        let (m, p) = run(&tar_of(&refs), "a.tar", &l);
        assert_eq!(m.len(), 2);
        assert!(p[0].contains("more than 2 archive members"), "{p:?}");
        let l = Limits {
            max_total: 10,
            ..Limits::default()
        };
        let (m, p) = run(
            &zip_of(&[("a", b"12345678"), ("b", b"12345678")]),
            "a.zip",
            &l,
        );
        assert_eq!(m.len(), 1);
        assert!(p[0].contains("more than 10 bytes decoded"), "{p:?}");
    }

    #[test]
    fn corrupt_and_truncated_archives_are_problems_not_panics() {
        let zip = zip_of(&[("a.txt", b"hello hello hello"), ("b.txt", b"x")]);
        for cut in [4, 30, zip.len() / 2, zip.len() - 1] {
            let (_, p) = run(&zip[..cut], "a.zip", &Limits::default());
            assert!(!p.is_empty(), "cut at {cut}");
        }
        let noise: Vec<u8> = (0..20_000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let tgz = gzip(&tar_of(&[("a", &noise), ("b", b"x")]));
        let (m, p) = run(&tgz[..tgz.len() / 2], "a.tgz", &Limits::default());
        assert!(
            p[0].starts_with("a: cannot read this member to its end"),
            "{p:?}"
        );
        // What came before the cut is still scanned.
        assert_eq!(m.len(), 1);
        assert!(!m[0].1.is_empty() && noise.starts_with(&m[0].1));
        let mut tar = tar_of(&[("a", b"x"), ("b", b"y")]);
        tar[512 + 512 + 10] ^= 0xFF; // the second header's name: bad checksum
        let (m, p) = run(&tar, "a.tar", &Limits::default());
        assert_eq!(m.len(), 1);
        assert!(p[0].contains("tar"), "{p:?}");
    }
}
