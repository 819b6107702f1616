//! The reading side of the JSON Lines engine. A thread of its own reads the input straight
//! into large buffers and hands them to the validator whole lines at a time, so that reading
//! overlaps validation and no line is copied on its way (only an unfinished line at a buffer's
//! end moves to the next buffer).
//!
//! * **Streaming**: after a read that left nothing more buffered (a short read: a pipe whose
//!   writer paused), the whole lines read so far are handed over as soon as the validator
//!   takes them, so a slow producer sees each result as soon as its line is complete; a file
//!   (whose reads fill the buffer) goes in buffers of [`CHUNK_BYTES`].
//! * **Bounded memory**: at most [`BUFFERS`] buffers of [`CHUNK_BYTES`] exist at once (one being
//!   validated, one filling, one for the unfinished line); a buffer grows only to hold one line
//!   up to the limit, and a line over the limit is never held: its bytes are read and dropped,
//!   and it is handed over as [`Chunk::TooLong`].

use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender};

/// How many bytes a buffer holds before it is handed over (a line longer than that grows it,
/// up to the limit).
pub const CHUNK_BYTES: usize = 4 << 20;

/// How many buffers exist at once, at most.
pub const BUFFERS: usize = 3;

/// What the reader hands the validator, in input order.
#[derive(Debug)]
pub(crate) enum Chunk {
    /// Whole lines, each ended by `\n` but the last line of the input, which may lack it.
    Lines(Buffer),
    /// One line longer than the limit (its line break not counted): read and dropped; `bytes`
    /// is how many bytes of input it took, its line break included.
    TooLong { bytes: u64 },
    /// The input could not be read.
    Failed(io::Error),
}

/// A buffer of input: its bytes are all initialized once, when it is made (so a read into it
/// zeroes nothing), and the first `filled` of them hold what was read.
#[derive(Debug)]
pub(crate) struct Buffer {
    bytes: Vec<u8>,
    filled: usize,
}

impl Buffer {
    fn new(size: usize) -> Self {
        Buffer {
            bytes: vec![0; size],
            filled: 0,
        }
    }

    /// What was read.
    pub(crate) fn data(&self) -> &[u8] {
        &self.bytes[..self.filled]
    }

    fn is_full(&self) -> bool {
        self.filled == self.bytes.len()
    }

    /// Where the last line break is.
    fn last_break(&self) -> Option<usize> {
        memchr::memrchr(b'\n', self.data())
    }

    /// Room for `size` bytes in all.
    fn grow(&mut self, size: usize) {
        self.bytes.resize(size, 0);
    }

    /// Reads what the input has (at most the room left, retrying when interrupted): how many
    /// bytes, and whether fewer than there was room for (nothing more was buffered).
    fn read_from(&mut self, input: &mut impl Read) -> io::Result<(usize, bool)> {
        let room = self.bytes.len() - self.filled;
        loop {
            match input.read(&mut self.bytes[self.filled..]) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
                Ok(read) => {
                    self.filled += read;
                    return Ok((read, read < room));
                }
            }
        }
    }

    /// Keeps the bytes from `start` on, moved to the front.
    fn keep_from(&mut self, start: usize) {
        self.bytes.copy_within(start..self.filled, 0);
        self.filled -= start;
    }

    /// Adds `more` after what was read, growing if need be.
    fn append(&mut self, more: &[u8]) {
        let end = self.filled + more.len();
        if end > self.bytes.len() {
            self.bytes.resize(end, 0);
        }
        self.bytes[self.filled..end].copy_from_slice(more);
        self.filled = end;
    }

    /// Empty again, and back to `size` if it grew for one long line.
    fn reset(&mut self, size: usize) {
        self.filled = 0;
        if self.bytes.len() > size {
            self.bytes.truncate(size);
            self.bytes.shrink_to_fit();
        }
    }
}

/// Buffers: the ones the validator gave back, and how many were made.
struct Pool {
    returned: Receiver<Buffer>,
    made: usize,
    /// The size of a buffer.
    size: usize,
}

impl Pool {
    /// An empty buffer: one given back, else a new one while fewer than [`BUFFERS`] exist,
    /// else the next one given back (`None` when the validator is gone).
    fn take(&mut self) -> Option<Buffer> {
        let mut buffer = match self.returned.try_recv() {
            Ok(buffer) => buffer,
            Err(_) if self.made < BUFFERS => {
                self.made += 1;
                return Some(Buffer::new(self.size));
            }
            Err(_) => self.returned.recv().ok()?,
        };
        buffer.reset(self.size);
        Some(buffer)
    }
}

/// Reads `input` to its end (or until the validator hangs up), sending its lines in
/// [`Chunk`]s from buffers of `size` bytes (at most `limit + 1`). `limit` is the longest line
/// held (its `\n` not counted; one more byte is held, for a `\r` before it); `returned`
/// brings buffers back for reuse.
pub(crate) fn feed(
    mut input: impl Read,
    chunks: &SyncSender<Chunk>,
    returned: Receiver<Buffer>,
    size: usize,
    limit: usize,
) {
    let mut pool = Pool {
        returned,
        made: 0,
        // A buffer holds at most one line over the limit's length: a longer line fills it
        // before its end, and is skipped.
        size: size.clamp(1, limit + 1),
    };
    let Some(mut buffer) = pool.take() else {
        return;
    };
    // The bytes of an over-long line read so far, while its end is looked for.
    let mut skipping: Option<u64> = None;
    loop {
        if let Some(skipped) = skipping {
            buffer.reset(pool.size);
            match buffer.read_from(&mut input) {
                Err(error) => {
                    let _ = chunks.send(Chunk::Failed(error));
                    return;
                }
                Ok((0, _)) => {
                    let _ = chunks.send(Chunk::TooLong { bytes: skipped });
                    return;
                }
                Ok((read, _)) => match memchr::memchr(b'\n', buffer.data()) {
                    None => skipping = Some(skipped + read as u64),
                    Some(end) => {
                        let bytes = skipped + end as u64 + 1;
                        if chunks.send(Chunk::TooLong { bytes }).is_err() {
                            return;
                        }
                        buffer.keep_from(end + 1);
                        skipping = None;
                    }
                },
            }
            continue;
        }
        if buffer.is_full() {
            // Full: hand over its whole lines; an unfinished line alone grows it, up to the
            // limit, past which it is skipped.
            if buffer.last_break().is_some() {
                match hand_over(buffer, chunks, &mut pool) {
                    Some(next) => buffer = next,
                    None => return,
                }
            } else if buffer.filled > limit + 1 {
                skipping = Some(buffer.filled as u64);
            } else {
                let size = buffer.bytes.len();
                buffer.grow((size * 2).min(limit + 1).max(size + 1));
            }
            continue;
        }
        match buffer.read_from(&mut input) {
            Err(error) => {
                // The whole lines read before the failure are checked first.
                if let Some(last) = buffer.last_break() {
                    buffer.filled = last + 1;
                    if chunks.send(Chunk::Lines(buffer)).is_err() {
                        return;
                    }
                }
                let _ = chunks.send(Chunk::Failed(error));
                return;
            }
            Ok((0, _)) => {
                // The end: the last line has no `\n`; over the limit, it is not handed over.
                let start = buffer.last_break().map_or(0, |at| at + 1);
                let last = buffer.filled - start;
                if last > limit + 1 {
                    buffer.filled = start;
                    if start > 0 && chunks.send(Chunk::Lines(buffer)).is_err() {
                        return;
                    }
                    let _ = chunks.send(Chunk::TooLong { bytes: last as u64 });
                } else if buffer.filled > 0 {
                    let _ = chunks.send(Chunk::Lines(buffer));
                }
                return;
            }
            Ok((_, short)) => {
                // Nothing more buffered: what is whole is checked now, not when more comes (a
                // slow producer may be waiting for these results before it writes again).
                if short && buffer.last_break().is_some() {
                    match hand_over(buffer, chunks, &mut pool) {
                        Some(next) => buffer = next,
                        None => return,
                    }
                }
            }
        }
    }
}

/// Hands `buffer`'s whole lines to the validator, waiting until it takes them, and returns a
/// new buffer holding the unfinished line; `None` when the validator is gone.
fn hand_over(mut buffer: Buffer, chunks: &SyncSender<Chunk>, pool: &mut Pool) -> Option<Buffer> {
    let end = buffer.last_break()? + 1;
    let mut next = pool.take()?;
    next.append(&buffer.data()[end..]);
    buffer.filled = end;
    chunks.send(Chunk::Lines(buffer)).ok().map(|()| next)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An input that gives at most `step` bytes a read, as a pipe does.
    struct Trickle<'a> {
        text: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.text.len().min(self.step).min(buf.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text = &self.text[n..];
            Ok(n)
        }
    }

    /// The chunks `feed` sends for `text`, read `step` bytes at a time into buffers of
    /// `capacity`, lines of at most `limit` bytes; each buffer is given back at once.
    fn chunks(text: &[u8], step: usize, capacity: usize, limit: usize) -> Vec<String> {
        let (sender, received) = mpsc::sync_channel(0);
        let (give_back, returned) = mpsc::channel();
        let text = text.to_vec();
        let reader = std::thread::spawn(move || {
            feed(
                Trickle { text: &text, step },
                &sender,
                returned,
                capacity,
                limit,
            );
        });
        let mut seen = Vec::new();
        for chunk in received {
            seen.push(match chunk {
                Chunk::Lines(buffer) => {
                    let shown = String::from_utf8(buffer.data().to_vec()).unwrap();
                    let _ = give_back.send(buffer);
                    shown
                }
                Chunk::TooLong { bytes } => format!("<too long: {bytes}>"),
                Chunk::Failed(error) => format!("<failed: {error}>"),
            });
        }
        reader.join().unwrap();
        seen
    }

    use std::sync::mpsc;

    #[test]
    fn every_byte_reaches_the_checker_once_in_whole_lines() {
        let text = b"ab\nabcdefgh\n\nlast";
        for step in [1, 2, 3, 5, 64] {
            for capacity in [4, 8, 64] {
                let seen = chunks(text, step, capacity, 4);
                let joined: String = seen.concat();
                assert_eq!(
                    joined, "ab\n<too long: 9>\nlast",
                    "step {step}, capacity {capacity}: {seen:?}"
                );
                // Every chunk of lines ends at a line break, but the input's last.
                for chunk in &seen[..seen.len() - 1] {
                    assert!(chunk.ends_with('\n') || chunk.starts_with('<'), "{seen:?}");
                }
            }
        }
    }

    #[test]
    fn the_limit_holds_one_byte_more_for_a_carriage_return() {
        // A 4-byte payload with `\r` is held; 5 bytes without `\r` too (the checker refuses
        // it); 6 bytes are skipped.
        let seen = chunks(b"abcd\r\nabcde\nabcdef\nab", 64, 4, 4).concat();
        assert_eq!(seen, "abcd\r\nabcde\n<too long: 7>ab");
        // At the end of the input, without a line break.
        assert_eq!(
            chunks(b"ab\nabcdef", 64, 64, 4).concat(),
            "ab\n<too long: 6>"
        );
        assert_eq!(chunks(b"abcde", 2, 2, 4).concat(), "abcde");
    }

    #[test]
    fn a_failed_read_is_handed_over_after_the_lines_before_it() {
        struct Fails(bool);
        impl Read for Fails {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if std::mem::replace(&mut self.0, true) {
                    return Err(io::Error::other("disk on fire"));
                }
                buf[..3].copy_from_slice(b"a\nb");
                Ok(3)
            }
        }
        let (sender, received) = mpsc::sync_channel(0);
        let (_give_back, returned) = mpsc::channel();
        std::thread::spawn(move || feed(Fails(false), &sender, returned, 16, 16));
        let seen: Vec<String> = received
            .into_iter()
            .map(|chunk| format!("{chunk:?}"))
            .collect();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen[1].contains("disk on fire"), "{seen:?}");
    }
}
