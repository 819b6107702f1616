//! Tests for `klavi_types::webhook_signature`: known answers computed independently (Python's
//! `hmac` module), round trips, tampering, malformed signatures, the timestamp tolerance,
//! privacy of the error messages, and property tests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use klavi_types::secret::Secret;
use klavi_types::webhook_signature::{
    DEFAULT_TOLERANCE, SIGNATURE_HEADER, SignatureError, TIMESTAMP_HEADER, Verifier, headers_for,
    sign, verify,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers and vectors
// ---------------------------------------------------------------------------------------------

/// Known answers, each computed with
/// `python3 -c 'import hmac,hashlib;print(hmac.new(KEY, BODY, hashlib.sha256).hexdigest())'`.
const VECTORS: &[(&str, &[u8], &str)] = &[
    // The classic example (Wikipedia, "HMAC").
    (
        "key",
        b"The quick brown fox jumps over the lazy dog",
        "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    ),
    // Empty body.
    (
        "key",
        b"",
        "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0",
    ),
    // A 96-byte key, longer than SHA-256's 64-byte block (hashed first).
    (
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        b"hello",
        "63a1a32241bd374b2928a572230326db740282ffd23967ed491bbfa580a259c9",
    ),
    // A compact webhook body.
    (
        "partner-secret-key",
        br#"[{"eventId":"1"}]"#,
        "76de86c3a91da378e80f990b7f782832fe46bb51ef57db26b4c8d7f23cd577ce",
    ),
    // UTF-8 key and body, trailing newline included.
    (
        "chave-secreta-ção",
        "{\"nome\":\"João\"}\n".as_bytes(),
        "3eebb3b12a8a73bf1816c854a6206757e71d358006debaf70fb3b5095efd91bc",
    ),
];

const SECRET: &str = "partner-secret-key";

/// A `link_created` delivery as in klavi-api.md §19.1, compact as `JSON.stringify` writes it.
const BODY: &[u8] = br#"[{"partnerAppId":"12345678","eventId":"1495468585434-0e73d1719173766fe4dfe1a8","eventType":"api","eventName":"link_created","eventTime":"2022-06-25T20:08:17.848Z","payload":{"personalTaxId":"25872252137","businessTaxId":"","linkId":"ed812-81fcec-7ec55-7aa7d29-2a3188b75"},"externalInfo":{"myTraceId":"yourTraceId-1","myUUID":"yourUUID-1"}}]"#;

/// The example timestamp of klavi-api.md §19.
const SENT: u64 = 1_740_716_924;

fn secret() -> Secret {
    Secret::new(SECRET)
}

fn at(seconds: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(seconds)
}

fn all_errors() -> [SignatureError; 5] {
    [
        SignatureError::Malformed,
        SignatureError::Mismatch,
        SignatureError::MissingTimestamp,
        SignatureError::InvalidTimestamp,
        SignatureError::StaleTimestamp,
    ]
}

// ---------------------------------------------------------------------------------------------
// Known answers and round trips
// ---------------------------------------------------------------------------------------------

#[test]
fn sign_matches_known_answers() {
    for &(key, body, expected) in VECTORS {
        assert_eq!(sign(&Secret::new(key), body), expected, "key {key:?}");
    }
}

#[test]
fn verify_accepts_known_answers() {
    for &(key, body, expected) in VECTORS {
        assert_eq!(
            verify(&Secret::new(key), body, expected),
            Ok(()),
            "key {key:?}"
        );
    }
}

#[test]
fn sign_is_lower_case_hex_of_32_bytes() {
    let signature = sign(&secret(), BODY);
    assert_eq!(signature.len(), 64);
    assert!(
        signature
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
}

#[test]
fn sign_then_verify_round_trips() {
    let signature = sign(&secret(), BODY);
    assert_eq!(verify(&secret(), BODY, &signature), Ok(()));
    let verifier = Verifier::new(secret()).with_tolerance(DEFAULT_TOLERANCE);
    assert_eq!(
        verifier.verify(BODY, &signature, Some(&SENT.to_string()), at(SENT)),
        Ok(())
    );
}

#[test]
fn headers_for_gives_both_headers() {
    let now = at(SENT) + Duration::from_millis(999);
    let headers = headers_for(&secret(), BODY, now);
    assert_eq!(
        headers,
        [
            (SIGNATURE_HEADER, sign(&secret(), BODY)),
            (TIMESTAMP_HEADER, SENT.to_string()),
        ]
    );
    assert_eq!(SIGNATURE_HEADER, "X-Klavi-Signature");
    assert_eq!(TIMESTAMP_HEADER, "X-Klavi-Timestamp");
    let verifier = Verifier::new(secret()).with_tolerance(Duration::ZERO);
    assert_eq!(
        verifier.verify(BODY, &headers[0].1, Some(&headers[1].1), now),
        Ok(())
    );
    // Before 1970 the timestamp is 0.
    let headers = headers_for(&secret(), BODY, UNIX_EPOCH - Duration::from_secs(5));
    assert_eq!(headers[1].1, "0");
}

// ---------------------------------------------------------------------------------------------
// Tampering
// ---------------------------------------------------------------------------------------------

#[test]
fn one_changed_byte_is_rejected() {
    let signature = sign(&secret(), BODY);
    let mut body = BODY.to_vec();
    // "25872252137" -> "25872252138"
    let at = BODY
        .windows(11)
        .position(|w| w == b"25872252137")
        .expect("the tax id is in the body")
        + 10;
    body[at] = b'8';
    assert_eq!(
        verify(&secret(), &body, &signature),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn one_appended_byte_is_rejected() {
    let signature = sign(&secret(), BODY);
    for extra in [b"\n".as_slice(), b" ", b"\0"] {
        let body = [BODY, extra].concat();
        assert_eq!(
            verify(&secret(), &body, &signature),
            Err(SignatureError::Mismatch)
        );
    }
    // And one removed byte.
    assert_eq!(
        verify(&secret(), &BODY[..BODY.len() - 1], &signature),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn reformatted_json_is_rejected() {
    // The same JSON value, re-serialized: pretty-printed, and with one insignificant space.
    let signature = sign(&secret(), BODY);
    let value: serde_json::Value = serde_json::from_slice(BODY).expect("the body is JSON");
    let pretty = serde_json::to_vec_pretty(&value).expect("serializes");
    // Compact re-serialization: equal to the original only if the original had no spaces, so
    // build a variant that differs by one insignificant space in any case.
    let mut spaced = serde_json::to_vec(&value).expect("serializes");
    spaced.insert(1, b' ');
    assert_ne!(spaced, BODY);
    assert_ne!(pretty, BODY);
    for body in [pretty, spaced] {
        assert_eq!(
            verify(&secret(), &body, &signature),
            Err(SignatureError::Mismatch)
        );
    }
    // A space after a colon is enough.
    let spaced = br#"[{"eventId": "1"}]"#;
    assert_eq!(
        verify(
            &secret(),
            spaced,
            "76de86c3a91da378e80f990b7f782832fe46bb51ef57db26b4c8d7f23cd577ce"
        ),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn wrong_secret_is_rejected() {
    let signature = sign(&secret(), BODY);
    for key in ["partner-secret-keY", "partner-secret-key ", "", "other"] {
        assert_eq!(
            verify(&Secret::new(key), BODY, &signature),
            Err(SignatureError::Mismatch),
            "key {key:?}"
        );
    }
}

#[test]
fn a_changed_signature_digit_is_rejected() {
    let signature = sign(&secret(), BODY);
    for index in [0, 31, 63] {
        let mut changed = signature.clone().into_bytes();
        changed[index] = if changed[index] == b'0' { b'1' } else { b'0' };
        let changed = String::from_utf8(changed).expect("ASCII");
        assert_eq!(
            verify(&secret(), BODY, &changed),
            Err(SignatureError::Mismatch)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Signature syntax
// ---------------------------------------------------------------------------------------------

#[test]
fn upper_case_and_mixed_case_hex_are_accepted() {
    let signature = sign(&secret(), BODY);
    assert_eq!(
        verify(&secret(), BODY, &signature.to_ascii_uppercase()),
        Ok(())
    );
    let mixed: String = signature
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    assert_eq!(verify(&secret(), BODY, &mixed), Ok(()));
}

#[test]
fn surrounding_ascii_whitespace_is_accepted() {
    let signature = sign(&secret(), BODY);
    for wrapped in [
        format!(" {signature}"),
        format!("{signature}\r\n"),
        format!("\t {signature} \t"),
    ] {
        assert_eq!(verify(&secret(), BODY, &wrapped), Ok(()), "{wrapped:?}");
    }
    // Inner whitespace and non-ASCII whitespace are not.
    let (head, tail) = signature.split_at(32);
    for bad in [
        format!("{head} {tail}"),
        format!("\u{a0}{signature}"),
        format!("{signature}\u{2003}"),
    ] {
        assert_eq!(
            verify(&secret(), BODY, &bad),
            Err(SignatureError::Malformed),
            "{bad:?}"
        );
    }
}

#[test]
fn wrong_length_signatures_are_malformed() {
    let signature = sign(&secret(), BODY);
    for bad in [
        signature[..62].to_owned(),
        signature[..63].to_owned(),
        format!("{signature}0"),
        format!("{signature}00"),
        signature.repeat(2),
        "00".repeat(20), // an HMAC-SHA1 length
        "0".to_owned(),
    ] {
        assert_eq!(
            verify(&secret(), BODY, &bad),
            Err(SignatureError::Malformed),
            "length {}",
            bad.len()
        );
    }
}

#[test]
fn non_hex_signatures_are_malformed() {
    let signature = sign(&secret(), BODY);
    let mut with_g = signature.clone();
    with_g.replace_range(10..11, "g");
    for bad in [
        with_g,
        format!("sha256={}", &signature[7..]),
        "z".repeat(64),
        format!("0x{}", &signature[2..]),
        "é".repeat(32), // 64 bytes of UTF-8
        "-".repeat(64),
    ] {
        assert_eq!(
            verify(&secret(), BODY, &bad),
            Err(SignatureError::Malformed),
            "{bad:?}"
        );
    }
}

#[test]
fn empty_signatures_are_malformed() {
    for bad in ["", " ", "\r\n", "\t\t"] {
        assert_eq!(
            verify(&secret(), BODY, bad),
            Err(SignatureError::Malformed),
            "{bad:?}"
        );
    }
}

#[test]
fn the_verifier_checks_the_signature_before_the_timestamp() {
    let verifier = Verifier::new(secret()).with_tolerance(DEFAULT_TOLERANCE);
    assert_eq!(
        verifier.verify(BODY, "nope", None, at(SENT)),
        Err(SignatureError::Malformed)
    );
    assert_eq!(
        verifier.verify(BODY, &sign(&secret(), b"other"), Some("x"), at(SENT)),
        Err(SignatureError::Mismatch)
    );
}

// ---------------------------------------------------------------------------------------------
// Timestamp
// ---------------------------------------------------------------------------------------------

#[test]
fn stale_timestamps_are_rejected_past_and_future() {
    let signature = sign(&secret(), BODY);
    let verifier = Verifier::new(secret()).with_tolerance(Duration::from_secs(300));
    let now = at(SENT);
    for (sent, expected) in [
        (SENT - 300, Ok(())),
        (SENT + 300, Ok(())),
        (SENT - 301, Err(SignatureError::StaleTimestamp)),
        (SENT + 301, Err(SignatureError::StaleTimestamp)),
        (SENT - 86_400, Err(SignatureError::StaleTimestamp)),
        (SENT + 86_400, Err(SignatureError::StaleTimestamp)),
        (0, Err(SignatureError::StaleTimestamp)),
        // Milliseconds instead of seconds.
        (SENT * 1000, Err(SignatureError::StaleTimestamp)),
        (u64::MAX, Err(SignatureError::StaleTimestamp)),
    ] {
        assert_eq!(
            verifier.verify(BODY, &signature, Some(&sent.to_string()), now),
            expected,
            "timestamp {sent}"
        );
    }
}

#[test]
fn the_current_time_is_truncated_to_seconds() {
    let signature = sign(&secret(), BODY);
    let verifier = Verifier::new(secret()).with_tolerance(Duration::ZERO);
    let timestamp = SENT.to_string();
    assert_eq!(
        verifier.verify(
            BODY,
            &signature,
            Some(&timestamp),
            at(SENT) + Duration::from_nanos(999_999_999)
        ),
        Ok(())
    );
    assert_eq!(
        verifier.verify(BODY, &signature, Some(&timestamp), at(SENT + 1)),
        Err(SignatureError::StaleTimestamp)
    );
}

#[test]
fn a_missing_timestamp_is_rejected_with_a_tolerance() {
    let signature = sign(&secret(), BODY);
    let verifier = Verifier::new(secret()).with_tolerance(DEFAULT_TOLERANCE);
    assert_eq!(
        verifier.verify(BODY, &signature, None, at(SENT)),
        Err(SignatureError::MissingTimestamp)
    );
}

#[test]
fn invalid_timestamps_are_rejected_with_a_tolerance() {
    let signature = sign(&secret(), BODY);
    let verifier = Verifier::new(secret()).with_tolerance(DEFAULT_TOLERANCE);
    for bad in [
        "",
        "   ",
        "-1",
        "+1740716924",
        "1740716924.5",
        "1740716924s",
        "1 740 716 924",
        "0x67c0f93c",
        "2025-02-28T04:28:44Z",
        "١٧٤٠٧١٦٩٢٤", // Arabic-Indic digits
        "99999999999999999999999999",
    ] {
        assert_eq!(
            verifier.verify(BODY, &signature, Some(bad), at(SENT)),
            Err(SignatureError::InvalidTimestamp),
            "{bad:?}"
        );
    }
    // Surrounding ASCII whitespace and leading zeros are fine.
    for good in [" 1740716924\r\n", "0001740716924"] {
        assert_eq!(
            verifier.verify(BODY, &signature, Some(good), at(SENT)),
            Ok(()),
            "{good:?}"
        );
    }
}

#[test]
fn the_timestamp_is_ignored_without_a_tolerance() {
    let signature = sign(&secret(), BODY);
    let verifier = Verifier::new(secret());
    assert_eq!(verifier.tolerance(), None);
    for timestamp in [None, Some(""), Some("garbage"), Some("0"), Some("-5")] {
        assert_eq!(
            verifier.verify(BODY, &signature, timestamp, at(SENT)),
            Ok(()),
            "{timestamp:?}"
        );
    }
    assert_eq!(
        Verifier::new(secret())
            .with_tolerance(Duration::from_secs(7))
            .tolerance(),
        Some(Duration::from_secs(7))
    );
}

#[test]
fn the_timestamp_is_not_signed() {
    // Documented limitation: a captured request replayed with a fresh timestamp verifies.
    let signature = sign(&secret(), BODY);
    let verifier = Verifier::new(secret()).with_tolerance(DEFAULT_TOLERANCE);
    let later = SENT + 86_400;
    assert_eq!(
        verifier.verify(BODY, &signature, Some(&later.to_string()), at(later)),
        Ok(())
    );
}

// ---------------------------------------------------------------------------------------------
// Errors and privacy
// ---------------------------------------------------------------------------------------------

#[test]
fn error_codes_are_stable_and_distinct() {
    let codes = all_errors().map(SignatureError::code);
    assert_eq!(
        codes,
        [
            "signature_malformed",
            "signature_mismatch",
            "timestamp_missing",
            "timestamp_invalid",
            "timestamp_stale",
        ]
    );
    for error in all_errors() {
        assert_eq!(error.to_string(), error.message());
        assert!(!error.to_string().is_empty());
        let _: &dyn std::error::Error = &error;
    }
}

#[test]
fn nothing_prints_the_secret_or_the_signature() {
    let secret = secret();
    let signature = sign(&secret, BODY);
    let verifier = Verifier::new(secret.clone()).with_tolerance(DEFAULT_TOLERANCE);
    let debug = format!("{verifier:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("REDACTED"), "{debug}");
    for error in all_errors() {
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(SECRET), "{text}");
            assert!(!text.contains(&signature), "{text}");
            assert!(!text.contains(&signature[..8]), "{text}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Signature strings: arbitrary text, and near-misses of 64 hex digits.
fn signature_strings() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9a-fA-F]{0,70}",
        "[ \t\r\n]{0,2}[0-9a-fA-F]{64}[ \t\r\n]{0,2}",
        "[0-9a-fA-Fg-z\u{e9}\u{a0} ]{60,68}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn verify_never_panics(
        key in any::<String>(),
        body in proptest::collection::vec(any::<u8>(), 0..512),
        signature in signature_strings(),
        timestamp in proptest::option::of(any::<String>()),
        now in any::<u64>(),
        tolerance in any::<u64>(),
    ) {
        let secret = Secret::new(key);
        let result = verify(&secret, &body, &signature);
        // A random string almost never is the right digest; if it is well-formed, it is a
        // mismatch, otherwise malformed.
        let trimmed = signature.trim_matches(|c: char| c.is_ascii_whitespace());
        let well_formed = trimmed.len() == 64 && trimmed.bytes().all(|b| b.is_ascii_hexdigit());
        prop_assert_eq!(
            result,
            Err(if well_formed { SignatureError::Mismatch } else { SignatureError::Malformed })
        );
        let now = UNIX_EPOCH.checked_add(Duration::from_secs(now >> 1)).unwrap_or(UNIX_EPOCH);
        let verifier = Verifier::new(secret.clone()).with_tolerance(Duration::from_secs(tolerance));
        let _ = verifier.verify(&body, &signature, timestamp.as_deref(), now);
        let good = sign(&secret, &body);
        let _ = verifier.verify(&body, &good, timestamp.as_deref(), now);
    }

    #[test]
    fn round_trip_and_any_single_bit_flip_is_rejected(
        key in any::<String>(),
        body in proptest::collection::vec(any::<u8>(), 1..512),
        bit in any::<prop::sample::Index>(),
    ) {
        let secret = Secret::new(key);
        let signature = sign(&secret, &body);
        prop_assert_eq!(verify(&secret, &body, &signature), Ok(()));
        prop_assert_eq!(verify(&secret, &body, &signature.to_ascii_uppercase()), Ok(()));
        let bit = bit.index(body.len() * 8);
        let mut flipped = body.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        prop_assert_eq!(
            verify(&secret, &flipped, &signature),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn timestamps_within_the_tolerance_are_accepted(
        sent in 0u64..=4_000_000_000,
        skew in -1_000i64..=1_000,
        tolerance in 0u64..=1_000,
    ) {
        let secret = secret();
        let signature = sign(&secret, BODY);
        let now_seconds = sent.saturating_add_signed(skew);
        let now = at(now_seconds) + Duration::from_millis(999);
        let verifier = Verifier::new(secret).with_tolerance(Duration::from_secs(tolerance));
        let within = now_seconds.abs_diff(sent) <= tolerance;
        let expected = if within { Ok(()) } else { Err(SignatureError::StaleTimestamp) };
        prop_assert_eq!(
            verifier.verify(BODY, &signature, Some(&sent.to_string()), now),
            expected
        );
    }
}
