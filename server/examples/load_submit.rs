//! Load script: posts survey answers to a running server and reports throughput and latency.
//!
//!     cargo run --release -p server --example load_submit -- http://127.0.0.1:3000 klantenservice 20 8
//!
//! Arguments: base URL, survey slug, seconds (default 20), concurrent clients (default 8).
//! Every request carries a fresh submission token, so every request stores a response. Only
//! point it at a server on this machine.

use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:3000".into());
    let slug = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "klantenservice".into());
    let seconds: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let clients: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(8);
    assert!(
        base.starts_with("http://127.") || base.starts_with("http://localhost"),
        "only loopback targets"
    );

    // Tokens unique to this run, so repeated runs never hit the deduplication path.
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let url = format!("{base}/api/survey/submit");
    let mut tasks = Vec::new();
    for worker in 0..clients {
        let (url, slug) = (url.clone(), slug.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            let mut i = 0u64;
            while Instant::now() < deadline {
                i += 1;
                let token = format!("{run:016x}{:08x}{i:08x}", worker);
                let score = ((worker as u64 + i) % 11).to_string();
                let started = Instant::now();
                let res = client
                    .post(&url)
                    .form(&[
                        ("slug", slug.as_str()),
                        ("score", score.as_str()),
                        ("reason", "De wachttijd aan de telefoon was te lang, maar de medewerker hielp goed."),
                        ("ch", "phone"),
                        ("tp", "service"),
                        ("lang", "nl"),
                        ("token", token.as_str()),
                    ])
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => latencies.push(started.elapsed()),
                    _ => failures += 1,
                }
            }
            (latencies, failures)
        }));
    }
    let mut all = Vec::new();
    let mut failures = 0;
    for t in tasks {
        let (l, f) = t.await.unwrap();
        all.extend(l);
        failures += f;
    }
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{} answers stored in {seconds} s with {clients} clients: {:.0} submissions/s; latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms; {failures} failures",
        all.len(),
        all.len() as f64 / seconds as f64,
        pct(0.50).as_secs_f64() * 1000.0,
        pct(0.95).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
    );
}
