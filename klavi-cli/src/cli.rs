//! The command line, declared with clap's derive API: the [`Cli`] parser, its [`Command`]s and
//! their arguments. Nothing here runs a command; see [`crate::commands`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `klavi`: validate Klavi Data API payloads, check CPFs and CNPJs, list the endpoints.
#[derive(Debug, Parser)]
#[command(
    name = "klavi",
    version,
    about = "Validate Klavi Data API payloads, check CPFs and CNPJs, list the endpoints",
    long_about = "Validate Klavi Data API payloads against the bundled schemas, check Brazilian \
                  tax ids (CPF, CNPJ), list the endpoints and their messages, and verify \
                  webhook signatures.\n\n\
                  Exit status: 0 success, 1 invalid payload or tax id or unauthentic webhook, \
                  2 usage or I/O error.\n\
                  Payload values and tax ids are never printed unless you ask (`tax-id --reveal`).",
    after_help = "Examples:\n  \
                  klavi validate create-link.request examples/payloads/create-link.request.json\n  \
                  klavi tax-id 280.012.389-38 12.ABC.345/01DE-35\n  \
                  klavi messages\n  \
                  klavi endpoints\n  \
                  klavi example create-link.request\n  \
                  klavi explain cpf_check_digit\n  \
                  klavi check-fixtures tests/fixtures/*.json\n  \
                  klavi mock --port 8080 --webhook-url http://127.0.0.1:3000/klavi/events\n  \
                  klavi webhook verify --secret-env KLAVI_SECRET_KEY --signature \"$SIG\" body.json"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a JSON payload as one message of the API (every violation is reported).
    Validate(ValidateArgs),
    /// Check CPFs and CNPJs (masked output unless --reveal).
    TaxId(TaxIdArgs),
    /// List every message id: what it is, its endpoint and its Rust type.
    Messages(MessagesArgs),
    /// List the endpoints, their HTTP facts and their message ids.
    Endpoints(EndpointsArgs),
    /// List every violation code with what it means.
    Codes(CodesArgs),
    /// Print the bundled JSON Schema of a message.
    Schema(SchemaArgs),
    /// Check webhook deliveries (X-Klavi-Signature, X-Klavi-Timestamp).
    Webhook(WebhookArgs),
    /// Print a valid example payload of a message.
    Example(crate::commands::example::ExampleArgs),
    /// Print an OpenAPI 3.1 document of the API, generated from the same schemas as the types
    /// (for client generators and contract tools: Schemathesis, Prism, Postman).
    #[command(after_help = "Examples:\n  \
        klavi openapi > klavi-openapi.json\n  \
        npx @openapitools/openapi-generator-cli generate -i klavi-openapi.json -g typescript-fetch -o klavi-client-ts\n  \
        st run klavi-openapi.json --url http://127.0.0.1:8080   # Schemathesis against `klavi mock`")]
    Openapi,
    /// Explain a violation code: what it means and how to fix it.
    Explain(crate::commands::explain::ExplainArgs),
    /// Validate fixture files named `NAME.MESSAGE.json` (for pre-commit hooks and CI).
    CheckFixtures(crate::commands::fixtures::FixturesArgs),
    /// Print a shell completion script.
    Completions(crate::commands::completions::CompletionsArgs),
    /// Keep the schemas in step with Klavi's docs: check drift, import an API block.
    Docs(crate::commands::docs::DocsArgs),
    /// Run a local Klavi sandbox: every endpoint checked against its schema, state, signed
    /// webhooks, injected faults.
    Mock(crate::commands::mock::MockArgs),
}

/// How results are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    #[default]
    Human,
    /// One JSON document on one line, for programs.
    Json,
}

/// How `klavi validate` prints its results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// Text for people: a code frame at each violation (personal values masked).
    #[default]
    Human,
    /// One JSON document on one line, for programs (with the line and column of each
    /// violation).
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…`), one per violation.
    Github,
}

/// Which tax id `klavi tax-id` expects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TaxIdKindArg {
    /// A CPF (11 digits, bare or `DDD.DDD.DDD-DD`).
    Cpf,
    /// A CNPJ (14 characters, bare or `XX.XXX.XXX/XXXX-DD`, alphanumeric allowed).
    Cnpj,
    /// Either, chosen from the length and shape of each value.
    #[default]
    Any,
}

/// Arguments of `klavi validate`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi validate create-link.request examples/payloads/create-link.request.json\n  \
    klavi validate get-consent-list.query --format json - < query.json\n  \
    klavi validate create-link.request --format github payload.json\n\n\
    Exit status: 0 valid, 1 invalid (including malformed JSON), 2 unknown MESSAGE or I/O error.\n\
    Every message id, with what it is: `klavi messages`.")]
pub struct ValidateArgs {
    /// The message id, such as `create-link.request` (see `klavi messages`).
    #[arg(value_name = "MESSAGE", value_parser = crate::message_ids::MessageIdParser, hide_possible_values = true)]
    pub message: String,
    /// The JSON file to validate; `-` or nothing reads standard input.
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,
    /// Read JSON Lines: one payload per line, validated on every core in constant memory; only
    /// invalid lines are reported (with their line numbers), then a summary by code.
    #[arg(long)]
    pub jsonl: bool,
}

/// Arguments of `klavi tax-id`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi tax-id 280.012.389-38 12.ABC.345/01DE-35\n  \
    klavi tax-id --kind cnpj --format json 12ABC34501DE35\n  \
    klavi tax-id --reveal 28001238938\n\n\
    Exit status: 0 when every VALUE is valid, 1 otherwise, 2 on usage errors.")]
pub struct TaxIdArgs {
    /// Which kind of tax id to expect.
    #[arg(long, value_enum, default_value_t = TaxIdKindArg::Any)]
    pub kind: TaxIdKindArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also print the full values (canonical and formatted, or the rejected input); without it
    /// only the masked form is shown.
    #[arg(long)]
    pub reveal: bool,
    /// The values to check.
    #[arg(value_name = "VALUE", required = true, num_args = 1..)]
    pub values: Vec<String>,
}

/// Arguments of `klavi endpoints`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi endpoints\n  \
    klavi endpoints --format json")]
pub struct EndpointsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Arguments of `klavi messages`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi messages\n  \
    klavi messages product\n  \
    klavi messages --format json")]
pub struct MessagesArgs {
    /// Only the ids that contain this text (any case), such as `product` or `consent`.
    #[arg(value_name = "FILTER")]
    pub filter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Arguments of `klavi codes`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi codes\n  \
    klavi codes --format json")]
pub struct CodesArgs {
    /// Output format (JSON also gives how to fix each).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Arguments of `klavi schema`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi schema create-link.request\n\n\
    Exit status: 0 success, 2 unknown MESSAGE.")]
pub struct SchemaArgs {
    /// The message id, such as `create-link.request` (see `klavi messages`).
    #[arg(value_name = "MESSAGE", value_parser = crate::message_ids::MessageIdParser, hide_possible_values = true)]
    pub message: String,
}

/// Arguments of `klavi webhook`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi webhook verify --secret-env KLAVI_SECRET_KEY --signature \"$SIG\" body.json")]
pub struct WebhookArgs {
    /// What to do with a webhook delivery.
    #[command(subcommand)]
    pub command: WebhookCommand,
}

/// The subcommands of `klavi webhook`.
#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Verify that a webhook body is authentic: its X-Klavi-Signature (HMAC-SHA256 of the raw
    /// body keyed with the partner's secretKey) and, if asked, its X-Klavi-Timestamp.
    Verify(WebhookVerifyArgs),
}

/// Arguments of `klavi webhook verify`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    klavi webhook verify --secret-env KLAVI_SECRET_KEY --signature \"$SIG\" body.json\n  \
    klavi webhook verify --secret-env KLAVI_SECRET_KEY --signature \"$SIG\" \\\n      \
    --timestamp \"$TS\" --format json - < body.json\n\n\
    The body is read byte-exact: verify the raw request body as received, never JSON that was \
    parsed and re-serialized.\n\
    The timestamp is not covered by the signature: it only limits replays of captured requests \
    whose timestamp was left unchanged; also de-duplicate deliveries by eventId.\n\n\
    Exit status: 0 authentic, 1 not authentic, 2 usage or I/O error (such as an unset \
    variable).")]
pub struct WebhookVerifyArgs {
    /// The name of the environment variable holding the partner's secretKey (the key is never
    /// taken from the command line, so that it stays out of shell history).
    #[arg(long, value_name = "VAR")]
    pub secret_env: String,
    /// The value of the X-Klavi-Signature header (hex, either case).
    #[arg(long, value_name = "HEX", allow_hyphen_values = true)]
    pub signature: String,
    /// The value of the X-Klavi-Timestamp header (Unix seconds). When given, it must be within
    /// the tolerance of the current time (300 seconds unless --tolerance says otherwise).
    #[arg(long, value_name = "UNIX_SECONDS", allow_hyphen_values = true)]
    pub timestamp: Option<String>,
    /// Check the timestamp against the current time with this tolerance, past or future
    /// (default: 300 seconds when --timestamp is given). Without --timestamp, the timestamp is
    /// reported missing (not authentic).
    #[arg(long, value_name = "SECONDS")]
    pub tolerance: Option<u64>,
    /// The webhook body; `-` or nothing reads standard input. Read byte-exact.
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}
