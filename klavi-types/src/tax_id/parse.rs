//! Byte-level machinery shared by [`Cpf`](super::Cpf) and [`Cnpj`](super::Cnpj).
//!
//! * [`check_digits`]: the mod-11 check-digit routine of br-tax-ids.md §1.2 / §2.2 / §3.2. One
//!   routine covers the CPF, the numeric CNPJ and the alphanumeric CNPJ: the value of a
//!   character is its ASCII code minus 48 (`0`→0 … `9`→9, `A`→17 … `Z`→42), the weighted sum
//!   is reduced mod 11 and a remainder `r` gives the digit `0` if `r < 2`, else `11 − r`.
//! * [`scan`]: the strict single-pass parser (§4.2) driven by a per-kind [`Spec`]. Valid
//!   input takes the [`fast_path`]; only what it does not accept goes through the
//!   byte-by-byte parse that finds the first error.
//! * [`render`]: the allocation-free writer behind the masked and unmasked `Display`s.
//! * [`StrVisitor`]: the serde visitor that accepts JSON strings only.
//!
//! Everything here works on bytes and ASCII ranges (`b'0'..=b'9'`, `b'A'..=b'Z'`), never on
//! Unicode classification, never indexes without a bounds check and never allocates.

use core::fmt;
use core::marker::PhantomData;
use core::ops::Range;

use super::fast_path::{self, FastPath};
use super::{TaxIdError, TaxIdErrorReason, TaxIdKind};

/// What one position of a spelling (bare or masked) accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// `0-9` only (every CPF position, the two CNPJ check digits).
    Digit,
    /// `0-9` or `A-Z` (the 12 base positions of a CNPJ).
    Alnum,
    /// Exactly this separator byte (`.`, `/` or `-`).
    Sep(u8),
}

/// The regular expression of the spellings `spec` accepts, `^(BARE|MASKED)$`: their shape
/// only (the check digits and reserved numbers are beyond a pattern). Built from the same
/// slots the scanner reads, so it cannot drift from [`scan`].
pub(crate) fn input_pattern(spec: &Spec) -> String {
    let spelling = |slots: &[Slot]| {
        let mut out = String::new();
        let mut i = 0;
        while i < slots.len() {
            let run = slots[i..]
                .iter()
                .take_while(|slot| **slot == slots[i])
                .count();
            match slots[i] {
                Slot::Digit => out.push_str("[0-9]"),
                Slot::Alnum => out.push_str("[0-9A-Z]"),
                Slot::Sep(b'.') => out.push_str("\\."),
                Slot::Sep(byte) => out.push(char::from(byte)),
            }
            if run > 1 {
                out.push_str(&format!("{{{run}}}"));
            }
            i += run;
        }
        out
    };
    format!("^({}|{})$", spelling(spec.bare), spelling(spec.masked))
}

/// Everything that distinguishes a CPF from a CNPJ for [`scan`], [`check_digits`] and
/// [`render`].
#[derive(Debug)]
pub(crate) struct Spec {
    /// Which identifier this is (used for errors).
    pub(crate) kind: TaxIdKind,
    /// The bare spelling, one slot per character.
    pub(crate) bare: &'static [Slot],
    /// The full canonical mask, one slot per character.
    pub(crate) masked: &'static [Slot],
    /// The separators of the mask (`.` and `-` for a CPF; `.`, `/` and `-` for a CNPJ).
    pub(crate) separators: &'static [u8],
    /// Whether upper-case letters may appear at all (in [`Slot::Alnum`] positions).
    pub(crate) letters: bool,
    /// Weights of the base characters for the first check digit.
    pub(crate) w1: &'static [u8],
    /// Weights of the base characters for the second check digit. The first check digit
    /// always weighs 2 in the second sum, for both CPF and CNPJ, and is added separately.
    pub(crate) w2: &'static [u8],
    /// The range of canonical (bare) indices left visible by the masked (LGPD) rendering.
    pub(crate) visible: Range<usize>,
    /// The same templates and weights, planned for the fast path.
    pub(crate) fast: FastPath,
}

/// Value of a validated base character: ASCII code minus 48 (`0`→0, `A`→17, `Z`→42).
///
/// Callers only pass bytes in `0-9A-Z`; `wrapping_sub` merely guarantees no overflow panic.
const fn value(c: u8) -> u32 {
    c.wrapping_sub(b'0') as u32
}

/// `Σ value(c)·w` over the common prefix of `chars` and `weights`.
fn weighted_sum(chars: &[u8], weights: &[u8]) -> u32 {
    chars
        .iter()
        .zip(weights)
        .map(|(&c, &w)| value(c) * u32::from(w))
        .sum()
}

/// The official reduction: remainder `r = sum mod 11`; digit `0` if `r < 2`, else `11 − r`.
///
/// Note that `r = 0` and `r = 1` both give `0`: this collapse is why the scheme does *not*
/// catch every single substitution or adjacent transposition (see the crate's tests).
const fn reduce(sum: u32) -> u8 {
    let r = sum % 11;
    if r < 2 { 0 } else { (11 - r) as u8 }
}

/// Computes the two check digits (as ASCII `b'0'..=b'9'`) of `base` (ASCII `0-9A-Z`).
///
/// `w1` weighs the base for the first digit; `w2` weighs the base for the second digit, to
/// which the first digit is added with weight 2.
pub(crate) fn check_digits(base: &[u8], w1: &[u8], w2: &[u8]) -> [u8; 2] {
    let d1 = reduce(weighted_sum(base, w1));
    let d2 = reduce(weighted_sum(base, w2) + 2 * u32::from(d1));
    [b'0' + d1, b'0' + d2]
}

/// The canonical bytes as `&str`. They are ASCII by construction; the fallback `""` is
/// unreachable and only avoids a panic path.
pub(crate) fn ascii_str(bytes: &[u8]) -> &str {
    core::str::from_utf8(bytes).unwrap_or_default()
}

/// The class of one input byte, independent of its position.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Digit,
    Upper,
    Lower,
    Separator,
    Other,
}

fn classify(spec: &Spec, b: u8) -> Class {
    match b {
        b'0'..=b'9' => Class::Digit,
        b'A'..=b'Z' => Class::Upper,
        b'a'..=b'z' => Class::Lower,
        _ if spec.separators.contains(&b) => Class::Separator,
        _ => Class::Other,
    }
}

/// Strict parse of `s` into the canonical `N` bytes (br-tax-ids.md §4.2).
///
/// One pass over the bytes; the first offending position wins:
///
/// 1. The spelling is chosen by the byte length: bare, masked, or, for any other length, the
///    masked template if the input contains a separator (a partial or garbled mask) and the
///    bare template otherwise.
/// 2. Per byte, the class comes first: a byte that can never occur in this kind (anything but
///    `0-9`, the kind's separators and, for a CNPJ, `A-Z`) is [`Character`]; a lower-case
///    ASCII letter is [`LowerCase`] for a CNPJ and [`Character`] for a CPF.
/// 3. Then the place: a separator where a character belongs, or anything but the expected
///    separator where one belongs, is [`Mask`]; a letter in a check-digit position is
///    [`Character`].
/// 4. A wrong length with no earlier error is [`Length`]; then the reserved numbers
///    ([`Reserved`]), then the check digits ([`CheckDigit`]).
///
/// Positions are 0-based byte offsets; since every byte before the reported one is valid
/// ASCII, they are also character indices.
///
/// [`Character`]: TaxIdErrorReason::Character
/// [`LowerCase`]: TaxIdErrorReason::LowerCase
/// [`Mask`]: TaxIdErrorReason::Mask
/// [`Length`]: TaxIdErrorReason::Length
/// [`Reserved`]: TaxIdErrorReason::Reserved
/// [`CheckDigit`]: TaxIdErrorReason::CheckDigit
///
/// `wrap` turns the canonical bytes into the caller's type, so that both paths build the
/// result in place (a `.map` on the way out would copy it through the stack).
#[inline]
pub(crate) fn scan<const N: usize, T>(
    spec: &Spec,
    s: &str,
    wrap: impl FnOnce([u8; N]) -> T,
) -> Result<T, TaxIdError> {
    match fast_path::accept::<N>(spec, s.as_bytes()) {
        Some(canonical) => Ok(wrap(canonical)),
        None => scan_slowly(spec, s, wrap),
    }
}

/// Whether [`scan`] accepts `s`, without building the canonical bytes on the fast path. `wrap`
/// is the same as [`scan`]'s, so that both share one copy of the slow path.
#[inline]
pub(crate) fn is_valid<const N: usize, T>(
    spec: &Spec,
    s: &str,
    wrap: impl FnOnce([u8; N]) -> T,
) -> bool {
    fast_path::accepts::<N>(spec, s.as_bytes()) || scan_slowly(spec, s, wrap).is_ok()
}

/// [`scan`]'s verdict without its value: the fast path's acceptance, else the strict parse's
/// precise error (run once, where [`is_valid`] then [`scan`] ran it twice for a bad id).
#[inline]
pub(crate) fn check<const N: usize, T>(
    spec: &Spec,
    s: &str,
    wrap: impl FnOnce([u8; N]) -> T,
) -> Result<(), TaxIdError> {
    if fast_path::accepts::<N>(spec, s.as_bytes()) {
        Ok(())
    } else {
        scan_slowly(spec, s, wrap).map(drop)
    }
}

/// The full strict parse with a precise error; see [`scan`].
#[cold]
#[inline(never)]
fn scan_slowly<const N: usize, T>(
    spec: &Spec,
    s: &str,
    wrap: impl FnOnce([u8; N]) -> T,
) -> Result<T, TaxIdError> {
    let kind = spec.kind;
    let at = |reason, i| Err(TaxIdError::new(kind, reason, Some(i)));
    let bytes = s.as_bytes();
    let (template, exact) = if bytes.len() == spec.bare.len() {
        (spec.bare, true)
    } else if bytes.len() == spec.masked.len() && bytes.iter().any(|b| spec.separators.contains(b))
    {
        // The masked length without any separator (14 digits given as a CPF) is a length
        // problem, not a mask one.
        (spec.masked, true)
    } else if bytes.iter().any(|b| spec.separators.contains(b)) {
        (spec.masked, false)
    } else {
        (spec.bare, false)
    };

    let mut out = [0u8; N];
    let mut k = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let class = classify(spec, b);
        match class {
            Class::Other => return at(TaxIdErrorReason::Character, i),
            Class::Lower if spec.letters => return at(TaxIdErrorReason::LowerCase, i),
            Class::Lower => return at(TaxIdErrorReason::Character, i),
            Class::Upper if !spec.letters => return at(TaxIdErrorReason::Character, i),
            Class::Digit | Class::Upper | Class::Separator => {}
        }
        // Beyond the template (wrong length only): keep checking classes, then report Length.
        let Some(&slot) = template.get(i) else {
            continue;
        };
        match (slot, class) {
            (Slot::Sep(expected), _) if b != expected => return at(TaxIdErrorReason::Mask, i),
            (Slot::Sep(_), _) => {}
            (_, Class::Separator) => return at(TaxIdErrorReason::Mask, i),
            // Check digits are numeric; only meaningful when the spelling is certain.
            (Slot::Digit, Class::Upper) if exact => {
                return at(TaxIdErrorReason::Character, i);
            }
            _ => {
                if let Some(o) = out.get_mut(k) {
                    *o = b;
                }
                k += 1;
            }
        }
    }
    if !exact || k != N {
        return Err(TaxIdError::new(kind, TaxIdErrorReason::Length, None));
    }
    if is_reserved(kind, &out) {
        return Err(TaxIdError::new(kind, TaxIdErrorReason::Reserved, None));
    }
    match out.split_last_chunk::<2>() {
        Some((base, given)) if check_digits(base, spec.w1, spec.w2) == *given => Ok(wrap(out)),
        _ => Err(TaxIdError::new(kind, TaxIdErrorReason::CheckDigit, None)),
    }
}

/// Reserved values: the ten all-equal CPFs and the all-zero CNPJ (§1.3, §2.3).
pub(crate) fn is_reserved(kind: TaxIdKind, canonical: &[u8]) -> bool {
    match kind {
        TaxIdKind::Cpf => canonical.windows(2).all(|w| w.first() == w.last()),
        TaxIdKind::Cnpj => canonical.iter().all(|&b| b == b'0'),
    }
}

/// Builds the canonical bytes from a base (`N - 2` characters), or `None` if a base byte is
/// outside the kind's alphabet or the result is reserved.
pub(crate) fn from_base<const N: usize>(spec: &Spec, base: &[u8]) -> Option<[u8; N]> {
    let base_ok = base.len() + 2 == N
        && base.iter().all(|&b| match b {
            b'0'..=b'9' => true,
            b'A'..=b'Z' => spec.letters,
            _ => false,
        });
    if !base_ok {
        return None;
    }
    let digits = check_digits(base, spec.w1, spec.w2);
    let mut out = [0u8; N];
    for (o, &b) in out.iter_mut().zip(base.iter().chain(digits.iter())) {
        *o = b;
    }
    (!is_reserved(spec.kind, &out)).then_some(out)
}

/// Writes `canonical` through the kind's full mask, replacing every character outside
/// `spec.visible` by `*` when `masked` is set. Honours width, fill and alignment (`f.pad`).
pub(crate) fn render(
    spec: &Spec,
    canonical: &[u8],
    masked: bool,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    let mut buf = [0u8; 18];
    let mut chars = canonical.iter().enumerate();
    for (o, slot) in buf.iter_mut().zip(spec.masked) {
        *o = match *slot {
            Slot::Sep(sep) => sep,
            Slot::Digit | Slot::Alnum => match chars.next() {
                Some((i, _)) if masked && !spec.visible.contains(&i) => b'*',
                Some((_, &c)) => c,
                None => b'?',
            },
        };
    }
    let len = spec.masked.len().min(buf.len());
    let text = buf
        .get(..len)
        .and_then(|b| core::str::from_utf8(b).ok())
        .ok_or(fmt::Error)?;
    f.pad(text)
}

/// A serde visitor that accepts strings only (`visit_str`, `visit_borrowed_str`,
/// `visit_string`) and parses them with `parse`; every other JSON type gets serde's
/// `invalid_type` error. Parse errors carry the [`TaxIdError`] message, never the input.
pub(crate) struct StrVisitor<T> {
    /// What `expecting` prints, e.g. "a CPF string".
    pub(crate) expecting: &'static str,
    /// The strict parser.
    pub(crate) parse: fn(&str) -> Result<T, TaxIdError>,
    /// Ties the visitor to its output type.
    pub(crate) marker: PhantomData<fn() -> T>,
}

impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(|error| {
            E::custom(crate::validation::coded::encode(
                error.code(),
                "",
                &error.to_string(),
            ))
        })
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        self.visit_str(v)
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
        self.visit_str(&v)
    }
}

/// Implements the traits that [`Cpf`](super::Cpf) and [`Cnpj`](super::Cnpj) share: masked
/// `Debug`/`Display`, `AsRef<str>`, `FromStr`, `TryFrom<&str | String | &String>`, serde and
/// `JsonSchema`.
macro_rules! tax_id_common_impls {
    ($ty:ident, $spec:expr, $name:literal, $format:literal, $expecting:literal, $description:literal) => {
        impl ::core::fmt::Display for $ty {
            /// Masked (LGPD): only the middle characters are shown. Use `formatted()` for the
            /// full value.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                $crate::tax_id::parse::render(&$spec, &self.0, true, f)
            }
        }

        impl ::core::fmt::Debug for $ty {
            /// Masked (LGPD), e.g. `Cpf("***.456.789-**")`.
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(concat!($name, "(\""))?;
                ::core::fmt::Display::fmt(self, f)?;
                f.write_str("\")")
            }
        }

        impl ::core::convert::AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::core::str::FromStr for $ty {
            type Err = $crate::tax_id::TaxIdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl ::core::convert::TryFrom<&str> for $ty {
            type Error = $crate::tax_id::TaxIdError;

            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl ::core::convert::TryFrom<String> for $ty {
            type Error = $crate::tax_id::TaxIdError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl ::core::convert::TryFrom<&String> for $ty {
            type Error = $crate::tax_id::TaxIdError;

            fn try_from(s: &String) -> Result<Self, Self::Error> {
                Self::parse(s)
            }
        }

        impl ::serde::Serialize for $ty {
            /// The canonical bare form.
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            /// A string in one of the two strict spellings; any other JSON type is a type error.
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::tax_id::parse::StrVisitor {
                    expecting: $expecting,
                    parse: Self::parse,
                    marker: ::core::marker::PhantomData,
                })
            }
        }

        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $ty {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                $name.into()
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                concat!(module_path!(), "::", $name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({
                    "type": "string",
                    "format": $format,
                    "description": $description,
                })
            }
        }
    };
}

pub(crate) use tax_id_common_impls;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::scan_slowly;
    use crate::tax_id::fast_path::accept;
    use crate::tax_id::{Cnpj, Cpf, cnpj, cpf};

    /// Valid spellings of each kind: CPF, numeric CNPJ, alphanumeric CNPJ, bare and masked.
    const VALID: [&str; 6] = [
        "28001238938",
        "280.012.389-38",
        "11222333000181",
        "11.222.333/0001-81",
        "12ABC34501DE35",
        "12.ABC.345/01DE-35",
    ];

    /// Spellings near the valid ones (and two reserved ones): every character the parsers treat specially, at the
    /// lengths that matter (bare, masked, one off), plus valid ids with one byte changed.
    fn near_tax_ids() -> impl Strategy<Value = String> {
        let alphabet: Vec<char> = "0123456789ABZaz./- ".chars().collect();
        let random = prop::collection::vec(prop::sample::select(alphabet.clone()), 10..=19)
            .prop_map(|chars| chars.into_iter().collect::<String>());
        let mut ids = VALID.to_vec();
        ids.extend(["00000000000000", "111.111.111-11"]);
        let valid = prop::sample::select(ids);
        let mutated = (
            valid,
            any::<prop::sample::Index>(),
            prop::sample::select(alphabet),
        )
            .prop_map(|(id, at, c)| {
                let mut chars: Vec<char> = id.chars().collect();
                let i = at.index(chars.len());
                chars[i] = c;
                chars.into_iter().collect()
            });
        let cpfs = valid_ids::<9>(b"0123456789", |base, masked| {
            Cpf::from_base(base).map(|id| spell(masked, id.as_str(), id.formatted()))
        });
        let cnpjs = valid_ids::<12>(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", |base, masked| {
            Cnpj::from_base(base).map(|id| spell(masked, id.as_str(), id.formatted()))
        });
        prop_oneof![random, mutated, cpfs, cnpjs]
    }

    /// Valid ids from random bases over `alphabet`, spelled bare or masked by `build`
    /// (`None` for a reserved value).
    fn valid_ids<const B: usize>(
        alphabet: &[u8],
        build: fn(&[u8; B], bool) -> Option<String>,
    ) -> impl Strategy<Value = String> {
        let base = prop::collection::vec(prop::sample::select(alphabet.to_vec()), B);
        (base, any::<bool>()).prop_filter_map("reserved", move |(base, masked)| {
            build(&base.try_into().ok()?, masked)
        })
    }

    /// The masked or the bare spelling.
    fn spell(masked: bool, bare: &str, formatted: impl std::fmt::Display) -> String {
        if masked {
            formatted.to_string()
        } else {
            bare.to_owned()
        }
    }

    /// Every valid spelling with any one byte replaced by any ASCII byte, at every position:
    /// the fast path and the full parser agree on each (11,392 strings, both kinds).
    #[test]
    fn the_fast_path_agrees_on_every_single_substitution() {
        for id in VALID {
            for at in 0..id.len() {
                for byte in 0..=127u8 {
                    let mut bytes = id.as_bytes().to_vec();
                    bytes[at] = byte;
                    let s = String::from_utf8(bytes).expect("ASCII");
                    let full = scan_slowly::<11, _>(&cpf::SPEC, &s, |c| c).ok();
                    assert_eq!(accept::<11>(&cpf::SPEC, s.as_bytes()), full, "CPF {s:?}");
                    let full = scan_slowly::<14, _>(&cnpj::SPEC, &s, |c| c).ok();
                    assert_eq!(accept::<14>(&cnpj::SPEC, s.as_bytes()), full, "CNPJ {s:?}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// The fast path accepts exactly what the full parser accepts, with the same bytes, and
        /// `is_valid` (which skips building the bytes) gives the same verdict as `parse`.
        #[test]
        fn the_fast_path_agrees_with_the_full_parser(s in near_tax_ids()) {
            prop_assert_eq!(Cpf::is_valid(&s), Cpf::parse(&s).is_ok(), "CPF {:?}", s);
            prop_assert_eq!(Cnpj::is_valid(&s), Cnpj::parse(&s).is_ok(), "CNPJ {:?}", s);
            // `check` (the compiled check's one call) gives `parse`'s verdict and error.
            prop_assert_eq!(Cpf::check(&s), Cpf::parse(&s).map(drop), "CPF {:?}", s);
            prop_assert_eq!(Cnpj::check(&s), Cnpj::parse(&s).map(drop), "CNPJ {:?}", s);
            // Its message, borrowed or not, is the error's `Display`.
            for error in [Cpf::check(&s).err(), Cnpj::check(&s).err()].into_iter().flatten() {
                prop_assert_eq!(error.message(), error.to_string());
            }
            let fast = accept::<11>(&cpf::SPEC, s.as_bytes());
            let full = scan_slowly::<11, _>(&cpf::SPEC, &s, |c| c).ok();
            prop_assert_eq!(fast, full, "CPF {:?}", s);
            let fast = accept::<14>(&cnpj::SPEC, s.as_bytes());
            let full = scan_slowly::<14, _>(&cnpj::SPEC, &s, |c| c).ok();
            prop_assert_eq!(fast, full, "CNPJ {:?}", s);
        }
    }
}
