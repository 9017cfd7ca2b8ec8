//! Idea boards and challenges: customer accounts confirmed by mail, similar ideas offered before
//! a duplicate is posted, votes that count once under races, access per role (private boards
//! reached by id included), status changes that reach voters in the app and by mail, roadmap and
//! changelog, closed challenges. On SQLite and PostgreSQL.

use crate::common::smtp_sink::SmtpSink;
use crate::common::{each_app, new_client, TestApp, PASSWORD};
use app::backend::{NewBoard, NewUser};
use app::idea::{BoardKind, BoardVisibility, Moderation, Stage};
use app::model::Role;
use klantstem_core::outbox::deliver_due_at;

/// The demo boards, ideas and customers (`klant@klantstem.local` and others share `PASSWORD`).
async fn with_demo(app: &TestApp) {
    server::demo_ideas::seed_ideas(&app.state, PASSWORD)
        .await
        .unwrap();
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let client = new_client();
    let res = app
        .post_html_form(
            &client,
            "/api/auth/login",
            &[("email", email), ("password", PASSWORD), ("next", "/ideas")],
        )
        .await;
    assert_eq!(res.status(), 302, "login of {email} failed");
    client
}

/// The page's `<main>`: what a person sees (the rest holds data for hydration).
fn main_of(page: &str) -> String {
    let start = page.find("<main").unwrap_or(0);
    let end = page.find("</main>").unwrap_or(page.len());
    page[start..end].to_string()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn idea_id(app: &TestApp, title: &str) -> i64 {
    let board = app.state.store.board_by_slug("app").await.unwrap().unwrap();
    for b in app.state.store.list_boards().await.unwrap() {
        let (cards, _) = app
            .state
            .store
            .list_ideas(b.id, &Default::default(), None, true, 0)
            .await
            .unwrap();
        if let Some(c) = cards.iter().find(|c| c.title == title) {
            return c.id;
        }
    }
    panic!("no idea {title:?} (board {})", board.id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_registers_confirms_the_address_by_mail_and_signs_in() {
    each_app(|app| async move {
        let sink = SmtpSink::start().await;
        let client = new_client();
        // Bad input: every problem, in Dutch, with what was typed kept.
        let res = app
            .post_html_form(
                &client,
                "/api/account/register",
                &[
                    ("name", "Eva"),
                    ("email", "eva-at-example"),
                    ("password", "kort"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let back = location(&res);
        assert!(
            back.starts_with(
                "/account/register?error=account_email_invalid%2Caccount_password_too_short"
            ),
            "{back}"
        );
        let (_, page) = app.get_html(&client, &back).await;
        assert!(page.contains("Vul een geldig e-mailadres in."), "{page}");
        assert!(
            page.contains("Kies een wachtwoord van minstens 10 tekens."),
            "{page}"
        );
        assert!(page.contains("value=\"Eva\""), "{page}");

        let form = [
            ("name", "Eva"),
            ("email", "Eva@Example.nl"),
            ("password", PASSWORD),
        ];
        let res = app
            .post_html_form(&client, "/api/account/register", &form)
            .await;
        assert_eq!(res.status(), 302);
        assert_eq!(location(&res), "/account/register?done=1");
        // Not confirmed yet: signing in says what to do.
        let res = app
            .post_html_form(
                &client,
                "/api/auth/login",
                &[
                    ("email", "eva@example.nl"),
                    ("password", PASSWORD),
                    ("next", "/ideas"),
                ],
            )
            .await;
        assert_eq!(res.status(), 303);
        let (_, page) = app.get_html(&client, &location(&res)).await;
        assert!(
            page.contains("Bevestig eerst je e-mailadres met de link die we je stuurden."),
            "{page}"
        );

        // The same address again: the form answers the same; the owner hears by mail.
        let res = app
            .post_html_form(&new_client(), "/api/account/register", &form)
            .await;
        assert_eq!(location(&res), "/account/register?done=1");
        let kinds: Vec<String> = app
            .state
            .store
            .list_outbox(10)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.kind)
            .collect();
        assert_eq!(kinds, ["already_registered", "verify_email"]);

        let sent = deliver_due_at(&app.state, &sink.mailer(), klantstem_core::now_unix)
            .await
            .unwrap();
        assert_eq!(sent, 2);
        let link = sink
            .link_to(
                "eva@example.nl",
                &format!("{}/account/verify?token=", app.base),
            )
            .expect("verification link");
        let message = crate::common::smtp_sink::readable(
            &sink
                .messages()
                .iter()
                .find(|m| m.contains("Bevestig je e-mailadres"))
                .cloned()
                .unwrap(),
        );
        assert!(message.contains("Hallo Eva,"), "{message}");
        // Following the link shows a button; the POST confirms (a mail scanner's GET does not).
        let path = link.strip_prefix(&app.base).unwrap();
        let (status, page) = app.get_html(&client, path).await;
        assert_eq!(status, 200);
        assert!(page.contains("Bevestig mijn adres"), "{page}");
        let token = path.split("token=").nth(1).unwrap();
        assert!(
            !app.state
                .store
                .account_by_email("eva@example.nl")
                .await
                .unwrap()
                .unwrap()
                .verified
        );
        let res = app
            .post_html_form(&client, "/api/account/verify", &[("token", token)])
            .await;
        assert_eq!(location(&res), "/login?verified=1&next=/ideas");
        // A link works once.
        let res = app
            .post_html_form(&client, "/api/account/verify", &[("token", token)])
            .await;
        assert_eq!(res.status(), 303);
        let (_, page) = app.get_html(&client, &location(&res)).await;
        assert!(page.contains("Deze link werkt niet (meer)."), "{page}");
        // Signed in, a customer lands on the ideas.
        let customer = signed_in(&app, "eva@example.nl").await;
        let (_, page) = app.get_html(&customer, "/account/ideas").await;
        assert!(page.contains("Mijn ideeën"), "{page}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forgotten_password_is_reset_by_a_link_that_works_once() {
    each_app(|app| async move {
        let sink = SmtpSink::start().await;
        app.add_user("jan@example.nl", Role::Customer).await;
        let client = new_client();
        // Unknown and known addresses get the same answer.
        for email in ["nobody@example.nl", "jan@example.nl"] {
            let res = app
                .post_html_form(&client, "/api/account/forgot", &[("email", email)])
                .await;
            assert_eq!(location(&res), "/account/forgot?done=1");
        }
        deliver_due_at(&app.state, &sink.mailer(), klantstem_core::now_unix)
            .await
            .unwrap();
        assert_eq!(sink.messages().len(), 1);
        let link = sink
            .link_to(
                "jan@example.nl",
                &format!("{}/account/reset?token=", app.base),
            )
            .unwrap();
        let token = link.split("token=").nth(1).unwrap().to_string();
        let res = app
            .post_html_form(
                &client,
                "/api/account/reset",
                &[("token", &token), ("password", "kort")],
            )
            .await;
        assert!(location(&res).contains("error=account_password_too_short"));
        let res = app
            .post_html_form(
                &client,
                "/api/account/reset",
                &[("token", &token), ("password", "een nieuw lang wachtwoord")],
            )
            .await;
        assert_eq!(location(&res), "/login?reset=1&next=/ideas");
        // The owner hears of it, with a way back if it was not them.
        deliver_due_at(&app.state, &sink.mailer(), klantstem_core::now_unix)
            .await
            .unwrap();
        let notice = crate::common::smtp_sink::readable(&sink.messages()[1]);
        assert!(notice.contains("To: jan@example.nl"), "{notice}");
        assert!(notice.contains("Het wachtwoord van je account is zojuist gewijzigd."));
        let forgot = format!("{}/account/forgot", app.base);
        assert_eq!(sink.link_to("jan@example.nl", &forgot), Some(forgot));
        let res = app
            .post_html_form(
                &client,
                "/api/account/reset",
                &[("token", &token), ("password", "nog een ander wachtwoord")],
            )
            .await;
        assert!(location(&res).contains("error=link_invalid"));
        let res = app
            .post_html_form(
                &client,
                "/api/auth/login",
                &[
                    ("email", "jan@example.nl"),
                    ("password", "een nieuw lang wachtwoord"),
                    ("next", "/ideas"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/ideas");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn similar_ideas_are_offered_before_a_duplicate_is_posted() {
    each_app(|app| async move {
        with_demo(&app).await;
        let customer = signed_in(&app, "klant@klantstem.local").await;
        // Across languages: an English title finds the Dutch idea.
        let res = customer
            .get(app.url("/api/ideas/similar?title=Dark%20mode%20please"))
            .send()
            .await
            .unwrap();
        let found: Vec<serde_json::Value> =
            serde_json::from_str(&res.text().await.unwrap()).unwrap();
        let titles: Vec<&str> = found.iter().map(|s| s["title"].as_str().unwrap()).collect();
        assert!(titles.contains(&"Donkere modus in de app"), "{titles:?}");
        assert!(titles.contains(&"Dark mode for the app"), "{titles:?}");

        // Without JavaScript: the first post returns the confirmation step.
        let form = [
            ("board", "app"),
            ("title", "Een donkere modus voor de app"),
            ("body", "Fijner in het donker."),
            ("confirmed", "0"),
        ];
        let res = app
            .post_html_form(&customer, "/api/ideas/submit", &form)
            .await;
        assert_eq!(res.status(), 303);
        let step = location(&res);
        assert!(
            step.starts_with("/ideas/app?new=1&similar=1&title=Een%20donkere"),
            "{step}"
        );
        let (_, page) = app.get_html(&customer, &step).await;
        assert!(page.contains("Lijkt jouw idee op een van deze?"), "{page}");
        assert!(page.contains(">Donkere modus in de app</a>"), "{page}");
        assert!(
            page.contains("Toch plaatsen") && page.contains("value=\"1\""),
            "{page}"
        );
        let before = app.state.store.count_visible_ideas().await.unwrap();

        let mut confirmed = form.to_vec();
        confirmed.retain(|(k, _)| *k != "confirmed");
        confirmed.push(("confirmed", "1"));
        let res = app
            .post_html_form(&customer, "/api/ideas/submit", &confirmed)
            .await;
        assert_eq!(res.status(), 302);
        let page_path = location(&res);
        assert!(page_path.starts_with("/ideas/app/"), "{page_path}");
        assert_eq!(
            app.state.store.count_visible_ideas().await.unwrap(),
            before + 1
        );
        let (_, page) = app.get_html(&customer, &page_path).await;
        assert!(page.contains("Een donkere modus voor de app"), "{page}");
        // The author's own vote counts, and they follow it.
        assert!(page.contains("class=\"vote-count\">1<"), "{page}");
        assert!(page.contains("Niet meer volgen"), "{page}");

        // An idea without a title worth the name.
        let res = app
            .post_html_form(
                &customer,
                "/api/ideas/submit",
                &[("board", "app"), ("title", "App?"), ("confirmed", "1")],
            )
            .await;
        assert_eq!(res.status(), 303);
        let (_, page) = app.get_html(&customer, &location(&res)).await;
        assert!(
            page.contains("Geef je idee een titel van minstens 8 tekens."),
            "{page}"
        );
        assert!(page.contains("value=\"App?\""), "{page}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_votes_count_once_per_customer() {
    each_app(|app| async move {
        with_demo(&app).await;
        let id = idea_id(&app, "Grotere letters instelbaar").await;
        let start = app.state.store.idea(id).await.unwrap().unwrap().votes;
        let mut voters = Vec::new();
        for n in 0..6 {
            let email = format!("stemmer{n}@example.nl");
            app.add_user(&email, Role::Customer).await;
            voters.push(signed_in(&app, &email).await);
        }
        let url = app.url("/api/ideas/vote");
        let post = |client: reqwest::Client, on: &'static str| {
            let url = url.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .form(&[("board", "app"), ("id", &id.to_string()), ("on", on)])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        };
        async fn all(tasks: Vec<tokio::task::JoinHandle<u16>>) -> Vec<u16> {
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.unwrap());
            }
            out
        }
        // Every customer votes four times at once.
        let mut tasks = Vec::new();
        for client in &voters {
            for _ in 0..4 {
                tasks.push(post(client.clone(), "1"));
            }
        }
        let statuses = all(tasks).await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        let idea = app.state.store.idea(id).await.unwrap().unwrap();
        assert_eq!(idea.votes, start + 6);
        // Withdrawing, also at once and twice over, takes each vote away once.
        let mut tasks = Vec::new();
        for client in voters.iter().take(3) {
            tasks.push(post(client.clone(), "0"));
            tasks.push(post(client.clone(), "0"));
        }
        all(tasks).await;
        assert_eq!(
            app.state.store.idea(id).await.unwrap().unwrap().votes,
            start + 3
        );
        // The count always equals the vote rows.
        let audience = app.state.store.idea_audience(id).await.unwrap();
        let mut rows = 0;
        for r in &audience {
            if app.state.store.has_voted(id, r.user_id).await.unwrap() {
                rows += 1;
            }
        }
        assert_eq!(rows, start + 3);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_gets_only_what_it_may() {
    each_app(|app| async move {
        with_demo(&app).await;
        let now = klantstem_core::now_unix();
        let private = app
            .state
            .store
            .create_board(
                &NewBoard {
                    slug: "beta".into(),
                    kind: BoardKind::Board,
                    name_nl: "Bètatesters".into(),
                    name_en: "Beta testers".into(),
                    description_nl: String::new(),
                    description_en: String::new(),
                    visibility: BoardVisibility::Private,
                    moderation: Moderation::Off,
                    owner: String::new(),
                    opens_at: None,
                    closes_at: None,
                    stages: vec![],
                    stage: None,
                    response_days: 14,
                    position: 5,
                },
                now,
            )
            .await
            .unwrap();
        let author = app
            .state
            .store
            .account_by_email("klant@klantstem.local")
            .await
            .unwrap()
            .unwrap();
        let text = app::idea::IdeaText {
            title: "Geheime functie voor testers".into(),
            body: String::new(),
        };
        let secret = app
            .state
            .store
            .insert_idea(&klantstem_core::ideas::analysed_idea(
                &app.state,
                private,
                author.id,
                text,
                Default::default(),
                false,
                now,
            ))
            .await
            .unwrap();
        let public = idea_id(&app, "Grotere letters instelbaar").await;

        let anonymous = new_client();
        // A private board and its ideas do not exist for anonymous visitors, also by id.
        assert_eq!(app.get_html(&anonymous, "/ideas/beta").await.0, 404);
        assert_eq!(
            app.get_html(&anonymous, &format!("/ideas/beta/{secret}"))
                .await
                .0,
            404
        );
        let (_, index) = app.get_html(&anonymous, "/ideas").await;
        assert!(!index.contains("Bètatesters"), "{index}");
        let res = anonymous
            .get(app.url("/api/ideas/similar?title=geheime%20functie%20testers"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.text().await.unwrap(), "[]");
        // An idea reached through another board's address is not found either.
        assert_eq!(
            app.get_html(&anonymous, &format!("/ideas/app/{secret}"))
                .await
                .0,
            404
        );
        // Anonymous visitors read public boards but cannot vote.
        assert_eq!(
            app.get_html(&anonymous, &format!("/ideas/app/{public}"))
                .await
                .0,
            200
        );
        let res = app
            .post_fn(
                &anonymous,
                "/api/ideas/vote",
                &[("board", "app"), ("id", &public.to_string()), ("on", "1")],
            )
            .await;
        assert_eq!(res.status(), 401);

        let customer = signed_in(&app, "klant@klantstem.local").await;
        assert_eq!(
            app.get_html(&customer, &format!("/ideas/beta/{secret}"))
                .await
                .0,
            200
        );
        // Customers do not change statuses.
        let res = app
            .post_fn(
                &customer,
                "/api/ideas/status",
                &[
                    ("board", "app"),
                    ("id", &public.to_string()),
                    ("status", "done"),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);

        for role in [
            Role::Department,
            Role::Manager,
            Role::ProductTeam,
            Role::Admin,
        ] {
            let staff = app
                .logged_in(&format!("{}@example.nl", role.as_str()), role)
                .await;
            // Customer votes are the customers'.
            let res = app
                .post_fn(
                    &staff,
                    "/api/ideas/vote",
                    &[("board", "app"), ("id", &public.to_string()), ("on", "1")],
                )
                .await;
            assert_eq!(res.status(), 403, "{role:?}");
            assert!(res.text().await.unwrap().contains("CustomersOnly"));
            let res = app
                .post_fn(
                    &staff,
                    "/api/ideas/status",
                    &[
                        ("board", "app"),
                        ("id", &public.to_string()),
                        ("status", "under_review"),
                    ],
                )
                .await;
            let expected = if role.manages_ideas() { 200 } else { 403 };
            assert_eq!(res.status(), expected, "{role:?}");
        }
        // A status that does not exist.
        let team = signed_in(&app, "product@klantstem.local").await;
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/status",
                &[
                    ("board", "app"),
                    ("id", &public.to_string()),
                    ("status", "bogus"),
                ],
            )
            .await;
        assert!(location(&res).contains("error=idea_status_unknown"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_change_reaches_voters_in_the_app_and_by_mail_and_lands_in_the_changelog() {
    each_app(|app| async move {
        let sink = SmtpSink::start().await;
        with_demo(&app).await;
        let id = idea_id(&app, "Grotere letters instelbaar").await;
        app.add_user("voter@example.nl", Role::Customer).await;
        let voter = signed_in(&app, "voter@example.nl").await;
        let res = app
            .post_html_form(
                &voter,
                "/api/ideas/vote",
                &[
                    ("board", "app"),
                    ("id", &id.to_string()),
                    ("on", "1"),
                    ("from", "board"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/ideas/app");
        let audience = app.state.store.idea_audience(id).await.unwrap().len();

        let team = signed_in(&app, "product@klantstem.local").await;
        let message = "De lettergrootte volgt nu de instelling van je telefoon.";
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/status",
                &[
                    ("board", "app"),
                    ("id", &id.to_string()),
                    ("status", "done"),
                    ("message", message),
                ],
            )
            .await;
        assert_eq!(location(&res), format!("/ideas/app/{id}"));

        let (_, page) = app.get_html(&voter, "/account/notifications").await;
        assert!(
            page.contains("De status van &#x27;Grotere letters instelbaar&#x27; is nu: Gedaan")
                || page.contains("De status van 'Grotere letters instelbaar' is nu: Gedaan"),
            "{page}"
        );
        // One mail per voter and follower, each with its unsubscribe links.
        let mails: Vec<_> = app
            .state
            .store
            .list_outbox(100)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "status_changed")
            .collect();
        assert_eq!(mails.len(), audience);
        deliver_due_at(&app.state, &sink.mailer(), klantstem_core::now_unix)
            .await
            .unwrap();
        let mail = sink
            .messages()
            .into_iter()
            .map(|m| crate::common::smtp_sink::readable(&m))
            .find(|m| m.contains("To: voter@example.nl"))
            .unwrap();
        assert!(mail.contains(message), "{mail}");
        assert!(mail.contains("Geen mails meer over dit idee:"), "{mail}");

        let (_, changelog) = app.get_html(&new_client(), "/changelog").await;
        assert!(
            changelog.contains("Grotere letters instelbaar") && changelog.contains(message),
            "{changelog}"
        );
        let (_, roadmap) = app.get_html(&new_client(), "/roadmap").await;
        assert!(roadmap.contains("Grotere letters instelbaar"), "{roadmap}");

        // The unsubscribe link stops mail about this idea; a forged one does nothing.
        let link = sink.link_to(
            "voter@example.nl",
            &format!("{}/ideas/unsubscribe?", app.base),
        );
        assert!(link.is_none());
        let link = sink
            .link_to(
                "voter@example.nl",
                &format!("{}/account/unsubscribe?", app.base),
            )
            .unwrap();
        let query = link.split('?').nth(1).unwrap();
        let get = |k: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                .unwrap()
                .to_string()
        };
        let (u, i, t) = (get("u"), get("i"), get("t"));
        let res = app
            .post_html_form(
                &new_client(),
                "/api/ideas/unsubscribe",
                &[("u", &u), ("i", &i), ("t", "0000")],
            )
            .await;
        assert_eq!(res.status(), 303);
        let res = app
            .post_html_form(
                &new_client(),
                "/api/ideas/unsubscribe",
                &[("u", &u), ("i", &i), ("t", &t)],
            )
            .await;
        assert!(location(&res).ends_with("&done=1"));
        app.post_html_form(
            &team,
            "/api/ideas/comment",
            &[
                ("board", "app"),
                ("id", &id.to_string()),
                ("body", "Dank voor alle stemmen!"),
            ],
        )
        .await;
        let to_voter = app
            .state
            .store
            .list_outbox(100)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "official_answer" && m.recipient == "voter@example.nl")
            .count();
        assert_eq!(to_voter, 0);
        // ...while the in-app notification still arrives.
        let (_, page) = app.get_html(&voter, "/account/notifications").await;
        assert!(page.contains("Officieel antwoord op"), "{page}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_challenge_takes_ideas_only_while_open_and_tells_participants_of_a_new_stage() {
    each_app(|app| async move {
        with_demo(&app).await;
        let customer = signed_in(&app, "klant@klantstem.local").await;
        let (_, page) = app.get_html(&customer, "/ideas/overstappen").await;
        assert!(
            page.contains("Team Overstappen") && page.contains("Ideeën verzamelen"),
            "{page}"
        );
        let team = signed_in(&app, "product@klantstem.local").await;
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/stage",
                &[("board", "overstappen"), ("stage", "shortlist")],
            )
            .await;
        assert_eq!(location(&res), "/ideas/overstappen");
        let (_, page) = app.get_html(&customer, "/account/notifications").await;
        assert!(
            page.contains("Een uitdaging waaraan je meedoet gaat een nieuwe fase in."),
            "{page}"
        );
        assert!(app
            .state
            .store
            .list_outbox(200)
            .await
            .unwrap()
            .iter()
            .any(|m| m.kind == "stage_changed"));

        // A challenge that closed is read-only.
        let now = klantstem_core::now_unix();
        let closed = app
            .state
            .store
            .create_board(
                &NewBoard {
                    slug: "vorig-jaar".into(),
                    kind: BoardKind::Challenge,
                    name_nl: "Vorig jaar".into(),
                    name_en: String::new(),
                    description_nl: String::new(),
                    description_en: String::new(),
                    visibility: BoardVisibility::Public,
                    moderation: Moderation::Off,
                    owner: String::new(),
                    opens_at: Some(now - 100 * 86_400),
                    closes_at: Some(now - 86_400),
                    stages: vec![Stage {
                        key: "decided".into(),
                        name_nl: "Besloten".into(),
                        name_en: "Decided".into(),
                    }],
                    stage: Some("decided".into()),
                    response_days: 14,
                    position: 9,
                },
                now - 100 * 86_400,
            )
            .await
            .unwrap();
        let staff_author = app
            .state
            .store
            .create_user(&NewUser {
                email: "x@example.nl".into(),
                display_name: "X".into(),
                password_hash: String::new(),
                role: Role::Customer,
            })
            .await
            .unwrap();
        let text = app::idea::IdeaText {
            title: "Een idee van vorig jaar".into(),
            body: String::new(),
        };
        let old = app
            .state
            .store
            .insert_idea(&klantstem_core::ideas::analysed_idea(
                &app.state,
                closed,
                staff_author,
                text,
                Default::default(),
                false,
                now - 50 * 86_400,
            ))
            .await
            .unwrap();
        let (_, page) = app.get_html(&customer, "/ideas/vorig-jaar").await;
        assert!(page.contains("Deze uitdaging is gesloten"), "{page}");
        assert!(!page.contains("Idee plaatsen"), "{page}");
        let res = app
            .post_html_form(
                &customer,
                "/api/ideas/submit",
                &[
                    ("board", "vorig-jaar"),
                    ("title", "Nog een idee achteraf"),
                    ("confirmed", "1"),
                ],
            )
            .await;
        assert!(location(&res).contains("error=idea_board_closed"));
        let res = app
            .post_fn(
                &customer,
                "/api/ideas/vote",
                &[
                    ("board", "vorig-jaar"),
                    ("id", &old.to_string()),
                    ("on", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let res = app
            .post_fn(
                &customer,
                "/api/ideas/comment",
                &[
                    ("board", "vorig-jaar"),
                    ("id", &old.to_string()),
                    ("body", "Te laat?"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
    })
    .await;
}

async fn voters(app: &TestApp, id: i64) -> std::collections::BTreeSet<i64> {
    let mut out = std::collections::BTreeSet::new();
    for u in app.state.store.idea_audience(id).await.unwrap() {
        if app.state.store.has_voted(id, u.user_id).await.unwrap() {
            out.insert(u.user_id);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn merging_a_duplicate_moves_votes_once_and_can_be_undone_exactly() {
    each_app(|app| async move {
        with_demo(&app).await;
        let original = idea_id(&app, "Donkere modus in de app").await;
        let duplicate = idea_id(&app, "Dark mode for the app").await;
        // A customer who voted for both must count once after the merge.
        let both = app
            .state
            .store
            .account_by_email("klant@klantstem.local")
            .await
            .unwrap()
            .unwrap()
            .id;
        app.state
            .store
            .set_vote(original, both, true, 1)
            .await
            .unwrap();
        app.state
            .store
            .set_vote(duplicate, both, true, 1)
            .await
            .unwrap();
        let customer = signed_in(&app, "klant@klantstem.local").await;
        app.post_html_form(
            &customer,
            "/api/ideas/comment",
            &[
                ("board", "app"),
                ("id", &duplicate.to_string()),
                ("body", "Graag ook op de tablet."),
            ],
        )
        .await;

        let before_orig = app.state.store.idea(original).await.unwrap().unwrap();
        let before_dup = app.state.store.idea(duplicate).await.unwrap().unwrap();
        let (orig_voters, dup_voters) =
            (voters(&app, original).await, voters(&app, duplicate).await);
        let union: std::collections::BTreeSet<i64> =
            orig_voters.union(&dup_voters).copied().collect();
        assert!(
            union.len() < orig_voters.len() + dup_voters.len(),
            "the test needs a shared voter"
        );

        let team = signed_in(&app, "product@klantstem.local").await;
        // Not into itself, and the form says why.
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/merge",
                &[
                    ("board", "app"),
                    ("id", &duplicate.to_string()),
                    ("original", &duplicate.to_string()),
                ],
            )
            .await;
        let (_, page) = app.get_html(&team, &location(&res)).await;
        assert!(
            page.contains("Samenvoegen kan alleen met een ander idee"),
            "{page}"
        );
        // The original's address works as well as its number.
        let address = format!("{}/ideas/app/{original}", app.base);
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/merge",
                &[
                    ("board", "app"),
                    ("id", &duplicate.to_string()),
                    ("original", &address),
                ],
            )
            .await;
        assert_eq!(location(&res), format!("/ideas/app/{duplicate}"));

        let after = app.state.store.idea(original).await.unwrap().unwrap();
        assert_eq!(after.votes as usize, union.len());
        assert_eq!(voters(&app, original).await, union);
        assert_eq!(after.comments, before_orig.comments + before_dup.comments);
        assert_eq!(
            app.state
                .store
                .idea(duplicate)
                .await
                .unwrap()
                .unwrap()
                .merged_into,
            Some(original)
        );
        // Comments say where they came from; the duplicate points to the original.
        let (_, page) = app
            .get_html(&customer, &format!("/ideas/app/{original}"))
            .await;
        assert!(
            page.contains("Verplaatst van: Dark mode for the app"),
            "{page}"
        );
        assert!(page.contains("Graag ook op de tablet."), "{page}");
        let (_, page) = app
            .get_html(&customer, &format!("/ideas/app/{duplicate}"))
            .await;
        assert!(page.contains("Dit idee is samengevoegd met: "), "{page}");
        // The duplicate takes no more votes; the board lists it no more.
        let res = app
            .post_fn(
                &customer,
                "/api/ideas/vote",
                &[
                    ("board", "app"),
                    ("id", &duplicate.to_string()),
                    ("on", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);
        let (_, board) = app.get_html(&customer, "/ideas/app").await;
        assert!(!board.contains(">Dark mode for the app<"), "{board}");
        // Its author hears of it.
        let author = before_dup.author_id;
        let notes = app.state.store.notifications(author, 10).await.unwrap();
        assert!(notes.iter().any(|n| n.kind == "merged"), "{notes:?}");
        // Merging it again is refused.
        let res = app
            .post_fn(
                &team,
                "/api/ideas/merge",
                &[
                    ("board", "app"),
                    ("id", &duplicate.to_string()),
                    ("original", &original.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status(), 422);

        // Undone exactly.
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/unmerge",
                &[("board", "app"), ("id", &duplicate.to_string())],
            )
            .await;
        assert_eq!(location(&res), format!("/ideas/app/{duplicate}"));
        let orig_back = app.state.store.idea(original).await.unwrap().unwrap();
        let dup_back = app.state.store.idea(duplicate).await.unwrap().unwrap();
        assert_eq!(
            (orig_back.votes, orig_back.comments),
            (before_orig.votes, before_orig.comments)
        );
        assert_eq!(
            (dup_back.votes, dup_back.comments, dup_back.merged_into),
            (before_dup.votes, before_dup.comments, None)
        );
        assert_eq!(voters(&app, original).await, orig_voters);
        assert_eq!(voters(&app, duplicate).await, dup_voters);
        let (_, page) = app
            .get_html(&team, &format!("/ideas/app/{duplicate}"))
            .await;
        assert!(
            page.contains("Graag ook op de tablet.") && !page.contains("Verplaatst van"),
            "{page}"
        );
        assert!(
            page.contains(&format!("Samengevoegd met idee {original}"))
                && page.contains(&format!("Samenvoegen met idee {original} ongedaan gemaakt")),
            "{page}"
        );
        // Only staff merge.
        let res = app
            .post_fn(
                &customer,
                "/api/ideas/merge",
                &[
                    ("board", "app"),
                    ("id", &duplicate.to_string()),
                    ("original", &original.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pre_moderated_ideas_wait_for_staff_and_hidden_ones_are_gone_for_customers() {
    each_app(|app| async move {
        with_demo(&app).await;
        let now = klantstem_core::now_unix();
        app.state
            .store
            .create_board(
                &NewBoard {
                    slug: "winkel".into(),
                    kind: BoardKind::Board,
                    name_nl: "Winkels".into(),
                    name_en: "Shops".into(),
                    description_nl: String::new(),
                    description_en: String::new(),
                    visibility: BoardVisibility::Public,
                    moderation: Moderation::Always,
                    owner: String::new(),
                    opens_at: None,
                    closes_at: None,
                    stages: vec![],
                    stage: None,
                    response_days: 14,
                    position: 3,
                },
                now,
            )
            .await
            .unwrap();
        let customer = signed_in(&app, "klant@klantstem.local").await;
        let res = app
            .post_html_form(
                &customer,
                "/api/ideas/submit",
                &[
                    ("board", "winkel"),
                    ("title", "Langer open op zaterdag"),
                    ("confirmed", "1"),
                ],
            )
            .await;
        let path = location(&res);
        let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
        let (_, page) = app.get_html(&customer, &path).await;
        assert!(page.contains("Wacht op goedkeuring"), "{page}");
        let anonymous = new_client();
        assert_eq!(app.get_html(&anonymous, &path).await.0, 404);
        let (_, board) = app.get_html(&anonymous, "/ideas/winkel").await;
        assert!(board.contains("0 ideeën"), "{board}");

        let team = signed_in(&app, "product@klantstem.local").await;
        let (_, inbox) = app.get_html(&team, "/admin/ideas?view=pending").await;
        assert!(inbox.contains("Langer open op zaterdag"), "{inbox}");
        app.post_html_form(
            &team,
            "/api/ideas/moderate",
            &[
                ("board", "winkel"),
                ("id", &id.to_string()),
                ("action", "approve"),
            ],
        )
        .await;
        assert_eq!(app.get_html(&anonymous, &path).await.0, 200);
        // Hiding needs a reason; then the idea is gone for everyone but staff.
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/moderate",
                &[
                    ("board", "winkel"),
                    ("id", &id.to_string()),
                    ("action", "hide"),
                    ("reason", " "),
                ],
            )
            .await;
        assert!(location(&res).contains("error=idea_reason_missing"));
        app.post_html_form(
            &team,
            "/api/ideas/moderate",
            &[
                ("board", "winkel"),
                ("id", &id.to_string()),
                ("action", "hide"),
                ("reason", "reclame"),
            ],
        )
        .await;
        assert_eq!(app.get_html(&anonymous, &path).await.0, 404);
        assert_eq!(app.get_html(&customer, &path).await.0, 404);
        let (status, page) = app.get_html(&team, &path).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Goedgekeurd") && page.contains("Verborgen: reclame"),
            "{page}"
        );
        // A comment hidden as abuse disappears, with its reason in the trail.
        let original = idea_id(&app, "Donkere modus in de app").await;
        let res = app
            .post_html_form(
                &customer,
                "/api/ideas/comment",
                &[
                    ("board", "app"),
                    ("id", &original.to_string()),
                    ("body", "Koop nu goedkope horloges!"),
                ],
            )
            .await;
        let comment: i64 = location(&res)
            .rsplit("#comment-")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        app.post_html_form(
            &team,
            "/api/ideas/hide-comment",
            &[
                ("board", "app"),
                ("id", &original.to_string()),
                ("comment", &comment.to_string()),
                ("reason", "spam"),
            ],
        )
        .await;
        let (_, page) = app
            .get_html(&customer, &format!("/ideas/app/{original}"))
            .await;
        assert!(!page.contains("goedkope horloges"), "{page}");
        let res = app
            .post_fn(
                &customer,
                "/api/ideas/hide-comment",
                &[
                    ("board", "app"),
                    ("id", &original.to_string()),
                    ("comment", &comment.to_string()),
                    ("reason", "x"),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_triage_inbox_shows_promise_priority_and_the_voice_of_the_customer() {
    each_app(|app| async move {
        // Survey answers of recognised customers, some of whom vote (see the demo).
        server::demo::seed(&app.state, 400, 60, 2026).await.unwrap();
        with_demo(&app).await;
        let team = signed_in(&app, "product@klantstem.local").await;
        let (status, inbox) = app.get_html(&team, "/admin/ideas?view=overdue").await;
        assert_eq!(status, 200);
        let inbox = main_of(&inbox);
        // 15 days old, no official answer, a 14-day promise.
        assert!(
            inbox.contains("Factuur uitleggen in gewone taal") && inbox.contains("te laat"),
            "{inbox}"
        );
        assert!(!inbox.contains("Grotere letters instelbaar"), "{inbox}");

        let id = idea_id(&app, "Grotere letters instelbaar").await;
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/priority",
                &[
                    ("board", "app"),
                    ("id", &id.to_string()),
                    ("reach", ""),
                    ("impact", "2"),
                    ("confidence", "80"),
                    ("effort", "200000"),
                ],
            )
            .await;
        let (_, page) = app.get_html(&team, &location(&res)).await;
        assert!(page.contains("Kies een impact uit de lijst"), "{page}");
        app.post_html_form(
            &team,
            "/api/ideas/priority",
            &[
                ("board", "app"),
                ("id", &id.to_string()),
                ("reach", "1000"),
                ("impact", "2"),
                ("confidence", "80"),
                ("effort", "4"),
            ],
        )
        .await;
        let (_, page) = app.get_html(&team, &format!("/ideas/app/{id}")).await;
        assert!(page.contains("RICE-score: 400.0"), "{page}");
        let res = app
            .post_html_form(
                &team,
                "/api/ideas/internal-vote",
                &[("id", &id.to_string()), ("on", "1")],
            )
            .await;
        assert_eq!(location(&res), "/admin/ideas");
        let member = app::model::UserInfo {
            id: app
                .state
                .store
                .account_by_email("product@klantstem.local")
                .await
                .unwrap()
                .unwrap()
                .id,
            email: "product@klantstem.local".into(),
            display_name: "Productteam".into(),
            role: Role::ProductTeam,
        };
        let items = klantstem_core::ideas::triage(&app.state, &member)
            .await
            .unwrap();
        let item = items.iter().find(|i| i.card.id == id).unwrap();
        assert_eq!((item.internal_votes, item.my_internal_vote), (1, true));
        assert_eq!(item.score, Some(400.0));
        // Customers' votes are not internal votes.
        assert!(item.customers >= 9);
        // Some voters are recognised survey customers: their NPS stands beside the idea.
        assert!(items
            .iter()
            .any(|i| i.voters_with_score > 0 && i.voter_nps.is_some()));
        let (_, inbox) = app.get_html(&team, "/admin/ideas?view=priority").await;
        let inbox = main_of(&inbox);
        let first = inbox.find("Grotere letters instelbaar").unwrap();
        let other = inbox.find("Factuur uitleggen").unwrap();
        assert!(first < other, "the prioritised idea comes first");

        let customer = signed_in(&app, "klant@klantstem.local").await;
        assert_eq!(
            app.post_fn(&customer, "/api/ideas/triage", &[])
                .await
                .status(),
            403
        );
        assert_eq!(
            app.post_fn(
                &customer,
                "/api/ideas/internal-vote",
                &[("id", &id.to_string()), ("on", "1")]
            )
            .await
            .status(),
            403
        );
    })
    .await;
}

async fn api_token(app: &TestApp, scope: &str) -> String {
    app.add_user(
        &format!("admin-{}@example.nl", scope.replace(':', "-")),
        Role::Admin,
    )
    .await;
    let admin = new_client();
    let res = app
        .post_html_form(
            &admin,
            "/api/auth/login",
            &[
                (
                    "email",
                    &format!("admin-{}@example.nl", scope.replace(':', "-")),
                ),
                ("password", PASSWORD),
                ("next", "/admin/api"),
            ],
        )
        .await;
    assert_eq!(res.status(), 302);
    let res = app
        .post_fn(
            &admin,
            "/api/api-tokens/create",
            &[("name", "Supporttool"), ("scope", scope)],
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, secret): (i64, String) = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    secret
}

async fn api(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_lists_ideas_submits_them_for_customers_and_changes_statuses() {
    use reqwest::Method;
    use serde_json::json;
    each_app(|app| async move {
        with_demo(&app).await;
        let reader = api_token(&app, "ideas:read").await;
        let writer = api_token(&app, "ideas:write").await;
        let (status, body) = api(&app, Method::GET, "/api/v1/ideas?board=app&sort=top", &reader, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["total"], 6);
        assert_eq!(body["ideas"][0]["title"], "Verbruik per dag in een grafiek");
        let first = &body["ideas"][0];
        assert!(first["url"].as_str().unwrap().ends_with(&format!("/ideas/app/{}", first["id"])));
        let (_, body) = api(&app, Method::GET, "/api/v1/ideas?q=factuur", &reader, None).await;
        assert_eq!(body["ideas"][0]["title"], "Factuur uitleggen in gewone taal");
        assert_eq!(api(&app, Method::GET, "/api/v1/ideas?sort=random", &reader, None).await.0, 422);
        assert_eq!(api(&app, Method::GET, "/api/v1/ideas?board=nope", &reader, None).await.0, 404);
        // Reading is not writing.
        let idea = json!({ "board": "service", "title": "Terugbellen op een gekozen tijdstip", "customer_email": "Piet@Example.nl", "customer_name": "Piet" });
        let (status, body) = api(&app, Method::POST, "/api/v1/ideas", &reader, Some(idea.clone())).await;
        assert_eq!((status, body["error"].as_str()), (403, Some("scope_missing")));
        let (status, body) = api(&app, Method::POST, "/api/v1/ideas", &writer, Some(idea)).await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_i64().unwrap();
        // The customer is recognised from then on, and asked to confirm the address.
        let piet = app.state.store.account_by_email("piet@example.nl").await.unwrap().unwrap();
        assert_eq!(app.state.store.idea(id).await.unwrap().unwrap().author_id, piet.id);
        assert!(!piet.verified);
        assert!(app.state.store.list_outbox(10).await.unwrap().iter().any(|m| m.kind == "verify_email" && m.recipient == "piet@example.nl"));
        // Bad input: a clear 422 with the reason.
        let (status, body) = api(&app, Method::POST, "/api/v1/ideas", &writer, Some(json!({ "board": "service", "title": "Kort", "customer_email": "piet@example.nl" }))).await;
        assert_eq!((status, body["error"].as_str()), (422, Some("idea_title_too_short")));
        assert_eq!(body["message"], "Give your idea a title of at least 8 characters.");
        let (status, body) = api(&app, Method::POST, "/api/v1/ideas", &writer, Some(json!({ "board": "service", "title": "Een goed idee hier", "customer_email": "geen-adres" }))).await;
        assert_eq!((status, body["error"].as_str()), (422, Some("account_email_invalid")));
        let (status, body) = api(&app, Method::POST, "/api/v1/ideas", &writer, Some(json!({ "board": "service", "title": "Een goed idee hier", "customer_email": "a@b.nl", "extra": 1 }))).await;
        assert_eq!((status, body["error"].as_str()), (422, Some("unknown_field")));
        let (status, _) = api(&app, Method::POST, "/api/v1/ideas", &writer, Some(json!(["not", "an", "object"]))).await;
        assert_eq!(status, 400);

        let (status, body) = api(&app, Method::POST, &format!("/api/v1/ideas/{id}/status"), &writer, Some(json!({ "status": "planned", "message": "We plannen dit voor maart." }))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "planned");
        let (status, body) = api(&app, Method::POST, &format!("/api/v1/ideas/{id}/status"), &writer, Some(json!({ "status": "bogus" }))).await;
        assert_eq!((status, body["error"].as_str()), (422, Some("idea_status_unknown")));
        assert_eq!(api(&app, Method::POST, "/api/v1/ideas/999999/status", &writer, Some(json!({ "status": "done" }))).await.0, 404);
        assert_eq!(api(&app, Method::GET, "/api/v1/ideas", "ks_wrong", None).await.0, 401);
        // The OpenAPI document describes the ideas API.
        let doc: serde_json::Value = serde_json::from_str(&app.client.get(app.url("/api/openapi.json")).send().await.unwrap().text().await.unwrap()).unwrap();
        assert!(doc["paths"]["/api/v1/ideas"]["post"].is_object());
        assert!(doc["components"]["schemas"]["NewIdea"].is_object());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managers_see_ideas_beside_complaints_and_the_engagement_ladder() {
    each_app(|app| async move {
        server::demo::seed(&app.state, 400, 120, 2026)
            .await
            .unwrap();
        with_demo(&app).await;
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        let (status, page) = app.get_html(&manager, "/dashboard/ideas?days=365").await;
        assert_eq!(status, 200);
        let page = main_of(&page);
        for text in [
            "Betrokkenheidsladder",
            "Waar klanten bijdragen: thema's in ideeën",
            "Waar klanten klagen: thema's bij criticasters",
            "Eerste officiële antwoord",
            "Betrokken",
        ] {
            assert!(page.contains(text), "{text}: {page}");
        }
        // The numbers behind it: every recognised survey customer stands on one step; demo
        // customers who voted and are satisfied or loyal are engaged.
        let member = app::model::UserInfo {
            id: 1,
            email: String::new(),
            display_name: String::new(),
            role: Role::Manager,
        };
        let panel = klantstem_core::ideas::panel(&app.state, &member, 365)
            .await
            .unwrap();
        let facts = app.state.store.ladder_facts().await.unwrap();
        let mut hashes: Vec<&String> = facts.responses.iter().map(|r| &r.0).collect();
        hashes.dedup();
        assert_eq!(panel.ladder.recognised() as usize, hashes.len());
        assert!(
            panel.ladder.now[app::engagement::Step::Engaged.index()] > 0,
            "{:?}",
            panel.ladder
        );
        assert_eq!(panel.months.iter().map(|m| m.1).sum::<u64>(), 12);
        let done = panel.statuses.iter().find(|s| s.0 == "done").unwrap().1;
        assert_eq!(done, 2);
        assert!(
            panel
                .median_answer_days
                .is_some_and(|d| (6.9..7.1).contains(&d)),
            "{:?}",
            panel.median_answer_days
        );
        assert!(!panel.detractor_themes.is_empty() && !panel.idea_themes.is_empty());
        // Not for product teams or customers.
        let team = signed_in(&app, "product@klantstem.local").await;
        assert_eq!(app.get_html(&team, "/dashboard/ideas").await.0, 403);
        let customer = signed_in(&app, "klant@klantstem.local").await;
        assert_eq!(app.get_html(&customer, "/dashboard/ideas").await.0, 403);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_set_up_challenges_and_statuses_and_others_cannot() {
    each_app(|app| async move {
        with_demo(&app).await;
        let admin = app.logged_in("beheer@example.nl", Role::Admin).await;
        let (status, page) = app.get_html(&admin, "/admin/boards").await;
        assert_eq!(status, 200);
        assert!(
            main_of(&page).contains("Hoe maken we overstappen"),
            "{page}"
        );
        // Every problem at once, in Dutch.
        let bad = [
            ("original", ""),
            ("slug", "geen slug!"),
            ("kind", "challenge"),
            ("name_nl", ""),
            ("opens_on", "2027-02-01"),
            ("closes_on", "2027-01-01"),
            ("stages", "zonder naam"),
            ("response_days", "0"),
        ];
        let res = app
            .post_html_form(&admin, "/api/ideas/board-save", &bad)
            .await;
        assert_eq!(res.status(), 303);
        let (_, page) = app.get_html(&admin, &location(&res)).await;
        for message in [
            "Kies een adres van kleine letters, cijfers en streepjes.",
            "Geef het bord een naam.",
            "De sluitdatum ligt voor de openingsdatum.",
            "Schrijf elke fase als sleutel | Nederlandse naam | Engelse naam",
            "De reactiebelofte is 1 tot 365 dagen.",
        ] {
            assert!(page.contains(message), "{message}: {page}");
        }
        let challenge = [
            ("original", ""),
            ("slug", "zonnepanelen"),
            ("kind", "challenge"),
            ("name_nl", "Hoe maken we terugleveren begrijpelijk?"),
            ("name_en", "How do we make feed-in understandable?"),
            ("visibility", "private"),
            ("moderation", "always"),
            ("owner", "Team Energie"),
            ("opens_on", "2026-01-01"),
            ("closes_on", "2099-12-31"),
            (
                "stages",
                "collect | Verzamelen | Collecting\nvote | Stemmen | Voting",
            ),
            ("stage", "vote"),
            ("response_days", "7"),
        ];
        let res = app
            .post_html_form(&admin, "/api/ideas/board-save", &challenge)
            .await;
        assert_eq!(location(&res), "/admin/boards?board=zonnepanelen&saved=1");
        let board = app
            .state
            .store
            .board_by_slug("zonnepanelen")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (board.visibility, board.moderation, board.response_days),
            (BoardVisibility::Private, Moderation::Always, 7)
        );
        assert_eq!(
            board.current_stage().map(|s| s.name_en.as_str()),
            Some("Voting")
        );
        // Private: anonymous visitors do not see it; a customer does, in the stage chosen.
        assert_eq!(
            app.get_html(&new_client(), "/ideas/zonnepanelen").await.0,
            404
        );
        let customer = signed_in(&app, "klant@klantstem.local").await;
        let (_, page) = app.get_html(&customer, "/ideas/zonnepanelen").await;
        assert!(
            page.contains("Team Energie") && page.contains("Stemmen"),
            "{page}"
        );
        // The same address twice is refused; the existing board is changed in place.
        let res = app
            .post_html_form(
                &admin,
                "/api/ideas/board-save",
                &[
                    ("original", ""),
                    ("slug", "zonnepanelen"),
                    ("name_nl", "Dubbel"),
                ],
            )
            .await;
        assert!(location(&res).contains("error=board_slug_taken"));
        let mut edit = challenge.to_vec();
        edit.retain(|(k, _)| *k != "original" && *k != "visibility");
        edit.push(("original", "zonnepanelen"));
        edit.push(("visibility", "public"));
        app.post_html_form(&admin, "/api/ideas/board-save", &edit)
            .await;
        assert_eq!(
            app.get_html(&new_client(), "/ideas/zonnepanelen").await.0,
            200
        );

        // Statuses: renamed and recoloured, and a new one that shows on the roadmap.
        let res = app
            .post_html_form(
                &admin,
                "/api/ideas/status-save",
                &[
                    ("key", "planned"),
                    ("name_nl", "Ingepland"),
                    ("name_en", "Scheduled"),
                    ("color", "#123456"),
                    ("position", "2"),
                    ("on_roadmap", "on"),
                ],
            )
            .await;
        assert_eq!(location(&res), "/admin/boards?saved=1#statuses");
        app.post_html_form(
            &admin,
            "/api/ideas/status-save",
            &[
                ("key", "testing"),
                ("name_nl", "In test bij klanten"),
                ("name_en", "Testing with customers"),
                ("color", "#0a7d80"),
                ("position", "3"),
                ("on_roadmap", "on"),
            ],
        )
        .await;
        let res = app
            .post_html_form(
                &admin,
                "/api/ideas/status-save",
                &[("key", "Fout!"), ("name_nl", ""), ("color", "rood")],
            )
            .await;
        assert!(location(&res).contains("error=board_status_key_invalid"));
        let statuses = app.state.store.idea_statuses().await.unwrap();
        assert_eq!(
            statuses
                .iter()
                .find(|s| s.key == "planned")
                .map(|s| s.name_nl.as_str()),
            Some("Ingepland")
        );
        let id = idea_id(&app, "Grotere letters instelbaar").await;
        let team = signed_in(&app, "product@klantstem.local").await;
        app.post_html_form(
            &team,
            "/api/ideas/status",
            &[
                ("board", "app"),
                ("id", &id.to_string()),
                ("status", "testing"),
            ],
        )
        .await;
        let (_, roadmap) = app.get_html(&new_client(), "/roadmap").await;
        assert!(
            roadmap.contains("In test bij klanten")
                && roadmap.contains("Grotere letters instelbaar"),
            "{roadmap}"
        );
        // Only admins.
        for client in [&team, &customer] {
            assert_eq!(
                app.post_fn(
                    client,
                    "/api/ideas/status-save",
                    &[("key", "x"), ("name_nl", "X"), ("color", "#000000")]
                )
                .await
                .status(),
                403
            );
            assert_eq!(
                app.post_fn(
                    client,
                    "/api/ideas/board-save",
                    &[("slug", "x"), ("name_nl", "X")]
                )
                .await
                .status(),
                403
            );
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customers_timeline_shows_their_ideas_votes_and_comments_beside_their_answers() {
    each_app(|app| async move {
        server::demo::seed(&app.state, 400, 120, 2026)
            .await
            .unwrap();
        with_demo(&app).await;
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        // A demo customer who answered surveys and also took part on the idea side.
        let facts = app.state.store.ladder_facts().await.unwrap();
        let hash = facts
            .responses
            .iter()
            .map(|r| r.0.clone())
            .find(|h| facts.contributions.iter().any(|c| &c.0 == h))
            .expect("a demo customer who did both");
        let (status, page) = app
            .get_html(&manager, &format!("/responses?customer={hash}"))
            .await;
        assert_eq!(status, 200);
        let page = main_of(&page);
        assert!(page.contains("Ideeën, stemmen en reacties"), "{page}");
        let contributions = app.state.store.contributions(&hash).await.unwrap();
        assert!(!contributions.is_empty());
        let first = &contributions[0];
        assert!(
            page.contains(&format!(
                "href=\"/ideas/{}/{}\">{}</a>",
                first.board_slug, first.idea_id, first.title
            )),
            "{page}"
        );
        assert!(page.contains("data-testid=\"responses\""), "{page}");
        // Klant@klantstem.local (demo customer 0) wrote this idea.
        let klant = app::backend::customer_hash(&app.state.customer_key, "demo-customer-0");
        let own = app.state.store.contributions(&klant).await.unwrap();
        assert!(
            own.iter().any(|c| c.kind == "idea"
                && c.title == "Meterstanden automatisch doorgeven bij overstappen"),
            "{own:?}"
        );
        // Only staff who see responses.
        let team = signed_in(&app, "product@klantstem.local").await;
        assert_eq!(
            app.post_fn(&team, "/api/ideas/contributions", &[("customer", &hash)])
                .await
                .status(),
            403
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_author_edits_an_idea_and_only_in_its_first_hour() {
    each_app(|app| async move {
        with_demo(&app).await;
        let author = signed_in(&app, "klant@klantstem.local").await;
        let res = app
            .post_html_form(
                &author,
                "/api/ideas/submit",
                &[
                    ("board", "app"),
                    ("title", "Pushbericht bij een storing"),
                    ("confirmed", "1"),
                ],
            )
            .await;
        let path = location(&res);
        let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
        let (_, page) = app.get_html(&author, &path).await;
        assert!(page.contains("id=\"edit-title\""), "{page}");
        let res = app
            .post_html_form(
                &author,
                "/api/ideas/edit",
                &[
                    ("board", "app"),
                    ("id", &id.to_string()),
                    ("title", "Pushmelding bij een stroomstoring"),
                    ("body", "Met de verwachte duur."),
                ],
            )
            .await;
        assert_eq!(location(&res), path);
        let idea = app.state.store.idea(id).await.unwrap().unwrap();
        assert_eq!(
            (idea.title.as_str(), idea.body.as_str()),
            (
                "Pushmelding bij een stroomstoring",
                "Met de verwachte duur."
            )
        );
        // Analysed again: suggestions find it by its new words.
        let res = author
            .get(app.url("/api/ideas/similar?title=stroomstoring%20melding"))
            .send()
            .await
            .unwrap();
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Pushmelding bij een stroomstoring"));
        // Others may not; a bad title comes back with its reason.
        app.add_user("ander@example.nl", Role::Customer).await;
        let other = signed_in(&app, "ander@example.nl").await;
        let res = app
            .post_fn(
                &other,
                "/api/ideas/edit",
                &[
                    ("board", "app"),
                    ("id", &id.to_string()),
                    ("title", "Overgenomen titel hier"),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
        let (_, page) = app.get_html(&other, &path).await;
        assert!(!page.contains("id=\"edit-title\""), "{page}");
        let res = app
            .post_html_form(
                &author,
                "/api/ideas/edit",
                &[("board", "app"), ("id", &id.to_string()), ("title", "Kort")],
            )
            .await;
        assert!(location(&res).contains("error=idea_title_too_short"));
        // After the first hour the idea is what people voted for.
        let old = idea_id(&app, "Grotere letters instelbaar").await;
        let old_author = app.state.store.idea(old).await.unwrap().unwrap().author_id;
        let email = app
            .state
            .store
            .account(old_author)
            .await
            .unwrap()
            .unwrap()
            .email;
        let writer = signed_in(&app, &email).await;
        let res = app
            .post_html_form(
                &writer,
                "/api/ideas/edit",
                &[
                    ("board", "app"),
                    ("id", &old.to_string()),
                    ("title", "Iets heel anders nu"),
                ],
            )
            .await;
        let (_, page) = app.get_html(&writer, &location(&res)).await;
        assert!(
            page.contains("Je kunt je idee alleen in het eerste uur na het plaatsen wijzigen."),
            "{page}"
        );
        let events = app.state.store.idea_events(id).await.unwrap();
        assert!(events.iter().any(|e| e.action == "edit"));
    })
    .await;
}
