//! What the security and durability review found, each pinned by a test on every backend:
//! HTML injection through `<textarea>` and `<title>`, answers lost while SQLite connections
//! open, malformed server-function arguments, drafts readable by anyone, loose embed origins,
//! the API disagreeing with its OpenAPI document, login lockout as a weapon, the same-origin
//! check ignoring the scheme, resumed imports miscounting, and `questions/change` on an
//! unknown question.

use crate::common::{
    backends, each_app, new_client, spawn_app_with, survey_form, TestApp, PASSWORD,
};
use app::backend::Settings;
use app::model::Role;

/// Closes every element a text can land in, then tries to run script and to leave the page.
const PAYLOAD: &str = "</textarea></title><script>alert(1)</script><meta http-equiv=refresh content=\"0;url=https://evil.example\"> & co";
const PAYLOAD_ESCAPED: &str = "&lt;/textarea&gt;&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;meta http-equiv=refresh content=\"0;url=https://evil.example\"&gt; &amp; co";

/// The payload is on the page as text and nowhere as markup.
fn assert_inert(html: &str, place: &str) {
    assert!(
        !html.contains("<script>alert(1)") && !html.contains("<meta http-equiv=refresh"),
        "{place}: injected markup in the HTML"
    );
    assert!(
        html.contains(PAYLOAD_ESCAPED),
        "{place}: the text is not shown escaped"
    );
}

async fn set_state(app: &TestApp, manager: &reqwest::Client, slug: &str, action: &str) {
    let res = app
        .post_html_form(
            manager,
            "/api/surveys/state",
            &[("slug", slug), ("action", action)],
        )
        .await;
    assert_eq!(res.status(), 302, "{action} {slug}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reason_in_the_link_stays_text() {
    each_app(|app| async move {
        let path =
            "/s/klantenservice?error=score_missing&reason=%3C%2Ftextarea%3E%3Cb%3Ex%3C%2Fb%3E";
        let (status, html) = app.get_html(&app.client, path).await;
        assert_eq!(status, 200);
        assert!(!html.contains("</textarea><b>x"), "reflected markup");
        assert!(html.contains("&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>"));

        let path = format!(
            "/s/klantenservice?error=score_missing&reason={}",
            app::url::percent_encode(PAYLOAD)
        );
        let (_, html) = app.get_html(&app.client, &path).await;
        assert_inert(&html, "reflected reason");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_texts_with_markup_stay_text_for_staff_and_respondents() {
    each_app(|app| async move {
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let title = "</title><meta http-equiv=refresh content=0;url=https://evil.example> & co";
        let res = app
            .post_html_form(
                &manager,
                "/api/surveys/save",
                &survey_form(&[
                    ("title_nl", title),
                    ("intro_nl", PAYLOAD),
                    ("followup_detractor_nl", PAYLOAD),
                    ("thanks_nl", PAYLOAD),
                ]),
            )
            .await;
        assert_eq!(res.status(), 302, "saved");
        let res = app
            .post_html_form(
                &manager,
                "/api/questions/add",
                &[
                    ("slug", "balie"),
                    ("kind", "single"),
                    ("label_nl", "Hoe kwam u bij ons?"),
                    ("options_nl", &format!("{PAYLOAD}\nTelefoon")),
                ],
            )
            .await;
        assert_eq!(res.status(), 302, "question added");

        // The editor shows every text in a textarea.
        let (status, html) = app.get_html(&manager, "/admin/surveys/balie").await;
        assert_eq!(status, 200);
        assert_inert(&html, "survey editor");
        assert!(html.contains("&lt;/title&gt;&lt;meta http-equiv=refresh"));

        set_state(&app, &manager, "balie", "open").await;
        let escaped_title =
            "<title>&lt;/title&gt;&lt;meta http-equiv=refresh content=0;url=https://evil.example&gt; &amp; co · ";
        for path in ["/s/balie", "/s/balie/3"] {
            let (status, html) = app.get_html(&app.client, path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains(escaped_title), "{path}: title not escaped");
            assert!(!html.contains("<meta http-equiv=refresh"), "{path}");
            assert_inert(&html, path);
        }
        let (_, html) = app.get_html(&app.client, "/s/balie/thanks").await;
        assert_inert(&html, "thank-you page");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn theme_keywords_echoed_after_an_error_stay_text() {
    each_app(|app| async move {
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        let path = format!(
            "/admin/themes/new?echo=1&keywords_nl={0}&exclusions_en={0}",
            app::url::percent_encode(PAYLOAD)
        );
        let (status, html) = app.get_html(&admin, &path).await;
        assert_eq!(status, 200);
        assert_inert(&html, "theme editor");
        assert_eq!(html.matches(PAYLOAD_ESCAPED).count(), 2, "both textareas");
    })
    .await;
}

/// A fresh server hit by a burst of answers at once (the pool opening its connections) answers
/// every one; before, `PRAGMA journal_mode` on each new connection made some fail with
/// "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_answers_on_a_fresh_server_is_stored_in_full() {
    each_app(|app| async move {
        let app = std::sync::Arc::new(app);
        let mut tasks = Vec::new();
        for i in 0..32 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let client = new_client();
                let token = format!("{i:032}");
                let res = app
                    .post_fn(
                        &client,
                        "/api/survey/submit",
                        &[
                            ("slug", "klantenservice"),
                            ("score", "8"),
                            ("reason", "Prima geholpen aan de telefoon."),
                            ("lang", "nl"),
                            ("token", token.as_str()),
                        ],
                    )
                    .await;
                let status = res.status().as_u16();
                (status, res.text().await.unwrap_or_default())
            }));
        }
        for task in tasks {
            let (status, body) = task.await.unwrap();
            assert!(status < 400, "answer refused: {status} {body}");
        }
        assert_eq!(app.response_count().await, 32);
    })
    .await;
}

/// Server functions that anyone may call, and arguments no form sends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_server_function_arguments_get_400_with_the_reason() {
    each_app(|app| async move {
        let cases: [(&str, &[u8]); 8] = [
            ("/api/survey/form", b"slug=a&slug=b"),
            ("/api/survey/form", b"slug[x]=a"),
            (
                "/api/survey/submit",
                b"slug=klantenservice&score=9&answers=foo",
            ),
            ("/api/survey/submit", b"slug=a&slug=b&score=9"),
            ("/api/auth/login", b"email=a&email=b&password=x"),
            ("/api/auth/login", b"email[x]=a&password=x"),
            ("/api/import/status", b"id=abc"),
            ("/api/themes/overview", b"days=-1"),
        ];
        for (path, body) in cases {
            let res = app
                .client
                .post(app.url(path))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let text = res.text().await.unwrap();
            assert_eq!(
                status,
                400,
                "{path} {:?}: {text}",
                String::from_utf8_lossy(body)
            );
            assert!(text.contains("Malformed"), "{path}: {text}");
        }
        // Invalid UTF-8 as raw bytes, not percent-encoded.
        let res = app
            .client
            .post(app.url("/api/survey/form"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(b"slug=\xff\xfe".to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_closed_and_archived_surveys_show_nothing_of_themselves_to_respondents() {
    each_app(|app| async move {
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let res = app
            .post_html_form(&manager, "/api/surveys/save", &survey_form(&[]))
            .await;
        assert_eq!(res.status(), 302);
        let customer = app.logged_in("klant@example.nl", Role::Customer).await;

        // A draft: not found, and not one of its texts.
        for client in [&app.client, &customer] {
            let (status, html) = app.get_html(client, "/s/balie").await;
            assert_eq!(status, 404);
            assert!(html.contains("Deze vragenlijst is gesloten"));
            for secret in ["Uw bezoek aan de balie", "Twee vragen", "www.example.nl"] {
                assert!(!html.contains(secret), "draft shows {secret:?}");
            }
            let res = app
                .post_fn(client, "/api/survey/form", &[("slug", "balie")])
                .await;
            assert_eq!(res.status(), 404);
            let body = res.text().await.unwrap();
            assert!(
                !body.contains("balie") || !body.contains("Twee vragen"),
                "{body}"
            );
            let (status, _) = app.get_html(client, "/s/balie/9").await;
            assert_eq!(status, 404);
        }
        // The frame-ancestors of a draft are not given away either.
        let res = app.client.get(app.url("/s/balie")).send().await.unwrap();
        let csp = res.headers()["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("example.nl"), "{csp}");

        // Those who manage surveys see a preview.
        let (status, html) = app.get_html(&manager, "/s/balie").await;
        assert_eq!(status, 200);
        assert!(html.contains("Twee vragen, een halve minuut."));

        // Open: respondents see the form, and its data carries only what they need.
        set_state(&app, &manager, "balie", "open").await;
        let (status, html) = app.get_html(&app.client, "/s/balie").await;
        assert_eq!(status, 200);
        assert!(html.contains("Twee vragen, een halve minuut."));
        let res = app
            .post_fn(&app.client, "/api/survey/form", &[("slug", "balie")])
            .await;
        assert_eq!(res.status(), 200);
        let form: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        let survey = form["survey"].as_object().unwrap();
        let mut keys: Vec<&str> = survey.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["open", "slug", "texts", "title_en", "title_nl"]);

        // Closed again, then archived: gone for respondents.
        for action in ["close", "archive"] {
            set_state(&app, &manager, "balie", action).await;
            let (status, html) = app.get_html(&app.client, "/s/balie").await;
            assert_eq!(status, 404, "{action}");
            assert!(!html.contains("Twee vragen"), "{action}");
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_exact_local_hosts_may_embed_over_http() {
    each_app(|app| async move {
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        for origin in [
            "http://127.0.0.1.evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1:8080.evil.example",
        ] {
            let res = app
                .post_fn(
                    &manager,
                    "/api/surveys/save",
                    &survey_form(&[("embed_origins", origin)]),
                )
                .await;
            assert_eq!(res.status(), 422, "{origin}");
            assert!(res.text().await.unwrap().contains("OriginInvalid"));
        }
        let res = app
            .post_fn(
                &manager,
                "/api/surveys/save",
                &survey_form(&[("embed_origins", "http://127.0.0.1:8080\nhttp://[::1]:3000")]),
            )
            .await;
        assert_eq!(res.status(), 200);
    })
    .await;
}

/// Five wrong passwords slow down the client that typed them, never the account's owner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_cannot_lock_an_account_out() {
    for backend in backends() {
        let settings = Settings {
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..Settings::default()
        };
        let app = spawn_app_with(backend, settings).await;
        app.add_user("admin@example.nl", Role::Admin).await;
        let login = |client: &str, password: &str| {
            let req = app
                .client
                .post(app.url("/api/auth/login"))
                .header("x-forwarded-for", client)
                .form(&[("email", "admin@example.nl"), ("password", password)]);
            async move { req.send().await.unwrap() }
        };
        for _ in 0..5 {
            assert_eq!(login("203.0.113.66", "wrong").await.status(), 401);
        }
        // The attacker's address now waits, even with the right password.
        let res = login("203.0.113.66", PASSWORD).await;
        assert_eq!(res.status(), 429);
        let wait: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=5).contains(&wait), "{wait}");
        assert!(res.text().await.unwrap().contains("RateLimited"));
        // The admin, at their own address, logs in.
        let res = login("198.51.100.20", PASSWORD).await;
        assert_eq!(res.status(), 200, "the owner is locked out");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_origin_check_compares_the_scheme() {
    each_app(|app| async move {
        let post = |origin: String| {
            app.client
                .post(app.url("/api/auth/logout"))
                .header("origin", origin)
                .send()
        };
        let other_scheme = app.base.replace("http://", "https://");
        let res = post(other_scheme).await.unwrap();
        assert_eq!(res.status(), 403);
        assert_eq!(res.text().await.unwrap(), "Cross-site request refused.");
        let res = post(app.base.clone()).await.unwrap();
        assert_ne!(res.status(), 403);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_an_unknown_question_is_not_found() {
    each_app(|app| async move {
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        for action in ["up", "down", "remove"] {
            let res = app
                .post_fn(
                    &manager,
                    "/api/questions/change",
                    &[
                        ("slug", "klantenservice"),
                        ("id", "999999"),
                        ("action", action),
                    ],
                )
                .await;
            assert_eq!(res.status(), 404, "{action}");
        }
    })
    .await;
}

/// An import cut off after its first batch goes on where it was: the rows it stored before the
/// restart count as created, not as duplicates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_import_counts_its_own_rows_as_created() {
    use app::backend::NewImport;
    use app::import::{content_hash, guess_mapping, parse_csv, run_import, BATCH_ROWS};
    each_app(|app| async move {
        let rows = BATCH_ROWS * 2 + 100;
        let mut csv = String::from("external_id;score;comment\n");
        for i in 0..rows {
            csv.push_str(&format!("row-{i};{};Regel {i}\n", i % 11));
        }
        // One bad row in the first batch: its problem stays in the report after the resume.
        csv = csv.replacen("row-7;7;", "row-7;77;", 1);
        let store = &app.state.store;
        let create = |content: String| async move {
            let table = parse_csv(&content).unwrap();
            let mut mapping = guess_mapping(&table.headers);
            mapping.survey = Some("klantenservice".into());
            let id = store
                .create_import(&NewImport {
                    created_by: None,
                    created_at: app::backend::now_unix(),
                    filename: "export.csv".into(),
                    content_hash: content_hash(&content),
                    content: content.clone(),
                })
                .await
                .unwrap();
            let mapping = serde_json::to_string(&mapping).unwrap();
            let lease = app::import::lease(app::backend::now_unix());
            assert!(store
                .start_import(id, &mapping, table.rows.len() as u64, &lease)
                .await
                .unwrap());
            (id, lease)
        };
        // What the first run stored before the restart: the first batch, recorded as done.
        let first_batch: String = csv
            .lines()
            .take(BATCH_ROWS + 1)
            .collect::<Vec<_>>()
            .join("\n");
        let (earlier, lease) = create(first_batch).await;
        run_import(app.state.clone(), earlier, lease).await.unwrap();
        let (import, lease) = create(csv.clone()).await;
        store
            .import_progress(import, BATCH_ROWS as u64, BATCH_ROWS as u64 - 1, 0, 1)
            .await
            .unwrap();
        // The restart resumes it.
        run_import(app.state.clone(), import, lease).await.unwrap();
        let record = store.import_record(import).await.unwrap().unwrap();
        let s = record.summary;
        assert_eq!(
            (
                s.status.as_str(),
                s.processed,
                s.created,
                s.duplicates,
                s.failed
            ),
            ("done", rows as u64, rows as u64 - 1, 0, 1)
        );
        assert!(record.report.unwrap_or_default().contains("\"line\":9"));
        assert_eq!(app.response_count().await, rows as u64 - 1);
    })
    .await;
}
