//! Extra survey questions over HTTP, on every backend: building them, answering them (with and
//! without JavaScript), their errors, and retiring answered questions without losing answers.

use crate::common::{each_app, new_client, TestApp};
use app::model::Role;

async fn manager(app: &TestApp) -> reqwest::Client {
    app.add_user("manager@example.nl", Role::Manager).await;
    let client = new_client();
    app.login(&client, "manager@example.nl").await;
    client
}

/// Adds the four kinds of question to the "winkel" survey; returns their ids in order.
async fn build(app: &TestApp, m: &reqwest::Client) -> Vec<i64> {
    for form in [
        vec![
            ("kind", "csat"),
            ("required", "yes"),
            ("label_nl", "Hoe tevreden bent u over de winkel?"),
            ("label_en", "How satisfied are you with the store?"),
        ],
        vec![
            ("kind", "single"),
            ("label_nl", "Hoe kwam u bij ons?"),
            ("options_nl", "Te voet\nMet de auto\nMet de fiets"),
            ("options_en", "On foot\nBy car\nBy bike"),
        ],
        vec![
            ("kind", "multiple"),
            ("label_nl", "Wat kocht u?"),
            ("options_nl", "Kleding\nSchoenen\nTassen"),
        ],
        vec![("kind", "text"), ("label_nl", "Nog iets?")],
    ] {
        let mut form = form;
        form.push(("slug", "winkel"));
        let res = app.post_html_form(m, "/api/questions/add", &form).await;
        assert_eq!(res.status(), 302, "{form:?}");
        assert_eq!(res.headers()["location"], "/admin/surveys/winkel");
    }
    let id = app
        .state
        .store
        .survey_by_slug("winkel")
        .await
        .unwrap()
        .unwrap()
        .id;
    app.state
        .store
        .survey_questions(id)
        .await
        .unwrap()
        .iter()
        .map(|q| q.id)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_answer_the_extra_questions_and_staff_see_the_answers() {
    each_app(|app| async move {
        let m = manager(&app).await;
        let q = build(&app, &m).await;
        assert_eq!(q.len(), 4);
        let (_, html) = app.get_html(&m, "/admin/surveys/winkel").await;
        assert!(
            html.contains("Hoe kwam u bij ons?")
                && html.contains("Te voet / Met de auto / Met de fiets")
        );

        let (_, page) = app.get_html(&app.client, "/s/winkel").await;
        assert!(page.contains("Hoe tevreden bent u over de winkel?"));
        assert!(page.contains(&format!("name=\"answers[q{}]\" value=\"5\"", q[0])));
        assert!(page.contains(&format!("name=\"answers[q{}_2]\"", q[2])));
        let (_, en) = app.get_html(&new_client(), "/s/winkel?lang=en").await;
        assert!(
            en.contains("By bike") && en.contains("Kleding"),
            "options fall back per language"
        );

        let (c, s, mu, tx) = (
            format!("answers[q{}]", q[0]),
            format!("answers[q{}]", q[1]),
            format!("answers[q{}_0]", q[2]),
            format!("answers[q{}]", q[3]),
        );
        let mu2 = format!("answers[q{}_2]", q[2]);
        let base = [
            ("slug", "winkel"),
            ("score", "9"),
            ("reason", "Fijne winkel"),
            ("lang", "nl"),
        ];
        // A required question left open, or an impossible answer: refused, nothing stored.
        let mut form: Vec<(&str, &str)> = base.to_vec();
        form.push((s.as_str(), "1"));
        let res = app.post_fn(&app.client, "/api/survey/submit", &form).await;
        assert_eq!(res.status(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains(&format!("\"Missing\":{}", q[0])));
        let mut form: Vec<(&str, &str)> = base.to_vec();
        form.push((c.as_str(), "6"));
        let res = app
            .post_html_form(&app.client, "/api/survey/submit", &form)
            .await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.contains(&format!("answer.invalid.{}", q[0])),
            "{location}"
        );
        let (_, html) = app.get_html(&app.client, &location).await;
        assert!(html.contains("Dit antwoord kan niet"));
        assert_eq!(app.response_count().await, 0);

        let mut form: Vec<(&str, &str)> = base.to_vec();
        form.extend([
            (c.as_str(), "4"),
            (s.as_str(), "2"),
            (mu.as_str(), "on"),
            (mu2.as_str(), "on"),
            (tx.as_str(), "Bel me: 0612345678"),
        ]);
        let res = app
            .post_html_form(&app.client, "/api/survey/submit", &form)
            .await;
        assert_eq!(res.status(), 302);
        let id = app.state.store.latest_verbatims(1).await.unwrap()[0].id;
        let (_, detail) = app.get_html(&m, &format!("/responses/{id}")).await;
        for shown in ["4 / 5", "Met de fiets", "Kleding, Tassen", "Bel me: [tel]"] {
            assert!(detail.contains(shown), "{shown}");
        }

        // Labels of answered questions can be fixed and options added; existing options stay.
        let update = |options: &'static str| {
            let id = q[1].to_string();
            let m = m.clone();
            let url = app.url("/api/questions/update");
            async move {
                m.post(url)
                    .form(&[
                        ("slug", "winkel"),
                        ("id", id.as_str()),
                        ("label_nl", "Hoe kwam u naar de winkel?"),
                        ("options_nl", options),
                        ("options_en", "On foot\nBy car\nBy bike"),
                    ])
                    .send()
                    .await
                    .unwrap()
            }
        };
        let res = update("Te voet\nMet de auto").await;
        assert_eq!(res.status(), 422, "an answered option cannot go");
        assert!(res.text().await.unwrap().contains("Frozen"));
        // Without JavaScript the editor says why, in Dutch.
        let question = q[1].to_string();
        for (options, code, says) in [
            (
                "Te voet",
                "question_options",
                "Een keuzevraag heeft 2 tot 20 opties",
            ),
            (
                "Te voet\nMet de auto",
                "question_frozen",
                "Deze vraag is al beantwoord: opties kunnen er alleen bij komen",
            ),
        ] {
            let res = app
                .post_html_form(
                    &m,
                    "/api/questions/update",
                    &[
                        ("slug", "winkel"),
                        ("id", question.as_str()),
                        ("label_nl", "Hoe kwam u naar de winkel?"),
                        ("options_nl", options),
                    ],
                )
                .await;
            assert_eq!(res.status(), 303);
            let location = res.headers()["location"].to_str().unwrap().to_string();
            assert_eq!(location, format!("/admin/surveys/winkel?error={code}"));
            let (_, page) = app.get_html(&m, &location).await;
            assert!(page.contains(says), "{code}");
        }
        let res = update("Te voet\nMet de auto\nMet de fiets\nMet de bus").await;
        assert_eq!(res.status(), 200);
        let (_, page) = app.get_html(&new_client(), "/s/winkel").await;
        assert!(page.contains("Hoe kwam u naar de winkel?") && page.contains("Met de bus"));

        // Removing answered questions hides them from the form; the answers stay.
        let res = app
            .post_fn(
                &m,
                "/api/questions/change",
                &[
                    ("slug", "winkel"),
                    ("id", &q[0].to_string()),
                    ("action", "remove"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let (_, page) = app.get_html(&new_client(), "/s/winkel").await;
        assert!(!page.contains("Hoe tevreden bent u over de winkel?"));
        let (_, detail) = app.get_html(&m, &format!("/responses/{id}")).await;
        assert!(detail.contains("4 / 5"));
        assert_eq!(app.state.store.response_answers(id).await.unwrap().len(), 4);

        // A copy of the survey asks the same questions, without the retired one.
        app.post_fn(
            &m,
            "/api/surveys/state",
            &[("slug", "winkel"), ("action", "duplicate")],
        )
        .await;
        let copy = app
            .state
            .store
            .survey_by_slug("winkel-2")
            .await
            .unwrap()
            .unwrap();
        let asked: Vec<String> = app
            .state
            .store
            .survey_questions(copy.id)
            .await
            .unwrap()
            .into_iter()
            .map(|q| q.texts.label_nl)
            .collect();
        assert_eq!(
            asked,
            ["Hoe kwam u naar de winkel?", "Wat kocht u?", "Nog iets?"]
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_are_checked_ordered_and_only_staff_change_them() {
    each_app(|app| async move {
        let m = manager(&app).await;
        let q = build(&app, &m).await;
        let res = app
            .post_html_form(
                &m,
                "/api/questions/add",
                &[
                    ("slug", "winkel"),
                    ("kind", "single"),
                    ("label_nl", "Eén optie"),
                    ("options_nl", "Alleen deze"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error="));
        let res = app
            .post_fn(
                &m,
                "/api/questions/add",
                &[("slug", "winkel"), ("kind", "essay"), ("label_nl", "x")],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("KindUnknown"));
        let res = app
            .post_fn(
                &m,
                "/api/questions/add",
                &[("slug", "nope"), ("kind", "text"), ("label_nl", "x")],
            )
            .await;
        assert_eq!(res.status(), 404);
        // Unanswered questions are deleted; order changes by moving.
        let res = app
            .post_fn(
                &m,
                "/api/questions/change",
                &[
                    ("slug", "winkel"),
                    ("id", &q[3].to_string()),
                    ("action", "up"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let res = app
            .post_fn(
                &m,
                "/api/questions/change",
                &[
                    ("slug", "winkel"),
                    ("id", &q[0].to_string()),
                    ("action", "remove"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        let sid = app
            .state
            .store
            .survey_by_slug("winkel")
            .await
            .unwrap()
            .unwrap()
            .id;
        let ids: Vec<i64> = app
            .state
            .store
            .survey_questions(sid)
            .await
            .unwrap()
            .iter()
            .map(|x| x.id)
            .collect();
        assert_eq!(ids, [q[1], q[3], q[2]]);
        // Another survey's question is not this survey's to change.
        let res = app
            .post_fn(
                &m,
                "/api/questions/change",
                &[
                    ("slug", "webshop"),
                    ("id", &q[1].to_string()),
                    ("action", "remove"),
                ],
            )
            .await;
        assert_eq!(res.status(), 404);

        app.add_user("klant@example.nl", Role::Customer).await;
        let customer = new_client();
        app.login(&customer, "klant@example.nl").await;
        let res = app
            .post_fn(
                &customer,
                "/api/questions/add",
                &[("slug", "winkel"), ("kind", "text"), ("label_nl", "x")],
            )
            .await;
        assert_eq!(res.status(), 403);
    })
    .await;
}
