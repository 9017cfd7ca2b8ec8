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
        let (_, token) = app.api_token(&admin, "Labels").await;
        let post = |body: Value| {
            let (app, token) = (&app, token.clone());
            async move { app.post_responses(&token, &body).await }
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
                sentiment_confidence: Some(0.5),
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

/// Stores `texts` with a person's sentiment label each, as an API client would send them.
async fn labelled(app: &crate::common::TestApp, texts: &[(String, &str)]) {
    use app::backend::{HumanLabels, NewResponse};
    let survey = app
        .state
        .store
        .survey_by_slug("klantenservice")
        .await
        .unwrap()
        .unwrap();
    let batch: Vec<NewResponse> = texts
        .iter()
        .map(|(text, label)| {
            let a = app
                .state
                .analyzer
                .analyze(text, Some(app::i18n::Locale::Nl));
            let automatic = a.sentiment.as_ref().map(|s| s.0.clone());
            NewResponse {
                survey_id: survey.id,
                submission_token: format!("label-{text}"),
                score: None,
                rating: None,
                reason: Some(text.clone()),
                language: Some("nl".into()),
                language_confidence: Some(0.9),
                respondent_locale: "nl".into(),
                channel: Some("email".into()),
                journey_phase: None,
                contact_email: None,
                created_at: klantstem_core::now_unix(),
                sentiment: Some(label.to_string()),
                sentiment_score: a.sentiment.map(|s| s.1),
                sentiment_confidence: Some(1.0),
                themes: a.themes,
                taxonomy_version: a.taxonomy_version,
                source: "api".into(),
                customer_hash: None,
                customer_ref: None,
                consent: None,
                entered_by: None,
                answers: Vec::new(),
                labels: HumanLabels {
                    sentiment: Some((label.to_string(), automatic)),
                    themes: Vec::new(),
                },
            }
        })
        .collect();
    app.state.store.insert_responses(&batch).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_learned_from_labels_tags_texts_only_where_it_beats_the_lexicon() {
    use klantstem_core::labels::{retrain, Training};
    each_app(|app| async move {
        // Labels that agree with the lexicon: a model cannot do better, so it is not used.
        let mut texts: Vec<(String, &str)> = Vec::new();
        for i in 0..40 {
            texts.push((format!("Het was geweldig, dank u wel ({i})."), "positive"));
            texts.push((
                format!("Het was heel slecht en erg teleurstellend ({i})."),
                "negative",
            ));
        }
        labelled(&app, &texts).await;
        let report = retrain(&app.state, Training::LabelsChanged)
            .await
            .unwrap()
            .expect("80 labels: a model is trained");
        assert!(!report.in_force, "{report:?}");
        assert_eq!(report.lexicon_accuracy, 1.0);
        assert_eq!(report.trained_on + report.held_out, 80);

        // The installation's own words ("zwurg" complaints, "plimp" praise), which no lexicon
        // knows: the model learns them and beats the lexicon on the held-out labels.
        let mut texts: Vec<(String, &str)> = Vec::new();
        for i in 0..60 {
            texts.push((format!("De bezorging was zwurg, pakket {i}."), "negative"));
            texts.push((format!("De bezorging was plimp, pakket {i}."), "positive"));
        }
        labelled(&app, &texts).await;
        let report = retrain(&app.state, Training::LabelsChanged)
            .await
            .unwrap()
            .expect("more labels: trained again");
        assert!(report.in_force, "{report:?}");
        assert!(
            report.learned_accuracy > report.lexicon_accuracy + 0.2,
            "{report:?}"
        );
        assert!(
            retrain(&app.state, Training::LabelsChanged)
                .await
                .unwrap()
                .is_none(),
            "no new labels, no training"
        );
        // A relabel, with the number of labels unchanged, trains again.
        app.add_user("manager@example.nl", Role::Manager).await;
        let manager = app
            .state
            .store
            .user_by_email("manager@example.nl")
            .await
            .unwrap()
            .unwrap()
            .info
            .id;
        let first = app.state.store.labelled_texts(1).await.unwrap()[0].clone();
        let flipped = if first.sentiment == "negative" {
            "positive"
        } else {
            "negative"
        };
        app.state
            .store
            .label_sentiment(
                first.response_id,
                flipped,
                manager,
                klantstem_core::now_unix(),
            )
            .await
            .unwrap();
        let report = retrain(&app.state, Training::LabelsChanged)
            .await
            .unwrap()
            .expect("a relabel: trained again");
        assert_eq!(report.trained_on + report.held_out, 200);
        assert!(report.in_force, "{report:?}");
        // New texts are tagged by it; the stored ones wait to be tagged again.
        let a = app.state.analyzer.analyze(
            "Mijn bezorging was weer zwurg.",
            Some(app::i18n::Locale::Nl),
        );
        assert_eq!(a.sentiment.map(|s| s.0).as_deref(), Some("negative"));
        let version = app.state.analyzer.taxonomy().0;
        let (pending, _) = app.state.store.tagging_progress(version).await.unwrap();
        assert!(pending >= 200, "every text is tagged again: {pending}");

        // After a restart the same labels give the same model.
        let fresh = server::analysis::LiveAnalyzer::new(version, &app.state.analyzer.taxonomy().1);
        let labels = app.state.store.labelled_texts(20_000).await.unwrap();
        use app::backend::Analyzer;
        assert_eq!(fresh.train_sentiment(&labels), Some(report));

        // Admins see how it does.
        let m = new_client();
        app.login(&m, "manager@example.nl").await;
        let (_, html) = app.get_html(&m, "/review").await;
        assert!(html.contains("Eigen sentimentmodel in gebruik:"), "{html}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn themes_suggest_keywords_from_the_texts_people_tagged_and_an_admin_accepts_one() {
    each_app(|app| async move {
        app.add_user("admin@example.nl", Role::Admin).await;
        let admin = new_client();
        app.login(&admin, "admin@example.nl").await;
        let (_, token) = app.api_token(&admin, "Labels").await;
        // Texts a person tagged "waiting time" that its keywords miss, and others.
        let mut records: Vec<Value> = (0..6)
            .map(|i| {
                json!({ "survey": "klantenservice", "language": "nl", "themes": "waiting_time",
                        "comment": format!("Het duurde eindeloos voordat iemand opnam, keer {i}.") })
            })
            .collect();
        records.extend((0..20).map(|i| {
            json!({ "survey": "klantenservice", "language": "nl",
                    "comment": format!("De bezorger was vriendelijk en netjes, pakket {i}.") })
        }));
        let res = app
            .client
            .post(app.url("/api/v1/responses"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(json!({ "responses": records }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);

        let (status, html) = app.get_html(&admin, "/admin/themes/waiting_time").await;
        assert_eq!(status, 200);
        assert!(html.contains("Voorgestelde trefwoorden"), "{html}");
        assert!(html.contains("<strong>eindeloos</strong>"));
        assert!(html.contains("in 6 van 6 door mensen getagde teksten, in 0 van 20 andere"));
        assert!(!html.contains("<strong>bezorger</strong>"));

        let version = app.state.analyzer.taxonomy().0;
        let res = accept(&app, &admin, version, "eindeloos").await;
        assert_eq!(res.status(), 302);
        let (after, taxonomy) = app.state.analyzer.taxonomy();
        assert_eq!(after, version + 1, "a new taxonomy version");
        let keywords = &taxonomy
            .theme("waiting_time")
            .unwrap()
            .terms_for("nl")
            .unwrap()
            .keywords;
        assert!(keywords.contains(&"eindeloos".to_string()));
        // Accepted, it is no longer suggested; an outdated version is refused.
        let (_, html) = app.get_html(&admin, "/admin/themes/waiting_time").await;
        assert!(!html.contains("<strong>eindeloos</strong>"));
        let res = accept(&app, &admin, version, "opnam").await;
        assert_eq!(res.status(), 303, "back to the form with the error");
        // Managers see themes read-only: no accepting.
        app.add_user("manager@example.nl", Role::Manager).await;
        let m = new_client();
        app.login(&m, "manager@example.nl").await;
        let res = accept(&app, &m, after, "opnam").await;
        assert_eq!(res.status(), 403);
    })
    .await;
}

/// Accepts `word` as a Dutch keyword of "waiting time" in taxonomy `version`, as `client`.
async fn accept(
    app: &crate::common::TestApp,
    client: &reqwest::Client,
    version: i64,
    word: &str,
) -> reqwest::Response {
    let version = version.to_string();
    app.post_html_form(
        client,
        "/api/themes/keyword",
        &[
            ("version", version.as_str()),
            ("key", "waiting_time"),
            ("language", "nl"),
            ("word", word),
        ],
    )
    .await
}

/// The sentiment with which a text speaks of a theme, labelled by a person, is certain: the
/// dashboard's "mentioned negatively" counts it and says on how many mentions it rests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_theme_sentiment_label_counts_in_the_dashboards_negative_share() {
    each_app(|app| async move {
        app.add_user("admin@example.nl", Role::Admin).await;
        let admin = new_client();
        app.login(&admin, "admin@example.nl").await;
        let (_, token) = app.api_token(&admin, "Labels").await;
        // No opinion words: the lexicon is unsure, so the mention does not count yet.
        let (status, body) = app
            .post_responses(
                &token,
                &json!({ "survey": "klantenservice", "score": 3, "language": "nl",
                         "comment": "Ik heb drie kwartier in de wacht gestaan." }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_i64().unwrap();
        let v = app.state.store.response(id).await.unwrap().unwrap();
        let tag = v.themes.iter().find(|t| t.key == "waiting_time").unwrap();
        assert!(
            !app::text_labels::confident(tag.confidence),
            "unsure: {tag:?}"
        );
        let row = |html: &str| {
            let start = html
                .find("data-theme=\"waiting_time\"")
                .expect("the theme's row");
            let end = start + html[start..].find("</tr>").unwrap();
            html[start..end].to_string()
        };
        let (_, html) = app.get_html(&admin, "/dashboard").await;
        assert!(row(&html).contains("(op 0)"), "{}", row(&html));

        let res = app
            .post_html_form(
                &admin,
                "/api/labels/theme-sentiment",
                &[
                    ("id", id.to_string().as_str()),
                    ("key", "waiting_time"),
                    ("sentiment", "negatief"),
                ],
            )
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], format!("/responses/{id}"));
        let (_, html) = app.get_html(&admin, "/dashboard").await;
        let waiting = row(&html);
        assert!(
            waiting.contains("100%") && waiting.contains("(op 1)"),
            "{waiting}"
        );
        let (_, html) = app.get_html(&admin, &format!("/responses/{id}")).await;
        assert!(html.contains("gelabeld door een mens"), "{html}");

        // A theme the text does not carry, a word that is no sentiment, a role without access.
        let label = |client, key: &'static str, sentiment: &'static str| {
            let app = &app;
            async move {
                app.post_html_form(
                    client,
                    "/api/labels/theme-sentiment",
                    &[
                        ("id", id.to_string().as_str()),
                        ("key", key),
                        ("sentiment", sentiment),
                    ],
                )
                .await
                .status()
            }
        };
        assert_eq!(label(&admin, "parking", "negative").await, 404);
        assert_eq!(label(&admin, "waiting_time", "boos").await, 400);
        app.add_user("dept@example.nl", Role::Department).await;
        let dept = new_client();
        app.login(&dept, "dept@example.nl").await;
        assert_eq!(label(&dept, "waiting_time", "positive").await, 403);
    })
    .await;
}

/// Theme labels teach a theme model: texts people tagged "waiting time" that its keywords miss
/// make a model that beats the keywords on the held-out ones; it then finds the theme in new
/// texts, every text is tagged again, and the theme's page says how it does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_theme_model_learned_from_theme_labels_finds_what_the_keywords_miss() {
    use klantstem_core::labels::{retrain_themes, Training};
    each_app(|app| async move {
        app.add_user("admin@example.nl", Role::Admin).await;
        let admin = new_client();
        app.login(&admin, "admin@example.nl").await;
        let (_, token) = app.api_token(&admin, "Labels").await;
        let mut records: Vec<Value> = (0..40)
            .map(|i| {
                json!({ "survey": "klantenservice", "language": "nl", "themes": "waiting_time",
                        "comment": format!("Het duurde eindeloos voordat iemand opnam, keer {i}.") })
            })
            .collect();
        records.extend((0..40).map(|i| {
            json!({ "survey": "klantenservice", "language": "nl", "themes": "delivery",
                    "comment": format!("Het pakket werd netjes bezorgd, zending {i}.") })
        }));
        let (status, body) = app
            .post_responses(&token, &json!({ "responses": records }))
            .await;
        assert_eq!(status, 201, "{body}");
        let before = app.state.analyzer.analyze(
            "Het duurde weer eindeloos.",
            Some(app::i18n::Locale::Nl),
        );
        assert!(
            !before.themes.iter().any(|t| t.key == "waiting_time"),
            "the keywords miss it"
        );

        let reports = retrain_themes(&app.state, Training::LabelsChanged)
            .await
            .unwrap()
            .expect("theme labels: models are trained");
        let waiting = reports.iter().find(|r| r.key == "waiting_time").unwrap();
        assert!(waiting.in_force, "{waiting:?}");
        assert!(
            waiting.learned_f1 > waiting.keywords_f1 + 0.5,
            "{waiting:?}"
        );
        let delivery = reports.iter().find(|r| r.key == "delivery").unwrap();
        assert!(
            !delivery.in_force,
            "the keywords find every delivery text already: {delivery:?}"
        );
        let after = app.state.analyzer.analyze(
            "Het duurde weer eindeloos.",
            Some(app::i18n::Locale::Nl),
        );
        assert!(
            after.themes.iter().any(|t| t.key == "waiting_time"),
            "{after:?}"
        );
        let version = app.state.analyzer.taxonomy().0;
        let (pending, _) = app.state.store.tagging_progress(version).await.unwrap();
        assert!(pending >= 80, "every text is tagged again: {pending}");
        assert!(
            retrain_themes(&app.state, Training::LabelsChanged)
                .await
                .unwrap()
                .is_none(),
            "the same labels: no training"
        );

        let (_, html) = app.get_html(&admin, "/admin/themes/waiting_time").await;
        assert!(
            html.contains("Het eigen model voor dit thema is in gebruik"),
            "{html}"
        );
    })
    .await;
}
