//! Reading an OpenAPI document's operations: their parameters, bodies, responses, links and
//! security, `$ref`s followed, into [`Operation`]s (once, when a contract is loaded).

use super::ContractError;
use super::document::{deref, join};
use super::operation::{
    Body, Link, METHODS, MediaType, Operation, ParamIn, Parameter, ResponseSpec, SecurityScheme,
    StatusKey,
};
use super::path::PathTemplate;
use super::schema::declared_types;
use serde_json::Value;

type Read<T> = Result<T, ContractError>;

/// Reads every operation under `paths`. Errors name the JSON pointer of the offending object.
pub(crate) fn read_operations(doc: &Value) -> Read<Vec<Operation>> {
    let mut operations = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(operations);
    };
    let global_security = doc.get("security");
    for (raw_path, _) in paths {
        let item_pointer = join("/paths", raw_path);
        let (item_pointer, item) = deref(doc, &item_pointer)?;
        let template = PathTemplate::parse(raw_path)?;
        let shared = read_parameters(
            doc,
            item.get("parameters"),
            &join(&item_pointer, "parameters"),
        )?;
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let pointer = join(&item_pointer, method);
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .ok_or_else(|| ContractError::NoOperationId(pointer.clone()))?
                .to_string();
            let own = read_parameters(doc, op.get("parameters"), &join(&pointer, "parameters"))?;
            let mut parameters: Vec<Parameter> = shared
                .iter()
                .filter(|s| {
                    !own.iter()
                        .any(|o| o.name == s.name && o.location == s.location)
                })
                .cloned()
                .collect();
            parameters.extend(own);
            for name in template.params() {
                if !parameters
                    .iter()
                    .any(|p| p.location == ParamIn::Path && p.name == name)
                {
                    return Err(ContractError::UndeclaredPathParameter {
                        pointer,
                        name: name.into(),
                    });
                }
            }
            let request_body = match op.get("requestBody") {
                None => None,
                Some(_) => {
                    let (body_pointer, body) = deref(doc, &join(&pointer, "requestBody"))?;
                    Some(Body {
                        required: body
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                        content: read_content(doc, body, &body_pointer)?,
                        pointer: body_pointer,
                    })
                }
            };
            let responses = read_responses(doc, op, &pointer)?;
            let security = read_security(doc, op.get("security").or(global_security))?;
            operations.push(Operation {
                id,
                method: method
                    .to_uppercase()
                    .parse()
                    .map_err(|_| ContractError::BadMethod(method.to_string()))?,
                path: template.clone(),
                summary: op
                    .get("summary")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                deprecated: op
                    .get("deprecated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                source: op
                    .get("x-vouch-source")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                pointer,
                parameters,
                request_body,
                responses,
                security,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for op in &operations {
        if !seen.insert(op.id.as_str()) {
            return Err(ContractError::DuplicateOperationId(op.id.clone()));
        }
    }
    Ok(operations)
}

fn read_parameters(doc: &Value, list: Option<&Value>, pointer: &str) -> Read<Vec<Parameter>> {
    let Some(items) = list.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for i in 0..items.len() {
        let (p_pointer, p) = deref(doc, &format!("{pointer}/{i}"))?;
        let name = p
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| ContractError::UnnamedParameter(p_pointer.clone()))?;
        let location = match p.get("in").and_then(Value::as_str) {
            Some("path") => ParamIn::Path,
            Some("query") => ParamIn::Query,
            Some("header") => ParamIn::Header,
            Some("cookie") => ParamIn::Cookie,
            other => {
                return Err(ContractError::BadLocation {
                    pointer: p_pointer,
                    found: format!("{other:?}"),
                });
            }
        };
        out.push(Parameter {
            name: name.to_string(),
            location,
            required: location == ParamIn::Path
                || p.get("required").and_then(Value::as_bool).unwrap_or(false),
            schema: p.get("schema").map(|_| join(&p_pointer, "schema")),
            types: p.get("schema").and_then(declared_types).unwrap_or_default(),
            pointer: p_pointer,
        });
    }
    Ok(out)
}

fn read_content(_doc: &Value, owner: &Value, owner_pointer: &str) -> Read<Vec<MediaType>> {
    let Some(content) = owner.get("content").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    Ok(content
        .iter()
        .map(|(media_type, mt)| {
            let pointer = join(&join(owner_pointer, "content"), media_type);
            MediaType {
                media_type: media_type.to_ascii_lowercase(),
                schema: mt.get("schema").map(|_| join(&pointer, "schema")),
                pointer,
            }
        })
        .collect())
}

fn read_responses(doc: &Value, op: &Value, pointer: &str) -> Read<Vec<ResponseSpec>> {
    let responses_pointer = join(pointer, "responses");
    let Some(map) = op.get("responses").and_then(Value::as_object) else {
        return Err(ContractError::NoResponses(pointer.into()));
    };
    let mut out = Vec::new();
    for key in map.keys() {
        let status = StatusKey::parse(key).ok_or_else(|| ContractError::NotAStatus {
            pointer: responses_pointer.clone(),
            key: key.clone(),
        })?;
        let (r_pointer, r) = deref(doc, &join(&responses_pointer, key))?;
        let mut required_headers = Vec::new();
        if let Some(headers) = r.get("headers").and_then(Value::as_object) {
            for name in headers.keys() {
                let (_, h) = deref(doc, &join(&join(&r_pointer, "headers"), name))?;
                if h.get("required").and_then(Value::as_bool).unwrap_or(false) {
                    required_headers.push(name.to_ascii_lowercase());
                }
            }
        }
        let mut links = Vec::new();
        if let Some(map) = r.get("links").and_then(Value::as_object) {
            for name in map.keys() {
                let (l_pointer, l) = deref(doc, &join(&join(&r_pointer, "links"), name))?;
                let operation_id = l
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| ContractError::LinkWithoutOperation(l_pointer.clone()))?
                    .to_string();
                links.push(Link {
                    name: name.clone(),
                    operation_id,
                    parameters: l
                        .get("parameters")
                        .and_then(Value::as_object)
                        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                        .unwrap_or_default(),
                    request_body: l.get("requestBody").cloned(),
                    reads_back: match l.get("x-vouch-reads-back") {
                        None => None,
                        Some(Value::String(p)) => Some((p.clone(), p.clone())),
                        Some(pair) => match (
                            pair.get("response").and_then(Value::as_str),
                            pair.get("linked").and_then(Value::as_str),
                        ) {
                            (Some(a), Some(b)) => Some((a.to_string(), b.to_string())),
                            _ => return Err(ContractError::BadReadsBack(l_pointer)),
                        },
                    },
                });
            }
        }
        out.push(ResponseSpec {
            status,
            links,
            description: r
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            content: read_content(doc, r, &r_pointer)?,
            required_headers,
            pointer: r_pointer,
        });
    }
    Ok(out)
}

fn read_security(doc: &Value, requirements: Option<&Value>) -> Read<Vec<Vec<SecurityScheme>>> {
    let Some(alternatives) = requirements.and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for requirement in alternatives {
        let Some(names) = requirement.as_object() else {
            continue;
        };
        if names.is_empty() {
            // `{}` means "no credentials needed" is one of the alternatives.
            return Ok(Vec::new());
        }
        let mut all = Vec::new();
        for name in names.keys() {
            let (_, s) = deref(doc, &join("/components/securitySchemes", name))
                .map_err(|_| ContractError::UndefinedScheme(name.clone()))?;
            let scheme = name.clone();
            let kind = s.get("type").and_then(Value::as_str).unwrap_or_default();
            let location = s.get("in").and_then(Value::as_str).unwrap_or_default();
            let param = s
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            all.push(match (kind, location) {
                ("apiKey", "header") => SecurityScheme::Header {
                    header: http::HeaderName::from_bytes(param.as_bytes()).map_err(|_| {
                        ContractError::InvalidHeaderName {
                            name: scheme.clone(),
                            header: param.clone(),
                        }
                    })?,
                    scheme,
                },
                ("apiKey", "query") => SecurityScheme::Query { scheme, param },
                ("apiKey", "cookie") => SecurityScheme::Cookie {
                    scheme,
                    cookie: param,
                },
                ("http", _)
                    if s.get("scheme")
                        .and_then(Value::as_str)
                        .is_some_and(|x| x.eq_ignore_ascii_case("basic")) =>
                {
                    SecurityScheme::Basic { scheme }
                }
                ("http" | "oauth2" | "openIdConnect", _) => SecurityScheme::Bearer { scheme },
                _ => {
                    return Err(ContractError::UnsupportedScheme {
                        name: name.clone(),
                        kind: kind.to_string(),
                    });
                }
            });
        }
        out.push(all);
    }
    Ok(out)
}
