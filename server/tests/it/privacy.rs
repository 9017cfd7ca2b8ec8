//! Privacy requests over real HTTP, on SQLite and PostgreSQL: an admin finds a customer by the
//! address and customer number they are known by, downloads everything held about them and
//! erases it — texts, themes, contact details, votes, comments and mails gone, scores still
//! counted anonymously, rollups consistent — and every step is in the audit log, without the
//! address it removed.

use crate::common::{answer, each_app, new_client, TestApp, PASSWORD};
use app::model::Role;
use app::privacy::CustomerData;
use serde_json::json;

const JAN_WAIT: &str = "Ik stond drie kwartier in de wacht, de wachttijd is veel te lang.";
const JAN_GOOD: &str = "Prima service, snel geholpen door de monteur.";
const JAN_BILL: &str = "Mijn factuur klopt niet, graag terugbellen over de afrekening.";
const ELS: &str = "Heel vriendelijk geholpen aan de telefoon, dank je wel.";
const REFS: &str = "jan@example.nl\nK-1001";
const IDEA: &str = "Meterstanden per week als grafiek";

async fn export(
    app: &TestApp,
    admin: &reqwest::Client,
    refs: &str,
) -> (reqwest::Response, CustomerData) {
    let res = admin
        .post(app.url("/admin/privacy/export"))
        .form(&[("refs", refs)])
        .send()
        .await
        .unwrap();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let data = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let mut rebuilt = reqwest::Response::from(http::Response::new(""));
    *rebuilt.headers_mut() = headers;
    (rebuilt, data)
}

async fn idea_votes(app: &TestApp, id: &str) -> i64 {
    app.query_text(&format!(
        "SELECT CAST(vote_count AS TEXT) FROM ideas WHERE id = {id}"
    ))
    .await
    .unwrap()
    .parse()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_is_exported_then_erased_everywhere_and_the_figures_stay_sound() {
    each_app(|app| async move {
        server::demo_ideas::seed_ideas(&app.state, PASSWORD)
            .await
            .unwrap();
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        // Jan answers a survey with his address, and the CRM sends two of his responses under
        // his customer number (one only a text); Els answers too.
        for (reason, email, token) in [
            (
                JAN_WAIT,
                "jan@example.nl",
                "privacyjan0000000000000000000000",
            ),
            (ELS, "els@example.nl", "privacyels0000000000000000000000"),
        ] {
            let form = answer(&[
                ("score", "3"),
                ("reason", reason),
                ("email", email),
                ("consent", "yes"),
                ("token", token),
            ]);
            assert!(app
                .post_html_form(&new_client(), "/api/survey/submit", &form)
                .await
                .status()
                .is_redirection());
        }
        let (_, token) = app.api_token(&admin, "CRM").await;
        let good = json!({ "survey": "klantenservice", "score": 8, "comment": JAN_GOOD,
            "channel": "phone", "customer_ref": "K-1001" });
        let bill = json!({ "survey": "klantenservice", "comment": JAN_BILL, "channel": "email",
            "customer_ref": "K-1001" });
        let batch = json!({ "responses": [good, bill] });
        assert_eq!(app.post_responses(&token, &batch).await.0, 201);
        // Jan's account on the idea boards: an idea, a vote and a comment.
        server::create_user(
            &app.state,
            "jan@example.nl",
            "Jan",
            Role::Customer,
            PASSWORD,
        )
        .await
        .unwrap();
        let jan = new_client();
        app.login(&jan, "jan@example.nl").await;
        let idea = app
            .query_text(
                "SELECT CAST(id AS TEXT) FROM ideas WHERE title = 'Donkere modus in de app'",
            )
            .await
            .unwrap();
        let votes_before = idea_votes(&app, &idea).await;
        let on_idea = |field: &'static str, value: &'static str| {
            vec![("board", "app"), ("id", idea.as_str()), (field, value)]
        };
        let new_idea = vec![
            ("board", "app"),
            ("title", IDEA),
            ("body", "Dan zie ik sneller of er iets raar gaat."),
            ("confirmed", "1"),
        ];
        for (path, form) in [
            ("/api/ideas/vote", on_idea("on", "1")),
            (
                "/api/ideas/comment",
                on_idea("body", "Graag, en ook in de mails."),
            ),
            ("/api/ideas/submit", new_idea),
        ] {
            let res = app.post_fn(&jan, path, &form).await;
            assert!(res.status().as_u16() < 400, "{path}: {}", res.status());
        }
        assert_eq!(idea_votes(&app, &idea).await, votes_before + 1);
        let responses_before = app.response_count().await;

        // The admin looks: counts per kind, Jan's texts, Els's not.
        let (status, page) = app
            .get_html(&admin, "/admin/privacy?refs=jan%40example.nl%0AK-1001")
            .await;
        assert_eq!(status, 200);
        assert!(page.contains(JAN_WAIT) && page.contains(JAN_BILL), "{page}");
        assert!(!page.contains(ELS));
        // Everything, as data.
        let (res, data) = export(&app, &admin, REFS).await;
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"klantstem-customer-data-"));
        let texts: Vec<&str> = data
            .responses
            .iter()
            .filter_map(|r| r.text.as_deref())
            .collect();
        assert_eq!(texts, [JAN_WAIT, JAN_GOOD, JAN_BILL]);
        assert_eq!(
            data.responses[0].contact_email.as_deref(),
            Some("jan@example.nl")
        );
        assert!(
            data.responses[0]
                .themes
                .contains(&"waiting_time".to_string()),
            "{:?}",
            data.responses[0]
        );
        assert_eq!(data.account.as_ref().unwrap().display_name, "Jan");
        // His own idea carries his vote too.
        assert_eq!(
            (data.ideas.len(), data.comments.len(), data.votes.len()),
            (1, 1, 2)
        );
        assert_eq!(data.ideas[0].title, IDEA);
        // Nobody else's.
        let (_, els) = export(&app, &admin, "els@example.nl").await;
        assert_eq!(els.responses.len(), 1);

        // Two files uploaded and not imported yet: one has a row of Jan's.
        let crm = "Cijfer;Opmerking;E-mail\n4;Te duur;Jan@Example.nl\n8;Prima;piet@example.nl\n";
        let other = "Cijfer;Opmerking;E-mail\n8;Prima;piet@example.nl\n";
        for (name, content) in [("crm.csv", crm), ("winkel.csv", other)] {
            let res = app.upload_csv(&admin, name, content).await;
            assert_eq!(res.status(), 303, "{name}");
        }
        let upload = |name: &'static str| {
            let app = &app;
            async move {
                let sql = format!("SELECT content FROM imports WHERE filename = '{name}'");
                app.query_text(&sql).await.unwrap()
            }
        };

        // Erasing needs the box ticked; without it nothing changes.
        let res = app
            .post_html_form(&admin, "/api/privacy/erase", &[("refs", REFS)])
            .await;
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/admin/privacy?error=privacy_not_confirmed"),
            "{to}"
        );
        let (_, page) = app.get_html(&admin, &to).await;
        assert!(page.contains("Vink aan dat je begrijpt dat wissen niet ongedaan kan worden."));
        assert_eq!(app.response_count().await, responses_before);

        let res = app
            .post_html_form(
                &admin,
                "/api/privacy/erase",
                &[("refs", REFS), ("confirm", "yes")],
            )
            .await;
        assert_eq!(res.headers()["location"], "/admin/privacy?erased=1");
        assert_eq!(
            upload("crm.csv").await,
            "",
            "the file naming Jan is emptied"
        );
        assert_eq!(upload("winkel.csv").await, other);

        // Nothing of Jan is found any more; his scores still count, his text-only feedback
        // is gone, and the rollups agree with what is left.
        let (_, after) = export(&app, &admin, REFS).await;
        assert!(after.is_empty(), "{after:?}");
        assert_eq!(app.response_count().await, responses_before - 1);
        assert_eq!(app.state.store.check().await.unwrap(), Vec::<String>::new());
        let (_, list) = app.get_html(&manager, "/responses").await;
        for text in [JAN_WAIT, JAN_GOOD, JAN_BILL] {
            assert!(!list.contains(text), "{text} still listed");
        }
        assert!(list.contains(ELS));
        assert_eq!(idea_votes(&app, &idea).await, votes_before);
        let (_, els_after) = export(&app, &admin, "els@example.nl").await;
        assert_eq!(els_after, els);
        // Els withdraws her consent: the words and time she gave it stay on record, her
        // address goes.
        let consent = els.responses[0].consent.as_deref();
        assert_eq!(
            consent,
            Some("U mag contact met mij opnemen over mijn antwoord.")
        );
        let res = app
            .post_html_form(
                &admin,
                "/api/privacy/withdraw",
                &[("refs", "els@example.nl")],
            )
            .await;
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/admin/privacy?withdrawn=1&refs=els%40example.nl");
        let (_, page) = app.get_html(&admin, &to).await;
        assert!(
            page.contains("De toestemming bij 1 antwoorden is ingetrokken"),
            "{page}"
        );
        let (_, els_withdrawn) = export(&app, &admin, "els@example.nl").await;
        let r = &els_withdrawn.responses[0];
        assert_eq!(
            (r.contact_email.as_deref(), r.consent.as_deref()),
            (None, consent)
        );
        assert!(r.consent_withdrawn_at.is_some());
        // His sessions ended and his password is gone.
        assert_eq!(
            app.post_fn(
                &jan,
                "/api/ideas/vote",
                &[("board", "app"), ("id", &idea), ("on", "1")]
            )
            .await
            .status(),
            401
        );
        let res = app
            .post_html_form(
                &new_client(),
                "/api/auth/login",
                &[("email", "jan@example.nl"), ("password", PASSWORD)],
            )
            .await;
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=credentials"));

        // The audit log: looked, exported (twice for Jan, once for Els), erased — masked.
        let (_, page) = app.get_html(&admin, "/admin/privacy?erased=1").await;
        assert!(page.contains("De gegevens van deze klant zijn gewist."));
        let log = &page[page
            .find("data-testid=\"audit-log\"")
            .expect("an audit log")..];
        assert!(log.contains("j…@example.nl, k…"), "{log}");
        assert!(log.contains("gewist") && log.contains("gedownload") && log.contains("bekeken"));
        assert!(log.contains("toestemming ingetrokken") && log.contains("e…@example.nl"));
        assert!(
            log.contains("anonymised=2 deleted=1 account=1 ideas=1 comments=1 votes=2"),
            "{log}"
        );
        assert!(!log.contains("jan@example.nl"));
    })
    .await;
}

/// Opening a response or an inbox item shows a customer's words: it is logged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_opening_a_response_is_in_the_audit_log() {
    each_app(|app| async move {
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        app.post_fn(&new_client(), "/api/survey/submit", &answer(&[]))
            .await;
        let id = app
            .query_text("SELECT CAST(MAX(id) AS TEXT) FROM responses")
            .await
            .unwrap();
        assert_eq!(
            app.get_html(&manager, &format!("/responses/{id}")).await.0,
            200
        );
        let (_, page) = app.get_html(&admin, "/admin/privacy").await;
        let log = &page[page
            .find("data-testid=\"audit-log\"")
            .expect("an audit log")..];
        assert!(log.contains(&format!("response {id}")), "{log}");
        assert!(log.contains("Test User"));
        // Bad requests say what is wrong.
        let (_, page) = app
            .get_html(&admin, "/admin/privacy?refs=a%0Ab%0Ac%0Ad%0Ae%0Af")
            .await;
        assert!(page.contains("Zoek op hoogstens vijf gegevens tegelijk."));
    })
    .await;
}

/// A process started with a retention of 6 months anonymises, at once, what is older: the old
/// response keeps its score and text but loses address, reference and customer link; the newer
/// one of the same customer keeps them, and the figures stay sound.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_data_older_than_the_retention_is_anonymised_by_the_daily_job() {
    each_app(|app| async move {
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        let (_, token) = app.api_token(&admin, "CRM").await;
        let record = |when: Option<&str>, comment: &str| {
            let mut r = json!({ "survey": "klantenservice", "score": 4, "comment": comment,
                "channel": "phone", "customer_ref": "K-7", "customer_email": "oud@example.nl",
                "consent": true });
            if let Some(when) = when {
                r["submitted_at"] = json!(when);
            }
            r
        };
        let batch = json!({ "responses": [
            record(Some("2025-01-15T10:00:00Z"), "De monteur kwam twee keer niet opdagen."),
            record(None, "Nu ging het wel goed, netjes op tijd."),
        ]});
        assert_eq!(app.post_responses(&token, &batch).await.0, 201);
        let contact = |old: bool| {
            let app = &app;
            async move {
                let op = if old { "<" } else { ">=" };
                app.query_text(&format!(
                    "SELECT COALESCE(contact_email, '-') || ' ' || COALESCE(customer_ref, '-') \
                     || ' ' || COALESCE(customer_hash, '-') FROM responses \
                     WHERE created_at {op} 1767225600"
                ))
                .await
                .unwrap()
            }
        };
        assert!(contact(true).await.starts_with("oud@example.nl K-7 "));
        // A file uploaded long ago and never imported.
        let res = app
            .upload_csv(&admin, "oud.csv", "Cijfer;E-mail\n4;oud@example.nl\n")
            .await;
        assert_eq!(res.status(), 303);
        let backdated = "UPDATE imports SET created_at = 1735689600 RETURNING CAST(id AS TEXT)";
        assert!(app.query_text(backdated).await.is_some());

        let settings = app::backend::Settings {
            retention_months: Some(6),
            ..Default::default()
        };
        let _retaining = app.second_process_with(settings).await;
        let mut waited = 0;
        while contact(true).await != "- - -" {
            assert!(waited < 100, "the retention job did not run");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            waited += 1;
        }
        assert!(contact(false).await.starts_with("oud@example.nl K-7 "));
        let file = "SELECT content FROM imports WHERE filename = 'oud.csv'";
        assert_eq!(
            app.query_text(file).await.unwrap(),
            "",
            "the old upload is emptied"
        );
        assert_eq!(app.response_count().await, 2);
        let kept = "SELECT CAST(COUNT(*) AS TEXT) FROM responses WHERE reason LIKE 'De monteur%'";
        assert_eq!(app.query_text(kept).await.unwrap(), "1");
        assert_eq!(app.state.store.check().await.unwrap(), Vec::<String>::new());
        let (_, page) = app.get_html(&admin, "/admin/privacy").await;
        let log = &page[page
            .find("data-testid=\"audit-log\"")
            .expect("an audit log")..];
        assert!(
            log.contains("retention") && log.contains("&gt; 6 months"),
            "{log}"
        );
        assert!(
            log.contains("responses=1") && log.contains("uploads=1"),
            "{log}"
        );
    })
    .await;
}

/// A customer who left their address with consent gets a reply from the department; at its foot
/// a link lets them withdraw that consent themselves, without an account: the address goes, the
/// record of the consent stays, the audit log says the customer did it. A forged link does
/// nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_withdraws_their_consent_from_the_link_in_a_mail() {
    each_app(|app| async move {
        let admin = app.logged_in("admin@example.nl", Role::Admin).await;
        let res = app
            .post_fn(&admin, "/api/departments/from-taxonomy", &[])
            .await;
        assert_eq!(res.status(), 200);
        let form = answer(&[
            ("score", "2"),
            ("reason", JAN_WAIT),
            ("email", "wachter@example.nl"),
            ("consent", "yes"),
        ]);
        let res = app
            .post_html_form(&new_client(), "/api/survey/submit", &form)
            .await;
        assert!(res.status().is_redirection());
        let item = "SELECT CAST(i.id AS TEXT) FROM inbox_items i JOIN responses r \
                    ON r.id = i.response_id WHERE r.contact_email = 'wachter@example.nl'";
        let item = app.query_text(item).await.expect("routed to a department");
        let reply = [
            ("id", item.as_str()),
            ("text", "Excuses, we bellen u morgen terug."),
        ];
        assert_eq!(
            app.post_fn(&admin, "/api/inbox/reply", &reply)
                .await
                .status(),
            200
        );
        let body = "SELECT body FROM outbox WHERE kind = 'case_reply' \
                    AND recipient = 'wachter@example.nl'";
        let body = app.query_text(body).await.unwrap();
        assert!(
            body.contains("Wil je dat niet meer? Trek je toestemming in:"),
            "{body}"
        );
        let link = body[body.find("/account/consent?").unwrap()..]
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        let (status, page) = app.get_html(&new_client(), &link).await;
        assert_eq!(status, 200);
        assert!(page.contains("Toestemming intrekken"), "{page}");
        assert!(page.contains("w…@example.nl"), "the address masked: {page}");

        let query = link.split_once('?').unwrap().1;
        let mut fields: Vec<(String, String)> = query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), app::url::percent_decode(v)))
            .collect();
        // A forged proof: nothing happens, the customer reads why.
        let forged: Vec<(&str, &str)> = vec![("e", &fields[0].1), ("t", "0000")];
        let res = app
            .post_html_form(&new_client(), "/api/privacy/consent", &forged)
            .await;
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/account/consent?error=link_invalid"),
            "{to}"
        );
        let (_, page) = app.get_html(&new_client(), &to).await;
        assert!(page.contains("Deze link werkt niet (meer)."), "{page}");
        let contact = "SELECT COALESCE(contact_email, '-') || ' ' || COALESCE(consent, '-') \
                       || ' ' || CAST(consent_withdrawn_at IS NOT NULL AS TEXT) FROM responses";
        assert!(app
            .query_text(contact)
            .await
            .unwrap()
            .starts_with("wachter@example.nl "));

        fields.truncate(2);
        let own: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let res = app
            .post_html_form(&new_client(), "/api/privacy/consent", &own)
            .await;
        assert_eq!(res.headers()["location"], "/account/consent?done=1");
        let (_, page) = app.get_html(&new_client(), "/account/consent?done=1").await;
        assert!(page.contains("Je toestemming is ingetrokken."), "{page}");
        let after = app.query_text(contact).await.unwrap();
        assert!(
            after.starts_with("- U mag contact met mij opnemen"),
            "{after}"
        );
        let (_, log) = app.get_html(&admin, "/admin/privacy").await;
        assert!(log.contains("customer (mail link)") && log.contains("w…@example.nl"));
    })
    .await;
}
