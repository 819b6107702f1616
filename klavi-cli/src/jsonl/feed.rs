//! The reading side of the JSON Lines engine. A thread of its own reads the input and gathers
//! what it reads in a shared buffer; the checker, whenever it is idle, takes every whole line
//! gathered so far ([`Feed::next`]), so reading overlaps checking, a fast input makes large
//! chunks and a slow one is checked line by line as it comes. Nothing waits on the other but
//! for the buffer to be taken ([`CHUNK_BYTES`] gathered) or for something to take.
//!
//! * **Streaming**: the checker never waits for a read: a slow producer that waits for its
//!   results before it writes again gets them as soon as its lines are whole.
//! * **Bounded memory**: the reader stops reading while [`CHUNK_BYTES`] wait to be taken; a
//!   line over the limit is dropped as soon as its unfinished part passes it (it is then
//!   [`Chunk::TooLong`]), and a line whose end comes in the read that passes the limit is held
//!   at most one read ([`READ_BYTES`]) longer, for the checker to refuse. Buffers the checker is
//!   done with are used again.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// How many bytes wait to be taken, at most, before the reader stops reading.
pub const CHUNK_BYTES: usize = 4 << 20;

/// How many bytes one read asks for.
pub const READ_BYTES: usize = 256 << 10;

/// What the checker takes, in input order.
#[derive(Debug)]
pub(crate) enum Chunk {
    /// Whole lines, each ended by `\n` but the last line of the input, which may lack it.
    Lines(Vec<u8>),
    /// One line longer than the limit (its line break not counted), dropped: `bytes` is how
    /// many bytes of input it took, its line break included.
    TooLong { bytes: u64 },
    /// The input could not be read (after the lines read before).
    Failed(io::Error),
}

/// What the reader and the checker share.
#[derive(Debug, Default)]
struct State {
    /// Chunks closed, in order (lines before a dropped line, the dropped line, a failure).
    queue: VecDeque<Chunk>,
    /// The bytes of the lines in `queue`.
    queued: usize,
    /// The lines being gathered, the last perhaps unfinished.
    open: Vec<u8>,
    /// Where the unfinished line of `open` starts (`open[..unfinished]` are whole lines), kept
    /// as bytes come, so that no one scans `open` for it.
    unfinished: usize,
    /// Buffers the checker is done with.
    free: Vec<Vec<u8>>,
    /// The reader is done: `queue` and `open` hold the rest.
    ended: bool,
    /// The checker stopped (a write failed): the reader stops too.
    gone: bool,
}

impl State {
    /// Closes the lines `open[..end]` into a chunk of their own; what follows stays open.
    fn close(&mut self, end: usize) {
        if end == 0 {
            return;
        }
        let mut next = self.free.pop().unwrap_or_default();
        next.extend_from_slice(&self.open[end..]);
        let mut lines = std::mem::replace(&mut self.open, next);
        lines.truncate(end);
        self.unfinished = self.unfinished.saturating_sub(end);
        self.queued += end;
        self.queue.push_back(Chunk::Lines(lines));
    }

    /// Adds bytes read to the open lines.
    fn append(&mut self, bytes: &[u8]) {
        if let Some(at) = memchr::memrchr(b'\n', bytes) {
            self.unfinished = self.open.len() + at + 1;
        }
        self.open.extend_from_slice(bytes);
    }

    /// Closes the whole lines and drops the unfinished one: how long it was.
    fn drop_unfinished(&mut self) -> usize {
        let dropped = self.open.len() - self.unfinished;
        self.close(self.unfinished);
        self.open.clear();
        self.unfinished = 0;
        dropped
    }
}

/// The buffer shared by the reader and the checker.
#[derive(Debug)]
pub(crate) struct Feed {
    state: Mutex<State>,
    changed: Condvar,
    /// The bytes waiting to be taken at which the reader stops.
    size: usize,
    /// The longest line held (its `\n` not counted; one more byte is held, for a `\r`).
    limit: usize,
}

impl Feed {
    /// A feed of chunks of about `size` bytes, of lines of at most `limit` bytes.
    pub(crate) fn new(size: usize, limit: usize) -> Self {
        Feed {
            state: Mutex::default(),
            changed: Condvar::new(),
            size: size.max(1),
            limit,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads `input` to its end (or until the checker is gone), `read_bytes` at a time.
    pub(crate) fn read_all(&self, mut input: impl Read, read_bytes: usize) {
        let mut staging = vec![0; read_bytes.max(1)];
        // The bytes of a line over the limit read so far, while its end is looked for.
        let mut skipping: Option<u64> = None;
        loop {
            let read = match read_retrying(&mut input, &mut staging) {
                Ok(read) => read,
                Err(error) => return self.end(Some(error), skipping),
            };
            if read == 0 {
                return self.end(None, skipping);
            }
            let mut bytes = &staging[..read];
            if let Some(skipped) = skipping {
                match memchr::memchr(b'\n', bytes) {
                    None => {
                        skipping = Some(skipped + read as u64);
                        continue;
                    }
                    Some(at) => {
                        let mut state = self.lock();
                        state.queue.push_back(Chunk::TooLong {
                            bytes: skipped + at as u64 + 1,
                        });
                        bytes = &bytes[at + 1..];
                        skipping = None;
                    }
                }
            }
            let mut state = self.lock();
            state.append(bytes);
            if state.open.len() - state.unfinished > self.limit + 1 {
                skipping = Some(state.drop_unfinished() as u64);
            }
            self.changed.notify_all();
            // Enough waits to be taken: read on when the checker has taken it.
            while !state.gone
                && state.queued + state.open.len() >= self.size
                && (!state.queue.is_empty() || state.unfinished > 0)
            {
                state = self
                    .changed
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            if state.gone {
                return;
            }
        }
    }

    /// The end of the input (or a failure to read it): what is gathered is closed, the last
    /// line (without its `\n`) dropped when over the limit, or lost with a failure.
    fn end(&self, error: Option<io::Error>, skipping: Option<u64>) {
        let mut state = self.lock();
        let unfinished = state.open.len() - state.unfinished;
        match (error, skipping) {
            (Some(error), _) => {
                state.drop_unfinished();
                state.queue.push_back(Chunk::Failed(error));
            }
            (None, Some(skipped)) => state.queue.push_back(Chunk::TooLong { bytes: skipped }),
            (None, None) if unfinished > self.limit + 1 => {
                let bytes = state.drop_unfinished() as u64;
                state.queue.push_back(Chunk::TooLong { bytes });
            }
            (None, None) => {
                let all = state.open.len();
                state.close(all);
            }
        }
        state.ended = true;
        self.changed.notify_all();
    }

    /// The next chunk, waiting for one; `None` at the end of the input.
    pub(crate) fn next(&self) -> Option<Chunk> {
        let mut state = self.lock();
        loop {
            if let Some(chunk) = state.queue.pop_front() {
                if let Chunk::Lines(lines) = &chunk {
                    state.queued -= lines.len();
                }
                self.changed.notify_all();
                return Some(chunk);
            }
            if state.unfinished > 0 {
                let whole = state.unfinished;
                state.close(whole);
                continue;
            }
            if state.ended {
                return None;
            }
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Gives a buffer back for the next lines.
    pub(crate) fn give_back(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        buffer.shrink_to(self.size);
        let mut state = self.lock();
        if state.free.len() < 2 {
            state.free.push(buffer);
        }
    }

    /// The checker stops: so does the reader, at its next read.
    pub(crate) fn hang_up(&self) {
        self.lock().gone = true;
        self.changed.notify_all();
    }
}

/// Reads into `buffer`, retrying when interrupted.
fn read_retrying(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buffer) {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    /// An input that gives at most `step` bytes a read, as a pipe does.
    struct Trickle {
        text: Vec<u8>,
        step: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.text.len().min(self.step).min(buf.len());
            buf[..n].copy_from_slice(&self.text[..n]);
            self.text.drain(..n);
            Ok(n)
        }
    }

    /// The chunks of `input`, read `read_bytes` at a time, gathered up to `size`, lines of at
    /// most `limit` bytes; each buffer is given back at once.
    fn chunks(
        input: impl Read + Send + 'static,
        read_bytes: usize,
        size: usize,
        limit: usize,
    ) -> Vec<String> {
        let feed = Arc::new(Feed::new(size, limit));
        let reader = Arc::clone(&feed);
        let thread = std::thread::spawn(move || reader.read_all(input, read_bytes));
        let mut seen = Vec::new();
        while let Some(chunk) = feed.next() {
            seen.push(match chunk {
                Chunk::Lines(lines) => {
                    let shown = String::from_utf8(lines.clone()).unwrap();
                    feed.give_back(lines);
                    shown
                }
                Chunk::TooLong { bytes } => format!("<too long: {bytes}>"),
                Chunk::Failed(error) => format!("<failed: {error}>"),
            });
        }
        thread.join().unwrap();
        seen
    }

    fn trickle(text: &[u8], step: usize) -> Trickle {
        Trickle {
            text: text.to_vec(),
            step,
        }
    }

    #[test]
    fn every_byte_reaches_the_checker_once_in_whole_lines() {
        let text = b"ab\nabcdefgh\n\nlast";
        for step in [1, 2, 3, 5] {
            for size in [1, 4, 64] {
                let seen = chunks(trickle(text, step), 64, size, 4);
                assert_eq!(
                    seen.concat(),
                    "ab\n<too long: 9>\nlast",
                    "step {step}, size {size}: {seen:?}"
                );
                // Every chunk of lines ends at a line break, but the input's last.
                for chunk in &seen[..seen.len() - 1] {
                    assert!(chunk.ends_with('\n') || chunk.starts_with('<'), "{seen:?}");
                }
            }
        }
        // A line whose end comes in the read that passes the limit is held, for the checker.
        assert_eq!(
            chunks(trickle(text, 64), 64, 64, 4).concat(),
            "ab\nabcdefgh\n\nlast"
        );
    }

    #[test]
    fn the_limit_holds_one_byte_more_for_a_carriage_return() {
        // A 4-byte payload with `\r` is held; 5 bytes without `\r` too (the checker refuses
        // it); 6 bytes are dropped.
        let seen = chunks(trickle(b"abcd\r\nabcde\nabcdef\nab", 1), 64, 4, 4).concat();
        assert_eq!(seen, "abcd\r\nabcde\n<too long: 7>ab");
        // At the end of the input, without a line break.
        assert_eq!(
            chunks(trickle(b"ab\nabcdef", 64), 64, 64, 4).concat(),
            "ab\n<too long: 6>"
        );
        assert_eq!(chunks(trickle(b"abcde", 2), 64, 2, 4).concat(), "abcde");
    }

    #[test]
    fn a_failed_read_comes_after_the_lines_before_it() {
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
        let seen = chunks(Fails(false), 16, 16, 16);
        assert_eq!(seen, ["a\n", "<failed: disk on fire>"]);
    }

    #[test]
    fn the_checker_gets_whole_lines_while_the_input_stays_open() {
        // A producer that waits for the first result before it writes again.
        let (writer, reader) = std::os::unix::net::UnixStream::pair().unwrap();
        let feed = Arc::new(Feed::new(1 << 20, 100));
        let reading = Arc::clone(&feed);
        std::thread::spawn(move || reading.read_all(reader, 1 << 16));
        let mut writer = writer;
        std::io::Write::write_all(&mut writer, b"one\ntw").unwrap();
        match feed.next() {
            Some(Chunk::Lines(lines)) => assert_eq!(lines, b"one\n"),
            other => panic!("{other:?}"),
        }
        std::io::Write::write_all(&mut writer, b"o\n").unwrap();
        match feed.next() {
            Some(Chunk::Lines(lines)) => assert_eq!(lines, b"two\n"),
            other => panic!("{other:?}"),
        }
        drop(writer);
        assert!(feed.next().is_none());
    }
}
