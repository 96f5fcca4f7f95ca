//! Stateful sequences along the contract's OpenAPI links: a valid request to an operation,
//! then each link its successful answer declares, with the linked parameters taken from that
//! answer (`$response.body#/data/id`) or from the request (`$request.path.id`). The linked
//! request's answer gets every check, and `stateful_read_back` besides.

use super::cases::{self, Parts};
use super::checks::FollowedLink;
use super::run::{Shared, check_case, record, runner, valid_parts};
use super::strategy::Generator;
use crate::contract::{Link, Operation, ParamIn, StatusKey};
use proptest::prelude::*;
use proptest::test_runner::{TestCaseError, TestError};
use serde_json::Value;

/// The runner kind of link sequences (after positive, negative and unauthenticated cases), so
/// they draw from their own seeded stream.
const KIND: u8 = 3;

/// Runs the link sequences that start at `op`, whose valid parts `strategy` generates; a
/// failing sequence is shrunk and recorded against `op` with its first request.
pub(crate) fn sequences(
    shared: &Shared,
    handle: &tokio::runtime::Handle,
    generator: &Generator<'_>,
    api: &str,
    op: &Operation,
    strategy: BoxedStrategy<Parts>,
) {
    let Ok(contract) = shared.contracts.get(api) else {
        return;
    };
    let links: Vec<&Link> = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, StatusKey::Code(200..=299)))
        .flat_map(|r| &r.links)
        .collect();
    if links.is_empty() {
        return;
    }
    let consumers: Vec<BoxedStrategy<Parts>> = links
        .iter()
        .filter_map(|l| contract.operation(&l.operation_id).ok())
        .map(|target| valid_parts(shared, generator, api, target))
        .collect();
    let result =
        runner(shared, api, &op.id, KIND).run(&(strategy, consumers), |(parts, consumer_parts)| {
            let producer = cases::positive(op, &parts);
            let (status, body) = check_case(shared, handle, api, &op.id, &producer, None)
                .map_err(TestCaseError::fail)?;
            let Ok(answer) = serde_json::from_slice::<Value>(&body) else {
                return Ok(());
            };
            if !(200..300).contains(&status) {
                return Ok(());
            }
            for (link, mut consumer) in links.iter().zip(consumer_parts) {
                let Ok(target) = contract.operation(&link.operation_id) else {
                    continue;
                };
                // Following a link sends what the link names and what the target requires,
                // nothing random besides: a random optional cursor or body would answer a
                // business error.
                let required = |name: &String| {
                    target
                        .parameters
                        .iter()
                        .any(|p| p.name == *name && p.required)
                };
                consumer.query.retain(|k, _| required(k));
                consumer.headers.retain(|k, _| required(k));
                if !target.request_body.as_ref().is_some_and(|b| b.required) {
                    consumer.body = None;
                }
                let mut resolved = true;
                for (name, expression) in &link.parameters {
                    match resolve(expression, &answer, &parts) {
                        Some(value) => {
                            let text = match &value {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            };
                            if consumer.path.contains_key(name)
                                || target
                                    .parameters
                                    .iter()
                                    .any(|p| p.name == *name && p.location == ParamIn::Path)
                            {
                                consumer.path.insert(name.clone(), text);
                            } else {
                                consumer.query.insert(name.clone(), value);
                            }
                        }
                        None => resolved = false,
                    }
                }
                if let Some(body) = &link.request_body {
                    consumer.body = resolve(body, &answer, &parts);
                }
                if !resolved {
                    continue;
                }
                let mut case = cases::positive(target, &consumer);
                case.label = format!("{} after {} (link {})", target.id, op.id, link.name);
                let followed = FollowedLink::new(link, &answer);
                check_case(shared, handle, api, &target.id, &case, Some(&followed))
                    .map_err(|m| TestCaseError::fail(format!("{m} [{}]", case.label)))?;
            }
            Ok(())
        });
    if let Err(TestError::Fail(message, (parts, _))) = result {
        record(
            shared,
            api,
            &op.id,
            cases::positive(op, &parts),
            message.message(),
        );
    }
}

/// A link's runtime expression (`$response.body#/data/id`, `$request.path.id`) or constant;
/// objects are resolved member by member (arrays, like other constants, are taken as they
/// are). `None` when an expression finds nothing.
fn resolve(expression: &Value, answer: &Value, request: &Parts) -> Option<Value> {
    match expression {
        Value::String(e) if e.starts_with('$') => {
            if let Some(pointer) = e.strip_prefix("$response.body#") {
                answer.pointer(pointer).cloned()
            } else if let Some(name) = e.strip_prefix("$request.path.") {
                request.path.get(name).map(|v| Value::String(v.clone()))
            } else if let Some(name) = e.strip_prefix("$request.query.") {
                request.query.get(name).cloned()
            } else if let Some(pointer) = e.strip_prefix("$request.body#") {
                request.body.as_ref()?.pointer(pointer).cloned()
            } else {
                None
            }
        }
        Value::Object(map) => Some(Value::Object(
            map.iter()
                .map(|(k, v)| Some((k.clone(), resolve(v, answer, request)?)))
                .collect::<Option<_>>()?,
        )),
        other => Some(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_runtime_expressions_and_constants() {
        let answer = json!({"data": {"id": "vt-1", "n": 2}});
        let mut request = Parts::default();
        request.path.insert("id".into(), "p-1".into());
        request.query.insert("limit".into(), json!(5));
        request.body = Some(json!({"name": "x"}));
        let r = |e: Value| resolve(&e, &answer, &request);
        assert_eq!(r(json!("$response.body#/data/id")), Some(json!("vt-1")));
        assert_eq!(r(json!("$request.path.id")), Some(json!("p-1")));
        assert_eq!(r(json!("$request.query.limit")), Some(json!(5)));
        assert_eq!(r(json!("$request.body#/name")), Some(json!("x")));
        assert_eq!(r(json!("$response.body#/data/missing")), None);
        assert_eq!(r(json!("$url")), None);
        assert_eq!(r(json!("constant")), Some(json!("constant")));
        assert_eq!(
            r(json!({"id": "$response.body#/data/id", "n": 1})),
            Some(json!({"id": "vt-1", "n": 1}))
        );
        assert_eq!(r(json!({"id": "$response.body#/nope"})), None);
    }
}
