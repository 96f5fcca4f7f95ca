//! Devices (§ Devices > getDevices; § Models > VerificationDevice): one record per browser that
//! opened the subject's link, taken from its requests.
//!
//! From the HTTP request: `userAgent` (and `browser`, `operatingSystem`, `platform` read from
//! it), `ipAddress` (the first `X-Forwarded-For` address, else the peer), `via` (the `Via`
//! header), `language` (`Accept-Language`), `origin` (`Origin`). What only a browser's script
//! could report (`offsetMinutes`, `epochMilliseconds`, `browserTimeZone`, screen and window
//! sizes, GPS, `platform`) may be sent as query parameters of the link; the required
//! `offsetMinutes` and `epochMilliseconds` default to 0 and the mock clock. IP geolocation comes
//! from a small seeded table of documentation addresses.

use super::super::api::{
    MockError, MockRequest, MockResponse, UnroutedRequest, header_text, set_member,
};
use super::Account;
use super::entities::Verification;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

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
    let platform = q("platform").or(os.map(|(_, p)| p.to_string()));
    if let Some(p) = &platform {
        d.insert("platform".into(), json!(p));
    }
    let language = q("language").or_else(|| {
        header_text(&request.headers, "accept-language")
            .and_then(|l| l.split([',', ';']).next().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
    });
    if let Some(l) = &language {
        d.insert("language".into(), json!(l));
    }
    // Unknown `origin`, GPS position and `asn` are sent as null, as in the vendor's published
    // description (its getDevices example; contracts/NOTES.md § Vendor evidence > Trusona).
    let origin = q("origin").or_else(|| header_text(&request.headers, "origin"));
    d.insert("origin".into(), json!(origin));
    for name in [
        "browserTimeZone",
        "browserDateTime",
        "browserTimeZoneWithOffset",
    ] {
        if let Some(v) = q(name) {
            d.insert(name.into(), json!(v));
        }
    }
    let offset: i32 = query_number(request, "offsetMinutes")?.unwrap_or(0);
    d.insert("offsetMinutes".into(), json!(offset));
    let epoch: i64 = query_number(request, "epochMilliseconds")?.unwrap_or(now.epoch_millis());
    d.insert("epochMilliseconds".into(), json!(epoch));
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
    for name in ["gpsLatitude", "gpsLongitude"] {
        d.insert(name.into(), json!(query_number::<f64>(request, name)?));
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
    // An address outside the geolocation table has no known ASN.
    d.entry("asn").or_insert(Value::Null);
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
}
