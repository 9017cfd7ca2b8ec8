//! Form endpoints fed what no form sends: bodies that are not UTF-8, cut-off escapes, control
//! characters, nested and empty keys, JSON or multipart where a form belongs, numbers that fit
//! no type, a body over the limit, the wrong method. Every server function and every form
//! route, as an admin (who passes every role check, so the body itself is what gets judged) and
//! anonymously, on SQLite and PostgreSQL: never a 5xx, and not one row of any table changes
//! (a function that only reads may answer; none may write).

use crate::common::{backends, new_client, spawn_app, TestApp};
use app::model::Role;

/// (what is wrong, content type, body). None of them is a request a form could mean.
fn malformed() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    const FORM: &str = "application/x-www-form-urlencoded";
    let mut over = b"title=".to_vec();
    over.resize(server::http::MAX_BODY_BYTES + 1024, b'a');
    vec![
        ("raw bytes that are not UTF-8", FORM, b"title=\xff\xfe&slug=\xc3\x28&refs=\x80".to_vec()),
        ("escaped bytes that are not UTF-8", FORM, b"title=%FF%FE&slug=%C3%28&name=%80&refs=%ED%A0%80".to_vec()),
        ("an escape cut off", FORM, b"title=%E2%82&slug=%&name=%4".to_vec()),
        ("nested, empty and repeated keys", FORM, b"a[b][c][d][e]=1&a[]=2&[]=&=&&&id=1&id=2&id[]=3".to_vec()),
        ("numbers that fit no type", FORM, b"id=99999999999999999999999&score=-1e400&survey_id=NaN&board_id=0x10&department_id=-0&user_id=1.5".to_vec()),
        ("JSON where a form belongs", "application/json", br#"{"title": [1, {"x": null}], "id": "#.to_vec()),
        ("multipart without a boundary", "multipart/form-data", b"--x\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n1\r\n--x--".to_vec()),
        ("multipart cut off", "multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nscore\n9".to_vec()),
        ("plain text", "text/plain; charset=utf-16", b"\xff\xfet\x00i\x00".to_vec()),
        ("a body over the limit", FORM, over),
    ]
}

/// Functions whose form has no required field (a button, a settings form of checkboxes): any
/// well-formed body is a valid submission for them, so they get only the broken ones.
const ANY_FORM: &[&str] = &["/api/departments/from-taxonomy", "/api/departments/policy"];

/// Bodies that are well-formed forms, only not of any function's fields.
const WELL_FORMED: &[&str] = &[
    "nested, empty and repeated keys",
    "numbers that fit no type",
];

/// Form routes outside the server functions (the REST API is fuzzed from its OpenAPI document).
const ROUTES: &[&str] = &["/admin/privacy/export", "/admin/import/upload"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_are_refused_with_a_4xx_and_change_nothing() {
    for backend in backends() {
        eprintln!("backend: {backend:?}");
        let app = spawn_app(backend).await;
        server::demo::seed(&app.state, 60, 30, 2026).await.unwrap();
        server::demo_ideas::seed_ideas(&app.state, crate::common::PASSWORD)
            .await
            .unwrap();
        let admin = app.logged_in("fuzz-admin@example.nl", Role::Admin).await;
        let callers = [("admin", admin), ("anonymous", new_client())];
        let before = app.tables().await;
        let mut paths: Vec<(String, http::Method)> = leptos::server_fn::axum::server_fn_paths()
            .map(|(p, m)| (p.to_string(), m))
            // Logging out needs no body: whatever is sent, the session ends.
            .filter(|(p, _)| p != "/api/auth/logout")
            .collect();
        paths.extend(ROUTES.iter().map(|p| (p.to_string(), http::Method::POST)));
        let (mut sent, mut wrong) = (0, Vec::new());
        let mut statuses = std::collections::BTreeMap::new();
        for (path, method) in &paths {
            for (what, content_type, body) in malformed() {
                if ANY_FORM.contains(&path.as_str()) && WELL_FORMED.contains(&what) {
                    continue;
                }
                for (who, client) in &callers {
                    // As the hydrated app posts, and as a browser without JavaScript does.
                    for accept in ["*/*", "text/html"] {
                        let status =
                            send(&app, client, method, path, content_type, &body, accept).await;
                        sent += 1;
                        *statuses.entry(status).or_insert(0) += 1;
                        if status >= 500 {
                            wrong.push(format!("{who} {path}, {what} ({accept}) → {status}"));
                        }
                    }
                }
            }
            // A state change by GET.
            if *method == http::Method::POST {
                let status = send(
                    &app,
                    &callers[0].1,
                    &http::Method::GET,
                    path,
                    "",
                    b"",
                    "*/*",
                )
                .await;
                sent += 1;
                if status != 405 && status != 404 {
                    wrong.push(format!("admin GET {path} → {status}"));
                }
            }
        }
        eprintln!(
            "fuzzed {} endpoints with {} malformed bodies: {sent} requests, statuses {statuses:?}",
            paths.len(),
            malformed().len()
        );
        assert!(
            wrong.is_empty(),
            "{} of {sent} requests:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        let after = app.tables().await;
        let changed: Vec<&String> = before
            .keys()
            .filter(|t| before.get(*t) != after.get(*t))
            .collect();
        for t in &changed {
            let (b, a) = (&before[*t], &after[*t]);
            eprintln!(
                "{t}: gone {:?}\n  new {:?}",
                b.iter().filter(|r| !a.contains(r)).collect::<Vec<_>>(),
                a.iter().filter(|r| !b.contains(r)).collect::<Vec<_>>()
            );
        }
        assert!(changed.is_empty(), "malformed requests changed {changed:?}");
    }
}

async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    method: &http::Method,
    path: &str,
    content_type: &str,
    body: &[u8],
    accept: &str,
) -> u16 {
    let mut req = client
        .request(method.clone(), app.url(path))
        .header("accept", accept);
    if accept == "text/html" {
        req = req.header("referer", app.url("/"));
    }
    if !content_type.is_empty() {
        req = req.header("content-type", content_type);
    }
    if *method != http::Method::GET {
        req = req.body(body.to_vec());
    }
    match req.send().await {
        Ok(res) => res.status().as_u16(),
        // The server may stop reading a body over the limit and close the connection.
        Err(e) if body.len() > server::http::MAX_BODY_BYTES => {
            eprintln!("{path}: {e}");
            413
        }
        Err(e) => panic!("{path}: {e}"),
    }
}
