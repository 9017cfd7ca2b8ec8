//! What every response carries, on every backend: health check, the cross-site guard, security
//! headers.

use crate::common::{answer, each_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_check_answers() {
    each_app(|app| async move {
        let res = app.client.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.text().await.unwrap(), "ok");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    each_app(|app| async move {
        let res = app
            .client
            .post(app.url("/api/survey/submit"))
            .header("sec-fetch-site", "cross-site")
            .form(&answer(&[]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let res = app
            .client
            .post(app.url("/api/survey/submit"))
            .header("origin", "https://evil.example")
            .form(&answer(&[]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(app.response_count().await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_carry_security_headers() {
    each_app(|app| async move {
        let res = app
            .client
            .get(app.url("/s/klantenservice"))
            .send()
            .await
            .unwrap();
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "same-origin");
    })
    .await;
}
