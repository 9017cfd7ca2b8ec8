//! Static files: the application bundle (`/pkg`, precompressed, cached for a year when its names
//! carry their content hash), and the scripts the server itself serves: the public survey pages'
//! progressive enhancement and the embed loader for other sites.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::LeptosOptions;
use std::io::Write;
use std::path::Path;
use tower_http::services::ServeDir;

/// `/pkg`: the bundle's files, as `.br` or `.gz` when the browser takes them and they exist.
/// Hashed names never change content, so browsers keep them for a year without asking again.
pub fn bundle<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> Router<S> {
    let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let cache = HeaderValue::from_static(if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    });
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::map_response(move |mut res: Response| {
            let cache = cache.clone();
            async move {
                if res.status().is_success() {
                    res.headers_mut().insert(header::CACHE_CONTROL, cache);
                }
                res
            }
        }))
}

/// Writes `.br` (best compression) and `.gz` beside every script, WebAssembly and stylesheet
/// file in `dir` that lacks an up-to-date one; answers how many files it compressed. Run once at
/// start, off the request path: a new build is compressed once, not per request.
pub fn precompress(dir: &Path) -> std::io::Result<usize> {
    let mut done = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "js" | "wasm" | "css"));
        if !wanted {
            continue;
        }
        let modified = std::fs::metadata(&path)?.modified()?;
        let fresh = |ext: &str| {
            let mut name = path.clone().into_os_string();
            name.push(ext);
            let target = std::path::PathBuf::from(name);
            let ok = std::fs::metadata(&target)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t >= modified);
            (ok, target)
        };
        let content = std::fs::read(&path)?;
        if let (false, target) = fresh(".br") {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: 11,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut content.as_slice(), &mut out, &params)?;
            std::fs::write(target, out)?;
            done += 1;
        }
        if let (false, target) = fresh(".gz") {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            gz.write_all(&content)?;
            std::fs::write(target, gz.finish()?)?;
        }
    }
    Ok(done)
}

/// The progressive enhancement of the public survey pages, which load no WebAssembly (see
/// `survey.js`).
pub async fn survey_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("survey.js"),
    )
        .into_response()
}

/// The progressive enhancement of the idea pages, which load no WebAssembly (see `ideas.js`).
pub async fn ideas_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("ideas.js"),
    )
        .into_response()
}

/// The script loader for websites: `<script src="…/embed.js" data-survey="slug" async>` puts
/// the survey in an iframe where the script stands. Optional `data-channel`, `data-phase`,
/// `data-lang`. The survey only shows on sites its managers allowed (CSP frame-ancestors).
pub async fn embed_script() -> Response {
    const SCRIPT: &str = r#"(function () {
  var s = document.currentScript;
  if (!s) return;
  var base = new URL(s.src).origin;
  var q = ["embed=1", "ch=" + encodeURIComponent(s.getAttribute("data-channel") || "web")];
  var phase = s.getAttribute("data-phase");
  if (phase) q.push("tp=" + encodeURIComponent(phase));
  var lang = s.getAttribute("data-lang") || document.documentElement.lang;
  if (lang) q.push("lang=" + encodeURIComponent(lang.slice(0, 2)));
  var f = document.createElement("iframe");
  f.src = base + "/s/" + encodeURIComponent(s.getAttribute("data-survey") || "") + "?" + q.join("&");
  f.title = s.getAttribute("data-title") || "Feedback";
  f.loading = "lazy";
  f.style.cssText = "width:100%;max-width:40rem;min-height:44rem;border:0";
  s.parentNode.insertBefore(f, s);
})();
"#;
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
        .into_response()
}
