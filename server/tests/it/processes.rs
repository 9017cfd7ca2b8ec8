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
