//! The editable taxonomy over HTTP: admins edit themes, stored texts are retagged in the
//! background with visible progress, managers' corrections survive it, and emerging topics show
//! what no theme covers. On every backend.

use crate::common::{each_app, new_client, TestApp};
use app::model::{RetagStatus, Role};
use std::time::Duration;

/// Submits a Dutch survey answer and returns the stored response's id.
async fn answer(app: &TestApp, token: &str, score: &str, reason: &str) -> i64 {
    let res = app
        .post_fn(
            &app.client,
            "/api/survey/submit",
            &[
                ("slug", "klantenservice"),
                ("score", score),
                ("reason", reason),
                ("lang", "nl"),
                ("token", token),
            ],
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    app.state
        .store
        .latest_verbatims(1)
        .await
        .unwrap()
        .first()
        .map(|v| v.id)
        .unwrap()
}

/// The theme form as an admin fills it in.
fn theme_form<'a>(version: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("version", version),
        ("original_key", ""),
        ("key", "labels"),
        ("name_nl", "Retourlabels"),
        ("name_en", "Return labels"),
        ("department", "Logistiek"),
        ("keywords_nl", "retourlabel\nverzendlabel"),
        ("keywords_en", "return label"),
    ];
    for (k, v) in extra {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    form
}

async fn retag_status(app: &TestApp, client: &reqwest::Client) -> RetagStatus {
    let res = app.post_fn(client, "/api/themes/status", &[]).await;
    assert_eq!(res.status(), 200);
    serde_json::from_str(&res.text().await.unwrap()).unwrap()
}

/// Polls the status endpoint (as the progress bar does) until retagging has finished.
async fn wait_for_retagging(app: &TestApp, client: &reqwest::Client, version: i64) {
    for _ in 0..200 {
        let s = retag_status(app, client).await;
        if s.version == version && !s.running() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("retagging did not finish");
}

async fn theme_keys(app: &TestApp, id: i64) -> Vec<(String, bool)> {
    let v = app.state.store.response(id).await.unwrap().unwrap();
    v.themes.into_iter().map(|t| (t.key, t.manual)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_theme_and_stored_texts_are_retagged() {
    each_app(|app| async move {
        let id = answer(
            &app,
            &"a".repeat(32),
            "4",
            "Het retourlabel zat niet in de doos.",
        )
        .await;
        assert!(theme_keys(&app, id).await.is_empty());
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;

        let (status, html) = app.get_html(&admin, "/admin/themes/new").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("name=\"version\" value=\"1\""),
            "the form carries the version"
        );

        let res = app
            .post_html_form(&admin, "/api/themes/save", &theme_form("1", &[]))
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/admin/themes?saved=1");
        wait_for_retagging(&app, &admin, 2).await;
        assert_eq!(theme_keys(&app, id).await, [("labels".to_string(), false)]);

        // The overview lists the theme and reports the finished retagging.
        let (status, html) = app.get_html(&admin, "/admin/themes?saved=1").await;
        assert_eq!(status, 200);
        assert!(html.contains("Retourlabels"));
        assert!(html.contains("Alle teksten zijn getagd"));
        assert!(html.contains("data-running=\"false\""));
        // The response page shows the new tag by its name.
        let (_, html) = app.get_html(&admin, &format!("/responses/{id}")).await;
        assert!(html.contains("data-theme=\"labels\""));

        // Renaming keeps the key; the stored taxonomy is version 3 and in force.
        let res = app
            .post_html_form(
                &admin,
                "/api/themes/save",
                &theme_form(
                    "2",
                    &[
                        ("original_key", "labels"),
                        ("key", "ignored"),
                        ("name_nl", "Labels"),
                    ],
                ),
            )
            .await;
        assert_eq!(res.status(), 302);
        let (version, taxonomy) = app.state.analyzer.taxonomy();
        assert_eq!(version, 3);
        assert_eq!(taxonomy.theme("labels").unwrap().name_nl, "Labels");
        assert!(taxonomy.theme("ignored").is_none());

        // Deleting the theme removes its automatic tags on the next retagging.
        let res = app
            .post_html_form(
                &admin,
                "/api/themes/delete",
                &[("version", "3"), ("key", "labels")],
            )
            .await;
        assert_eq!(res.status(), 302);
        wait_for_retagging(&app, &admin, 4).await;
        assert!(theme_keys(&app, id).await.is_empty());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_edit_themes_and_bad_themes_are_refused() {
    each_app(|app| async move {
        let anonymous = new_client();
        let res = app
            .post_fn(&anonymous, "/api/themes/save", &theme_form("1", &[]))
            .await;
        assert_eq!(res.status(), 401);
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let res = app
            .post_fn(&manager, "/api/themes/save", &theme_form("1", &[]))
            .await;
        assert_eq!(res.status(), 403);
        // Managers see the themes, without edit links.
        let (status, html) = app.get_html(&manager, "/admin/themes").await;
        assert_eq!(status, 200);
        assert!(html.contains("Alleen beheerders kunnen thema"));
        assert!(!html.contains("href=\"/admin/themes/new\""));
        let customer = app.logged_in("klant@example.nl", Role::Customer).await;
        let res = app.post_fn(&customer, "/api/themes/status", &[]).await;
        assert_eq!(res.status(), 403);

        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        let res = app
            .post_fn(
                &admin,
                "/api/themes/save",
                &theme_form(
                    "1",
                    &[
                        ("key", "Bad Key"),
                        ("name_en", ""),
                        ("keywords_nl", ""),
                        ("keywords_en", ""),
                    ],
                ),
            )
            .await;
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        for code in ["KeyInvalid", "NameMissing", "KeywordsMissing"] {
            assert!(body.contains(code), "{body}");
        }
        // An existing key cannot be taken by a new theme.
        let res = app
            .post_fn(
                &admin,
                "/api/themes/save",
                &theme_form("1", &[("key", "staff")]),
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("KeyTaken"));
        let long = "x".repeat(81);
        let res = app
            .post_fn(
                &admin,
                "/api/themes/save",
                &theme_form("1", &[("keywords_nl", &long)]),
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("TermInvalid"));

        // Without JavaScript the errors come back to the form, in the admin's language.
        let res = app
            .post_html_form(
                &admin,
                "/api/themes/save",
                &theme_form("1", &[("key", "Bad Key")]),
            )
            .await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with("/admin/themes/new?error=theme_key_invalid&key=Bad%20Key"),
            "{location}"
        );
        assert!(location.ends_with("&echo=1"), "{location}");
        let (_, html) = app.get_html(&admin, &location).await;
        assert!(html.contains("De sleutel bestaat uit kleine letters"));
        assert!(html.contains("value=\"Bad Key\""), "what was sent is kept");
        assert!(html.contains("retourlabel\nverzendlabel</textarea>"));

        // A form opened on an older version does not overwrite a newer one.
        let res = app
            .post_fn(&admin, "/api/themes/save", &theme_form("0", &[]))
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Stale"));
        let res = app
            .post_fn(
                &admin,
                "/api/themes/delete",
                &[("version", "1"), ("key", "nope")],
            )
            .await;
        assert_eq!(res.status(), 404);
        let res = app
            .post_fn(&admin, "/api/themes/form", &[("key", "nope")])
            .await;
        assert_eq!(res.status(), 404);
        assert_eq!(app.state.analyzer.taxonomy().0, 1, "nothing was saved");
        assert_eq!(
            app.state.store.current_taxonomy().await.unwrap().unwrap().0,
            1
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manager_corrections_survive_retagging() {
    each_app(|app| async move {
        let id = answer(
            &app,
            &"b".repeat(32),
            "2",
            "De medewerker was onvriendelijk.",
        )
        .await;
        assert_eq!(theme_keys(&app, id).await, [("staff".to_string(), false)]);
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        for (key, action) in [("staff", "remove"), ("price_billing", "add")] {
            let res = app
                .post_html_form(
                    &manager,
                    "/api/responses/theme",
                    &[("id", &id.to_string()), ("key", key), ("action", action)],
                )
                .await;
            assert_eq!(res.status(), 302);
            assert_eq!(
                res.headers()["location"],
                format!("/responses/{id}").as_str()
            );
        }
        assert_eq!(
            theme_keys(&app, id).await,
            [("price_billing".to_string(), true)]
        );
        let (_, html) = app.get_html(&manager, &format!("/responses/{id}")).await;
        assert!(html.contains("data-manual=\"true\""));
        assert!(html.contains("handmatig"));

        // Bad corrections change nothing.
        for (rid, key, action, status) in [
            ("999999", "staff", "add", 404),
            (&id.to_string() as &str, "no_such_theme", "add", 404),
            (&id.to_string(), "staff", "maybe", 400),
            ("x", "staff", "add", 404),
        ] {
            let res = app
                .post_fn(
                    &manager,
                    "/api/responses/theme",
                    &[("id", rid), ("key", key), ("action", action)],
                )
                .await;
            assert_eq!(res.status(), status, "{rid} {key} {action}");
        }
        let customer = app.logged_in("klant@example.nl", Role::Customer).await;
        let res = app
            .post_fn(
                &customer,
                "/api/responses/theme",
                &[("id", &id.to_string()), ("key", "staff"), ("action", "add")],
            )
            .await;
        assert_eq!(res.status(), 403);

        // An admin changes the staff theme; retagging finds "medewerker" again, but the
        // manager's removal holds, and the manual theme stays.
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        let res = app
            .post_fn(
                &admin,
                "/api/themes/save",
                &theme_form(
                    "1",
                    &[
                        ("original_key", "staff"),
                        ("name_nl", "Personeel"),
                        ("name_en", "Staff"),
                        ("keywords_nl", "medewerker\nonvriendelijk"),
                        ("keywords_en", "staff"),
                    ],
                ),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        wait_for_retagging(&app, &admin, 2).await;
        assert_eq!(
            theme_keys(&app, id).await,
            [("price_billing".to_string(), true)]
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emerging_topics_show_words_no_theme_covers() {
    each_app(|app| async move {
        for (i, text) in [
            "Het retourlabel ontbrak.",
            "Geen retourlabel bij mijn bestelling",
            "Waar vind ik het retourlabel? Bel me op 0612345678",
            "Bel me op 0612345678",
            "Bel me op 0612345678",
        ]
        .iter()
        .enumerate()
        {
            answer(&app, &format!("{i:0>32}"), "5", text).await;
        }
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let (status, html) = app.get_html(&manager, "/admin/themes?days=7").await;
        assert_eq!(status, 200);
        let table = &html[html
            .find("data-testid=\"emerging\"")
            .expect("emerging table")..];
        assert!(table.contains(">retourlabel<"), "{table}");
        assert!(
            !table.contains("0612345678"),
            "personal data is never a topic"
        );
        assert!(html.contains("<option value=\"7\" selected"));
    })
    .await;
}
