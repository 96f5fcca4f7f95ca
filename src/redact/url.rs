//! Splitting URLs and paths: which API a path belongs to, and the part of a URL that is the
//! same on every host. Every component that routes or shows paths (the mock, the proxy,
//! snapshots) splits them here, so they cannot disagree on where the API prefix ends.

/// `/peach/verification-types?limit=2` is API `peach` and the rest
/// `/verification-types?limit=2`; a bare `/peach` has the rest `""`. The prefix ends at the
/// first `/` or `?` after the leading slash.
pub fn split_api_prefix(path: &str) -> (&str, &str) {
    let trimmed = path.trim_start_matches('/');
    match trimmed.find(['/', '?']) {
        Some(i) => trimmed.split_at(i),
        None => (trimmed, ""),
    }
}

/// The path and query of a URL, without scheme and host (`https://h:1/a?b` is `/a?b`); a
/// path is returned as it is.
pub fn path_of(url: &str) -> &str {
    match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_prefixes() {
        assert_eq!(
            split_api_prefix("/peach/verification-types"),
            ("peach", "/verification-types")
        );
        assert_eq!(split_api_prefix("/peach?x=1"), ("peach", "?x=1"));
        assert_eq!(split_api_prefix("/peach"), ("peach", ""));
        assert_eq!(split_api_prefix("/"), ("", ""));
    }

    #[test]
    fn paths_of_urls() {
        assert_eq!(path_of("http://127.0.0.1:1/peach/x?y=1"), "/peach/x?y=1");
        assert_eq!(path_of("https://host"), "/");
        assert_eq!(path_of("/already/a/path"), "/already/a/path");
    }
}
