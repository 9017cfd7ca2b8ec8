//! The public survey pages load no WebAssembly: a customer answering on a phone downloads the
//! server-rendered page, the stylesheet and a small script, not the staff application.

use crate::common::each_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_pages_load_the_small_script_and_staff_pages_the_application() {
    each_app(|app| async move {
        for path in [
            "/s/klantenservice",
            "/s/klantenservice/9",
            "/s/klantenservice/thanks",
            "/s/klantenservice?embed=1",
        ] {
            let (status, html) = app.get_html(&app.client, path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains("<script src=\"/survey.js\" defer"), "{path}");
            assert!(
                !html.contains(".wasm") && !html.contains("/pkg/klantstem.js"),
                "{path} loads the application bundle"
            );
        }
        // The texts the script needs are on the page: the follow-up per score group.
        let (_, html) = app.get_html(&app.client, "/s/klantenservice/3").await;
        assert!(html.contains("data-preset-score=\"3\""));
        assert!(html.contains("data-testid=\"score-recorded\" hidden"));
        assert!(html.contains("data-detractor=\""));

        let (_, html) = app.get_html(&app.client, "/login").await;
        assert!(html.contains("/pkg/klantstem.js") && html.contains(".wasm"));
        assert!(!html.contains("/survey.js"));

        let res = app.client.get(app.url("/survey.js")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"],
            "text/javascript; charset=utf-8"
        );
        let script = res.text().await.unwrap();
        assert!(script.contains("data-hydrated") && script.len() < 8 * 1024);
    })
    .await;
}
