//! The shape fixtures (`tests/shapes/`: one module per shape the generator understands), compiled
//! against this crate's runtime and held to their schemas: a valid payload reads into the typed
//! value, and each mistake the shape exists to catch is the violation the schema names. Their
//! generated code is reviewed as snapshots by the workspace tests
//! (`tests/tests/it/generated_code.rs`).
//!
//! The generated code names the runtime as `crate::shape_fixtures`: this module sees every item
//! of the crate root (the glob import below), as the crate root sees them for the real schemas.

#![allow(dead_code)]

use crate::*;

klavi_derive::generate!(
    index = "tests/shapes/endpoints.json",
    runtime = crate::shape_fixtures
);

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(errors: &ValidationErrors) -> Vec<(String, &'static str)> {
        errors
            .iter()
            .map(|v| (v.pointer().to_owned(), v.code()))
            .collect()
    }

    /// The (pointer, code) of every violation of `json` read as `T`; empty when it is valid.
    ///
    /// The compiled check is held to it on every payload of these tests: the same verdict, the
    /// typed path's violation among its own, and (feature `diagnostics`) exactly the list of
    /// the diagnostics for the shape's message.
    fn violations<T: serde::de::DeserializeOwned + Validate + CheckJson>(
        json: &str,
    ) -> Vec<(String, &'static str)> {
        let typed = match from_json::<T>(json.as_bytes()) {
            Ok(_) => Vec::new(),
            Err(errors) => listed(&errors),
        };
        let compiled = check_json::<T>(json.as_bytes())
            .err()
            .map(|e| listed(&e))
            .unwrap_or_default();
        assert_eq!(
            typed.is_empty(),
            compiled.is_empty(),
            "{json}: {compiled:?}"
        );
        if let Some((pointer, code)) = typed.first() {
            // A map key its enumeration refuses is `enum` to the typed reader, `invalid_key`
            // to the schema (and to the lists, which say it once).
            let same = |(p, c): &(String, &str)| {
                p == pointer && (c == code || (*code == "enum" && *c == "invalid_key"))
            };
            assert!(
                compiled.iter().any(same),
                "{json}: {pointer} {code} in {compiled:?}"
            );
        }
        #[cfg(feature = "diagnostics")]
        {
            let type_name = std::any::type_name::<T>();
            let info = GENERATED_ENDPOINTS
                .iter()
                .flat_map(|e| e.messages.iter())
                .find(|m| type_name.ends_with(m.type_name.trim_start_matches("crate")))
                .expect("a shape message of this type");
            let diagnostics = crate::diagnostics::Diagnostics::of([info]);
            let expected = diagnostics.check(info.id, json.as_bytes()).unwrap();
            let expected: Vec<_> = expected
                .iter()
                .map(|v| (v.pointer().to_owned(), v.code()))
                .collect();
            assert_eq!(compiled, expected, "{json} as {}", info.id);
        }
        typed
    }

    /// `json` read as `T`, which must be valid (the compiled check too says so).
    fn read<T: serde::de::DeserializeOwned + Validate + CheckJson>(json: &str) -> T {
        assert_eq!(check_json::<T>(json.as_bytes()), Ok(()), "{json}");
        from_json::<T>(json.as_bytes()).unwrap_or_else(|errors| panic!("{json}: {errors}"))
    }

    #[test]
    fn structs() {
        use super::structs::{StructsRequest, StructsResponse};
        let request: StructsRequest = read(r#"{"name": "Ana", "email": "a@b.c"}"#);
        assert_eq!(request.name, "Ana");
        assert_eq!(
            violations::<StructsRequest>(r#"{"name": "Ana", "phone": "1", "extra": 1}"#),
            [("/extra".to_owned(), "unknown_field")]
        );
        assert_eq!(
            violations::<StructsRequest>(r#"{"name": "Ana", "email": null}"#),
            [("/email".to_owned(), "type")]
        );
        assert_eq!(
            violations::<StructsRequest>(r#"{"name": "Ana", "appLink": "x"}"#),
            [
                ("/appKey".to_owned(), "dependent_required"),
                (String::new(), "missing_one_of")
            ]
        );
        let response: StructsResponse = read(r#"{"id": "1", "eventID": "e", "later": true}"#);
        assert_eq!(response.event_id.as_deref(), Some("e"));
        assert_eq!(
            violations::<StructsResponse>(r#"{"eventId": "e"}"#),
            [("/id".to_owned(), "required")]
        );
    }

    #[test]
    fn free_form_objects_keep_what_they_do_not_declare() {
        use super::free_form::{FreeFormRequest, FreeFormResponse};
        let request: FreeFormRequest = read(r#"{"kind": "a", "amount": 1.10}"#);
        assert_eq!(request.extra["amount"], serde_json::json!(1.1));
        let response: FreeFormResponse = read(r#"{"kind": "a", "amount": 1.10}"#);
        assert_eq!(response.extra["amount"].get(), "1.10");
    }

    #[test]
    fn enums_are_closed_for_requests_and_open_for_responses() {
        use super::enums::{EnumsRequest, EnumsRequestColor, EnumsResponse, EnumsResponseStatus};
        let request: EnumsRequest = read(r#"{"color": "GREEN"}"#);
        assert_eq!(request.color, Some(EnumsRequestColor::Green));
        assert_eq!(
            violations::<EnumsRequest>(r#"{"color": "BLUE"}"#),
            [("/color".to_owned(), "enum")]
        );
        let response: EnumsResponse = read(r#"{"status": "PAUSED"}"#);
        assert_eq!(
            response.status,
            Some(EnumsResponseStatus::Unknown("PAUSED".into()))
        );
        assert_eq!(EnumsResponseStatus::Active.as_str(), "ACTIVE");
    }

    #[test]
    fn integer_enums_read_numbers() {
        use super::int_enums::{IntEnumsRequest, IntEnumsResponse, IntEnumsResponseCode};
        let request: IntEnumsRequest = read(r#"{"period": 12}"#);
        assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"period":12}"#);
        assert_eq!(
            violations::<IntEnumsRequest>(r#"{"period": 6}"#),
            [("/period".to_owned(), "enum")]
        );
        let response: IntEnumsResponse = read(r#"{"code": 9}"#);
        assert_eq!(response.code, Some(IntEnumsResponseCode::Unknown(9)));
        let known: IntEnumsResponse = read(r#"{"code": 2}"#);
        assert_eq!(known.code, Some(IntEnumsResponseCode::Pending));
    }

    #[test]
    fn an_exclusive_key_stands_alone() {
        use super::exclusive_maps::{ExclusiveMapsRequest, ExclusiveMapsRequestCallbacks};
        let request: ExclusiveMapsRequest = read(r#"{"callbacks": {"all": "https://a"}}"#);
        assert!(matches!(
            request.callbacks,
            Some(ExclusiveMapsRequestCallbacks::All(_))
        ));
        read::<ExclusiveMapsRequest>(r#"{"callbacks": {"checking": "a", "savings": "b"}}"#);
        assert_eq!(
            violations::<ExclusiveMapsRequest>(r#"{"callbacks": {"all": "a", "checking": "b"}}"#),
            [("/callbacks".to_owned(), "mutually_exclusive")]
        );
        assert_eq!(
            violations::<ExclusiveMapsRequest>(r#"{"callbacks": {"checking": ""}}"#),
            [("/callbacks/checking".to_owned(), "min_length")]
        );
    }

    #[test]
    fn maps_check_their_keys_and_values() {
        use super::maps::{MapsRequest, MapsRequestLimitsKey};
        let request: MapsRequest = read(r#"{"limits": {"daily": 3}}"#);
        assert_eq!(request.limits.unwrap()[&MapsRequestLimitsKey::Daily], 3);
        assert_eq!(
            violations::<MapsRequest>(r#"{"limits": {"weekly": 3}}"#),
            [("/limits/weekly".to_owned(), "enum")]
        );
        assert_eq!(
            violations::<MapsRequest>(r#"{"limits": {"daily": -1}}"#),
            [("/limits/daily".to_owned(), "minimum")]
        );
    }

    #[test]
    fn unions_are_told_apart_by_their_tag() {
        use super::unions::{UnionsResponse, UnionsResponseMfa};
        let basic: UnionsResponse = read(r#"{"mfa": {"kind": "basic", "password": "p"}}"#);
        assert!(matches!(basic.mfa, Some(UnionsResponseMfa::Basic(_))));
        let token: UnionsResponse = read(r#"{"mfa": {"kind": "token"}}"#);
        assert_eq!(token.mfa.unwrap().tag(), Some("token"));
        let unknown: UnionsResponse = read(r#"{"mfa": {"kind": "face", "x": 1}}"#);
        assert!(matches!(unknown.mfa, Some(UnionsResponseMfa::Unknown(_))));
        // A known tag whose members do not fit is kept too: the catch-all accepts any object.
        let misfit: UnionsResponse = read(r#"{"mfa": {"kind": "basic"}}"#);
        assert!(matches!(misfit.mfa, Some(UnionsResponseMfa::Unknown(_))));
    }

    #[test]
    fn bodies_are_chosen_by_their_member() {
        use super::bodies::{BodiesResponse, BodiesResponseBody};
        // The body comes before its tag: members are read in any order.
        let money: BodiesResponse =
            read(r#"{"amounts": ["1.50", 2.0400], "kind": "pj_money", "x": 1}"#);
        let BodiesResponseBody::Money(body) = &money.body else {
            panic!("{:?}", money.body)
        };
        assert_eq!(body.amounts.as_ref().unwrap()[1].as_str(), "2.0400");
        assert_eq!(money.extra["x"].get(), "1");
        assert_eq!(
            serde_json::to_string(&money).unwrap(),
            r#"{"kind":"pj_money","amounts":["1.50",2.0400],"x":1}"#
        );
        let unknown: BodiesResponse = read(r#"{"kind": "other", "amounts": true}"#);
        let BodiesResponseBody::Unknown(members) = &unknown.body else {
            panic!("{:?}", unknown.body)
        };
        assert_eq!(members["amounts"].get(), "true");
        assert!(unknown.extra.is_empty());
        assert_eq!(BodiesResponseBody::KNOWN, ["pf_money", "pj_money", "names"]);
        // The body's mistakes, at the body's pointers: types, then its own rules.
        assert_eq!(
            violations::<BodiesResponse>(r#"{"kind": "pf_money", "amounts": [true]}"#),
            [("/amounts/0".to_owned(), "type")]
        );
        assert_eq!(
            violations::<BodiesResponse>(r#"{"kind": "names"}"#),
            [("/names".to_owned(), "required")]
        );
        assert_eq!(
            violations::<BodiesResponse>(r#"{"kind": "names", "names": []}"#),
            [("/names".to_owned(), "min_items")]
        );
    }

    #[test]
    fn one_or_many_reads_both_forms() {
        use super::one_or_many::OneOrManyResponse;
        let one: OneOrManyResponse = read(r#"{"items": {"id": "a"}}"#);
        let many: OneOrManyResponse = read(r#"{"items": [{"id": "a"}, {"id": "b"}]}"#);
        assert_eq!(one.items.unwrap().0.len(), 1);
        assert_eq!(many.items.unwrap().0.len(), 2);
        assert_eq!(
            violations::<OneOrManyResponse>(r#"{"items": "a"}"#),
            [("/items".to_owned(), "type")]
        );
    }

    #[test]
    fn conditionals_require_members_for_one_value() {
        use super::conditionals::ConditionalsRequest;
        read::<ConditionalsRequest>(r#"{"kind": 2}"#);
        read::<ConditionalsRequest>(r#"{"kind": 1, "code": "c"}"#);
        assert_eq!(
            violations::<ConditionalsRequest>(r#"{"kind": 1}"#),
            [("/code".to_owned(), "dependent_required")]
        );
    }

    #[test]
    fn an_alone_item_cannot_share_its_array() {
        use super::alone_items::AloneItemsRequest;
        read::<AloneItemsRequest>(r#"{"products": ["all"]}"#);
        read::<AloneItemsRequest>(r#"{"products": ["a", "b"]}"#);
        assert_eq!(
            violations::<AloneItemsRequest>(r#"{"products": ["a", "all"]}"#),
            [("/products".to_owned(), "mutually_exclusive")]
        );
        assert_eq!(
            violations::<AloneItemsRequest>(r#"{"products": []}"#),
            [("/products".to_owned(), "min_items")]
        );
    }

    #[test]
    fn an_array_root_is_a_newtype_with_its_checks() {
        use super::arrays::ArraysRequest;
        let request: ArraysRequest = read(r#"["a", "b"]"#);
        assert_eq!(request.0, ["a", "b"]);
        assert_eq!(
            violations::<ArraysRequest>(r#"["a", "b", "c"]"#),
            [(String::new(), "max_items")]
        );
        assert_eq!(
            violations::<ArraysRequest>(r#"["abcd"]"#),
            [("/0".to_owned(), "max_length")]
        );
    }

    #[test]
    fn scalars_keep_their_bounds() {
        use super::scalars::ScalarsRequest;
        let request: ScalarsRequest =
            read(r#"{"name": "Ana", "count": 2, "flag": true, "anything": [1], "object": {}}"#);
        assert_eq!(request.anything, Some(serde_json::json!([1])));
        assert_eq!(
            violations::<ScalarsRequest>(r#"{"name": "A", "count": 4}"#),
            [
                ("/name".to_owned(), "min_length"),
                ("/count".to_owned(), "maximum")
            ]
        );
        assert_eq!(
            violations::<ScalarsRequest>(r#"{"count": 2.5}"#),
            [("/count".to_owned(), "type")]
        );
    }

    #[test]
    fn formats_are_their_runtime_types() {
        use super::formatted::FormattedRequest;
        let request: FormattedRequest = read(
            r#"{"cpf": "529.982.247-25", "cnpj": "11.222.333/0001-81", "email": "a@b.co",
                "site": "https://a.example/x", "token": "s3cr3t"}"#,
        );
        assert_eq!(request.cpf.unwrap().as_str(), "52998224725");
        assert!(!format!("{:?}", request.token).contains("s3cr3t"));
        assert_eq!(
            violations::<FormattedRequest>(r#"{"cpf": "529.982.247-24"}"#),
            [("/cpf".to_owned(), "cpf_check_digit")]
        );
        assert_eq!(
            violations::<FormattedRequest>(r#"{"email": "no-at"}"#),
            [("/email".to_owned(), "email")]
        );
    }
}
