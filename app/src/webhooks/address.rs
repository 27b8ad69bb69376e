//! Where a webhook may be sent: public HTTPS addresses only, so that an account can't make
//! Steward call into the network it runs in (its database, its cloud's metadata service).
//! `STEWARD_WEBHOOKS_ALLOW_PRIVATE` lifts the rule for tests and development machines.
use std::net::{IpAddr, Ipv4Addr};

use crate::core::domain::Invalid;

/// Is `ip` an address of the public internet? Loopback, private, link-local, shared (CGNAT),
/// multicast, documentation and unspecified addresses are not, nor IPv6 forms of them.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)
                // 64:ff9b::/96 NAT64 and ::/96 IPv4-compatible: an IPv4 address inside
                || v6.segments()[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
                || v6.segments()[..6] == [0, 0, 0, 0, 0, 0])
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10 shared address space (carrier-grade NAT)
        || (a == 100 && (64..128).contains(&b))
        // 192.0.0.0/24 protocol assignments, 198.18.0.0/15 benchmarking, 240.0.0.0/4 reserved
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

/// Host names that always name this machine or its local network.
fn is_local_name(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || host.ends_with(".home.arpa")
}

/// Checks an endpoint's address as typed: an absolute `https://` URL of a public host, without a
/// user name or password. With `allow_private`, `http://` and local hosts pass too. A host name
/// is checked again when it is resolved, at each delivery.
pub fn check_url(input: &str, allow_private: bool) -> Result<reqwest::Url, Invalid> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Invalid("Enter the endpoint's URL.".into()));
    }
    if input.len() > 500 {
        return Err(Invalid("The URL is too long (at most 500 characters).".into()));
    }
    let url = reqwest::Url::parse(input)
        .map_err(|_| Invalid("Enter a full URL, such as https://example.com/steward-events.".into()))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => return Err(Invalid("The URL must start with https://.".into())),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Invalid(
            "Leave the user name and password out of the URL: check the signature instead.".into(),
        ));
    }
    let private = match url.host() {
        None => return Err(Invalid("The URL has no host.".into())),
        Some(url::Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(url::Host::Domain(name)) => is_local_name(name) || !name.contains('.'),
    };
    if private && !allow_private {
        return Err(Invalid(
            "Steward only sends webhooks to public addresses, not to local or private ones.".into(),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn private_loopback_and_special_addresses_are_not_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(private)), "{private} is not public");
        }
        for public in [
            "1.1.1.1",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip(public)), "{public} is public");
        }
    }

    #[test]
    fn endpoints_are_public_https_urls_unless_private_ones_are_allowed() {
        assert!(check_url("https://hooks.example.com/steward", false).is_ok());
        for refused in [
            "",
            "hooks.example.com",
            "ftp://hooks.example.com/",
            "http://hooks.example.com/",
            "https://user:pass@hooks.example.com/",
            "https://localhost/hook",
            "https://127.0.0.1:8080/hook",
            "https://[::1]/hook",
            "https://10.0.0.5/hook",
            "https://metadata.google.internal/",
            "https://printer.local/",
            "https://intranet/",
        ] {
            assert!(check_url(refused, false).is_err(), "{refused:?} is refused");
        }
        assert!(check_url("http://127.0.0.1:8080/hook", true).is_ok());
        assert!(check_url("https://localhost/hook", true).is_ok());
        assert!(check_url("ftp://127.0.0.1/", true).is_err());
        assert!(check_url("https://user@127.0.0.1/", true).is_err());
    }
}
