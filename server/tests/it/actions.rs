//! Improvement actions over real HTTP: created from a dashboard theme, checked with messages in
//! the user's language, scoped per department, measured before and after (difference in
//! differences), and — when done with a public message — told to the consented customers behind
//! the feedback once, through the outbox, and listed on the public changelog. On SQLite and
//! PostgreSQL.

use crate::common::{answer, each_app, new_client, TestApp};
use app::backend::NewResponse;
use app::model::Role;

fn main_of(page: &str) -> String {
    let start = page.find("<main").unwrap_or(0);
    let end = page.find("</main>").unwrap_or(page.len());
    page[start..end].to_string()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

/// A stored response at `at` mentioning waiting time (or staff), as any channel would store it.
fn stored(
    app: &TestApp,
    survey_id: i64,
    token: &str,
    score: u8,
    waiting: bool,
    at: i64,
) -> NewResponse {
    let text = if waiting {
        "De wachttijd aan de telefoon was veel te lang."
    } else {
        "De medewerker was vriendelijk."
    };
    let analysis = app
        .state
        .analyzer
        .analyze(text, Some(app::i18n::Locale::Nl));
    NewResponse {
        survey_id,
        submission_token: token.into(),
        score: Some(score),
        rating: None,
        reason: Some(text.into()),
        language: Some("nl".into()),
        language_confidence: Some(0.9),
        respondent_locale: "nl".into(),
        channel: Some("phone".into()),
        journey_phase: None,
        contact_email: None,
        created_at: at,
        sentiment: analysis.sentiment.as_ref().map(|s| s.0.clone()),
        sentiment_score: analysis.sentiment.map(|s| s.1),
        sentiment_confidence: analysis.sentiment_confidence,
        themes: analysis.themes,
        taxonomy_version: analysis.taxonomy_version,
        source: "api".into(),
        customer_hash: None,
        customer_ref: None,
        consent: None,
        entered_by: None,
        answers: Vec::new(),
        labels: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_action_from_a_theme_is_measured_and_told_to_the_customers_behind_it() {
    each_app(|app| async move {
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let survey = app
            .state
            .store
            .survey_by_slug("klantenservice")
            .await
            .unwrap()
            .unwrap();
        let now = klantstem_core::now_unix();
        let day = 86_400;
        // Before: waiting time drags (2 × score 2, 1 × 6), the rest is fine (9, 10).
        let before: Vec<NewResponse> = [
            (2, true, 20),
            (2, true, 12),
            (6, true, 5),
            (9, false, 8),
            (10, false, 3),
        ]
        .iter()
        .enumerate()
        .map(|(i, (score, waiting, ago))| {
            stored(
                &app,
                survey.id,
                &format!("b{i}"),
                *score,
                *waiting,
                now - ago * day,
            )
        })
        .collect();
        app.state.store.insert_responses(&before).await.unwrap();
        // A detractor who consented, through the public survey: they will be told.
        let res = app
            .post_fn(
                &new_client(),
                "/api/survey/submit",
                &answer(&[
                    ("score", "3"),
                    ("reason", "Veel te lang in de wacht gestaan."),
                    ("email", "wachter@example.nl"),
                    ("consent", "yes"),
                    ("lang", "en"),
                    ("token", "cccccccccccccccccccccccccccccccc"),
                ]),
            )
            .await;
        assert_eq!(res.status(), 200);

        // The dashboard's theme row leads to a prefilled form.
        let (_, page) = app.get_html(&manager, "/dashboard").await;
        assert!(
            page.contains("/actions?theme=waiting_time#new"),
            "a theme offers an action"
        );
        let (status, page) = app.get_html(&manager, "/actions?theme=waiting_time").await;
        assert_eq!(status, 200);
        assert!(main_of(&page).contains("value=\"waiting_time\""));

        // A bad form is refused with the reason in the user's language.
        let res = app
            .post_html_form(
                &manager,
                "/api/actions/create",
                &[("title", " "), ("themes", "kleur"), ("due", "morgen")],
            )
            .await;
        assert_eq!(
            location(&res),
            "/actions?error=action_title_missing%2Caction_bad_date%2Caction_unknown_theme"
        );
        let (_, page) = app.get_html(&manager, &location(&res)).await;
        assert!(main_of(&page).contains("Geef de actie een titel."));

        let res = app
            .post_html_form(
                &manager,
                "/api/actions/create",
                &[
                    ("title", "Terugbellen bij drukte"),
                    ("themes", "waiting_time"),
                    ("status", "in_progress"),
                ],
            )
            .await;
        let url = location(&res);
        assert!(url.starts_with("/actions/"), "{url}");
        let id: i64 = url.trim_start_matches("/actions/").parse().unwrap();
        let (status, page) = app.get_html(&manager, &url).await;
        assert_eq!(status, 200);
        assert!(main_of(&page).contains("Zodra de actie is afgerond"));

        // Done, with a message: the consented customer is told once, in their language. (A
        // second later: the customer's answer belongs to the window before.)
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let done = [
            ("id", id.to_string()),
            ("title", "Terugbellen bij drukte".into()),
            ("themes", "waiting_time".into()),
            ("status", "done".into()),
            (
                "public_message",
                "Als het druk is, bellen we u nu terug.".into(),
            ),
        ];
        let done: Vec<(&str, &str)> = done.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app
            .post_html_form(&manager, "/api/actions/save", &done)
            .await;
        assert_eq!(location(&res), format!("/actions/{id}?saved=1&told=1"));
        let res = app
            .post_html_form(&manager, "/api/actions/save", &done)
            .await;
        assert_eq!(
            location(&res),
            format!("/actions/{id}?saved=1&told=0"),
            "saved again: told once"
        );
        let mails: Vec<_> = app
            .state
            .store
            .list_outbox(20)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "action_done")
            .collect();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].recipient, "wachter@example.nl");
        assert_eq!(
            mails[0].subject, "You said, we did",
            "in the language they answered in"
        );
        let (_, page) = app.get_html(&new_client(), "/changelog").await;
        assert!(page.contains("Als het druk is, bellen we u nu terug."));
        // The managers' dashboard follows the told customers too.
        let (_, page) = app.get_html(&manager, "/dashboard").await;
        assert!(
            page.contains("1 klanten kregen bericht; 0 van hen antwoordden daarna opnieuw"),
            "{page}"
        );

        // After: waiting time recovers (9, 10, 10) while the rest stays (9, 10): the action worked.
        let after: Vec<NewResponse> = [
            (9, true, 1),
            (10, true, 2),
            (10, true, 3),
            (9, false, 2),
            (10, false, 4),
        ]
        .iter()
        .enumerate()
        .map(|(i, (score, waiting, later))| {
            stored(
                &app,
                survey.id,
                &format!("a{i}"),
                *score,
                *waiting,
                now + later * 3600,
            )
        })
        .collect();
        app.state.store.insert_responses(&after).await.unwrap();
        let page = klantstem_core::actions::page(
            &app.state,
            &app.state
                .store
                .user_by_email("manager@example.nl")
                .await
                .unwrap()
                .unwrap()
                .info,
            id,
            Some(30),
            app::i18n::Locale::Nl,
        )
        .await
        .unwrap();
        let impact = page.impact.expect("done: measured");
        assert_eq!(impact.theme_nps.before.map(f64::round), Some(-100.0));
        assert_eq!(impact.theme_nps.after.map(f64::round), Some(100.0));
        assert_eq!(impact.other_nps.change.map(f64::round), Some(0.0));
        assert!(impact.difference_in_differences.change.unwrap() > 150.0);
        let (_, html) = app.get_html(&manager, &format!("/actions/{id}")).await;
        let main = main_of(&html);
        assert!(
            main.contains("Verschil in verschillen") || main.contains("verschil in verschillen"),
            "{main}"
        );
        assert!(main.contains("1 klanten kregen bericht"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_members_see_and_create_only_their_departments_actions() {
    each_app(|app| async move {
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        for name in ["Klantenservice", "Facturatie"] {
            app.post_html_form(&admin, "/api/departments/save", &[("name", name)])
                .await;
        }
        let setup = app.state.store.routing_setup().await.unwrap();
        let id_of = |n: &str| {
            setup
                .departments
                .iter()
                .find(|d| d.name == n)
                .unwrap()
                .id
                .to_string()
        };
        let (service, billing) = (id_of("Klantenservice"), id_of("Facturatie"));
        app.add_user("mo@example.nl", Role::Department).await;
        let mo_id = app
            .state
            .store
            .user_by_email("mo@example.nl")
            .await
            .unwrap()
            .unwrap()
            .info
            .id
            .to_string();
        app.post_html_form(
            &admin,
            "/api/departments/member",
            &[("department", &service), ("member", &mo_id), ("on", "1")],
        )
        .await;
        let mo = new_client();
        app.login(&mo, "mo@example.nl").await;
        let res = app
            .post_html_form(
                &admin,
                "/api/actions/create",
                &[("title", "Facturen uitleggen"), ("department", &billing)],
            )
            .await;
        let billing_action = location(&res);
        let res = app
            .post_html_form(
                &mo,
                "/api/actions/create",
                &[("title", "Wachtrij korter"), ("department", &billing)],
            )
            .await;
        assert_eq!(
            location(&res),
            "/actions?error=action_unknown_department",
            "not their department"
        );
        let res = app
            .post_html_form(
                &mo,
                "/api/actions/create",
                &[("title", "Wachtrij korter"), ("department", &service)],
            )
            .await;
        let own = location(&res);
        assert!(own.starts_with("/actions/"));
        let (status, _) = app.get_html(&mo, &own).await;
        assert_eq!(status, 200);
        let (status, page) = app.get_html(&mo, &billing_action).await;
        assert_eq!(status, 404);
        assert!(!page.contains("Facturen uitleggen"));
        let (_, page) = app.get_html(&mo, "/actions").await;
        let main = main_of(&page);
        assert!(main.contains("Wachtrij korter") && !main.contains("Facturen uitleggen"));
        let customer = app.logged_in("jan@example.nl", Role::Customer).await;
        let (status, _) = app.get_html(&customer, "/actions").await;
        assert_eq!(status, 403);
    })
    .await;
}
