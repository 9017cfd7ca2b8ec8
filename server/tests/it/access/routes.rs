//! The routes outside Leptos: the REST API (a bearer token, never a session cookie), the CSV
//! export and upload (sessions), health and scripts.

use super::{Route, A, D, EVERYONE, M};
use crate::common::TestApp;
use serde_json::json;

const RESPONSE: &str = r#"{"responses":[{"survey":"klantenservice","score":8,"channel":"phone"}]}"#;
pub const CSV: &str = "--matrix\r\nContent-Disposition: form-data; name=\"file\"; filename=\"matrix.csv\"\r\nContent-Type: text/csv\r\n\r\nscore,comment\r\n9,Prima geholpen\r\n--matrix--\r\n";

#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route { method: "GET", path: "/healthz", content_type: "", body: "", may: EVERYONE },
    Route { method: "GET", path: "/api/openapi.json", content_type: "", body: "", may: EVERYONE },
    Route { method: "GET", path: "/embed.js", content_type: "", body: "", may: EVERYONE },
    Route { method: "GET", path: "/survey.js", content_type: "", body: "", may: EVERYONE },
    Route { method: "GET", path: "/ideas.js", content_type: "", body: "", may: EVERYONE },
    // A session is no API credential.
    Route { method: "POST", path: "/api/v1/responses", content_type: "application/json", body: RESPONSE, may: &[] },
    Route { method: "GET", path: "/api/v1/ideas", content_type: "", body: "", may: &[] },
    Route { method: "POST", path: "/api/v1/ideas", content_type: "application/json", body: r#"{"board":"app","title":"Matrix","body":"Een idee uit de toegangstest.","email":"matrix-klant@example.nl"}"#, may: &[] },
    Route { method: "POST", path: "/api/v1/ideas/{idea}/status", content_type: "application/json", body: r#"{"status":"planned"}"#, may: &[] },
    // Department members export what was routed to their departments.
    Route { method: "GET", path: "/responses/export.csv", content_type: "", body: "", may: &[D, M, A] },
    Route { method: "POST", path: "/admin/privacy/export", content_type: "application/x-www-form-urlencoded", body: "refs=klant%40klantstem.local", may: &[A] },
    Route { method: "POST", path: "/admin/import/upload", content_type: "multipart/form-data; boundary=matrix", body: CSV, may: &[M, A] },
];

/// How the OpenAPI document names a path of `ROUTES`.
pub fn documented_path(path: &str) -> String {
    path.replace("{idea}", "{id}")
}

/// API tokens reach their own scope and nothing else; a revoked one reaches nothing.
pub async fn tokens_reach_only_their_scope(app: &TestApp, admin: &reqwest::Client) {
    let token = |scope: &'static str| async move {
        let res = app
            .post_fn(
                admin,
                "/api/api-tokens/create",
                &[("name", "Matrix"), ("scope", scope)],
            )
            .await;
        assert_eq!(res.status(), 200);
        serde_json::from_str::<(i64, String)>(&res.text().await.unwrap()).unwrap()
    };
    let call = |method: &'static str,
                path: &'static str,
                secret: String,
                body: Option<serde_json::Value>| async move {
        let mut req = match method {
            "GET" => app.client.get(app.url(path)),
            _ => app.client.post(app.url(path)),
        }
        .bearer_auth(secret);
        if let Some(body) = body {
            req = req
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        req.send().await.unwrap().status().as_u16()
    };
    let responses: serde_json::Value = serde_json::from_str(RESPONSE).unwrap();
    let (responses_id, responses_secret) = token("responses:write").await;
    let (_, read_secret) = token("ideas:read").await;
    assert_eq!(
        call(
            "POST",
            "/api/v1/responses",
            responses_secret.clone(),
            Some(responses.clone())
        )
        .await,
        201
    );
    assert_eq!(
        call("GET", "/api/v1/ideas", responses_secret.clone(), None).await,
        403
    );
    assert_eq!(
        call("GET", "/api/v1/ideas", read_secret.clone(), None).await,
        200
    );
    assert_eq!(
        call(
            "POST",
            "/api/v1/responses",
            read_secret.clone(),
            Some(responses.clone())
        )
        .await,
        403
    );
    assert_eq!(
        call(
            "POST",
            "/api/v1/ideas",
            read_secret,
            Some(json!({"board": "app", "title": "Matrix", "body": "Alleen lezen."}))
        )
        .await,
        403
    );
    let res = app
        .post_fn(
            admin,
            "/api/api-tokens/revoke",
            &[("id", &responses_id.to_string())],
        )
        .await;
    assert!(res.status().is_success());
    assert_eq!(
        call(
            "POST",
            "/api/v1/responses",
            responses_secret,
            Some(responses)
        )
        .await,
        401
    );
    assert_eq!(
        call("GET", "/api/v1/ideas", "0".repeat(64), None).await,
        401
    );
}
