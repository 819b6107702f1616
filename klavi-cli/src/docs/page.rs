//! Parsing a kept copy of a docs page in its rendered form (`schemas/docs/ID.page.txt`): the
//! text a browser shows, one token per line (the title, a reading time such as `3min`, the
//! method, `Body Parameters` and the other lists as name / `required` / type / description, a
//! `Response` table of name / type / `Yes` or `No` / description, `Updated 29 Sep 2024`), or
//! the same page flattened to lower-case prose (`response name type required description
//! consentid string yes …`). [`parse_page`] reads it into the same [`Block`] as an API block,
//! as far as the copy goes: a copy cut off (`# truncated: yes`) gives whole only the lists it
//! gets past, and a list it never shows is not taken as empty unless the copy reaches beyond
//! where the page would show it.

use std::collections::HashSet;

use super::block::{Block, DocField, Ending, Form, Location};
use super::example::response_example;
use super::prose::mentions;
use super::table::{
    is_pipe_header, is_type, pipe_table, pipe_table_header, rows, table, table_header, type_name,
};

/// The HTTP methods a page shows on a line of their own.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// The headings of the request lists.
const LISTS: [(&str, Location); 8] = [
    ("path params", Location::Path),
    ("path parameters", Location::Path),
    ("query params", Location::Query),
    ("query parameters", Location::Query),
    ("header parameters", Location::Header),
    ("headers", Location::Header),
    ("body parameters", Location::Body),
    ("body params", Location::Body),
];

/// Lines that end a list or the response table.
fn ends_a_list(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "curl" | "responses" | "response" | "parameter" | "did this page help you?" | "previous"
    ) || lower.starts_with("updated ")
        || list_heading(line).is_some()
        || is_pipe_header(line)
}

fn list_heading(line: &str) -> Option<Location> {
    let lower = line.to_ascii_lowercase();
    LISTS
        .iter()
        .find(|(heading, _)| *heading == lower)
        .map(|(_, location)| *location)
}

fn kind_of(line: &str) -> Option<bool> {
    match line.to_ascii_lowercase().as_str() {
        "required" => Some(true),
        "optional" => Some(false),
        _ => None,
    }
}

/// A reading time: `3min`, `2 min`.
fn is_reading_time(line: &str) -> bool {
    let digits = line.trim_end_matches("min").trim_end();
    line.ends_with("min") && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Where the page text flattened to prose starts, if the copy is that form: a long line in
/// lower case (a rendered page writes its names and types with capitals; the flattened copy
/// may still have a rendered preamble: the breadcrumb, the title, the reading time).
fn flattened_at(lines: &[&str]) -> Option<usize> {
    lines
        .iter()
        .position(|line| line.len() >= 120 && !line.bytes().any(|b| b.is_ascii_uppercase()))
}

/// Parses a kept page copy (rendered, or flattened to prose) as far as it goes. `truncated`
/// says the copy was cut off (its `# truncated: yes` header). Any text gives a block: prose
/// without a list gives one with no field and no list whole.
pub fn parse_page(text: &str, truncated: bool) -> Block {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    match flattened_at(&lines) {
        Some(at) => {
            let mut block = flattened(&lines[at..].join(" "), truncated);
            block.title = title(&lines, at);
            block
        }
        None => rendered(&lines, truncated),
    }
}

/// The page's title: the line before its reading time (`3min`), looked for before `end`.
fn title(lines: &[&str], end: usize) -> Option<String> {
    lines
        .iter()
        .take(end)
        .rposition(|line| is_reading_time(line))
        .and_then(|at| at.checked_sub(1))
        .map(|at| lines[at].to_owned())
}

/// The rendered form.
fn rendered(lines: &[&str], truncated: bool) -> Block {
    let method_at = lines.iter().position(|line| METHODS.contains(line));
    let title = title(lines, method_at.unwrap_or(lines.len()));
    let updated = lines
        .iter()
        .find_map(|line| line.strip_prefix("Updated "))
        .map(str::to_owned);
    let mut read = Read::default();
    let mut seen_end_of_request = false;
    let mut responses_at = None;
    let mut i = method_at.map_or(0, |at| at + 1);
    while i < lines.len() {
        let line = lines[i];
        let found = if let Some(location) = list_heading(line) {
            Some((location, list(lines, i + 1, location, truncated)))
        } else if let Some(start) = (line == "Response")
            .then(|| table_header(lines, i + 1))
            .flatten()
        {
            Some((
                Location::Response,
                table(lines, start, truncated, ends_a_list),
            ))
        } else {
            pipe_table_header(lines, i).map(|(columns, start)| {
                (
                    Location::Response,
                    pipe_table(lines, columns, start, truncated),
                )
            })
        };
        if let Some((location, (listed, next))) = found {
            read.add(location, listed, truncated && next >= lines.len());
            i = next;
            continue;
        }
        if matches!(line, "Curl" | "Responses") {
            seen_end_of_request = true;
        }
        if line == "Responses" {
            responses_at.get_or_insert(i + 1);
        }
        i += 1;
    }
    let Read {
        mut fields,
        mut complete,
        mut ending,
    } = read;
    // A request list the page does not show is empty when the copy reaches past where the
    // page would show it: past the request part, or to a list the page shows after it (the
    // lists come in this order, each only when it has items).
    // `ALL` without `Response`: the request lists, in the order a page shows them.
    let order = &Location::ALL[..4];
    let cut_in = ending.as_ref().and_then(|e| e.location);
    let shown = |location: Location| fields.iter().any(|f: &DocField| f.location == location);
    for (at, location) in order.iter().enumerate() {
        let passed = (method_at.is_some() && seen_end_of_request)
            || order[at + 1..].iter().any(|later| shown(*later));
        if passed && !complete.contains(location) && cut_in != Some(*location) {
            complete.push(*location);
        }
    }
    // What the page says outside its lists and tables makes no list whole. A page without a
    // response table says what its response holds by its 200 example only.
    if let Some(at) = responses_at
        && !fields.iter().any(|f| f.location == Location::Response)
    {
        fields.extend(response_example(lines, at));
    }
    add_mentions(&mut fields, mentions(lines, true));
    if truncated && ending.is_none() {
        ending = Some(Ending::UNPLACED);
    }
    let method = method_at.map(|at| lines[at].to_owned()).unwrap_or_default();
    let mut block = Block::from_page(
        Form::Page,
        method,
        curl_path(lines),
        fields,
        complete,
        ending,
    );
    block.title = title;
    block.updated = updated;
    block
}

/// What a rendered copy's lists and tables gave so far.
#[derive(Default)]
struct Read {
    fields: Vec<DocField>,
    complete: Vec<Location>,
    ending: Option<Ending>,
}

/// The parameters the prose names that no list or table gave.
fn add_mentions(fields: &mut Vec<DocField>, named: Vec<DocField>) {
    let known: HashSet<String> = fields.iter().map(|f| f.name.to_ascii_lowercase()).collect();
    fields.extend(
        named
            .into_iter()
            .filter(|field| !known.contains(&field.name.to_ascii_lowercase())),
    );
}

impl Read {
    /// The fields of a list or table at `location`; `cut`: the copy ends inside it (its last
    /// field may be cut short, its name included, and the list is not whole).
    fn add(&mut self, location: Location, mut listed: Vec<DocField>, cut: bool) {
        if cut {
            self.ending = Some(Ending {
                location: Some(location),
                last_field: listed.last().map(|f| f.name.clone()),
            });
            if let Some(last) = listed.last_mut() {
                last.partial = true;
            }
        } else {
            self.complete.push(location);
        }
        self.fields.extend(listed);
    }
}

/// Whether an item of a request list starts at `at`: its name, then its kind and its type in
/// either order.
fn item_at(lines: &[&str], at: usize) -> Option<(bool, String)> {
    let (a, b) = (*lines.get(at + 1)?, *lines.get(at + 2)?);
    match (kind_of(a), kind_of(b)) {
        (Some(required), None) if is_type(b) => Some((required, type_name(b))),
        (None, Some(required)) if is_type(a) => Some((required, type_name(a))),
        _ => None,
    }
}

/// The items of a request list from `start`; the index past it.
fn list(
    lines: &[&str],
    start: usize,
    location: Location,
    truncated: bool,
) -> (Vec<DocField>, usize) {
    let item_at = |at: usize| item_at(lines, at).map(|(required, ty)| (Some(required), ty));
    rows(lines, start, location, truncated, ends_a_list, item_at)
}

/// The `/data/…` path of the page's curl example, lower-cased (`""` when it shows none).
fn curl_path(lines: &[&str]) -> String {
    lines
        .iter()
        .flat_map(|line| line.split('\'').skip(1).step_by(2))
        .find_map(|url| url.find("/data/").map(|at| url[at..].trim().to_lowercase()))
        .unwrap_or_default()
}

/// The flattened form: lower-case prose on one line. Only a `name type required description`
/// table is structured there; its rows are `name type yes|no description…`.
fn flattened(text: &str, truncated: bool) -> Block {
    let words: Vec<&str> = text.split_whitespace().collect();
    let header = ["name", "type", "required", "description"];
    let start = words
        .windows(4)
        .position(|w| w == header)
        .map_or(words.len(), |at| at + 4);
    let found = start < words.len() || words.ends_with(&header);
    // The same rows as a rendered table's, a word per line; prose follows to the end.
    let mut read = Read::default();
    if found {
        let (rows, _) = table(&words, start, false, |_| false);
        read.add(Location::Response, rows, truncated);
    } else if truncated {
        // Prose without a table gives no list, and says nothing of any.
        read.ending = Some(Ending::UNPLACED);
    }
    let Read {
        mut fields,
        complete,
        ending,
    } = read;
    add_mentions(&mut fields, mentions(&[text], false));
    Block::from_page(
        Form::PageText,
        String::new(),
        String::new(),
        fields,
        complete,
        ending,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rendered page as the docs show it (generate-access-token, shortened).
    const RENDERED: &str = "API REFERENCE\nAuthentication\nGenerate Access Token\n2min\nGenerate an access token for the application.\nPOST\nRequest\nBody Parameters\naccessKey\nrequired\nString\nApp key\nsecretKey\nrequired\nString\nApp secret key\nCurl\n1\ncurl --location 'https://api-sandbox.klavi.ai/data/v1/auth' \\\nResponses\n200\n401\n{ \"statusCode\": 401 }\nResponse\n\nName\n\nType\n\nRequired\n\nDescription\n\naccessToken\n\nString\n\nYes\n\nJWT token\n\nexpireIn\n\nString\n\nYes\n\nToken validity\nduration\nUpdated 29 Sep 2024\nDid this page help you?\n";

    fn summary(block: &Block) -> Vec<(Location, &str, Option<bool>, &str, bool)> {
        block
            .fields
            .iter()
            .map(|f| {
                (
                    f.location,
                    f.name.as_str(),
                    f.required,
                    f.ty.as_str(),
                    f.partial,
                )
            })
            .collect()
    }

    #[test]
    fn a_rendered_page_gives_its_lists_its_table_and_its_date() {
        let block = parse_page(RENDERED, false);
        assert_eq!(block.form, Form::Page);
        assert_eq!(
            (block.method.as_str(), block.path.as_str()),
            ("POST", "/data/v1/auth")
        );
        assert_eq!(block.title.as_deref(), Some("Generate Access Token"));
        assert_eq!(block.updated.as_deref(), Some("29 Sep 2024"));
        assert_eq!(
            summary(&block),
            [
                (Location::Body, "accessKey", Some(true), "string", false),
                (Location::Body, "secretKey", Some(true), "string", false),
                (
                    Location::Response,
                    "accessToken",
                    Some(true),
                    "string",
                    false
                ),
                (Location::Response, "expireIn", Some(true), "string", false),
            ]
        );
        assert_eq!(block.fields[3].description, "Token validity duration");
        assert_eq!(block.ending, None);
        for location in Location::ALL {
            assert!(block.is_complete(location), "{location:?}");
        }
    }

    #[test]
    fn kind_and_type_in_either_order_and_a_name_description_table() {
        let text = "Task\nGet a Task Status\n4min\nGet a task status by taskId\nGET\nRequest\nPath Params\ntaskId\nString\nrequired\nUnique identifier for the task\nHeader Parameters\nAuthorization\nString\nrequired\nBearer link token\nCurl\n1curl --location --globoff 'https://api-sandbox.klavi.ai/data/v1/tasks/{taskId}/status' \\\nResponses\n200\nName | Descritption |\n---|---|\ncode | The status of task |\nmfaInfo | Only valid when the status is needMFA |\nJSON\nUpdated 29 Sep 2024\n";
        let block = parse_page(text, false);
        assert_eq!(block.path, "/data/v1/tasks/{taskid}/status");
        assert_eq!(
            summary(&block),
            [
                (Location::Path, "taskId", Some(true), "string", false),
                (
                    Location::Header,
                    "Authorization",
                    Some(true),
                    "string",
                    false
                ),
                (Location::Response, "code", None, "", false),
                (Location::Response, "mfaInfo", None, "", false),
            ]
        );
        assert!(block.is_complete(Location::Response) && block.is_complete(Location::Query));
    }

    #[test]
    fn a_cut_copy_is_read_as_far_as_it_goes() {
        let text = "Consents\nCreate a Consent\n3min\nCreate a consent by linkToken\nPOST\nRequest\nBody Parameters\nexternalTrackId\nrequired\nString\nUnique per request\nvalidityPeriod\nrequired\nNumber\nEnum: [0, 12]\nCurl\nResponses\n200\nResponse\nName\nType\nRequired\nDescription\nconsentId\nString\nYes\nmaxLength: 36\nconsentRedirectURL\nStri";
        let block = parse_page(text, true);
        assert_eq!(block.path, "", "no curl URL on this copy");
        assert_eq!(
            summary(&block),
            [
                (
                    Location::Body,
                    "externalTrackId",
                    Some(true),
                    "string",
                    false
                ),
                (
                    Location::Body,
                    "validityPeriod",
                    Some(true),
                    "number",
                    false
                ),
                (Location::Response, "consentId", Some(true), "string", false),
                (Location::Response, "consentRedirectURL", None, "", true),
            ]
        );
        assert!(block.is_complete(Location::Body) && !block.is_complete(Location::Response));
        let ending = block.ending.expect("cut");
        assert_eq!(ending.location, Some(Location::Response));
        assert_eq!(ending.last_field.as_deref(), Some("consentRedirectURL"));
    }

    #[test]
    fn pipe_tables_with_and_without_their_rule() {
        let text = "Get a Consent\nName | Type | Required | Description |\n---|---|---|---|\nconsentId | String | Yes | Consent identify |\nexpireAt | String | No | When |\n";
        let block = parse_page(text, false);
        assert_eq!(
            summary(&block),
            [
                (Location::Response, "consentId", Some(true), "string", false),
                (Location::Response, "expireAt", Some(false), "string", false),
            ]
        );
        assert!(block.is_complete(Location::Response) && !block.is_complete(Location::Body));
        // No rule, cut off inside its last row.
        let text = "Create a Link\nFor example:\nName | Type | Required | Description |\nlinkId | String | Yes | Unique |\nlinkURL | String | Yes | it can be ope";
        let block = parse_page(text, true);
        assert_eq!(
            summary(&block),
            [
                (Location::Response, "linkId", Some(true), "string", false),
                (Location::Response, "linkURL", Some(true), "string", true),
            ]
        );
        assert!(!block.is_complete(Location::Response));
        assert_eq!(
            block.ending.and_then(|e| e.last_field).as_deref(),
            Some("linkURL")
        );
    }

    #[test]
    fn a_copy_of_the_response_part_only_says_nothing_of_the_request() {
        let text = "Response\nName\nType\nRequired\nDescription\nconsentId\nString\nYes\nConsent identify\n";
        let block = parse_page(text, false);
        assert!(block.is_complete(Location::Response));
        for location in [
            Location::Path,
            Location::Query,
            Location::Header,
            Location::Body,
        ] {
            assert!(!block.is_complete(location), "{location:?}");
        }
    }

    #[test]
    fn flattened_page_text_gives_its_table() {
        let text = "api reference consents get a consent 2 min response name type required description consentid string yes consent identify status string yes started consent created; expired consent expired permissionsapply array yes the permission required";
        let block = parse_page(text, false);
        assert_eq!(block.form, Form::PageText);
        assert_eq!(
            summary(&block),
            [
                (Location::Response, "consentid", Some(true), "string", false),
                (Location::Response, "status", Some(true), "string", false),
                (
                    Location::Response,
                    "permissionsapply",
                    Some(true),
                    "array",
                    false
                ),
            ]
        );
        assert_eq!(
            block.fields[1].description,
            "started consent created; expired consent expired"
        );
        assert!(block.is_complete(Location::Response));
        let cut = parse_page(text, true);
        assert!(!cut.is_complete(Location::Response) && cut.fields[2].partial);
    }

    #[test]
    fn any_text_is_an_error_or_a_block_never_a_panic() {
        for text in [
            "",
            "POST",
            "Response",
            "Body Parameters\nx\nrequired",
            "GET\nPath Params\n",
            "name type required description",
            "Name | x |\n---|\n|",
            "Response\nName\nType\nRequired\nDescription\nx\nString\nYes",
            "3min\nPOST\nBody Parameters\nname",
        ] {
            for truncated in [false, true] {
                let block = parse_page(text, truncated);
                assert!(block.fields.iter().all(|f| !f.name.is_empty()), "{text}");
            }
        }
        let prose = parse_page("just prose, no table", false);
        assert!(prose.fields.is_empty() && !prose.is_complete(Location::Response));
    }
}
