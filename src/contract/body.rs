//! A JSON value checked as the body of an operation's request or response, without an HTTP
//! exchange around it (`vouch validate`, the fuzz engine, evidence, the JWE steps).

use super::validate::is_json;
use super::{Contract, Direction, Operation};
use crate::contract::Violation;
use crate::error::Error;
use serde_json::Value;

impl Contract {
    /// Pointer to the JSON body schema of a request to `op` (`status: None`) or of its
    /// response with `status`.
    pub fn body_schema(&self, op: &Operation, status: Option<u16>) -> Result<String, Error> {
        let (direction, content) = match status {
            None => (
                Direction::Request,
                op.request_body
                    .as_ref()
                    .map(|b| b.content.as_slice())
                    .unwrap_or_default(),
            ),
            Some(s) => {
                let spec = op
                    .response_for(s)
                    .ok_or_else(|| Error::UndocumentedStatus {
                        api: self.api.clone(),
                        operation: op.id.clone(),
                        status: s,
                        documented: op.statuses().iter().map(ToString::to_string).collect(),
                    })?;
                (Direction::Response, spec.content.as_slice())
            }
        };
        content
            .iter()
            .find(|m| is_json(&m.media_type))
            .and_then(|m| m.schema.clone())
            .ok_or_else(|| Error::NoBody {
                api: self.api.clone(),
                operation: op.id.clone(),
                direction: match direction {
                    Direction::Request => "request",
                    Direction::Response => "response",
                },
            })
    }

    /// Validates a JSON value (already parsed, e.g. from a file) as the body of a request to
    /// `op` (`status: None`) or of its response with `status`. Violation pointers start `/body`.
    pub fn check_body(
        &self,
        op: &Operation,
        status: Option<u16>,
        value: &Value,
    ) -> Result<Vec<Violation>, Error> {
        let schema = self.body_schema(op, status)?;
        let direction = if status.is_some() {
            Direction::Response
        } else {
            Direction::Request
        };
        Ok(self.findings(Some(op), direction, &schema, value, "/body"))
    }

    /// Validates a JSON value against a named schema in `components.schemas`.
    pub fn check_schema(&self, name: &str, value: &Value) -> Result<Vec<Violation>, Error> {
        let pointer = self
            .schema_pointer(name)
            .ok_or_else(|| Error::UnknownSchema {
                api: self.api.clone(),
                schema: name.to_string(),
            })?;
        Ok(self.findings(None, Direction::Response, &pointer, value, "/body"))
    }
}
