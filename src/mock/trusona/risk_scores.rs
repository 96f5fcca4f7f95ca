//! Risk scores (§ RiskScores > getRiskScores; § Models > RiskScore) and the verification's
//! `overallRisk` (§ Models > VerificationResponse), computed when the document is scanned.
//!
//! The page names the model, not the rules; the mock's rules (contracts/NOTES.md § Trusona ›
//! Mock behaviour), each one RiskScore with `score` NO when it found nothing:
//!
//! | ruleType | rule | scores |
//! | --- | --- | --- |
//! | SCAN | DOCUMENT_EXPIRED | HIGH if `expiryDate` is past, LOW if it could not be read |
//! | SCAN | REQUIRED_FIELDS | LOW if the document number, names or birth date were not read |
//! | DEVICE | MULTIPLE_DEVICES | LOW if more than one device opened the link (`riskyDevices`: the others) |
//! | DEVICE | AUTOMATED_BROWSER | HIGH if a device's user agent is an automated browser (`robotRule`) |
//! | VERIFIER | `<verifier>_CHECK` | LOW if some fields mismatched or FATAL, HIGH if none matched |
//! | VERIFIER | SIM_SWAP | HIGH if the MNO_V phone's SIM was swapped |
//!
//! Scores are only NO, LOW and HIGH: the values both the page (NONE, NO, LOW, MEDIUM, HIGH) and
//! Trusona's OpenAPI (`RiskScore.score`: NO, LOW, HIGH; its examples use NO) allow, so a client
//! built from either reads every answer (contracts/NOTES.md § Answers within every vendor
//! source). The contract still accepts all five.
//!
//! `overallRisk`: HIGH if any score is HIGH, LOW if any is LOW, else NO. Each score's
//! `defaultScore` (the published description's score "before any rule overrides") equals its
//! `score`: the mock has no override rules.

use super::super::api::{MockError, MockRequest, MockResponse};
use super::super::clock::Instant;
use super::documents::parse_us_date;
use super::entities::Scan;
use super::entities::Verification;
use super::{Account, devices, verifiers};
use serde_json::{Value, json};

const CORE_FIELDS: [&str; 4] = ["documentNumber", "firstName", "lastName", "dateOfBirth"];

struct Score<'a> {
    rule_type: &'static str,
    rule: String,
    score: &'static str,
    reason: String,
    verifier: &'a str,
    risky_fields: Vec<String>,
    risky_devices: Vec<String>,
    robot_rule: bool,
}

impl Score<'_> {
    fn to_json(&self, now: Instant) -> Value {
        json!({
            "id": uuid::Uuid::new_v4().to_string(),
            "ruleType": self.rule_type,
            "type": self.rule_type,
            "rule": self.rule,
            "score": self.score,
            // "The original risk score before any rule overrides were applied" (the vendor's
            // published description): the mock applies no overrides.
            "defaultScore": self.score,
            "reason": self.reason,
            "verifier": self.verifier,
            "riskyFields": self.risky_fields,
            "riskyDevices": self.risky_devices,
            "robotRule": self.robot_rule,
            "createdAt": now.rfc3339(),
        })
    }
}

fn score<'a>(rule_type: &'static str, rule: &str, verifier: &'a str) -> Score<'a> {
    Score {
        rule_type,
        rule: rule.to_string(),
        score: "NO",
        reason: "Nothing found".into(),
        verifier,
        risky_fields: Vec::new(),
        risky_devices: Vec::new(),
        robot_rule: false,
    }
}

fn scan_rules(scan: &Scan, now: Instant) -> Vec<Score<'static>> {
    let mut expired = score("SCAN", "DOCUMENT_EXPIRED", "SCAN");
    let today = now.datetime().date_naive();
    match scan.field("expiryDate").map(parse_us_date) {
        Some(Some(date)) if date < today => {
            expired.score = "HIGH";
            expired.reason = format!("The document expired on {}", date.format("%m/%d/%Y"));
            expired.risky_fields = vec!["expiryDate".into()];
        }
        Some(Some(_)) => {}
        _ => {
            expired.score = "LOW";
            expired.reason = "The expiry date could not be read".into();
            expired.risky_fields = vec!["expiryDate".into()];
        }
    }
    let mut required = score("SCAN", "REQUIRED_FIELDS", "SCAN");
    let missing: Vec<String> = CORE_FIELDS
        .iter()
        .filter(|f| scan.field(f).is_none())
        .map(|f| f.to_string())
        .collect();
    if !missing.is_empty() {
        required.score = "LOW";
        required.reason = format!("Not read from the document: {}", missing.join(", "));
        required.risky_fields = missing;
    }
    vec![expired, required]
}

fn device_rules(devices: &[Value], scanning_device: &str) -> Vec<Score<'static>> {
    let id = |d: &Value| d["id"].as_str().unwrap_or_default().to_string();
    let mut multiple = score("DEVICE", "MULTIPLE_DEVICES", "NONE");
    if devices.len() > 1 {
        multiple.score = "LOW";
        multiple.reason = format!("{} devices opened the link", devices.len());
        multiple.risky_devices = devices
            .iter()
            .map(id)
            .filter(|d| d != scanning_device)
            .collect();
    }
    let mut robots = score("DEVICE", "AUTOMATED_BROWSER", "NONE");
    robots.robot_rule = true;
    let automated: Vec<String> = devices
        .iter()
        .filter(|d| d["userAgent"].as_str().is_some_and(devices::automated))
        .map(id)
        .collect();
    if !automated.is_empty() {
        robots.score = "HIGH";
        robots.reason = "An automated browser opened the link".into();
        robots.risky_devices = automated;
    }
    vec![multiple, robots]
}

fn verifier_rules<'a>(checks: &'a [Value], requested: &'a [Value]) -> Vec<Score<'a>> {
    let mut out = Vec::new();
    for check in checks {
        let verifier = check["verifier"].as_str().unwrap_or("NONE");
        let mut s = score("VERIFIER", &format!("{verifier}_CHECK"), verifier);
        let matches = check["matches"].as_object().cloned().unwrap_or_default();
        let failed: Vec<String> = matches
            .iter()
            .filter(|(_, v)| **v == json!(false))
            .map(|(k, _)| k.clone())
            .collect();
        let any_matched = matches.values().any(|v| *v == json!(true));
        if check["verifierResult"] == "FATAL" {
            s.score = "LOW";
            s.reason = format!("{verifier} cannot check this document type");
        } else if !failed.is_empty() {
            s.score = if any_matched { "LOW" } else { "HIGH" };
            s.reason = format!("{verifier} records differ: {}", failed.join(", "));
            s.risky_fields = failed;
        }
        out.push(s);
    }
    for r in requested {
        let phone = r["phoneNumber"].as_str().unwrap_or_default();
        if r["verifier"] == "MNO_V" && verifiers::sim_swapped(phone) {
            let mut s = score("VERIFIER", "SIM_SWAP", "MNO_V");
            s.score = "HIGH";
            s.reason = "The phone's SIM was swapped recently".into();
            s.risky_fields = vec!["phoneNumber".into()];
            out.push(s);
        }
    }
    out
}

/// Every rule's score for a scanned verification.
pub(super) fn assess(
    verification: &Verification,
    scanning_device: &str,
    now: Instant,
) -> Vec<Value> {
    let Some(scan) = &verification.scan else {
        return Vec::new();
    };
    let mut scores = scan_rules(scan, now);
    scores.extend(device_rules(&verification.devices, scanning_device));
    scores.extend(verifier_rules(
        &verification.verifier_checks,
        &verification.requested_verifiers,
    ));
    scores.iter().map(|s| s.to_json(now)).collect()
}

/// `overallRisk` from the scores: HIGH if any is HIGH, LOW if any is LOW (or MEDIUM, which the
/// mock no longer answers but the page allows), else NO.
pub(super) fn overall(scores: &[Value]) -> &'static str {
    let has = |level: &str| scores.iter().any(|s| s["score"] == level);
    if has("HIGH") {
        "HIGH"
    } else if has("MEDIUM") || has("LOW") {
        "LOW"
    } else {
        "NO"
    }
}

/// § RiskScores > getRiskScores (`[]` until the document is scanned).
pub(super) fn list(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let v = account.verification(request)?;
    Ok(MockResponse::json(200, Value::Array(v.risk_scores.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_risk_is_the_worst_score() {
        let s = |levels: &[&str]| -> Vec<Value> {
            levels.iter().map(|l| json!({"score": l})).collect()
        };
        assert_eq!(overall(&[]), "NO");
        assert_eq!(overall(&s(&["NO", "NO"])), "NO");
        assert_eq!(overall(&s(&["NO", "LOW"])), "LOW");
        assert_eq!(overall(&s(&["MEDIUM", "NO"])), "LOW");
        assert_eq!(overall(&s(&["LOW", "HIGH"])), "HIGH");
    }

    #[test]
    fn scan_rules_score_expiry_and_missing_fields() {
        let now = Instant(1_700_000_000_000); // 2023-11-14
        let scan = |v: Value| Scan::from_fields(v.as_object().cloned().unwrap_or_default());
        let fine = scan(
            json!({"documentNumber": "D1", "firstName": "A", "lastName": "B",
                               "dateOfBirth": "01/02/1985", "expiryDate": "01/01/2030"}),
        );
        assert!(scan_rules(&fine, now).iter().all(|s| s.score == "NO"));
        let expired = scan(json!({"documentNumber": "D1", "expiryDate": "01/01/2020"}));
        let scores = scan_rules(&expired, now);
        assert_eq!(scores[0].score, "HIGH");
        assert_eq!(scores[1].score, "LOW");
        assert_eq!(
            scores[1].risky_fields,
            vec!["firstName", "lastName", "dateOfBirth"]
        );
    }

    #[test]
    fn device_rules_name_the_other_and_robot_devices() {
        let devices = vec![
            json!({"id": "a", "userAgent": "Mozilla/5.0 Safari/605"}),
            json!({"id": "b", "userAgent": "Mozilla/5.0 HeadlessChrome/120"}),
        ];
        let scores = device_rules(&devices, "a");
        assert_eq!(scores[0].score, "LOW");
        assert_eq!(scores[0].risky_devices, vec!["b"]);
        assert_eq!(scores[1].score, "HIGH");
        assert!(scores[1].robot_rule);
        assert!(
            device_rules(&devices[..1], "a")
                .iter()
                .all(|s| s.score == "NO")
        );
    }

    /// Every score the rules give is one both the page and Trusona's OpenAPI allow (issue #26).
    #[test]
    fn scores_stay_within_every_vendor_source() {
        let now = Instant(1_700_000_000_000);
        let scan = |v: Value| Scan::from_fields(v.as_object().cloned().unwrap_or_default());
        let checks = vec![
            json!({"verifier": "DMV", "verifierResult": "FAILURE",
                   "matches": {"lastName": true, "documentNumber": false}}),
            json!({"verifier": "DMV", "verifierResult": "FAILURE", "matches": {"lastName": false}}),
            json!({"verifier": "MNO_V", "verifierResult": "FATAL", "matches": {}}),
            json!({"verifier": "SCAN", "verifierResult": "SUCCESS", "matches": {}}),
        ];
        let devices = vec![
            json!({"id": "a", "userAgent": "HeadlessChrome/1"}),
            json!({"id": "b"}),
        ];
        let mut all = scan_rules(&scan(json!({"expiryDate": "01/01/2020"})), now);
        all.extend(scan_rules(&scan(json!({})), now));
        all.extend(device_rules(&devices, "a"));
        all.extend(device_rules(&devices[1..], "b"));
        all.extend(verifier_rules(&checks, &[]));
        let seen: std::collections::BTreeSet<&str> = all.iter().map(|s| s.score).collect();
        assert_eq!(seen, ["HIGH", "LOW", "NO"].into_iter().collect());
    }
}
