//! Stored markup: a probe that would close a script and open elements is typed into every kind
//! of text field, the way each really arrives — the survey form, the responses API, a CSV file
//! (a cell and a column name), the idea board (a customer's name, idea and comment), and the
//! staff forms (survey texts, question, options, theme, department, routing rule, board,
//! action, note, reply, webhook, API token). Then every page reachable from the staff's and a
//! customer's start pages is crawled, on SQLite and PostgreSQL: the probe is shown as text on
//! the pages that show those fields and is an element on none. (Mails are plain text only;
//! CSV exports are checked for formulas in `responses.rs`; Chromium checks the hydrated DOM in
//! `end2end/tests/xss.spec.ts`.)

use crate::common::{backends, new_client, spawn_app, TestApp, PASSWORD};
use app::model::Role;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Quotes (escaped inside the JSON that hydration data is), a script's end and two elements.
const PROBE: &str = r#"</script><b id="xss">probe</b><img src=x onerror="alert(1)">"#;
/// What would mean the probe became markup: an element, or a script ended early.
const AS_MARKUP: [&str; 3] = [r#"<b id="xss">"#, r#"onerror="alert(1)">"#, "</script><b"];
/// How the probe reads when it is text in HTML.
const AS_TEXT: [&str; 2] = [
    "&lt;b id=\"xss\"&gt;probe",
    "&lt;b id=&quot;xss&quot;&gt;probe",
];

/// Where crawling starts: every menu entry of staff and customers.
const START: &[&str] = &[
    "/dashboard",
    "/dashboard/ideas",
    "/dashboard/report",
    "/responses",
    "/review",
    "/inbox",
    "/inbox?cases=1",
    "/actions",
    "/ideas",
    "/roadmap",
    "/changelog",
    "/admin/ideas",
    "/admin/boards",
    "/admin/surveys",
    "/admin/themes",
    "/admin/departments",
    "/admin/import",
    "/admin/webhooks",
    "/admin/api",
    "/admin/outbox",
    "/admin/privacy?refs=opmaak%40example.nl",
    "/admin/links",
];

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.replace("{P}", PROBE)))
        .collect()
}

async fn post(app: &TestApp, client: &reqwest::Client, path: &str, pairs: &[(&str, &str)]) {
    let res = client
        .post(app.url(path))
        .form(&form(pairs))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    assert!(status < 400, "{path} → {status} {text}");
}

async fn text_of(app: &TestApp, sql: &str) -> String {
    app.query_text(sql)
        .await
        .unwrap_or_else(|| panic!("nothing found by {sql}"))
}

/// Types the probe into every field, as the people who fill them in.
async fn store_probes(app: &TestApp, admin: &reqwest::Client, customer: &reqwest::Client) {
    let klantenservice = text_of(
        app,
        "SELECT CAST(id AS TEXT) FROM departments WHERE name = 'Klantenservice'",
    )
    .await;
    post(
        app,
        admin,
        "/api/surveys/save",
        &[
            ("original_slug", ""),
            ("slug", "opmaak"),
            ("title_nl", "{P}"),
            ("title_en", "{P}"),
            ("intro_nl", "{P}"),
            ("thanks_nl", "{P}"),
        ],
    )
    .await;
    post(
        app,
        admin,
        "/api/questions/add",
        &[
            ("slug", "opmaak"),
            ("kind", "single"),
            ("label_nl", "{P}"),
            ("options_nl", "{P}\nNee"),
        ],
    )
    .await;
    post(
        app,
        admin,
        "/api/surveys/state",
        &[("slug", "opmaak"), ("action", "open")],
    )
    .await;
    post(app, admin, "/api/departments/save", &[("name", "{P}")]).await;
    let dept = text_of(app, "SELECT CAST(MAX(id) AS TEXT) FROM departments").await;
    post(
        app,
        admin,
        "/api/departments/rule",
        &[
            ("name", "{P}"),
            ("all", "survey: opmaak"),
            ("any", ""),
            ("target_1", &dept),
        ],
    )
    .await;
    let version = text_of(
        app,
        "SELECT CAST(COALESCE(MAX(version), 0) AS TEXT) FROM taxonomy_versions",
    )
    .await;
    post(
        app,
        admin,
        "/api/themes/save",
        &[
            ("version", &version),
            ("original_key", ""),
            ("key", "opmaak"),
            ("name_nl", "{P}"),
            ("name_en", "{P}"),
            ("keywords_nl", "opmaakwoord"),
            ("keywords_en", "markupword"),
        ],
    )
    .await;
    post(
        app,
        admin,
        "/api/ideas/board-save",
        &[
            ("original", ""),
            ("slug", "opmaak"),
            ("kind", "board"),
            ("name_nl", "{P}"),
            ("name_en", "{P}"),
            ("description_nl", "{P}"),
            ("visibility", "public"),
            ("moderation", "off"),
            ("response_days", "14"),
        ],
    )
    .await;
    post(
        app,
        admin,
        "/api/webhooks/save",
        &[
            ("name", "{P}"),
            ("url", "https://hooks.example.nl/opmaak"),
            ("conditions", ""),
            ("ev_idea_created", "on"),
        ],
    )
    .await;
    post(
        app,
        admin,
        "/api/api-tokens/create",
        &[("name", "{P}"), ("scope", "ideas:read")],
    )
    .await;
    post(
        app,
        admin,
        "/api/actions/create",
        &[
            ("title", "{P}"),
            ("department", &klantenservice),
            ("themes", "waiting_time"),
            ("status", "proposed"),
            ("description", "{P}"),
        ],
    )
    .await;

    // A detractor by the survey form, routed to Klantenservice with a case: a note and a reply.
    let reason = format!("{PROBE} De wachttijd aan de telefoon was veel te lang, drie kwartier.");
    post(
        app,
        &new_client(),
        "/api/survey/submit",
        &[
            ("slug", "klantenservice"),
            ("score", "2"),
            ("reason", &reason),
            ("email", "opmaak@example.nl"),
            ("consent", "yes"),
            ("ch", "phone"),
            ("tp", "service"),
            ("lang", "nl"),
            ("token", "opmaakxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ],
    )
    .await;
    let item = "SELECT CAST(i.id AS TEXT) FROM inbox_items i JOIN responses r \
                ON r.id = i.response_id WHERE r.contact_email = 'opmaak@example.nl' \
                ORDER BY i.id LIMIT 1";
    let item = text_of(app, item).await;
    post(
        app,
        admin,
        "/api/inbox/note",
        &[("id", &item), ("body", "{P}")],
    )
    .await;
    post(
        app,
        admin,
        "/api/inbox/reply",
        &[("id", &item), ("text", "{P}")],
    )
    .await;

    // The responses API and a CSV file (a cell and a column name).
    let (_, token) = app.api_token(admin, "opmaak-api").await;
    let batch = serde_json::json!({ "responses": [{ "survey": "klantenservice", "score": 5,
        "comment": format!("{PROBE} via de API"), "channel": "email" }] });
    assert_eq!(app.post_responses(&token, &batch).await.0, 201);
    let csv = format!(
        "Cijfer;Opmerking;\"{}\"\n4;\"{} uit een bestand\";x\n",
        PROBE.replace('"', "\"\""),
        PROBE.replace('"', "\"\"")
    );
    let res = app.upload_csv(admin, "opmaak.csv", &csv).await;
    assert_eq!(res.status(), 303);
    let import = text_of(app, "SELECT CAST(MAX(id) AS TEXT) FROM imports").await;
    post(
        app,
        admin,
        "/api/import/start",
        &[
            ("id", &import),
            ("col_score", "0"),
            ("col_comment", "1"),
            ("survey", "klantenservice"),
        ],
    )
    .await;

    // A customer's idea and comment; the team answers.
    post(
        app,
        customer,
        "/api/ideas/submit",
        &[
            ("board", "app"),
            ("title", "{P} een idee"),
            ("body", "{P} uitgelegd"),
            ("confirmed", "1"),
        ],
    )
    .await;
    let idea = text_of(app, "SELECT CAST(MAX(id) AS TEXT) FROM ideas").await;
    post(
        app,
        admin,
        "/api/ideas/moderate",
        &[("board", "app"), ("id", &idea), ("action", "approve")],
    )
    .await;
    post(
        app,
        customer,
        "/api/ideas/comment",
        &[("board", "app"), ("id", &idea), ("body", "{P} reactie")],
    )
    .await;
    post(
        app,
        admin,
        "/api/ideas/comment",
        &[
            ("board", "app"),
            ("id", &idea),
            ("body", "{P} van het team"),
        ],
    )
    .await;
}

/// A page's links to this site's pages (not scripts, assets, downloads or server functions).
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .filter(|href| {
            !["/pkg/", "/api/", "/account/unsubscribe"]
                .iter()
                .any(|p| href.starts_with(p))
                && !href.contains(".csv")
                && !href.contains(".js")
        })
        .collect()
}

/// A link's shape: digits become `#`, query values are dropped (`/responses/#?theme`).
fn shape(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path: String = path
        .split('/')
        .map(|s| {
            if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() {
                "#"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let mut keys: Vec<&str> = query
        .split('&')
        .filter_map(|kv| kv.split('=').next())
        .collect();
    keys.sort();
    format!("{path}?{}", keys.join("&"))
}

/// Crawls from `start` (at most four pages of a shape): (pages read, pages showing the probe,
/// pages where it became markup).
async fn crawl(
    app: &TestApp,
    client: &reqwest::Client,
    start: &[&str],
) -> (usize, BTreeSet<String>, Vec<String>) {
    let mut queue: VecDeque<String> = start.iter().map(|s| s.to_string()).collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let (mut read, mut shown, mut markup) = (0, BTreeSet::new(), Vec::new());
    while let Some(path) = queue.pop_front() {
        let (status, html) = app.get_html(client, &path).await;
        assert!(status < 500, "GET {path} → {status}");
        if status != 200 {
            continue;
        }
        read += 1;
        if AS_TEXT.iter().any(|t| html.contains(t)) {
            shown.insert(shape(&path));
        }
        for bad in AS_MARKUP {
            if let Some(at) = html.find(bad) {
                let around = &html[at.saturating_sub(120)..(at + 80).min(html.len())];
                markup.push(format!("{path}: {bad} in …{around}…"));
            }
        }
        for link in links(&html) {
            let count = shapes.entry(shape(&link)).or_insert(0);
            if *count < 4 && read + queue.len() < 600 && seen.insert(link.clone()) {
                *count += 1;
                queue.push_back(link);
            }
        }
    }
    (read, shown, markup)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_markup_is_text_on_every_page() {
    for backend in backends() {
        eprintln!("backend: {backend:?}");
        let app = spawn_app(backend).await;
        server::demo::seed(&app.state, 80, 60, 2026).await.unwrap();
        server::demo_ideas::seed_ideas(&app.state, PASSWORD)
            .await
            .unwrap();
        server::demo_loop::seed_loop(&app.state, PASSWORD)
            .await
            .unwrap();
        let admin = app.logged_in("opmaak-admin@example.nl", Role::Admin).await;
        // A customer whose name is the probe.
        let customer = new_client();
        post(
            &app,
            &customer,
            "/api/account/register",
            &[
                ("email", "opmaak-klant@example.nl"),
                ("name", "{P}"),
                ("password", PASSWORD),
            ],
        )
        .await;
        let verify = "SELECT body FROM outbox WHERE kind = 'verify_email' \
                      AND recipient = 'opmaak-klant@example.nl'";
        let verify = text_of(&app, verify).await;
        let token = verify
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        post(&app, &customer, "/api/account/verify", &[("token", &token)]).await;
        app.login(&customer, "opmaak-klant@example.nl").await;
        store_probes(&app, &admin, &customer).await;
        // Let the import and the outbox finish.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;

        let (staff_pages, mut shown, mut markup) = crawl(&app, &admin, START).await;
        let (customer_pages, shown_c, markup_c) = crawl(
            &app,
            &customer,
            &[
                "/ideas",
                "/ideas/app",
                "/ideas/opmaak",
                "/s/opmaak",
                "/account/ideas",
                "/account/notifications",
            ],
        )
        .await;
        shown.extend(shown_c);
        markup.extend(markup_c);
        eprintln!(
            "markup probe: {staff_pages} staff pages and {customer_pages} customer pages read; \
             shown as text on {} kinds of page: {shown:?}",
            shown.len()
        );
        assert!(
            markup.is_empty(),
            "the probe became markup:\n{}",
            markup.join("\n")
        );
        for page in [
            "/responses?",
            "/responses/#?",
            "/inbox/#?",
            "/actions?",
            "/actions/#?",
            "/admin/departments?",
            "/admin/themes?",
            "/admin/surveys?",
            "/ideas/app/#?",
            "/ideas/opmaak?",
            "/s/opmaak?",
            "/admin/import/#?",
            "/admin/webhooks?",
            "/admin/api?",
            "/admin/outbox?",
            "/dashboard?",
            "/review?",
            "/admin/boards?",
            "/account/ideas?",
        ] {
            assert!(
                shown.contains(page),
                "{page} never showed the probe: {shown:?}"
            );
        }
    }
}
