//! The checking side of the JSON Lines engine: a chunk of whole lines is cut into pieces at
//! line breaks, the pieces are checked on every core (rayon), and what each found comes back
//! in input order: its lines, its payloads, and its invalid lines with their violations. A
//! valid line costs the compiled check alone: nothing is copied or allocated for it.

use klavi_types::registry::MessageInfo;
use rayon::prelude::*;

use super::{LineError, MAX_LINE_BYTES, check_line, too_long};

/// The smallest piece worth a task of its own (about fifty lines of a few hundred bytes).
const MIN_PIECE_BYTES: usize = 16 << 10;

/// How many pieces per thread a chunk is cut into, so that a piece of slow lines does not
/// leave the other cores idle. The cores wait for one another at the end of each chunk (a
/// chunk of 4 MiB is about 2 ms of checking on 2 cores), for at most about one piece: 3
/// million 299-byte lines took 0.55 to 0.59 s at a median 181% of 2 cores with 4 pieces a
/// thread, 0.53 to 0.57 s at a median 187% with 16 (32 made no further difference).
const PIECES_PER_THREAD: usize = 16;

/// An invalid line of a piece.
#[derive(Debug)]
pub(crate) struct Invalid {
    /// Its number within the piece (1-based, blank lines counted).
    pub line: u64,
    /// How many payloads (lines that are not blank) come before it in the piece.
    pub payloads_before: u64,
    /// Its violations, located, in document order.
    pub errors: Vec<LineError>,
}

/// What one piece of a chunk holds.
#[derive(Debug, Default)]
pub(crate) struct Piece {
    /// Its lines, blank ones included.
    pub lines: u64,
    /// Its payloads: the lines that are not blank.
    pub payloads: u64,
    /// Its invalid lines, in order.
    pub invalid: Vec<Invalid>,
}

/// Checks every line of `text` (whole lines: each ends with `\n` but perhaps the last) as
/// `message`, on every core; the pieces in input order.
pub(crate) fn check_chunk(text: &[u8], message: &MessageInfo) -> Vec<Piece> {
    let wanted = (text.len() / MIN_PIECE_BYTES)
        .clamp(1, rayon::current_num_threads().max(1) * PIECES_PER_THREAD);
    let mut bounds = Vec::with_capacity(wanted + 1);
    bounds.push(0);
    for k in 1..wanted {
        let last = bounds[bounds.len() - 1];
        let from = (text.len() * k / wanted).max(last);
        // Each piece ends after a line break.
        let cut = memchr::memchr(b'\n', &text[from..]).map_or(text.len(), |at| from + at + 1);
        if cut > last && cut < text.len() {
            bounds.push(cut);
        }
    }
    bounds.push(text.len());
    bounds
        .par_windows(2)
        .map(|range| check_piece(&text[range[0]..range[1]], message))
        .collect()
}

/// Checks the lines of one piece, in order.
fn check_piece(text: &[u8], message: &MessageInfo) -> Piece {
    let mut piece = Piece::default();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match memchr::memchr(b'\n', rest) {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        piece.lines += 1;
        // The line break is not part of the payload: `\r` before `\n` goes too.
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            continue;
        }
        let errors = if line.len() > MAX_LINE_BYTES {
            vec![too_long()]
        } else {
            check_line(message, line)
        };
        if !errors.is_empty() {
            piece.invalid.push(Invalid {
                line: piece.lines,
                payloads_before: piece.payloads,
                errors,
            });
        }
        piece.payloads += 1;
    }
    piece
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_end_at_line_breaks_and_cover_every_line() {
        let message = klavi_types::registry::message("get-consent-list.query").unwrap();
        let valid = "{\"personalTaxId\": \"28001238938\"}\n";
        let mut text = String::new();
        for i in 1..=5_000 {
            text.push_str(if i % 1_000 == 0 { "{}\n" } else { valid });
        }
        // One long line in the middle spans what would be several pieces.
        let middle = text.len() / 2 + text[text.len() / 2..].find('\n').unwrap() + 1;
        text.insert_str(middle, &format!("{}\n", " ".repeat(100_000)));
        let pieces = check_chunk(text.as_bytes(), message);
        assert!(pieces.len() > 1, "{} piece(s)", pieces.len());
        let lines: u64 = pieces.iter().map(|p| p.lines).sum();
        let payloads: u64 = pieces.iter().map(|p| p.payloads).sum();
        let invalid: usize = pieces.iter().map(|p| p.invalid.len()).sum();
        assert_eq!((lines, payloads, invalid), (5_001, 5_000, 5));
        for piece in &pieces {
            for invalid in &piece.invalid {
                assert!(invalid.line <= piece.lines && invalid.payloads_before < piece.payloads);
            }
        }
    }
}
