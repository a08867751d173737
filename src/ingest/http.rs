//! Fetching `http(s)://` inputs: a blocking `reqwest` client with rustls (ring provider),
//! connect and read timeouts, a size limit enforced while streaming the body (compressed or not),
//! a redirect limit with loop detection, gzip, a real User-Agent, and bounded retries with
//! exponential backoff on transient failures (connection errors, timeouts, HTTP 429/502/503/504;
//! `Retry-After` is honoured up to the backoff cap).
//!
//! Every failure is turned into a one-line reason (refused, DNS, timeout, HTTP status, too large,
//! redirect loop) that the caller reports with the URL.

use std::io::Read;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use reqwest::redirect;

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "eventmap/",
    env!("CARGO_PKG_VERSION"),
    " (news-to-map geoparser; offline gazetteer; one request per article)"
);

/// HTTP client settings.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Connect timeout, and the limit for each read of the response.
    pub timeout: Duration,
    /// Maximum redirects followed.
    pub max_redirects: usize,
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// First backoff delay (doubled per attempt, capped at [`HttpOptions::max_backoff`]).
    pub backoff: Duration,
    /// Upper bound for one backoff delay.
    pub max_backoff: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            timeout: Duration::from_secs(30),
            max_redirects: 10,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
        }
    }
}

/// A fetched response body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The final URL after redirects.
    pub url: String,
    /// The `Content-Type` header, when sent.
    pub content_type: Option<String>,
    /// The (decompressed) body.
    pub body: Vec<u8>,
}

impl Fetched {
    /// The `charset` parameter of the content type.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.content_type.as_deref()?;
        ct.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("charset")
                .then_some(v.trim().trim_matches('"'))
        })
    }

    /// The media type without parameters, lowercased.
    pub fn media_type(&self) -> Option<String> {
        let ct = self.content_type.as_deref()?;
        Some(ct.split(';').next()?.trim().to_ascii_lowercase())
    }
}

/// A reusable HTTP client.
pub struct Fetcher {
    client: Client,
    opts: HttpOptions,
}

enum Attempt {
    Done(Result<Fetched, String>),
    Retry(String, Option<Duration>),
}

impl Fetcher {
    /// Build the client.
    pub fn new(opts: &HttpOptions) -> Result<Fetcher, String> {
        // reqwest is built without a default crypto provider; use ring's.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let max = opts.max_redirects;
        let policy = redirect::Policy::custom(move |attempt| {
            if attempt.previous().iter().any(|u| u == attempt.url()) {
                let url = attempt.url().to_string();
                attempt.error(format!("redirect loop (back to {url})"))
            } else if attempt.previous().len() > max {
                attempt.error(format!("more than {max} redirects"))
            } else {
                attempt.follow()
            }
        });
        let client = Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(opts.timeout)
            .timeout(opts.timeout)
            .redirect(policy)
            .gzip(true)
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))?;
        Ok(Fetcher {
            client,
            opts: opts.clone(),
        })
    }

    /// Fetch `url`, reading at most `max_bytes` of body.
    pub fn fetch(&self, url: &str, max_bytes: u64) -> Result<Fetched, String> {
        let mut attempt = 0;
        loop {
            match self.attempt(url, max_bytes) {
                Attempt::Done(r) => return r,
                Attempt::Retry(reason, after) => {
                    if attempt >= self.opts.retries {
                        let tries = if attempt == 0 {
                            String::new()
                        } else {
                            format!(" (after {} attempts)", attempt + 1)
                        };
                        return Err(format!("{reason}{tries}"));
                    }
                    let backoff = self.opts.backoff.saturating_mul(1 << attempt.min(16));
                    let delay = after.unwrap_or(backoff).min(self.opts.max_backoff);
                    std::thread::sleep(delay);
                    attempt += 1;
                }
            }
        }
    }

    fn attempt(&self, url: &str, max_bytes: u64) -> Attempt {
        let resp = match self.client.get(url).send() {
            Ok(r) => r,
            Err(e) => return classify(&e, self.opts.timeout),
        };
        let status = resp.status();
        if !status.is_success() {
            let reason = format!(
                "HTTP {} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            )
            .trim_end()
            .to_string();
            if matches!(status.as_u16(), 429 | 502 | 503 | 504) {
                let after = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                return Attempt::Retry(reason, after);
            }
            return Attempt::Done(Err(reason));
        }
        if let Some(len) = resp.content_length()
            && len > max_bytes
        {
            return Attempt::Done(Err(format!(
                "response of {len} bytes is larger than the limit of {max_bytes} bytes (--max-doc-bytes)"
            )));
        }
        let final_url = resp.url().to_string();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut body = Vec::new();
        let deadline = Instant::now() + self.opts.timeout.saturating_mul(10);
        let mut chunk = vec![0u8; 64 * 1024];
        let mut resp = resp;
        loop {
            match resp.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    if body.len() as u64 + n as u64 > max_bytes {
                        return Attempt::Done(Err(format!(
                            "response body larger than the limit of {max_bytes} bytes (--max-doc-bytes); aborted"
                        )));
                    }
                    body.extend_from_slice(&chunk[..n]);
                    if Instant::now() > deadline {
                        return Attempt::Done(Err(format!(
                            "download took longer than {:?}; aborted",
                            self.opts.timeout.saturating_mul(10)
                        )));
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    let msg = chain(&e);
                    if msg.contains("timed out") || e.kind() == std::io::ErrorKind::TimedOut {
                        return Attempt::Retry(
                            format!("timed out reading the body after {:?}", self.opts.timeout),
                            None,
                        );
                    }
                    return Attempt::Done(Err(format!("error reading the body: {msg}")));
                }
            }
        }
        Attempt::Done(Ok(Fetched {
            url: final_url,
            content_type,
            body,
        }))
    }
}

fn classify(e: &reqwest::Error, timeout: Duration) -> Attempt {
    let msg = chain(e);
    if e.is_redirect() {
        return Attempt::Done(Err(msg));
    }
    if e.is_timeout() {
        return Attempt::Retry(format!("timed out after {timeout:?}"), None);
    }
    if e.is_builder() {
        return Attempt::Done(Err(format!("invalid URL: {msg}")));
    }
    let lower = msg.to_ascii_lowercase();
    if lower.contains("dns error")
        || lower.contains("failed to lookup")
        || lower.contains("name or service not known")
    {
        return Attempt::Done(Err(format!("DNS lookup failed: {msg}")));
    }
    if lower.contains("connection refused") {
        return Attempt::Retry("connection refused".to_string(), None);
    }
    if e.is_connect() {
        return Attempt::Retry(format!("cannot connect: {msg}"), None);
    }
    if e.is_request() || e.is_body() || e.is_decode() {
        return Attempt::Retry(msg, None);
    }
    Attempt::Done(Err(msg))
}

/// An error and its sources, deduplicated, joined by ": ".
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = cur {
        let s = err.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = err.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parts() {
        let f = Fetched {
            url: "u".into(),
            content_type: Some("Text/HTML; Charset=\"ISO-8859-1\"".into()),
            body: vec![],
        };
        assert_eq!(f.charset(), Some("ISO-8859-1"));
        assert_eq!(f.media_type().as_deref(), Some("text/html"));
    }
}
