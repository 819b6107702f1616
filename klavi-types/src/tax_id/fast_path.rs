//! The fast path of tax-id parsing: accepts a valid, exactly bare or exactly masked spelling in
//! a few dozen branch-free instructions, and says nothing about anything else (the strict
//! parser in [`parse`](super::parse) then finds the error).
//!
//! Everything here is planned at compile time from a kind's [`Spec`] templates and weights:
//!
//! 1. **Gather.** The input is read as two or three overlapping little-endian `u64` words
//!    straight from the string (no copy into a buffer, so no store-to-load stall), and each
//!    run of characters is shifted into its place among 16 lanes, one per canonical
//!    character, padded with `0`. The separators of a masked spelling are checked with one
//!    mask-and-compare per word. A bare spelling is the template without separators.
//! 2. **Lanes.** The alphabet of every position, the reserved values and both weighted sums
//!    are computed lane by lane with no branch, which the compiler turns into a handful of
//!    SIMD instructions (16 lanes are one SSE2 or NEON register).
//!
//! The second sum includes the *given* first check digit (weight 2) rather than the computed
//! one: if the given digit is wrong the input is rejected anyway, and the two sums no longer
//! depend on each other. A proptest in [`parse`](super::parse) holds this path to the strict
//! parser: same verdict, same canonical bytes.

use super::TaxIdKind;
use super::parse::{Slot, Spec};

/// One lane per canonical character (at most 16: a CNPJ has 14).
const LANES: usize = 16;

/// The most `u64` words a template is read as (three cover 24 bytes; a masked CNPJ has 18).
const MAX_WORDS: usize = 3;

/// Moves some bytes of one input word into one half (lanes 0–7 or 8–15) of the lanes.
#[derive(Clone, Copy, Debug)]
struct Move {
    /// Which input word.
    word: usize,
    /// Whether the bytes land in lanes 8–15.
    high: bool,
    /// Bits to shift the word right, then …
    right: u32,
    /// … bits to shift it left (one of the two is zero).
    left: u32,
    /// The lanes of the half that this move fills.
    mask: u64,
}

/// How to read one spelling (bare or masked) into lanes: planned by [`Gather::plan`].
#[derive(Debug)]
struct Gather {
    /// The byte length of the spelling.
    len: usize,
    /// Byte offsets of the words read (overlapping where the length is not a multiple of 8).
    offsets: [usize; MAX_WORDS],
    /// How many of `offsets` are used.
    words: usize,
    /// Per word, the mask of its separator bytes and the separators expected there.
    separators: [(u64, u64); MAX_WORDS],
    /// The moves, grouped by word, half and shift.
    moves: [Move; LANES],
    /// How many of `moves` are used.
    count: usize,
}

/// The first word (by index) whose 8 bytes contain byte `at`.
const fn word_of(offsets: &[usize; MAX_WORDS], words: usize, at: usize) -> usize {
    let mut w = 0;
    while w + 1 < words && !(offsets[w] <= at && at < offsets[w] + 8) {
        w += 1;
    }
    w
}

impl Gather {
    /// Plans the reading of `template` (8 to 24 slots, at most 16 of them characters).
    /// Evaluated at compile time: an impossible template fails the build.
    const fn plan(template: &[Slot]) -> Self {
        let len = template.len();
        assert!(
            len >= 8 && len <= 8 * MAX_WORDS,
            "template length out of range"
        );
        let mut offsets = [0; MAX_WORDS];
        let mut words = 0;
        while words * 8 < len {
            let offset = words * 8;
            offsets[words] = if offset + 8 <= len { offset } else { len - 8 };
            words += 1;
        }
        let mut separators = [(0, 0); MAX_WORDS];
        let mut moves = [Move {
            word: 0,
            high: false,
            right: 0,
            left: 0,
            mask: 0,
        }; LANES];
        let mut count = 0;
        let mut lane = 0;
        let mut at = 0;
        while at < len {
            let word = word_of(&offsets, words, at);
            let byte = at - offsets[word];
            if let Slot::Sep(separator) = template[at] {
                let (mask, expected) = separators[word];
                separators[word] = (
                    mask | 0xFF << (8 * byte),
                    expected | (separator as u64) << (8 * byte),
                );
            } else {
                assert!(lane < LANES, "more characters than lanes");
                let target = lane % 8;
                let (right, left) = if byte >= target {
                    (8 * (byte - target) as u32, 0)
                } else {
                    (0, 8 * (target - byte) as u32)
                };
                let high = lane >= 8;
                let mut m = 0;
                while m < count
                    && !(moves[m].word == word
                        && moves[m].high == high
                        && moves[m].right == right
                        && moves[m].left == left)
                {
                    m += 1;
                }
                if m == count {
                    moves[m] = Move {
                        word,
                        high,
                        right,
                        left,
                        mask: 0,
                    };
                    count += 1;
                }
                moves[m].mask |= 0xFF << (8 * target);
                lane += 1;
            }
            at += 1;
        }
        Self {
            len,
            offsets,
            words,
            separators,
            moves,
            count,
        }
    }

    /// The characters of `bytes` (of length `self.len`) in lanes over `padding`, as two
    /// little-endian words (lanes 0–7, lanes 8–15), and whether a separator is missing or
    /// wrong.
    #[inline(always)]
    fn run(&self, bytes: &[u8], padding: [u64; 2]) -> Option<([u64; 2], bool)> {
        let mut words = [0u64; MAX_WORDS];
        for (word, &offset) in words.iter_mut().zip(&self.offsets).take(self.words) {
            *word = u64::from_le_bytes(*bytes.get(offset..)?.first_chunk::<8>()?);
        }
        let mut misplaced = false;
        for (&word, &(mask, expected)) in words.iter().zip(&self.separators) {
            misplaced |= word & mask != expected;
        }
        let [mut low, mut high] = padding;
        for m in self.moves.iter().take(self.count) {
            let moved = (words.get(m.word).copied().unwrap_or(0) >> m.right) << m.left;
            let half = if m.high { &mut high } else { &mut low };
            *half |= moved & m.mask;
        }
        Some(([low, high], misplaced))
    }
}

/// A kind's fast path: how to read its two spellings, and its weights and alphabet per lane.
#[derive(Debug)]
pub(crate) struct FastPath {
    /// Reads the bare spelling.
    bare: Gather,
    /// Reads the masked spelling.
    masked: Gather,
    /// `0` in every lane past the last character.
    padding: [u64; 2],
    /// Weight of each lane in the first check digit's sum; 0 for the check digits and padding.
    w1: [u8; LANES],
    /// Weight of each lane in the second check digit's sum, including the given first check
    /// digit (weight 2).
    w2: [u8; LANES],
    /// Whether an upper-case letter may stand in the lane.
    letters: [bool; LANES],
    /// Whether the lane holds a character, not padding.
    used: [bool; LANES],
}

impl FastPath {
    /// Plans the fast path of a kind from its bare and masked templates and the weights of its
    /// base (`w1` for the first check digit, `w2` for the second, without the first digit).
    /// Evaluated at compile time.
    pub(crate) const fn plan(bare: &[Slot], masked: &[Slot], w1: &[u8], w2: &[u8]) -> Self {
        let n = bare.len();
        assert!(n >= 3 && n <= LANES, "identifier length out of range");
        let mut fast = Self {
            bare: Gather::plan(bare),
            masked: Gather::plan(masked),
            padding: [0; 2],
            w1: [0; LANES],
            w2: [0; LANES],
            letters: [false; LANES],
            used: [false; LANES],
        };
        let mut lane = 0;
        while lane < LANES {
            if lane < n {
                fast.used[lane] = true;
                fast.letters[lane] = matches!(bare[lane], Slot::Alnum);
                if lane < w1.len() {
                    fast.w1[lane] = w1[lane];
                }
                if lane < w2.len() {
                    fast.w2[lane] = w2[lane];
                }
                if lane + 2 == n {
                    fast.w2[lane] = 2;
                }
            } else {
                fast.padding[lane / 8] |= (b'0' as u64) << (8 * (lane % 8));
            }
            lane += 1;
        }
        fast
    }
}

/// The reduction of br-tax-ids.md: remainder `r = sum mod 11`; digit `0` if `r < 2`, else
/// `11 − r`; as ASCII.
const fn check_digit(sum: u16) -> u8 {
    let r = sum % 11;
    if r < 2 { b'0' } else { b'0' + (11 - r) as u8 }
}

/// The canonical bytes of an exactly bare or exactly masked, valid, unreserved spelling, or
/// `None` for anything else. Accepts a subset of what the strict parser accepts, and nothing
/// it rejects. Inline it with a constant [`Spec`] so that the plan folds into the code.
#[inline(always)]
pub(crate) fn accept<const N: usize>(spec: &Spec, bytes: &[u8]) -> Option<[u8; N]> {
    let [low, high] = checked_halves::<N>(spec, bytes)?;
    // Written as two overlapping 8-byte words (bytes 0–7 and N−8 … N−1), the way a 14- or
    // 11-byte value is copied, so that reading it back forwards from the stores instead of
    // stalling on bytes assembled from several writes.
    let tail_at = N.checked_sub(8)?;
    let tail = low.checked_shr(8 * tail_at as u32).unwrap_or(0)
        | high.checked_shl(8 * (16 - N) as u32).unwrap_or(0);
    let mut out = [0u8; N];
    out.first_chunk_mut::<8>()?
        .copy_from_slice(&low.to_le_bytes());
    out.last_chunk_mut::<8>()?
        .copy_from_slice(&tail.to_le_bytes());
    Some(out)
}

/// Whether the fast path accepts `bytes`; see [`accept`].
#[inline(always)]
pub(crate) fn accepts<const N: usize>(spec: &Spec, bytes: &[u8]) -> bool {
    checked_halves::<N>(spec, bytes).is_some()
}

/// The lanes of an accepted spelling as two little-endian words (lanes 0–7, lanes 8–15), or
/// `None`.
#[inline(always)]
fn checked_halves<const N: usize>(spec: &Spec, bytes: &[u8]) -> Option<[u64; 2]> {
    let fast = &spec.fast;
    let (halves, misplaced) = if bytes.len() == fast.bare.len {
        fast.bare.run(bytes, fast.padding)?
    } else if bytes.len() == fast.masked.len {
        fast.masked.run(bytes, fast.padding)?
    } else {
        return None;
    };
    let [low, high] = halves;
    let lanes = (u128::from(high) << 64 | u128::from(low)).to_le_bytes();
    let [first, ..] = lanes;
    let mut wrong = misplaced;
    let mut all_equal = true;
    let mut sum1: u16 = 0;
    let mut sum2: u16 = 0;
    let per_lane = fast
        .letters
        .iter()
        .zip(&fast.used)
        .zip(fast.w1.iter().zip(&fast.w2));
    for (&b, ((&letter, &used), (&w1, &w2))) in lanes.iter().zip(per_lane) {
        let value = b.wrapping_sub(b'0');
        let digit = value < 10;
        let upper = b.wrapping_sub(b'A') < 26;
        wrong |= !(digit | (upper & letter));
        all_equal &= (b == first) | !used;
        // Wrapping only with a wrong byte, which is rejected whatever the sums.
        sum1 = sum1.wrapping_add(u16::from(value) * u16::from(w1));
        sum2 = sum2.wrapping_add(u16::from(value) * u16::from(w2));
    }
    // The reserved values are all-equal: every all-equal CPF, the all-zero CNPJ.
    let reserved = all_equal
        && match spec.kind {
            TaxIdKind::Cpf => true,
            TaxIdKind::Cnpj => first == b'0',
        };
    let given = lanes.get(N.checked_sub(2)?..N)?;
    let ok = !wrong & !reserved & (*given == [check_digit(sum1), check_digit(sum2)]);
    ok.then_some(halves)
}
