//! Managing surveys over HTTP, on every backend: create, edit texts per language, follow-up per
//! score group, open / close / archive / duplicate, and embedding on allowed sites only.

use crate::common::{each_app, new_client, survey_form, TestApp};
use app::model::Role;

async fn manager(app: &TestApp) -> reqwest::Client {
    app.add_user("manager@example.nl", Role::Manager).await;
    let client = new_client();
    app.login(&client, "manager@example.nl").await;
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_creates_edits_and_opens_a_survey() {
    each_app(|app| async move {
        let m = manager(&app).await;
        let res = app
            .post_html_form(&m, "/api/surveys/save", &survey_form(&[]))
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/admin/surveys?saved=balie");

        // New surveys start closed.
        let (_, html) = app.get_html(&app.client, "/s/balie").await;
        assert!(html.contains("Deze vragenlijst is gesloten"));
        let res = app
            .post_html_form(
                &m,
                "/api/surveys/state",
                &[("slug", "balie"), ("action", "open")],
            )
            .await;
        assert_eq!(res.status(), 302);
        let (status, html) = app.get_html(&app.client, "/s/balie").await;
        assert_eq!(status, 200);
        assert!(!html.contains("Deze vragenlijst is gesloten"));
        assert!(html.contains("Twee vragen, een halve minuut."));
        assert!(
            html.contains("Wat is de belangrijkste reden"),
            "no score yet: the standard question"
        );
        // The follow-up question follows the score group; English falls back to Dutch.
        let (_, html) = app.get_html(&app.client, "/s/balie/3").await;
        assert!(html.contains("Wat had de medewerker beter kunnen doen?"));
        let (_, html) = app.get_html(&app.client, "/s/balie/10?lang=en").await;
        assert!(html.contains("Wat maakte het bezoek goed?"));
        assert!(html.contains("Your visit to our desk"));
        // (A fresh visitor: the English page above set a language cookie.)
        let (_, html) = app.get_html(&new_client(), "/s/balie/8").await;
        assert!(
            html.contains("Wat is de belangrijkste reden"),
            "no passive text: standard"
        );
        let (_, html) = app.get_html(&app.client, "/s/balie/thanks").await;
        assert!(html.contains("Dank u! We lezen elke reactie."));

        // Editing keeps the slug and changes the texts.
        let res = app
            .post_html_form(
                &m,
                "/api/surveys/save",
                &survey_form(&[
                    ("original_slug", "balie"),
                    ("slug", "other"),
                    ("thanks_nl", "Hartelijk dank."),
                ]),
            )
            .await;
        assert_eq!(res.status(), 302);
        let s = app
            .state
            .store
            .survey_by_slug("balie")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.texts.thanks_nl, "Hartelijk dank.");
        assert!(app
            .state
            .store
            .survey_by_slug("other")
            .await
            .unwrap()
            .is_none());

        // Duplicate, then archive the original: it leaves the start page and takes no answers.
        let res = app
            .post_html_form(
                &m,
                "/api/surveys/state",
                &[("slug", "balie"), ("action", "duplicate")],
            )
            .await;
        assert_eq!(res.headers()["location"], "/admin/surveys/balie-2");
        let copy = app
            .state
            .store
            .survey_by_slug("balie-2")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (copy.open, copy.texts.thanks_nl.as_str()),
            (false, "Hartelijk dank.")
        );
        app.post_html_form(
            &m,
            "/api/surveys/state",
            &[("slug", "balie"), ("action", "archive")],
        )
        .await;
        let (_, home) = app.get_html(&app.client, "/").await;
        assert!(!home.contains("/s/balie\""));
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &[("slug", "balie"), ("score", "8"), ("lang", "nl")],
            )
            .await;
        assert_eq!(res.status(), 409);
        let (_, list) = app.get_html(&m, "/admin/surveys").await;
        assert!(list.contains("data-survey=\"balie\" data-archived=\"true\""));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_surveys_are_refused_and_only_staff_manage_them() {
    each_app(|app| async move {
        let m = manager(&app).await;
        let res = app
            .post_html_form(
                &m,
                "/api/surveys/save",
                &survey_form(&[("slug", "Bad Slug"), ("title_nl", ""), ("title_en", ""), ("embed_origins", "http://evil.example")]),
            )
            .await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(
            location,
            "/admin/surveys/new?error=survey_slug_invalid%2Csurvey_title_missing%2Csurvey_origin_invalid"
        );
        let (_, html) = app.get_html(&m, &location).await;
        assert!(html.contains("Geef een titel in het Nederlands of het Engels"));
        let res = app
            .post_fn(&m, "/api/surveys/save", &survey_form(&[("slug", "klantenservice")]))
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("SlugTaken"));
        let res = app
            .post_fn(&m, "/api/surveys/state", &[("slug", "nope"), ("action", "open")])
            .await;
        assert_eq!(res.status(), 404);
        let res = app
            .post_fn(&m, "/api/surveys/state", &[("slug", "winkel"), ("action", "explode")])
            .await;
        assert_eq!(res.status(), 400);

        app.add_user("klant@example.nl", Role::Customer).await;
        let customer = new_client();
        app.login(&customer, "klant@example.nl").await;
        let res = app.post_fn(&customer, "/api/surveys/save", &survey_form(&[])).await;
        assert_eq!(res.status(), 403);
        let res = app
            .post_fn(&customer, "/api/surveys/state", &[("slug", "winkel"), ("action", "close")])
            .await;
        assert_eq!(res.status(), 403);
        assert!(app.state.store.survey_by_slug("winkel").await.unwrap().unwrap().open);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn surveys_are_embeddable_only_by_the_sites_allowed() {
    each_app(|app| async move {
        let m = manager(&app).await;
        app.post_html_form(&m, "/api/surveys/save", &survey_form(&[]))
            .await;
        // Only an open survey can be embedded (a draft shows nothing of itself).
        app.post_html_form(
            &m,
            "/api/surveys/state",
            &[("slug", "balie"), ("action", "open")],
        )
        .await;
        let res = app
            .client
            .get(app.url("/s/balie?embed=1"))
            .send()
            .await
            .unwrap();
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("frame-ancestors 'self' https://www.example.nl https://*.example.com"),
            "{csp}"
        );
        assert!(!res.headers().contains_key("x-frame-options"));
        let html = res.text().await.unwrap();
        assert!(
            !html.contains("class=\"site-header\""),
            "embedded: no header"
        );
        assert!(html.contains("name=\"embed\" value=\"1\""));
        // Other surveys and pages may not be framed at all.
        let res = app.client.get(app.url("/s/winkel")).send().await.unwrap();
        assert_eq!(res.headers()["x-frame-options"], "DENY");
        assert!(res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'"));
        let res = app.client.get(app.url("/embed.js")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript"));
        assert!(res.text().await.unwrap().contains("data-survey"));
        // The editor shows the code to paste, with the full address.
        let (_, html) = app.get_html(&m, "/admin/surveys/balie").await;
        assert!(html.contains(&format!("{}/embed.js", app.base)), "{html}");
        assert!(
            html.contains(&format!("{}/s/balie?embed=1", app.base)),
            "the iframe snippet"
        );
    })
    .await;
}
