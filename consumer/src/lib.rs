//! A partner's code, as it would use `klavi-types` from the registry: build and check a Create
//! a Link request, then read what Klavi answers. It depends on `klavi-types` alone: JSON goes
//! through the crate's re-export of `serde_json`.

use klavi_types::formats::HttpUrl;
use klavi_types::links::{CreateLinkRequest, ProductsCallbackUrl};
use klavi_types::tax_id::Cpf;
use klavi_types::{Validate, ValidationErrors};

/// Why a request could not be prepared.
#[derive(Debug)]
pub enum PrepareError {
    /// A value was refused where it was parsed (tax id, URL).
    Value(String),
    /// The request breaks a rule of its schema.
    Invalid(ValidationErrors),
}

/// The body of a Create a Link request for `cpf`, its reports delivered to `reports_url`,
/// checked before it is serialized.
pub fn create_link_body(cpf: &str, reports_url: &str) -> Result<Vec<u8>, PrepareError> {
    let cpf: Cpf = cpf
        .parse()
        .map_err(|error| PrepareError::Value(format!("{error}")))?;
    let reports =
        HttpUrl::parse(reports_url).map_err(|error| PrepareError::Value(format!("{error}")))?;
    let back = HttpUrl::parse("https://partner.example/klavi/back")
        .map_err(|error| PrepareError::Value(format!("{error}")))?;
    let request = CreateLinkRequest::new()
        .with_personal_tax_id(cpf)
        .with_redirect_url(back)
        .with_products_callback_url(ProductsCallbackUrl::all(reports));
    request.validate().map_err(PrepareError::Invalid)?;
    klavi_types::serde_json::to_vec(&request)
        .map_err(|error| PrepareError::Value(format!("{error}")))
}
