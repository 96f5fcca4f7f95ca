//! Server-rendered pages for the user's side of a flow (the Verified wallet, Trusona's subject
//! link): what a browser gets when it asks for `text/html`, beside the JSON the same calls
//! answer. Plain HTML, inline CSS, no script and no external asset (the response's
//! Content-Security-Policy says so), small forms that POST `application/x-www-form-urlencoded`.
//!
//! Negotiation (RFC 9110 § 12.5.1): a client gets HTML when its `Accept` names `text/html` with
//! a higher weight than `application/json` (a browser's navigation does), or when it posts a
//! form; every other client, including one that sends no `Accept`, keeps the JSON.

use http::HeaderMap;
use http::header::{ACCEPT, CONTENT_TYPE};

/// The weight `Accept` gives a media type (0 when absent; `*/*` and `type/*` count less
/// specifically, as the RFC orders them).
fn weight(accept: &str, wanted: &str) -> f32 {
    let (main, _) = wanted.split_once('/').unwrap_or((wanted, ""));
    let mut best: Option<(u8, f32)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let specificity = if range == wanted {
            3
        } else if range.strip_suffix("/*") == Some(main) {
            2
        } else if range == "*/*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// Whether the client asked for a page rather than JSON.
pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    if text(CONTENT_TYPE).starts_with("application/x-www-form-urlencoded") {
        return true;
    }
    let accept = text(ACCEPT);
    let html = weight(&accept, "text/html");
    html > 0.0 && html > weight(&accept, "application/json")
}

/// Escapes text for an HTML element or a double-quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The fields of an `application/x-www-form-urlencoded` body (WHATWG URL § 5.1: `+` is a
/// space, then percent-decoding), in order; `None` when it is not UTF-8.
pub(crate) fn form_fields(body: &[u8]) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(body).ok()?;
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8()
            .map(|c| c.into_owned())
            .ok()
    };
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(name)?, decode(value)?))
        })
        .collect()
}

/// A whole page: the title (escaped here) and the body (already HTML).
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head>\n<body><main>\n{body}\n</main></body></html>\n",
        escape(title)
    )
}

/// A paragraph announcing an error (`role="alert"`, `id="error"`, for tests and screen
/// readers), with the vendor's code when it has one.
pub(crate) fn error_note(code: Option<&str>, message: &str) -> String {
    let code = code.map(|c| format!("{} ", escape(c))).unwrap_or_default();
    format!(
        "<p class=\"error\" role=\"alert\" id=\"error\">{code}{}</p>",
        escape(message)
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}\
main{max-width:32rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:8px}\
fieldset{border:1px solid #ddd;border-radius:6px;margin:0 0 1rem}\
label{display:block;margin:.4rem 0}input[type=text],input[type=date]{width:100%;padding:.4rem}\
button{padding:.5rem 1rem;margin-top:.5rem}.error{color:#a00}.muted{color:#666}";

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn accept(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn browsers_get_pages_and_api_clients_json() {
        let chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,\
                      image/webp,*/*;q=0.8";
        assert!(wants_html(&accept(chrome)));
        assert!(wants_html(&accept("text/*")));
        assert!(!wants_html(&HeaderMap::new()));
        assert!(!wants_html(&accept("*/*")));
        assert!(!wants_html(&accept("application/json")));
        assert!(!wants_html(&accept("application/json, text/html;q=0.5")));
        assert!(!wants_html(&accept("text/html;q=0")));
        let mut form = HeaderMap::new();
        form.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert!(wants_html(&form));
    }

    #[test]
    fn forms_decode_and_text_is_escaped() {
        assert_eq!(
            form_fields(b"code=111111&name=a+b%26c&empty=&flag").unwrap(),
            vec![
                ("code".into(), "111111".into()),
                ("name".into(), "a b&c".into()),
                ("empty".into(), String::new()),
                ("flag".into(), String::new()),
            ]
        );
        assert_eq!(form_fields(b"x=%ff"), None);
        assert_eq!(
            escape("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert!(page("<t>", "<p>b</p>").contains("<title>&lt;t&gt;</title>"));
    }
}
