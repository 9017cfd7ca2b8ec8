//! Test helpers: a real server on port 0 with a fresh database per test, on SQLite always and on
//! PostgreSQL when `TEST_DATABASE_URL` is set.
#![allow(dead_code)]

pub mod smtp_sink;

use app::backend::{AppState, Settings};
use app::model::Role;
pub use klantstem_store::test_db::{backends, fresh_db, Backend, TestDb};

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// Keeps cookies, follows no redirects (tests look at them).
    pub client: reqwest::Client,
    pub backend: Backend,
    _db: Option<TestDb>,
}

/// Runs `test` against a fresh app with the demo surveys (no responses), on every backend.
pub async fn each_app<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        eprintln!("backend: {backend:?}");
        let app = spawn_app(backend).await;
        app.add_surveys().await;
        test(app).await;
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Settings::default()).await
}

pub async fn spawn_app_with(backend: Backend, settings: Settings) -> TestApp {
    // The server's warnings and errors go with the test's output (RUST_LOG to see more).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_test_writer()
        .try_init();
    let db = fresh_db(backend).await;
    let store = db.store.clone();
    serve(store, backend, settings, Some(db)).await
}

/// A server over `store`; `db` is dropped with the app (a second process leaves it to the first).
async fn serve(
    store: std::sync::Arc<dyn app::backend::Store>,
    backend: Backend,
    settings: Settings,
    db: Option<TestDb>,
) -> TestApp {
    let state = server::state_for(store, settings).await.expect("state");
    server::start_background(&state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let site_root = std::env::temp_dir().join("klantstem-test-site");
    let router = server::http::router(
        state.clone(),
        server::leptos_options(&site_root.to_string_lossy(), addr),
    );
    tokio::spawn(server::http::serve(listener, router));
    TestApp {
        base: format!("http://{addr}"),
        state,
        client: new_client(),
        backend,
        _db: db,
    }
}

impl TestApp {
    /// A second server process on this app's database: its own port, pool, caches, rate limits
    /// and background jobs.
    pub async fn second_process(&self) -> TestApp {
        self.second_process_with(Settings::default()).await
    }

    /// A second process with its own settings.
    pub async fn second_process_with(&self, settings: Settings) -> TestApp {
        let store = self
            ._db
            .as_ref()
            .expect("the first process")
            .second_store()
            .await;
        serve(store, self.backend, settings, None).await
    }
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        // A hung request fails its test instead of hanging the suite.
        .timeout(std::time::Duration::from_secs(30))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn add_user(&self, email: &str, role: Role) {
        server::create_user(&self.state, email, "Test User", role, PASSWORD)
            .await
            .unwrap();
    }

    /// Creates an API token for responses through the admin UI's server function, as `admin`:
    /// (id, secret).
    pub async fn api_token(&self, admin: &reqwest::Client, name: &str) -> (i64, String) {
        let res = self
            .post_fn(
                admin,
                "/api/api-tokens/create",
                &[("name", name), ("scope", "responses:write")],
            )
            .await;
        assert_eq!(res.status(), 200);
        serde_json::from_str(&res.text().await.unwrap()).unwrap()
    }

    /// Posts `body` to the responses API with bearer `token`: (status, JSON answer).
    pub async fn post_responses(
        &self,
        token: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let res = self
            .client
            .post(self.url("/api/v1/responses"))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap())
    }

    /// Creates the demo surveys with no responses.
    pub async fn add_surveys(&self) {
        server::demo::seed(&self.state, 0, 30, 1).await.unwrap();
    }

    /// Posts a form the way the browser's hydrated app does (server-function client).
    pub async fn post_fn(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client.post(self.url(path)).form(form).send().await.unwrap()
    }

    /// Posts a form the way a browser without JavaScript does.
    pub async fn post_html_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .header("sec-fetch-site", "same-origin")
            .header("origin", &self.base)
            .header("referer", self.url("/"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Logs `client` in; panics unless the server redirects after success.
    pub async fn login(&self, client: &reqwest::Client, email: &str) {
        let res = self
            .post_html_form(
                client,
                "/api/auth/login",
                &[
                    ("email", email),
                    ("password", PASSWORD),
                    ("next", "/dashboard"),
                ],
            )
            .await;
        assert_eq!(res.status(), 302, "login failed: {:?}", res.headers());
        assert_eq!(res.headers()["location"], "/dashboard");
    }

    /// A new client, logged in as a new user with `role`.
    pub async fn logged_in(&self, email: &str, role: Role) -> reqwest::Client {
        self.add_user(email, role).await;
        let client = new_client();
        self.login(&client, email).await;
        client
    }

    pub async fn get_html(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let res = client
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    /// The first column of the first row of `sql` (which returns TEXT on both backends).
    pub async fn query_text(&self, sql: &str) -> Option<String> {
        let db = self
            ._db
            .as_ref()
            .expect("the first process holds the database");
        db.query_text(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Uploads a CSV file for import as the browser's form does.
    pub async fn upload_csv(
        &self,
        client: &reqwest::Client,
        name: &str,
        content: &str,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(content.as_bytes().to_vec())
            .file_name(name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        client
            .post(self.url("/admin/import/upload"))
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Every table's rows, sorted: equal before and after means nothing was written.
    pub async fn tables(&self) -> klantstem_store::test_db::Tables {
        self._db
            .as_ref()
            .expect("the first process holds the database")
            .tables()
            .await
    }

    pub async fn response_count(&self) -> u64 {
        self.state.store.count_responses().await.unwrap()
    }
}

/// The survey editor's form as a manager fills it in for a new survey "balie".
pub fn survey_form<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("original_slug", ""),
        ("slug", "balie"),
        ("title_nl", "Uw bezoek aan de balie"),
        ("title_en", "Your visit to our desk"),
        ("intro_nl", "Twee vragen, een halve minuut."),
        (
            "followup_detractor_nl",
            "Wat had de medewerker beter kunnen doen?",
        ),
        ("followup_promoter_nl", "Wat maakte het bezoek goed?"),
        ("thanks_nl", "Dank u! We lezen elke reactie."),
        (
            "embed_origins",
            "https://www.example.nl\nhttps://*.example.com",
        ),
    ];
    for (k, v) in extra {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    form
}

/// A valid survey answer; tests override fields.
pub fn answer<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("slug", "klantenservice"),
        ("score", "9"),
        (
            "reason",
            "De medewerker was heel vriendelijk en hielp mij snel verder.",
        ),
        ("ch", "email"),
        ("tp", "onboarding"),
        ("lang", "nl"),
        ("token", "0123456789abcdef0123456789abcdef"),
    ];
    for (k, v) in extra {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    form
}
