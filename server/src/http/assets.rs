//! Scripts served by the server itself: the public survey pages' progressive enhancement and the
//! embed loader for other sites.

use axum::http::header;
use axum::response::{IntoResponse, Response};

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
