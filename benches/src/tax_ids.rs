//! The tax ids measured, each valid, in the spellings clients send: bare, masked, and the
//! alphanumeric CNPJ (valid since July 2026, which the `cpf` and `cnpj` crates reject).

/// A bare CPF.
pub const CPF_BARE: &str = "28001238938";
/// The same CPF, masked.
pub const CPF_MASKED: &str = "280.012.389-38";
/// A bare numeric CNPJ.
pub const CNPJ_BARE: &str = "11222333000181";
/// The same CNPJ, masked.
pub const CNPJ_MASKED: &str = "11.222.333/0001-81";
/// A bare alphanumeric CNPJ.
pub const CNPJ_ALPHANUMERIC: &str = "12ABC34501DE35";
/// The same alphanumeric CNPJ, masked.
pub const CNPJ_ALPHANUMERIC_MASKED: &str = "12.ABC.345/01DE-35";

/// Every CPF input, named.
pub const CPFS: &[(&str, &str)] = &[("bare", CPF_BARE), ("masked", CPF_MASKED)];

/// Every CNPJ input, named.
pub const CNPJS: &[(&str, &str)] = &[
    ("bare", CNPJ_BARE),
    ("masked", CNPJ_MASKED),
    ("alphanumeric", CNPJ_ALPHANUMERIC),
    ("alphanumeric masked", CNPJ_ALPHANUMERIC_MASKED),
];
