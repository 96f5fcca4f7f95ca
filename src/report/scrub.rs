//! Scrubbing a report of the secrets and PII its run saw, and doing it across shards.
//!
//! A run scrubs every value it saw under a sensitive name (and every credential of its target)
//! from the whole report, wherever it stands: step text, messages, URLs, bodies. A shard
//! (`vouch run --shard I/N`) sees only its own scenarios, so a value sensitive in one shard's
//! scenario could stand unscrubbed in another shard's. So a shard also keeps a *fingerprint* of
//! each value it scrubbed: its length and HMAC-SHA256 under a key every shard and the merge
//! share ([`SCRUB_KEY_VARIABLE`], a CI secret), never the value; `vouch merge` then scrubs every
//! text of every shard of any value whose fingerprint any shard kept. Without the key a
//! fingerprint tells nothing about its value (an SSN or a birth date cannot be guessed back).

use super::Report;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::{BTreeSet, HashSet};

/// The environment variable holding the key shards fingerprint scrubbed values under, and the
/// merge scrubs them across shards with (any text; the same in every shard job and the merge).
pub const SCRUB_KEY_VARIABLE: &str = "VOUCH_SCRUB_KEY";

/// Values shorter than this are redacted where they stand, by member name, not everywhere:
/// scrubbing an SSN's last four or a 6-digit code everywhere would cut into ids and times.
const SHORTEST_SCRUBBED: usize = 8;

/// Replaces every value seen under a sensitive name in the run, and every `secrets` value,
/// wherever it appears in the report (step text, failure messages, URLs, bodies).
pub fn scrub(report: &mut Report, secrets: &[String]) {
    let values = sensitive_values(report, secrets);
    if values.is_empty() {
        return;
    }
    each_text(report, |text| {
        for v in &values {
            if text.contains(v.as_str()) {
                *text = text.replace(v.as_str(), crate::redact::REDACTED);
            }
        }
    });
}

/// [`scrub`], and keeps in the report the fingerprint of each value scrubbed under `key`, so
/// that merging it with other shards scrubs those values from them too.
pub fn scrub_with_fingerprints(report: &mut Report, secrets: &[String], key: &str) {
    let values = sensitive_values(report, secrets);
    let mac = keyed(key);
    let mut fingerprints: BTreeSet<String> = report.scrub_fingerprints.drain(..).collect();
    fingerprints.extend(values.iter().map(|v| fingerprint(&mac, v)));
    // The empty text's, which matches nothing: the merge checks its key against it.
    fingerprints.insert(fingerprint(&mac, ""));
    scrub(report, secrets);
    report.scrub_fingerprints = fingerprints.into_iter().collect();
}

/// Scrubs every text of `report` of each value whose fingerprint is in `fingerprints` (kept
/// under `key`): what the merge does with the fingerprints all its shards kept.
pub(crate) fn scrub_fingerprinted(report: &mut Report, fingerprints: &BTreeSet<String>, key: &str) {
    let mac = keyed(key);
    let wanted: HashSet<(usize, [u8; 16])> = fingerprints.iter().filter_map(|f| parse(f)).collect();
    let mut lengths: Vec<usize> = wanted
        .iter()
        .map(|(len, _)| *len)
        .filter(|len| *len > 0)
        .collect();
    // Longest first, so a value containing another is replaced whole.
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    lengths.dedup();
    if lengths.is_empty() {
        return;
    }
    each_text(report, |text| {
        if let Some(scrubbed) = without_fingerprinted(text, &lengths, &mac, &wanted) {
            *text = scrubbed;
        }
    });
}

/// `text` with every listed substring replaced, or `None` if there is none. A candidate starts
/// and ends at a word boundary (a value is never cut out of the middle of a word: `abc` in
/// `xabcx` is not one), which keeps the keyed hashes to a few per word.
fn without_fingerprinted(
    text: &str,
    lengths: &[usize],
    mac: &Hmac<Sha256>,
    wanted: &HashSet<(usize, [u8; 16])>,
) -> Option<String> {
    let shortest = lengths.last().copied().unwrap_or(usize::MAX);
    if text.len() < shortest {
        return None;
    }
    // boundary[i]: a value may end at byte i (a word ends, or a non-word character is last);
    // starts[i]: one may start there (the start of a word or of a run of characters that are
    // no delimiter of JSON, a URL, a header or a sentence).
    let mut boundary = vec![false; text.len() + 1];
    let mut starts = vec![false; text.len() + 1];
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        boundary[i] = previous.is_none_or(|p| !p.is_alphanumeric() || !c.is_alphanumeric());
        starts[i] = previous.is_none_or(|p| !p.is_alphanumeric()) && !DELIMITERS.contains(c);
        previous = Some(c);
    }
    boundary[text.len()] = true;
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while at < text.len() {
        let found = starts[at]
            .then(|| {
                lengths.iter().copied().find(|&len| {
                    let end = at + len;
                    end <= text.len()
                        && text.is_char_boundary(end)
                        && boundary[end]
                        && wanted.contains(&(len, digest(mac, &text[at..end])))
                })
            })
            .flatten();
        match found {
            Some(len) => {
                out.push_str(&text[copied..at]);
                out.push_str(crate::redact::REDACTED);
                at += len;
                copied = at;
            }
            None => at += text[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Characters no value starts with: those that delimit values in JSON, URLs, headers and text.
const DELIMITERS: &str = "\"' \t\r\n{}[]():,;=&?/<>\\";

/// `<length>:<32 hex digits>` back to its parts.
fn parse(fingerprint: &str) -> Option<(usize, [u8; 16])> {
    let (len, hex) = fingerprint.split_once(':')?;
    let mut bytes = [0u8; 16];
    if hex.len() != 32 {
        return None;
    }
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some((len.parse().ok()?, bytes))
}

/// Whether `fingerprints` were kept under `key` (they hold the empty text's under their key).
pub(crate) fn kept_under(fingerprints: &[String], key: &str) -> bool {
    fingerprints.contains(&fingerprint(&keyed(key), ""))
}

fn keyed(key: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap_or_else(|_| unreachable!())
}

/// `<length in bytes>:<the first 128 bits of HMAC-SHA256(key, value), hex>`.
fn fingerprint(mac: &Hmac<Sha256>, value: &str) -> String {
    let hex: String = digest(mac, value)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}:{hex}", value.len())
}

/// The first 128 bits of HMAC-SHA256(key, value).
fn digest(mac: &Hmac<Sha256>, value: &str) -> [u8; 16] {
    let mut mac = mac.clone();
    mac.update(value.as_bytes());
    let full = mac.finalize().into_bytes();
    let mut out = [0u8; 16];
    for (o, b) in out.iter_mut().zip(full.iter()) {
        *o = *b;
    }
    out
}

/// The values to scrub: those seen under sensitive names and `secrets`, long enough, longest
/// first.
fn sensitive_values(report: &Report, secrets: &[String]) -> Vec<String> {
    let mut values: Vec<String> = report
        .scenarios
        .iter()
        .flat_map(|s| s.exchanges())
        .flat_map(|e| e.sensitive.iter().cloned())
        .chain(secrets.iter().cloned())
        .filter(|v| v.chars().count() >= SHORTEST_SCRUBBED && v != crate::redact::REDACTED)
        .collect();
    values.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    values.dedup();
    values
}

/// Calls `fix` on every text of the report a value could stand in, and forgets the values
/// recorded as sensitive (they are scrubbed now).
fn each_text(report: &mut Report, mut fix: impl FnMut(&mut String)) {
    let fix_opt = |text: &mut Option<String>, fix: &mut dyn FnMut(&mut String)| {
        if let Some(t) = text {
            fix(t);
        }
    };
    for s in &mut report.scenarios {
        fix(&mut s.scenario);
        fix_opt(&mut s.failure, &mut fix);
        for step in &mut s.steps {
            fix(&mut step.text);
            fix_opt(&mut step.failure, &mut fix);
            fix_opt(&mut step.docstring, &mut fix);
            for e in &mut step.exchanges {
                fix(&mut e.url);
                fix(&mut e.curl);
                fix_opt(&mut e.request_body, &mut fix);
                fix_opt(&mut e.response_body, &mut fix);
                fix_opt(&mut e.error, &mut fix);
                for h in &mut e.request_headers {
                    fix(&mut h.value);
                }
                for v in e
                    .request_violations
                    .iter_mut()
                    .chain(&mut e.response_violations)
                {
                    fix(&mut v.actual);
                    fix(&mut v.expected);
                }
                e.sensitive.clear();
            }
        }
    }
    for text in report.skipped.iter_mut().chain(&mut report.errors) {
        fix(text);
    }
    // The fuzz part's texts: a check's detail can quote the answer's body.
    for f in report.fuzz.iter_mut().flat_map(|f| &mut f.failures) {
        fix(&mut f.detail);
        fix(&mut f.case.path);
        fix_opt(&mut f.case.body, &mut fix);
        fix(&mut f.curl);
    }
    for g in report.fuzz.iter_mut().flat_map(|f| &mut f.gaps) {
        fix(&mut g.detail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ExchangeRecord, ScenarioRecord, StepRecord};

    #[test]
    fn scrub_replaces_sensitive_values_everywhere() {
        let mut report = Report {
            scenarios: vec![ScenarioRecord {
                steps: vec![StepRecord {
                    text: r#"I POST {"ssn": "123456789"} to /x"#.into(),
                    exchanges: vec![ExchangeRecord {
                        sensitive: vec!["123456789".into()],
                        url: "https://x/y/123456789".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        scrub(&mut report, &["key-abc".into()]);
        let text = serde_json::to_string(&report).unwrap();
        assert!(!text.contains("123456789"), "{text}");
    }

    fn step(text: &str, sensitive: &[&str]) -> Report {
        Report {
            scenarios: vec![ScenarioRecord {
                steps: vec![StepRecord {
                    text: text.into(),
                    exchanges: vec![ExchangeRecord {
                        sensitive: sensitive.iter().map(|s| s.to_string()).collect(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_value_one_shard_saw_is_scrubbed_from_another_by_its_fingerprint() {
        // shard 1 saw the birth date under a sensitive name; shard 2 only in a step's text
        let mut one = step(r#"I send {"birthDate": "1989-08-01"}"#, &["1989-08-01"]);
        let mut two = step("the answer names 1989-08-01 and 1989-08-011", &[]);
        scrub_with_fingerprints(&mut one, &[], "ci-secret");
        scrub_with_fingerprints(&mut two, &[], "ci-secret");
        assert!(two.scenarios[0].steps[0].text.contains("1989-08-01"));
        let kept = serde_json::to_string(&one).unwrap();
        assert!(!kept.contains("1989-08-01"), "{kept}");
        assert_eq!(
            one.scrub_fingerprints.len(),
            2,
            "the value's and the key check"
        );
        assert!(kept_under(&one.scrub_fingerprints, "ci-secret"));
        assert!(!kept_under(&one.scrub_fingerprints, "another-key"));
        let fingerprints: BTreeSet<String> = one.scrub_fingerprints.iter().cloned().collect();
        // under another key the fingerprint matches nothing
        let mut wrong = two.clone();
        scrub_fingerprinted(&mut wrong, &fingerprints, "another-key");
        assert_eq!(
            wrong.scenarios[0].steps[0].text,
            two.scenarios[0].steps[0].text
        );
        scrub_fingerprinted(&mut two, &fingerprints, "ci-secret");
        // a word boundary on each side: not out of the middle of a longer number
        assert_eq!(
            two.scenarios[0].steps[0].text,
            "the answer names <redacted> and 1989-08-011"
        );
    }
}
