//! End-to-end behaviour over real HTTP against a real server and database, on every backend.

use crate::common;

use crate::common::{backends, each_app, new_client};
use app::model::Role;

/// A valid survey answer; tests override fields.
fn answer<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("slug", "klantenservice"),
        ("score", "9"),
        (
            "reason",
            "De medewerker was heel vriendelijk en hielp mij snel verder.",
        ),
        ("ch", "email"),
        ("tp", "onboarding"),
        ("lang", "nl"),
        ("token", "0123456789abcdef0123456789abcdef"),
    ];
    for (k, v) in extra {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    form
}

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
        assert_eq!(v.score, 9);
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_needs_a_manager_login() {
    each_app(|app| async move {
        let res = app
            .client
            .get(app.url("/dashboard"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/login?next=/dashboard");
        let res = app
            .post_fn(&app.client, "/api/dashboard/overview", &[])
            .await;
        assert_eq!(res.status(), 401);

        app.add_user("dept@example.nl", Role::Department).await;
        let dept = new_client();
        app.login(&dept, "dept@example.nl").await;
        let (status, html) = app.get_html(&dept, "/dashboard").await;
        assert_eq!(status, 403);
        assert!(html.contains("Geen toegang"));
        assert_eq!(
            app.post_fn(&dept, "/api/dashboard/overview", &[])
                .await
                .status(),
            403
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submitted_answer_shows_on_the_dashboard() {
    each_app(|app| async move {
        app.add_user("manager@example.nl", Role::Manager).await;
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;
        let (status, html) = app.get_html(&manager, "/dashboard").await;
        assert_eq!(status, 200);
        assert!(html.contains("Nog geen antwoorden."));

        app.post_fn(
            &new_client(),
            "/api/survey/submit",
            &answer(&[
                ("score", "3"),
                (
                    "reason",
                    "Drie keer moeten bellen, niemand wist van mijn vorige gesprek.",
                ),
            ]),
        )
        .await;
        app.post_fn(
            &new_client(),
            "/api/survey/submit",
            &answer(&[
                ("score", "10"),
                ("token", "1111111111111111aaaaaaaaaaaaaaaa"),
            ]),
        )
        .await;
        let (_, html) = app.get_html(&manager, "/dashboard").await;
        assert!(html.contains("Drie keer moeten bellen, niemand wist van mijn vorige gesprek."));
        // The default answer praises the staff: tagged, and named in the viewer's language.
        assert!(
            html.contains(r#"<li data-theme="staff" data-sentiment="positive">Vriendelijkheid en deskundigheid (+)</li>"#),
            "{html}"
        );
        // One promoter, one detractor: NPS 0 from two responses.
        assert!(
            html.contains(r#"data-testid="nps-value" class="kpi-value">0<"#),
            "{html}"
        );
        assert!(html.contains(r#"data-testid="responses-value" class="kpi-value">2<"#));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    each_app(|app| async move {
        app.add_user("manager@example.nl", Role::Manager).await;
        let res = app
            .post_html_form(
                &app.client,
                "/api/auth/login",
                &[
                    ("email", "Manager@Example.nl"),
                    ("password", common::PASSWORD),
                    ("next", "/dashboard"),
                ],
            )
            .await;
        assert_eq!(res.status(), 302);
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("ks_session="));
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let token = cookie.split(';').next().unwrap().to_string();

        // A copy of the cookie works until logout, then never again.
        let stolen = || {
            app.client
                .get(app.url("/dashboard"))
                .header("cookie", &token)
                .header("accept", "text/html")
        };
        let res = new_client()
            .execute(stolen().build().unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["cache-control"],
            "private, no-store",
            "staff pages are not cached"
        );
        let res = app
            .post_html_form(&app.client, "/api/auth/logout", &[])
            .await;
        assert_eq!(res.status(), 302);
        assert!(res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        assert_eq!(
            new_client()
                .execute(stolen().build().unwrap())
                .await
                .unwrap()
                .status(),
            302
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_do_not_reveal_accounts_and_are_rate_limited() {
    each_app(|app| async move {
        app.add_user("manager@example.nl", Role::Manager).await;
        let wrong = app
            .post_fn(
                &app.client,
                "/api/auth/login",
                &[("email", "manager@example.nl"), ("password", "nope")],
            )
            .await;
        assert_eq!(wrong.status(), 401);
        let wrong_body = wrong.text().await.unwrap();
        let unknown = app
            .post_fn(
                &app.client,
                "/api/auth/login",
                &[("email", "ghost@example.nl"), ("password", "nope")],
            )
            .await;
        assert_eq!(unknown.status(), 401);
        assert_eq!(
            unknown.text().await.unwrap(),
            wrong_body,
            "same answer for unknown accounts"
        );

        // Without JavaScript the error comes back to the login page.
        let res = app
            .post_html_form(
                &app.client,
                "/api/auth/login",
                &[("email", "manager@example.nl"), ("password", "nope")],
            )
            .await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login?error=credentials"));
        let (_, html) = app.get_html(&app.client, &location).await;
        assert!(html.contains("E-mailadres of wachtwoord is onjuist."));

        for _ in 0..3 {
            app.post_fn(
                &app.client,
                "/api/auth/login",
                &[("email", "manager@example.nl"), ("password", "nope")],
            )
            .await;
        }
        // Five failures: now even the right password is refused for a while.
        let res = app
            .post_fn(
                &app.client,
                "/api/auth/login",
                &[
                    ("email", "manager@example.nl"),
                    ("password", common::PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
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
        assert_eq!((v.len(), v[0].score, v[0].reason.clone()), (1, 7, None));
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
        assert_eq!(v[0].score, 8);
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
            (8, Some("De medewerker was vriendelijk."))
        );
    })
    .await;
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_filters_change_the_figures_and_break_them_down() {
    each_app(|app| async move {
        // Phone: two detractors; web: three promoters.
        for (i, (score, ch)) in [
            ("2", "phone"),
            ("3", "phone"),
            ("9", "web"),
            ("10", "web"),
            ("9", "web"),
        ]
        .into_iter()
        .enumerate()
        {
            let token = format!("{i:0>32}");
            let res = app
                .post_fn(
                    &app.client,
                    "/api/survey/submit",
                    &answer(&[("score", score), ("ch", ch), ("token", &token)]),
                )
                .await;
            assert_eq!(res.status(), 200);
        }
        app.add_user("manager@example.nl", Role::Manager).await;
        let m = new_client();
        app.login(&m, "manager@example.nl").await;
        let overview = |form: Vec<(&'static str, &'static str)>| {
            let m = m.clone();
            let url = app.url("/api/dashboard/overview");
            async move {
                let res = m.post(url).form(&form).send().await.unwrap();
                assert_eq!(res.status(), 200);
                serde_json::from_str::<app::model::DashboardData>(&res.text().await.unwrap())
                    .unwrap()
            }
        };
        let all = overview(vec![]).await;
        assert_eq!(all.distribution.total(), 5);
        assert!((all.distribution.summary().nps().unwrap() - 20.0).abs() < 1e-9);
        let by_channel = all
            .breakdowns
            .iter()
            .find(|b| b.dimension == app::model::Dimension::Channel)
            .unwrap();
        let rows: Vec<(&str, Option<f64>)> = by_channel
            .rows
            .iter()
            .map(|(k, _, d)| (k.as_str(), d.summary().nps()))
            .collect();
        assert_eq!(rows, [("phone", Some(-100.0)), ("web", Some(100.0))]);

        let phone = overview(vec![("channel", "phone")]).await;
        assert_eq!(phone.distribution.total(), 2);
        assert_eq!(phone.distribution.summary().nps(), Some(-100.0));
        assert!(phone
            .breakdowns
            .iter()
            .all(|b| b.dimension != app::model::Dimension::Channel));
        assert_eq!(phone.query, "channel=phone");
        assert_eq!(phone.verbatims.len(), 2);
        let none = overview(vec![("from", "2000-01-01"), ("to", "2000-12-31")]).await;
        assert_eq!(none.distribution.total(), 0);
        assert_eq!(none.comparison, None, "nothing to compare");
        assert_eq!(all.comparison, None, "nothing in the 30 days before");

        // Three detractors forty days ago: the last 30 days are clearly better than before.
        let survey_id = app
            .state
            .store
            .survey_by_slug("klantenservice")
            .await
            .unwrap()
            .unwrap()
            .id;
        for i in 0..3 {
            app.state
                .store
                .insert_response(&app::backend::NewResponse {
                    survey_id,
                    submission_token: format!("old-{i}"),
                    score: 1,
                    reason: None,
                    language: None,
                    language_confidence: None,
                    respondent_locale: "nl".into(),
                    channel: Some("phone".into()),
                    journey_phase: None,
                    contact_email: None,
                    created_at: app::backend::now_unix() - 40 * 86_400,
                    sentiment: None,
                    sentiment_score: None,
                    themes: vec![],
                    taxonomy_version: 1,
                    source: "survey".into(),
                    customer_hash: None,
                    customer_ref: None,
                    entered_by: None,
                    answers: vec![],
                })
                .await
                .unwrap();
        }
        let c = overview(vec![]).await.comparison.expect("a comparison");
        assert!(!c.chosen && c.days == 30);
        assert!((c.before - -100.0).abs() < 1e-9 && (c.now - 20.0).abs() < 1e-9);
        assert!(c.change.significant);

        // The page keeps the filter and every bar links to the responses behind it.
        let (status, html) = app.get_html(&m, "/dashboard?channel=web").await;
        assert_eq!(status, 200);
        assert!(html.contains("<option value=\"web\" selected"));
        assert!(
            html.contains("href=\"/responses?channel=web&amp;survey=klantenservice\""),
            "drill-down"
        );
        let (_, list) = app
            .get_html(&m, "/responses?channel=web&survey=klantenservice")
            .await;
        assert_eq!(list.matches("class=\"verbatim\"").count(), 3);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_drivers_show_which_themes_pull_the_nps_down() {
    each_app(|app| async move {
        for (i, (score, reason)) in [
            ("2", "Ik stond een uur in de wacht."),
            ("3", "Weer lang in de wacht gestaan."),
            ("10", "Een eerlijke prijs."),
            ("9", "Top!"),
        ]
        .into_iter()
        .enumerate()
        {
            let token = format!("{i:0>32}");
            let res = app
                .post_fn(
                    &app.client,
                    "/api/survey/submit",
                    &answer(&[("score", score), ("reason", reason), ("token", &token)]),
                )
                .await;
            assert_eq!(res.status(), 200);
        }
        app.add_user("manager@example.nl", Role::Manager).await;
        let m = new_client();
        app.login(&m, "manager@example.nl").await;
        let res = app.post_fn(&m, "/api/dashboard/overview", &[]).await;
        let data: app::model::DashboardData =
            serde_json::from_str(&res.text().await.unwrap()).unwrap();
        let drivers: Vec<(&str, u64, Option<f64>)> = data
            .drivers
            .iter()
            .map(|d| {
                (
                    d.key.as_str(),
                    d.count,
                    d.impact.map(|i| (i * 10.0).round() / 10.0),
                )
            })
            .collect();
        assert_eq!(
            drivers,
            [
                ("waiting_time", 2, Some(-100.0)),
                ("price_billing", 1, Some(33.3))
            ],
            "waiting time costs 100 points, price adds 33"
        );
        assert_eq!(data.drivers[0].detractors, 2);
        assert_eq!(data.drivers[0].nps, Some(-100.0));
        let (_, html) = app.get_html(&m, "/dashboard").await;
        assert!(html.contains("href=\"/responses?theme=waiting_time\""));
        assert!(html.contains("Wachttijd en bereikbaarheid"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_and_managers_see_dashboards_and_responses() {
    each_app(|app| async move {
        app.add_surveys().await;
        let res = app
            .post_fn(
                &app.client,
                "/api/survey/submit",
                &answer(&[
                    ("score", "9"),
                    ("reason", "Prima"),
                    ("token", &"7".repeat(32)),
                ]),
            )
            .await;
        assert_eq!(res.status(), 200);
        let pages = [
            "/dashboard",
            "/dashboard/report",
            "/dashboard?channel=web",
            "/responses",
        ];
        for (email, role, allowed) in [
            ("admin@example.nl", Role::Admin, true),
            ("manager@example.nl", Role::Manager, true),
            ("dept@example.nl", Role::Department, false),
            ("product@example.nl", Role::ProductTeam, false),
            ("customer@example.nl", Role::Customer, false),
        ] {
            app.add_user(email, role).await;
            let client = new_client();
            app.login(&client, email).await;
            for page in pages {
                let (status, html) = app.get_html(&client, page).await;
                if allowed {
                    assert_eq!(status, 200, "{email} {page}");
                    if page.starts_with("/dashboard") && !page.contains('?') {
                        assert!(
                            html.contains(r#"data-testid="nps-value" class="kpi-value">+100<"#),
                            "{email} {page}"
                        );
                    }
                } else {
                    assert_eq!(status, 403, "{email} {page}");
                    assert!(
                        !html.contains("Prima"),
                        "{email} must not see verbatims on {page}"
                    );
                }
            }
            let overview = app.post_fn(&client, "/api/dashboard/overview", &[]).await;
            assert_eq!(
                overview.status(),
                if allowed { 200 } else { 403 },
                "{email}"
            );
            let export = client
                .get(app.url("/responses/export.csv"))
                .send()
                .await
                .unwrap();
            assert_eq!(
                export.status(),
                if allowed { 200 } else { 403 },
                "{email} export"
            );
            let body = export.text().await.unwrap();
            assert_eq!(body.contains("Prima"), allowed, "{email} export body");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_csat_returning_customers_and_a_printable_report() {
    use app::questions::{Answer, QuestionKind, QuestionTexts};
    each_app(|app| async move {
        app.add_surveys().await;
        let store = &app.state.store;
        let survey = store
            .survey_by_slug("klantenservice")
            .await
            .unwrap()
            .unwrap()
            .id;
        let csat = store
            .add_question(
                survey,
                QuestionKind::Csat,
                false,
                &QuestionTexts::default(),
                1,
            )
            .await
            .unwrap();
        let now = app::backend::now_unix();
        // Customer A: 3 then 9 (detractor → promoter); B: 10 then 6; C answers once.
        for (i, (customer, score, csat_value, days_ago)) in [
            ("A", 3, 2, 50),
            ("A", 9, 5, 5),
            ("B", 10, 5, 40),
            ("B", 6, 3, 2),
            ("C", 8, 4, 1),
        ]
        .into_iter()
        .enumerate()
        {
            store
                .insert_response(&app::backend::NewResponse {
                    survey_id: survey,
                    submission_token: format!("cust-{i}"),
                    score,
                    reason: None,
                    language: None,
                    language_confidence: None,
                    respondent_locale: "nl".into(),
                    channel: Some("phone".into()),
                    journey_phase: None,
                    contact_email: None,
                    created_at: now - days_ago * 86_400,
                    sentiment: None,
                    sentiment_score: None,
                    themes: vec![],
                    taxonomy_version: 1,
                    source: "survey".into(),
                    customer_hash: Some(format!("hash-{customer}")),
                    customer_ref: Some(customer.into()),
                    entered_by: None,
                    answers: vec![Answer {
                        question_id: csat,
                        value: Some(csat_value),
                        text: None,
                    }],
                })
                .await
                .unwrap();
        }
        app.add_user("manager@example.nl", Role::Manager).await;
        let m = new_client();
        app.login(&m, "manager@example.nl").await;
        let res = app.post_fn(&m, "/api/dashboard/overview", &[]).await;
        let data: app::model::DashboardData =
            serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(data.csat.n, 5);
        assert!((data.csat.value().unwrap() - 19.0 / 5.0).abs() < 1e-9);
        assert_eq!(data.ces.value(), None);
        assert_eq!(data.movement.customers, 2);
        assert_eq!((data.movement.improved, data.movement.declined), (1, 1));
        assert_eq!(
            data.movement.groups[0][2], 1,
            "A went from detractor to promoter"
        );
        assert_eq!(
            data.movement.groups[2][0], 1,
            "B went from promoter to detractor"
        );

        // A date range of a month: a weekly trend; the report keeps the filter.
        let (status, html) = app.get_html(&m, "/dashboard/report?channel=phone").await;
        assert_eq!(status, 200);
        assert!(html.contains("Klantstem-rapport"));
        assert!(html.contains("channel=phone"));
        assert!(html.contains("data-testid=\"csat\""));
        assert!(html.contains("data-testid=\"repeat-count\">2<"));
        assert!(
            !html.contains("class=\"filters\""),
            "no filter form in the report"
        );
        let (_, html) = app.get_html(&m, "/dashboard").await;
        assert!(html.contains("href=\"/dashboard/report?\""));
        // Within the last 60 days: a weekly trend.
        let from = app::model::format_date(now - 59 * 86_400);
        let to = app::model::format_date(now);
        let (_, html) = app
            .get_html(&m, &format!("/dashboard?from={from}&to={to}"))
            .await;
        assert!(
            html.contains("data-unit=\"week\""),
            "weekly trend for a short range"
        );
    })
    .await;
}
