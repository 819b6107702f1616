//! Tests for `klavi_types::tax_id`: the official vectors of br-tax-ids.md, the strict input
//! policy (every rejection asserts its exact error code), masking, serde, JSON Schema,
//! normalisation, and property tests.

use std::borrow::Cow;

use klavi_types::tax_id::{
    ALL_CODES, Cnpj, Cpf, TaxId, TaxIdError, TaxIdErrorReason, TaxIdKind, Unverified, normalize,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn cpf_err(s: &str) -> TaxIdError {
    match Cpf::parse(s) {
        Ok(v) => panic!("{s:?} unexpectedly parsed as CPF {}", v.as_str()),
        Err(e) => e,
    }
}

fn cnpj_err(s: &str) -> TaxIdError {
    match Cnpj::parse(s) {
        Ok(v) => panic!("{s:?} unexpectedly parsed as CNPJ {}", v.as_str()),
        Err(e) => e,
    }
}

#[track_caller]
fn assert_cpf_rejected(s: &str, code: &str, position: Option<usize>) {
    let e = cpf_err(s);
    assert_eq!((e.code(), e.position()), (code, position), "input {s:?}");
    assert_eq!(e.kind(), TaxIdKind::Cpf);
    assert!(!Cpf::is_valid(s));
    assert!(
        !e.to_string().contains(s) || s.is_empty(),
        "message leaks the input"
    );
}

#[track_caller]
fn assert_cnpj_rejected(s: &str, code: &str, position: Option<usize>) {
    let e = cnpj_err(s);
    assert_eq!((e.code(), e.position()), (code, position), "input {s:?}");
    assert_eq!(e.kind(), TaxIdKind::Cnpj);
    assert!(!Cnpj::is_valid(s));
    assert!(
        !e.to_string().contains(s) || s.is_empty(),
        "message leaks the input"
    );
}

#[track_caller]
fn cpf(s: &str) -> Cpf {
    Cpf::parse(s).unwrap_or_else(|e| panic!("{s:?} rejected as CPF: {} ({e})", e.code()))
}

#[track_caller]
fn cnpj(s: &str) -> Cnpj {
    Cnpj::parse(s).unwrap_or_else(|e| panic!("{s:?} rejected as CNPJ: {} ({e})", e.code()))
}

/// Inserts the CPF mask into 11 canonical digits.
fn mask_cpf(bare: &str) -> String {
    format!(
        "{}.{}.{}-{}",
        &bare[0..3],
        &bare[3..6],
        &bare[6..9],
        &bare[9..11]
    )
}

/// Inserts the CNPJ mask into 14 canonical characters.
fn mask_cnpj(bare: &str) -> String {
    format!(
        "{}.{}.{}/{}-{}",
        &bare[0..2],
        &bare[2..5],
        &bare[5..8],
        &bare[8..12],
        &bare[12..14]
    )
}

// ---------------------------------------------------------------------------------------------
// CPF: official vectors
// ---------------------------------------------------------------------------------------------

#[test]
fn cpf_official_example_both_spellings() {
    let bare = cpf("28001238938");
    let masked = cpf("280.012.389-38");
    assert_eq!(bare, masked);
    assert_eq!(bare.as_str(), "28001238938");
    assert_eq!(masked.as_str(), "28001238938");
    assert_eq!(AsRef::<str>::as_ref(&bare), "28001238938");
    assert_eq!(bare.check_digits(), [3, 8]);
    assert_eq!(bare.formatted().to_string(), "280.012.389-38");
    assert_eq!(bare.to_formatted_string(), "280.012.389-38");
    assert_eq!(Cpf::from_base(b"280012389"), Some(bare));
}

#[test]
fn cpf_arithmetically_valid_values_without_official_denylist_are_accepted() {
    // §1.3: unofficial library denylists are not applied.
    cpf("12345678909");
    cpf("123.456.789-09");
    cpf("01234567890");
    // A CPF may start with several zeros.
    let zeros = Cpf::from_base(b"000000001").expect("valid base");
    assert!(zeros.as_str().starts_with("000000001"));
    cpf(zeros.as_str());
}

#[test]
fn cpf_all_equal_numbers_are_reserved() {
    for d in b'0'..=b'9' {
        let bare = String::from_utf8(vec![d; 11]).unwrap();
        assert_cpf_rejected(&bare, "cpf_reserved", None);
        assert_cpf_rejected(&mask_cpf(&bare), "cpf_reserved", None);
        assert_eq!(Cpf::from_base(&[d; 9]), None);
        assert_eq!(cpf_err(&bare).reason(), TaxIdErrorReason::Reserved);
    }
}

#[test]
fn cpf_wrong_check_digits() {
    assert_cpf_rejected("28001238939", "cpf_check_digit", None);
    assert_cpf_rejected("28001238928", "cpf_check_digit", None);
    assert_cpf_rejected("280.012.389-83", "cpf_check_digit", None);
    // The invalid sample CPF from the API docs.
    assert_cpf_rejected("16109277673", "cpf_check_digit", None);
    assert_eq!(
        cpf_err("16109277673").reason(),
        TaxIdErrorReason::CheckDigit
    );
}

// ---------------------------------------------------------------------------------------------
// CPF: strict policy
// ---------------------------------------------------------------------------------------------

#[test]
fn cpf_length() {
    assert_cpf_rejected("", "cpf_length", None);
    assert_cpf_rejected("2800123893", "cpf_length", None); // 10 digits: never zero-padded
    assert_cpf_rejected("191", "cpf_length", None);
    assert_cpf_rejected("280012389380", "cpf_length", None);
    assert_cpf_rejected("280.012.389-3", "cpf_length", None); // full-mask prefix, short
    assert_cpf_rejected("280.012.389-380", "cpf_length", None);
    assert_cpf_rejected("28001238938280012389", "cpf_length", None);
    // 14 digits without a separator (a CNPJ given to a CPF field) is a length problem, not a
    // mask one, although a masked CPF also has 14 characters.
    assert_cpf_rejected("11222333000181", "cpf_length", None);
    assert_cnpj_rejected("280012389380000001", "cnpj_length", None);
}

#[test]
fn cpf_partial_and_misplaced_masks() {
    assert_cpf_rejected("123.456.78909", "cpf_mask", Some(11));
    assert_cpf_rejected("123456789-09", "cpf_mask", Some(3));
    assert_cpf_rejected("123.45678909", "cpf_mask", Some(7));
    assert_cpf_rejected("280-012-389-38", "cpf_mask", Some(3));
    assert_cpf_rejected("280.012.389.38", "cpf_mask", Some(11));
    assert_cpf_rejected("2800.12.389-38", "cpf_mask", Some(3));
    assert_cpf_rejected("2800123893-", "cpf_mask", Some(10)); // 11 chars: bare spelling
    assert_cpf_rejected("280012389-38", "cpf_mask", Some(3));
}

#[test]
fn cpf_characters() {
    // Whitespace anywhere.
    assert_cpf_rejected(" 28001238938", "cpf_character", Some(0));
    assert_cpf_rejected("28001238938 ", "cpf_character", Some(11));
    assert_cpf_rejected("28001238938\n", "cpf_character", Some(11));
    assert_cpf_rejected("280 012 389 38", "cpf_character", Some(3));
    assert_cpf_rejected("280.012.389-\t38", "cpf_character", Some(12));
    assert_cpf_rejected("2800123 8938", "cpf_character", Some(7));
    // Other separators.
    assert_cpf_rejected("280,012,389-38", "cpf_character", Some(3));
    assert_cpf_rejected("280.012.389/38", "cpf_character", Some(11));
    assert_cpf_rejected("280_012_389_38", "cpf_character", Some(3));
    // Letters, upper or lower case, are never part of a CPF (no cpf_lower_case).
    assert_cpf_rejected("2800123893a", "cpf_character", Some(10));
    assert_cpf_rejected("2800123893A", "cpf_character", Some(10));
    assert_cpf_rejected("A8001238938", "cpf_character", Some(0));
    // Sign, punctuation, NUL.
    assert_cpf_rejected("+2800123893", "cpf_character", Some(0));
    assert_cpf_rejected("2800123893\0", "cpf_character", Some(10));
    // Non-ASCII look-alikes: full-width digits, Arabic-Indic digits, Unicode dashes and dots.
    assert_cpf_rejected("２８００１２３８９３８", "cpf_character", Some(0));
    assert_cpf_rejected("2800123893８", "cpf_character", Some(10));
    assert_cpf_rejected("٢٨٠٠١٢٣٨٩٣٨", "cpf_character", Some(0));
    assert_cpf_rejected("280.012.389\u{2010}38", "cpf_character", Some(11));
    assert_cpf_rejected("280.012.389\u{2013}38", "cpf_character", Some(11));
    assert_cpf_rejected("280\u{2024}012.389-38", "cpf_character", Some(3));
    assert_cpf_rejected("\u{feff}28001238938", "cpf_character", Some(0));
}

// ---------------------------------------------------------------------------------------------
// CNPJ: official vectors
// ---------------------------------------------------------------------------------------------

#[test]
fn cnpj_numeric_example() {
    let bare = cnpj("11222333000181");
    assert_eq!(bare, cnpj("11.222.333/0001-81"));
    assert_eq!(bare.check_digits(), [8, 1]);
    assert!(!bare.is_alphanumeric());
    assert_eq!(bare.formatted().to_string(), "11.222.333/0001-81");
}

#[test]
fn cnpj_alphanumeric_example() {
    let v = cnpj("12.ABC.345/01DE-35");
    assert_eq!(v, cnpj("12ABC34501DE35"));
    assert_eq!(v.as_str(), "12ABC34501DE35");
    assert_eq!(v.check_digits(), [3, 5]);
    assert!(v.is_alphanumeric());
    assert_eq!(v.to_formatted_string(), "12.ABC.345/01DE-35");
    assert_eq!(Cnpj::from_base(b"12ABC34501DE"), Some(v));
}

#[test]
fn cnpj_reference_package_table() {
    // codigos-cnpj: base → check digits.
    let table: [(&[u8; 12], &str); 6] = [
        (b"1345C3A50001", "06"),
        (b"R55231B30007", "57"),
        (b"000000000001", "91"),
        (b"ABCDEFGHIJKL", "80"),
        (b"900213820001", "22"),
        (b"900252550001", "00"),
    ];
    for (base, digits) in table {
        let base_str = std::str::from_utf8(base).unwrap();
        let bare = format!("{base_str}{digits}");
        let value = cnpj(&bare);
        assert_eq!(value.as_str(), bare);
        assert_eq!(cnpj(&mask_cnpj(&bare)), value);
        assert_eq!(Cnpj::from_base(base), Some(value), "{bare}");
        let [d1, d2] = value.check_digits();
        assert_eq!(format!("{d1}{d2}"), digits);
    }
    cnpj("90.021.382/0001-22");
    cnpj("90.025.255/0001-00");
}

#[test]
fn cnpj_serpro_test_value_with_many_zeros() {
    cnpj("00000000000191");
    cnpj("00.000.000/0001-91");
}

#[test]
fn cnpj_receita_q_and_a_examples() {
    // Ex1 is misprinted in the Q&A as AA345678/0003-29: the digits of AA3456780003 are 86.
    assert_cnpj_rejected("AA345678/0003-29", "cnpj_mask", Some(2));
    assert_cnpj_rejected("AA.345.678/0003-29", "cnpj_check_digit", None);
    assert_cnpj_rejected("AA345678000329", "cnpj_check_digit", None);
    cnpj("AA.345.678/0003-86");
    // Ex2 and Ex3 are correct.
    cnpj("AA.345.678/000A-29");
    cnpj("12.345.678/000A-08");
    cnpj("AA345678000A29");
    // The Q&A spelling of Ex2 is a partial mask: strict parsing rejects it, the explicit
    // SERPRO normalisation accepts it.
    assert_cnpj_rejected("AA345678/000A-29", "cnpj_mask", Some(2));
    assert_eq!(
        cnpj(&normalize::serpro("AA345678/000A-29")),
        cnpj("AA.345.678/000A-29")
    );
}

#[test]
fn cnpj_reference_package_rejections() {
    assert_cnpj_rejected("R55231B3000700", "cnpj_check_digit", None);
    assert_cnpj_rejected("ABCDEFGHIJKL81", "cnpj_check_digit", None);
    assert_cnpj_rejected("1345c3A5000106", "cnpj_lower_case", Some(4));
    assert_cnpj_rejected("12.ABc.345/01DE-35", "cnpj_lower_case", Some(5));
    assert_eq!(
        cnpj_err("1345c3A5000106").reason(),
        TaxIdErrorReason::LowerCase
    );
    // Letters in the check-digit positions.
    assert_cnpj_rejected("12ABC34501DEA5", "cnpj_character", Some(12));
    assert_cnpj_rejected("12ABC34501DE3A", "cnpj_character", Some(13));
    assert_cnpj_rejected("12ABC34501DEAB", "cnpj_character", Some(12));
    assert_cnpj_rejected("12.ABC.345/01DE-A5", "cnpj_character", Some(16));
    assert_cnpj_rejected("12.ABC.345/01DE-3Z", "cnpj_character", Some(17));
    // 13 and 15 characters.
    assert_cnpj_rejected("12ABC34501DE3", "cnpj_length", None);
    assert_cnpj_rejected("12ABC34501DE351", "cnpj_length", None);
    assert_cnpj_rejected("1345C3A500010", "cnpj_length", None);
    assert_cnpj_rejected("1345C3A50001060", "cnpj_length", None);
    // `$`, `?` and `#` anywhere (bare and masked).
    let bare = "12ABC34501DE35";
    let masked = "12.ABC.345/01DE-35";
    for bad in ['$', '?', '#'] {
        for s in [bare, masked] {
            for i in 0..s.len() {
                let mut t = s.to_owned();
                t.replace_range(i..=i, &bad.to_string());
                assert_cnpj_rejected(&t, "cnpj_character", Some(i));
            }
        }
    }
    // The zero CNPJ, bare and masked.
    assert_cnpj_rejected("00000000000000", "cnpj_reserved", None);
    assert_cnpj_rejected("00.000.000/0000-00", "cnpj_reserved", None);
    assert_eq!(Cnpj::from_base(&[b'0'; 12]), None);
}

#[test]
fn cnpj_all_equal_nonzero_fail_the_arithmetic() {
    for d in b'1'..=b'9' {
        let bare = String::from_utf8(vec![d; 14]).unwrap();
        assert_cnpj_rejected(&bare, "cnpj_check_digit", None);
    }
    // Twelve equal letters with their correct check digits are valid (§3.3).
    let letters = Cnpj::from_base(b"AAAAAAAAAAAA").expect("valid");
    cnpj(letters.as_str());
}

// ---------------------------------------------------------------------------------------------
// CNPJ: strict policy
// ---------------------------------------------------------------------------------------------

#[test]
fn cnpj_partial_and_misplaced_masks() {
    // Listed as *valid* by the official README (Java reference deletes separators anywhere).
    assert_cnpj_rejected("90.024.778/000123", "cnpj_mask", Some(15));
    assert!(Cnpj::is_valid(&normalize::serpro("90.024.778/000123")));
    assert_cnpj_rejected("11.222.333-0001/81", "cnpj_mask", Some(10));
    assert_cnpj_rejected("11/222/333/0001-81", "cnpj_mask", Some(2));
    assert_cnpj_rejected("11222333/0001-81", "cnpj_mask", Some(2));
    assert_cnpj_rejected("11.222.3330001-81", "cnpj_mask", Some(10));
    assert_cnpj_rejected("112.22.333/0001-81", "cnpj_mask", Some(2));
    assert_cnpj_rejected("112223330001-8", "cnpj_mask", Some(12)); // 14 chars: bare spelling
    // A masked CPF given to a CNPJ field.
    assert_cnpj_rejected("280.012.389-38", "cnpj_mask", Some(3));
}

#[test]
fn cnpj_length_and_characters() {
    assert_cnpj_rejected("", "cnpj_length", None);
    assert_cnpj_rejected("191", "cnpj_length", None); // never zero-padded to 00000000000191
    assert_cnpj_rejected("11.222.333/0001-8", "cnpj_length", None);
    assert_cnpj_rejected("11.222.333/0001-811", "cnpj_length", None);
    assert_cnpj_rejected(" 11222333000181", "cnpj_character", Some(0));
    assert_cnpj_rejected("11222333000181 ", "cnpj_character", Some(14));
    assert_cnpj_rejected("11.222.333/0001 81", "cnpj_character", Some(15));
    assert_cnpj_rejected("11 222 333 0001 81", "cnpj_character", Some(2));
    assert_cnpj_rejected("11,222,333/0001-81", "cnpj_character", Some(2));
    assert_cnpj_rejected("11.222.333\\0001-81", "cnpj_character", Some(10));
    assert_cnpj_rejected("１１２２２３３３０００１８１", "cnpj_character", Some(0));
    assert_cnpj_rejected("11.222.333/0001\u{2011}81", "cnpj_character", Some(15));
    // Accented letters are not A-Z.
    assert_cnpj_rejected("ÁA345678000A29", "cnpj_character", Some(0));
    // Lower case wins over a length error (it is the first problem found).
    assert_cnpj_rejected("1345c3A500010", "cnpj_lower_case", Some(4));
}

// ---------------------------------------------------------------------------------------------
// TaxId::parse_any
// ---------------------------------------------------------------------------------------------

#[test]
fn parse_any_dispatch() {
    assert_eq!(
        TaxId::parse_any("28001238938"),
        Ok(TaxId::Cpf(cpf("28001238938")))
    );
    assert_eq!(
        TaxId::parse_any("280.012.389-38"),
        Ok(TaxId::Cpf(cpf("28001238938")))
    );
    assert_eq!(
        TaxId::parse_any("11222333000181"),
        Ok(TaxId::Cnpj(cnpj("11222333000181")))
    );
    assert_eq!(
        TaxId::parse_any("12.ABC.345/01DE-35"),
        Ok(TaxId::Cnpj(cnpj("12ABC34501DE35")))
    );
    let id: TaxId = "12ABC34501DE35".parse().unwrap();
    assert_eq!(id.kind(), TaxIdKind::Cnpj);
    assert_eq!(id.as_str(), "12ABC34501DE35");
    assert_eq!(id.as_cnpj(), Some(&cnpj("12ABC34501DE35")));
    assert_eq!(id.as_cpf(), None);
    assert_eq!(id.formatted().to_string(), "12.ABC.345/01DE-35");
    assert_eq!(id.to_formatted_string(), "12.ABC.345/01DE-35");
    assert_eq!(TaxId::from(cpf("28001238938")).kind(), TaxIdKind::Cpf);
    assert_eq!(
        TaxId::try_from("28001238938").unwrap().kind(),
        TaxIdKind::Cpf
    );
}

#[test]
fn parse_any_fourteen_characters_are_never_a_bare_cpf() {
    // The last 11 digits form a valid CPF, but 14 bare characters are a CNPJ.
    let e = TaxId::parse_any("00028001238938").unwrap_err();
    assert_eq!(e.code(), "cnpj_check_digit");
    // A CPF-mask-shaped 14-character string gets CPF diagnostics.
    assert_eq!(
        TaxId::parse_any("280.012.389-39").unwrap_err().code(),
        "cpf_check_digit"
    );
    assert_eq!(
        TaxId::parse_any("280-012-389-38").unwrap_err().code(),
        "cpf_mask"
    );
}

#[test]
fn parse_any_decides_the_kind_by_characters_not_bytes() {
    // Eleven full-width digits: a CPF whose first character is wrong, not a 33-byte CNPJ.
    let e = TaxId::parse_any("１２３４５６７８９０９").unwrap_err();
    assert_eq!((e.code(), e.position()), ("cpf_character", Some(0)));
    // One accented letter among 14 characters: a CNPJ whose character is wrong, said where.
    let e = TaxId::parse_any("11222333000É81").unwrap_err();
    assert_eq!((e.code(), e.position()), ("cnpj_character", Some(11)));
    let e = TaxId::parse_any("280.012.389-3８").unwrap_err();
    assert_eq!((e.code(), e.position()), ("cpf_character", Some(13)));
}

#[test]
fn parse_any_errors() {
    for (s, code) in [
        ("", "cpf_length"),
        ("191", "cpf_length"),
        ("2800123893", "cpf_length"),
        ("280012389380", "cpf_length"),
        ("123.456.78909", "cnpj_length"),
        ("1122233300018", "cnpj_length"),
        ("112223330001810", "cnpj_length"),
        ("90.024.778/000123", "cnpj_length"),
        ("11.222.333/0001-811", "cnpj_length"),
        ("00000000000", "cpf_reserved"),
        ("00000000000000", "cnpj_reserved"),
        ("1345c3A5000106", "cnpj_lower_case"),
        ("11.222.333/0001-82", "cnpj_check_digit"),
        ("2800123893a", "cpf_character"),
    ] {
        let e = TaxId::parse_any(s).unwrap_err();
        assert_eq!(e.code(), code, "{s:?}");
        assert!(!TaxId::is_valid(s));
    }
}

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

#[test]
fn conversions() {
    let expected = cpf("28001238938");
    assert_eq!("280.012.389-38".parse::<Cpf>(), Ok(expected));
    assert_eq!(Cpf::try_from("28001238938"), Ok(expected));
    assert_eq!(Cpf::try_from(String::from("28001238938")), Ok(expected));
    assert_eq!(Cpf::try_from(&String::from("28001238938")), Ok(expected));
    let expected = cnpj("12ABC34501DE35");
    assert_eq!("12.ABC.345/01DE-35".parse::<Cnpj>(), Ok(expected));
    assert_eq!(Cnpj::try_from("12ABC34501DE35"), Ok(expected));
    assert_eq!(Cnpj::try_from(String::from("12ABC34501DE35")), Ok(expected));
    assert_eq!(
        Cnpj::try_from(&String::from("12ABC34501DE35")),
        Ok(expected)
    );
    assert_eq!(
        Cnpj::try_from("12abc34501de35").unwrap_err().code(),
        "cnpj_lower_case"
    );
    assert_eq!(Cpf::from_base(b"28001238A"), None);
    assert_eq!(Cnpj::from_base(b"12abc34501de"), None);
    assert_eq!(Cnpj::from_base(b"12.BC34501DE"), None);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[test]
fn error_codes_are_listed_and_unique() {
    let codes: Vec<&str> = ALL_CODES.iter().map(|(c, _)| *c).collect();
    assert_eq!(codes.len(), 11);
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), codes.len());
    for (code, explanation) in ALL_CODES {
        assert!(!explanation.is_empty(), "{code}");
        assert!(code.starts_with("cpf_") || code.starts_with("cnpj_"));
    }
    // Every code produced by these inputs is listed.
    for e in [
        cpf_err(""),
        cpf_err("2800123893a"),
        cpf_err("123.456.78909"),
        cpf_err("11111111111"),
        cpf_err("28001238939"),
        cnpj_err(""),
        cnpj_err("12ABC34501DEA5"),
        cnpj_err("1345c3A5000106"),
        cnpj_err("90.024.778/000123"),
        cnpj_err("00000000000000"),
        cnpj_err("R55231B3000700"),
    ] {
        assert!(codes.contains(&e.code()), "{}", e.code());
    }
    assert!(!codes.contains(&"cpf_lower_case"));
}

#[test]
fn error_messages() {
    assert_eq!(
        cnpj_err("13").to_string(),
        "a CNPJ has 14 characters (bare) or 18 (masked XX.XXX.XXX/XXXX-DD)"
    );
    assert_eq!(
        cpf_err("28001238939").to_string(),
        "the CPF check digits do not match"
    );
    assert_eq!(
        cnpj_err("134c").to_string(),
        "lower-case letter at position 3: CNPJ letters are upper case A-Z"
    );
    let e = cpf_err("123.456.78909");
    assert_eq!(e.reason(), TaxIdErrorReason::Mask);
    assert!(e.to_string().contains("position 11"));
    assert_eq!(TaxIdKind::Cpf.to_string(), "CPF");
    assert_eq!(TaxIdKind::Cnpj.to_string(), "CNPJ");
    assert_eq!(TaxIdKind::Cpf.as_str(), "cpf");
    assert_eq!(TaxIdKind::Cnpj.as_str(), "cnpj");
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.to_string().contains("DDD.DDD.DDD-DD"));
}

// ---------------------------------------------------------------------------------------------
// Masking (LGPD)
// ---------------------------------------------------------------------------------------------

#[test]
fn masked_debug_and_display() {
    let c = cpf("123.456.789-09");
    assert_eq!(c.to_string(), "***.456.789-**");
    assert_eq!(format!("{c:?}"), r#"Cpf("***.456.789-**")"#);
    assert_eq!(format!("{c:#?}"), r#"Cpf("***.456.789-**")"#);
    assert_eq!(format!("{c:>16}"), "  ***.456.789-**");
    let c = cpf("28001238938");
    assert_eq!(c.to_string(), "***.012.389-**");

    let n = cnpj("12.ABC.345/01DE-35");
    assert_eq!(n.to_string(), "**.ABC.345/****-**");
    assert_eq!(format!("{n:?}"), r#"Cnpj("**.ABC.345/****-**")"#);
    let n = cnpj("11222333000181");
    assert_eq!(n.to_string(), "**.222.333/****-**");

    let id = TaxId::parse_any("123.456.789-09").unwrap();
    assert_eq!(id.to_string(), "***.456.789-**");
    assert_eq!(format!("{id:?}"), r#"Cpf(Cpf("***.456.789-**"))"#);
    let id = TaxId::parse_any("12ABC34501DE35").unwrap();
    assert_eq!(id.to_string(), "**.ABC.345/****-**");
    assert_eq!(format!("{id:?}"), r#"Cnpj(Cnpj("**.ABC.345/****-**"))"#);

    // The explicit exposure.
    assert_eq!(
        format!("{:?}", cpf("12345678909").formatted()),
        r#"Formatted("123.456.789-09")"#
    );
    assert_eq!(
        format!("{:<16}|", cpf("12345678909").formatted()),
        "123.456.789-09  |"
    );

    // Structs holding tax ids stay masked in derived Debug.
    #[derive(Debug)]
    #[allow(dead_code)]
    struct Holder {
        cpf: Cpf,
        cnpj: Cnpj,
        any: TaxId,
        raw: Unverified<Cpf>,
    }
    let h = Holder {
        cpf: cpf("12345678909"),
        cnpj: cnpj("12ABC34501DE35"),
        any: TaxId::parse_any("11222333000181").unwrap(),
        raw: Unverified::new("16109277673"),
    };
    let out = format!("{h:?} {h:#?}");
    for secret in [
        "12345678909",
        "123.456.789-09",
        "12ABC34501DE35",
        "12.ABC.345/01DE-35",
        "11222333000181",
        "16109277673",
        "123",
        "09",
        "01DE",
        "0001",
    ] {
        assert!(!out.contains(secret), "{secret} leaked in {out}");
    }
}

#[test]
fn unverified_debug_is_masked() {
    let valid: Unverified<Cpf> = Unverified::new("280.012.389-38");
    assert_eq!(format!("{valid:?}"), "Unverified(***.012.389-**)");
    let valid: Unverified<Cnpj> = Unverified::new("12ABC34501DE35");
    assert_eq!(format!("{valid:?}"), "Unverified(**.ABC.345/****-**)");
    let empty: Unverified<Cpf> = Unverified::new("");
    assert_eq!(format!("{empty:?}"), r#"Unverified("")"#);
    let invalid: Unverified<Cpf> = Unverified::new("16109277673");
    assert_eq!(format!("{invalid:?}"), "Unverified(<invalid, 11 chars>)");
    let invalid: Unverified<Cnpj> = Unverified::new("çãõ 123");
    assert_eq!(format!("{invalid:?}"), "Unverified(<invalid, 7 chars>)");
}

// ---------------------------------------------------------------------------------------------
// Unverified
// ---------------------------------------------------------------------------------------------

#[test]
fn unverified_api() {
    let empty = Unverified::<Cpf>::default();
    assert!(empty.is_empty());
    assert_eq!(empty.as_received(), "");
    assert_eq!(empty.parse(), Ok(None));
    assert_eq!(empty.verified(), None);
    assert_eq!(empty, Unverified::new(""));
    assert_eq!(empty.kind(), Some(TaxIdKind::Cpf));

    let invalid = Unverified::<Cpf>::new(String::from("16109277673"));
    assert!(!invalid.is_empty());
    assert_eq!(invalid.parse().unwrap_err().code(), "cpf_check_digit");
    assert_eq!(invalid.verified(), None);

    let masked = Unverified::<Cpf>::new("280.012.389-38");
    assert_eq!(masked.as_received(), "280.012.389-38");
    assert_eq!(masked.parse(), Ok(Some(cpf("28001238938"))));
    assert_eq!(masked.verified(), Some(cpf("28001238938")));
    assert_ne!(masked, Unverified::new("28001238938"));
    assert_eq!(masked.clone(), masked);

    let from: Unverified<Cnpj> = cnpj("12.ABC.345/01DE-35").into();
    assert_eq!(from.as_received(), "12ABC34501DE35");
    assert_eq!(from.kind(), Some(TaxIdKind::Cnpj));
    assert_eq!(from.clone().into_received(), "12ABC34501DE35");

    // Hash is consistent with Eq.
    let mut set = std::collections::HashSet::new();
    set.insert(Unverified::<Cpf>::new("x"));
    assert!(set.contains(&Unverified::new("x")));
}

#[test]
fn unverified_tax_id_is_either_and_says_which_once_parsed() {
    use klavi_types::tax_id::UnverifiedTaxId;
    let person = UnverifiedTaxId::new("28001238938");
    let company = UnverifiedTaxId::new("11222333000181");
    assert_eq!(person.kind(), None);
    assert_eq!(person.verified().map(|id| id.kind()), Some(TaxIdKind::Cpf));
    assert_eq!(
        company.verified().map(|id| id.kind()),
        Some(TaxIdKind::Cnpj)
    );
    assert_eq!(UnverifiedTaxId::new("").parse(), Ok(None));
    let bad = UnverifiedTaxId::new("1234567890");
    assert!(bad.parse().is_err());
    // Debug never shows the digits of a valid one, nor the text of an invalid one.
    for (value, digits) in [(&person, "28001238938"), (&company, "11222333000181")] {
        let debug = format!("{value:?}");
        assert!(!debug.contains(&digits[..6]), "{debug}");
    }
    assert_eq!(format!("{bad:?}"), "Unverified(<invalid, 10 chars>)");
    let json: UnverifiedTaxId = serde_json::from_str(r#""280.012.389-38""#).unwrap();
    assert_eq!(serde_json::to_string(&json).unwrap(), r#""280.012.389-38""#);
}

#[test]
fn unverified_serde_keeps_strings_verbatim() {
    for raw in [
        "",
        "16109277673",
        "280.012.389-38",
        " 28001238938 ",
        "não é CPF",
        "0",
    ] {
        let json = serde_json::to_string(raw).unwrap();
        let value: Unverified<Cpf> = serde_json::from_str(&json).unwrap();
        assert_eq!(value.as_received(), raw);
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        let value: Unverified<Cnpj> = serde_json::from_str(&json).unwrap();
        assert_eq!(value.as_received(), raw);
    }
    #[derive(serde::Deserialize)]
    struct Response {
        cpf: Unverified<Cpf>,
        cnpj: Unverified<Cnpj>,
    }
    let r: Response = serde_json::from_str(r#"{"cpf":"","cnpj":"1345c3A5000106"}"#).unwrap();
    assert!(r.cpf.is_empty());
    assert_eq!(r.cnpj.as_received(), "1345c3A5000106");
    assert_eq!(r.cnpj.parse().unwrap_err().code(), "cnpj_lower_case");
    for non_string in ["16109277673", "null", "true", "[]", "{}", "1.5"] {
        let e = serde_json::from_str::<Unverified<Cpf>>(non_string).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{non_string}: {e}");
    }
}

// ---------------------------------------------------------------------------------------------
// serde
// ---------------------------------------------------------------------------------------------

#[test]
fn serde_round_trips() {
    let c: Cpf = serde_json::from_str(r#""280.012.389-38""#).unwrap();
    assert_eq!(serde_json::to_string(&c).unwrap(), r#""28001238938""#);
    let c2: Cpf = serde_json::from_str(r#""28001238938""#).unwrap();
    assert_eq!(c, c2);
    let n: Cnpj = serde_json::from_str(r#""12.ABC.345/01DE-35""#).unwrap();
    assert_eq!(serde_json::to_string(&n).unwrap(), r#""12ABC34501DE35""#);
    let id: TaxId = serde_json::from_str(r#""11.222.333/0001-81""#).unwrap();
    assert_eq!(serde_json::to_string(&id).unwrap(), r#""11222333000181""#);
    let id: TaxId = serde_json::from_str(r#""280.012.389-38""#).unwrap();
    assert_eq!(id.kind(), TaxIdKind::Cpf);
    // Owned strings (escapes force `visit_string`/`visit_str` on a non-borrowed buffer).
    let c3: Cpf = serde_json::from_str(r#""280.012.389\u002d38""#).unwrap();
    assert_eq!(c3, c);
    let c4: Cpf = serde_json::from_reader(&br#""28001238938""#[..]).unwrap();
    assert_eq!(c4, c);
    let v: Cpf = serde_json::from_value(serde_json::json!("28001238938")).unwrap();
    assert_eq!(v, c);
}

#[test]
fn serde_rejects_non_strings_with_type_errors() {
    for non_string in [
        "28001238938",
        "11222333000181",
        "191",
        "null",
        "true",
        "[]",
        "{}",
    ] {
        let e = serde_json::from_str::<Cpf>(non_string).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{non_string}: {e}");
        assert!(!e.to_string().contains("check digit"));
        let e = serde_json::from_str::<Cnpj>(non_string).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{non_string}: {e}");
        let e = serde_json::from_str::<TaxId>(non_string).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{non_string}: {e}");
    }
    let e = serde_json::from_value::<Cpf>(serde_json::json!(28001238938u64)).unwrap_err();
    assert!(e.to_string().contains("invalid type"), "{e}");
}

#[test]
fn serde_errors_carry_the_message_not_the_input() {
    for (json, message) in [
        (r#""1345c3A5000106""#, "lower-case letter at position 4"),
        (r#""R55231B3000700""#, "the CNPJ check digits do not match"),
        (r#""90.024.778/000123""#, "separator at position 15"),
    ] {
        let e = serde_json::from_str::<Cnpj>(json).unwrap_err().to_string();
        assert!(e.contains(message), "{e}");
        assert!(!e.contains(json.trim_matches('"')), "{e}");
    }
    let e = serde_json::from_str::<Cpf>(r#""16109277673""#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("the CPF check digits do not match"), "{e}");
    assert!(!e.contains("16109277673"));
}

// ---------------------------------------------------------------------------------------------
// JSON Schema
// ---------------------------------------------------------------------------------------------

#[cfg(feature = "schemars")]
#[test]
fn json_schemas() {
    let s = schemars::schema_for!(Cpf);
    assert_eq!(s.get("type"), Some(&serde_json::json!("string")));
    assert_eq!(s.get("format"), Some(&serde_json::json!("cpf")));
    assert!(
        s.get("description")
            .is_some_and(serde_json::Value::is_string)
    );
    let s = schemars::schema_for!(Cnpj);
    assert_eq!(s.get("type"), Some(&serde_json::json!("string")));
    assert_eq!(s.get("format"), Some(&serde_json::json!("cnpj")));
    assert!(s.get("description").is_some());
    let s = schemars::schema_for!(Unverified<Cpf>);
    assert_eq!(s.get("type"), Some(&serde_json::json!("string")));
    assert_eq!(s.get("format"), None);
    assert!(s.get("description").is_some());
    let s = schemars::schema_for!(TaxId);
    assert_eq!(s.get("type"), Some(&serde_json::json!("string")));

    // Inlined as a property of a deriving struct.
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Company {
        cnpj: Cnpj,
        owner: Option<Cpf>,
        raw: Unverified<Cnpj>,
    }
    let s = serde_json::to_value(schemars::schema_for!(Company)).unwrap();
    assert_eq!(s["properties"]["cnpj"]["format"], "cnpj");
    assert_eq!(s["properties"]["raw"]["type"], "string");
    assert_eq!(s["required"], serde_json::json!(["cnpj", "raw"]));
}

// ---------------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------------

#[test]
fn normalize_serpro() {
    assert_eq!(
        normalize::serpro(" 11.222.333/0001-81\t\n"),
        "11222333000181"
    );
    assert_eq!(
        normalize::serpro("\u{0}11222333000181\u{7f}"),
        "11222333000181"
    );
    assert_eq!(normalize::serpro("90.024.778/000123"), "90024778000123");
    assert_eq!(normalize::serpro("1345c3A5000106"), "1345c3A5000106"); // no case folding
    assert_eq!(normalize::serpro("11 222"), "11 222"); // inner whitespace kept
    assert_eq!(normalize::serpro("２８０.０"), "２８００"); // non-ASCII kept
    assert!(matches!(
        normalize::serpro("11222333000181"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(
        normalize::serpro("  11222333000181 "),
        Cow::Borrowed("11222333000181")
    ));
    assert!(matches!(normalize::serpro("1.1"), Cow::Owned(_)));
    assert_eq!(
        cnpj_err(&normalize::serpro("1345c3A5000106")).code(),
        "cnpj_lower_case"
    );
    assert_eq!(
        cpf(&normalize::serpro(" 280.012.389-38 ")),
        cpf("28001238938")
    );
}

#[test]
fn normalize_loose() {
    assert_eq!(
        normalize::loose(" 12.abc.345/01de 35 \r\n"),
        "12ABC34501DE35"
    );
    assert_eq!(normalize::loose("1345c3a5 0001 06"), "1345C3A5000106");
    assert_eq!(normalize::loose("280 012 389 38"), "28001238938");
    assert_eq!(normalize::loose("ç"), "ç"); // only ASCII is upper-cased
    assert!(matches!(
        normalize::loose("12ABC34501DE35"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(
        normalize::loose(" 12ABC34501DE35"),
        Cow::Borrowed(_)
    ));
    assert!(matches!(normalize::loose("12abc"), Cow::Owned(_)));
    assert_eq!(
        cnpj(&normalize::loose("12.abc.345/01de-35")),
        cnpj("12ABC34501DE35")
    );
    // Normalisation does not validate: full-width digits are still rejected by `parse`.
    assert_eq!(
        cpf_err(&normalize::loose(" ２８００１２３８９３８ ")).code(),
        "cpf_character"
    );
    // ... nor pad.
    assert_eq!(cnpj_err(&normalize::loose("1.91")).code(), "cnpj_length");
}

// ---------------------------------------------------------------------------------------------
// Check-digit blind spots (documented finding)
// ---------------------------------------------------------------------------------------------

/// Weights of the base characters for the first and second check digit.
const CPF_W1: [i64; 9] = [10, 9, 8, 7, 6, 5, 4, 3, 2];
const CPF_W2: [i64; 9] = [11, 10, 9, 8, 7, 6, 5, 4, 3];
const CNPJ_W1: [i64; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const CNPJ_W2: [i64; 12] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3];

fn value(c: u8) -> i64 {
    i64::from(c) - 48
}

/// `x mod 11` is 0, 1 or 10 (i.e. `x ≡ 0` or `x ≡ ±1`).
fn near_zero(x: i64) -> bool {
    matches!(x.rem_euclid(11), 0 | 1 | 10)
}

// Why the property "every single substitution and every adjacent transposition of distinct
// characters is rejected" does NOT hold in general, and exactly where it does.
//
// Write S1 / S2 for the two weighted sums and r = S mod 11. The reduction maps r to 0 if
// r < 2, else to 11 − r; it is injective except that r = 0 and r = 1 both give 0.
//
// An edit of the base characters moves S1 by Δ1 and, if the first check digit is unchanged,
// S2 by Δ2 (mod 11). The first check digit stays the same only if Δ1 ≡ 0, or Δ1 ≡ ±1 and the
// old and new remainders are exactly {0, 1}; likewise for the second. So an edit can go
// unnoticed only if BOTH Δ1 and Δ2 are ≡ 0 or ±1 (mod 11). Every other edit is provably caught.
//
// * Substitution at base position i, value change δ: Δ1 = w1[i]·δ, Δ2 = w2[i]·δ.
//   - CPF: w1[0] = 10 ≡ −1 and w2[0] = 11 ≡ 0, so δ = ±1 at position 0 can be missed;
//     w1[5] = 5, w2[5] = 6 make δ = ±2 (and ±9) at position 5 missable. Example below:
//     123.456.789-09 and 223.456.789-09 are both valid.
//   - Numeric CNPJ: positions 0 and 8 (weights 5/6, δ ≡ ±2) and 4 (weights 9/2, δ ≡ ±5).
//   - Alphanumeric CNPJ: character values go up to 42, so δ ≡ 0 (mod 11) is possible. The
//     residue classes {0,F,Q} {1,G,R} {2,H,S} {3,I,T} {4,J,U} {5,K,V} {6,A,L,W} {7,B,M,X}
//     {8,C,N,Y} {9,D,O,Z} {E,P} are interchangeable anywhere in the base with NO effect on
//     either check digit (R55231B3000757 ~ 155231B3000757, 12ABC34501DE35 ~ 126BC34501DE35).
//     Together with the ±1 cases this makes roughly 6-7% of random single substitutions of
//     an alphanumeric CNPJ undetected (about 0.2% for CPF, 0.03% for a numeric CNPJ).
// * Adjacent transposition inside the base, δ = v[i] − v[i+1]:
//   Δ1 = (w1[i] − w1[i+1])·δ, Δ2 = (w2[i] − w2[i+1])·δ. The weight differences are 1, so
//   δ ≡ 0 or ±1 can be missed ("12" ↔ "21", or "A6" ↔ "6A" in a CNPJ); at the 2→9 wrap of
//   the CNPJ weights (positions 3-4 and 4-5) one difference is −7, and only δ ≡ 0 can be
//   missed.
// * Swapping the last base character with the first check digit: working through the two
//   cases (old first digit 0 or not) shows it can be missed only for the pair {0, 1}.
// * Any edit of a check digit alone, or swapping the two check digits, is always caught.
//
// Brute force over random valid values (outside this file) agreed with this characterisation
// in both directions: no edit outside the classes above was ever accepted, and edits inside
// them are accepted at rates from ~1% (numeric, both remainders must hit {0, 1}) to 100%
// (δ ≡ 0). The property tests below assert rejection exactly for the provable cases.

/// Whether substituting `new` for `old` at base position `i` may go undetected.
fn substitution_may_be_missed(w1: &[i64], w2: &[i64], i: usize, old: u8, new: u8) -> bool {
    match (w1.get(i), w2.get(i)) {
        (Some(a), Some(b)) => {
            let d = value(new) - value(old);
            near_zero(a * d) && near_zero(b * d)
        }
        _ => false, // a check-digit position: always caught
    }
}

/// Whether swapping positions `i` and `i + 1` of the bare form `s` may go undetected.
fn transposition_may_be_missed(w1: &[i64], w2: &[i64], s: &[u8], i: usize) -> bool {
    let base_len = w1.len();
    let (a, b) = (s[i], s[i + 1]);
    if i + 1 < base_len {
        let d = value(a) - value(b);
        near_zero((w1[i] - w1[i + 1]) * d) && near_zero((w2[i] - w2[i + 1]) * d)
    } else if i + 1 == base_len {
        matches!((a, b), (b'0', b'1') | (b'1', b'0'))
    } else {
        false
    }
}

#[test]
fn check_digit_blind_spots_exist() {
    // Numeric CPF, position 0, δ = +1.
    cpf("123.456.789-09");
    cpf("223.456.789-09");
    assert!(substitution_may_be_missed(&CPF_W1, &CPF_W2, 0, b'1', b'2'));
    // Numeric CPF, adjacent transposition (the check digits are 00: both remainders were 0).
    cpf("56601328200");
    cpf("65601328200");
    // Last base digit ↔ first check digit, pair {0, 1}.
    cpf("91418063010");
    cpf("91418063100");
    // Numeric CNPJ, positions 0, 4 and 8.
    cnpj("02100521721200");
    cnpj("92100521721200");
    cnpj("02105521721200");
    cnpj("02100521521200");
    // Alphanumeric CNPJ: characters congruent mod 11 are interchangeable.
    cnpj("R55231B3000757");
    cnpj("155231B3000757");
    cnpj("G55231B3000757");
    cnpj("12ABC34501DE35");
    cnpj("126BC34501DE35"); // A (17) → 6
    cnpj("12LBC34501DE35"); // A (17) → L (28)
    assert!(substitution_may_be_missed(
        &CNPJ_W1, &CNPJ_W2, 0, b'R', b'1'
    ));
    assert!(transposition_may_be_missed(
        &CPF_W1,
        &CPF_W2,
        b"56601328200",
        0
    ));
    assert!(transposition_may_be_missed(
        &CPF_W1,
        &CPF_W2,
        b"91418063010",
        8
    ));
}

#[test]
fn cpf_single_substitutions_outside_blind_classes_are_all_caught_exhaustively() {
    // Exhaustive over every position and digit for a fixed set of CPFs and CNPJs.
    for bare in ["28001238938", "12345678909", "01234567890", "56601328200"] {
        let v = cpf(bare);
        for i in 0..11 {
            for c in b'0'..=b'9' {
                let old = v.as_str().as_bytes()[i];
                if c == old {
                    continue;
                }
                let mut t = v.as_str().as_bytes().to_vec();
                t[i] = c;
                let t = String::from_utf8(t).unwrap();
                if !substitution_may_be_missed(&CPF_W1, &CPF_W2, i, old, c) {
                    assert!(!Cpf::is_valid(&t), "{bare} → {t}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

const DIGITS: &[u8] = b"0123456789";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn any_cpf() -> impl Strategy<Value = Cpf> {
    proptest::array::uniform9(proptest::sample::select(DIGITS))
        .prop_filter_map("reserved (all-equal) base", |base| Cpf::from_base(&base))
}

fn numeric_cnpj() -> impl Strategy<Value = Cnpj> {
    proptest::array::uniform12(proptest::sample::select(DIGITS))
        .prop_filter_map("all-zero base", |base| Cnpj::from_base(&base))
}

fn alnum_cnpj() -> impl Strategy<Value = Cnpj> {
    proptest::array::uniform12(proptest::sample::select(ALNUM))
        .prop_filter_map("all-zero base", |base| Cnpj::from_base(&base))
}

fn any_cnpj() -> impl Strategy<Value = Cnpj> {
    prop_oneof![numeric_cnpj(), alnum_cnpj()]
}

/// Adds lower-case letters and ASCII whitespace to a string.
fn noisy(s: String) -> impl Strategy<Value = String> {
    let n = s.len();
    let ws = proptest::sample::select(vec![" ", "\t", "\n", "\r\n", "  "]);
    (
        proptest::collection::vec(any::<bool>(), n),
        proptest::collection::vec(proptest::option::of(ws.clone()), n),
        proptest::option::of(ws.clone()),
        proptest::option::of(ws),
    )
        .prop_map(move |(lower, gaps, lead, trail)| {
            let mut out = String::from(lead.unwrap_or(""));
            for (i, c) in s.chars().enumerate() {
                out.push(if lower[i] { c.to_ascii_lowercase() } else { c });
                if let Some(g) = gaps[i] {
                    out.push_str(g);
                }
            }
            out.push_str(trail.unwrap_or(""));
            out
        })
}

/// Strings near the accepted spellings, to reach the deeper branches of the scanner.
fn near_miss() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[0-9A-Za-z./\\- \u{FF10}-\u{FF19}é$#]{0,20}").unwrap()
}

/// 512 cases per property, or `PROPTEST_CASES` for longer runs.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(512);
    ProptestConfig {
        cases,
        max_global_rejects: cases.saturating_mul(4).max(1024),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn cpf_round_trips(v in any_cpf()) {
        prop_assert_eq!(Cpf::parse(v.as_str()), Ok(v));
        let formatted = v.to_formatted_string();
        prop_assert_eq!(&formatted, &mask_cpf(v.as_str()));
        prop_assert_eq!(Cpf::parse(&formatted), Ok(v));
        prop_assert_eq!(TaxId::parse_any(&formatted), Ok(TaxId::Cpf(v)));
        prop_assert_eq!(TaxId::parse_any(v.as_str()), Ok(TaxId::Cpf(v)));
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<Cpf>(&json).unwrap(), v);
        // Masked output shows exactly the middle six digits.
        let shown = v.to_string();
        let s = v.as_str();
        prop_assert_eq!(&shown, &format!("***.{}.{}-**", &s[3..6], &s[6..9]));
        let debug = format!("{v:?} {:?}", Unverified::from(v));
        prop_assert!(!debug.contains(s));
    }

    #[test]
    fn cnpj_round_trips(v in any_cnpj()) {
        prop_assert_eq!(Cnpj::parse(v.as_str()), Ok(v));
        let formatted = v.to_formatted_string();
        prop_assert_eq!(&formatted, &mask_cnpj(v.as_str()));
        prop_assert_eq!(Cnpj::parse(&formatted), Ok(v));
        prop_assert_eq!(TaxId::parse_any(&formatted), Ok(TaxId::Cnpj(v)));
        prop_assert_eq!(TaxId::parse_any(v.as_str()), Ok(TaxId::Cnpj(v)));
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<Cnpj>(&json).unwrap(), v);
        let shown = v.to_string();
        let s = v.as_str();
        prop_assert_eq!(&shown, &format!("**.{}.{}/****-**", &s[2..5], &s[5..8]));
        let debug = format!("{v:?} {:?} {:?}", TaxId::Cnpj(v), Unverified::from(v));
        prop_assert!(!debug.contains(s));
    }

    #[test]
    fn cpf_substitutions_are_caught_unless_provably_blind(
        v in any_cpf(),
        i in 0usize..11,
        shift in 1u8..10,
    ) {
        let old = v.as_str().as_bytes()[i];
        let c = b'0' + (old - b'0' + shift) % 10; // any other digit
        let mut t = v.as_str().as_bytes().to_vec();
        t[i] = c;
        let t = String::from_utf8(t).unwrap();
        if !substitution_may_be_missed(&CPF_W1, &CPF_W2, i, old, c) {
            prop_assert!(!Cpf::is_valid(&t), "{} → {}", v.as_str(), t);
            prop_assert!(!Cpf::is_valid(&mask_cpf(&t)));
        }
    }

    #[test]
    fn cnpj_substitutions_are_caught_unless_provably_blind(
        v in any_cnpj(),
        i in 0usize..14,
        shift in 1usize..36,
    ) {
        let old = v.as_str().as_bytes()[i];
        let at = ALNUM.iter().position(|&a| a == old).unwrap();
        let c = ALNUM[(at + shift) % ALNUM.len()]; // any other character of 0-9A-Z
        let mut t = v.as_str().as_bytes().to_vec();
        t[i] = c;
        let t = String::from_utf8(t).unwrap();
        if i >= 12 && c.is_ascii_uppercase() {
            // A letter in a check-digit position.
            prop_assert_eq!(Cnpj::parse(&t).unwrap_err().code(), "cnpj_character");
        } else if !substitution_may_be_missed(&CNPJ_W1, &CNPJ_W2, i, old, c) {
            prop_assert!(!Cnpj::is_valid(&t), "{} → {}", v.as_str(), t);
            prop_assert!(!Cnpj::is_valid(&mask_cnpj(&t)));
        }
    }

    #[test]
    fn substitutions_outside_the_alphabet_are_always_caught(
        v in prop_oneof![
            any_cpf().prop_map(|v| v.to_formatted_string()),
            any_cpf().prop_map(|v| v.as_str().to_owned()),
            any_cnpj().prop_map(|v| v.to_formatted_string()),
            any_cnpj().prop_map(|v| v.as_str().to_owned()),
        ],
        i in 0usize..18,
        c in any::<char>(),
    ) {
        let i = i % v.len();
        let old = char::from(v.as_bytes()[i]);
        prop_assume!(c != old && !c.is_ascii_digit() && !c.is_ascii_uppercase());
        let mut t = v.clone();
        t.replace_range(i..=i, c.encode_utf8(&mut [0; 4]));
        prop_assert!(!Cpf::is_valid(&t), "{v} → {t}");
        prop_assert!(!Cnpj::is_valid(&t), "{v} → {t}");
        prop_assert!(!TaxId::is_valid(&t), "{v} → {t}");
    }

    #[test]
    fn cpf_transpositions_are_caught_unless_provably_blind(v in any_cpf(), i in 0usize..10) {
        let s = v.as_str().as_bytes();
        prop_assume!(s[i] != s[i + 1]);
        let mut t = s.to_vec();
        t.swap(i, i + 1);
        let t = String::from_utf8(t).unwrap();
        if !transposition_may_be_missed(&CPF_W1, &CPF_W2, s, i) {
            prop_assert!(!Cpf::is_valid(&t), "{} → {}", v.as_str(), t);
        }
    }

    #[test]
    fn cnpj_transpositions_are_caught_unless_provably_blind(v in any_cnpj(), i in 0usize..13) {
        let s = v.as_str().as_bytes();
        prop_assume!(s[i] != s[i + 1]);
        let mut t = s.to_vec();
        t.swap(i, i + 1);
        let t = String::from_utf8(t).unwrap();
        if !transposition_may_be_missed(&CNPJ_W1, &CNPJ_W2, s, i) {
            prop_assert!(!Cnpj::is_valid(&t), "{} → {}", v.as_str(), t);
        }
    }

    #[test]
    fn transpositions_involving_a_separator_are_always_caught(
        v in prop_oneof![
            any_cpf().prop_map(|v| v.to_formatted_string()),
            any_cnpj().prop_map(|v| v.to_formatted_string()),
        ],
        which in 0usize..8,
    ) {
        // Swap a separator with its left or right neighbour (always a different character).
        let s = v.as_bytes();
        let seps: Vec<usize> = (0..s.len()).filter(|&i| matches!(s[i], b'.' | b'/' | b'-')).collect();
        let p = seps[which % seps.len()];
        let i = if (which / seps.len()).is_multiple_of(2) { p - 1 } else { p };
        let mut t = s.to_vec();
        t.swap(i, i + 1);
        let t = String::from_utf8(t).unwrap();
        let code = TaxId::parse_any(&t).unwrap_err().code();
        prop_assert!(code.ends_with("_mask"), "{v} → {t}: {code}");
    }

    #[test]
    fn loose_normalisation_recovers_the_value(
        (v, input) in any_cnpj().prop_flat_map(|v| (Just(v), noisy(v.to_formatted_string()))),
    ) {
        prop_assert_eq!(Cnpj::parse(&normalize::loose(&input)), Ok(v), "{:?}", input);
        prop_assert_eq!(TaxId::parse_any(&normalize::loose(&input)), Ok(TaxId::Cnpj(v)));
    }

    #[test]
    fn loose_normalisation_recovers_the_cpf(
        (v, input) in any_cpf().prop_flat_map(|v| (Just(v), noisy(v.to_formatted_string()))),
    ) {
        prop_assert_eq!(Cpf::parse(&normalize::loose(&input)), Ok(v), "{:?}", input);
    }

    #[test]
    fn serpro_normalisation_recovers_the_value(
        v in any_cnpj(),
        lead in "[ \t\r\n]{0,3}",
        trail in "[ \t\r\n]{0,3}",
        seps in proptest::collection::vec(proptest::sample::select(vec!["", ".", "/", "-", "./"]), 14),
    ) {
        // Arbitrary separators anywhere, surrounding whitespace: what the Java reference
        // accepts.
        let mut garbled = lead.clone();
        for (c, sep) in v.as_str().chars().zip(&seps) {
            garbled.push(c);
            garbled.push_str(sep);
        }
        garbled.push_str(&trail);
        prop_assert_eq!(Cnpj::parse(&normalize::serpro(&garbled)), Ok(v));
    }

    #[test]
    fn parse_never_panics_on_arbitrary_strings(s in any::<String>()) {
        check_total(&s)?;
    }

    #[test]
    fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let s = String::from_utf8_lossy(&bytes);
        check_total(&s)?;
    }

    #[test]
    fn parse_never_panics_on_near_misses(s in near_miss()) {
        check_total(&s)?;
    }
}

/// Runs every entry point on `s`; whatever is accepted must be canonical and stable, and every
/// error must be well-formed.
fn check_total(s: &str) -> Result<(), TestCaseError> {
    for result in [
        Cpf::parse(s).map(TaxId::Cpf),
        Cnpj::parse(s).map(TaxId::Cnpj),
        TaxId::parse_any(s),
        Cpf::parse(&normalize::loose(s)).map(TaxId::Cpf),
        Cnpj::parse(&normalize::serpro(s)).map(TaxId::Cnpj),
    ] {
        match result {
            Ok(v) => {
                prop_assert_eq!(TaxId::parse_any(v.as_str()), Ok(v));
                prop_assert_eq!(TaxId::parse_any(&v.to_formatted_string()), Ok(v));
            }
            Err(e) => {
                prop_assert!(ALL_CODES.iter().any(|(c, _)| *c == e.code()));
                if let Some(p) = e.position() {
                    prop_assert!(p < s.len());
                }
                let _ = e.to_string();
            }
        }
    }
    prop_assert_eq!(Cpf::is_valid(s), Cpf::parse(s).is_ok());
    let u = Unverified::<Cnpj>::new(s);
    let _ = format!("{u:?}");
    let _ = u.verified();
    let json = serde_json::to_string(s).unwrap();
    let kept: Unverified<Cpf> = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(kept.as_received(), s);
    let _ = serde_json::from_str::<Cpf>(&json);
    let _ = serde_json::from_str::<TaxId>(&json);
    Ok(())
}
