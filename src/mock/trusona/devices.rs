//! Devices (§ Devices > getDevices; § Models > VerificationDevice): one record per browser that
//! opened the subject's link, taken from its requests.
//!
//! From the HTTP request: `userAgent` (and `browser`, `operatingSystem`, `platform` read from
//! it), `ipAddress` (the first `X-Forwarded-For` address, else the peer), `via` (the `Via`
//! header), `language` (`Accept-Language`), `origin` (`Origin`). What only a browser's script
//! could report (`offsetMinutes`, `epochMilliseconds`, `browserTimeZone`, screen and window
//! sizes, GPS, `platform`) may be sent as query parameters of the link; the required
//! `offsetMinutes` and `epochMilliseconds` default to 0 and the mock clock, and `origin`,
//! `browserTimeZone` and `browserDateTime` (required by Trusona's OpenAPI) to the link's origin
//! and the zone and local time those imply. IP geolocation comes from a small seeded table of
//! documentation addresses.

use super::super::api::{
    MockError, MockRequest, MockResponse, UnroutedRequest, header_text, set_member,
};
use super::Account;
use super::entities::Verification;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// `language` when the browser told none: the value of every device example in Trusona's
/// OpenAPI (`api-evangelist/trusona` `openapi/_original/trusona-verification-api-openapi.yml`).
const DEFAULT_LANGUAGE: &str = "en-US";
/// `platform` when neither the query nor the user agent tells it (`navigator.platform` of a
/// browser the mock cannot recognise).
const UNKNOWN_PLATFORM: &str = "unknown";

struct Geo {
    ip: &'static str,
    country: &'static str,
    region: &'static str,
    city: &'static str,
    isp: &'static str,
    asn: &'static str,
    latitude: f64,
    longitude: f64,
    time_zone: &'static str,
}

/// Seeded IP geolocation (RFC 5737 documentation addresses).
const GEO: [Geo; 2] = [
    Geo {
        ip: "203.0.113.7",
        country: "US",
        region: "California",
        city: "San Francisco",
        isp: "Example Broadband",
        asn: "AS64500",
        latitude: 37.7749,
        longitude: -122.4194,
        time_zone: "America/Los_Angeles",
    },
    Geo {
        ip: "198.51.100.23",
        country: "GB",
        region: "England",
        city: "London",
        isp: "Example Mobile",
        asn: "AS64501",
        latitude: 51.5072,
        longitude: -0.1276,
        time_zone: "Europe/London",
    },
];

/// User agents of automated browsers, for the AUTOMATED_BROWSER risk rule.
pub(super) fn automated(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    [
        "headless",
        "phantomjs",
        "selenium",
        "webdriver",
        "bot/",
        "crawler",
    ]
    .iter()
    .any(|m| ua.contains(m))
}

fn browser(ua: &str) -> Option<&'static str> {
    [
        ("Edg/", "Edge"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .into_iter()
    .find(|(m, _)| ua.contains(m))
    .map(|(_, name)| name)
}

/// (operatingSystem, platform) from a user agent.
fn operating_system(ua: &str) -> Option<(&'static str, &'static str)> {
    [
        ("iPhone", ("iOS", "iPhone")),
        ("Android", ("Android", "Linux armv8l")),
        ("Mac OS X", ("macOS", "MacIntel")),
        ("Windows", ("Windows", "Win32")),
        ("Linux", ("Linux", "Linux x86_64")),
    ]
    .into_iter()
    .find(|(m, _)| ua.contains(m))
    .map(|(_, os)| os)
}

fn private_ip(ip: &str) -> bool {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.is_loopback() || v4.is_private(),
        Ok(std::net::IpAddr::V6(v6)) => v6.is_loopback(),
        Err(_) => false,
    }
}

/// The client's address: the first `X-Forwarded-For` entry (the mock stands behind a proxy
/// in Trusona's deployment), else the TCP peer.
fn ip_address(request: &UnroutedRequest) -> Option<String> {
    header_text(&request.headers, "x-forwarded-for")
        .and_then(|v| v.split(',').next().map(|s| s.trim().to_string()))
        .filter(|s| !s.is_empty())
        .or_else(|| request.remote.map(|r| r.ip().to_string()))
}

fn query_number<T: std::str::FromStr>(
    request: &UnroutedRequest,
    name: &str,
) -> Result<Option<T>, MockError> {
    match request.query.get(name) {
        None => Ok(None),
        Some(text) => text
            .parse()
            .map(Some)
            .map_err(|_| MockError::new(400, format!("{name} must be a number"))),
    }
}

/// Records the device behind `request` on `verification`, or updates the one already recorded
/// for the same browser (user agent and IP address); returns its id.
pub(super) fn record(
    verification: &mut Verification,
    request: &UnroutedRequest,
    scanned: bool,
) -> Result<String, MockError> {
    let user_agent = header_text(&request.headers, "user-agent");
    let ip = ip_address(request);
    let existing = verification.devices.iter_mut().find(|d| {
        d["userAgent"].as_str() == user_agent.as_deref() && d["ipAddress"].as_str() == ip.as_deref()
    });
    if let Some(device) = existing {
        if scanned {
            set_member(device, "scannedDocument", json!(true));
            let scan_code = uuid::Uuid::new_v4().simple().to_string();
            set_member(device, "scanCode", json!(scan_code));
        }
        return Ok(device["id"].as_str().unwrap_or_default().to_string());
    }
    let now = request.now;
    let mut d = Map::new();
    let id = uuid::Uuid::new_v4().to_string();
    d.insert("id".into(), json!(id));
    d.insert("createdAt".into(), json!(now.rfc3339()));
    d.insert("dateTime".into(), json!(now.rfc3339()));
    let q = |name: &str| request.query.get(name).cloned();
    let ua = user_agent.clone().unwrap_or_default();
    if let Some(ua) = &user_agent {
        d.insert("userAgent".into(), json!(ua));
    }
    if let Some(b) = browser(&ua) {
        d.insert("browser".into(), json!(b));
    }
    let os = operating_system(&ua);
    if let Some((os, _)) = os {
        d.insert("operatingSystem".into(), json!(os));
    }
    // Trusona's OpenAPI requires `platform` and `language` (non-empty strings); the page marks
    // them optional. When neither the link's query nor the request tells them, the mock answers
    // the values of the vendor's own examples rather than leaving them out (contracts/NOTES.md
    // § Answers within every vendor source > Trusona devices).
    let platform = q("platform")
        .filter(|p| !p.is_empty())
        .or(os.map(|(_, p)| p.to_string()));
    let platform_shown = platform
        .clone()
        .unwrap_or_else(|| UNKNOWN_PLATFORM.to_string());
    d.insert("platform".into(), json!(platform_shown));
    let language = q("language").filter(|l| !l.is_empty()).or_else(|| {
        header_text(&request.headers, "accept-language")
            .and_then(|l| l.split([',', ';']).next().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
    });
    let language_shown = language
        .clone()
        .unwrap_or_else(|| DEFAULT_LANGUAGE.to_string());
    d.insert("language".into(), json!(language_shown));
    // Trusona's OpenAPI requires `origin`, `browserTimeZone` and `browserDateTime` as non-empty
    // strings (not null); the page marks them optional. An answer both allow has them, so when
    // the browser reported nothing the mock gives the values its other members imply
    // (contracts/NOTES.md § Answers within every vendor source).
    let origin = q("origin")
        .or_else(|| header_text(&request.headers, "origin"))
        .unwrap_or_else(|| link_origin(&verification.link_url));
    d.insert("origin".into(), json!(origin));
    if let Some(v) = q("browserTimeZoneWithOffset") {
        d.insert("browserTimeZoneWithOffset".into(), json!(v));
    }
    let offset: i32 = query_number(request, "offsetMinutes")?.unwrap_or(0);
    d.insert("offsetMinutes".into(), json!(offset));
    let epoch: i64 = query_number(request, "epochMilliseconds")?.unwrap_or(now.epoch_millis());
    d.insert("epochMilliseconds".into(), json!(epoch));
    let zone = q("browserTimeZone").unwrap_or_else(|| time_zone(offset));
    d.insert("browserTimeZone".into(), json!(zone));
    let date_time = q("browserDateTime").unwrap_or_else(|| browser_date_time(epoch, offset));
    d.insert("browserDateTime".into(), json!(date_time));
    for name in [
        "displayWidth",
        "displayHeight",
        "browserWidth",
        "browserHeight",
    ] {
        if let Some(v) = query_number::<i32>(request, name)? {
            d.insert(name.into(), json!(v));
        }
    }
    // An unknown GPS position is left out: Trusona's OpenAPI types it a number (not null) and
    // neither source requires it.
    for name in ["gpsLatitude", "gpsLongitude"] {
        if let Some(v) = query_number::<f64>(request, name)? {
            d.insert(name.into(), json!(v));
        }
    }
    network(&mut d, request, ip.as_deref());
    let fingerprint = fingerprint(
        &ua,
        language.as_deref().unwrap_or_default(),
        platform.as_deref().unwrap_or_default(),
    );
    d.insert("fingerprint".into(), json!(fingerprint));
    d.insert("linkCode".into(), json!(verification.link_code));
    d.insert("scannedDocument".into(), json!(scanned));
    if scanned {
        d.insert(
            "scanCode".into(),
            json!(uuid::Uuid::new_v4().simple().to_string()),
        );
    }
    super::super::retention::push_capped(
        &mut verification.devices,
        Value::Object(d),
        request.max_entities,
    );
    verification.updated_at = now;
    Ok(id)
}

/// The network members of a device: the proxies it came through (`Via`), and for its address
/// the geolocation the mock knows and whether it is the customer's own network.
fn network(d: &mut Map<String, Value>, request: &UnroutedRequest, ip: Option<&str>) {
    if let Some(via) = header_text(&request.headers, "via") {
        let hops: Vec<String> = via.split(',').map(|s| s.trim().to_string()).collect();
        d.insert("via".into(), json!(hops));
    }
    if let Some(ip) = ip {
        d.insert("ipAddress".into(), json!(ip));
        if let Some(g) = GEO.iter().find(|g| g.ip == ip) {
            d.insert("country".into(), json!(g.country));
            d.insert("region".into(), json!(g.region));
            d.insert("city".into(), json!(g.city));
            d.insert("isp".into(), json!(g.isp));
            d.insert("asn".into(), json!(g.asn));
            d.insert("latitude".into(), json!(g.latitude));
            d.insert("longitude".into(), json!(g.longitude));
            d.insert("ipAddressTimeZone".into(), json!(g.time_zone));
        }
        // The mock's notion of the customer's own network: loopback and private addresses.
        d.insert("whitelistedNetwork".into(), json!(private_ip(ip)));
    }
    // An address outside the geolocation table has no known ASN: left out, as Trusona's OpenAPI
    // types `asn` a string (not null) and neither source requires it.
}

/// The origin of the subject's link (`https://host[:port]`): the page the browser's report
/// comes from when it sent no `Origin` of its own.
fn link_origin(link_url: &str) -> String {
    match link_url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split('/').next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => link_url.split('/').next().unwrap_or(link_url).to_string(),
    }
}

/// The IANA zone of a JavaScript `getTimezoneOffset()` (minutes behind UTC) the browser did not
/// name: `UTC` for 0, `Etc/GMT+7` for 420 (the `Etc` zones' sign is POSIX's, as the offset's),
/// `UTC` for an offset that is not a whole number of hours (no `Etc` zone has one).
fn time_zone(offset_minutes: i32) -> String {
    match offset_minutes {
        0 => "UTC".into(),
        m if m % 60 == 0 => format!("Etc/GMT{:+}", m / 60),
        _ => "UTC".into(),
    }
}

/// The browser's local time as JavaScript's `Date.toString()` prints it, the form of the
/// vendor's example (`Tue May 05 2026 11:00:00 GMT-0700 (Pacific Daylight Time)`), from the
/// device's `epochMilliseconds` and `offsetMinutes`; the zone's long name only for UTC.
fn browser_date_time(epoch_millis: i64, offset_minutes: i32) -> String {
    // Minutes behind UTC (JavaScript's sign) as seconds east of it, within a day.
    let east = offset_minutes.clamp(-1439, 1439).saturating_mul(-60);
    let zone =
        chrono::FixedOffset::east_opt(east).unwrap_or_else(|| chrono::Offset::fix(&chrono::Utc));
    let utc = chrono::DateTime::from_timestamp_millis(epoch_millis).unwrap_or_default();
    let local = utc.with_timezone(&zone);
    let text = local.format("%a %b %d %Y %H:%M:%S GMT%z").to_string();
    if east == 0 {
        format!("{text} (Coordinated Universal Time)")
    } else {
        text
    }
}

/// A device's fingerprint: the first 8 bytes of SHA-256 over user agent, language and
/// platform, in hex (the same browser on the same machine gives the same fingerprint).
fn fingerprint(ua: &str, language: &str, platform: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("{ua}|{language}|{platform}"));
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// § Devices > getDevices: every device that opened the link, first first.
pub(super) fn list(
    account: &mut Account,
    request: &MockRequest,
) -> Result<MockResponse, MockError> {
    let v = account.verification(request)?;
    Ok(MockResponse::json(200, Value::Array(v.devices.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents() {
        let mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15";
        assert_eq!(browser(mac), Some("Safari"));
        assert_eq!(operating_system(mac), Some(("macOS", "MacIntel")));
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(browser(chrome), Some("Chrome"));
        assert!(automated("Mozilla/5.0 HeadlessChrome/120.0"));
        assert!(!automated(chrome));
    }

    /// What a browser did not report is answered with values Trusona's OpenAPI accepts
    /// (non-empty strings) and its other members imply (issue #26).
    #[test]
    fn unreported_browser_members_have_implied_values() {
        assert_eq!(time_zone(0), "UTC");
        assert_eq!(time_zone(420), "Etc/GMT+7");
        assert_eq!(time_zone(-60), "Etc/GMT-1");
        assert_eq!(time_zone(330), "UTC");
        // The vendor's example: 2026-05-05T18:00:00Z seen from GMT-0700.
        assert_eq!(
            browser_date_time(1_778_004_000_000, 420),
            "Tue May 05 2026 11:00:00 GMT-0700"
        );
        assert_eq!(
            browser_date_time(0, 0),
            "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)"
        );
        assert_eq!(
            link_origin("http://127.0.0.1:8080/trusona/subject/abc"),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            link_origin("https://verify.example.com"),
            "https://verify.example.com"
        );
    }
}
