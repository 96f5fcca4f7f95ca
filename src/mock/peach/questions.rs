//! The question bank (§ Get questions): "all the questions which are available for use with
//! verification types". A question is `{id, text, memo, category}` (SUPPLEMENT.md).

use super::super::api::MockResponse;
use serde_json::{Value, json};

/// The seeded bank: the same for every company.
pub(super) const QUESTIONS: &[(&str, &str, &str)] = &[
    ("birth-year", "In what year were you born?", "identity"),
    ("birth-month", "In what month were you born?", "identity"),
    (
        "ssn-last-four",
        "What are the last four digits of your Social Security number?",
        "identity",
    ),
    (
        "zip-code",
        "What is the ZIP code of your current address?",
        "address",
    ),
    (
        "street-name",
        "What is the name of the street you live on?",
        "address",
    ),
    (
        "loan-amount",
        "What was the original amount of your loan?",
        "loan",
    ),
    (
        "last-payment-amount",
        "What was the amount of your last payment?",
        "loan",
    ),
    (
        "payment-day",
        "On what day of the month is your payment due?",
        "loan",
    ),
];

pub(super) fn question_ids() -> impl Iterator<Item = &'static str> {
    QUESTIONS.iter().map(|(id, _, _)| *id)
}

fn question(&(id, text, category): &(&str, &str, &str)) -> Value {
    json!({"id": id, "text": text, "memo": null, "category": category})
}

/// The question with this id, as the bank lists it.
pub(super) fn by_id(id: &str) -> Option<Value> {
    QUESTIONS.iter().find(|(q, _, _)| *q == id).map(question)
}

/// `GET /verification-questions`: `{status, count, data}`.
pub(super) fn list() -> MockResponse {
    let data: Vec<Value> = QUESTIONS.iter().map(question).collect();
    MockResponse::json(
        200,
        json!({"status": 200, "total": data.len(), "count": data.len(), "data": data}),
    )
}
