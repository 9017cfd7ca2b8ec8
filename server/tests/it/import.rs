//! CSV import over HTTP and from the command line, on every backend: upload, preview with a
//! validation report, background import with progress, idempotent re-import, bad files.

use crate::common::{each_app, new_client, TestApp};
use app::import::ImportSummary;
use app::model::Role;
use std::time::Duration;

/// A Dutch call-centre export: semicolons, Dutch headers, one row with a bad score.
const CSV: &str = "Klantnummer;Cijfer;Opmerking;Datum;Kanaal\n\
K-1;9;Snel geholpen door de medewerker;2026-11-02;telefoon\n\
K-2;12;Te lang in de wacht;2026-11-03;\n\
K-3;4;Wachttijd veel te lang, 06-12345678;2026-11-04;\n";

async fn manager(app: &TestApp) -> reqwest::Client {
    app.add_user("manager@example.nl", Role::Manager).await;
    let client = new_client();
    app.login(&client, "manager@example.nl").await;
    client
}

async fn wait_until_done(app: &TestApp, client: &reqwest::Client, id: i64) -> ImportSummary {
    for _ in 0..200 {
        let res = app
            .post_fn(client, "/api/import/status", &[("id", &id.to_string())])
            .await;
        assert_eq!(res.status(), 200);
        let s: ImportSummary = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        if s.status == "done" {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

fn id_from(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().parse().unwrap()
}

const MAPPING: [(&str, &str); 5] = [
    ("col_customer_ref", "0"),
    ("col_score", "1"),
    ("col_comment", "2"),
    ("col_submitted_at", "3"),
    ("survey", "klantenservice"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_is_previewed_checked_imported_and_reimported_without_duplicates() {
    each_app(|app| async move {
        let m = manager(&app).await;
        let res = app.upload_csv(&m, "callcenter.csv", CSV).await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let id = id_from(&location);

        // The preview guesses most columns from the Dutch headers and reports the bad rows.
        let (status, html) = app.get_html(&m, &location).await;
        assert_eq!(status, 200);
        assert!(html.contains("Klantnummer") && html.contains("Snel geholpen"));
        assert!(
            html.contains("0 rijen in orde · 3 rijen met problemen"),
            "no survey chosen yet"
        );
        // With a survey for every row and "telefoon" not being a channel code:
        let query: Vec<String> = MAPPING.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let (_, html) = app
            .get_html(&m, &format!("{location}?{}", query.join("&")))
            .await;
        assert!(
            html.contains("2 rijen in orde · 1 rijen met problemen"),
            "{html}"
        );
        assert!(html.contains("<td>3</td>"), "line 3 is the bad one");
        assert!(html.contains("De score moet een heel getal van 0 tot en met 10 zijn."));

        let mut form: Vec<(&str, &str)> = MAPPING.to_vec();
        let id_text = id.to_string();
        form.push(("id", &id_text));
        let res = app.post_fn(&m, "/api/import/start", &form).await;
        assert_eq!(res.status(), 200);
        let s = wait_until_done(&app, &m, id).await;
        assert_eq!(
            (s.total, s.processed, s.created, s.duplicates, s.failed),
            (3, 3, 2, 0, 1)
        );
        let stored = app.state.store.latest_verbatims(10).await.unwrap();
        assert_eq!(stored.len(), 2);
        assert!(stored
            .iter()
            .all(|v| v.source == "import" && v.customer.is_some()));
        let k3 = stored.iter().find(|v| v.score == Some(4)).unwrap();
        assert_eq!(k3.created_at, 1_793_750_400, "2026-11-04");
        assert!(
            k3.reason.as_deref().unwrap().ends_with("[tel]"),
            "no consent: masked"
        );
        assert!(k3.themes.iter().any(|t| t.key == "waiting_time"));
        // Starting again does nothing; the page shows the result and the report.
        app.post_fn(&m, "/api/import/start", &form).await;
        let (_, html) = app.get_html(&m, &location).await;
        assert!(
            html.contains("Import klaar: 2 nieuw, 0 al aanwezig, 1 overgeslagen."),
            "{html}"
        );
        // The rows now live in the responses (erasable there); the file keeps its header.
        assert!(html.contains("De rijen van het bestand worden na de import niet bewaard"));
        assert!(!html.contains("Snel geholpen door de medewerker"), "{html}");
        assert!(
            html.contains("1: Klantnummer"),
            "the columns are still shown"
        );
        let kept = format!("SELECT content FROM imports WHERE id = {id}");
        assert_eq!(
            app.query_text(&kept).await.unwrap(),
            "Klantnummer;Cijfer;Opmerking;Datum;Kanaal\n"
        );

        // The same file again: nothing new.
        let res = app.upload_csv(&m, "callcenter.csv", CSV).await;
        let id2 = id_from(res.headers()["location"].to_str().unwrap());
        let id2_text = id2.to_string();
        let mut form2: Vec<(&str, &str)> = MAPPING.to_vec();
        form2.push(("id", &id2_text));
        app.post_fn(&m, "/api/import/start", &form2).await;
        let s = wait_until_done(&app, &m, id2).await;
        assert_eq!((s.created, s.duplicates, s.failed), (0, 2, 1));
        assert_eq!(app.response_count().await, 2);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_files_and_bad_users_are_refused() {
    each_app(|app| async move {
        let anonymous = new_client();
        let res = app.upload_csv(&anonymous, "x.csv", CSV).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], "/login?next=/admin/import");
        app.add_user("klant@example.nl", Role::Customer).await;
        let customer = new_client();
        app.login(&customer, "klant@example.nl").await;
        assert_eq!(app.upload_csv(&customer, "x.csv", CSV).await.status(), 403);

        let m = manager(&app).await;
        for (content, code) in [
            ("", "csv_empty"),
            ("score;comment\n", "csv_empty"),
            ("PK\u{3}\u{4}\0\0[Content_Types].xml", "csv_unreadable"),
        ] {
            let res = app.upload_csv(&m, "bad.csv", content).await;
            assert_eq!(res.status(), 303);
            assert_eq!(
                res.headers()["location"],
                format!("/admin/import?error={code}").as_str(),
                "{content:?}"
            );
        }
        let (_, html) = app.get_html(&m, "/admin/import?error=csv_empty").await;
        assert!(html.contains("Het bestand is leeg"));
        let res = app.post_fn(&m, "/api/import/start", &[("id", "999")]).await;
        assert_eq!(res.status(), 404);
        assert_eq!(app.response_count().await, 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_imports_windows_1252_files_once() {
    each_app(|app| async move {
        // Own the whole app: a block that only names some of its fields would capture just
        // those, and the test database would be deleted under it.
        let app = app;
        // "Café" and "één" in Windows-1252, as Excel writes them.
        let mut bytes = b"score,comment,channel\n8,Caf".to_vec();
        bytes.extend([0xE9]);
        bytes.extend(b" was prima,store\n3,");
        bytes.extend([0xE9, 0xE9, 0x6E]);
        bytes.extend(b" ster,store\n");
        let path = std::env::temp_dir().join(format!(
            "klantstem-import-{}.csv",
            app.base.replace([':', '/', '.'], "")
        ));
        std::fs::write(&path, &bytes).unwrap();
        for _ in 0..2 {
            server::import_file(
                &app.state,
                &path,
                Some("winkel".into()),
                None,
                &["comment=2".into()],
                false,
            )
            .await
            .unwrap();
        }
        let stored = app.state.store.latest_verbatims(10).await.unwrap();
        assert_eq!(stored.len(), 2, "imported once");
        assert!(stored
            .iter()
            .any(|v| v.reason.as_deref() == Some("Café was prima")));
        assert!(stored.iter().all(|v| v.channel.as_deref() == Some("store")));
        let bad =
            server::import_file(&app.state, &path, None, None, &["nope=1".into()], false).await;
        assert!(bad.unwrap_err().to_string().contains("unknown field"));
        std::fs::remove_file(&path).ok();
    })
    .await;
}
