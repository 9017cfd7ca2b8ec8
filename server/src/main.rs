//! `server`: runs Klantstem and administers its database.

// Leptos view types of the larger pages nest deeper than the default limit of 128.
#![recursion_limit = "256"]

use app::backend::Settings;
use app::model::Role;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Klantstem: a Voice-of-the-Customer platform"
)]
struct Cli {
    /// Directory for the embedded SQLite database (created if missing).
    #[arg(
        long,
        env = "KLANTSTEM_DATA_DIR",
        default_value = "data",
        global = true
    )]
    data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB.
    /// Default: SQLite in the data directory.
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (applies migrations; on an empty database creates the first
    /// admin and, unless --no-demo, loads demo data).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "KLANTSTEM_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Directory with the compiled site (wasm, JS, CSS), as built by cargo-leptos.
        #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
        site_root: String,
        /// Mark cookies Secure: set this when users reach the site over HTTPS.
        #[arg(long, env = "KLANTSTEM_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Addresses of reverse proxies in front of the server, comma-separated: only their
        /// X-Forwarded-For header is believed (for rate limits and logs).
        #[arg(long, env = "KLANTSTEM_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxy: Vec<std::net::IpAddr>,
        /// The site's public address (e.g. https://feedback.example.nl), used in the links the
        /// link builder makes. Default: the address the request came in on.
        #[arg(long, env = "KLANTSTEM_PUBLIC_URL")]
        public_url: Option<String>,
        /// Survey answers accepted per client address per minute.
        #[arg(long, env = "KLANTSTEM_SUBMIT_LIMIT", default_value_t = 120)]
        submit_limit: u32,
        /// A staff session ends after this many minutes without a request (and 12 hours after
        /// login at the latest).
        #[arg(long, env = "KLANTSTEM_SESSION_IDLE_MINUTES", default_value_t = 120)]
        session_idle_minutes: u64,
        /// Anonymise personal data (contact details, customer links, staff notes, sent mails)
        /// older than this many months, daily. Default: keep it.
        #[arg(long, env = "KLANTSTEM_RETENTION_MONTHS")]
        retention_months: Option<u32>,
        /// Do not load demo data into an empty database.
        #[arg(long, env = "KLANTSTEM_NO_DEMO")]
        no_demo: bool,
        /// E-mail of the admin created on first start.
        #[arg(
            long,
            env = "KLANTSTEM_ADMIN_EMAIL",
            default_value = "admin@klantstem.local"
        )]
        admin_email: String,
        /// Password of the admin created on first start (default: generated and printed once).
        #[arg(long, env = "KLANTSTEM_ADMIN_PASSWORD", hide_env_values = true)]
        admin_password: Option<String>,
        /// SMTP server for the outbox's mails; without it mails wait in the outbox (admins see
        /// them at /admin/outbox).
        #[arg(long, env = "KLANTSTEM_SMTP_HOST")]
        smtp_host: Option<String>,
        #[arg(long, env = "KLANTSTEM_SMTP_PORT", default_value_t = 587)]
        smtp_port: u16,
        #[arg(
            long,
            env = "KLANTSTEM_SMTP_TLS",
            value_enum,
            default_value = "starttls"
        )]
        smtp_tls: server::mail::SmtpTls,
        #[arg(long, env = "KLANTSTEM_SMTP_USER")]
        smtp_user: Option<String>,
        #[arg(long, env = "KLANTSTEM_SMTP_PASSWORD", hide_env_values = true)]
        smtp_password: Option<String>,
        /// The sender of every mail.
        #[arg(
            long,
            env = "KLANTSTEM_MAIL_FROM",
            default_value = "Klantstem <noreply@klantstem.local>"
        )]
        mail_from: String,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Check the stored data (SQLite's integrity check and foreign keys, PostgreSQL's indexes,
    /// the dashboard rollups against the responses); exits 1 when something is wrong.
    Check,
    /// Write a backup of the database to a new file while the server keeps running (SQLite:
    /// VACUUM INTO; PostgreSQL: pg_dump --format=custom).
    Backup {
        /// The backup file to create.
        file: PathBuf,
    },
    /// Restore a backup into a new data directory (SQLite) or an empty database (PostgreSQL),
    /// then check it. Never overwrites anything.
    Restore {
        /// The backup file written by `backup`.
        file: PathBuf,
    },
    /// Create a user. The password is read from standard input (one line) or
    /// KLANTSTEM_NEW_PASSWORD.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// admin, manager, department, product_team or customer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Tag every stored text again with the taxonomy in force (a running server does this by
    /// itself after the taxonomy changes; use this after upgrading Klantstem's analysis).
    Retag,
    /// Import feedback from a CSV file (the same checks and the same result as the import page;
    /// importing the same file again stores nothing twice).
    Import {
        /// The CSV file (comma, semicolon or tab separated; UTF-8 or Windows-1252).
        file: PathBuf,
        /// The survey of rows that do not name one.
        #[arg(long)]
        survey: Option<String>,
        /// The channel of rows that do not name one (e.g. phone).
        #[arg(long)]
        channel: Option<String>,
        /// Map a field to a column (number from 1, or header name), e.g. --map score=Cijfer.
        /// Columns whose header names a field are mapped already.
        #[arg(long = "map", value_name = "FIELD=COLUMN")]
        maps: Vec<String>,
        /// Only check the rows and report; store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Add demo surveys (if missing) and demo responses.
    SeedDemo {
        #[arg(long, default_value_t = 400)]
        responses: usize,
        /// Spread the responses over this many past days.
        #[arg(long, default_value_t = 180)]
        days: i64,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Password of the demo customers and product team (default: generated and printed).
        #[arg(long, env = "KLANTSTEM_DEMO_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        format!("unknown role {s:?}; use admin, manager, department, product_team or customer")
    })
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn run(cli: Cli) -> Result<(), BoxError> {
    let database_url = match cli.database_url {
        Some(url) => url,
        None => {
            std::fs::create_dir_all(&cli.data_dir).map_err(|e| {
                format!(
                    "cannot create data directory {}: {e}",
                    cli.data_dir.display()
                )
            })?;
            format!("sqlite://{}", cli.data_dir.join("klantstem.db").display())
        }
    };
    match cli.command {
        Command::Serve {
            addr,
            site_root,
            secure_cookies,
            trusted_proxy,
            public_url,
            submit_limit,
            session_idle_minutes,
            retention_months,
            no_demo,
            admin_email,
            admin_password,
            smtp_host,
            smtp_port,
            smtp_tls,
            smtp_user,
            smtp_password,
            mail_from,
        } => {
            let smtp = smtp_host.map(|host| server::mail::SmtpSettings {
                host,
                port: smtp_port,
                tls: smtp_tls,
                user: smtp_user,
                password: smtp_password,
                from: mail_from,
            });
            if smtp.is_some() && public_url.is_none() {
                tracing::warn!(
                    "mail is configured without --public-url: links in mails take the address \
                     each request came in on; set --public-url to the site's public address"
                );
            }
            let settings = Settings {
                secure_cookies,
                trusted_proxies: trusted_proxy,
                submit_limit: submit_limit.max(1),
                session_idle: std::time::Duration::from_secs(session_idle_minutes.max(1) * 60),
                public_url,
                mail_enabled: smtp.is_some(),
                retention_months: retention_months.filter(|m| *m > 0),
                ..Settings::default()
            };
            let state = server::open_state(&database_url, settings).await?;
            if state.store.count_users().await? == 0 {
                let generated = admin_password.is_none();
                let password = admin_password.unwrap_or_else(server::generate_password);
                server::create_user(&state, &admin_email, "Admin", Role::Admin, &password).await?;
                println!("Created the first admin account:");
                println!("    e-mail:   {admin_email}");
                if generated {
                    println!("    password: {password}    (shown only this once)");
                } else {
                    println!("    password: (from KLANTSTEM_ADMIN_PASSWORD)");
                }
                if !no_demo && state.store.list_surveys().await?.is_empty() {
                    let report = server::demo::seed(&state, 400, 180, 2026).await?;
                    println!(
                        "Loaded demo data: {} surveys, {} responses.",
                        report.surveys_created, report.responses_created
                    );
                    let ideas = server::demo_ideas::seed_ideas(&state, &password).await?;
                    println!(
                        "Loaded demo ideas: {} boards, {} ideas, {} votes. Demo customer \
                         klant@klantstem.local and product team product@klantstem.local \
                         have the admin's password.",
                        ideas.boards, ideas.ideas, ideas.votes
                    );
                    let closing = server::demo_loop::seed_loop(&state, &password).await?;
                    println!(
                        "Loaded demo departments: {} departments, {} rules, {} follow-up cases, {} \
                         improvement actions, {} pieces of open feedback without a score. \
                         Department members service@klantstem.local and billing@klantstem.local \
                         have the admin's password.",
                        closing.departments,
                        closing.rules,
                        closing.cases,
                        closing.actions,
                        closing.open_feedback
                    );
                    // A first mail in the outbox: it waits there until a mail server is set.
                    klantstem_core::outbox::send_test_mail(
                        &state,
                        &admin_email,
                        "Welkom bij Klantstem",
                        "Klantstem is geïnstalleerd. Onder Uitgaande mail (/admin/outbox) ziet u elk \
                         bericht dat het platform verstuurt; stel --smtp-host in om ze te bezorgen.",
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                }
            }
            server::start_background(&state);
            if let Some(smtp) = &smtp {
                let mailer = server::mail::SmtpMailer::new(smtp)?;
                klantstem_core::outbox::spawn(state.clone(), std::sync::Arc::new(mailer));
                println!("Mail goes out through {}:{}.", smtp.host, smtp.port);
            }
            // The bundle's brotli and gzip files, made once per build, in the background. A debug
            // build (development, tests) leaves it to on-the-fly compression: its 10 MB bundle
            // would keep a core busy for a minute at every start.
            if !cfg!(debug_assertions) {
                let pkg = std::path::Path::new(&site_root).join("pkg");
                tokio::task::spawn_blocking(move || {
                    match server::http::assets::precompress(&pkg) {
                        Ok(n) => tracing::info!(files = n, "bundle precompressed"),
                        Err(e) => tracing::warn!(error = %e, "cannot precompress the bundle"),
                    }
                });
            }
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            let local = listener.local_addr()?;
            let router =
                server::http::router(state.clone(), server::leptos_options(&site_root, local));
            println!(
                "Klantstem ({}) is running at http://{local}/",
                state.store.backend_name()
            );
            println!("Log in at http://{local}/login and open http://{local}/dashboard");
            println!("A survey to try: http://{local}/s/klantenservice?ch=email&tp=service");
            server::http::serve(listener, router).await?;
        }
        Command::Check => {
            let store = klantstem_store::connect(&database_url).await?;
            let problems = store.check().await?;
            if !problems.is_empty() {
                return Err(
                    format!("the database is not sound:\n  {}", problems.join("\n  ")).into(),
                );
            }
            println!("The database is sound ({}).", store.backend_name());
        }
        Command::Backup { file } => {
            server::backup::backup(&database_url, &file).await?;
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            println!("Backup written to {} ({} KB).", file.display(), size / 1024);
        }
        Command::Restore { file } => {
            let store = server::backup::restore(&file, &database_url).await?;
            println!(
                "Restored {} ({} responses); the database is sound.",
                file.display(),
                store.count_responses().await?
            );
        }
        Command::Migrate => {
            let state = server::open_state(&database_url, Settings::default()).await?;
            println!("Migrations applied ({}).", state.store.backend_name());
        }
        Command::CreateUser { email, name, role } => {
            let password = match std::env::var("KLANTSTEM_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().take(1024).read_to_string(&mut line)?;
                    line.lines().next().unwrap_or("").to_string()
                }
            };
            let state = server::open_state(&database_url, Settings::default()).await?;
            let id = server::create_user(&state, &email, &name, role, &password).await?;
            println!("Created user {id} ({email}, {}).", role.as_str());
        }
        Command::Import {
            file,
            survey,
            channel,
            maps,
            dry_run,
        } => {
            let state = server::open_state(&database_url, Settings::default()).await?;
            server::import_file(&state, &file, survey, channel, &maps, dry_run).await?;
        }
        Command::Retag => {
            let state = server::open_state(&database_url, Settings::default()).await?;
            let marked = state.store.mark_all_for_retagging().await?;
            let version = state.analyzer.taxonomy().0;
            let started = std::time::Instant::now();
            let mut done = 0usize;
            loop {
                let n = server::retag::retag_batch(&state).await?;
                if n == 0 {
                    break;
                }
                done += n;
                let (pending, total) = state.store.tagging_progress(version).await?;
                eprint!("\rRetagged {} of {total} texts", total - pending);
            }
            let secs = started.elapsed().as_secs_f64();
            eprintln!();
            println!(
                "Retagged {done} texts ({marked} marked) with taxonomy version {version} in {secs:.1} s ({:.0} texts/s, {}).",
                done as f64 / secs.max(1e-9),
                state.store.backend_name()
            );
        }
        Command::SeedDemo {
            responses,
            days,
            seed,
            password,
        } => {
            let state = server::open_state(&database_url, Settings::default()).await?;
            let report = server::demo::seed(&state, responses, days.max(1), seed).await?;
            println!(
                "Demo data: {} surveys created, {} responses added.",
                report.surveys_created, report.responses_created
            );
            let generated = password.is_none();
            let password = password.unwrap_or_else(server::generate_password);
            let ideas = server::demo_ideas::seed_ideas(&state, &password).await?;
            let closing = server::demo_loop::seed_loop(&state, &password).await?;
            if closing.departments > 0 {
                println!(
                    "Demo departments: {} departments, {} rules, {} follow-up cases, {} actions, \
                     {} pieces of open feedback without a score; members service@klantstem.local \
                     and billing@klantstem.local share the demo password",
                    closing.departments,
                    closing.rules,
                    closing.cases,
                    closing.actions,
                    closing.open_feedback
                );
            }
            if ideas.boards > 0 {
                println!(
                    "Demo ideas: {} boards, {} ideas, {} votes; customer klant@klantstem.local \
                     and product team product@klantstem.local{}",
                    ideas.boards,
                    ideas.ideas,
                    ideas.votes,
                    if generated {
                        format!(" with password {password}")
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
    Ok(())
}
