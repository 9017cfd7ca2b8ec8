//! The outbox: mails written first, delivered through a real SMTP conversation (a sink on
//! 127.0.0.1), retried after a refusal, given up after the last try, sent again by an admin —
//! and only admins see or touch it. On SQLite and PostgreSQL.

use crate::common::smtp_sink::SmtpSink;
use crate::common::{each_app, new_client, TestApp};
use app::model::Role;
use app::outbox::{MailStatus, MAX_ATTEMPTS};
use klantstem_core::outbox::deliver_due_at;
use server::mail::SmtpMailer;

fn mailer(sink: &SmtpSink) -> SmtpMailer {
    sink.mailer()
}

async fn admin(app: &TestApp) -> reqwest::Client {
    app.logged_in("admin@example.nl", Role::Admin).await
}

async fn queue_test_mail(app: &TestApp, client: &reqwest::Client, to: &str) -> reqwest::Response {
    app.post_html_form(client, "/api/outbox/test", &[("to", to)])
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_test_mail_is_written_first_then_delivered_once_over_smtp() {
    each_app(|app| async move {
        let sink = SmtpSink::start().await;
        let admin = admin(&app).await;
        let res = queue_test_mail(&app, &admin, "beheer@example.nl").await;
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/admin/outbox?queued=1");
        // Written, not yet sent: the page says so, and that no mail server is configured.
        let (status, page) = app.get_html(&admin, "/admin/outbox?queued=1").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Het testbericht staat in de uitgaande mail."),
            "{page}"
        );
        assert!(page.contains("Er is geen mailserver ingesteld"), "{page}");
        assert!(
            page.contains("beheer@example.nl") && page.contains(">wacht<"),
            "{page}"
        );

        let sent = deliver_due_at(&app.state, &mailer(&sink), klantstem_core::now_unix)
            .await
            .unwrap();
        assert_eq!(sent, 1);
        let entry = &app.state.store.list_outbox(10).await.unwrap()[0];
        assert_eq!((entry.status, entry.attempts), (MailStatus::Sent, 1));
        let messages = sink.messages();
        assert_eq!(messages.len(), 1);
        let message = &messages[0];
        assert!(message.contains("To: beheer@example.nl"), "{message}");
        assert!(
            message.contains("From: Klantstem <noreply@klantstem.test>"),
            "{message}"
        );
        assert!(
            message.contains("Subject: Testbericht van Klantstem"),
            "{message}"
        );
        assert!(
            message.contains(&format!("Message-ID: {}", entry.message_id)),
            "{message}"
        );
        assert!(message.contains("verstuurd door Test User"), "{message}");
        // What the SMTP server accepted is never sent again.
        let again = deliver_due_at(&app.state, &mailer(&sink), || {
            klantstem_core::now_unix() + 86_400
        })
        .await
        .unwrap();
        assert_eq!(again, 0);
        assert_eq!(sink.messages().len(), 1);
        let (_, page) = app.get_html(&admin, "/admin/outbox").await;
        assert!(page.contains(">verstuurd<"), "{page}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_mail_is_tried_again_later_then_given_up_and_sent_again_by_an_admin() {
    each_app(|app| async move {
        let sink = SmtpSink::start().await;
        let admin = admin(&app).await;
        queue_test_mail(&app, &admin, "klant@example.nl").await;
        let start = klantstem_core::now_unix();
        sink.refuse
            .lock()
            .unwrap()
            .push("451 4.3.0 Mailbox busy, try later".into());
        let sent = deliver_due_at(&app.state, &mailer(&sink), || start)
            .await
            .unwrap();
        assert_eq!(sent, 0);
        let entry = &app.state.store.list_outbox(10).await.unwrap()[0];
        assert_eq!((entry.status, entry.attempts), (MailStatus::Pending, 1));
        assert!(entry
            .last_error
            .as_deref()
            .unwrap()
            .contains("Mailbox busy"));
        assert_eq!(
            entry.next_attempt_at,
            start + 60,
            "the first retry after a minute"
        );
        // Not before its time; then delivered, under the same Message-ID.
        assert_eq!(
            deliver_due_at(&app.state, &mailer(&sink), || start + 59)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            deliver_due_at(&app.state, &mailer(&sink), || start + 60)
                .await
                .unwrap(),
            1
        );
        assert!(sink.messages()[0].contains(&entry.message_id));

        // A mail the server keeps refusing is given up after the last try.
        queue_test_mail(&app, &admin, "weg@example.nl").await;
        let mut clock = start + 100;
        for _ in 0..MAX_ATTEMPTS {
            sink.refuse
                .lock()
                .unwrap()
                .push("550 5.1.1 No such user".into());
            deliver_due_at(&app.state, &mailer(&sink), || clock)
                .await
                .unwrap();
            clock += 7 * 3600;
        }
        let failed = &app.state.store.list_outbox(10).await.unwrap()[0];
        assert_eq!(
            (failed.status, failed.attempts),
            (MailStatus::Failed, MAX_ATTEMPTS)
        );
        let (_, page) = app.get_html(&admin, "/admin/outbox").await;
        assert!(
            page.contains(">mislukt<") && page.contains("No such user"),
            "{page}"
        );
        assert_eq!(
            deliver_due_at(&app.state, &mailer(&sink), || clock)
                .await
                .unwrap(),
            0
        );

        // The admin sends it again: delivered at the next round.
        let id = failed.id.to_string();
        let res = app
            .post_html_form(&admin, "/api/outbox/resend", &[("id", &id)])
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(
            deliver_due_at(&app.state, &mailer(&sink), klantstem_core::now_unix)
                .await
                .unwrap(),
            1
        );
        assert!(sink
            .messages()
            .iter()
            .any(|m| m.contains("To: weg@example.nl")));
        let missing = app
            .post_fn(&admin, "/api/outbox/resend", &[("id", "999999")])
            .await;
        assert_eq!(missing.status(), 404);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_see_or_touch_the_outbox_and_a_bad_address_is_refused_in_dutch() {
    each_app(|app| async move {
        let admin = admin(&app).await;
        let res = queue_test_mail(&app, &admin, "geen adres").await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, "/admin/outbox?error=recipient&to=geen%20adres");
        let (_, page) = app.get_html(&admin, &location).await;
        assert!(
            page.contains("Dit lijkt geen geldig e-mailadres."),
            "{page}"
        );
        assert!(page.contains("value=\"geen adres\""), "{page}");
        assert!(app.state.store.list_outbox(10).await.unwrap().is_empty());

        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        for client in [&manager, &new_client()] {
            let res = app
                .post_fn(client, "/api/outbox/test", &[("to", "a@example.nl")])
                .await;
            assert!(
                matches!(res.status().as_u16(), 401 | 403),
                "{}",
                res.status()
            );
            let res = app.post_fn(client, "/api/outbox/list", &[]).await;
            assert!(
                matches!(res.status().as_u16(), 401 | 403),
                "{}",
                res.status()
            );
            let res = app
                .post_fn(client, "/api/outbox/resend", &[("id", "1")])
                .await;
            assert!(
                matches!(res.status().as_u16(), 401 | 403),
                "{}",
                res.status()
            );
        }
        assert!(app.state.store.list_outbox(10).await.unwrap().is_empty());
    })
    .await;
}
