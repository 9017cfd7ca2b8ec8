//! Core's `WebhookSender` over HTTP (reqwest, rustls). Every hop is checked before it is made:
//! the host is resolved here, refused when any address is internal (loopback, private, shared,
//! multicast) unless the webhook allows private targets, and always when it is link-local (the
//! cloud metadata service); the connection is pinned to the checked address so a second DNS
//! answer cannot redirect it. Redirects are followed by hand (at most three), each checked the same way.
//! Ten seconds per call, five to connect; the response body is never read.

use app::webhook::{is_always_forbidden, is_forbidden, parse_target};
use klantstem_core::webhooks::WebhookSender;
use std::net::SocketAddr;
use std::time::Duration;

pub struct HttpWebhookSender;

const MAX_REDIRECTS: usize = 3;

/// The address to connect to for `url`, or why not.
async fn checked_address(url: &str, allow_private: bool) -> Result<(String, SocketAddr), String> {
    let target = parse_target(url).ok_or_else(|| format!("not an http(s) URL: {url}"))?;
    let addresses: Vec<SocketAddr> = match target.host.parse::<std::net::IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, target.port)],
        Err(_) => tokio::time::timeout(
            Duration::from_secs(5),
            tokio::net::lookup_host((target.host.as_str(), target.port)),
        )
        .await
        .map_err(|_| format!("{}: name lookup timed out", target.host))?
        .map_err(|e| format!("{}: {e}", target.host))?
        .collect(),
    };
    let first = *addresses
        .first()
        .ok_or_else(|| format!("{}: no address", target.host))?;
    if let Some(bad) = addresses.iter().find(|a| is_always_forbidden(a.ip())) {
        return Err(format!(
            "refused: {} resolves to a link-local (metadata) address ({}), never a webhook target",
            target.host,
            bad.ip()
        ));
    }
    if !allow_private && addresses.iter().any(|a| is_forbidden(a.ip())) {
        return Err(format!(
            "refused: {} resolves to an internal address ({}); an admin can allow private targets",
            target.host,
            first.ip()
        ));
    }
    Ok((target.host, first))
}

#[async_trait::async_trait]
impl WebhookSender for HttpWebhookSender {
    async fn post(
        &self,
        url: &str,
        allow_private: bool,
        headers: &[(&'static str, String)],
        body: &str,
    ) -> Result<u16, String> {
        let mut url = url.to_string();
        for _ in 0..=MAX_REDIRECTS {
            let (host, address) = checked_address(&url, allow_private).await?;
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .connect_timeout(Duration::from_secs(5))
                .resolve(&host, address)
                .user_agent("Klantstem-Webhooks/1")
                .build()
                .map_err(|e| e.to_string())?;
            let mut request = client
                .post(&url)
                .header("content-type", "application/json")
                .body(body.to_string());
            for (name, value) in headers {
                request = request.header(*name, value);
            }
            let response = request.send().await.map_err(|e| {
                if e.is_timeout() {
                    "timed out".to_string()
                } else {
                    format!("could not connect: {e}")
                }
            })?;
            let status = response.status();
            if !status.is_redirection() {
                return Ok(status.as_u16());
            }
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| format!("HTTP {} without a location", status.as_u16()))?;
            url = response
                .url()
                .join(location)
                .map_err(|e| format!("bad redirect: {e}"))?
                .to_string();
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }
}
