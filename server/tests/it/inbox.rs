//! Departments, routing and the inbox over real HTTP: an admin sets up departments and rules in
//! the UI, a detractor's answer lands in the routed department with a follow-up case, members of
//! that department work it (and nobody else reaches it by id), a case does not close without a
//! contact attempt, outcome and root cause, and overdue cases escalate to the lead once. On
//! SQLite and PostgreSQL.

use crate::common::{answer, each_app, new_client, TestApp};
use app::model::Role;

/// The page's `<main>`: what a person sees (the rest holds data for hydration).
fn main_of(page: &str) -> String {
    let start = page.find("<main").unwrap_or(0);
    let end = page.find("</main>").unwrap_or(page.len());
    page[start..end].to_string()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

struct Setup {
    admin: reqwest::Client,
    service: i64,
    billing: i64,
}

async fn department_id(app: &TestApp, name: &str) -> i64 {
    let setup = app.state.store.routing_setup().await.unwrap();
    setup
        .departments
        .iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no department {name}"))
        .id
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.state
        .store
        .user_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .info
        .id
}

/// Through the admin page's forms: "Klantenservice" (lead lea, member mo) gets waiting-time
/// feedback, "Facturatie" (member bo) is the default; detractors get a 48-hour case.
async fn set_up(app: &TestApp) -> Setup {
    let admin = app.logged_in("admin@example.nl", Role::Admin).await;
    for (email, role) in [
        ("lea@example.nl", Role::Department),
        ("mo@example.nl", Role::Department),
        ("bo@example.nl", Role::Department),
        ("manager@example.nl", Role::Manager),
    ] {
        app.add_user(email, role).await;
    }
    let lea = user_id(app, "lea@example.nl").await.to_string();
    for name in ["Klantenservice", "Facturatie"] {
        let res = app
            .post_html_form(&admin, "/api/departments/save", &[("name", name)])
            .await;
        assert!(res.status().is_redirection(), "department {name}");
        assert!(location(&res).starts_with("/admin/departments?saved=1"));
    }
    let service = department_id(app, "Klantenservice").await;
    let billing = department_id(app, "Facturatie").await;
    let res = app
        .post_html_form(
            &admin,
            "/api/departments/save",
            &[
                ("id", &service.to_string()),
                ("name", "Klantenservice"),
                ("lead", &lea),
            ],
        )
        .await;
    assert!(res.status().is_redirection());
    for (department, email) in [(service, "mo@example.nl"), (billing, "bo@example.nl")] {
        let member = user_id(app, email).await.to_string();
        let res = app
            .post_html_form(
                &admin,
                "/api/departments/member",
                &[
                    ("department", &department.to_string()),
                    ("member", &member),
                    ("on", "1"),
                ],
            )
            .await;
        assert!(res.status().is_redirection());
    }
    let res = app
        .post_html_form(
            &admin,
            "/api/departments/rule",
            &[
                ("name", "Wachttijd naar klantenservice"),
                ("enabled", "on"),
                ("all", "theme: waiting_time"),
                ("any", ""),
                ("target_1", &service.to_string()),
            ],
        )
        .await;
    assert!(res.status().is_redirection());
    assert!(location(&res).starts_with("/admin/departments?saved=1"));
    let res = app
        .post_html_form(
            &admin,
            "/api/departments/policy",
            &[
                ("default_department", &billing.to_string()),
                ("enabled", "on"),
                ("max_score", "6"),
                ("negative_themes", ""),
                ("deadline_hours", "48"),
            ],
        )
        .await;
    assert!(res.status().is_redirection());
    Setup {
        admin,
        service,
        billing,
    }
}

/// A detractor who waited long and consented to contact, through the public survey.
async fn detractor_answers(app: &TestApp) -> i64 {
    let res = app
        .post_fn(
            &new_client(),
            "/api/survey/submit",
            &answer(&[
                ("score", "2"),
                (
                    "reason",
                    "Ik heb drie kwartier in de wacht gestaan voordat iemand opnam: de wachttijd is veel te lang.",
                ),
                ("email", "klant@example.nl"),
                ("consent", "yes"),
                ("token", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ]),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (items, _) = app
        .state
        .store
        .inbox(None, &Default::default())
        .await
        .unwrap();
    items
        .iter()
        .find(|i| i.score == Some(2))
        .expect("the detractor's answer is in an inbox")
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_detractor_lands_in_the_routed_inbox_and_only_its_department_reaches_it() {
    each_app(|app| async move {
        let setup = set_up(&app).await;
        let item = detractor_answers(&app).await;
        let record = app.state.store.inbox_item(item).await.unwrap().unwrap();
        assert_eq!(record.item.department_id, setup.service);
        assert_eq!(
            record.item.rule.as_deref(),
            Some("Wachttijd naar klantenservice")
        );
        let case = record.case.expect("a detractor who consented gets a case");
        assert_eq!(case.deadline_at - case.opened_at, 48 * 3600);
        // A promoter without themes goes to the default department, without a case.
        app.post_fn(
            &new_client(),
            "/api/survey/submit",
            &answer(&[
                ("score", "10"),
                ("reason", "Prima"),
                ("token", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"),
            ]),
        )
        .await;
        let (billing_items, _) = app
            .state
            .store
            .inbox(Some(&[setup.billing]), &Default::default())
            .await
            .unwrap();
        assert_eq!(billing_items.len(), 1, "{billing_items:#?}");
        assert_eq!(billing_items[0].case, None);

        // The member of the routed department sees it in the inbox and opens it.
        let mo = new_client();
        app.login(&mo, "mo@example.nl").await;
        let (status, page) = app.get_html(&mo, "/inbox").await;
        assert_eq!(status, 200);
        let main = main_of(&page);
        assert!(main.contains("drie kwartier in de wacht"), "{main}");
        assert!(
            !main.contains("Prima"),
            "another department's item is not listed"
        );
        let (status, page) = app.get_html(&mo, &format!("/inbox/{item}")).await;
        assert_eq!(status, 200);
        let main = main_of(&page);
        assert!(main.contains("Feedback voor Klantenservice"));
        assert!(main.contains("Contact opnemen vóór"));
        assert!(main.contains("Tijdlijn van de klant"));
        let record = app.state.store.inbox_item(item).await.unwrap().unwrap();
        assert_eq!(
            record.item.status,
            app::inbox::ItemStatus::Seen,
            "opened: seen"
        );

        // Another department's member, a customer and a stranger get nothing by id.
        let bo = new_client();
        app.login(&bo, "bo@example.nl").await;
        let (status, page) = app.get_html(&bo, &format!("/inbox/{item}")).await;
        assert_eq!(status, 404);
        assert!(!page.contains("drie kwartier"));
        let (_, page) = app.get_html(&bo, "/inbox").await;
        assert!(!main_of(&page).contains("drie kwartier"));
        let res = app
            .post_html_form(
                &bo,
                "/api/inbox/note",
                &[("id", &item.to_string()), ("body", "Niet van ons")],
            )
            .await;
        assert_eq!(res.status(), 404, "no writes by id either");
        let customer = app.logged_in("jan@example.nl", Role::Customer).await;
        let (status, _) = app.get_html(&customer, &format!("/inbox/{item}")).await;
        assert_eq!(status, 403);
        let (status, _) = app.get_html(&new_client(), &format!("/inbox/{item}")).await;
        assert!(status == 401 || status == 302 || status == 200);
        let res = app
            .post_fn(
                &new_client(),
                "/api/inbox/item",
                &[("id", &item.to_string())],
            )
            .await;
        assert_eq!(res.status(), 401);
        // A manager sees every department.
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;
        let (status, page) = app.get_html(&manager, "/inbox").await;
        assert_eq!(status, 200);
        let main = main_of(&page);
        assert!(main.contains("drie kwartier") && main.contains("Prima"));
        assert!(app
            .state
            .store
            .inbox_item(item)
            .await
            .unwrap()
            .unwrap()
            .notes
            .is_empty());
        drop(setup.admin);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_closes_only_with_a_contact_an_outcome_and_a_root_cause() {
    each_app(|app| async move {
        let _setup = set_up(&app).await;
        let item = detractor_answers(&app).await;
        let id = item.to_string();
        let mo = new_client();
        app.login(&mo, "mo@example.nl").await;
        let close = [
            ("id", id.as_str()),
            ("outcome", "resolved"),
            ("root_cause", "Te weinig bezetting"),
        ];
        let res = app.post_html_form(&mo, "/api/inbox/close", &close).await;
        assert!(res.status().is_redirection());
        assert_eq!(
            location(&res),
            format!("/inbox/{item}?error=case_no_contact")
        );
        let (_, page) = app.get_html(&mo, &location(&res)).await;
        assert!(main_of(&page)
            .contains("Leg eerst een contactpoging vast: een zaak sluit niet zonder."));
        // The same refusal to the hydrated app: 422 with the message in its language.
        let res = app.post_fn(&mo, "/api/inbox/close?lang=en", &close).await;
        assert_eq!(res.status(), 422);

        let res = app
            .post_html_form(
                &mo,
                "/api/inbox/contact",
                &[
                    ("id", &id),
                    ("channel", "phone"),
                    ("reached", "1"),
                    ("note", "Excuses aangeboden, terugbelafspraak gemaakt."),
                ],
            )
            .await;
        assert!(res.status().is_redirection(), "{:?}", res.headers());
        let res = app
            .post_html_form(
                &mo,
                "/api/inbox/close",
                &[("id", &id), ("outcome", "resolved"), ("root_cause", " ")],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/inbox/{item}?error=case_no_root_cause")
        );
        let res = app
            .post_html_form(
                &mo,
                "/api/inbox/close",
                &[("id", &id), ("outcome", "maybe"), ("root_cause", "x")],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/inbox/{item}?error=case_no_outcome")
        );
        // A reply to the customer goes through the outbox and counts as a contact by e-mail.
        let res = app
            .post_html_form(
                &mo,
                "/api/inbox/reply",
                &[
                    ("id", &id),
                    ("text", "Sorry voor het wachten; we bellen u morgen."),
                ],
            )
            .await;
        assert_eq!(location(&res), format!("/inbox/{item}#case"));
        let outbox = app.state.store.list_outbox(20).await.unwrap();
        let reply = outbox
            .iter()
            .find(|m| m.kind == "case_reply")
            .expect("the reply is in the outbox");
        assert_eq!(reply.recipient, "klant@example.nl");
        assert_eq!(reply.subject, "Reactie op uw feedback (Klantenservice)");

        // Closed, asking "is it solved now?": the question goes out with a signed link.
        let mut close_and_ask = close.to_vec();
        close_and_ask.push(("ask", "1"));
        let res = app
            .post_html_form(&mo, "/api/inbox/close", &close_and_ask)
            .await;
        assert!(res.status().is_redirection());
        assert_eq!(location(&res), format!("/inbox/{item}#case"));
        let record = app.state.store.inbox_item(item).await.unwrap().unwrap();
        assert_eq!(record.item.status, app::inbox::ItemStatus::Handled);
        assert_eq!(
            record.item.root_cause.as_deref(),
            Some("te weinig bezetting")
        );
        let case = record.case.unwrap();
        assert_eq!(case.outcome, Some(app::inbox::Outcome::Resolved));
        assert_eq!(case.contacts.len(), 2);
        assert!(case.followup_sent_at.is_some());
        let (_, page) = app.get_html(&mo, &format!("/inbox/{item}")).await;
        let main = main_of(&page);
        assert!(main.contains("Gesloten: Opgelost"), "{main}");
        assert!(main.contains("Excuses aangeboden"));
        assert!(main.contains("wacht op antwoord van de klant"));

        let token = klantstem_core::inbox::followup_token(&app.state.customer_key, case.id);
        let stranger = new_client();
        let (status, page) = app
            .get_html(&stranger, &format!("/f/{}?t={token}", case.id))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("Hoe goed is uw probleem nu opgelost?"));
        assert!(
            !page.contains("klantstem.wasm"),
            "a public page without the application bundle"
        );
        let case_id = case.id.to_string();
        let res = app
            .post_html_form(
                &stranger,
                "/api/followup/answer",
                &[("case", &case_id), ("t", "vervalst"), ("score", "9")],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/f/{}?t=vervalst&error=link_invalid", case.id)
        );
        let res = app
            .post_html_form(
                &stranger,
                "/api/followup/answer",
                &[("case", &case_id), ("t", &token), ("score", "11")],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/f/{}?t={token}&error=case_bad_score", case.id)
        );
        let res = app
            .post_html_form(
                &stranger,
                "/api/followup/answer",
                &[("case", &case_id), ("t", &token), ("score", "9")],
            )
            .await;
        assert_eq!(location(&res), format!("/f/{}?t={token}&done=1", case.id));
        let (_, page) = app.get_html(&stranger, &location(&res)).await;
        assert!(page.contains("Dank u wel. Uw antwoord is bij de afdeling die u hielp."));
        app.post_html_form(
            &stranger,
            "/api/followup/answer",
            &[("case", &case_id), ("t", &token), ("score", "2")],
        )
        .await;
        let case = app
            .state
            .store
            .inbox_item(item)
            .await
            .unwrap()
            .unwrap()
            .case
            .unwrap();
        assert_eq!(case.followup_score, Some(9), "the first answer counts");

        // The customer answers again, higher: the follow-up figures count a recovery.
        app.post_fn(
            &new_client(),
            "/api/survey/submit",
            &answer(&[
                ("score", "9"),
                ("reason", "Netjes teruggebeld."),
                ("email", "klant@example.nl"),
                ("consent", "yes"),
                ("token", "dddddddddddddddddddddddddddddddd"),
            ]),
        )
        .await;
        let (_, page) = app.get_html(&mo, "/inbox").await;
        let main = main_of(&page);
        let row = &main[main
            .find(r#"data-department="Klantenservice""#)
            .unwrap_or_else(|| panic!("follow-up row: {main}"))..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains(">1<") && row.contains(">100%<") && row.contains("100%<!> (n=<!>1<!>)"),
            "{row}"
        );

        // Notes and assignment: to members of the department only.
        let res = app
            .post_html_form(
                &mo,
                "/api/inbox/note",
                &[("id", &id), ("body", "Klant belt volgende week terug.")],
            )
            .await;
        assert!(res.status().is_redirection());
        let res = app
            .post_html_form(&mo, "/api/inbox/note", &[("id", &id), ("body", "   ")])
            .await;
        assert_eq!(
            location(&res),
            format!("/inbox/{item}?error=inbox_note_empty")
        );
        let bo = user_id(&app, "bo@example.nl").await.to_string();
        let res = app
            .post_html_form(
                &mo,
                "/api/inbox/update",
                &[("id", &id), ("status", "handled"), ("assignee", &bo)],
            )
            .await;
        assert_eq!(
            location(&res),
            format!("/inbox/{item}?error=inbox_not_a_member")
        );
        let me = user_id(&app, "mo@example.nl").await.to_string();
        let res = app
            .post_html_form(
                &mo,
                "/api/inbox/update",
                &[("id", &id), ("status", "handled"), ("assignee", &me)],
            )
            .await;
        assert!(res.status().is_redirection());
        let record = app.state.store.inbox_item(item).await.unwrap().unwrap();
        assert_eq!(record.notes.len(), 1);
        assert_eq!(record.item.assignee.map(|a| a.0.to_string()), Some(me));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_cases_escalate_once_to_the_lead_with_a_mail() {
    each_app(|app| async move {
        let _setup = set_up(&app).await;
        let item = detractor_answers(&app).await;
        let mail = app::mail::context(app.base.clone());
        let now = klantstem_core::now_unix();
        // The clock is a parameter: one hour on nothing happens, after 48 hours it escalates.
        assert_eq!(
            klantstem_core::inbox::escalate_overdue(&app.state, &mail, now + 3600)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            klantstem_core::inbox::escalate_overdue(&app.state, &mail, now + 49 * 3600)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            klantstem_core::inbox::escalate_overdue(&app.state, &mail, now + 50 * 3600)
                .await
                .unwrap(),
            0
        );
        let outbox = app.state.store.list_outbox(10).await.unwrap();
        let escalations: Vec<_> = outbox
            .iter()
            .filter(|m| m.kind == "case_escalated")
            .collect();
        assert_eq!(escalations.len(), 1);
        assert_eq!(escalations[0].recipient, "lea@example.nl");
        assert_eq!(
            escalations[0].subject,
            "Opvolgzaak over tijd: Klantenservice"
        );
        let record = app.state.store.inbox_item(item).await.unwrap().unwrap();
        let lea = user_id(&app, "lea@example.nl").await;
        assert_eq!(
            record.item.assignee.map(|a| a.0),
            Some(lea),
            "moved up to the lead"
        );
        // The lead works for the department: the item is in their inbox, flagged.
        let client = new_client();
        app.login(&client, "lea@example.nl").await;
        let (_, page) = app.get_html(&client, "/inbox?cases=1").await;
        let main = main_of(&page);
        assert!(main.contains("Geëscaleerd"), "{main}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rules_are_checked_tested_on_recent_feedback_and_for_admins_only() {
    each_app(|app| async move {
        let setup = set_up(&app).await;
        detractor_answers(&app).await;
        let res = app
            .post_html_form(
                &setup.admin,
                "/api/departments/rule",
                &[
                    ("name", "Kleur"),
                    ("all", "colour: red"),
                    ("target_1", &setup.service.to_string()),
                ],
            )
            .await;
        assert_eq!(
            location(&res),
            "/admin/departments?error=routing_unknown_field"
        );
        let (_, page) = app.get_html(&setup.admin, &location(&res)).await;
        assert!(main_of(&page).contains("Een voorwaarde heeft de vorm veld: waarde"));
        let res = app
            .post_html_form(
                &setup.admin,
                "/api/departments/rule",
                &[("name", "Zonder doel"), ("all", "channel: phone")],
            )
            .await;
        assert_eq!(
            location(&res),
            "/admin/departments?error=routing_no_targets"
        );
        let res = app
            .post_html_form(
                &setup.admin,
                "/api/departments/save",
                &[("name", "Facturatie")],
            )
            .await;
        assert_eq!(
            location(&res),
            "/admin/departments?error=routing_name_taken"
        );
        // An existing rule is changed in place (its id and order arrive as form text).
        let rule = app.state.store.routing_setup().await.unwrap().rules[0].clone();
        let res = app
            .post_html_form(
                &setup.admin,
                "/api/departments/rule",
                &[
                    ("id", &rule.id.to_string()),
                    ("name", "Wachttijd en telefoon"),
                    ("position", "5"),
                    ("enabled", "on"),
                    ("all", "theme: waiting_time"),
                    ("any", "channel: phone, web"),
                    ("target_1", &setup.service.to_string()),
                ],
            )
            .await;
        assert!(
            location(&res).starts_with("/admin/departments?saved=1"),
            "{}",
            location(&res)
        );
        let rules = app.state.store.routing_setup().await.unwrap().rules;
        assert_eq!(rules.len(), 1);
        assert_eq!(
            (
                rules[0].name.as_str(),
                rules[0].position,
                rules[0].any.len()
            ),
            ("Wachttijd en telefoon", 5, 1)
        );
        // "Which of the latest responses would this rule route?"
        let (status, page) = app
            .get_html(
                &setup.admin,
                "/admin/departments?test_all=score_group%3A%20detractor",
            )
            .await;
        assert_eq!(status, 200);
        assert!(
            main_of(&page).contains("Deze voorwaarden passen op 1 van de laatste 1 reacties."),
            "{}",
            main_of(&page)
        );
        // Only admins set up routing.
        let manager = new_client();
        app.login(&manager, "manager@example.nl").await;
        let res = app
            .post_html_form(&manager, "/api/departments/save", &[("name", "Marketing")])
            .await;
        assert_eq!(res.status(), 403);
        let (status, _) = app.get_html(&manager, "/admin/departments").await;
        assert_eq!(status, 403);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_has_departments_rules_and_cases_in_every_state() {
    each_app(|app| async move {
        server::demo::seed(&app.state, 80, 60, 7).await.unwrap();
        let report = server::demo_loop::seed_loop(&app.state, crate::common::PASSWORD)
            .await
            .unwrap();
        assert!(report.departments >= 5, "{report:?}");
        assert_eq!(report.cases, 6, "{report:?}");
        // Open feedback without a score: in the volume, not in the NPS.
        assert_eq!(report.open_feedback, 14, "{report:?}");
        let total = app
            .state
            .store
            .scores(&Default::default(), app::model::Grouping::Total)
            .await
            .unwrap();
        assert_eq!(total[0].unscored, 14);
        assert!(report.labels >= 10, "a first round of labels: {report:?}");
        assert_eq!(
            app.state.store.label_stats().await.unwrap().labelled,
            report.labels as u64
        );
        // Unsure waiting-time mentions of detractors, labelled negative: they count now.
        assert!(report.theme_labels >= 3, "{report:?}");
        let themes = app
            .state
            .store
            .scores(&Default::default(), app::model::Grouping::Theme)
            .await
            .unwrap();
        let waiting = themes.iter().find(|g| g.key == "waiting_time").unwrap();
        assert!(
            waiting.negative >= report.theme_labels as u64 && waiting.rated >= waiting.negative,
            "{waiting:?}"
        );
        assert!(
            report.items >= 80,
            "every demo response is routed: {report:?}"
        );
        let mut items = Vec::new();
        for page in 0.. {
            let query = app::inbox::InboxQuery {
                page,
                ..Default::default()
            };
            let (list, _) = app.state.store.inbox(None, &query).await.unwrap();
            if list.is_empty() {
                break;
            }
            items.extend(list);
        }
        let cases: Vec<_> = items.iter().filter_map(|i| i.case).collect();
        let now = klantstem_core::now_unix();
        assert!(cases
            .iter()
            .any(|c| c.closed_at.is_none() && c.first_contact_at.is_none() && !c.escalated));
        assert!(cases
            .iter()
            .any(|c| c.closed_at.is_none() && c.first_contact_at.is_some()));
        assert!(cases.iter().any(|c| c.escalated && c.overdue(now)));
        assert_eq!(cases.iter().filter(|c| c.closed_at.is_some()).count(), 3);
        // Sanne works Klantenservice's inbox; a second seeding changes nothing.
        let sanne = new_client();
        app.login(&sanne, "service@klantstem.local").await;
        let (status, page) = app.get_html(&sanne, "/inbox?cases=1").await;
        assert_eq!(status, 200);
        assert!(main_of(&page).contains("Geëscaleerd"));
        let again = server::demo_loop::seed_loop(&app.state, crate::common::PASSWORD)
            .await
            .unwrap();
        assert_eq!(again.cases, 0);
        // Two finished actions whose before/after shows: the callback service worked.
        assert_eq!(report.actions, 4);
        let lead = app
            .state
            .store
            .user_by_email("service@klantstem.local")
            .await
            .unwrap()
            .unwrap()
            .info;
        let lines = app.state.store.list_actions(None).await.unwrap();
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.status == app::action::ActionStatus::Done)
                .count(),
            2
        );
        let callback = lines
            .iter()
            .find(|l| l.title == "Terugbellen in plaats van wachten")
            .unwrap();
        let page = klantstem_core::actions::page(
            &app.state,
            &lead,
            callback.id,
            None,
            app::i18n::Locale::Nl,
        )
        .await
        .unwrap();
        let impact = page.impact.unwrap();
        assert!(
            impact.difference_in_differences.significant(),
            "{impact:#?}"
        );
        assert!(impact.difference_in_differences.change.unwrap() > 30.0);
        assert!(
            lines.iter().any(|l| l.overdue(now)),
            "one open action is overdue"
        );
        // Customers who had to call after the website failed them.
        let switches = klantstem_core::dashboard::channel_switches(&app.state, 180, 7)
            .await
            .unwrap();
        assert!(
            switches
                .flows
                .iter()
                .any(|f| f.from == "web" && f.to == "phone" && f.count >= 6),
            "{switches:?}"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn department_members_read_only_what_was_routed_to_them_everywhere() {
    each_app(|app| async move {
        let _setup = set_up(&app).await;
        detractor_answers(&app).await;
        app.post_fn(
            &new_client(),
            "/api/survey/submit",
            &answer(&[
                ("score", "10"),
                ("reason", "Prima factuur"),
                ("token", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"),
            ]),
        )
        .await;
        let (items, _) = app
            .state
            .store
            .inbox(None, &Default::default())
            .await
            .unwrap();
        let other = items
            .iter()
            .find(|i| i.score == Some(10))
            .unwrap()
            .response_id
            .unwrap();
        let mine = items
            .iter()
            .find(|i| i.score == Some(2))
            .unwrap()
            .response_id
            .unwrap();
        // Mo (Klantenservice) and Bo (Facturatie) each see their own department's feedback.
        for (email, sees, hidden) in [
            ("mo@example.nl", mine, other),
            ("bo@example.nl", other, mine),
        ] {
            let client = new_client();
            app.login(&client, email).await;
            let (status, page) = app.get_html(&client, "/responses").await;
            assert_eq!(status, 200);
            let main = main_of(&page);
            assert!(
                main.contains(&format!("/responses/{sees}")),
                "{email}: {main}"
            );
            assert!(!main.contains(&format!("/responses/{hidden}")), "{email}");
            let (status, _) = app.get_html(&client, &format!("/responses/{hidden}")).await;
            assert_eq!(
                status, 404,
                "{email} reaches another department's response by id"
            );
            let (status, _) = app.get_html(&client, &format!("/responses/{sees}")).await;
            assert_eq!(status, 200);
            let (_, dashboard) = app.get_html(&client, "/dashboard").await;
            assert!(
                dashboard.contains(r#"data-testid="responses-value" class="kpi-value">1<"#),
                "{email}: one routed answer"
            );
            let export = client
                .get(app.url("/responses/export.csv"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_eq!(
                export.lines().count(),
                2,
                "{email}: header and their one response\n{export}"
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ideas_about_a_departments_themes_reach_its_inbox() {
    each_app(|app| async move {
        let _setup = set_up(&app).await;
        // The demo ideas arrive after the rules: "Terugbelverzoek in plaats van wachten" is about
        // waiting time.
        server::demo_ideas::seed_ideas(&app.state, crate::common::PASSWORD)
            .await
            .unwrap();
        let (items, _) = app
            .state
            .store
            .inbox(None, &Default::default())
            .await
            .unwrap();
        let idea_items: Vec<_> = items.iter().filter(|i| i.idea_id.is_some()).collect();
        assert!(!idea_items.is_empty(), "{items:?}");
        assert!(
            idea_items.iter().all(|i| i.case.is_none()),
            "ideas open no cases"
        );
        let item = idea_items
            .iter()
            .find(|i| i.text.as_deref() == Some("Terugbelverzoek in plaats van wachten"))
            .expect("the waiting-time idea is routed");
        let mo = new_client();
        app.login(&mo, "mo@example.nl").await;
        let (status, page) = app.get_html(&mo, &format!("/inbox/{}", item.id)).await;
        assert_eq!(status, 200);
        let main = main_of(&page);
        assert!(
            main.contains("Idee:") && main.contains("/ideas/service/"),
            "{main}"
        );
        assert!(main.contains("Tijdlijn van de klant"));
    })
    .await;
}
