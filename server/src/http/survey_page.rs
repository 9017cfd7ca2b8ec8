//! The public survey page, rendered once and served many times.
//!
//! Every respondent of a survey gets the same page except for two values: the submission token
//! (one per rendered form, so a double submit stores one answer) and the nonce of the page's
//! script policy. Rendering the page through the whole Leptos application cost about 0.3 ms of
//! CPU per view, a quarter of `/healthz`'s throughput. So the first rendering for a survey,
//! language and query is kept for a moment, and every later view gets a copy with a fresh token
//! and a fresh nonce. It is forgotten when this process changes a survey (the store's survey
//! generation moves) and after [`FRESH`], the same moment after which another process's change
//! to a survey shows (the store's survey cache).
//!
//! Only anonymous `GET /s/{slug}` views are served from it: a signed-in manager sees the live
//! page (a preview of a draft, for example), and a rendering that sets a cookie, fails or has no
//! token is never kept.

use app::backend::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a rendering is served (see the module's comment).
const FRESH: Duration = Duration::from_secs(2);

/// At most this many renderings are kept (surveys × languages × query strings); past it, stale
/// ones are dropped and, when all are fresh, nothing new is kept until they age.
const MOST: usize = 512;

/// Longest query string that is kept: channel, phase and an error code fit easily; a reason
/// echoed back after a failed post without JavaScript is rendered live.
const QUERY_MAX: usize = 256;

/// Largest page kept.
const PAGE_MAX: usize = 256 * 1024;

const TOKEN_FIELD: &str = "name=\"token\" value=\"";
const NONCE_SOURCE: &str = "'nonce-";

#[derive(Default)]
pub struct SurveyPages {
    kept: Mutex<HashMap<Key, Kept>>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path: String,
    query: String,
    locale: &'static str,
}

#[derive(Clone)]
struct Kept {
    at: Instant,
    generation: u64,
    headers: HeaderMap,
    page: Bytes,
    token: String,
    nonce: String,
}

/// The survey page from [`SurveyPages`] when it has it, else rendered (and kept when it may be).
pub async fn survey_pages(
    State((pages, app)): State<(Arc<SurveyPages>, AppState)>,
    req: Request,
    next: Next,
) -> Response {
    let Some(key) = cacheable(&req) else {
        return next.run(req).await;
    };
    let generation = app.store.surveys_generation();
    if let Some(kept) = pages.fresh(&key, generation) {
        return kept.serve();
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::OK || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let page = match axum::body::to_bytes(body, PAGE_MAX).await {
        Ok(page) => page,
        // Too large to keep, or the body failed half-way: nothing to keep or serve. (A page of
        // that size does not exist; an error here means the rendering broke.)
        Err(e) => {
            tracing::warn!(error = %e, "survey page not kept");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let kept = Kept::of(&parts.headers, &page, generation);
    let res = Response::from_parts(parts, Body::from(page));
    if let Some(kept) = kept {
        pages.keep(key, kept);
    }
    res
}

/// The key of a request the kept pages may answer: an anonymous GET of `/s/{slug}`.
fn cacheable(req: &Request) -> Option<Key> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    let slug = path.strip_prefix("/s/")?;
    if !app::survey::is_valid_slug(slug) {
        return None;
    }
    let signed_in = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .any(|c| c.contains(app::backend::SESSION_COOKIE));
    let query = req.uri().query().unwrap_or_default();
    if signed_in || query.len() > QUERY_MAX {
        return None;
    }
    let (mut parts, ()) = Request::new(()).into_parts();
    parts.uri = req.uri().clone();
    parts.headers = req.headers().clone();
    Some(Key {
        path: path.to_string(),
        query: query.to_string(),
        locale: app::backend::request_locale(&parts).as_str(),
    })
}

impl SurveyPages {
    fn fresh(&self, key: &Key, generation: u64) -> Option<Kept> {
        let kept = self.kept.lock().ok()?;
        kept.get(key)
            .filter(|k| k.generation == generation && k.at.elapsed() < FRESH)
            .cloned()
    }

    fn keep(&self, key: Key, page: Kept) {
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        if kept.len() >= MOST {
            kept.retain(|_, k| k.at.elapsed() < FRESH);
        }
        if kept.len() < MOST {
            kept.insert(key, page);
        }
    }
}

impl Kept {
    /// A rendering worth keeping: a form token in the page and a nonce in its policy.
    fn of(headers: &HeaderMap, page: &Bytes, generation: u64) -> Option<Kept> {
        let text = std::str::from_utf8(page).ok()?;
        let token = between(text, TOKEN_FIELD, '"')?;
        let policy = headers
            .get(header::CONTENT_SECURITY_POLICY)?
            .to_str()
            .ok()?;
        let nonce = between(policy, NONCE_SOURCE, '\'')?;
        // Long random values: found elsewhere in the page only where the rendering put them
        // (the form's token is also in the page's serialized data).
        if token.len() < 16 || nonce.len() < 8 {
            return None;
        }
        Some(Kept {
            at: Instant::now(),
            generation,
            headers: headers.clone(),
            page: page.clone(),
            token: token.to_string(),
            nonce: nonce.to_string(),
        })
    }

    /// A copy of the page with its own token and nonce.
    fn serve(self) -> Response {
        let token = klantstem_core::secrets::random_token();
        let nonce = klantstem_core::secrets::random_token();
        let nonce = &nonce[..32];
        // Valid UTF-8: checked when kept.
        let text = String::from_utf8_lossy(&self.page);
        let page = text
            .replace(&self.token, &token)
            .replace(&self.nonce, nonce);
        let mut headers = self.headers;
        if let Some(policy) = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|p| p.to_str().ok())
            .map(|p| p.replace(&self.nonce, nonce))
            .and_then(|p| HeaderValue::from_str(&p).ok())
        {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        headers.remove(header::CONTENT_LENGTH);
        let mut res = Response::new(Body::from(page));
        *res.headers_mut() = headers;
        res
    }
}

/// The text after `start` up to `end`.
fn between<'a>(text: &'a str, start: &str, end: char) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_page_is_served_with_its_own_token_and_nonce() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'self' 'nonce-abcdefghijkl'"),
        );
        let page = Bytes::from_static(
            b"<script nonce=\"abcdefghijkl\"></script><input type=\"hidden\" name=\"token\" value=\"0123456789abcdef0123\"/>",
        );
        let kept = Kept::of(&headers, &page, 7).expect("kept");
        let (first, second) = (kept.clone().serve(), kept.serve());
        let policy = |r: &Response| {
            r.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_ne!(policy(&first), policy(&second));
        assert!(!policy(&first).contains("abcdefghijkl"));
        let nonce = between(&policy(&first), NONCE_SOURCE, '\'')
            .unwrap()
            .to_string();
        let body = |r: Response| {
            let rt = tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            let bytes = rt
                .block_on(axum::body::to_bytes(r.into_body(), PAGE_MAX))
                .unwrap();
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        let (a, b) = (body(first), body(second));
        assert!(a.contains(&format!("nonce=\"{nonce}\"")), "{a}");
        assert!(!a.contains("0123456789abcdef0123") && !b.contains("0123456789abcdef0123"));
        assert_ne!(between(&a, TOKEN_FIELD, '"'), between(&b, TOKEN_FIELD, '"'));
    }

    #[test]
    fn a_page_without_a_token_or_nonce_is_not_kept() {
        let headers = HeaderMap::new();
        let page = Bytes::from_static(b"<input name=\"token\" value=\"0123456789abcdef0123\"/>");
        assert!(Kept::of(&headers, &page, 1).is_none());
    }
}
