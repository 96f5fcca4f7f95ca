//! The library's error type: what went wrong, naming the file, API, operation or field.

/// What went wrong; each variant names the file, API, operation or field involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading or writing a file or directory, or binding or inspecting a listening socket,
    /// failed.
    #[error("{path}: {error}")]
    Io {
        /// The file or directory concerned, or for sockets a description such as
        /// `listen on 127.0.0.1:8080` or `mock listener`.
        path: String,
        /// The operating system's error.
        error: std::io::Error,
    },
    /// A contract's text is not valid YAML (raised when a contract is loaded).
    #[error("{path}: not valid YAML: {message}")]
    Yaml {
        /// Where the text came from: a file path, or `embedded:contracts/<api>.yaml`.
        path: String,
        /// The YAML parser's description of the problem, with its position.
        message: String,
    },
    /// A JSON document could not be parsed: the vendor-evidence manifest or one of its payloads
    /// (`vouch evidence`, `vouch run --evidence`).
    #[error("{path}: not valid JSON: {message}")]
    Json {
        /// The file the JSON came from.
        path: String,
        /// The JSON parser's description of the problem.
        message: String,
    },
    /// A setting is unusable: a malformed or unknown entry in the sandbox config file, a bad
    /// environment variable (e.g. `VOUCH_CONCURRENCY`), or a command-line option that names
    /// nothing (`--tags`, `--features`, `--operation`, `--target url` without a URL).
    #[error("{path}: {message}")]
    Config {
        /// Where the setting came from: a config file path, an environment variable name, or
        /// the command-line option (e.g. `--tags`).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// A contract is not a usable OpenAPI 3.1 document (wrong `openapi` version, no `info`, a
    /// schema that does not compile, a link to an unknown `operationId`), a contract directory
    /// holds no `*.yaml` file, or a mock or proxy could not be set up from the contracts.
    #[error("{origin}: {message}")]
    Contract {
        /// Where the contract came from (a path or `embedded:contracts/<api>.yaml`), or the
        /// component that failed to start from it (`mock`, `proxy`).
        origin: String,
        /// What is wrong, naming the JSON pointer (`#/paths/...`) where there is one.
        message: String,
    },
    /// An API id that no loaded contract has (e.g. in `--api` or a proxy upstream).
    #[error("unknown API `{api}` (known: {})", known.join(", "))]
    UnknownApi {
        /// The API id asked for.
        api: String,
        /// The API ids of the loaded contracts (`verified`, `trusona`, ...).
        known: Vec<String>,
    },
    /// An `operationId` that the API's contract does not define.
    #[error("{api}: unknown operation `{operation}` (known: {})", known.join(", "))]
    UnknownOperation {
        /// The API id whose contract was searched.
        api: String,
        /// The `operationId` asked for.
        operation: String,
        /// Every `operationId` the contract defines, in document order.
        known: Vec<String>,
    },
    /// A schema name that is not a key of the contract's `components.schemas`.
    #[error("{api}: no schema named `{schema}` in components.schemas")]
    UnknownSchema {
        /// The API id whose contract was searched.
        api: String,
        /// The schema name asked for.
        schema: String,
    },
    /// A response body was asked for by an HTTP status that the operation does not document
    /// (neither exactly, nor by a range such as `4XX`, nor by `default`).
    #[error("{api} {operation}: status {status} is not documented (documented: {})", documented.join(", "))]
    UndocumentedStatus {
        /// The API id.
        api: String,
        /// The operation's `operationId`.
        operation: String,
        /// The HTTP status asked for.
        status: u16,
        /// The response keys the operation documents, as written in the contract (`200`,
        /// `4XX`, `default`).
        documented: Vec<String>,
    },
    /// The operation's request, or its response with the given status, documents no JSON
    /// media type with a schema.
    #[error("{api} {operation}: the {direction} has no JSON body in the contract")]
    NoBody {
        /// The API id.
        api: String,
        /// The operation's `operationId`.
        operation: String,
        /// `request` or `response`.
        direction: &'static str,
    },
}
