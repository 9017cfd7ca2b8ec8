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

/// The bundle's files come precompressed (brotli, gzip, or plain to whoever takes neither) and,
/// named by their content hash, cached for a year.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bundle_files_are_served_precompressed_and_cached_for_a_year() {
    use std::io::Read;
    let app = crate::common::spawn_app(crate::common::Backend::Sqlite).await;
    let site =
        std::env::temp_dir().join(format!("klantstem-site-{}", &app.state.customer_key[..8]));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let script = "console.log('klantstem');\n".repeat(200);
    std::fs::write(pkg.join("klantstem.0123abcd.js"), &script).unwrap();
    std::fs::write(pkg.join("notes.txt"), "not a bundle file").unwrap();
    assert_eq!(server::http::assets::precompress(&pkg).unwrap(), 1);
    assert!(!pkg.join("notes.txt.br").exists());
    // Up to date: nothing to do the second time.
    assert_eq!(server::http::assets::precompress(&pkg).unwrap(), 0);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut options = server::leptos_options(&site.to_string_lossy(), addr);
    options.hash_files = true;
    tokio::spawn(server::http::serve(
        listener,
        server::http::router(app.state.clone(), options),
    ));
    let url = format!("http://{addr}/pkg/klantstem.0123abcd.js");
    let client = reqwest::Client::new();
    let get = |encoding: &'static str| client.get(&url).header("accept-encoding", encoding).send();

    let res = get("gzip, deflate, br").await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let body = res.bytes().await.unwrap();
    assert!(body.len() < script.len() / 10, "{} bytes", body.len());
    let mut plain = String::new();
    brotli::Decompressor::new(&body[..], 4096)
        .read_to_string(&mut plain)
        .unwrap();
    assert_eq!(plain, script);

    let res = get("gzip").await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let res = get("identity").await.unwrap();
    assert!(res.headers().get("content-encoding").is_none());
    assert_eq!(res.text().await.unwrap(), script);

    let missing = client
        .get(format!("http://{addr}/pkg/nothing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let _ = std::fs::remove_dir_all(&site);
}
