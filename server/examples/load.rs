//! The load tool: drives a server on this machine with survey answers or page requests and
//! reports throughput and latency; and the bare endpoint the figures are compared with.
//!
//!     load submit --target http://127.0.0.1:3000/api/survey/submit --slug klantenservice \
//!         --rates 500,1000,2000,4000 --seconds 8 --clients 64
//!     load get --target http://127.0.0.1:3000/s/klantenservice --clients 16 --seconds 5
//!     load bare --addr 127.0.0.1:3991 --db /tmp/bare.db --synchronous full
//!     load check --database sqlite:///tmp/k/klantstem.db --acknowledged /tmp/acks.txt
//!
//! `submit` runs one step per rate (open loop: answer k is due at k/rate seconds, and its latency
//! counts from then, so a slow server cannot hide its queue — no coordinated omission), then one
//! step as fast as `--clients` respondents can go. Every answer carries a fresh submission token
//! and a Dutch or English text, so each is analysed and stored. An answer counts as acknowledged
//! only when the server sends the respondent on to the thank-you page; `--acknowledged FILE`
//! writes their tokens, one per line (the crash test checks them). Only loopback targets.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TEXTS: [&str; 6] = [
    "De wachttijd aan de telefoon was te lang, maar de medewerker hielp goed.",
    "Snel geleverd en de kwaliteit is prima, ik bestel hier vaker.",
    "The app keeps logging me out and support never answered my e-mail.",
    "Vriendelijke medewerker, probleem in één keer opgelost. Top!",
    "Too expensive for what you get, and the invoice was wrong twice.",
    "",
];

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn num<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    arg(args, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("submit") => submit(&args).await,
        Some("get") => get(&args).await,
        Some("bare") => bare(&args).await,
        Some("check") => check(&args).await,
        _ => {
            eprintln!("usage: load submit|get|bare [options] (see the comment at the top of server/examples/load.rs)");
            std::process::exit(2);
        }
    }
}

fn target(args: &[String]) -> String {
    let target = arg(args, "--target").unwrap_or_else(|| "http://127.0.0.1:3000".into());
    if !(target.starts_with("http://127.") || target.starts_with("http://localhost")) {
        eprintln!("only loopback targets: {target}");
        std::process::exit(2);
    }
    target
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

/// What one step measured.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    server_errors: u64,
    refused: u64,
    failed: u64,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        self.latencies.extend(other.latencies);
        self.server_errors += other.server_errors;
        self.refused += other.refused;
        self.failed += other.failed;
    }

    fn report(mut self, label: &str, seconds: f64) {
        self.latencies.sort();
        let pct = |p: f64| {
            let l = &self.latencies;
            l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        println!(
            "| {label} | {:.0}/s | {:.1} | {:.1} | {:.1} | {} | {} | {} |",
            self.latencies.len() as f64 / seconds,
            pct(0.50),
            pct(0.95),
            pct(0.99),
            self.server_errors,
            self.refused,
            self.failed,
        );
    }
}

fn header(what: &str) {
    println!("| {what} | done | p50 ms | p95 ms | p99 ms | 5xx | 4xx / refused | no answer |");
    println!("|---|---|---|---|---|---|---|---|");
}

async fn submit(args: &[String]) {
    let target = target(args);
    let slug = arg(args, "--slug").unwrap_or_else(|| "klantenservice".into());
    let seconds: f64 = num(args, "--seconds", 8.0);
    let clients: usize = num(args, "--clients", 64);
    let rates: Vec<f64> = arg(args, "--rates")
        .unwrap_or_default()
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect();
    let acknowledged = arg(args, "--acknowledged").map(|path| {
        Arc::new(Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .expect("acknowledged file"),
        ))
    });
    // Tokens unique to this run, so repeated runs never meet the deduplication path.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let client = client();
    header(&format!("{target} ({clients} respondents at most)"));
    let mut steps: Vec<Option<f64>> = rates.into_iter().map(Some).collect();
    steps.push(None);
    for (step, rate) in steps.into_iter().enumerate() {
        let next = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let end = start + Duration::from_secs_f64(seconds);
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..clients {
            let (client, target, slug, next) =
                (client.clone(), target.clone(), slug.clone(), next.clone());
            let acknowledged = acknowledged.clone();
            workers.spawn(async move {
                let mut tally = Tally::default();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let due = match rate {
                        Some(rate) => start + Duration::from_secs_f64(k as f64 / rate),
                        None => Instant::now(),
                    };
                    if due >= end {
                        break tally;
                    }
                    tokio::time::sleep_until(due.into()).await;
                    let token = format!("{run:016x}{step:04x}{k:012x}");
                    let score = (k % 11).to_string();
                    let text = TEXTS[k as usize % TEXTS.len()];
                    let lang = if k % 2 == 0 { "nl" } else { "en" };
                    let sent = client
                        .post(&target)
                        .form(&[
                            ("slug", slug.as_str()),
                            ("score", score.as_str()),
                            ("reason", text),
                            ("ch", "web"),
                            ("tp", "service"),
                            ("lang", lang),
                            ("token", token.as_str()),
                        ])
                        .send()
                        .await;
                    match sent {
                        Ok(r) if is_acknowledged(&r) => {
                            tally.latencies.push(due.elapsed());
                            // One write per line, so a killed load tool leaves no half token.
                            if let Some(file) = &acknowledged {
                                let _ = file
                                    .lock()
                                    .unwrap()
                                    .write_all(format!("{token}\n").as_bytes());
                            }
                        }
                        Ok(r) if r.status().is_server_error() => tally.server_errors += 1,
                        Ok(_) => tally.refused += 1,
                        Err(_) => tally.failed += 1,
                    }
                }
            });
        }
        let mut tally = Tally::default();
        while let Some(done) = workers.join_next().await {
            tally.merge(done.expect("worker"));
        }
        let label = match rate {
            Some(rate) => format!("{rate:.0} answers/s offered"),
            None => "as fast as they go".into(),
        };
        tally.report(&label, start.elapsed().as_secs_f64().max(seconds));
    }
}

/// The survey sends an acknowledged answer on to its thank-you page (a plain form post), or
/// answers 2xx (a script's post); the bare endpoint answers 200.
fn is_acknowledged(r: &reqwest::Response) -> bool {
    if r.status().is_redirection() {
        return r
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.contains("/thanks"));
    }
    r.status().is_success()
}

async fn get(args: &[String]) {
    let target = target(args);
    let seconds: f64 = num(args, "--seconds", 5.0);
    let clients: usize = num(args, "--clients", 16);
    let client = client();
    let start = Instant::now();
    let end = start + Duration::from_secs_f64(seconds);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let (client, target) = (client.clone(), target.clone());
        workers.spawn(async move {
            let mut tally = Tally::default();
            while Instant::now() < end {
                let started = Instant::now();
                match client.get(&target).send().await {
                    Ok(r) if r.status().is_success() => {
                        // The whole page, as a browser reads it.
                        if r.bytes().await.is_ok() {
                            tally.latencies.push(started.elapsed());
                        } else {
                            tally.failed += 1;
                        }
                    }
                    Ok(r) if r.status().is_server_error() => tally.server_errors += 1,
                    Ok(_) => tally.refused += 1,
                    Err(_) => tally.failed += 1,
                }
            }
            tally
        });
    }
    let mut tally = Tally::default();
    while let Some(done) = workers.join_next().await {
        tally.merge(done.expect("worker"));
    }
    tally.report(&target, start.elapsed().as_secs_f64());
}

/// The baseline: an axum endpoint that stores each posted answer with one SQLite insert (WAL,
/// the given `synchronous`), nothing else.
async fn bare(args: &[String]) {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
    use std::str::FromStr;
    let addr = arg(args, "--addr").unwrap_or_else(|| "127.0.0.1:3991".into());
    let db = arg(args, "--db").unwrap_or_else(|| "target/bare.db".into());
    let synchronous = match arg(args, "--synchronous").as_deref() {
        Some("normal") => sqlx::sqlite::SqliteSynchronous::Normal,
        _ => sqlx::sqlite::SqliteSynchronous::Full,
    };
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{db}"))
        .expect("database path")
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .busy_timeout(Duration::from_secs(30));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .expect("bare database");
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, token TEXT UNIQUE, \
         score INTEGER, reason TEXT)",
    )
    .execute(&pool)
    .await
    .expect("bare table");
    type Form = axum::extract::Form<std::collections::HashMap<String, String>>;
    let app =
        axum::Router::new()
            .route(
                "/submit",
                axum::routing::post(
                    |axum::extract::State(pool): axum::extract::State<sqlx::SqlitePool>,
                     form: Form| async move {
                        let stored = sqlx::query(
                            "INSERT INTO answers (token, score, reason) VALUES ($1, $2, $3)",
                        )
                        .bind(form.get("token"))
                        .bind(form.get("score").and_then(|s| s.parse::<i64>().ok()))
                        .bind(form.get("reason"))
                        .execute(&pool)
                        .await;
                        match stored {
                            Ok(_) => axum::http::StatusCode::OK,
                            Err(_) => axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        }
                    },
                ),
            )
            .route("/healthz", axum::routing::get(|| async { "ok" }))
            .with_state(pool);
    use axum::serve::ListenerExt;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("bind")
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    eprintln!("bare endpoint on http://{addr}/submit ({db})");
    axum::serve(listener, app).await.expect("serve");
}

/// Every acknowledged answer must be stored exactly once: counts the stored rows of each token
/// in the file; exits 1 when one is missing or doubled.
async fn check(args: &[String]) {
    let url = arg(args, "--database").expect("--database URL");
    let file = arg(args, "--acknowledged").expect("--acknowledged FILE");
    let tokens: Vec<String> = std::fs::read_to_string(&file)
        .expect("acknowledged file")
        .lines()
        .map(str::to_owned)
        .collect();
    let mut counts = std::collections::HashMap::new();
    macro_rules! count_tokens {
        ($connection:ty) => {{
            use sqlx::Connection;
            let mut conn = <$connection>::connect(&url).await.expect("database");
            for chunk in tokens.chunks(500) {
                let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT submission_token, COUNT(*) FROM responses \
                     WHERE submission_token IN ({}) GROUP BY submission_token",
                    list.join(", ")
                );
                let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
                for token in chunk {
                    query = query.bind(token);
                }
                counts.extend(query.fetch_all(&mut conn).await.expect("count"));
            }
        }};
    }
    if url.starts_with("sqlite:") {
        count_tokens!(sqlx::SqliteConnection);
    } else {
        count_tokens!(sqlx::PgConnection);
    }
    let missing = tokens.iter().filter(|t| !counts.contains_key(*t)).count();
    let doubled = counts.values().filter(|n| **n > 1).count();
    println!(
        "{} acknowledged answers: {} stored exactly once, {missing} missing, {doubled} stored more than once",
        tokens.len(),
        tokens.len() - missing - doubled,
    );
    if missing > 0 || doubled > 0 {
        std::process::exit(1);
    }
}
