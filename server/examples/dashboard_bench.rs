//! Dashboard benchmark: seeds a database with demo responses (deterministic, the demo's
//! distributions over surveys, channels, phases, languages, themes and recognised customers)
//! and times every query of the dashboard overview under each single filter, from the rollups
//! and as a naive scan of the responses, in the same run.
//!
//!     cargo run --release -p server --example dashboard_bench -- \
//!         --responses 1000000 --database sqlite://target/bench.db [--runs 30] [--naive-runs 3]
//!     cargo run --release -p server --example dashboard_bench -- \
//!         --responses 1000000 --database postgres://klantstem:klantstem@127.0.0.1/klantstem_bench
//!
//! A database that already holds the responses is reused, so the seeding (minutes at a million)
//! happens once. Prints markdown tables of p50/p95 in milliseconds.

use app::backend::{AppState, Settings};
use app::i18n::Locale;
use app::model::{Dimension, Grouping, ResponseFilter};
use std::time::Instant;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    if samples.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

/// The queries of one overview, as the dashboard runs them (see `app::dashboard::overview`).
const QUERIES: [&str; 8] = [
    "total",
    "trend",
    "comparison (2 periods)",
    "total + breakdowns (as the page reads them)",
    "theme drivers",
    "verbatims (latest 60)",
    "repeat customers",
    "whole overview",
];

async fn run_queries(state: &AppState, filter: &ResponseFilter, timings: &mut [Vec<f64>]) {
    let store = &state.store;
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
    let trend = if app::dashboard::weekly(filter) {
        Grouping::Week
    } else {
        Grouping::Month
    };
    let t = Instant::now();
    store.scores(filter, Grouping::Total).await.unwrap();
    timings[0].push(ms(t));
    let t = Instant::now();
    store.scores(filter, trend).await.unwrap();
    timings[1].push(ms(t));
    let (from, to, _) = app::dashboard::comparison_period(filter, app::backend::now_unix());
    let t = Instant::now();
    for (f, t2) in [(from, to), (from - (to - from), from)] {
        let p = ResponseFilter {
            from: Some(f),
            to: Some(t2),
            ..filter.clone()
        };
        store.scores(&p, Grouping::Total).await.unwrap();
    }
    timings[2].push(ms(t));
    let t = Instant::now();
    if filter.theme.is_none() {
        // One read of every combination gives the total and the four breakdowns.
        store.scores(filter, Grouping::Dimensions).await.unwrap();
    } else {
        for d in Dimension::ALL {
            store.scores(filter, Grouping::By(d)).await.unwrap();
        }
    }
    timings[3].push(ms(t));
    if filter.theme.is_none() {
        let t = Instant::now();
        store.scores(filter, Grouping::ThemeMonth).await.unwrap();
        timings[4].push(ms(t));
    }
    let t = Instant::now();
    store.list_responses(filter, 60).await.unwrap();
    timings[5].push(ms(t));
    let t = Instant::now();
    store.customer_movement(filter).await.unwrap();
    timings[6].push(ms(t));
    let t = Instant::now();
    app::dashboard::overview(
        state,
        filter,
        Vec::new(),
        Locale::Nl,
        &app::labels::UiWords(Locale::Nl),
    )
    .await
    .unwrap();
    timings[7].push(ms(t));
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let responses: usize = arg("--responses")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let database = arg("--database").unwrap_or_else(|| "sqlite://target/bench.db".into());
    // `--only theme` times one filter (by its name in the table), for profiling.
    let only = arg("--only");
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(30);
    let naive_runs: usize = arg("--naive-runs")
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let state = server::open_state(&database, Settings::default()).await?;
    let store = state.store.clone();
    let have = store.count_responses().await? as usize;
    if have < responses {
        eprintln!("Seeding {} responses into {database} …", responses - have);
        let started = Instant::now();
        // Another seed for a top-up, so its tokens do not collide with the first run's.
        let report =
            server::demo::seed(&state, responses - have, 730, 0x5eed + have as u64).await?;
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "Seeded {} responses in {secs:.0} s ({:.0}/s).",
            report.responses_created,
            report.responses_created as f64 / secs
        );
    }
    let total = store.count_responses().await?;
    let day = 86_400;
    let today = app::backend::now_unix() / day * day;
    let cases: Vec<(&str, ResponseFilter)> = vec![
        ("no filter", ResponseFilter::default()),
        (
            "survey",
            ResponseFilter {
                survey: Some("webshop".into()),
                ..Default::default()
            },
        ),
        (
            "channel",
            ResponseFilter {
                channel: Some("phone".into()),
                ..Default::default()
            },
        ),
        (
            "journey phase",
            ResponseFilter {
                journey_phase: Some("service".into()),
                ..Default::default()
            },
        ),
        (
            "language",
            ResponseFilter {
                language: Some("en".into()),
                ..Default::default()
            },
        ),
        (
            "theme",
            ResponseFilter {
                theme: Some("waiting_time".into()),
                ..Default::default()
            },
        ),
        (
            "score group",
            ResponseFilter {
                group: Some("detractor".into()),
                ..Default::default()
            },
        ),
        (
            "last 90 days",
            ResponseFilter {
                from: Some(today - 89 * day),
                to: Some(today + day),
                ..Default::default()
            },
        ),
    ];

    println!(
        "\n{} with {total} responses; {runs} runs per filter from the rollups, {naive_runs} as a naive scan.\n",
        store.backend_name()
    );
    let mut per_query = [
        vec![Vec::new(); QUERIES.len()],
        vec![Vec::new(); QUERIES.len()],
    ];
    println!("| filter | overview p50 (ms) | overview p95 (ms) | naive scan p50 (ms) |");
    println!("|---|---:|---:|---:|");
    let mut per_filter = Vec::new();
    for (name, filter) in &cases {
        if only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        let mut fast = vec![Vec::new(); QUERIES.len()];
        let mut slow = vec![Vec::new(); QUERIES.len()];
        store.set_rollups(true);
        run_queries(&state, filter, &mut fast).await; // warm-up
        fast.iter_mut().for_each(Vec::clear);
        for _ in 0..runs {
            run_queries(&state, filter, &mut fast).await;
        }
        store.set_rollups(false);
        for _ in 0..naive_runs {
            run_queries(&state, filter, &mut slow).await;
        }
        store.set_rollups(true);
        println!(
            "| {name} | {:.1} | {:.1} | {:.0} |",
            percentile(&mut fast[7].clone(), 50.0),
            percentile(&mut fast[7].clone(), 95.0),
            percentile(&mut slow[7].clone(), 50.0),
        );
        per_filter.push((
            name,
            fast.iter()
                .map(|t| percentile(&mut t.clone(), 50.0))
                .collect::<Vec<_>>(),
        ));
        for (i, (f, s)) in fast.into_iter().zip(slow).enumerate() {
            per_query[0][i].extend(f);
            per_query[1][i].extend(s);
        }
    }
    println!("\nPer filter and query, p50 (ms): {}", QUERIES.join(" · "));
    for (name, p50s) in per_filter {
        let cells: Vec<String> = p50s.iter().map(|v| format!("{v:.1}")).collect();
        println!("  {name}: {}", cells.join(" · "));
    }
    println!("\n| query (all filters) | p50 (ms) | p95 (ms) | naive p50 (ms) | naive p95 (ms) |");
    println!("|---|---:|---:|---:|---:|");
    for (i, name) in QUERIES.iter().enumerate() {
        let (f, s) = (&mut per_query[0][i].clone(), &mut per_query[1][i].clone());
        println!(
            "| {name} | {:.1} | {:.1} | {:.0} | {:.0} |",
            percentile(f, 50.0),
            percentile(f, 95.0),
            percentile(s, 50.0),
            percentile(s, 95.0)
        );
    }
    Ok(())
}
