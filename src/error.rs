//! The library's error type: what went wrong, naming the file, API, operation or field.

/// What went wrong; each variant names the file, API, operation or field involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not valid YAML: {message}")]
    Yaml { path: String, message: String },
    #[error("{path}: not valid JSON: {message}")]
    Json { path: String, message: String },
    #[error("{path}: {message}")]
    Config { path: String, message: String },
    #[error("{origin}: {message}")]
    Contract { origin: String, message: String },
    #[error("unknown API `{api}` (known: {})", known.join(", "))]
    UnknownApi { api: String, known: Vec<String> },
    #[error("{api}: unknown operation `{operation}` (known: {})", known.join(", "))]
    UnknownOperation {
        api: String,
        operation: String,
        known: Vec<String>,
    },
    #[error("{api}: no schema named `{schema}` in components.schemas")]
    UnknownSchema { api: String, schema: String },
    #[error("{api} {operation}: status {status} is not documented (documented: {})", documented.join(", "))]
    UndocumentedStatus {
        api: String,
        operation: String,
        status: u16,
        documented: Vec<String>,
    },
    #[error("{api} {operation}: the {direction} has no JSON body in the contract")]
    NoBody {
        api: String,
        operation: String,
        /// `request` or `response`.
        direction: &'static str,
    },
}
