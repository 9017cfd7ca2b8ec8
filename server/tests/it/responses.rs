//! The responses workspace over HTTP: filters in the URL, paging, access, the customer timeline.

use crate::common::{each_app, new_client, TestApp};
use app::model::Role;

async fn submit(app: &TestApp, i: usize, slug: &str, score: &str, reason: &str, ch: &str) {
    let token = format!("{i:0>32}");
    let res = app
        .post_fn(
            &app.client,
            "/api/survey/submit",
            &[
                ("slug", slug),
                ("score", score),
                ("reason", reason),
                ("ch", ch),
                ("lang", "nl"),
                ("token", &token),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

fn count_items(html: &str) -> usize {
    html.matches("class=\"verbatim\"").count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managers_filter_and_page_through_responses() {
    each_app(|app| async move {
        for i in 0..30 {
            let (slug, ch) = if i % 2 == 0 {
                ("klantenservice", "phone")
            } else {
                ("webshop", "web")
            };
            let reason = if i % 3 == 0 {
                "De bezorger was te laat"
            } else {
                "Vriendelijke medewerker"
            };
            submit(&app, i, slug, &(i % 11).to_string(), reason, ch).await;
        }
        app.add_user("manager@example.nl", Role::Manager).await;
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;

        let (status, html) = app.get_html(&manager, "/responses").await;
        assert_eq!(status, 200);
        assert_eq!(count_items(&html), 25, "a page holds 25");
        let next = html
            .split("rel=\"next\"")
            .next()
            .and_then(|h| h.rsplit("href=\"").next())
            .map(|h| h.split('"').next().unwrap().replace("&amp;", "&"))
            .unwrap();
        assert!(next.starts_with("/responses?before="), "{next}");
        let (_, html) = app.get_html(&manager, &next).await;
        assert_eq!(count_items(&html), 5, "the rest on the next page");
        assert!(!html.contains("rel=\"next\""));

        let (_, html) = app
            .get_html(&manager, "/responses?q=BEZORGER&channel=phone")
            .await;
        assert_eq!(count_items(&html), 5, "text and channel together");
        assert!(
            html.contains("value=\"BEZORGER\""),
            "the filter stays filled in"
        );
        let (_, html) = app
            .get_html(&manager, "/responses?theme=delivery&survey=webshop")
            .await;
        assert_eq!(count_items(&html), 5);
        let (_, html) = app.get_html(&manager, "/responses?group=promoter").await;
        assert_eq!(count_items(&html), 4, "scores 9 and 10");
        let (_, html) = app
            .get_html(&manager, "/responses?from=2000-01-01&to=2000-01-02")
            .await;
        assert!(html.contains("Geen reacties gevonden"));
        let (status, html) = app
            .get_html(&manager, "/responses?channel=pigeon&group=x")
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("Niet toegepast (onbekende waarde): channel, group"));
        assert_eq!(count_items(&html), 25);

        // Customers see no responses; visitors are sent to log in.
        app.add_user("klant@example.nl", Role::Customer).await;
        let customer = new_client();
        app.login(&customer, "klant@example.nl").await;
        let res = app.post_fn(&customer, "/api/responses/list", &[]).await;
        assert_eq!(res.status(), 403);
        let res = app.post_fn(&new_client(), "/api/responses/list", &[]).await;
        assert_eq!(res.status(), 401);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_timeline_spans_their_responses() {
    each_app(|app| async move {
        for (i, slug) in ["klantenservice", "webshop"].iter().enumerate() {
            let token = format!("{i:0>32}");
            let res = app
                .post_fn(
                    &app.client,
                    "/api/survey/submit",
                    &[
                        ("slug", slug),
                        ("score", "6"),
                        ("reason", "Nog steeds niet opgelost"),
                        ("email", "jan@example.nl"),
                        ("consent", "yes"),
                        ("token", &token),
                    ],
                )
                .await;
            assert_eq!(res.status(), 200);
        }
        submit(&app, 9, "webshop", "9", "Iemand anders", "web").await;
        app.add_user("manager@example.nl", Role::Manager).await;
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;
        let (_, html) = app.get_html(&manager, "/responses/1").await;
        let link = html
            .split("data-testid=\"customer-timeline\"")
            .next()
            .and_then(|h| h.rsplit("href=\"").next())
            .map(|h| h.split('"').next().unwrap().to_string())
            .expect("a link to the customer's timeline");
        let (_, html) = app.get_html(&manager, &link).await;
        assert!(html.contains("Klanttijdlijn"));
        assert_eq!(
            count_items(&html),
            2,
            "both of Jan's responses, not the other one"
        );
        assert!(
            !html.contains("jan@example.nl"),
            "the key is a hash, not the address"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_responses_export_as_spreadsheet_safe_csv() {
    each_app(|app| async move {
        submit(
            &app,
            1,
            "klantenservice",
            "3",
            "=HYPERLINK(\"http://evil\";\"klik\") bel 0612345678",
            "phone",
        )
        .await;
        submit(&app, 2, "webshop", "9", "Snelle levering", "web").await;
        app.add_user("manager@example.nl", Role::Manager).await;
        let m = new_client();
        app.login(&m, "manager@example.nl").await;
        let res = m
            .get(app.url("/responses/export.csv?channel=phone&lang=nl"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"klantstem-"));
        let body = res.text().await.unwrap();
        let body = body.trim_start_matches('\u{feff}');
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 2, "header and the one phone response: {body}");
        assert!(lines[0].starts_with("id;date;survey;score;rating;group;channel"));
        assert!(lines[1].contains(";3;;detractor;phone;"));
        assert!(
            lines[1].contains("\"'=HYPERLINK("),
            "a formula is neutralised: {}",
            lines[1]
        );
        assert!(
            lines[1].contains("[tel]") && !lines[1].contains("0612345678"),
            "personal data masked"
        );

        let all = m
            .get(app.url("/responses/export.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(all.lines().count(), 3);

        app.add_user("klant@example.nl", Role::Customer).await;
        let customer = new_client();
        app.login(&customer, "klant@example.nl").await;
        let res = customer
            .get(app.url("/responses/export.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let res = new_client()
            .get(app.url("/responses/export.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login?next=/responses");
    })
    .await;
}
