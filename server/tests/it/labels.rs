//! People's labels over HTTP, on every backend: labels sent with feedback (API, CSV) become
//! corrections that outlast retagging; the review queue serves unsure texts and takes a label.

use crate::common::{each_app, new_client};
use app::model::Role;
use klantstem_core::store::Retagged;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn labels_sent_with_feedback_and_given_in_the_review_queue_outlast_retagging() {
    each_app(|app| async move {
        app.add_user("admin@example.nl", Role::Admin).await;
        let admin = new_client();
        app.login(&admin, "admin@example.nl").await;
        let res = app
            .post_fn(
                &admin,
                "/api/api-tokens/create",
                &[("name", "Labels"), ("scope", "responses:write")],
            )
            .await;
        let (_, token): (i64, String) = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        let post = |body: Value| {
            let app = &app;
            let token = token.clone();
            async move {
                let res = app
                    .client
                    .post(app.url("/api/v1/responses"))
                    .bearer_auth(token)
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                let body: Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
                (status, body)
            }
        };

        // A text the lexicon reads as negative, labelled positive, about price only.
        let (status, body) = post(json!({
            "survey": "klantenservice", "score": 8, "language": "nl",
            "comment": "Niet goedkoop en ik moest even wachten, maar de prijs is het waard.",
            "sentiment": "positief", "themes": "price_billing",
        }))
        .await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_i64().unwrap();
        let v = app.state.store.response(id).await.unwrap().unwrap();
        assert_eq!(v.sentiment.as_deref(), Some("positive"));
        let keys: Vec<&str> = v.themes.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["price_billing"]);
        // The lexicon's view again (a retag) changes neither.
        app.state
            .store
            .store_tags(&[Retagged {
                response_id: id,
                taxonomy_version: 99,
                sentiment: Some("negative".into()),
                sentiment_score: Some(-0.4),
                themes: vec![],
            }])
            .await
            .unwrap();
        let v = app.state.store.response(id).await.unwrap().unwrap();
        assert_eq!(v.sentiment.as_deref(), Some("positive"));
        assert_eq!(v.themes.len(), 1);

        // Labels that are not labels are refused, worded.
        let (status, body) = post(json!({
            "survey": "klantenservice", "comment": "Prima", "sentiment": "boos", "themes": "parkeren",
        }))
        .await;
        assert_eq!(status, 422);
        let codes: Vec<&str> = body["records"][0]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["sentiment_unknown", "themes_unknown"]);

        // Texts to label: the review queue, for managers and admins only.
        for (status_text, comment) in [(201, "Het was wel oké denk ik."), (201, "Geen idee eigenlijk.")] {
            let (status, _) = post(json!({ "survey": "klantenservice", "comment": comment })).await;
            assert_eq!(status, status_text);
        }
        let (status, html) = app.get_html(&admin, "/review").await;
        assert_eq!(status, 200);
        assert!(html.contains("Teksten labelen") && html.contains("Geen idee eigenlijk."));
        assert!(html.contains("1 teksten gelabeld."), "the API label counts");
        assert!(!html.contains("de prijs is het waard"), "labelled texts are not asked again");
        let unsure = app
            .state
            .store
            .review_candidates(10)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.text.contains("Geen idee"))
            .unwrap()
            .response_id;
        let res = app
            .post_html_form(
                &admin,
                "/api/labels/sentiment",
                &[
                    ("id", unsure.to_string().as_str()),
                    ("sentiment", "neutral"),
                    ("next", "/review"),
                ],
            )
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/review");
        let (_, html) = app.get_html(&admin, "/review").await;
        assert!(!html.contains("Geen idee eigenlijk."));
        assert!(html.contains("2 teksten gelabeld."));
        let (_, html) = app.get_html(&admin, &format!("/responses/{unsure}")).await;
        assert!(html.contains("Gelabeld: neutraal"), "{html}");

        let res = app
            .post_html_form(
                &admin,
                "/api/labels/sentiment",
                &[("id", unsure.to_string().as_str()), ("sentiment", "boos")],
            )
            .await;
        assert_eq!(res.status(), 400);
        for role in [Role::Department, Role::Customer] {
            let email = format!("{role:?}@example.nl").to_lowercase();
            app.add_user(&email, role).await;
            let other = new_client();
            app.login(&other, &email).await;
            let (status, _) = app.get_html(&other, "/review").await;
            assert_eq!(status, 403, "{role:?}");
            let res = app
                .post_html_form(
                    &other,
                    "/api/labels/sentiment",
                    &[("id", unsure.to_string().as_str()), ("sentiment", "positive")],
                )
                .await;
            assert_eq!(res.status(), 403, "{role:?}");
        }
    })
    .await;
}
