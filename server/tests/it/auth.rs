//! Logging in and out over real HTTP, on every backend: the session cookie, wrong passwords.

use crate::common::{self, each_app, new_client};
use app::model::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_sets_a_safe_cookie_and_logout_ends_the_session() {
    each_app(|app| async move {
        app.add_user("manager@example.nl", Role::Manager).await;
        let res = app
            .post_html_form(
                &app.client,
                "/api/auth/login",
                &[
                    ("email", "Manager@Example.nl"),
                    ("password", common::PASSWORD),
                    ("next", "/dashboard"),
                ],
            )
            .await;
        assert_eq!(res.status(), 302);
        let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(cookie.starts_with("ks_session="));
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        let token = cookie.split(';').next().unwrap().to_string();

        // A copy of the cookie works until logout, then never again.
        let stolen = || {
            app.client
                .get(app.url("/dashboard"))
                .header("cookie", &token)
                .header("accept", "text/html")
        };
        let res = new_client()
            .execute(stolen().build().unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["cache-control"],
            "private, no-store",
            "staff pages are not cached"
        );
        let res = app
            .post_html_form(&app.client, "/api/auth/logout", &[])
            .await;
        assert_eq!(res.status(), 302);
        assert!(res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        assert_eq!(
            new_client()
                .execute(stolen().build().unwrap())
                .await
                .unwrap()
                .status(),
            302
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_do_not_reveal_accounts_and_are_rate_limited() {
    each_app(|app| async move {
        app.add_user("manager@example.nl", Role::Manager).await;
        let wrong = app
            .post_fn(
                &app.client,
                "/api/auth/login",
                &[("email", "manager@example.nl"), ("password", "nope")],
            )
            .await;
        assert_eq!(wrong.status(), 401);
        let wrong_body = wrong.text().await.unwrap();
        let unknown = app
            .post_fn(
                &app.client,
                "/api/auth/login",
                &[("email", "ghost@example.nl"), ("password", "nope")],
            )
            .await;
        assert_eq!(unknown.status(), 401);
        assert_eq!(
            unknown.text().await.unwrap(),
            wrong_body,
            "same answer for unknown accounts"
        );

        // Without JavaScript the error comes back to the login page.
        let res = app
            .post_html_form(
                &app.client,
                "/api/auth/login",
                &[("email", "manager@example.nl"), ("password", "nope")],
            )
            .await;
        assert_eq!(res.status(), 303);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/login?error=credentials"));
        let (_, html) = app.get_html(&app.client, &location).await;
        assert!(html.contains("E-mailadres of wachtwoord is onjuist."));

        for _ in 0..3 {
            app.post_fn(
                &app.client,
                "/api/auth/login",
                &[("email", "manager@example.nl"), ("password", "nope")],
            )
            .await;
        }
        // Five failures: now even the right password is refused for a while.
        let res = app
            .post_fn(
                &app.client,
                "/api/auth/login",
                &[
                    ("email", "manager@example.nl"),
                    ("password", common::PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status(), 429);
        assert!(res.headers().contains_key("retry-after"));
    })
    .await;
}

/// A session used now and then lives on; one left alone longer than the idle time ends, and the
/// browser is sent to the login page with the page it wanted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_left_idle_ends() {
    for backend in klantstem_store::test_db::backends() {
        let settings = app::backend::Settings {
            session_idle: std::time::Duration::from_secs(3),
            ..Default::default()
        };
        let app = common::spawn_app_with(backend, settings).await;
        let manager = app.logged_in("manager@example.nl", Role::Manager).await;
        for _ in 0..3 {
            tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
            assert_eq!(app.get_html(&manager, "/dashboard").await.0, 200);
        }
        tokio::time::sleep(std::time::Duration::from_millis(4500)).await;
        let res = manager
            .get(app.url("/dashboard"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302, "{backend:?}");
        assert_eq!(res.headers()["location"], "/login?next=/dashboard");
    }
}

/// The header's password page: a wrong current password, a short or mistyped new one each get
/// their own message in Dutch and change nothing; a good change keeps this browser signed in,
/// ends the account's every other session, and only the new password logs in after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_every_other_session() {
    each_app(|app| async move {
        let laptop = app.logged_in("manager@example.nl", Role::Manager).await;
        let phone = new_client();
        app.login(&phone, "manager@example.nl").await;
        let (status, page) = app.get_html(&laptop, "/account/password").await;
        assert_eq!(status, 200);
        assert!(page.contains("Wachtwoord wijzigen"), "{page}");
        assert!(page.contains(r#"href="/account/password""#));

        let change = |current: &'static str, new: &'static str, repeat: &'static str| {
            let app = &app;
            let laptop = &laptop;
            async move {
                let res = app
                    .post_html_form(
                        laptop,
                        "/api/account/password",
                        &[("current", current), ("password", new), ("repeat", repeat)],
                    )
                    .await;
                assert!(res.status().is_redirection());
                let to = res.headers()["location"].to_str().unwrap().to_string();
                let (_, page) = app.get_html(laptop, &to).await;
                (to, page)
            }
        };
        let (to, page) = change(
            "geraden wachtwoord",
            "nieuw en lang genoeg",
            "nieuw en lang genoeg",
        )
        .await;
        assert_eq!(to, "/account/password?error=account_current_password_wrong");
        assert!(page.contains("Je huidige wachtwoord klopt niet."), "{page}");
        let (_, page) = change(common::PASSWORD, "kort", "kort").await;
        assert!(page.contains("Kies een wachtwoord van minstens 10 tekens."));
        let (_, page) = change(
            common::PASSWORD,
            "nieuw en lang genoeg",
            "nieuw en lang genoeg!",
        )
        .await;
        assert!(page.contains("Je hebt het nieuwe wachtwoord de tweede keer anders getypt."));
        // Nothing changed: the phone is still signed in.
        assert_eq!(app.get_html(&phone, "/dashboard").await.0, 200);

        let (to, page) = change(
            common::PASSWORD,
            "nieuw en lang genoeg",
            "nieuw en lang genoeg",
        )
        .await;
        assert_eq!(to, "/account/password?done=1");
        assert!(page.contains("Je wachtwoord is gewijzigd."), "{page}");
        let sql = "SELECT subject FROM outbox WHERE kind = 'password_changed' \
                   AND recipient = 'manager@example.nl'";
        assert_eq!(
            app.query_text(sql).await.as_deref(),
            Some("Je wachtwoord is gewijzigd")
        );
        assert_eq!(app.get_html(&laptop, "/dashboard").await.0, 200);
        let res = phone
            .get(app.url("/dashboard"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/login?next=/dashboard");

        let res = app
            .post_html_form(
                &new_client(),
                "/api/auth/login",
                &[
                    ("email", "manager@example.nl"),
                    ("password", common::PASSWORD),
                ],
            )
            .await;
        assert!(res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("error=credentials"));
        let res = app
            .post_html_form(
                &new_client(),
                "/api/auth/login",
                &[
                    ("email", "manager@example.nl"),
                    ("password", "nieuw en lang genoeg"),
                    ("next", "/dashboard"),
                ],
            )
            .await;
        assert_eq!(res.headers()["location"], "/dashboard");

        // Signed out, the page sends you to log in; the form refuses.
        let res = app
            .client
            .get(app.url("/account/password"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302);
        assert_eq!(res.headers()["location"], "/login?next=/account/password");
        let res = app
            .post_fn(
                &app.client,
                "/api/account/password",
                &[("current", "x"), ("password", "y"), ("repeat", "y")],
            )
            .await;
        assert_eq!(res.status(), 401);
    })
    .await;
}
