//! Webhooks against a real receiver on 127.0.0.1 (port 0): internal targets refused unless an
//! admin allows them, events written with the change and filtered by conditions, deliveries
//! signed (Standard Webhooks) with a stable id, retried after a failure, redirects followed
//! and checked, the log on both pages, admins only. On SQLite and PostgreSQL.

use crate::common::{answer, each_app, new_client, TestApp};
use app::model::Role;
use app::webhook::DeliveryStatus;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use std::sync::{Arc, Mutex};

/// What arrived: (path, webhook-id, webhook-timestamp, webhook-signature, body).
type Got = (String, String, String, String, String);

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<Got>>>,
    /// Answer 500 to this many requests first.
    fail_first: Arc<Mutex<u32>>,
}

impl Receiver {
    async fn start() -> (Receiver, String) {
        let receiver = Receiver::default();
        let state = receiver.clone();
        let record = |path: &'static str| {
            move |axum::extract::State(r): axum::extract::State<Receiver>,
                  headers: HeaderMap,
                  body: String| async move {
                let h = |n: &str| {
                    headers
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_string()
                };
                {
                    let mut fail = r.fail_first.lock().unwrap();
                    if *fail > 0 {
                        *fail -= 1;
                        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                    }
                }
                r.got.lock().unwrap().push((
                    path.into(),
                    h("webhook-id"),
                    h("webhook-timestamp"),
                    h("webhook-signature"),
                    body,
                ));
                StatusCode::NO_CONTENT.into_response()
            }
        };
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(record("/hook")))
            .route(
                "/moved",
                axum::routing::post(|| async {
                    (StatusCode::TEMPORARY_REDIRECT, [("location", "/hook")]).into_response()
                }),
            )
            .route(
                "/to-metadata",
                axum::routing::post(|| async {
                    (
                        StatusCode::TEMPORARY_REDIRECT,
                        [("location", "http://169.254.169.254/latest/meta-data/")],
                    )
                        .into_response()
                }),
            )
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (receiver, base)
    }

    fn got(&self) -> Vec<Got> {
        self.got.lock().unwrap().clone()
    }
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn save(app: &TestApp, admin: &reqwest::Client, form: &[(&str, &str)]) -> String {
    let res = app.post_html_form(admin, "/api/webhooks/save", form).await;
    location(&res)
}

/// Dispatches and delivers as the background worker does, at `now`.
async fn work(app: &TestApp, now: i64) {
    klantstem_core::webhooks::dispatch(&app.state, now)
        .await
        .unwrap();
    klantstem_core::webhooks::deliver_due(&app.state, &server::webhook::HttpWebhookSender, now)
        .await
        .unwrap();
}

async fn wait_for(receiver: &Receiver, n: usize, app: &TestApp, now: i64) {
    for _ in 0..50 {
        work(app, now).await;
        if receiver.got().len() >= n {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the receiver got {} of {n} deliveries: {:?} {:?}",
        receiver.got().len(),
        app.state.store.deliveries(10).await,
        app.state.store.list_webhooks().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_targets_are_refused_unless_allowed_and_deliveries_are_signed_and_retried() {
    each_app(|app| async move {
        let (receiver, base) = Receiver::start().await;
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        let url = format!("{base}/hook");
        // A bad form first: the reasons, in Dutch.
        let to = save(&app, &admin, &[("name", ""), ("url", "ftp://x"), ("conditions", "kleur: rood")]).await;
        assert_eq!(to, "/admin/webhooks?error=webhook_name_missing%2Cwebhook_url_invalid%2Cwebhook_no_events%2Cwebhook_bad_conditions");
        let (_, page) = app.get_html(&admin, &to).await;
        assert!(page.contains("Vul een http- of https-adres in, zonder gebruikersnaam of wachtwoord."));

        let to = save(
            &app,
            &admin,
            &[
                ("name", "CRM"),
                ("url", &url),
                ("conditions", "channel: phone"),
                ("active", "on"),
                ("ev_response_created", "on"),
                ("ev_case_opened", "on"),
            ],
        )
        .await;
        assert!(to.starts_with("/admin/webhooks?edit="), "{to}");
        let id: i64 = to.trim_start_matches("/admin/webhooks?edit=").trim_end_matches("&saved=1").parse().unwrap();
        let id_text = id.to_string();

        // A phone answer and a web answer: only the phone one matches the conditions.
        let now = klantstem_core::now_unix();
        for (channel, token) in [("phone", "1111111111111111aaaaaaaaaaaaaaaa"), ("web", "2222222222222222aaaaaaaaaaaaaaaa")] {
            let res = app
                .post_fn(&new_client(), "/api/survey/submit", &answer(&[("ch", channel), ("token", token)]))
                .await;
            assert_eq!(res.status(), 200);
        }
        work(&app, now).await;
        let log = app.state.store.deliveries(10).await.unwrap();
        assert_eq!(log.len(), 1, "{log:?}");
        // The receiver is on loopback: refused, nothing sent, tried again later.
        assert_eq!(log[0].status, DeliveryStatus::Pending);
        assert!(log[0].last_error.as_deref().unwrap().contains("internal address"), "{log:?}");
        assert!(receiver.got().is_empty());

        // An admin allows private targets: the retry goes out, signed.
        let edited = save(
            &app,
            &admin,
            &[
                ("id", &id_text),
                ("name", "CRM"),
                ("url", &url),
                ("conditions", "channel: phone"),
                ("active", "on"),
                ("allow_private", "on"),
                ("ev_response_created", "on"),
                ("ev_case_opened", "on"),
            ],
        )
        .await;
        assert_eq!(edited, format!("/admin/webhooks?edit={id}&saved=1"));
        // (Far ahead: the background worker may have refused it once more meanwhile.)
        wait_for(&receiver, 1, &app, now + 10 * 86_400).await;
        let secret = app.state.store.webhook_secret(id).await.unwrap().unwrap();
        let (path, event_id, timestamp, signature, body) = receiver.got()[0].clone();
        assert_eq!(path, "/hook");
        assert!(event_id.starts_with("evt_"));
        assert_eq!(signature, klantstem_core::webhooks::sign(&secret, &event_id, timestamp.parse().unwrap(), &body));
        let payload: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(payload["type"], "response.created");
        assert_eq!(payload["data"]["response"]["channel"], "phone");
        assert!(payload["data"]["response"].get("contact_email").is_none());
        let log = app.state.store.deliveries(10).await.unwrap();
        assert_eq!((log[0].status, log[0].last_status), (DeliveryStatus::Delivered, Some(204)));
        assert!(log[0].attempts >= 2, "refused first, then delivered");

        // A receiver that fails once gets the same event id again.
        *receiver.fail_first.lock().unwrap() = 1;
        let res = app.post_html_form(&admin, "/api/webhooks/ping", &[("id", &id_text)]).await;
        let to = location(&res);
        assert!(to.contains("&ping=evt_"), "{to}");
        work(&app, klantstem_core::now_unix() + 1).await;
        let log = app.state.store.deliveries(10).await.unwrap();
        let ping = log.iter().find(|d| d.kind == "ping").unwrap();
        assert_eq!((ping.status, ping.last_status), (DeliveryStatus::Pending, Some(500)));
        wait_for(&receiver, 2, &app, now + 20 * 86_400).await;
        assert!(to.contains(&receiver.got()[1].1), "the retry carries the event's id");

        // Redirects are followed and checked again at every hop.
        save(&app, &admin, &[("id", &id_text), ("name", "CRM"), ("url", &format!("{base}/moved")), ("active", "on"), ("allow_private", "on"), ("ev_response_created", "on")]).await;
        app.post_html_form(&admin, "/api/webhooks/ping", &[("id", &id_text)]).await;
        wait_for(&receiver, 3, &app, now + 30 * 86_400).await;
        let (path, ..) = receiver.got()[2].clone();
        assert_eq!(path, "/hook");

        // The log is on the webhooks page and the outbox page; both for admins only.
        let (_, page) = app.get_html(&admin, "/admin/outbox").await;
        assert!(page.contains("Webhook-leveringen") && page.contains("Afgeleverd"));
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let (status, _) = app.get_html(&manager, "/admin/webhooks").await;
        assert_eq!(status, 403);
        let res = app.post_html_form(&manager, "/api/webhooks/ping", &[("id", &id_text)]).await;
        assert_eq!(res.status(), 403);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_the_metadata_service_is_refused() {
    each_app(|app| async move {
        let (receiver, base) = Receiver::start().await;
        let sender = server::webhook::HttpWebhookSender;
        use klantstem_core::webhooks::WebhookSender;
        // Private targets allowed (the receiver is on loopback): the first hop goes, the
        // redirect to the metadata service is refused at its own check.
        let refused = sender
            .post(&format!("{base}/to-metadata"), true, &[], "{}")
            .await;
        assert!(refused
            .unwrap_err()
            .contains("link-local (metadata) address"));
        let refused = sender
            .post("http://169.254.169.254/latest/meta-data/", true, &[], "{}")
            .await;
        assert!(refused
            .unwrap_err()
            .contains("link-local (metadata) address"));
        let refused = sender
            .post("http://[::ffff:169.254.169.254]/", true, &[], "{}")
            .await;
        assert!(refused.is_err());
        // Names are resolved before the check: localhost is loopback.
        let refused = sender.post("http://localhost:9/", false, &[], "{}").await;
        assert!(refused.unwrap_err().contains("internal address"));
        assert!(receiver.got().is_empty());
        drop(app);
    })
    .await;
}
