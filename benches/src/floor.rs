//! The floor: plain serde deserialization into the same representation as the generated types,
//! with every check removed. Tax ids are still copied into inline arrays (`[u8; 11]`,
//! `[u8; 14]`) but no length, character or check digit is looked at; URLs, e-mails and
//! timestamps are kept as strings, unparsed; unknown members are ignored; `all` may sit beside
//! other keys. Nothing here is usable as a validator: it is the cost of reading the bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// Copies the ASCII letters and digits of a string into a fixed array, skipping mask
/// characters: the representation of `Cpf` (`N = 11`) and `Cnpj` (`N = 14`), without a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digits<const N: usize>(pub [u8; N]);

impl<'de, const N: usize> Deserialize<'de> for Digits<N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let mut out = [b'0'; N];
        for (slot, byte) in out
            .iter_mut()
            .zip(text.bytes().filter(u8::is_ascii_alphanumeric))
        {
            *slot = byte;
        }
        Ok(Digits(out))
    }
}

/// A string-valued enum of the API with an `Unknown` catch-all, matched without any check.
macro_rules! open_enum {
    ($name:ident { $($wire:literal => $variant:ident),+ $(,)? }) => {
        /// Floor twin of the generated enum of the same name.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $name {
            $(
                #[doc = $wire]
                $variant,
            )+
            /// Any other value.
            Unknown(String),
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(match text.as_ref() {
                    $($wire => $name::$variant,)+
                    _ => $name::Unknown(text.into_owned()),
                })
            }
        }
    };
}

open_enum!(ConsentStatus {
    "STARTED" => Started,
    "AWAITING_AUTHORISATION" => AwaitingAuthorisation,
    "AWAITING_LGPD_AUTHORISATION" => AwaitingLgpdAuthorisation,
    "AUTHORISED" => Authorised,
    "ERROR" => Error,
    "REJECTED" => Rejected,
    "REVOKED" => Revoked,
});

open_enum!(Permission {
    "REGISTRATION_ALL" => RegistrationAll,
    "ACCOUNTS_ALL" => AccountsAll,
    "CREDIT_CARDS_ALL" => CreditCardsAll,
    "CREDIT_OPERATIONS_ALL" => CreditOperationsAll,
    "INVESTMENTS_ALL" => InvestmentsAll,
});

/// Floor twin of `klavi_types::links::CreateLinkRequest`.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct CreateLinkRequest {
    #[serde(rename = "personalTaxId")]
    pub personal_tax_id: Option<Digits<11>>,
    #[serde(rename = "businessTaxId")]
    pub business_tax_id: Option<Digits<14>>,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(rename = "institutionCode")]
    pub institution_code: Option<String>,
    #[serde(rename = "redirectURL")]
    pub redirect_url: Option<String>,
    #[serde(rename = "productsCallbackURL")]
    pub products_callback_url: Option<BTreeMap<String, String>>,
    #[serde(rename = "externalInfo")]
    pub external_info: Option<ExternalInfo>,
    #[serde(rename = "connectionKey")]
    pub connection_key: Option<String>,
    #[serde(rename = "appLink")]
    pub app_link: Option<String>,
    #[serde(rename = "appRedirectURLKey")]
    pub app_redirect_url_key: Option<String>,
    #[serde(rename = "applicationLink")]
    pub application_link: Option<String>,
}

/// Floor twin of `klavi_types::common::ExternalInfo` (free-form members kept).
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct ExternalInfo {
    pub customization: Option<Customization>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Floor twin of `klavi_types::common::Customization`.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct Customization {
    pub institutions: Option<Vec<String>>,
    #[serde(rename = "landingTitle")]
    pub landing_title: Option<String>,
    #[serde(rename = "landingSubtitle")]
    pub landing_subtitle: Option<String>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Floor twin of `klavi_types::consents::Consent`.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct Consent {
    #[serde(rename = "consentId")]
    pub consent_id: String,
    #[serde(rename = "linkId")]
    pub link_id: String,
    #[serde(rename = "externalTrackId")]
    pub external_track_id: String,
    #[serde(rename = "personalTaxId")]
    pub personal_tax_id: String,
    #[serde(rename = "businessTaxId")]
    pub business_tax_id: String,
    #[serde(rename = "institutionCode")]
    pub institution_code: String,
    pub status: ConsentStatus,
    #[serde(rename = "permissionsApply")]
    pub permissions_apply: Vec<Permission>,
    #[serde(rename = "permissionsGranted")]
    pub permissions_granted: Vec<Permission>,
    #[serde(rename = "expireAt")]
    pub expire_at: String,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
}

/// Floor twin of a `pf_checking_account` report: the envelope's members, the accounts and their
/// transactions as plain strings and numbers (amounts kept as their text, as ours are).
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct CheckingStatementReport {
    pub code: i64,
    pub message: String,
    #[serde(rename = "requestId")]
    pub request_id: String,
    #[serde(rename = "productName")]
    pub product_name: String,
    #[serde(rename = "productVersion")]
    pub product_version: String,
    #[serde(rename = "productReportId")]
    pub product_report_id: String,
    #[serde(rename = "productReportTime")]
    pub product_report_time: String,
    #[serde(rename = "enquiryCpf")]
    pub enquiry_cpf: String,
    pub links: Vec<serde_json::Value>,
    #[serde(rename = "checkingAccounts")]
    pub checking_accounts: Vec<StatementAccount>,
}

/// Floor twin of `klavi_types::products::DepositAccount`.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct StatementAccount {
    #[serde(rename = "brandName")]
    pub brand_name: String,
    #[serde(rename = "bacenName")]
    pub bacen_name: String,
    #[serde(rename = "compeCode")]
    pub compe_code: String,
    #[serde(rename = "companyCnpj")]
    pub company_cnpj: String,
    #[serde(rename = "branchCode")]
    pub branch_code: Option<String>,
    pub number: String,
    #[serde(rename = "checkDigit")]
    pub check_digit: String,
    pub subtype: String,
    #[serde(rename = "civilName")]
    pub civil_name: String,
    pub balances: BTreeMap<String, FloorMoney>,
    #[serde(rename = "transactionDetails")]
    pub transaction_details: Vec<StatementTransaction>,
}

/// Floor twin of `klavi_types::products::Money`.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct FloorMoney {
    pub amount: String,
    pub currency: String,
}

/// Floor twin of `klavi_types::products::DepositTransaction`.
#[allow(missing_docs)]
#[derive(Debug, Deserialize)]
pub struct StatementTransaction {
    #[serde(rename = "transactionDate")]
    pub transaction_date: String,
    #[serde(rename = "transactionDateTime")]
    pub transaction_date_time: String,
    #[serde(rename = "transactionId")]
    pub transaction_id: String,
    #[serde(rename = "completedAuthorisedPaymentType")]
    pub completed_authorised_payment_type: String,
    #[serde(rename = "creditDebitType")]
    pub credit_debit_type: String,
    #[serde(rename = "transactionAmount")]
    pub transaction_amount: FloorMoney,
    #[serde(rename = "transactionName")]
    pub transaction_name: String,
    #[serde(rename = "partieCnpjCpf")]
    pub partie_cnpj_cpf: String,
    #[serde(rename = "partiePersonType")]
    pub partie_person_type: String,
    #[serde(rename = "partieCompeCode")]
    pub partie_compe_code: String,
    #[serde(rename = "partieBranchCode")]
    pub partie_branch_code: String,
    #[serde(rename = "partieNumber")]
    pub partie_number: String,
    #[serde(rename = "partieCheckDigit")]
    pub partie_check_digit: String,
    #[serde(rename = "postTransactionBalance")]
    pub post_transaction_balance: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub category: String,
    pub subcategory: String,
    #[serde(rename = "thirdCategory")]
    pub third_category: String,
    #[serde(rename = "fAll")]
    pub f_all: i64,
    #[serde(rename = "fAllMonth")]
    pub f_all_month: i64,
    #[serde(rename = "fAllCmonth")]
    pub f_all_cmonth: i64,
    #[serde(rename = "settlementType")]
    pub settlement_type: String,
}
