//! The access-control matrix: every page, every server function and every REST route, called by
//! every role — anonymous, a customer, a product team member, a member of another department, a
//! manager and an admin — on the full demo data, on SQLite and PostgreSQL. Each gets exactly
//! what the matrix says: allowed callers an answer, the others 401, 403 or 404 (an object of
//! another department, customer or author is never reached by its id).
//!
//! The matrix is data (`functions.rs`, `pages.rs`, `routes.rs`). The router's own lists of pages
//! and server functions, and the OpenAPI document's paths, are compared with it first: a new
//! page, server function or API route without an entry fails this test.

mod functions;
mod pages;
mod routes;

use crate::common::{backends, new_client, spawn_app, TestApp, PASSWORD};
use app::model::Role;
use std::collections::{BTreeMap, BTreeSet};

/// The six callers of the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Customer,
    ProductTeam,
    /// A member of Financiën; every object the matrix names belongs to Klantenservice.
    OtherDepartment,
    Manager,
    Admin,
}

pub const N: Who = Who::Anonymous;
pub const C: Who = Who::Customer;
pub const P: Who = Who::ProductTeam;
pub const D: Who = Who::OtherDepartment;
pub const M: Who = Who::Manager;
pub const A: Who = Who::Admin;
pub const EVERYONE: &[Who] = &[N, C, P, D, M, A];

/// A server function: POSTed as the hydrated app does, with `args` form-encoded.
pub struct Call {
    pub path: &'static str,
    pub args: &'static str,
    pub may: &'static [Who],
    /// Statuses an allowed caller may get besides 2xx/3xx (a second delete finds nothing).
    pub also: &'static [u16],
    /// Ends the caller's session: called after everything else.
    pub last: bool,
}

/// A page: fetched as a browser does.
pub struct Page {
    /// The route as the router knows it (`/inbox/{id}`).
    pub route: &'static str,
    /// What is fetched (`/inbox/{case}`).
    pub path: &'static str,
    pub may: &'static [Who],
}

/// A route outside Leptos: the REST API, exports, uploads, scripts.
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
    pub may: &'static [Who],
}

const USERS: [(Who, &str, Role); 5] = [
    (C, "matrix-klant@example.nl", Role::Customer),
    (P, "matrix-product@example.nl", Role::ProductTeam),
    (D, "matrix-dept@example.nl", Role::Department),
    (M, "matrix-manager@example.nl", Role::Manager),
    (A, "matrix-admin@example.nl", Role::Admin),
];

/// The demo, the matrix's users (the department member in Financiën) and their sessions.
async fn set_up(app: &TestApp) -> Vec<(Who, reqwest::Client)> {
    server::demo::seed(&app.state, 400, 180, 2026)
        .await
        .unwrap();
    server::demo_ideas::seed_ideas(&app.state, PASSWORD)
        .await
        .unwrap();
    server::demo_loop::seed_loop(&app.state, PASSWORD)
        .await
        .unwrap();
    let mut clients = vec![(N, new_client())];
    for (who, email, role) in USERS {
        app.add_user(email, role).await;
        let client = new_client();
        app.login(&client, email).await;
        clients.push((who, client));
    }
    let store = &app.state.store;
    let finance = store
        .routing_setup()
        .await
        .unwrap()
        .departments
        .into_iter()
        .find(|d| d.name == "Financiën")
        .expect("the demo's Financiën")
        .id;
    let member = store
        .user_by_email("matrix-dept@example.nl")
        .await
        .unwrap()
        .unwrap()
        .info
        .id;
    store
        .set_department_member(finance, member, true)
        .await
        .unwrap();
    // An import to look at: only an upload makes one.
    let admin = &clients.last().unwrap().1;
    let res = admin
        .post(app.url("/admin/import/upload"))
        .header("content-type", "multipart/form-data; boundary=matrix")
        .body(routes::CSV)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "upload: {}", res.status());
    clients
}

/// Fills `{name}` placeholders.
fn fill(template: &str, values: &BTreeMap<String, String>) -> String {
    let mut out = template.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    if let Some(start) = out.find('{') {
        panic!("no value for {} in {template}", &out[start..]);
    }
    out
}

/// The demo's objects, then the admin's own (created through the UI's server functions).
async fn fixtures(app: &TestApp, admin: &reqwest::Client) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for (name, sql) in functions::FIXTURES {
        let value = app
            .query_text(sql)
            .await
            .unwrap_or_else(|| panic!("fixture {name}: nothing found by {sql}"));
        values.insert(name.to_string(), value);
    }
    for (name, path, args, sql) in functions::SETUP {
        if !path.is_empty() {
            call_as_admin(app, admin, name, path, &fill(args, &values)).await;
        }
        let mut value = app
            .query_text(&fill(sql, &values))
            .await
            .unwrap_or_else(|| panic!("setup {name}: nothing found by {sql}"));
        if let Some((_, marker)) = functions::LINKS.iter().find(|(n, _)| n == name) {
            value = link_after(&value, marker)
                .unwrap_or_else(|| panic!("setup {name}: no {marker} in {value}"));
        }
        values.insert(name.to_string(), value);
    }
    values
}

/// The rest of the link that `marker` begins in a mail's text.
fn link_after(body: &str, marker: &str) -> Option<String> {
    let start = body.find(marker)? + marker.len();
    let rest = &body[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>'))
        .unwrap_or(rest.len());
    Some(rest[..end].to_string())
}

async fn call_as_admin(app: &TestApp, admin: &reqwest::Client, name: &str, path: &str, body: &str) {
    let res = admin
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    assert!(
        status < 400,
        "setup {name}: {path} {body} → {status} {}",
        res.text().await.unwrap()
    );
}

/// Compares what the router serves with what the matrix lists.
fn compare(kind: &str, served: BTreeSet<String>, listed: BTreeSet<String>) -> Vec<String> {
    let mut missing: Vec<String> = served
        .difference(&listed)
        .map(|p| format!("{kind} {p} has no entry in the access matrix"))
        .collect();
    missing.extend(
        listed
            .difference(&served)
            .map(|p| format!("the access matrix lists {kind} {p}, which is not served")),
    );
    missing
}

fn denied(status: u16) -> bool {
    matches!(status, 401 | 403 | 404)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_reaches_exactly_what_the_matrix_allows() {
    for backend in backends() {
        eprintln!("backend: {backend:?}");
        let app = spawn_app(backend).await;
        let clients = set_up(&app).await;
        let admin = &clients.iter().find(|(w, _)| *w == A).unwrap().1;
        let values = fixtures(&app, admin).await;
        let mut wrong = Vec::new();

        // Nothing served escapes the matrix.
        wrong.extend(compare(
            "server function",
            leptos::server_fn::axum::server_fn_paths()
                .map(|(p, _)| p.to_string())
                .collect(),
            functions::FUNCTIONS
                .iter()
                .map(|c| c.path.to_string())
                .collect(),
        ));
        wrong.extend(compare(
            "page",
            server::http::page_paths().into_iter().collect(),
            pages::PAGES.iter().map(|p| p.route.to_string()).collect(),
        ));
        let openapi: serde_json::Value = serde_json::from_str(
            &app.client
                .get(app.url("/api/openapi.json"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
        )
        .unwrap();
        let mut documented = BTreeSet::new();
        for (path, methods) in openapi["paths"].as_object().unwrap() {
            for method in methods.as_object().unwrap().keys() {
                documented.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
        let listed: BTreeSet<String> = routes::ROUTES
            .iter()
            .filter(|r| r.path.starts_with("/api/v1/"))
            .map(|r| format!("{} {}", r.method, routes::documented_path(r.path)))
            .collect();
        wrong.extend(compare("API route", documented, listed));

        let mut checked = 0;
        // Server functions, those that end a session last; a few read by GET.
        let methods: BTreeMap<&str, http::Method> =
            leptos::server_fn::axum::server_fn_paths().collect();
        let calls = functions::FUNCTIONS
            .iter()
            .filter(|c| !c.last)
            .chain(functions::FUNCTIONS.iter().filter(|c| c.last));
        for call in calls {
            let body = fill(call.args, &values);
            for (who, client) in &clients {
                let req = if methods.get(call.path) == Some(&http::Method::GET) {
                    client.get(app.url(&format!("{}?{body}", call.path)))
                } else {
                    client
                        .post(app.url(call.path))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body.clone())
                };
                let res = req.send().await.unwrap();
                let status = res.status().as_u16();
                checked += 1;
                let ok = if call.may.contains(who) {
                    status < 400 || call.also.contains(&status)
                } else {
                    denied(status)
                };
                if !ok {
                    let text = res.text().await.unwrap_or_default();
                    wrong.push(format!(
                        "{who:?} POST {} {body} → {status} {}",
                        call.path,
                        text.chars().take(160).collect::<String>()
                    ));
                }
            }
        }
        // Sessions ended: sign in again for the pages.
        for (who, client) in &clients {
            if let Some((_, email, _)) = USERS.iter().find(|(w, _, _)| w == who) {
                app.login(client, email).await;
            }
        }
        for page in pages::PAGES {
            let path = fill(page.path, &values);
            for (who, client) in &clients {
                let res = client
                    .get(app.url(&path))
                    .header("accept", "text/html")
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                checked += 1;
                let location = res
                    .headers()
                    .get("location")
                    .and_then(|l| l.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let ok = if page.may.contains(who) {
                    status == 200
                } else if *who == N && status == 302 {
                    location.starts_with("/login?next=")
                } else {
                    denied(status)
                };
                if !ok {
                    wrong.push(format!("{who:?} GET {path} → {status} {location}"));
                }
            }
        }
        for route in routes::ROUTES {
            let path = fill(route.path, &values);
            for (who, client) in &clients {
                let mut req = match route.method {
                    "GET" => client.get(app.url(&path)),
                    _ => client.post(app.url(&path)),
                };
                if !route.content_type.is_empty() {
                    req = req
                        .header("content-type", route.content_type)
                        .body(route.body.to_string());
                }
                let res = req.send().await.unwrap();
                let status = res.status().as_u16();
                checked += 1;
                let ok = if route.may.contains(who) {
                    status < 400
                } else if *who == N && (status == 302 || status == 303) {
                    res.headers()["location"]
                        .to_str()
                        .unwrap()
                        .starts_with("/login?next=")
                } else {
                    denied(status)
                };
                if !ok {
                    wrong.push(format!("{who:?} {} {path} → {status}", route.method));
                }
            }
        }
        eprintln!(
            "access matrix: {} server functions, {} pages, {} routes × {} callers = {checked} requests",
            functions::FUNCTIONS.len(),
            pages::PAGES.len(),
            routes::ROUTES.len(),
            clients.len()
        );
        assert!(
            wrong.is_empty(),
            "{} of {checked} requests got what the matrix does not say:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        routes::tokens_reach_only_their_scope(&app, admin).await;
    }
}
