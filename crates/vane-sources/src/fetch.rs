//! Fetching over HTTP with the limits every source obeys: a total timeout,
//! a size limit, a redirect limit, and no private, loopback or link-local
//! addresses unless the configuration allows them (a feed URL must not
//! become a way into the intranet). Addresses are checked where they are
//! resolved, on every hop of a redirect, so DNS tricks do not get around it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The limits of every fetch.
#[derive(Debug, Clone)]
pub struct FetchPolicy {
    /// The whole request, redirects and body included.
    pub timeout: Duration,
    pub max_bytes: usize,
    pub max_redirects: usize,
    /// Allow private, loopback and link-local addresses (tests, intranets).
    pub allow_private: bool,
    pub user_agent: String,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            max_bytes: 8 << 20,
            max_redirects: 5,
            allow_private: false,
            user_agent: format!(
                "Vane/{} (+public-opinion monitoring)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// Why a fetch failed, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("invalid url `{0}`")]
    InvalidUrl(String),
    #[error("refused to fetch {url}: {address} is a private, loopback or link-local address")]
    PrivateAddress { url: String, address: String },
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("response larger than the limit of {0} bytes")]
    TooLarge(usize),
    #[error("HTTP {status} from {url}")]
    Status { status: u16, url: String },
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("failed to fetch {url}: {reason}")]
    Network { url: String, reason: String },
}

/// A response read within the limits.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    pub url: String,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body: Vec<u8>,
}

impl Fetched {
    pub fn not_modified(&self) -> bool {
        self.status == 304
    }
}

/// Whether an address is one a public fetch must not reach.
pub fn is_private(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                // 100.64.0.0/10, carrier-grade NAT
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xC0) == 64)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xFE00) == 0xFC00 // unique local
                || (first & 0xFFC0) == 0xFE80 // link local
        }
    }
}

/// Resolves names and drops the addresses the policy forbids.
#[derive(Debug)]
struct GuardedResolver {
    allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|address| allow_private || !is_private(address.ip()))
                .collect();
            if addresses.is_empty() {
                return Err(format!("{host} resolves only to private addresses").into());
            }
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

/// An HTTP client bound to a policy.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    policy: FetchPolicy,
}

impl Fetcher {
    pub fn new(policy: FetchPolicy) -> Fetcher {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(Duration::from_secs(10)))
            .user_agent(policy.user_agent.clone())
            .dns_resolver(Arc::new(GuardedResolver {
                allow_private: policy.allow_private,
            }))
            .build()
            .expect("the HTTP client configuration is valid");
        Fetcher { client, policy }
    }

    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// GETs `url` with extra headers, following redirects within the policy.
    pub async fn get(&self, url: &str, headers: &HeaderMap) -> Result<Fetched, FetchError> {
        let mut current = url.to_string();
        for _ in 0..=self.policy.max_redirects {
            let parsed = reqwest::Url::parse(&current)
                .map_err(|_| FetchError::InvalidUrl(current.clone()))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                return Err(FetchError::InvalidUrl(current));
            }
            self.check_literal_address(&parsed)?;
            let response = self
                .client
                .get(parsed.clone())
                .headers(headers.clone())
                .send()
                .await
                .map_err(|error| self.network_error(&current, &error))?;
            let status = response.status();
            if status.is_redirection() && status != reqwest::StatusCode::NOT_MODIFIED {
                let location = response
                    .headers()
                    .get(header::LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .ok_or_else(|| FetchError::Network {
                        url: current.clone(),
                        reason: format!("HTTP {} without a Location", status.as_u16()),
                    })?;
                current = parsed
                    .join(location)
                    .map_err(|_| FetchError::InvalidUrl(location.to_string()))?
                    .to_string();
                continue;
            }
            if !(status.is_success() || status == reqwest::StatusCode::NOT_MODIFIED) {
                return Err(FetchError::Status {
                    status: status.as_u16(),
                    url: current,
                });
            }
            return self.read(current, response).await;
        }
        Err(FetchError::TooManyRedirects(self.policy.max_redirects))
    }

    fn check_literal_address(&self, url: &reqwest::Url) -> Result<(), FetchError> {
        if self.policy.allow_private {
            return Ok(());
        }
        let address = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => {
                let host = url.host_str().unwrap_or_default();
                if host == "localhost" || host.ends_with(".localhost") {
                    return Err(FetchError::PrivateAddress {
                        url: url.to_string(),
                        address: host.to_string(),
                    });
                }
                return Ok(());
            }
        };
        if is_private(address) {
            return Err(FetchError::PrivateAddress {
                url: url.to_string(),
                address: address.to_string(),
            });
        }
        Ok(())
    }

    fn network_error(&self, url: &str, error: &reqwest::Error) -> FetchError {
        if error.is_timeout() {
            return FetchError::Timeout(self.policy.timeout.as_secs());
        }
        let mut reason = error.to_string();
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            reason = format!("{reason}: {inner}");
            source = inner.source();
        }
        if reason.contains("resolves only to private addresses") {
            return FetchError::PrivateAddress {
                url: url.to_string(),
                address: "every resolved address".to_string(),
            };
        }
        FetchError::Network {
            url: url.to_string(),
            reason,
        }
    }

    async fn read(
        &self,
        url: String,
        mut response: reqwest::Response,
    ) -> Result<Fetched, FetchError> {
        let limit = self.policy.max_bytes;
        if response
            .content_length()
            .is_some_and(|length| length as usize > limit)
        {
            return Err(FetchError::TooLarge(limit));
        }
        let header_text = |name: HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header_text(header::CONTENT_TYPE);
        let etag = header_text(header::ETAG);
        let last_modified = header_text(header::LAST_MODIFIED);
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| self.network_error(&url, &error))?
        {
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge(limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            status,
            url,
            content_type,
            etag,
            last_modified,
            body,
        })
    }
}

/// Request headers from a source's configuration; a header that is not
/// valid HTTP is reported by name.
pub fn headers(pairs: &std::collections::BTreeMap<String, String>) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("invalid header name `{name}`"))?;
        let header_value = HeaderValue::from_str(value)
            .map_err(|_| format!("invalid value of header `{name}`"))?;
        map.insert(header_name, header_value);
    }
    Ok(map)
}
