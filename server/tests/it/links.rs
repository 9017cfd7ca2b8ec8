//! The link builder over real HTTP, on every backend.

use crate::common::{each_app, new_client};
use app::model::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_link_builder_makes_links_score_links_and_a_qr_code() {
    each_app(|app| async move {
        app.add_user("manager@example.nl", Role::Manager).await;
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;
        let (status, html) = app
            .get_html(
                &manager,
                "/admin/links?survey=winkel&ch=store&tp=purchase&lang=nl",
            )
            .await;
        assert_eq!(status, 200);
        let host = app.base.trim_start_matches("http://");
        let link = format!("http://{host}/s/winkel?ch=store&amp;tp=purchase&amp;lang=nl");
        assert!(html.contains(&link), "{html}");
        assert!(
            html.contains("<svg") && html.contains("h1v1h-1z"),
            "a QR code"
        );
        // The e-mail snippet holds eleven score links.
        let snippet = html.split("data-testid=\"email-snippet\"").nth(1).unwrap();
        let snippet = snippet.split("</textarea>").next().unwrap();
        assert_eq!(snippet.matches("/s/winkel/").count(), 11);
        assert!(html.contains("/s/winkel/10?ch=store"));
        let res = new_client()
            .get(app.url("/admin/links"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302, "visitors are sent to log in");
        assert_eq!(res.headers()["location"], "/login?next=/admin/links");
        let res = app.post_fn(&new_client(), "/api/links/build", &[]).await;
        assert_eq!(res.status(), 401);
    })
    .await;
}
