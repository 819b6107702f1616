//! The payloads measured: a Create a Link request with every member used, the same with five
//! violations, a consent list of any length, and a checking statement of any number of
//! transactions.

/// A valid Create a Link request using every member (both tax ids, masked, the App2App pair, the
/// deprecated `applicationLink`, per-product callbacks, `externalInfo` with customization): about
/// 600 bytes of compact JSON.
pub const CREATE_LINK_VALID: &str = concat!(
    r#"{"personalTaxId":"280.012.389-38","businessTaxId":"12.ABC.345/01DE-35","#,
    r#""email":"maria@example.com","phone":"+55 11 91234-5678","institutionCode":"260","#,
    r#""redirectURL":"https://acme.com.br/klavi/return","#,
    r#""productsCallbackURL":{"pf_checking_account":"https://acme.com.br/c","#,
    r#""pf_credit_card":"https://acme.com.br/k","other":"https://acme.com.br/o"},"#,
    r#""externalInfo":{"traceId":"t-2f9c","customization":{"institutions":["001","033","260"],"#,
    r#""landingTitle":"Hello","landingSubtitle":"Welcome"}},"#,
    r#""connectionKey":"ck-7f3a9b","appLink":"myapp://klavi/callback","appRedirectURLKey":"klaviRedirect","#,
    r#""applicationLink":"https://acme.com.br/klavi/app"}"#
);

/// A Create a Link request with five violations: a CPF check digit, an e-mail, an empty
/// `institutionCode`, `all` beside another key in `productsCallbackURL`, and `appLink` without
/// `appRedirectURLKey`.
pub const CREATE_LINK_INVALID: &str = concat!(
    r#"{"personalTaxId":"123.456.789-00","email":"not-an-email","institutionCode":"","#,
    r#""redirectURL":"https://acme.com.br/klavi/return","#,
    r#""productsCallbackURL":{"all":"https://acme.com.br/wh/all","pf_credit_card":"https://acme.com.br/k"},"#,
    r#""appLink":"myapp://klavi/callback"}"#
);

/// A Get Consent List response of `count` consents, each with its own ids (as the API sends
/// them: UUIDs, millisecond timestamps, an empty `businessTaxId`).
pub fn consent_list(count: usize) -> String {
    let mut out = String::with_capacity(count * 620 + 2);
    out.push('[');
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        let status = [
            "AUTHORISED",
            "REVOKED",
            "AWAITING_AUTHORISATION",
            "REJECTED",
        ][i % 4];
        out.push_str(&format!(
            concat!(
                r#"{{"consentId":"ac246093-353b-4310-bd9c-{i:012x}","linkId":"85a3af9f-e8ab-4be8-86dd-{i:012x}","#,
                r#""externalTrackId":"113ee41e-1ecf-41b7-b6a9-{i:012x}","personalTaxId":"16109277673","#,
                r#""businessTaxId":"","institutionCode":"001","status":"{status}","#,
                r#""permissionsApply":["ACCOUNTS_ALL","CREDIT_CARDS_ALL","CREDIT_OPERATIONS_ALL","REGISTRATION_ALL","INVESTMENTS_ALL"],"#,
                r#""permissionsGranted":["ACCOUNTS_ALL","CREDIT_CARDS_ALL","CREDIT_OPERATIONS_ALL","REGISTRATION_ALL","INVESTMENTS_ALL"],"#,
                r#""expireAt":"2024-12-07T23:59:59.999Z","createdAt":"2023-12-08T09:19:19.253Z","updatedAt":"2023-12-08T11:29:50.253Z"}}"#
            ),
            i = i,
            status = status
        ));
    }
    out.push(']');
    out
}

/// A `pf_checking_account` report (the product example's envelope and account) whose account
/// has `count` transactions of the docs' L3 shape, each with its own id, date and amount: about
/// 690 bytes a transaction, so 10,000 make about 6.9 MB.
pub fn checking_statement(count: usize) -> String {
    let mut transactions = String::with_capacity(count * 530);
    for i in 0..count {
        if i > 0 {
            transactions.push(',');
        }
        let (kind, sign) = if i % 3 == 0 {
            ("CREDITO", "")
        } else {
            ("DEBITO", "-")
        };
        let day = 1 + i % 28;
        let cents = 1000 + (i * 7919) % 99_000;
        transactions.push_str(&format!(
            concat!(
                r#"{{"transactionDate":"2021-01-{day:02}","transactionDateTime":"2021-01-{day:02}T12:{min:02}:03.374Z","#,
                r#""transactionId":"TX{i:010}","completedAuthorisedPaymentType":"TRANSACAO_EFETIVADA","#,
                r#""creditDebitType":"{kind}","transactionAmount":{{"amount":"{whole}.{frac:02}00","currency":"BRL"}},"#,
                r#""transactionName":"TRANSFCWAR5TXHCX5I9IDBHML8082N8NEO30M6LNNG7ANAYIJYRM00ZBZPU8","#,
                r#""partieCnpjCpf":"28001238938","partiePersonType":"PESSOA_NATURAL","partieCompeCode":"001","#,
                r#""partieBranchCode":"6272","partieNumber":"67890854360","partieCheckDigit":"4","#,
                r#""postTransactionBalance":"{sign}{whole}.{frac:02}","type":"PIX","category":"Renda","#,
                r#""subcategory":"Renda ativa","thirdCategory":"Salário","fAll":1,"fAllMonth":0,"fAllCmonth":1,"settlementType":"PIX"}}"#
            ),
            day = day,
            min = i % 60,
            i = i,
            kind = kind,
            sign = sign,
            whole = cents / 100,
            frac = cents % 100,
        ));
    }
    format!(
        concat!(
            r#"{{"code":200,"message":"OK","requestId":"112334","productName":"pf_checking_account","#,
            r#""productVersion":"V1","productReportId":"4b2c1648-231f-11eb-97c4-f45c899f4587","#,
            r#""productReportTime":"2019-12-23T06:10:43","enquiryCpf":"12345678909","#,
            r#""links":[{{"linkId":"gPuKXrCJU05J4k","institutionCode":"033","consents":[{{"consentId":"f55c899f-11eb-231f-97c4-4b2c16484587","#,
            r#""permissions":{{"REGISTRATION_ALL":{{"permissionsGranted":true,"accountIds":["123456"]}}}}}}]}}],"#,
            r#""checkingAccounts":[{{"brandName":"Organização A","bacenName":"Organização A","compeCode":"001","#,
            r#""companyCnpj":"50685362006773","branchCode":"6272","number":"94088392","checkDigit":"4","#,
            r#""subtype":"INDIVIDUAL","civilName":"Mike","balances":{{"availableAmount":{{"amount":"1000.0400","currency":"BRL"}},"#,
            r#""blockedAmount":{{"amount":"0.0000","currency":"BRL"}}}},"transactionDetails":[{transactions}]}}],"#,
            r#""externalInfo":{{"myTraceId":"yourTraceId-1"}}}}"#
        ),
        transactions = transactions
    )
}
