//! Query strings: the values of sensitive parameters (`?token=…`, `?api_key=…`) never reach
//! output. One implementation for the mock's journal, the proxy's recordings and the reports.

use super::{REDACTED, is_sensitive_name};

/// A URL or path with the value of every sensitive query parameter replaced by [`REDACTED`],
/// and the values it replaced: each as sent and, when it was percent-encoded, decoded too, so a
/// report can scrub either spelling wherever else it appears.
pub fn redact_query(url: &str) -> (String, Vec<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), Vec::new());
    };
    let mut found = Vec::new();
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_sensitive_name(&decode(name)) && !value.is_empty() => {
                found.push(value.to_string());
                let decoded = decode(value);
                if decoded != value {
                    found.push(decoded);
                }
                format!("{name}={REDACTED}")
            }
            _ => pair.to_string(),
        })
        .collect();
    (format!("{base}?{}", parts.join("&")), found)
}

/// Percent-decoding as a query is decoded (`+` is a space); invalid UTF-8 is kept lossily.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_values_are_replaced_and_returned_in_both_spellings() {
        let (url, found) = redact_query("/x?api_key=a%2Bb&limit=5&token=");
        assert_eq!(url, "/x?api_key=<redacted>&limit=5&token=");
        assert_eq!(found, ["a%2Bb", "a+b"]);
    }

    #[test]
    fn an_encoded_parameter_name_is_still_recognised() {
        let (url, found) = redact_query("https://h/p?api%5Fkey=secret-value");
        assert_eq!(url, "https://h/p?api%5Fkey=<redacted>");
        assert_eq!(found, ["secret-value"]);
    }

    #[test]
    fn urls_without_a_query_are_unchanged() {
        assert_eq!(redact_query("/x/y"), ("/x/y".to_string(), Vec::new()));
    }
}
