//! The dashboard over real HTTP, on every backend: who sees it, figures, filters, breakdowns,
//! theme drivers, CSAT, returning customers and the printable report.

use crate::common::{answer, each_app, new_client};
use app::model::Role;

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

        // Product team members have no dashboard (department members get a scoped one).
        app.add_user("dept@example.nl", Role::ProductTeam).await;
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
            html.contains(r#"data-testid="nps-value" data-exact="0.0000" class="kpi-value">0<"#),
            "{html}"
        );
        assert!(html.contains(r#"data-testid="responses-value" class="kpi-value">2<"#));
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
                    score: Some(1),
                    rating: None,
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
                    sentiment_confidence: None,
                    themes: vec![],
                    taxonomy_version: 1,
                    source: "survey".into(),
                    customer_hash: None,
                    customer_ref: None,
                    consent: None,
                    entered_by: None,
                    answers: vec![],
                    labels: Default::default(),
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
        // Some(true): everything; Some(false): the pages, scoped to the member's departments
        // (none here, so no feedback); None: refused.
        for (email, role, access) in [
            ("admin@example.nl", Role::Admin, Some(true)),
            ("manager@example.nl", Role::Manager, Some(true)),
            ("dept@example.nl", Role::Department, Some(false)),
            ("product@example.nl", Role::ProductTeam, None),
            ("customer@example.nl", Role::Customer, None),
        ] {
            let allowed = access == Some(true);
            app.add_user(email, role).await;
            let client = new_client();
            app.login(&client, email).await;
            for page in pages {
                let (status, html) = app.get_html(&client, page).await;
                assert_eq!(status, if access.is_some() { 200 } else { 403 }, "{email} {page}");
                if allowed {
                    if page.starts_with("/dashboard") && !page.contains('?') {
                        assert!(
                            html.contains(r#"data-testid="nps-value" data-exact="100.0000" class="kpi-value">+100<"#),
                            "{email} {page}"
                        );
                    }
                } else {
                    assert!(
                        !html.contains("Prima"),
                        "{email} must not see verbatims on {page}"
                    );
                }
            }
            let overview = app.post_fn(&client, "/api/dashboard/overview", &[]).await;
            assert_eq!(
                overview.status(),
                if access.is_some() { 200 } else { 403 },
                "{email}"
            );
            let export = client
                .get(app.url("/responses/export.csv"))
                .send()
                .await
                .unwrap();
            assert_eq!(
                export.status(),
                if access.is_some() { 200 } else { 403 },
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
                    score: Some(score),
                    rating: None,
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
                    sentiment_confidence: None,
                    themes: vec![],
                    taxonomy_version: 1,
                    source: "survey".into(),
                    customer_hash: Some(format!("hash-{customer}")),
                    customer_ref: Some(customer.into()),
                    consent: None,
                    entered_by: None,
                    answers: vec![Answer {
                        question_id: csat,
                        value: Some(csat_value),
                        text: None,
                    }],
                    labels: Default::default(),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_who_switches_from_the_website_to_the_phone_shows_as_a_flow() {
    each_app(|app| async move {
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        // The same customer (recognised by the address they consented to leave): first the
        // website, then, the same week, the phone.
        for (channel, score, reason, token) in [
            (
                "web",
                "4",
                "De website gaf steeds een foutmelding bij het inloggen.",
                "8".repeat(32),
            ),
            (
                "phone",
                "2",
                "Uiteindelijk toch maar gebeld.",
                "9".repeat(32),
            ),
            ("app", "9", "Prima app.", "a".repeat(32)),
        ] {
            let email = if channel == "app" {
                "ander@example.nl"
            } else {
                "wisselaar@example.nl"
            };
            let res = app
                .post_fn(
                    &new_client(),
                    "/api/survey/submit",
                    &answer(&[
                        ("ch", channel),
                        ("score", score),
                        ("reason", reason),
                        ("email", email),
                        ("consent", "yes"),
                        ("token", &token),
                    ]),
                )
                .await;
            assert_eq!(res.status(), 200);
        }
        let report = klantstem_core::dashboard::channel_switches(&app.state, 30, 7)
            .await
            .unwrap();
        assert_eq!(report.flows.len(), 1, "{report:?}");
        assert_eq!(
            (
                report.flows[0].from.as_str(),
                report.flows[0].to.as_str(),
                report.flows[0].count
            ),
            ("web", "phone", 1)
        );
        assert_eq!(report.after_switch.summary().nps(), Some(-100.0));
        assert_eq!(report.others.total(), 2);
        assert_eq!(
            report.drivers.first().map(|d| d.0.as_str()),
            Some("digital")
        );
        let (_, page) = app.get_html(&manager, "/dashboard").await;
        assert!(page.contains("Kanaalwissels"));
        assert!(
            page.contains(r#"data-flow="web-phone""#),
            "the flow is drawn"
        );
        // The window is the manager's choice; the links keep the dashboard's filter.
        let (_, page) = app
            .get_html(&manager, "/dashboard?survey=klantenservice&switch=14")
            .await;
        assert!(page.contains("binnen 14 dagen via een ander kanaal"));
        assert!(page
            .contains(r#"href="/dashboard?survey=klantenservice&amp;switch=30#channel-switches""#));
        let (_, page) = app.get_html(&manager, "/dashboard?switch=999").await;
        assert!(
            page.contains("binnen 7 dagen"),
            "an odd window falls back to a week"
        );
    })
    .await;
}
