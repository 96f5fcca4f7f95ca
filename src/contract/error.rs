//! Why a contract document cannot be loaded: the YAML, a `$ref`, an operation, a path template
//! or a schema, each naming the JSON pointer (`#/paths/...`) where there is one. The loader's
//! caller ([`Contract::from_value`](super::Contract::from_value)) puts it in
//! [`crate::Error::Contract`] with the contract's origin.

/// What is wrong with a contract document.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ContractError {
    /// The text is not YAML: the parser's message, with line and column.
    #[error("{0}")]
    Yaml(String),
    /// A YAML number JSON cannot hold (NaN, infinity).
    #[error("number {0} is not valid JSON")]
    NotJsonNumber(f64),
    /// A YAML mapping key that is not a scalar (shown as the YAML parser prints it).
    #[error("mapping key {0} is not a scalar")]
    NonScalarKey(String),
    /// A malformed `x-vouch-choice` mark (contracts/CONVENTIONS.md § Provenance).
    #[error("#{at}/x-vouch-choice{}{problem}", if problem.starts_with('`') { ": " } else { " " })]
    BadMark {
        /// The pointer of the object carrying the mark.
        at: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A pointer (or `$ref`) to nothing.
    #[error("nothing at #{0}")]
    NothingAt(String),
    /// `$ref`s that lead to `$ref`s more than 32 times from this pointer.
    #[error("$ref chain from #{0} is too long (a cycle?)")]
    RefChain(String),
    /// A `$ref` to another document.
    #[error("only local references are supported, found `{0}`")]
    NonLocalRef(String),
    /// A path template that does not start with `/`.
    #[error("path `{0}` does not start with `/`")]
    PathWithoutSlash(String),
    /// A path segment with a parameter and text (`x{id}`), which OpenAPI matching cannot split.
    #[error("path `{path}`: segment `{segment}` mixes a parameter with text")]
    MixedSegment {
        /// The path template.
        path: String,
        /// The segment.
        segment: String,
    },
    /// An operation without `operationId` (vouch names every finding by it).
    #[error("#{0} has no operationId")]
    NoOperationId(String),
    /// A method of `METHODS` that `http` cannot parse (a defect of vouch, not of the contract).
    #[error("bad method {0}")]
    BadMethod(String),
    /// Two operations with one `operationId`.
    #[error("operationId `{0}` is used twice")]
    DuplicateOperationId(String),
    /// A `{name}` of the path template that no parameter declares.
    #[error("#{pointer}: path parameter `{name}` is not declared")]
    UndeclaredPathParameter {
        /// The operation's pointer.
        pointer: String,
        /// The parameter's name.
        name: String,
    },
    /// A parameter without `name`.
    #[error("#{0} has no name")]
    UnnamedParameter(String),
    /// A parameter whose `in` is none of path, query, header, cookie (as found, quoted).
    #[error("#{pointer}: `in` is {found}")]
    BadLocation {
        /// The parameter's pointer.
        pointer: String,
        /// What `in` holds (`Some("body")`, `None`).
        found: String,
    },
    /// An operation without `responses`.
    #[error("#{0} documents no responses")]
    NoResponses(String),
    /// A `responses` key that is no status, range or `default`.
    #[error("#{pointer}: `{key}` is not a status")]
    NotAStatus {
        /// The `responses` object's pointer.
        pointer: String,
        /// The key.
        key: String,
    },
    /// A link without `operationId`.
    #[error("#{0}: a link needs an operationId")]
    LinkWithoutOperation(String),
    /// A link's `x-vouch-reads-back` of another form.
    #[error("#{0}: x-vouch-reads-back is a pointer or {{response, linked}}")]
    BadReadsBack(String),
    /// A security requirement naming a scheme `components.securitySchemes` does not define.
    #[error("security scheme `{0}` is not defined")]
    UndefinedScheme(String),
    /// A security scheme of a type vouch cannot present.
    #[error("security scheme `{name}` has unsupported type `{kind}`")]
    UnsupportedScheme {
        /// The scheme's name.
        name: String,
        /// Its `type`.
        kind: String,
    },
    /// An `apiKey` scheme `in: header` whose `name` no HTTP header can have.
    #[error("security scheme `{name}`: `{header}` is not a valid header name")]
    InvalidHeaderName {
        /// The scheme's name.
        name: String,
        /// Its `name`, the header's.
        header: String,
    },
    /// The document cannot be registered as a JSON Schema resource, or a schema in it does not
    /// compile: the validator's own message.
    #[error("{0}")]
    Schema(String),
}
