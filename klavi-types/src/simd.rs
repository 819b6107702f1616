//! Finding the next byte a reader must look at, 16 bytes at a time: the end of a JSON string's
//! plain run (a quote, a backslash, a control character or a byte that is not ASCII), that run
//! as text (`ascii_run`: ASCII, so UTF-8 without a second pass), the end of a run of whitespace,
//! the end of a URI's plain host or tail (the fast path of `format: uri`), and whether the
//! member name a checker expects next is where the reader stands.
//!
//! On x86_64 each step is one unaligned 16-byte load, a few SSE2 comparisons and a
//! `movemask`: SSE2 is part of the x86_64 baseline, so no runtime detection is needed and every
//! x86_64 processor takes this path (AVX2's 32 bytes would need runtime detection for strings
//! that are mostly under 32 bytes: not taken). Elsewhere the same answers come from portable
//! code (64-bit words for JSON, the reference byte by byte for URIs). Tests hold both to a
//! byte-by-byte reference at every length, offset and byte value.
//!
//! **This is the one module of the crate with `unsafe` code** (the crate denies it everywhere
//! else, and a test of the workspace keeps it so). There are three kinds of block, each with its
//! argument beside it:
//!
//! * calling the `#[target_feature(enable = "sse2")]` functions below: sound because SSE2 is
//!   always present on x86_64 (the compiler already assumes it for every function of this
//!   target; Rust only asks for `unsafe` because the attribute names a feature);
//! * `_mm_loadu_si128` on a `&[u8; 16]`: the reference guarantees 16 readable bytes, and
//!   `loadu` has no alignment requirement;
//! * `str::from_utf8_unchecked` on bytes that are all ASCII: in [`ascii_run`], the run
//!   [`string_stop`] found (it stops at every byte from 0x80 up), and in [`ascii_str`], bytes
//!   `is_ascii` has just checked.
//!
//! Miri, which would run these blocks under its checks, cannot be installed in this project's
//! sandbox (no network but the package registries); the property tests below run on every CI
//! build instead.

#![allow(unsafe_code)]

/// Whether `byte` ends a JSON string's plain run: `"`, `\\`, a control character below 0x20,
/// or a byte from 0x80 up (part of a multi-byte character, or not UTF-8 at all). So a plain
/// run is ASCII.
#[inline(always)]
const fn ends_plain_run(byte: u8) -> bool {
    matches!(byte, b'"' | b'\\' | 0..=0x1F | 0x80..=0xFF)
}

/// Whether `byte` is JSON whitespace: space, tab, line feed, carriage return.
#[inline(always)]
const fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// The offset of the first byte at or after `from` that ends a string's plain run (`"`, `\`,
/// a control character below 0x20, or a byte from 0x80 up), or `bytes.len()` when there is
/// none.
#[inline]
pub fn string_stop(bytes: &[u8], from: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is in the x86_64 baseline (see the module documentation).
        unsafe { sse2::string_stop(bytes, from) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::string_stop(bytes, from)
    }
}

/// The offset of the first byte at or after `from` that is not JSON whitespace (space, tab,
/// line feed, carriage return), or `bytes.len()` when there is none. The byte at `from` is
/// tested first on its own: between the tokens of compact JSON there is no whitespace at all.
#[inline]
pub fn whitespace_end(bytes: &[u8], from: usize) -> usize {
    if !bytes.get(from).copied().is_some_and(is_blank) {
        return from;
    }
    if !bytes.get(from + 1).copied().is_some_and(is_blank) {
        return from + 1;
    }
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is in the x86_64 baseline (see the module documentation).
        unsafe { sse2::whitespace_end(bytes, from + 2) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::whitespace_end(bytes, from + 2)
    }
}

/// What a plain URI may hold at a position: [`URI_TAIL`] or [`URI_HOST`].
pub type UriPart = bool;
/// A path, a query or a fragment: `pchar / "/" / "?"` of RFC 3986 without percent-encoding.
pub const URI_TAIL: UriPart = false;
/// A registered host name (`reg-name`) without percent-encoding: `unreserved / sub-delims`.
pub const URI_HOST: UriPart = true;

/// Whether `byte` may be part of a plain URI's `part` (`#` never is: it starts the fragment).
/// The reference of [`uri_stop`], and its answer on every target without SSE2.
#[inline]
pub const fn is_plain_uri_byte(byte: u8, part: UriPart) -> bool {
    let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
    let sub_delim = matches!(
        byte,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    );
    unreserved || sub_delim || (part == URI_TAIL && matches!(byte, b':' | b'@' | b'/' | b'?'))
}

/// The offset of the first byte at or after `from` that cannot be part of a plain URI's `part`
/// ([`is_plain_uri_byte`]), or `bytes.len()` when there is none.
#[inline]
pub fn uri_stop(bytes: &[u8], from: usize, part: UriPart) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is in the x86_64 baseline (see the module documentation).
        unsafe { sse2::uri_stop(bytes, from, part) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        portable::uri_stop(bytes, from, part)
    }
}

/// A member name a reader expects next, as JSON writes it plainly (`"name"`, quotes
/// included), padded to 32 bytes for a comparison in one or two 16-byte steps. Longer names,
/// and names JSON would have to escape, are [`Expected::NONE`]: never met this way (the reader
/// then reads the name).
#[derive(Clone, Copy, Debug)]
pub struct Expected {
    low: [u8; 16],
    high: [u8; 16],
    len: usize,
}

impl Expected {
    /// Nothing expected.
    pub const NONE: Expected = Expected {
        low: [0; 16],
        high: [0; 16],
        len: usize::MAX,
    };

    /// The name written `quoted` (its quotes included); [`Expected::NONE`] past 32 bytes, or
    /// when a byte between the quotes is one JSON would write escaped (`"`, `\\`, a control
    /// character) or not ASCII: such a name is never compared in place.
    pub const fn new(quoted: &[u8]) -> Self {
        if quoted.len() > 32 || quoted.len() < 2 {
            return Expected::NONE;
        }
        let mut i = 1;
        while i + 1 < quoted.len() {
            if ends_plain_run(quoted[i]) {
                return Expected::NONE;
            }
            i += 1;
        }
        let mut expected = Expected {
            low: [0; 16],
            high: [0; 16],
            len: quoted.len(),
        };
        let mut i = 0;
        while i < quoted.len() {
            if i < 16 {
                expected.low[i] = quoted[i];
            } else {
                expected.high[i - 16] = quoted[i];
            }
            i += 1;
        }
        expected
    }

    /// How many bytes it takes in the text.
    pub const fn width(&self) -> usize {
        self.len
    }

    /// The bytes, as far as they go.
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.low.iter().chain(&self.high).copied().take(self.len)
    }
}

/// Whether `bytes` at `at` begin with `expected`: one or two 16-byte comparisons on x86_64
/// when that many bytes follow, else byte by byte.
#[inline(always)]
pub fn starts_with(bytes: &[u8], at: usize, expected: &Expected) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is in the x86_64 baseline (see the module documentation).
        if let Some(found) = unsafe { sse2::starts_with(bytes, at, expected) } {
            return found;
        }
    }
    portable::starts_with(bytes, at, expected)
}

/// The plain run of a string's body from `from` (empty past the end), as text: it ends at
/// [`string_stop`], so every byte in it is ASCII. This is how the reader's strings become
/// `&str` without a UTF-8 pass of their own (the text is not checked as a whole either: the
/// grammar admits only ASCII outside strings, and a string that is not plain is checked by its
/// reader).
#[inline(always)]
pub fn ascii_run(bytes: &[u8], from: usize) -> &str {
    let stop = string_stop(bytes, from);
    let run = bytes.get(from..stop).unwrap_or_default();
    debug_assert!(run.is_ascii());
    // `string_stop` returns the first offset at or after `from` whose byte ends a plain run,
    // every byte from 0x80 up among those (`ends_plain_run`, to which this module's tests hold
    // its vector and portable forms at every byte value and position).
    // SAFETY: so every byte of `run` (up to that offset) is below 0x80: ASCII, thus UTF-8.
    unsafe { std::str::from_utf8_unchecked(run) }
}

/// `bytes` as text when every byte is ASCII (a number's literal, a member name recorded
/// earlier), checked a word at a time by `<[u8]>::is_ascii`; `None` otherwise.
#[inline(always)]
pub fn ascii_str(bytes: &[u8]) -> Option<&str> {
    if bytes.is_ascii() {
        // SAFETY: every byte is below 0x80 (just checked): ASCII, which is UTF-8.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        None
    }
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };

    use super::UriPart;

    #[inline]
    #[target_feature(enable = "sse2")]
    fn load(block: &[u8; 16]) -> __m128i {
        // SAFETY: `block` is 16 readable bytes, and `loadu` has no alignment requirement.
        unsafe { _mm_loadu_si128(block.as_ptr().cast()) }
    }

    /// The 16 bytes at `at` (there must be that many).
    #[inline(always)]
    fn block_at(bytes: &[u8], at: usize) -> Option<&[u8; 16]> {
        bytes
            .get(at..at + 16)
            .and_then(|chunk| chunk.try_into().ok())
    }

    /// The first offset at or after `from` whose bit `$mask` (an expression of the 16 bytes
    /// `$v`) sets, else `bytes.len()`. Whole blocks first; the last partial block is read as
    /// the text's last 16 bytes, its mask shifted past what was already seen (no copy to a
    /// padded buffer: a 16-byte load right after the copy's smaller stores stalled on store
    /// forwarding, a sixth of a URL check); a text shorter than 16 bytes is tested byte by
    /// byte with `$stop`.
    macro_rules! first {
        ($bytes:expr, $from:expr, |$v:ident| $mask:expr, |$b:ident| $stop:expr) => {{
            let bytes: &[u8] = $bytes;
            let from: usize = $from;
            let mask_of = |$v: __m128i| -> u32 { $mask };
            let mut at = from;
            loop {
                if let Some(block) = block_at(bytes, at) {
                    let mask = mask_of(load(block));
                    if mask != 0 {
                        break at + mask.trailing_zeros() as usize;
                    }
                    at += 16;
                } else if at >= bytes.len() {
                    break bytes.len().max(from);
                } else if let Some(last) = bytes.len().checked_sub(16) {
                    let block = block_at(bytes, last).unwrap_or(&[0; 16]);
                    let mask = mask_of(load(block)) >> (at - last);
                    break if mask != 0 {
                        at + mask.trailing_zeros() as usize
                    } else {
                        bytes.len()
                    };
                } else {
                    break (at..bytes.len())
                        .find(|&i| {
                            let $b = bytes[i];
                            $stop
                        })
                        .unwrap_or(bytes.len());
                }
            }
        }};
    }

    /// A bit per byte of `v` equal to `byte`.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn equal(v: __m128i, byte: u8) -> __m128i {
        _mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8))
    }

    /// A bit per byte of `v` in `low..=high` (both below 0x80; bytes from 0x80 up, negative as
    /// signed, are in no such range).
    #[inline]
    #[target_feature(enable = "sse2")]
    fn within(v: __m128i, low: u8, high: u8) -> __m128i {
        _mm_and_si128(
            _mm_cmpgt_epi8(v, _mm_set1_epi8(low as i8 - 1)),
            _mm_cmplt_epi8(v, _mm_set1_epi8(high as i8 + 1)),
        )
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn string_stop(bytes: &[u8], from: usize) -> usize {
        first!(
            bytes,
            from,
            |v| {
                // As signed bytes, those below 0x20 and those from 0x80 up (negative) are
                // exactly those less than 0x20.
                let other = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
                let stops = _mm_or_si128(_mm_or_si128(equal(v, b'"'), equal(v, b'\\')), other);
                _mm_movemask_epi8(stops) as u32
            },
            |b| super::ends_plain_run(b)
        )
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn uri_stop(bytes: &[u8], from: usize, host: UriPart) -> usize {
        first!(
            bytes,
            from,
            |v| {
                // The printable ASCII bytes, less those neither a tail nor a host may hold.
                let excluded = _mm_or_si128(
                    _mm_or_si128(
                        _mm_or_si128(within(v, b'"', b'#'), equal(v, b'%')),
                        _mm_or_si128(equal(v, b'<'), equal(v, b'>')),
                    ),
                    _mm_or_si128(
                        _mm_or_si128(within(v, b'[', b'^'), equal(v, b'`')),
                        within(v, b'{', b'}'),
                    ),
                );
                let excluded = if host {
                    _mm_or_si128(
                        excluded,
                        _mm_or_si128(
                            _mm_or_si128(equal(v, b':'), equal(v, b'@')),
                            _mm_or_si128(equal(v, b'/'), equal(v, b'?')),
                        ),
                    )
                } else {
                    excluded
                };
                let printable = _mm_movemask_epi8(within(v, b'!', b'~')) as u32;
                (_mm_movemask_epi8(excluded) as u32 | !printable) & 0xFFFF
            },
            |b| !super::is_plain_uri_byte(b, host)
        )
    }

    /// Whether `bytes` at `at` begin with `expected`, when 16 (or, for a name of more than 16
    /// bytes, 32) bytes follow `at`; `None` otherwise.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn starts_with(bytes: &[u8], at: usize, expected: &super::Expected) -> Option<bool> {
        let len = expected.width();
        let low = block_at(bytes, at)?;
        let mut equal = _mm_movemask_epi8(_mm_cmpeq_epi8(load(low), load(&expected.low))) as u32;
        if len > 16 {
            let high = block_at(bytes, at + 16)?;
            let high = _mm_movemask_epi8(_mm_cmpeq_epi8(load(high), load(&expected.high)));
            equal |= (high as u32) << 16;
        }
        // The bits of the bytes the name takes (a name longer than 32 bytes never matches).
        let wanted = u32::MAX
            .checked_shr(32u32.checked_sub(len as u32)?)
            .unwrap_or(0);
        Some(len <= 32 && equal & wanted == wanted)
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn whitespace_end(bytes: &[u8], from: usize) -> usize {
        first!(
            bytes,
            from,
            |v| {
                let blank = _mm_or_si128(
                    _mm_or_si128(equal(v, b' '), equal(v, b'\t')),
                    _mm_or_si128(equal(v, b'\n'), equal(v, b'\r')),
                );
                !(_mm_movemask_epi8(blank) as u32) & 0xFFFF
            },
            |b| !super::is_blank(b)
        )
    }
}

/// The portable answers (every target without SSE2): JSON's stops eight bytes a step, every
/// byte of interest setting its high bit in a mask and the lowest set (or, for whitespace,
/// clear) bit being the answer; URIs byte by byte. Compiled on every target, so that the tests
/// hold it to the reference on x86_64 too.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod portable {
    /// The 16 bytes at `at`, or, past the last full block, what is left padded with `pad` (a byte
    /// that stops the search, so the answer is then at most `bytes.len()`).
    #[inline(always)]
    fn block(bytes: &[u8], at: usize, pad: u8) -> [u8; 16] {
        match bytes.get(at..at + 16) {
            Some(chunk) => {
                let mut block = [0u8; 16];
                block.copy_from_slice(chunk);
                block
            }
            None => {
                let mut block = [pad; 16];
                let rest = bytes.get(at..).unwrap_or_default();
                block[..rest.len()].copy_from_slice(rest);
                block
            }
        }
    }

    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

    /// The high bit of every byte of `word` equal to `byte`, exactly (no carry crosses a byte:
    /// `(x & 0x7F) + 0x7F` is at most 0xFE).
    #[inline(always)]
    fn equal(word: u64, byte: u8) -> u64 {
        let x = word ^ (ONES * u64::from(byte));
        !(((x & LOWS) + LOWS) | x) & HIGHS
    }

    /// The high bit of every byte of `word` below 0x20 or from 0x80 up, exactly for the
    /// lowest one (a borrow only runs upwards, from a byte that is itself below 0x20).
    #[inline(always)]
    fn control_or_high(word: u64) -> u64 {
        (word.wrapping_sub(ONES * 0x20) | word) & HIGHS
    }

    #[inline(always)]
    fn word(block: &[u8; 16], half: usize) -> u64 {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&block[half * 8..half * 8 + 8]);
        u64::from_le_bytes(bytes)
    }

    pub(super) fn string_stop(bytes: &[u8], from: usize) -> usize {
        let mut at = from;
        while at < bytes.len() {
            let block = block(bytes, at, b'"');
            for half in 0..2 {
                let w = word(&block, half);
                let stops = equal(w, b'"') | equal(w, b'\\') | control_or_high(w);
                if stops != 0 {
                    let found = at + half * 8 + (stops.trailing_zeros() / 8) as usize;
                    return found.min(bytes.len());
                }
            }
            at += 16;
        }
        bytes.len().max(from)
    }

    pub(super) fn starts_with(bytes: &[u8], at: usize, expected: &super::Expected) -> bool {
        let len = expected.width();
        len <= 32
            && bytes.get(at..).is_some_and(|rest| {
                rest.len() >= len
                    && rest
                        .iter()
                        .copied()
                        .zip(expected.bytes())
                        .all(|(a, b)| a == b)
            })
    }

    pub(super) fn uri_stop(bytes: &[u8], from: usize, part: super::UriPart) -> usize {
        (from..bytes.len())
            .find(|&i| !super::is_plain_uri_byte(bytes[i], part))
            .unwrap_or(bytes.len().max(from))
    }

    pub(super) fn whitespace_end(bytes: &[u8], from: usize) -> usize {
        let mut at = from;
        while at < bytes.len() {
            let block = block(bytes, at, 0);
            for half in 0..2 {
                let w = word(&block, half);
                let blank = equal(w, b' ') | equal(w, b'\t') | equal(w, b'\n') | equal(w, b'\r');
                let other = !blank & HIGHS;
                if other != 0 {
                    let found = at + half * 8 + (other.trailing_zeros() / 8) as usize;
                    return found.min(bytes.len());
                }
            }
            at += 16;
        }
        bytes.len().max(from)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn reference_string_stop(bytes: &[u8], from: usize) -> usize {
        (from..bytes.len())
            .find(|&i| matches!(bytes[i], b'"' | b'\\' | 0..=0x1F | 0x80..=0xFF))
            .unwrap_or(bytes.len().max(from))
    }

    fn reference_whitespace_end(bytes: &[u8], from: usize) -> usize {
        (from..bytes.len())
            .find(|&i| !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(bytes.len().max(from))
    }

    /// Every byte value at every position of every length up to 40, from the offsets around it
    /// and the ends: the vector path, the portable path and the reference agree.
    #[test]
    fn every_byte_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for byte in 0..=255u8 {
                    let mut plain = vec![b'a'; len];
                    plain[at] = byte;
                    let mut blank = vec![b' '; len];
                    blank[at] = byte;
                    let mut froms = [0, 1, at.saturating_sub(1), at, at + 1, len];
                    froms.sort_unstable();
                    for from in froms.into_iter().filter(|&from| from <= len) {
                        let want = reference_string_stop(&plain, from);
                        assert_eq!(string_stop(&plain, from), want, "{len} {at} {byte} {from}");
                        assert_eq!(portable::string_stop(&plain, from), want);
                        let want = reference_whitespace_end(&blank, from);
                        assert_eq!(
                            whitespace_end(&blank, from),
                            want,
                            "{len} {at} {byte} {from}"
                        );
                        assert_eq!(portable::whitespace_end(&blank, from), want);
                    }
                }
            }
        }
    }

    /// Every byte value at every position of URIs of every length up to 40, in both parts:
    /// the vector path stops exactly where the reference does.
    #[test]
    fn uri_stops_at_every_byte_the_reference_refuses() {
        for part in [URI_TAIL, URI_HOST] {
            for len in 0..40 {
                for at in 0..len {
                    for byte in 0..=255u8 {
                        let mut uri = vec![b'a'; len];
                        uri[at] = byte;
                        for from in [0, at, at + 1, len] {
                            let want = (from..len)
                                .find(|&i| !is_plain_uri_byte(uri[i], part))
                                .unwrap_or(len.max(from));
                            assert_eq!(uri_stop(&uri, from, part), want, "{len} {at} {byte}");
                            assert_eq!(portable::uri_stop(&uri, from, part), want);
                        }
                    }
                }
            }
        }
        // The alphabets themselves, byte by byte (RFC 3986 `pchar`, `reg-name`).
        let tail: String = (0..=255u8)
            .filter(|&b| is_plain_uri_byte(b, URI_TAIL))
            .map(char::from)
            .collect();
        assert_eq!(
            tail,
            "!$&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
        );
        let host: String = (0..=255u8)
            .filter(|&b| is_plain_uri_byte(b, URI_HOST))
            .map(char::from)
            .collect();
        assert_eq!(
            host,
            "!$&'()*+,-.0123456789;=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
        );
    }

    /// `starts_with` answers as `<[u8]>::starts_with` for names of every length up to 33 bytes,
    /// at every offset of texts that hold them whole, cut, or with one byte changed (a name of
    /// fewer than 2 bytes, which cannot hold its quotes, or of more than 32, is never found).
    #[test]
    fn expected_names_are_found_exactly() {
        for len in 0..=33 {
            let name: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let expected = Expected::new(&name);
            for before in [0, 1, 15, 16, 17] {
                for after in [0, 1, 15, 16, 40] {
                    let mut text = vec![b' '; before];
                    text.extend_from_slice(&name);
                    text.extend(std::iter::repeat_n(b'x', after));
                    for change in 0..=text.len() {
                        let mut text = text.clone();
                        if let Some(byte) = text.get_mut(change) {
                            *byte ^= 0x01;
                        }
                        for at in 0..=text.len() + 1 {
                            let want = (2..=32).contains(&len)
                                && text.get(at..).is_some_and(|rest| rest.starts_with(&name));
                            assert_eq!(
                                starts_with(&text, at, &expected),
                                want,
                                "{len} {before} {after} {change} {at}"
                            );
                            assert_eq!(portable::starts_with(&text, at, &expected), want);
                        }
                    }
                }
            }
        }
        assert!(!starts_with(b"\"a\"", 0, &Expected::NONE));
        // A name JSON writes escaped, or not ASCII, is never expected in place.
        for name in [
            &b"\"a\"b\""[..],
            b"\"a\\b\"",
            b"\"a\nb\"",
            "\"é\"".as_bytes(),
            b"\"",
        ] {
            assert_eq!(Expected::new(name).width(), usize::MAX, "{name:?}");
        }
        assert_eq!(Expected::new(b"\"ab\"").width(), 4);
    }

    /// `ascii_run` is the bytes from `from` to the string's stop, as text, at every offset of
    /// texts with one-, two-, three- and four-byte characters, escapes, controls and bytes
    /// that are not UTF-8; `ascii_str` is the text exactly when every byte is ASCII.
    #[test]
    fn ascii_runs_and_strs_are_the_ascii_bytes() {
        let texts: [&[u8]; 4] = [
            "aé€😀b\"".as_bytes(),
            b"plain ascii text longer than sixteen bytes\\n\"",
            b"abc\xff\xfe def\x80",
            b"0123456789abcdef0123456789\x01x",
        ];
        for text in texts {
            for from in 0..=text.len() + 1 {
                let run = ascii_run(text, from);
                let stop = reference_string_stop(text, from);
                assert_eq!(
                    run.as_bytes(),
                    text.get(from..stop).unwrap_or_default(),
                    "{from}"
                );
                assert!(run.is_ascii());
                for end in from..=text.len() {
                    let bytes = &text[from..end];
                    let want = std::str::from_utf8(bytes).ok().filter(|s| s.is_ascii());
                    assert_eq!(ascii_str(bytes), want, "{from}..{end}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4_000))]

        /// Random bytes over the alphabet that matters, from random offsets.
        #[test]
        fn agrees_with_the_reference(
            bytes in prop::collection::vec(
                prop::sample::select(vec![b'a', b' ', b'\t', b'\n', b'\r', b'"', b'\\', 0, 0x1F, 0x20, 0x7F, 0x80, 0xFF]),
                0..200,
            ),
            from in 0usize..210,
        ) {
            prop_assert_eq!(string_stop(&bytes, from), reference_string_stop(&bytes, from));
            prop_assert_eq!(portable::string_stop(&bytes, from), reference_string_stop(&bytes, from));
            prop_assert_eq!(whitespace_end(&bytes, from), reference_whitespace_end(&bytes, from));
            prop_assert_eq!(portable::whitespace_end(&bytes, from), reference_whitespace_end(&bytes, from));
        }
    }
}
