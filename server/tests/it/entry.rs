//! Staff entering feedback on a customer's behalf, over HTTP, on every backend.

use crate::common::{each_app, new_client};
use app::model::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_department_member_enters_what_a_customer_said_at_the_counter() {
    each_app(|app| async move {
        app.add_user("balie@example.nl", Role::Department).await;
        let staff = new_client();
        app.login(&staff, "balie@example.nl").await;
        let (status, html) = app.get_html(&staff, "/responses/new").await;
        assert_eq!(status, 200);
        assert!(html.contains("Feedback invoeren") && html.contains("value=\"winkel\""));

        let token = "ab".repeat(32);
        let form = [
            ("survey", "winkel"),
            ("score", "6"),
            ("comment", "Lang in de rij bij de kassa gestaan."),
            ("channel", "store"),
            ("journey_phase", "purchase"),
            ("language", "nl"),
            ("customer_ref", "K-77"),
            ("customer_email", ""),
            ("consent", "yes"),
            ("token", token.as_str()),
        ];
        for _ in 0..2 {
            let res = app.post_html_form(&staff, "/api/entry/save", &form).await;
            assert_eq!(res.status(), 302);
            assert!(res.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/responses/new?saved="));
        }
        assert_eq!(app.response_count().await, 1, "a double submit stores one");
        let v = &app.state.store.latest_verbatims(1).await.unwrap()[0];
        assert_eq!(
            (v.score, v.source.as_str(), v.channel.as_deref()),
            (Some(6), "staff", Some("store"))
        );
        assert_eq!(v.entered_by.as_deref(), Some("Test User"));
        assert!(v.customer.is_some());
        assert!(v.themes.iter().any(|t| t.key == "waiting_time"));

        // Managers see who entered it.
        app.add_user("manager@example.nl", Role::Manager).await;
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;
        let (_, html) = app
            .get_html(&manager, &format!("/responses/{}", v.id))
            .await;
        assert!(html.contains("Ingevoerd door") && html.contains("Test User"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_entries_come_back_with_reasons_and_customers_cannot_enter() {
    each_app(|app| async move {
        app.add_user("balie@example.nl", Role::Department).await;
        let staff = new_client();
        app.login(&staff, "balie@example.nl").await;
        let res = app
            .post_html_form(
                &staff,
                "/api/entry/save",
                &[
                    ("survey", "winkel"),
                    ("score", "12"),
                    ("customer_email", "nope"),
                    ("channel", "store"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.contains("entry.score_invalid")
                && location.contains("entry.customer_email_invalid"),
            "{location}"
        );
        let (_, html) = app.get_html(&staff, &location).await;
        assert!(html.contains("De score moet een heel getal van 0 tot en met 10 zijn."));
        let res = app
            .post_fn(
                &staff,
                "/api/entry/save",
                &[("survey", "nope"), ("score", "5")],
            )
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(app.response_count().await, 0);

        app.add_user("klant@example.nl", Role::Customer).await;
        let customer = new_client();
        app.login(&customer, "klant@example.nl").await;
        let res = app
            .post_fn(
                &customer,
                "/api/entry/save",
                &[("survey", "winkel"), ("score", "5")],
            )
            .await;
        assert_eq!(res.status(), 403);
        let res = app
            .post_fn(
                &new_client(),
                "/api/entry/save",
                &[("survey", "winkel"), ("score", "5")],
            )
            .await;
        assert_eq!(res.status(), 401);
        assert_eq!(app.response_count().await, 0);
    })
    .await;
}
