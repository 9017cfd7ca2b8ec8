//! Two server processes on one database (behind a reverse proxy, say) behave as one
//! installation: sessions, answers and survey changes are shared through the database; what
//! each process keeps for itself (the survey cache) catches up within its 2 s.

use crate::common::{self, each_app};
use app::model::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_database_are_one_installation() {
    each_app(|a| async move {
        let b = a.second_process().await;
        assert_ne!(a.base, b.base);

        // A session begun on one process is good on the other; logging out on one ends it on
        // both.
        let manager = a.logged_in("manager@example.nl", Role::Manager).await;
        assert_eq!(b.get_html(&manager, "/dashboard").await.0, 200);

        // An answer sent through one process and resent through the other is stored once.
        let form = common::answer(&[("token", "twoprocesses0000000000000000001")]);
        for app in [&a, &b] {
            let res = app
                .post_html_form(&app.client, "/api/survey/submit", &form)
                .await;
            assert_eq!(res.status(), 302);
            assert!(res.headers()["location"]
                .to_str()
                .unwrap()
                .contains("/thanks"));
        }
        assert_eq!(a.response_count().await, 1);
        assert_eq!(b.response_count().await, 1);

        // A survey closed through one process: that process refuses answers at once, the other
        // within its cache's 2 s.
        let survey = a
            .state
            .store
            .survey_by_slug("klantenservice")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(b.get_html(&b.client, "/s/klantenservice").await.0, 200);
        a.state
            .store
            .set_survey_state(survey.id, false, false)
            .await
            .unwrap();
        assert_eq!(a.get_html(&a.client, "/s/klantenservice").await.0, 404);
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        assert_eq!(b.get_html(&b.client, "/s/klantenservice").await.0, 404);

        let res = a.post_html_form(&manager, "/api/auth/logout", &[]).await;
        assert_eq!(res.status(), 302);
        assert_eq!(b.get_html(&manager, "/dashboard").await.0, 302);
    })
    .await;
}

/// An import is worked by one process at a time. A second process started while the first
/// imports leaves it alone (its lease is renewed with every batch); when the first stops between
/// two batches — its lease taken away here, as when it dies and the lease runs out — a process
/// takes the import over after its last stored batch: every row stored once, counts exact.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_left_by_its_process_is_taken_over_and_stored_exactly_once() {
    use app::import::BATCH_ROWS;
    each_app(|app| async move {
        let rows = 20_000;
        let mut csv = String::from("Referentie;Cijfer;Opmerking\n");
        for i in 0..rows {
            csv.push_str(&format!(
                "groot-{i};{};Regel {i} van het grote bestand\n",
                i % 11
            ));
        }
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let res = app.upload_csv(&manager, "groot.csv", &csv).await;
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let id = location.rsplit('/').next().unwrap().to_string();
        let form = [
            ("id", id.as_str()),
            ("col_external_id", "0"),
            ("col_score", "1"),
            ("col_comment", "2"),
            ("survey", "klantenservice"),
        ];
        let res = app.post_fn(&manager, "/api/import/start", &form).await;
        assert_eq!(res.status(), 200);
        let _second = app.second_process().await;
        let progress = format!("SELECT CAST(processed_rows AS TEXT) FROM imports WHERE id = {id}");
        let processed = || async {
            let text = app.query_text(&progress).await.unwrap();
            text.parse::<usize>().unwrap()
        };
        let started = std::time::Instant::now();
        while processed().await < 2 * BATCH_ROWS {
            assert!(started.elapsed().as_secs() < 60, "the import does not move");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        // The first process is gone between two batches: its lease is no longer its own.
        let gone = format!(
            "UPDATE imports SET claimed_by = 'gone', lease_until = 0 WHERE id = {id} \
             RETURNING CAST(processed_rows AS TEXT)"
        );
        let at: usize = app.query_text(&gone).await.unwrap().parse().unwrap();
        assert!(at < rows, "taken over before the end ({at} of {rows})");
        let status = format!(
            "SELECT status || ' ' || CAST(processed_rows AS TEXT) || ' ' \
             || CAST(created_rows AS TEXT) || ' ' || CAST(duplicate_rows AS TEXT) || ' ' \
             || CAST(failed_rows AS TEXT) \
             FROM imports WHERE id = {id}"
        );
        let started = std::time::Instant::now();
        let summary = loop {
            let s = app.query_text(&status).await.unwrap();
            if s.starts_with("done") {
                break s;
            }
            assert!(started.elapsed().as_secs() < 90, "not taken over: {s}");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        assert_eq!(summary, format!("done {rows} {rows} 0 0"));
        assert_eq!(app.response_count().await, rows as u64);
        assert_eq!(app.state.store.check().await.unwrap(), Vec::<String>::new());
        eprintln!("import of {rows} rows taken over at row {at}, stored exactly once");
    })
    .await;
}
