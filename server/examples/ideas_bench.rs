//! Idea boards under load: a board with 10,000 ideas and 1,000,000 votes on SQLite. Times, over
//! real HTTP against the server's own router, the board page (trending, top, newest, a search)
//! and similar-idea suggestions, each beside a bare endpoint (`/healthz`) in the same run.
//!
//!     cargo run --release -p server --example ideas_bench -- \
//!         --database sqlite://target/ideas-bench.db [--ideas 10000] [--votes 1000000] [--runs 50]
//!
//! A database that already holds the ideas is reused. Prints a markdown table of p50/p95 in ms.

use app::backend::{now_unix, Settings};
use app::idea::IdeaText;
use klantstem_store::sqlite::SqliteStore;
use std::sync::Arc;
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

/// Words ideas are made of, so titles overlap the way real ones do.
const SUBJECTS: [&str; 16] = [
    "donkere modus",
    "factuur",
    "levering",
    "retour",
    "wachttijd",
    "app",
    "chat",
    "meterstand",
    "overstappen",
    "korting",
    "verbruik",
    "melding",
    "afspraak",
    "winkel",
    "wachtwoord",
    "zonnepanelen",
];
const WISHES: [&str; 8] = [
    "sneller",
    "duidelijker",
    "in de app",
    "per mail",
    "met een grafiek",
    "zonder inloggen",
    "op zondag",
    "voor ouderen",
];

#[tokio::main]
async fn main() {
    let url = arg("--database").unwrap_or_else(|| "sqlite://target/ideas-bench.db".into());
    let ideas: i64 = arg("--ideas")
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let votes: i64 = arg("--votes")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(50);
    let sqlite = SqliteStore::connect(&url).await.expect("open the database");
    let pool = sqlite.pool.clone();
    let state = server::state_for(
        Arc::new(sqlite),
        Settings {
            contribute_limit: 1_000_000,
            ..Settings::default()
        },
    )
    .await
    .unwrap();
    let store = state.store.clone();
    if store.list_boards().await.unwrap().is_empty() {
        server::demo_ideas::seed_ideas(&state, "bench-password-1")
            .await
            .unwrap();
    }
    let board = store.board_by_slug("app").await.unwrap().unwrap();
    let have: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ideas WHERE board_id = $1")
        .bind(board.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    if have < ideas {
        let t = Instant::now();
        let author = store
            .account_by_email("klant@klantstem.local")
            .await
            .unwrap()
            .unwrap()
            .id;
        let now = now_unix();
        for i in have..ideas {
            let s = SUBJECTS[(i as usize * 7) % SUBJECTS.len()];
            let w = WISHES[(i as usize * 3) % WISHES.len()];
            let text = IdeaText {
                title: format!("{s} {w} (idee {i})"),
                body: format!("Het zou fijn zijn als {s} {w} kan. Nu kost het me veel tijd."),
            };
            let age = (i * 7919) % (365 * 86_400);
            let idea = klantstem_core::ideas::analysed_idea(
                &state,
                board.id,
                author,
                text,
                Default::default(),
                false,
                now - age,
            );
            store.insert_idea(&idea).await.unwrap();
        }
        eprintln!(
            "{} ideas stored in {:.0} s",
            ideas - have,
            t.elapsed().as_secs_f64()
        );
        // Voters: enough customers for `votes` votes, each on 50 distinct ideas.
        let t = Instant::now();
        let voters = votes / 50;
        sqlx::query(
            "INSERT OR IGNORE INTO users (email, display_name, password_hash, role, created_at, email_verified_at) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
             SELECT 'stemmer' || i || '@bench.example', 'Stemmer ' || i, '!', 'customer', 0, 0 FROM n",
        )
        .bind(voters)
        .execute(&pool)
        .await
        .unwrap();
        let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM ideas WHERE board_id = $1")
            .bind(board.id)
            .fetch_one(&pool)
            .await
            .unwrap();
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ideas WHERE board_id = $1")
            .bind(board.id)
            .fetch_one(&pool)
            .await
            .unwrap();
        // 4729 is coprime to 10,000: a voter's 50 ideas are distinct.
        sqlx::query(
            "INSERT OR IGNORE INTO idea_votes (idea_id, user_id, created_at) \
             WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 49) \
             SELECT $1 + ((u.id * 7919 + k.j * 4729) % $2), u.id, 0 \
             FROM users u, k WHERE u.email LIKE 'stemmer%@bench.example'",
        )
        .bind(first)
        .bind(count)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE ideas SET vote_count = (SELECT COUNT(*) FROM idea_votes v WHERE v.idea_id = ideas.id) \
             WHERE board_id = $1",
        )
        .bind(board.id)
        .execute(&pool)
        .await
        .unwrap();
        eprintln!("votes stored in {:.0} s", t.elapsed().as_secs_f64());
    }
    let total_votes: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM idea_votes v JOIN ideas i ON i.id = v.idea_id WHERE i.board_id = $1",
    )
    .bind(board.id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let total_ideas: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ideas WHERE board_id = $1")
        .bind(board.id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let all_ideas = store.count_visible_ideas().await.unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let site = std::env::temp_dir().join("klantstem-bench-site");
    let router = server::http::router(
        state.clone(),
        server::leptos_options(&site.to_string_lossy(), addr),
    );
    tokio::spawn(server::http::serve(listener, router));
    let client = reqwest::Client::new();
    let base = format!("http://{addr}");
    let cases: [(&str, String); 8] = [
        ("bare endpoint `/healthz` (baseline)", "/healthz".into()),
        (
            "board page, trending (30 of the board's ideas)",
            "/ideas/app".into(),
        ),
        ("board page, top", "/ideas/app?sort=top".into()),
        (
            "board page, newest, page 100",
            "/ideas/app?sort=new&page=100".into(),
        ),
        (
            "board page, search \"factuur grafiek\"",
            "/ideas/app?q=factuur%20grafiek".into(),
        ),
        (
            "similar ideas, \"Donkere modus in de app\"",
            "/api/ideas/similar?title=Donkere%20modus%20in%20de%20app".into(),
        ),
        (
            "similar ideas, \"Dark mode for invoices\"",
            "/api/ideas/similar?title=Dark%20mode%20for%20invoices".into(),
        ),
        (
            "similar ideas, \"wachttijd bij de chat\"",
            "/api/ideas/similar?title=wachttijd%20bij%20de%20chat".into(),
        ),
    ];
    println!("Board \"app\": {total_ideas} ideas, {total_votes} votes ({all_ideas} ideas on all boards); {runs} runs each, release build, SQLite.\n");
    println!("| request | p50 ms | p95 ms | p50 ÷ baseline |");
    println!("|---|---:|---:|---:|");
    let mut baseline = f64::NAN;
    for (name, path) in cases {
        let url = format!("{base}{path}");
        // Warm up.
        for _ in 0..3 {
            client
                .get(&url)
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
        }
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            let res = client
                .get(&url)
                .header("accept", "text/html")
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "{url}: {}", res.status());
            res.bytes().await.unwrap();
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let p50 = percentile(&mut samples, 50.0);
        let p95 = percentile(&mut samples, 95.0);
        if baseline.is_nan() {
            baseline = p50;
        }
        println!("| {name} | {p50:.2} | {p95:.2} | {:.0}× |", p50 / baseline);
    }
    // The suggestion use case itself, without HTTP: analysis of the title, the term lookup and
    // the ranking.
    for title in [
        "Donkere modus in de app",
        "Dark mode for invoices",
        "wachttijd bij de chat",
    ] {
        let mut samples = Vec::with_capacity(runs);
        for _ in 0..runs {
            let t = Instant::now();
            klantstem_core::ideas::suggestions(&state, None, title, Default::default())
                .await
                .unwrap();
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let p50 = percentile(&mut samples, 50.0);
        let p95 = percentile(&mut samples, 95.0);
        println!(
            "| suggestions in process, \"{title}\" | {p50:.2} | {p95:.2} | {:.0}× |",
            p50 / baseline
        );
    }
}
