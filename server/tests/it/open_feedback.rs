//! Open feedback without a score (a complaint mail, an app-store review with stars, what a
//! customer said at the counter) through the API, the CSV import and staff entry, on every
//! backend: stored as what it is, counted in themes and volume, left out of the NPS.

use crate::common::{each_app, new_client};
use app::model::Role;
use serde_json::{json, Value};
use std::time::Duration;

fn codes(body: &Value) -> Vec<String> {
    body["records"][0]["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_feedback_arrives_by_api_csv_and_entry_and_stays_out_of_the_nps() {
    each_app(|app| async move {
        app.add_user("admin@example.nl", Role::Admin).await;
        let admin = new_client();
        app.login(&admin, "admin@example.nl").await;
        let (_, token) = app.api_token(&admin, "Mailbox").await;

        // A complaint mail, an app-store review with two stars, and two survey answers.
        let batch = json!({ "responses": [
            { "survey": "klantenservice", "channel": "email", "language": "nl",
              "comment": "Mijn pakket is nooit aangekomen en niemand reageert op mijn mail." },
            { "survey": "klantenservice", "channel": "app", "rating": 2,
              "comment": "De app loopt vast bij het betalen." },
            { "survey": "klantenservice", "score": 9, "comment": "Top geholpen" },
            { "survey": "klantenservice", "score": 3, "comment": "Veel te lang gewacht" },
        ]});
        let (status, body) = app.post_responses(&token, &batch).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(body["created"], 4);

        // Nothing at all, or a rating off the scale, is refused with its reason.
        let (status, body) = app.post_responses(
            &token,
            &json!({ "survey": "klantenservice", "channel": "email", "comment": "  " }),
        )
        .await;
        assert_eq!((status, codes(&body)), (422, vec!["feedback_empty".into()]));
        assert_eq!(
            body["records"][0]["errors"][0]["message"],
            "There is nothing to store: give a score, a rating or a text."
        );
        let (status, body) = app.post_responses(
            &token,
            &json!({ "survey": "klantenservice", "rating": 6, "comment": "Zes sterren!" }),
        )
        .await;
        assert_eq!((status, codes(&body)), (422, vec!["rating_invalid".into()]));

        // A CSV of reviews with their stars.
        let csv = "Klantnummer;Sterren;Opmerking\nK-9;1;Bezorger gooide het pakket over het hek\nK-10;;\n";
        let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("reviews.csv");
        let res = admin
            .post(app.url("/admin/import/upload"))
            .header("origin", &app.base)
            .header("sec-fetch-site", "same-origin")
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let import_id = location.rsplit('/').next().unwrap().to_string();
        let (_, html) = app
            .get_html(
                &admin,
                &format!("{location}?col_customer_ref=0&col_rating=1&col_comment=2&survey=klantenservice"),
            )
            .await;
        assert!(html.contains("1 rijen in orde · 1 rijen met problemen"), "{html}");
        assert!(html.contains(
            "Er is niets om op te slaan: geef een score, een beoordeling of een tekst."
        ));
        let res = app
            .post_fn(
                &admin,
                "/api/import/start",
                &[
                    ("id", import_id.as_str()),
                    ("col_customer_ref", "0"),
                    ("col_rating", "1"),
                    ("col_comment", "2"),
                    ("survey", "klantenservice"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let mut imported = 0;
        for _ in 0..200 {
            imported = app.response_count().await;
            if imported == 5 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(imported, 5, "the review row is stored, the empty one is not");

        // At the counter: a complaint without a score.
        let token = "cd".repeat(32);
        let res = app
            .post_html_form(
                &admin,
                "/api/entry/save",
                &[
                    ("survey", "winkel"),
                    ("score", ""),
                    ("rating", ""),
                    ("comment", "Verkeerde maat meegekregen, kassa lang wachten."),
                    ("channel", "store"),
                    ("language", "nl"),
                    ("token", token.as_str()),
                ],
            )
            .await;
        assert_eq!(res.status(), 302);
        let latest = &app.state.store.latest_verbatims(1).await.unwrap()[0];
        assert_eq!((latest.score, latest.source.as_str()), (None, "staff"));

        // The dashboard: six pieces of feedback, the NPS on the two scores, themes on all.
        let (status, html) = app.get_html(&admin, "/dashboard").await;
        assert_eq!(status, 200);
        assert!(
            html.contains(r#"data-testid="responses-value" class="kpi-value">6<"#),
            "{html}"
        );
        assert!(html.contains(r#"data-testid="nps-basis" class="kpi-sub">op 2 scores<"#));
        assert!(html.contains("2 met score, 4 zonder"));
        assert!(
            html.contains(r#"data-exact="-0.0000""#) || html.contains(r#"data-exact="0.0000""#),
            "one promoter, one detractor"
        );
        assert!(html.contains(r#"data-testid="theme-unscored""#), "a theme rests partly on open feedback");

        // The review's page shows its stars instead of a score.
        let review = app
            .state
            .store
            .list_responses(&Default::default(), 10)
            .await
            .unwrap()
            .into_iter()
            .find(|v| v.rating == Some(2))
            .unwrap();
        assert_eq!(review.score, None);
        let (_, html) = app.get_html(&admin, &format!("/responses/{}", review.id)).await;
        assert!(html.contains(r#"aria-label="Beoordeling 2 van 5 sterren""#));
        assert!(html.contains(">2★<"));

        // Only the open feedback, by filter; and the export says which kind each row is.
        let (_, html) = app.get_html(&admin, "/responses?group=none").await;
        assert_eq!(html.matches(r#"<li class="verbatim""#).count(), 4, "{html}");
        let csv = admin
            .get(app.url("/responses/export.csv?lang=nl"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(csv.contains(";;2;none;app;"), "{csv}");
        assert!(csv.contains(";9;;promoter;"));
    })
    .await;
}
