//! What routing costs a survey answer: stores answers one at a time (as the survey form does,
//! one transaction each, `synchronous=FULL`) on a fresh SQLite database, first with no
//! departments, then with the demo's routing (one rule per theme owner, a default department
//! and the case policy: detractors with an address get a case), and times each insert.
//!
//!     cargo run --release -p server --example routing_bench -- [--answers 2000]
//!
//! Prints p50/p95 per answer in ms for both, and the ratio.

use app::backend::{now_unix, NewResponse, Settings};
use app::i18n::Locale;
use app::model::{Role, UserInfo};
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

const TEXTS: [&str; 6] = [
    "Veel te lang in de wacht gestaan voordat iemand opnam.",
    "De factuur was hoger dan afgesproken.",
    "Het pakket kwam twee dagen te laat.",
    "Vriendelijke medewerker, snel geholpen.",
    "De app logt me steeds uit.",
    "Prima service, niets op aan te merken.",
];

async fn run(label: &str, routed: bool, answers: usize) -> Vec<f64> {
    let path = std::env::temp_dir().join(format!("klantstem-routing-bench-{label}.db"));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let state = server::open_state(&url, Settings::default()).await.unwrap();
    server::demo::seed(&state, 0, 30, 1).await.unwrap();
    if routed {
        let admin = UserInfo {
            id: 0,
            email: String::new(),
            display_name: "bench".into(),
            role: Role::Admin,
        };
        klantstem_core::routing::rules_from_taxonomy(&state, &admin)
            .await
            .unwrap();
        let setup = state.store.routing_setup().await.unwrap();
        state
            .store
            .save_routing_settings(setup.departments.first().map(|d| d.id), &Default::default())
            .await
            .unwrap();
    }
    let survey = state.store.list_surveys().await.unwrap()[0].id;
    let now = now_unix();
    let mut times = Vec::with_capacity(answers);
    for i in 0..answers {
        let text = TEXTS[i % TEXTS.len()];
        let analysis = state.analyzer.analyze(text, Some(Locale::Nl));
        let response = NewResponse {
            survey_id: survey,
            submission_token: format!("bench-{i}"),
            score: Some((i % 11) as u8),
            rating: None,
            reason: Some(text.into()),
            language: Some("nl".into()),
            language_confidence: Some(0.9),
            respondent_locale: "nl".into(),
            channel: Some("web".into()),
            journey_phase: None,
            contact_email: (i % 3 == 0).then(|| format!("klant{i}@example.nl")),
            created_at: now,
            sentiment: analysis.sentiment.as_ref().map(|s| s.0.clone()),
            sentiment_score: analysis.sentiment.map(|s| s.1),
            sentiment_confidence: analysis.sentiment_confidence,
            themes: analysis.themes,
            taxonomy_version: analysis.taxonomy_version,
            source: "survey".into(),
            customer_hash: None,
            customer_ref: None,
            consent: None,
            entered_by: None,
            answers: Vec::new(),
            labels: Default::default(),
        };
        let started = Instant::now();
        state.store.insert_response(&response).await.unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    if routed {
        let (_, items) = state.store.inbox(None, &Default::default()).await.unwrap();
        eprintln!("{label}: {items} inbox items");
    }
    let _ = std::fs::remove_file(&path);
    times
}

#[tokio::main]
async fn main() {
    let answers: usize = arg("--answers")
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let mut bare = run("bare", false, answers).await;
    let mut routed = run("routed", true, answers).await;
    let (b50, b95) = (percentile(&mut bare, 50.0), percentile(&mut bare, 95.0));
    let (r50, r95) = (percentile(&mut routed, 50.0), percentile(&mut routed, 95.0));
    println!("| {answers} answers, one transaction each | p50 ms | p95 ms |");
    println!("|---|---|---|");
    println!("| no departments | {b50:.2} | {b95:.2} |");
    println!("| routed (7 rules, default, cases) | {r50:.2} | {r95:.2} |");
    println!("| ratio | {:.2}× | {:.2}× |", r50 / b50, r95 / b95);
}
