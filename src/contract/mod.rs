//! Contracts: one OpenAPI 3.1 document per vendor API, loaded, indexed and compiled once.
//!
//! A [`ContractSet`] holds every API's [`Contract`]. A contract finds the [`Operation`] for a
//! method and a concrete path ([`Contract::find`]), and validates requests and responses
//! against it (see `validate`), returning [`Violation`]s.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod body;
pub(crate) mod document;
mod error;
pub mod json_doc;
mod json_doc_schema;
pub mod lint;
pub mod mutate;
pub(crate) mod operation;
pub(crate) mod path;
pub mod provenance;
mod reading;
mod scanned_json;
pub(crate) mod schema;
mod security;
pub(crate) mod validate;
pub mod violation;
mod wording;

pub use error::ContractError;
pub use operation::{
    Body, Link, MediaType, Operation, ParamIn, Parameter, ResponseSpec, SecurityScheme, StatusKey,
};
pub use path::{PathTemplate, relative_to_base};
pub use schema::Schemas;
pub use security::presented;
pub use validate::{HttpRequest, HttpResponse, RequestCheck};
pub use violation::{Direction, Provenance, Violation};

use crate::error::Error;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The contracts vouch ships with, embedded at build time from `contracts/*.yaml`.
const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_contracts.rs"));

/// A server the contract names (sandbox first, by convention).
#[derive(Debug, Clone)]
pub struct Server {
    /// The server's `url`: the API's base URL, which operation paths are relative to.
    pub url: String,
    /// The server's `description` (e.g. `Sandbox`), when the contract gives one.
    pub description: Option<String>,
}

/// One API's contract.
#[derive(Debug)]
pub struct Contract {
    /// Short id: `verified`, `trusona`, ... (the file name).
    pub api: String,
    /// `info.title`; empty when absent.
    pub title: String,
    /// `info.version`: the vendor API's version the contract describes; empty when absent.
    pub version: String,
    /// The contract's `servers` that have a `url`, in document order.
    pub servers: Vec<Server>,
    /// Where the contract was loaded from (a path, or `embedded:contracts/<api>.yaml`).
    pub origin: String,
    doc: Value,
    operations: Vec<Operation>,
    schemas: Schemas,
}

/// The result of routing a request to an operation.
#[derive(Debug, Clone)]
pub struct Match<'a> {
    /// The operation whose method and path template match.
    pub operation: &'a Operation,
    /// The values of the template's `{name}` segments, by name, percent-decoded.
    pub path_params: BTreeMap<String, String>,
}

/// Why a request could not be routed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// No documented path matches.
    NotFound,
    /// The path is documented, but not for this method.
    MethodNotAllowed {
        /// The methods documented for the path (for an `Allow` header).
        allowed: Vec<http::Method>,
    },
}

impl Contract {
    /// Parses and compiles a contract from YAML text. `origin` names the source in errors.
    pub fn from_yaml(api: &str, text: &str, origin: &str) -> Result<Self, Error> {
        let doc = document::yaml_to_json(text).map_err(|e| Error::Yaml {
            path: origin.into(),
            message: e.to_string(),
        })?;
        Self::from_value(api, doc, origin)
    }

    /// Builds a contract from an OpenAPI document already parsed into JSON.
    pub fn from_value(api: &str, doc: Value, origin: &str) -> Result<Self, Error> {
        let invalid = |message: String| Error::Contract {
            origin: origin.to_string(),
            message,
        };
        match doc.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.1") => {}
            other => return Err(invalid(format!("`openapi` must be 3.1.x, found {other:?}"))),
        }
        let info = doc
            .get("info")
            .ok_or_else(|| invalid("no `info` object".into()))?;
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
        let servers = doc
            .get("servers")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|s| {
                        Some(Server {
                            url: s.get("url")?.as_str()?.to_string(),
                            description: s
                                .get("description")
                                .and_then(Value::as_str)
                                .map(str::to_string),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let operations = reading::read_operations(&doc).map_err(|e| invalid(e.to_string()))?;
        let mut schemas = Schemas::new(api, &doc).map_err(|e| invalid(e.to_string()))?;
        for op in &operations {
            let bodies = op.request_body.iter().flat_map(|b| b.content.iter());
            let responses = op.responses.iter().flat_map(|r| r.content.iter());
            let params = op.parameters.iter().filter_map(|p| p.schema.as_ref());
            let fails = |pointer: &str, e: ContractError| {
                invalid(format!("schema at #{pointer} does not compile: {e}"))
            };
            for pointer in bodies.filter_map(|m| m.schema.as_ref()) {
                schemas
                    .compile_for_bodies(pointer)
                    .map_err(|e| fails(pointer, e))?;
            }
            for pointer in responses.filter_map(|m| m.schema.as_ref()).chain(params) {
                schemas.compile(pointer).map_err(|e| fails(pointer, e))?;
            }
        }
        for op in &operations {
            for link in op.responses.iter().flat_map(|r| &r.links) {
                if !operations.iter().any(|o| o.id == link.operation_id) {
                    return Err(invalid(format!(
                        "#{}: link `{}` names unknown operation `{}`",
                        op.pointer, link.name, link.operation_id
                    )));
                }
            }
        }
        Ok(Self {
            api: api.to_string(),
            title: text(info.get("title")),
            version: text(info.get("version")),
            servers,
            origin: origin.to_string(),
            doc,
            operations,
            schemas,
        })
    }

    /// The OpenAPI document as JSON.
    pub fn document(&self) -> &Value {
        &self.doc
    }

    /// The compiled schemas.
    pub fn schemas(&self) -> &Schemas {
        &self.schemas
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Result<&Operation, Error> {
        self.operations
            .iter()
            .find(|o| o.id == id)
            .ok_or_else(|| Error::UnknownOperation {
                api: self.api.clone(),
                operation: id.to_string(),
                known: self.operations.iter().map(|o| o.id.clone()).collect(),
            })
    }

    /// The API versions the contract's paths are grouped under: the first segment of a path
    /// when it is `v` and a number (`/v2/1-click` is version `v2`). Paths without one are the
    /// unversioned API, which vendors call v1.
    pub fn versions(&self) -> Vec<String> {
        let mut versions: Vec<String> = self
            .operations
            .iter()
            .filter_map(|o| o.path.as_str().trim_start_matches('/').split('/').next())
            .filter(|segment| is_version(segment))
            .map(str::to_string)
            .collect();
        versions.sort();
        versions.dedup();
        versions
    }

    /// Pointer to a named schema in `components.schemas`, if it exists.
    pub fn schema_pointer(&self, name: &str) -> Option<String> {
        let pointer = document::join("/components/schemas", name);
        self.doc.pointer(&pointer).map(|_| pointer)
    }

    /// Finds the operation for a method and a path relative to the API's base URL (use
    /// [`relative_to_base`] to get one from a full URL). A literal segment beats a parameter.
    pub fn find(&self, method: &http::Method, path: &str) -> Result<Match<'_>, RouteError> {
        let path = path::bare_path(path);
        // The resource first: the template with the most literal segments among those that
        // match, whatever their methods (OpenAPI 3.1 § Path Templating Matching: "concrete
        // (non-templated) paths would be matched before their templated counterparts").
        // `GET /1-click/trusted` is then a method `/1-click/trusted` does not allow (405,
        // `Allow: POST`), not `GET /1-click/{uuid}` with the uuid `trusted`.
        let mut best: Option<(usize, &str)> = None;
        // The path is cut once, not once per template (routing runs on every mock request:
        // issue #24).
        let parts = path::segments(path);
        for op in &self.operations {
            if let Some(score) = op.path.score_segments(&parts)
                && best.is_none_or(|(s, _)| score > s)
            {
                best = Some((score, op.path.as_str()));
            }
        }
        let Some((_, template)) = best else {
            return Err(RouteError::NotFound);
        };
        let on_resource = || {
            self.operations
                .iter()
                .filter(move |op| op.path.as_str() == template)
        };
        match on_resource().find(|op| op.method == *method) {
            Some(operation) => Ok(Match {
                operation,
                path_params: operation.path.params_of(&parts),
            }),
            None => Err(RouteError::MethodNotAllowed {
                allowed: on_resource().map(|op| op.method.clone()).collect(),
            }),
        }
    }
}

/// Whether a path segment or a tag names an API version: `v` and a number (`v2`).
pub fn is_version(segment: &str) -> bool {
    segment
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Every API's contract, ordered by API id.
#[derive(Debug)]
pub struct ContractSet {
    contracts: Vec<Contract>,
}

impl ContractSet {
    /// The contracts compiled into vouch.
    pub fn embedded() -> Result<Self, Error> {
        let contracts = EMBEDDED
            .iter()
            .map(|(api, text)| {
                Contract::from_yaml(api, text, &format!("embedded:contracts/{api}.yaml"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self::new(contracts))
    }

    /// Every `*.yaml` file in a directory; the file stem is the API id.
    pub fn load_dir(dir: &Path) -> Result<Self, Error> {
        let io = |source| Error::Io {
            path: dir.display().to_string(),
            error: source,
        };
        let mut contracts = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let api = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.display().to_string(),
                error: source,
            })?;
            contracts.push(Contract::from_yaml(
                &api,
                &text,
                &path.display().to_string(),
            )?);
        }
        if contracts.is_empty() {
            return Err(Error::Contract {
                origin: dir.display().to_string(),
                message: "no *.yaml contract in this directory".into(),
            });
        }
        Ok(Self::new(contracts))
    }

    /// A set from contracts built elsewhere (tests, other tools).
    pub fn new(mut contracts: Vec<Contract>) -> Self {
        contracts.sort_by(|a, b| a.api.cmp(&b.api));
        Self { contracts }
    }

    /// Every contract, ordered by API id.
    pub fn iter(&self) -> impl Iterator<Item = &Contract> {
        self.contracts.iter()
    }

    /// The contract of one API.
    pub fn get(&self, api: &str) -> Result<&Contract, Error> {
        self.contracts
            .iter()
            .find(|c| c.api == api)
            .ok_or_else(|| Error::UnknownApi {
                api: api.to_string(),
                known: self.contracts.iter().map(|c| c.api.clone()).collect(),
            })
    }
}
