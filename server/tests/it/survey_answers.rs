//! Answering a survey over real HTTP, on every backend: languages, channels, the form with and
//! without JavaScript, double submits, bad input, honeypot, closed surveys, personal data,
//! per-client limits and one-click scores.

use crate::common::{self, answer, backends, each_app, new_client};
use app::model::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_page_speaks_the_visitors_language() {
    each_app(|app| async move {
        let (status, html) = app.get_html(&app.client, "/s/klantenservice").await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"nl\""));
        assert!(html.contains("Hoe waarschijnlijk is het dat u ons aanbeveelt"));
        assert_eq!(
            html.matches("name=\"score\"").count(),
            11,
            "eleven score buttons"
        );

        let res = app
            .client
            .get(app.url("/s/klantenservice"))
            .header("accept-language", "en-GB,en;q=0.9")
            .send()
            .await
            .unwrap();
        let html = res.text().await.unwrap();
        assert!(html.contains("How likely is it that you would recommend us"));

        // ?lang= wins over the browser and is remembered in a cookie.
        let res = app
            .client
            .get(app.url("/s/klantenservice?lang=en"))
            .header("accept-language", "nl")
            .send()
            .await
            .unwrap();
        assert!(res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("ks_lang=en"));
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Your contact with customer service"));

        let (status, html) = app.get_html(&new_client(), "/s/does-not-exist").await;
        assert_eq!(status, 404);
        assert!(html.contains("Niet gevonden"));
    })
    .await;
}

/// The text of `html` after `start` up to `end`.
fn between<'a>(html: &'a str, start: &str, end: char) -> &'a str {
    let from = html.find(start).expect(start) + start.len();
    &html[from..from + html[from..].find(end).unwrap()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_of_the_survey_page_is_its_own_form_and_an_edit_shows_at_once() {
    each_app(|app| async move {
        let view = || async {
            let res = new_client()
                .get(app.url("/s/klantenservice?ch=email"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let policy = res.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .to_string();
            let nonce = between(&policy, "'nonce-", '\'').to_string();
            (nonce, res.text().await.unwrap())
        };
        let mut tokens = Vec::new();
        for _ in 0..3 {
            let (nonce, html) = view().await;
            // The page's scripts carry the nonce its policy names, and no other.
            assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{html}");
            tokens.push((
                nonce,
                between(&html, "name=\"token\" value=\"", '"').to_string(),
            ));
        }
        tokens.sort();
        tokens.dedup_by(|a, b| a.0 == b.0 || a.1 == b.1);
        assert_eq!(tokens.len(), 3, "three views, three tokens and nonces");

        // A changed title shows on the next view.
        let store = &app.state.store;
        let mut survey = store
            .survey_by_slug("klantenservice")
            .await
            .unwrap()
            .unwrap();
        survey.title_nl = "Uw gesprek met onze helpdesk".into();
        assert!(store.update_survey(&survey).await.unwrap());
        let (_, html) = view().await;
        assert!(html.contains("Uw gesprek met onze helpdesk"), "{html}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_is_stored_with_channel_phase_and_language() {
    each_app(|app| async move {
        let res = app
            .post_fn(&app.client, "/api/survey/submit", &answer(&[]))
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["location"],
            "/s/klantenservice/thanks?lang=nl"
        );
        assert_eq!(app.response_count().await, 1);
        let v = app.state.store.latest_verbatims(1).await.unwrap().remove(0);
        assert_eq!(v.score, Some(9));
        assert_eq!(v.channel.as_deref(), Some("email"));
        assert_eq!(v.journey_phase.as_deref(), Some("onboarding"));
        assert_eq!(v.language.as_deref(), Some("nl"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_without_javascript_redirects_to_thanks() {
    each_app(|app| async move {
        let res = app
            .post_html_form(
                &app.client,
                "/api/survey/submit",
                &answer(&[("lang", "en")]),
            )
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(
            res.headers()["location"],
            "/s/klantenservice/thanks?lang=en"
        );
        let (status, html) = app
            .get_html(&app.client, "/s/klantenservice/thanks?lang=en")
            .await;
        assert_eq!(status, 200);
        assert!(html.contains("Thank you!"));
        assert_eq!(app.response_count().await, 1);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_submit_stores_one_response() {
    each_app(|app| async move {
        for _ in 0..3 {
            let res = app
                .post_fn(&app.client, "/api/survey/submit", &answer(&[]))
                .await;
            assert_eq!(res.status(), 200);
        }
        assert_eq!(app.response_count().await, 1);
        // A new page view has a new token, so it is a new response.
        app.post_fn(
            &app.client,
            "/api/survey/submit",
            &answer(&[("token", "ffffffffffffffffffffffffffffffff")]),
        )
        .await;
        assert_eq!(app.response_count().await, 2);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_scores_are_refused_and_nothing_is_stored() {
    each_app(|app| async move {
        for (score, code) in [
            ("11", "score_invalid"),
            ("-1", "score_invalid"),
            ("abc", "score_invalid"),
            ("", "score_missing"),
        ] {
            let res = app
                .post_fn(
                    &app.client,
                    "/api/survey/submit",
                    &answer(&[("score", score)]),
                )
                .await;
            assert_eq!(res.status(), 422, "score {score:?}");
            let body = res.text().await.unwrap();
            assert!(body.contains(code), "{body}");
        }
        let long = "x".repeat(2001);
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[("reason", &long)]),
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("reason_too_long"));
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[("email", "jan@example.nl")]),
            )
            .await;
        assert_eq!(
            res.status(),
            422,
            "an address without consent is not stored"
        );
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[("slug", "nope")]),
            )
            .await;
        assert_eq!(res.status(), 404);
        let huge = "x".repeat(200_000);
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[("reason", &huge)]),
            )
            .await;
        assert_eq!(res.status(), 413, "bodies are size-limited");
        assert_eq!(app.response_count().await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_errors_come_back_in_the_form_in_the_users_language() {
    each_app(|app| async move {
        let res = app
            .post_html_form(
                &app.client,
                "/api/survey/submit",
                &answer(&[("score", "12"), ("reason", "Lang gewacht"), ("lang", "nl")]),
            )
            .await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with("/s/klantenservice?error=score_invalid"),
            "{location}"
        );
        let (status, html) = app.get_html(&app.client, &location).await;
        assert_eq!(status, 200);
        assert!(html.contains("De score moet een heel getal van 0 tot en met 10 zijn."));
        assert!(
            html.contains("Lang gewacht</textarea>"),
            "the typed text is kept"
        );
        assert_eq!(app.response_count().await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn honeypot_submissions_are_dropped_silently() {
    each_app(|app| async move {
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[("website", "http://spam.example")]),
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(app.response_count().await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_surveys_take_no_answers() {
    each_app(|app| async move {
        app.state
            .store
            .create_survey(&app::backend::NewSurvey {
                slug: "closed".into(),
                title_nl: "Dicht".into(),
                title_en: "Closed".into(),
                open: false,
                created_at: 0,
                texts: Default::default(),
                embed_origins: vec![],
            })
            .await
            .unwrap();
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[("slug", "closed")]),
            )
            .await;
        assert_eq!(res.status(), 409);
        assert_eq!(app.response_count().await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_is_masked_unless_the_respondent_consented() {
    each_app(|app| async move {
        let text = "Bel mij op 06-12345678 of mail jan@example.nl, rekening NL91ABNA0417164300.";
        app.post_fn(
            &app.client,
            "/api/survey/submit",
            &answer(&[("reason", text)]),
        )
        .await;
        app.post_fn(
            &app.client,
            "/api/survey/submit",
            &answer(&[
                ("reason", text),
                ("email", "jan@example.nl"),
                ("consent", "yes"),
                ("token", "2222222222222222bbbbbbbbbbbbbbbb"),
            ]),
        )
        .await;
        let stored = app.state.store.latest_verbatims(2).await.unwrap();
        let masked = "Bel mij op [tel] of mail [e-mail], rekening [IBAN].";
        assert_eq!(
            stored[1].reason.as_deref(),
            Some(masked),
            "no consent: raw text not kept"
        );
        assert_eq!(
            stored[0].reason.as_deref(),
            Some(text),
            "consent: raw text kept"
        );

        app.add_user("manager@example.nl", Role::Manager).await;
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;
        let (_, html) = app.get_html(&manager, "/dashboard").await;
        assert!(
            !html.contains("06-12345678") && !html.contains("NL91ABNA"),
            "staff never see it"
        );
        // Rendered once per verbatim, and again in the hydration data.
        assert!(html.matches(masked).count() >= 2);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_submissions_are_rate_limited_per_client_and_not_fooled_by_forwarded_headers() {
    use app::backend::Settings;
    for backend in backends() {
        let settings = Settings {
            submit_limit: 3,
            ..Settings::default()
        };
        let app = common::spawn_app_with(backend, settings).await;
        app.add_surveys().await;
        let send = |token: String, forwarded: &'static str| {
            let client = app.client.clone();
            let url = app.url("/api/survey/submit");
            async move {
                client
                    .post(url)
                    .header("x-forwarded-for", forwarded)
                    .form(&answer(&[("token", &token)]))
                    .send()
                    .await
                    .unwrap()
            }
        };
        for i in 0..3 {
            let res = send(format!("{i:0>32}"), "1.1.1.1").await;
            assert_eq!(res.status(), 200);
        }
        // Claiming to be someone else does not help: no proxy is trusted.
        let res = send("f".repeat(32), "9.9.9.9").await;
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
        assert!(res.text().await.unwrap().contains("RateLimited"));
        assert_eq!(app.response_count().await, 3);

        // Behind a trusted proxy, each client has its own allowance.
        let settings = Settings {
            submit_limit: 1,
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..Settings::default()
        };
        let proxied = common::spawn_app_with(backend, settings).await;
        proxied.add_surveys().await;
        for (i, (client, status)) in [("1.1.1.1", 200), ("2.2.2.2", 200), ("1.1.1.1", 429)]
            .into_iter()
            .enumerate()
        {
            let res = proxied
                .client
                .post(proxied.url("/api/survey/submit"))
                .header("x-forwarded-for", client)
                .form(&answer(&[("token", &format!("{i:0>32}"))]))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), status, "{client}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_click_score_is_recorded_and_completed_by_the_reason() {
    each_app(|app| async move {
        let (status, html) = app.get_html(&app.client, "/s/klantenservice/7").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("value=\"7\" required checked"),
            "the score is preselected"
        );
        assert!(
            html.contains("name=\"ch\" value=\"email\""),
            "score links come from e-mail"
        );
        for bad in ["/s/klantenservice/11", "/s/klantenservice/x", "/s/nope/5"] {
            let (status, _) = app.get_html(&app.client, bad).await;
            assert_eq!(status, 404, "{bad}");
        }
        let (status, html) = app.get_html(&app.client, "/s/klantenservice/thanks").await;
        assert_eq!(status, 200);
        assert!(html.contains("Bedankt!"));

        // The page records the score at once (stage=score: no redirect) ...
        let token = "c".repeat(32);
        let score_only = [
            ("slug", "klantenservice"),
            ("score", "7"),
            ("ch", "email"),
            ("lang", "nl"),
            ("token", token.as_str()),
            ("stage", "score"),
        ];
        let res = app
            .post_fn(&app.client, "/api/survey/submit", &score_only)
            .await;
        assert_eq!(res.status(), 200);
        assert!(!res.headers().contains_key("location"));
        let v = app
            .state
            .store
            .list_responses(&Default::default(), 10)
            .await
            .unwrap();
        assert_eq!(
            (v.len(), v[0].score, v[0].reason.clone()),
            (1, Some(7), None)
        );
        // ... and the reason, sent with the same token, completes that same response.
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[
                    ("score", "8"),
                    ("token", &token),
                    ("reason", "De medewerker was vriendelijk."),
                ]),
            )
            .await;
        assert_eq!(res.status(), 200);
        let v = app
            .state
            .store
            .list_responses(&Default::default(), 10)
            .await
            .unwrap();
        assert_eq!(v.len(), 1, "one response");
        assert_eq!(v[0].score, Some(8));
        assert_eq!(
            v[0].reason.as_deref(),
            Some("De medewerker was vriendelijk.")
        );
        assert!(v[0].themes.iter().any(|t| t.key == "staff"));
        // A later resubmission does not overwrite what was said.
        app.post_fn(
            &app.client,
            "/api/survey/submit",
            &answer(&[("score", "2"), ("token", &token), ("reason", "Iets anders")]),
        )
        .await;
        let v = app.state.store.response(v[0].id).await.unwrap().unwrap();
        assert_eq!(
            (v.score, v.reason.as_deref()),
            (Some(8), Some("De medewerker was vriendelijk."))
        );
    })
    .await;
}
