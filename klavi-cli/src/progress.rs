//! The progress line of `klavi validate --jsonl` on a terminal's standard error: payloads read,
//! how many invalid, the time taken and the rate, as whole numbers with thousands separators
//! (`1,200,000 payloads, 3 invalid, 2.4 s, 500,000 payloads/s`), redrawn at most five times a
//! second and erased at the end.

use std::io::Write;
use std::time::{Duration, Instant};

/// How often the line is redrawn at most.
const REDRAW_EVERY: Duration = Duration::from_millis(200);

/// A progress line drawn on a writer (standard error, a terminal).
pub struct Progress<W: Write> {
    out: W,
    started: Instant,
    drawn: Option<Instant>,
}

impl<W: Write> Progress<W> {
    /// A progress line on `out`, its clock started.
    pub fn new(out: W) -> Self {
        Progress {
            out,
            started: Instant::now(),
            drawn: None,
        }
    }

    /// Redraws the line for `lines` payloads read, `invalid` of them invalid, unless it was
    /// drawn less than 200 ms ago. A failure to write is ignored: the line is a courtesy.
    pub fn update(&mut self, lines: u64, invalid: u64) {
        self.update_at(lines, invalid, Instant::now());
    }

    /// [`Progress::update`] at the instant `now`.
    fn update_at(&mut self, lines: u64, invalid: u64, now: Instant) {
        if self
            .drawn
            .is_some_and(|drawn| now.duration_since(drawn) < REDRAW_EVERY)
        {
            return;
        }
        self.drawn = Some(now);
        let line = render(lines, invalid, now.duration_since(self.started));
        let _ = write!(self.out, "\r\x1b[2K{line}");
        let _ = self.out.flush();
    }

    /// Erases the line.
    pub fn finish(mut self) {
        if self.drawn.is_some() {
            let _ = write!(self.out, "\r\x1b[2K");
            let _ = self.out.flush();
        }
    }
}

/// The text of the line.
fn render(lines: u64, invalid: u64, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        // Saturating: a rate beyond u64 cannot happen, and `as` saturates anyway.
        (lines as f64 / seconds) as u64
    } else {
        0
    };
    format!(
        "{} payloads, {} invalid, {:.1} s, {} payloads/s",
        grouped(lines),
        grouped(invalid),
        seconds,
        grouped(rate)
    )
}

/// `n` with a comma every three digits (`1234567` → `1,234,567`).
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Progress, grouped, render};
    use std::time::Duration;

    #[test]
    fn numbers_are_whole_and_grouped() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(grouped(n), text);
        }
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(
            render(1_200_000, 3, Duration::from_millis(2400)),
            "1,200,000 payloads, 3 invalid, 2.4 s, 500,000 payloads/s"
        );
        assert_eq!(
            render(5, 0, Duration::ZERO),
            "5 payloads, 0 invalid, 0.0 s, 0 payloads/s"
        );
    }

    #[test]
    fn the_line_is_redrawn_at_most_every_200_ms_and_erased_at_the_end() {
        let mut out = Vec::new();
        let mut progress = Progress::new(&mut out);
        let start = progress.started;
        progress.update_at(1, 0, start + Duration::from_millis(1000));
        // Within 200 ms of the first: not drawn; then drawn again.
        progress.update_at(2, 0, start + Duration::from_millis(1199));
        progress.update_at(3, 1, start + Duration::from_millis(1200));
        progress.finish();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\r\x1b[2K1 payloads, 0 invalid, 1.0 s, 1 payloads/s\
             \r\x1b[2K3 payloads, 1 invalid, 1.2 s, 2 payloads/s\r\x1b[2K"
        );
        // Never drawn: nothing to erase.
        let mut out = Vec::new();
        Progress::new(&mut out).finish();
        assert!(out.is_empty());
    }
}
