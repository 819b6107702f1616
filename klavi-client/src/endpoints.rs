//! A named method per endpoint of the index, each a thin call of [`KlaviClient::send`] or
//! [`KlaviClient::send_with_link_token`] with the endpoint's own parts: the methods of
//! link-token endpoints take the link's `linkToken` first.
//!
//! [`NAMED_ENDPOINTS`] lists the endpoint ids they cover; a test holds it equal to the
//! generated index, so an endpoint added to `schemas/endpoints.json` fails the build of the
//! tests until it has its method here.

use klavi_types::auth::{GenerateAccessToken, RefreshAccessToken};
use klavi_types::consents::{CreateConsent, GetConsent, GetConsentList, RevokeConsent};
use klavi_types::institutions::{GetInstitutionList, GetInstitutionStatus};
use klavi_types::links::CreateLink;
use klavi_types::reports::{
    RequestBusinessInstitutionReport, RequestBusinessUserReport, RequestPersonalInstitutionReport,
    RequestPersonalUserReport,
};
use klavi_types::secret::Secret;
use klavi_types::tasks::{GetTaskStatus, SubmitMfa};
use klavi_types::{Empty, Endpoint};

use crate::client::KlaviClient;
use crate::error::ClientError;

/// The request body of endpoint `E`.
pub type RequestOf<E> = <E as Endpoint>::Request;
/// The path parameters of endpoint `E`.
pub type PathOf<E> = <E as Endpoint>::Path;
/// The query of endpoint `E`.
pub type QueryOf<E> = <E as Endpoint>::Query;
/// The decoded `2xx` body of endpoint `E`.
pub type ResponseOf<E> = <E as Endpoint>::Response;

/// The ids of the endpoints with a named method on [`KlaviClient`], in the index's order.
pub const NAMED_ENDPOINTS: &[&str] = &[
    GenerateAccessToken::ID,
    RefreshAccessToken::ID,
    CreateLink::ID,
    GetInstitutionList::ID,
    GetInstitutionStatus::ID,
    CreateConsent::ID,
    GetConsent::ID,
    GetConsentList::ID,
    RevokeConsent::ID,
    RequestPersonalInstitutionReport::ID,
    RequestPersonalUserReport::ID,
    RequestBusinessUserReport::ID,
    RequestBusinessInstitutionReport::ID,
    GetTaskStatus::ID,
    SubmitMfa::ID,
];

impl KlaviClient {
    /// `POST /data/v1/auth`: a new access token, cached for the calls that follow (calls
    /// authenticate on their own; this is for checking credentials at start-up). Returns the
    /// token's lifetime, never the token.
    ///
    /// # Errors
    ///
    /// See [`ClientError`]; wrong credentials are an [`ClientError::Api`] `401`.
    pub async fn generate_access_token(&self) -> Result<std::time::Duration, ClientError> {
        self.authenticate().await
    }

    /// `GET /data/v1/refresh`: replaces the cached access token by a refreshed one (calls
    /// refresh on their own before it expires). Returns the new token's lifetime.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn refresh_access_token(&self) -> Result<std::time::Duration, ClientError> {
        self.refresh().await
    }

    /// `POST /data/v1/links`: creates a link for an end user.
    ///
    /// # Errors
    ///
    /// See [`ClientError`]; an invalid request (an `appLink` without `appRedirectURLKey`, a
    /// bad CPF…) is [`ClientError::Invalid`] and is not sent.
    pub async fn create_link(
        &self,
        request: &RequestOf<CreateLink>,
    ) -> Result<ResponseOf<CreateLink>, ClientError> {
        self.send::<CreateLink>(&Empty, &Empty, request).await
    }

    /// `GET /data/v1/links/institutions` with the link's `linkToken`.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn get_institution_list(
        &self,
        link_token: &Secret,
    ) -> Result<ResponseOf<GetInstitutionList>, ClientError> {
        self.send_with_link_token::<GetInstitutionList>(link_token, &Empty, &Empty, &Empty)
            .await
    }

    /// `GET /data/v1/links/institutions/status` with the link's `linkToken`.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn get_institution_status(
        &self,
        link_token: &Secret,
    ) -> Result<ResponseOf<GetInstitutionStatus>, ClientError> {
        self.send_with_link_token::<GetInstitutionStatus>(link_token, &Empty, &Empty, &Empty)
            .await
    }

    /// `POST /data/v1/consents` with the link's `linkToken`. Not retried after a `500`,
    /// `502` or `504`: the consent may have been created.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn create_consent(
        &self,
        link_token: &Secret,
        request: &RequestOf<CreateConsent>,
    ) -> Result<ResponseOf<CreateConsent>, ClientError> {
        self.send_with_link_token::<CreateConsent>(link_token, &Empty, &Empty, request)
            .await
    }

    /// `GET /data/v1/consents/{consentId}`.
    ///
    /// # Errors
    ///
    /// See [`ClientError`]; an unknown consent is an [`ClientError::Api`] `404`.
    pub async fn get_consent(
        &self,
        path: &PathOf<GetConsent>,
    ) -> Result<ResponseOf<GetConsent>, ClientError> {
        self.send::<GetConsent>(path, &Empty, &Empty).await
    }

    /// `GET /data/v1/consents?personalTaxId=…` (or `businessTaxId`, `linkId`).
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn get_consent_list(
        &self,
        query: &QueryOf<GetConsentList>,
    ) -> Result<ResponseOf<GetConsentList>, ClientError> {
        self.send::<GetConsentList>(&Empty, query, &Empty).await
    }

    /// `DELETE /data/v1/consents/{consentId}/revoke`.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn revoke_consent(
        &self,
        path: &PathOf<RevokeConsent>,
    ) -> Result<ResponseOf<RevokeConsent>, ClientError> {
        self.send::<RevokeConsent>(path, &Empty, &Empty).await
    }

    /// `POST /data/v1/personal/institution-data`: reports of a person at one institution,
    /// delivered by webhook.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn request_personal_institution_report(
        &self,
        request: &RequestOf<RequestPersonalInstitutionReport>,
    ) -> Result<ResponseOf<RequestPersonalInstitutionReport>, ClientError> {
        self.send::<RequestPersonalInstitutionReport>(&Empty, &Empty, request)
            .await
    }

    /// `POST /data/v1/personal/user-data`: reports of a person across institutions.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn request_personal_user_report(
        &self,
        request: &RequestOf<RequestPersonalUserReport>,
    ) -> Result<ResponseOf<RequestPersonalUserReport>, ClientError> {
        self.send::<RequestPersonalUserReport>(&Empty, &Empty, request)
            .await
    }

    /// `POST /data/v1/business/user-data`: reports of a business across institutions.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn request_business_user_report(
        &self,
        request: &RequestOf<RequestBusinessUserReport>,
    ) -> Result<ResponseOf<RequestBusinessUserReport>, ClientError> {
        self.send::<RequestBusinessUserReport>(&Empty, &Empty, request)
            .await
    }

    /// `POST /data/v1/business/institution-data`: reports of a business at one institution.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn request_business_institution_report(
        &self,
        request: &RequestOf<RequestBusinessInstitutionReport>,
    ) -> Result<ResponseOf<RequestBusinessInstitutionReport>, ClientError> {
        self.send::<RequestBusinessInstitutionReport>(&Empty, &Empty, request)
            .await
    }

    /// `GET /data/v1/tasks/{taskId}/status` (Open Data) with the link's `linkToken`.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn get_task_status(
        &self,
        link_token: &Secret,
        path: &PathOf<GetTaskStatus>,
    ) -> Result<ResponseOf<GetTaskStatus>, ClientError> {
        self.send_with_link_token::<GetTaskStatus>(link_token, path, &Empty, &Empty)
            .await
    }

    /// `POST /data/v1/tasks/{taskId}/mfa` (Open Data) with the link's `linkToken`.
    ///
    /// # Errors
    ///
    /// See [`ClientError`].
    pub async fn submit_mfa(
        &self,
        link_token: &Secret,
        path: &PathOf<SubmitMfa>,
        request: &RequestOf<SubmitMfa>,
    ) -> Result<ResponseOf<SubmitMfa>, ClientError> {
        self.send_with_link_token::<SubmitMfa>(link_token, path, &Empty, request)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_of_the_index_has_a_named_method() {
        let index: Vec<&str> = klavi_types::registry::endpoints()
            .iter()
            .map(|endpoint| endpoint.id)
            .collect();
        assert_eq!(NAMED_ENDPOINTS, index.as_slice());
    }
}
