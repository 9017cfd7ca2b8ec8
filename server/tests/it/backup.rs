//! Backup and restore while answers keep arriving: the restored database is sound and, once the
//! writes stop, a backup restored into a fresh place equals the original in every table.

use klantstem_core::survey_answer::{answer_survey, SurveyAnswer};
use klantstem_store::test_db::{pg_tables, sqlite_tables};
use server::backup::{backup, restore, BackupError};

fn answer(k: usize) -> SurveyAnswer {
    let form = app::survey::SubmissionInput {
        score: Some((k % 11).to_string()),
        reason: Some("De wachttijd was veel te lang".into()),
        ..Default::default()
    };
    SurveyAnswer {
        slug: "klantenservice".into(),
        form,
        channel: app::survey::Channel::Web,
        phase: None,
        locale: Default::default(),
        token: Some(format!("backuptest{k:08}")),
        score_only: false,
        answers: Vec::new(),
        bot: false,
        consent_wording: String::new(),
    }
}

/// Seeds the demo into the database at `url`, backs it up while 200 answers arrive, restores
/// that into `restored_url`, then backs up and restores once more after the writes and compares
/// every table.
async fn backup_and_restore_round(url: &str, dir: &std::path::Path, restored: [&str; 2]) {
    let state = server::open_state(url, Default::default()).await.unwrap();
    server::demo::seed(&state, 300, 60, 7).await.unwrap();
    server::demo_ideas::seed_ideas(&state, "demo-password-123")
        .await
        .unwrap();
    server::demo_loop::seed_loop(&state, "demo-password-123")
        .await
        .unwrap();

    let writer = {
        let state = state.clone();
        tokio::spawn(async move {
            for k in 0..200 {
                answer_survey(&state, answer(k)).await.unwrap();
            }
        })
    };
    let during = dir.join("during.backup");
    backup(url, &during).await.unwrap();
    writer.await.unwrap();
    let store = restore(&during, restored[0]).await.unwrap();
    let kept = store.count_responses().await.unwrap();
    assert!(
        (300..=500).contains(&kept),
        "the backup taken during the writes holds a consistent moment: {kept} responses"
    );

    let after = dir.join("after.backup");
    backup(url, &after).await.unwrap();
    assert!(
        matches!(backup(url, &after).await, Err(BackupError::TargetExists(_))),
        "a backup never overwrites a file"
    );
    restore(&after, restored[1]).await.unwrap();
    assert!(
        matches!(
            restore(&after, restored[1]).await,
            Err(BackupError::TargetExists(_) | BackupError::DatabaseNotEmpty(_))
        ),
        "a restore never overwrites a database"
    );
    let refused = restore(
        &dir.join("during.backup.missing"),
        "sqlite:///nonexistent/x.db",
    )
    .await;
    assert_eq!(
        refused.err().unwrap().to_string(),
        format!(
            "{} is not a backup: no such file",
            dir.join("during.backup.missing").display()
        )
    );
}

#[tokio::test]
async fn a_sqlite_backup_taken_while_answers_arrive_restores_into_a_fresh_directory() {
    let dir = std::env::temp_dir().join(format!(
        "klantstem-backup-{}",
        &klantstem_core::secrets::random_token()[..12]
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("live/klantstem.db").display());
    std::fs::create_dir_all(dir.join("live")).unwrap();
    let during = format!("sqlite://{}", dir.join("during/klantstem.db").display());
    let after = format!("sqlite://{}", dir.join("after/klantstem.db").display());
    backup_and_restore_round(&url, &dir, [&during, &after]).await;
    let original = sqlite_tables(&url).await;
    assert!(
        original.len() > 40,
        "every table is compared: {}",
        original.len()
    );
    assert!(original["responses"].len() >= 500);
    assert_eq!(sqlite_tables(&after).await, original);

    let not_sqlite = dir.join("notes.txt");
    std::fs::write(&not_sqlite, "hello").unwrap();
    let fresh = format!("sqlite://{}", dir.join("other/klantstem.db").display());
    assert_eq!(
        restore(&not_sqlite, &fresh)
            .await
            .err()
            .unwrap()
            .to_string(),
        format!(
            "{} is not a backup: not an SQLite database",
            not_sqlite.display()
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_postgres_backup_taken_while_answers_arrive_restores_into_an_empty_database() {
    let Ok(test_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL backup test skipped");
        return;
    };
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&test_url).await.unwrap();
    let name = format!("kbackup{}", &klantstem_core::secrets::random_token()[..10]).to_lowercase();
    let base = &test_url[..test_url.rfind('/').unwrap()];
    let dbs = [
        format!("{name}_live"),
        format!("{name}_during"),
        format!("{name}_after"),
    ];
    for db in &dbs {
        sqlx::query(&format!("CREATE DATABASE {db}"))
            .execute(&mut admin)
            .await
            .expect("the test role may create databases (./dev test grants CREATEDB)");
    }
    let urls: Vec<String> = dbs.iter().map(|db| format!("{base}/{db}")).collect();
    let dir = std::env::temp_dir().join(format!("klantstem-pgbackup-{name}"));
    std::fs::create_dir_all(&dir).unwrap();
    backup_and_restore_round(&urls[0], &dir, [&urls[1], &urls[2]]).await;
    let original = pg_tables(&urls[0]).await;
    assert!(
        original.len() > 40,
        "every table is compared: {}",
        original.len()
    );
    assert_eq!(pg_tables(&urls[2]).await, original);
    let _ = std::fs::remove_dir_all(&dir);
    for db in &dbs {
        let _ = sqlx::query(&format!("DROP DATABASE {db} WITH (FORCE)"))
            .execute(&mut admin)
            .await;
    }
}
