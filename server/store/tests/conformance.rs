//! The storage conformance suite: every backend must behave the same. SQLite always; PostgreSQL
//! when `TEST_DATABASE_URL` is set.

use domain::model::{Dimension, Grouping, ResponseFilter, Role, ThemeTag};
use klantstem_core::store::{NewResponse, NewSurvey, NewUser, Retagged, ThemeCorrection};
use klantstem_core::{now_unix, Store, StoreError};
use klantstem_store::test_db::{backends, fresh_db};

fn user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: email.into(),
        display_name: "Jan".into(),
        password_hash: "$argon2id$x".into(),
        role,
    }
}

fn survey(slug: &str) -> NewSurvey {
    NewSurvey {
        slug: slug.into(),
        title_nl: "Titel".into(),
        title_en: "Title".into(),
        open: true,
        created_at: 100,
        texts: Default::default(),
        embed_origins: vec![],
    }
}

fn response(survey_id: i64, token: &str, score: u8, reason: Option<&str>, at: i64) -> NewResponse {
    NewResponse {
        survey_id,
        submission_token: token.into(),
        score: Some(score),
        rating: None,
        reason: reason.map(Into::into),
        language: reason.map(|_| "nl".into()),
        language_confidence: reason.map(|_| 0.9),
        respondent_locale: "nl".into(),
        channel: Some("email".into()),
        journey_phase: Some("onboarding".into()),
        contact_email: None,
        created_at: at,
        sentiment: reason.map(|_| "negative".to_string()),
        sentiment_score: reason.map(|_| -0.5),
        sentiment_confidence: reason.map(|_| 0.9),
        themes: reason
            .map(|_| {
                ["staff", "waiting_time"]
                    .map(|k| tag(k, "negative"))
                    .to_vec()
            })
            .unwrap_or_default(),
        taxonomy_version: 1,
        source: "survey".into(),
        customer_hash: None,
        customer_ref: None,
        consent: None,
        entered_by: None,
        answers: Vec::new(),
        labels: Default::default(),
    }
}

fn tag(key: &str, sentiment: &str) -> ThemeTag {
    ThemeTag {
        key: key.into(),
        name: String::new(),
        sentiment: Some(sentiment.into()),
        confidence: Some(0.9),
        manual: false,
    }
}

fn theme_keys(v: &domain::model::Verbatim) -> Vec<(&str, bool)> {
    v.themes
        .iter()
        .map(|t| (t.key.as_str(), t.manual))
        .collect()
}

async fn each_backend<F, Fut>(test: F)
where
    F: Fn(std::sync::Arc<dyn Store>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for backend in backends() {
        let db = fresh_db(backend).await;
        eprintln!("backend: {backend:?}");
        test(db.store.clone()).await;
    }
}

#[tokio::test]
async fn users_are_unique_by_case_insensitive_email() {
    each_backend(|s| async move {
        assert_eq!(s.count_users().await.unwrap(), 0);
        let id = s
            .create_user(&user("Jan@Example.nl", Role::Manager))
            .await
            .unwrap();
        let found = s.user_by_email("jan@example.NL").await.unwrap().unwrap();
        assert_eq!(found.info.id, id);
        assert_eq!(found.info.email, "jan@example.nl");
        assert_eq!(found.info.role, Role::Manager);
        assert_eq!(found.password_hash, "$argon2id$x");
        assert!(matches!(
            s.create_user(&user("JAN@example.nl", Role::Admin)).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.count_users().await.unwrap(), 1);
        assert!(s
            .user_by_email("nobody@example.nl")
            .await
            .unwrap()
            .is_none());
    })
    .await;
}

#[tokio::test]
async fn sessions_expire_and_can_be_deleted() {
    each_backend(|s| async move {
        let uid = s.create_user(&user("a@b.nl", Role::Admin)).await.unwrap();
        s.create_session("live", uid, 100, 200).await.unwrap();
        s.create_session("old", uid, 10, 50).await.unwrap();
        assert_eq!(
            s.session_user("live", 150, 1000).await.unwrap().unwrap().id,
            uid
        );
        assert!(
            s.session_user("live", 200, 1000).await.unwrap().is_none(),
            "expired at expires_at"
        );
        assert!(s.session_user("old", 150, 1000).await.unwrap().is_none());
        assert!(s
            .session_user("missing", 150, 1000)
            .await
            .unwrap()
            .is_none());
        // Idle time 40 s: each use moves the last use, so a session used every 35 s lives on
        // and one left for 41 s ends.
        s.create_session("idle", uid, 100, 10_000).await.unwrap();
        assert!(s.session_user("idle", 130, 40).await.unwrap().is_some());
        assert!(s.session_user("idle", 165, 40).await.unwrap().is_some());
        assert!(
            s.session_user("idle", 206, 40).await.unwrap().is_none(),
            "unused for 41 s of 40: ended"
        );
        assert_eq!(s.delete_expired_sessions(150).await.unwrap(), 1);
        s.delete_session("live").await.unwrap();
        assert!(s.session_user("live", 150, 1000).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn surveys_by_slug_and_in_order() {
    each_backend(|s| async move {
        let a = s.create_survey(&survey("a")).await.unwrap();
        let mut closed = survey("b");
        closed.open = false;
        s.create_survey(&closed).await.unwrap();
        assert!(matches!(
            s.create_survey(&survey("a")).await,
            Err(StoreError::Conflict(_))
        ));
        let got = s.survey_by_slug("a").await.unwrap().unwrap();
        assert_eq!(
            (
                got.id,
                got.title_nl.as_str(),
                got.title_en.as_str(),
                got.open
            ),
            (a, "Titel", "Title", true)
        );
        assert!(s.survey_by_slug("zz").await.unwrap().is_none());
        let list = s.list_surveys().await.unwrap();
        assert_eq!(
            list.iter()
                .map(|s| (s.slug.as_str(), s.open))
                .collect::<Vec<_>>(),
            vec![("a", true), ("b", false)]
        );
    })
    .await;
}

#[tokio::test]
async fn responses_dedupe_by_token_and_aggregate() {
    each_backend(|s| async move {
        let sid = s.create_survey(&survey("nps")).await.unwrap();
        let first = s
            .insert_response(&response(sid, "tok1", 9, Some("Top service"), 1000))
            .await
            .unwrap();
        assert!(!first.duplicate);
        let again = s
            .insert_response(&response(sid, "tok1", 2, Some("changed"), 1001))
            .await
            .unwrap();
        assert_eq!(
            again,
            klantstem_core::store::Inserted {
                id: first.id,
                duplicate: true
            }
        );
        s.insert_response(&response(sid, "tok2", 3, Some("Te lang gewacht"), 2000))
            .await
            .unwrap();
        s.insert_response(&response(sid, "tok3", 7, None, 3000))
            .await
            .unwrap();
        s.insert_response(&response(sid, "tok4", 10, Some("Prima"), 500))
            .await
            .unwrap();
        assert_eq!(s.count_responses().await.unwrap(), 4);

        let d = s
            .scores(&Default::default(), Grouping::Total)
            .await
            .unwrap()[0]
            .scores;
        assert_eq!(d.0, [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1]);
        assert_eq!(d.summary().nps(), Some(25.0));

        let v = s.latest_verbatims(2).await.unwrap();
        assert_eq!(
            v.iter()
                .map(|v| v.reason.as_deref().unwrap())
                .collect::<Vec<_>>(),
            vec!["Te lang gewacht", "Top service"]
        );
        assert_eq!(
            v[1].score,
            Some(9),
            "the first answer wins over a resubmission"
        );
        assert_eq!(v[0].channel.as_deref(), Some("email"));
        assert_eq!(v[0].journey_phase.as_deref(), Some("onboarding"));
        assert_eq!(v[0].language.as_deref(), Some("nl"));
        assert_eq!(v[0].survey_title_en, "Title");
        let keys: Vec<&str> = v[0].themes.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(v[0].sentiment.as_deref(), Some("negative"));
        assert_eq!(v[0].themes[0].sentiment.as_deref(), Some("negative"));
        assert_eq!(
            keys,
            ["staff", "waiting_time"],
            "themes are stored with the response"
        );
        assert!(s
            .latest_verbatims(10)
            .await
            .unwrap()
            .iter()
            .all(|v| v.themes.len() == 2));
        assert_eq!(
            s.latest_verbatims(10).await.unwrap().len(),
            3,
            "responses without text are not verbatims"
        );
    })
    .await;
}

#[tokio::test]
async fn database_refuses_impossible_rows() {
    each_backend(|s| async move {
        let sid = s.create_survey(&survey("nps")).await.unwrap();
        // The schema itself guards the score range and the survey reference.
        assert!(s
            .insert_response(&response(sid, "bad", 11, None, 1))
            .await
            .is_err());
        assert!(s
            .insert_response(&response(sid + 999, "orphan", 5, None, 1))
            .await
            .is_err());
        assert_eq!(s.count_responses().await.unwrap(), 0);
        s.ping().await.unwrap();
        assert!(["sqlite", "postgres"].contains(&s.backend_name()));
        let _ = now_unix();
    })
    .await;
}

/// 200 answers at once (a resend and an impossible one among them): every good answer is
/// acknowledged and stored exactly once, the impossible one alone is refused, and the rollups
/// count exactly what was stored. On SQLite they share group commits; nothing waits on a lock
/// long enough to fail.
#[tokio::test]
async fn concurrent_answers_are_all_stored_once_and_a_bad_one_sinks_no_other() {
    each_backend(|s| async move {
        let sid = s.create_survey(&survey("nps")).await.unwrap();
        let mut writes = tokio::task::JoinSet::new();
        for i in 0..200u32 {
            let s = s.clone();
            writes.spawn(async move {
                let mut r = response(
                    sid,
                    &format!("burst{i:04}"),
                    (i % 11) as u8,
                    (i % 3 == 0).then_some("Te lang gewacht"),
                    10_000 + i64::from(i),
                );
                if i == 7 {
                    r.score = Some(11); // the database refuses it
                }
                if i == 8 {
                    r.submission_token = "burst0009".into(); // a resend of answer 9
                }
                (i, s.insert_response(&r).await)
            });
        }
        let mut stored = std::collections::BTreeMap::new();
        while let Some(done) = writes.join_next().await {
            let (i, result) = done.unwrap();
            match i {
                7 => assert!(result.is_err(), "the impossible answer is refused"),
                _ => {
                    stored.insert(i, result.unwrap_or_else(|e| panic!("answer {i}: {e}")));
                }
            }
        }
        assert_eq!(s.count_responses().await.unwrap(), 198);
        assert_eq!(
            stored[&8].id, stored[&9].id,
            "a resend answers the id of the answer it repeats"
        );
        assert_eq!(
            stored.values().filter(|i| i.duplicate).count(),
            1,
            "exactly one of the two with the same token is the duplicate"
        );
        let ids: std::collections::BTreeSet<i64> = stored.values().map(|i| i.id).collect();
        assert_eq!(ids.len(), 198);
        let total = s
            .scores(&Default::default(), Grouping::Total)
            .await
            .unwrap()[0]
            .scores
            .0
            .iter()
            .sum::<u64>();
        assert_eq!(total, 198, "the rollups count what was stored");
        assert_rollups_match_scan(&*s, &[Default::default()]).await;
        assert_eq!(s.check().await.unwrap(), Vec::<String>::new());
    })
    .await;
}

#[tokio::test]
async fn taxonomy_versions_are_saved_in_order_and_stale_saves_refused() {
    each_backend(|s| async move {
        assert_eq!(s.current_taxonomy().await.unwrap(), None);
        assert_eq!(
            s.save_taxonomy(0, "{\"themes\":[]}", None, 1)
                .await
                .unwrap(),
            1
        );
        let uid = s
            .create_user(&user("a@example.nl", Role::Admin))
            .await
            .unwrap();
        assert_eq!(s.save_taxonomy(1, "v2", Some(uid), 2).await.unwrap(), 2);
        // Someone saving on top of version 1 (or 0) while 2 exists changes nothing.
        for stale in [0, 1] {
            assert!(matches!(
                s.save_taxonomy(stale, "lost", Some(uid), 3).await,
                Err(StoreError::Conflict(_))
            ));
        }
        assert_eq!(
            s.current_taxonomy().await.unwrap(),
            Some((2, "v2".to_string()))
        );
    })
    .await;
}

#[tokio::test]
async fn retagging_replaces_automatic_tags_and_keeps_corrections() {
    each_backend(|s| async move {
        let sid = s.create_survey(&survey("nps")).await.unwrap();
        let uid = s
            .create_user(&user("m@example.nl", Role::Manager))
            .await
            .unwrap();
        let a = s
            .insert_response(&response(
                sid,
                "a",
                3,
                Some("Lang gewacht, onvriendelijk"),
                10,
            ))
            .await
            .unwrap()
            .id;
        let b = s
            .insert_response(&response(sid, "b", 9, Some("Prima"), 20))
            .await
            .unwrap()
            .id;
        s.insert_response(&response(sid, "c", 9, None, 30))
            .await
            .unwrap();
        assert_eq!(s.tagging_progress(1).await.unwrap(), (0, 2));
        assert_eq!(s.tagging_progress(2).await.unwrap(), (2, 2));

        // The manager removes "staff" from a and adds "price_billing" to it.
        for (key, applies) in [("staff", false), ("price_billing", true)] {
            let c = ThemeCorrection {
                response_id: a,
                theme_key: key.into(),
                applies,
                user_id: uid,
                created_at: 40,
            };
            assert!(s.correct_theme(&c).await.unwrap());
        }
        let missing = ThemeCorrection {
            response_id: a + 1000,
            theme_key: "staff".into(),
            applies: true,
            user_id: uid,
            created_at: 40,
        };
        assert!(
            !s.correct_theme(&missing).await.unwrap(),
            "no such response"
        );
        let got = s.response(a).await.unwrap().unwrap();
        assert_eq!(
            theme_keys(&got),
            [("price_billing", true), ("waiting_time", false)]
        );
        assert_eq!(got.themes[0].sentiment.as_deref(), Some("negative"));

        // Version 2 finds staff (again), delivery, and no longer waiting_time.
        let todo = s.texts_to_tag(2, 10).await.unwrap();
        assert_eq!(
            todo.iter().map(|t| t.response_id).collect::<Vec<_>>(),
            [a, b]
        );
        assert_eq!(todo[0].text, "Lang gewacht, onvriendelijk");
        s.store_tags(&[
            Retagged {
                response_id: a,
                taxonomy_version: 2,
                sentiment: Some("negative".into()),
                sentiment_score: Some(-0.7),
                sentiment_confidence: Some(0.9),
                themes: vec![
                    tag("staff", "negative"),
                    tag("delivery", "neutral"),
                    tag("price_billing", "neutral"),
                ],
            },
            Retagged {
                response_id: b,
                taxonomy_version: 2,
                sentiment: Some("positive".into()),
                sentiment_score: Some(0.6),
                sentiment_confidence: Some(0.9),
                themes: vec![],
            },
        ])
        .await
        .unwrap();
        assert_eq!(s.tagging_progress(2).await.unwrap(), (0, 2));
        assert!(s.texts_to_tag(2, 10).await.unwrap().is_empty());
        let got = s.response(a).await.unwrap().unwrap();
        assert_eq!(
            theme_keys(&got),
            [("delivery", false), ("price_billing", true)],
            "the removed theme stays off, the added one stays manual"
        );
        assert_eq!(
            s.response(b).await.unwrap().unwrap().sentiment.as_deref(),
            Some("positive")
        );
        assert_eq!(s.response(a + 1000).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn texts_between_take_a_period_newest_first() {
    each_backend(|s| async move {
        let sid = s.create_survey(&survey("nps")).await.unwrap();
        for (token, at) in [("a", 100), ("b", 200), ("c", 300)] {
            s.insert_response(&response(sid, token, 5, Some(token), at))
                .await
                .unwrap();
        }
        s.insert_response(&response(sid, "d", 5, None, 250))
            .await
            .unwrap();
        let texts = s.texts_between(150, 301, 10).await.unwrap();
        assert_eq!(
            texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["c", "b"]
        );
        assert_eq!(texts[0].language.as_deref(), Some("nl"));
        assert_eq!(s.texts_between(0, 1000, 1).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn responses_are_filtered_and_paged_newest_first() {
    use domain::model::ResponseFilter;
    each_backend(|s| async move {
        let a = s.create_survey(&survey("a")).await.unwrap();
        let b = s.create_survey(&survey("b")).await.unwrap();
        let mut rows = Vec::new();
        for i in 0..30i64 {
            let mut r = response(
                if i % 2 == 0 { a } else { b },
                &format!("t{i}"),
                (i % 11) as u8,
                Some(if i % 3 == 0 {
                    "Lange WACHTTIJD, 100%_zeker"
                } else {
                    "Prima"
                }),
                1_000 + i * 10,
            );
            r.channel = Some(if i < 10 { "phone" } else { "web" }.into());
            r.customer_hash = (i == 7 || i == 21).then(|| "c1".to_string());
            if i == 29 {
                r.language = None;
            }
            if i % 5 == 0 {
                r.themes.clear();
            }
            rows.push(r);
        }
        s.insert_responses(&rows).await.unwrap();
        let ids = |v: &[domain::model::Verbatim]| v.iter().map(|v| v.score).collect::<Vec<_>>();
        let all = s
            .list_responses(&ResponseFilter::default(), 100)
            .await
            .unwrap();
        assert_eq!(all.len(), 30);
        assert!(
            all.windows(2).all(|w| w[0].created_at > w[1].created_at),
            "newest first"
        );

        let f = |f: ResponseFilter| {
            let s = s.clone();
            async move { s.list_responses(&f, 100).await.unwrap() }
        };
        let text = f(ResponseFilter {
            text: Some("wachttijd zeker".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(text.len(), 10, "both words, any case");
        let search = |q: &'static str| {
            f(ResponseFilter {
                text: Some(q.into()),
                ..Default::default()
            })
        };
        assert_eq!(search("wacht").await.len(), 10, "a word's start finds it");
        assert_eq!(
            search("Wachttíjd").await.len(),
            10,
            "case and accents do not matter"
        );
        assert_eq!(search("prima").await.len(), 20);
        assert!(
            search("zeker prima").await.is_empty(),
            "every word must occur"
        );
        // Search syntax and punctuation are taken as text, never as an error.
        for odd in [
            "\"zeker",
            "zeker*) OR (",
            "100%_",
            "'; DROP TABLE responses; --",
            "NEAR(a b)",
        ] {
            let _ = search(odd).await;
        }
        assert!(search("%%%").await.is_empty());
        assert_eq!(
            f(ResponseFilter {
                survey: Some("a".into()),
                ..Default::default()
            })
            .await
            .len(),
            15
        );
        assert_eq!(
            f(ResponseFilter {
                channel: Some("phone".into()),
                ..Default::default()
            })
            .await
            .len(),
            10
        );
        assert_eq!(
            f(ResponseFilter {
                journey_phase: Some("onboarding".into()),
                ..Default::default()
            })
            .await
            .len(),
            30
        );
        assert_eq!(
            f(ResponseFilter {
                language: Some("und".into()),
                ..Default::default()
            })
            .await
            .len(),
            1
        );
        assert_eq!(
            f(ResponseFilter {
                language: Some("nl".into()),
                ..Default::default()
            })
            .await
            .len(),
            29
        );
        assert_eq!(
            f(ResponseFilter {
                theme: Some("staff".into()),
                ..Default::default()
            })
            .await
            .len(),
            24
        );
        let promoters = f(ResponseFilter {
            group: Some("promoter".into()),
            ..Default::default()
        })
        .await;
        assert!(promoters.iter().all(|v| v.score >= Some(9)) && !promoters.is_empty());
        let detractors = f(ResponseFilter {
            group: Some("detractor".into()),
            ..Default::default()
        })
        .await;
        assert!(detractors.iter().all(|v| v.score.is_some_and(|s| s <= 6)));
        assert_eq!(
            f(ResponseFilter {
                from: Some(1_100),
                to: Some(1_200),
                ..Default::default()
            })
            .await
            .len(),
            10
        );
        let c = f(ResponseFilter {
            customer: Some("c1".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(ids(&c), [Some(10), Some(7)]);
        assert_eq!(c[0].customer.as_deref(), Some("c1"));
        let both = f(ResponseFilter {
            channel: Some("web".into()),
            survey: Some("b".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(both.len(), 10);

        // Pages of 12 by cursor: every response once, in order.
        let mut seen = Vec::new();
        let mut filter = ResponseFilter::default();
        loop {
            let page = s.list_responses(&filter, 12).await.unwrap();
            if page.is_empty() {
                break;
            }
            let last = page.last().unwrap();
            filter.before = Some((last.created_at, last.id));
            seen.extend(page.into_iter().map(|v| v.id));
        }
        assert_eq!(seen, all.iter().map(|v| v.id).collect::<Vec<_>>());
    })
    .await;
}

#[tokio::test]
async fn surveys_are_edited_opened_closed_and_archived() {
    each_backend(|s| async move {
        let id = s.create_survey(&survey("nps")).await.unwrap();
        let mut v = s.survey_by_slug("nps").await.unwrap().unwrap();
        assert_eq!(v.texts, Default::default());
        assert!(v.open && !v.archived);
        v.title_nl = "Nieuwe titel".into();
        v.texts.followup_detractor_nl = "Wat kan er beter?".into();
        v.texts.thanks_en = "Thanks!".into();
        v.embed_origins = vec![
            "https://www.example.nl".into(),
            "https://shop.example.nl".into(),
        ];
        v.slug = "ignored".into();
        assert!(s.update_survey(&v).await.unwrap());
        let got = s.survey_by_slug("nps").await.unwrap().unwrap();
        assert_eq!(got.title_nl, "Nieuwe titel");
        assert_eq!(
            got.texts.followup(3, domain::locale::Locale::Nl),
            Some("Wat kan er beter?")
        );
        assert_eq!(
            got.texts.thanks(domain::locale::Locale::Nl),
            Some("Thanks!"),
            "falls back"
        );
        assert_eq!(got.embed_origins.len(), 2);
        assert!(s.set_survey_state(id, false, true).await.unwrap());
        let got = s.survey_by_slug("nps").await.unwrap().unwrap();
        assert!(!got.open && got.archived);
        assert!(!s.set_survey_state(id + 99, true, false).await.unwrap());
        v.id = id + 99;
        assert!(!s.update_survey(&v).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn questions_are_ordered_answered_and_retired_not_deleted_once_answered() {
    use domain::questions::{Answer, QuestionKind, QuestionTexts};
    each_backend(|s| async move {
        let sid = s.create_survey(&survey("nps")).await.unwrap();
        let texts = |label: &str| QuestionTexts {
            label_nl: label.into(),
            ..Default::default()
        };
        let a = s
            .add_question(sid, QuestionKind::Csat, true, &texts("A"), 1)
            .await
            .unwrap();
        let b = s
            .add_question(sid, QuestionKind::Text, false, &texts("B"), 1)
            .await
            .unwrap();
        let c = s
            .add_question(sid, QuestionKind::Ces, false, &texts("C"), 1)
            .await
            .unwrap();
        let order =
            |qs: Vec<domain::questions::Question>| qs.iter().map(|q| q.id).collect::<Vec<_>>();
        assert_eq!(order(s.survey_questions(sid).await.unwrap()), [a, b, c]);
        assert!(s.move_question(sid, c, true).await.unwrap());
        assert!(
            !s.move_question(sid, a, true).await.unwrap(),
            "the first cannot go up"
        );
        assert_eq!(order(s.survey_questions(sid).await.unwrap()), [a, c, b]);

        let mut r = response(sid, "t1", 8, Some("Goed"), 10);
        r.answers = vec![
            Answer {
                question_id: a,
                value: Some(4),
                text: None,
            },
            Answer {
                question_id: b,
                value: None,
                text: Some("Snel".into()),
            },
        ];
        let id = s.insert_response(&r).await.unwrap().id;
        let stored = s.response_answers(id).await.unwrap();
        assert_eq!(
            stored.iter().map(|(_, a)| a.clone()).collect::<Vec<_>>(),
            r.answers
        );
        assert_eq!(stored[0].0.texts.label_nl, "A");

        assert_eq!(
            s.remove_question(sid, a).await.unwrap(),
            Some(true),
            "answered: retired"
        );
        assert_eq!(
            s.remove_question(sid, c).await.unwrap(),
            Some(false),
            "unanswered: deleted"
        );
        assert_eq!(
            s.remove_question(sid + 1, b).await.unwrap(),
            None,
            "another survey's question"
        );
        let qs = s.survey_questions(sid).await.unwrap();
        assert_eq!(order(qs.clone()), [a, b]);
        assert!(qs[0].retired && !qs[1].retired);
        assert_eq!(
            s.response_answers(id).await.unwrap().len(),
            2,
            "answers stay"
        );
    })
    .await;
}

#[tokio::test]
async fn scores_are_grouped_by_calendar_month_in_utc() {
    each_backend(|s| async move {
        let sid = s.create_survey(&survey("nps")).await.unwrap();
        // 2026-01-31 23:59:59, 2026-02-01 00:00:00 and 2026-02-15 (UTC).
        for (token, score, at) in [
            ("a", 10, 1_769_903_999),
            ("b", 2, 1_769_904_000),
            ("c", 9, 1_771_113_600),
        ] {
            s.insert_response(&response(sid, token, score, None, at))
                .await
                .unwrap();
        }
        let months = s
            .scores(&Default::default(), Grouping::Month)
            .await
            .unwrap();
        let got: Vec<(&str, u64, Option<f64>)> = months
            .iter()
            .map(|g| (g.key.as_str(), g.scores.total(), g.scores.summary().nps()))
            .collect();
        assert_eq!(
            got,
            [("2026-01", 1, Some(100.0)), ("2026-02", 2, Some(0.0))]
        );
        let phone = domain::model::ResponseFilter {
            channel: Some("phone".into()),
            ..Default::default()
        };
        assert!(s.scores(&phone, Grouping::Month).await.unwrap().is_empty());
    })
    .await;
}

/// Every grouping under every kind of filter, from the rollups and from a scan of the responses.
async fn assert_rollups_match_scan(s: &dyn Store, filters: &[ResponseFilter]) {
    let groupings = [
        Grouping::Total,
        Grouping::By(Dimension::Channel),
        Grouping::By(Dimension::JourneyPhase),
        Grouping::By(Dimension::Survey),
        Grouping::By(Dimension::Language),
        Grouping::Theme,
        Grouping::Month,
        Grouping::Week,
        Grouping::ThemeMonth,
        Grouping::Dimensions,
    ];
    for f in filters {
        for by in groupings {
            s.set_rollups(true);
            let fast = s.scores(f, by).await.unwrap();
            s.set_rollups(false);
            let slow = s.scores(f, by).await.unwrap();
            s.set_rollups(true);
            assert_eq!(fast, slow, "filter {f:?} grouped by {by:?}");
        }
    }
}

#[tokio::test]
async fn rollups_answer_exactly_what_a_scan_of_the_responses_answers() {
    use domain::questions::{Answer, QuestionKind, QuestionTexts};
    each_backend(|s| async move {
        let a = s.create_survey(&survey("a")).await.unwrap();
        let b = s.create_survey(&survey("b")).await.unwrap();
        let csat = s
            .add_question(a, QuestionKind::Csat, false, &QuestionTexts::default(), 1)
            .await
            .unwrap();
        let ces = s
            .add_question(a, QuestionKind::Ces, false, &QuestionTexts::default(), 1)
            .await
            .unwrap();
        const DAY: i64 = 86_400;
        // 2026-01-01 is day 20_454; responses from mid-December to mid-March, some at the very
        // edges of days and months.
        let start = 20_454 * DAY;
        let mut batch = Vec::new();
        for i in 0..120i64 {
            let at = start - 17 * DAY + i * 77_777 + if i % 5 == 0 { DAY - 1 } else { 0 };
            let survey_id = if i % 3 == 0 { b } else { a };
            let text = match i % 4 {
                0 => None,
                1 => Some("Lang gewacht"),
                2 => Some("Long wait"),
                _ => Some("???"),
            };
            let mut r = response(survey_id, &format!("r{i}"), (i % 11) as u8, text, at);
            r.channel = Some(["web", "email", "phone"][(i % 3) as usize].into());
            r.journey_phase =
                (i % 7 != 0).then(|| ["service", "purchase"][(i % 2) as usize].into());
            r.language = match i % 4 {
                1 => Some("nl".into()),
                2 => Some("en".into()),
                _ => None,
            };
            if i % 6 == 1 {
                r.themes = vec![tag("price", "positive")];
            }
            // Open feedback without a score: a mail, a review with stars.
            if i % 8 == 3 {
                r.score = None;
                r.rating = (i % 16 == 3).then_some(2);
            }
            if survey_id == a && i % 2 == 0 {
                r.answers = vec![
                    Answer {
                        question_id: csat,
                        value: Some(1 + i % 5),
                        text: None,
                    },
                    Answer {
                        question_id: ces,
                        value: Some(1 + i % 7),
                        text: None,
                    },
                ];
            }
            batch.push(r);
        }
        s.insert_responses(&batch).await.unwrap();

        // Later changes: a one-click score completed with a text, a retag, manual corrections.
        let mut pending = response(a, "click", 3, None, start + 40 * DAY + 5);
        pending.channel = Some("email".into());
        s.insert_response(&pending).await.unwrap();
        let completed = NewResponse {
            score: Some(9),
            reason: Some("Snel geholpen".into()),
            language: Some("nl".into()),
            themes: vec![tag("speed", "positive")],
            ..pending.clone()
        };
        assert!(s.complete_response(&completed).await.unwrap());
        let listed = s.list_responses(&Default::default(), 500).await.unwrap();
        let retag: Vec<Retagged> = listed
            .iter()
            .filter(|v| v.reason.is_some())
            .take(30)
            .map(|v| Retagged {
                response_id: v.id,
                taxonomy_version: 2,
                sentiment: Some("negative".into()),
                sentiment_score: Some(-0.4),
                sentiment_confidence: Some(0.9),
                themes: vec![tag("waiting_time", "negative"), tag("price", "neutral")],
            })
            .collect();
        s.store_tags(&retag).await.unwrap();
        let user = s
            .create_user(&user("m@example.nl", Role::Manager))
            .await
            .unwrap();
        for (v, key, applies) in [
            (&listed[0], "speed", true),
            (&listed[3], "waiting_time", false),
        ] {
            s.correct_theme(&ThemeCorrection {
                response_id: v.id,
                theme_key: key.into(),
                applies,
                user_id: user,
                created_at: now_unix(),
            })
            .await
            .unwrap();
        }

        let day = |d: i64| Some((20_454 + d) * DAY);
        let filters = [
            ResponseFilter::default(),
            ResponseFilter {
                channel: Some("web".into()),
                ..Default::default()
            },
            ResponseFilter {
                journey_phase: Some("service".into()),
                ..Default::default()
            },
            ResponseFilter {
                survey: Some("b".into()),
                ..Default::default()
            },
            ResponseFilter {
                language: Some("und".into()),
                ..Default::default()
            },
            ResponseFilter {
                language: Some("nl".into()),
                ..Default::default()
            },
            ResponseFilter {
                theme: Some("waiting_time".into()),
                ..Default::default()
            },
            ResponseFilter {
                group: Some("detractor".into()),
                ..Default::default()
            },
            ResponseFilter {
                group: Some("none".into()),
                ..Default::default()
            },
            ResponseFilter {
                from: day(-10),
                to: day(45),
                ..Default::default()
            },
            ResponseFilter {
                from: day(3),
                to: day(20),
                ..Default::default()
            },
            ResponseFilter {
                from: day(0),
                to: day(31),
                ..Default::default()
            },
            ResponseFilter {
                to: day(40),
                ..Default::default()
            },
            // Whole years 2025 and 2026 (year rows) plus December 2024 and the first of 2027.
            ResponseFilter {
                from: day(-396),
                to: day(366),
                channel: Some("phone".into()),
                ..Default::default()
            },
            ResponseFilter {
                from: day(12),
                ..Default::default()
            },
            ResponseFilter {
                channel: Some("email".into()),
                language: Some("en".into()),
                group: Some("promoter".into()),
                from: day(-5),
                to: day(50),
                ..Default::default()
            },
            ResponseFilter {
                theme: Some("price".into()),
                survey: Some("a".into()),
                from: day(1),
                ..Default::default()
            },
            ResponseFilter {
                text: Some("wacht".into()),
                ..Default::default()
            },
            ResponseFilter {
                from: Some(start + 3_600),
                ..Default::default()
            },
        ];
        assert_rollups_match_scan(&*s, &filters).await;

        // The figures themselves, for the record: CSAT and CES averages of survey a.
        let only_a = ResponseFilter {
            survey: Some("a".into()),
            ..Default::default()
        };
        let total = &s.scores(&only_a, Grouping::Total).await.unwrap()[0];
        // Star ratings of open feedback count as CSAT too.
        assert!(total.ces.n > 0 && total.csat.n > total.ces.n);
        let mean = total.csat.value().unwrap();
        assert!((1.0..=5.0).contains(&mean), "{mean}");
    })
    .await;
}

#[tokio::test]
async fn returning_customers_move_from_their_first_to_their_latest_score() {
    each_backend(|s| async move {
        let a = s.create_survey(&survey("a")).await.unwrap();
        for (token, customer, score, at, channel) in [
            ("1", Some("c1"), 3, 100, "email"),
            ("2", Some("c1"), 9, 300, "phone"),
            ("3", Some("c2"), 8, 200, "email"),
            ("4", None, 1, 250, "email"),
            ("5", Some("c3"), 10, 150, "email"),
            ("6", Some("c3"), 6, 400, "email"),
        ] {
            let mut r = response(a, token, score, None, at);
            r.customer_hash = customer.map(Into::into);
            r.channel = Some(channel.into());
            s.insert_response(&r).await.unwrap();
        }
        let mut all = s.customer_movement(&Default::default()).await.unwrap();
        all.sort();
        assert_eq!(all, vec![(3, 9, 1), (10, 6, 1)]);
        // Filters apply to the latest response: c1's was by phone before 350.
        let early = ResponseFilter {
            to: Some(350),
            ..Default::default()
        };
        assert_eq!(s.customer_movement(&early).await.unwrap(), vec![(3, 9, 1)]);
        let phone = ResponseFilter {
            channel: Some("phone".into()),
            ..Default::default()
        };
        assert_eq!(s.customer_movement(&phone).await.unwrap(), vec![(3, 9, 1)]);
        let detractors = ResponseFilter {
            group: Some("detractor".into()),
            ..Default::default()
        };
        assert_eq!(
            s.customer_movement(&detractors).await.unwrap(),
            vec![(10, 6, 1)]
        );

        // A one-click score completed later makes c2 a returning customer.
        let mut click = response(a, "click", 2, None, 500);
        click.customer_hash = Some("c2".into());
        s.insert_response(&click).await.unwrap();
        let completed = NewResponse {
            score: Some(10),
            reason: Some("Opgelost".into()),
            ..click
        };
        assert!(s.complete_response(&completed).await.unwrap());
        let mut all = s.customer_movement(&Default::default()).await.unwrap();
        all.sort();
        assert_eq!(all, vec![(3, 9, 1), (8, 10, 1), (10, 6, 1)]);
        let text = ResponseFilter {
            text: Some("opgelost".into()),
            ..Default::default()
        };
        assert_eq!(s.customer_movement(&text).await.unwrap(), vec![(8, 10, 1)]);
    })
    .await;
}

fn mail(n: u32) -> klantstem_core::store::NewMail {
    klantstem_core::store::NewMail {
        kind: "test".into(),
        recipient: format!("klant{n}@example.nl"),
        subject: format!("Bericht {n}"),
        body: "Hallo".into(),
        message_id: format!("<m{n}@klantstem.test>"),
    }
}

#[tokio::test]
async fn the_outbox_hands_each_mail_to_one_worker_and_keeps_what_was_sent() {
    use domain::outbox::MailStatus;
    each_backend(|s| async move {
        let now = 1_000_000;
        let a = s.enqueue_mail(&mail(1), now).await.unwrap();
        let b = s.enqueue_mail(&mail(2), now).await.unwrap();
        // Not due yet for a worker whose clock is behind.
        assert!(s.claim_mail(now - 1, 300, 10).await.unwrap().is_empty());
        // Two workers at once: every mail goes to exactly one of them.
        let (x, y) = tokio::join!(s.claim_mail(now, 300, 10), s.claim_mail(now, 300, 10));
        let mut claimed: Vec<i64> = x.unwrap().iter().chain(&y.unwrap()).map(|m| m.id).collect();
        claimed.sort();
        assert_eq!(claimed, [a, b]);
        s.mail_sent(a, now + 1).await.unwrap();
        // The worker with `b` dies: after its lease another takes it, same Message-ID, try 2.
        assert!(s.claim_mail(now + 299, 300, 10).await.unwrap().is_empty());
        let again = s.claim_mail(now + 300, 300, 10).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!((again[0].id, again[0].attempts), (b, 2));
        assert_eq!(again[0].message_id, "<m2@klantstem.test>");
        // A failure waits for its retry; the last one gives up.
        s.mail_failed(b, "451 try later", Some(now + 400))
            .await
            .unwrap();
        assert!(s.claim_mail(now + 399, 300, 10).await.unwrap().is_empty());
        assert_eq!(s.claim_mail(now + 400, 300, 10).await.unwrap().len(), 1);
        s.mail_failed(b, "550 no such user", None).await.unwrap();
        assert!(s
            .claim_mail(now + 10_000, 300, 10)
            .await
            .unwrap()
            .is_empty());
        // What was sent is never claimed again.
        let list = s.list_outbox(10).await.unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!((list[0].id, list[0].status), (b, MailStatus::Failed));
        assert_eq!(list[0].attempts, 3);
        assert_eq!(list[0].last_error.as_deref(), Some("550 no such user"));
        assert_eq!((list[1].id, list[1].status), (a, MailStatus::Sent));
        assert_eq!(list[1].sent_at, Some(now + 1));
        // An admin sends the failed one again: due now, tries counted afresh.
        assert!(s.resend_mail(b, now + 20_000).await.unwrap());
        assert!(
            !s.resend_mail(b, now + 20_000).await.unwrap(),
            "already pending"
        );
        assert!(!s.resend_mail(9_999, now).await.unwrap());
        let retried = s.claim_mail(now + 20_000, 300, 10).await.unwrap();
        assert_eq!((retried[0].id, retried[0].attempts), (b, 1));
        // Duplicate Message-IDs are refused.
        assert!(matches!(
            s.enqueue_mail(&mail(1), now).await,
            Err(StoreError::Conflict(_))
        ));
    })
    .await;
}

// ---------------------------------------------------------------------------------------------
// Ideas

use domain::idea::{BoardKind, BoardVisibility, IdeaQuery, IdeaSort, Moderation};
use klantstem_core::store::{
    Merge, NewAccountToken, NewBoard, NewComment, NewIdea, NewMail, NewNotification, Notices,
    StatusChange,
};

fn board(slug: &str, visibility: BoardVisibility) -> NewBoard {
    NewBoard {
        slug: slug.into(),
        kind: BoardKind::Board,
        name_nl: "Bord".into(),
        name_en: "Board".into(),
        description_nl: String::new(),
        description_en: String::new(),
        visibility,
        moderation: Moderation::Off,
        owner: String::new(),
        opens_at: None,
        closes_at: None,
        stages: vec![],
        stage: None,
        response_days: 14,
        position: 0,
    }
}

fn idea(board_id: i64, author_id: i64, title: &str, terms: &[&str], at: i64) -> NewIdea {
    NewIdea {
        board_id,
        author_id,
        title: title.into(),
        body: String::new(),
        title_masked: title.into(),
        body_masked: String::new(),
        language: Some("nl".into()),
        sentiment: None,
        themes: vec!["digital".into()],
        terms: terms.iter().map(|t| t.to_string()).collect(),
        pending: false,
        created_at: at,
    }
}

async fn customers(s: &dyn Store, n: usize) -> Vec<i64> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            s.create_user(&user(&format!("klant{i}@example.nl"), Role::Customer))
                .await
                .unwrap(),
        );
    }
    out
}

#[tokio::test]
async fn votes_count_once_per_customer_and_always_equal_their_rows() {
    each_backend(|s| async move {
        let b = s
            .create_board(&board("app", BoardVisibility::Public), 1)
            .await
            .unwrap();
        let people = customers(&*s, 12).await;
        let id = s
            .insert_idea(&idea(b, people[0], "Donkere modus", &[], 10))
            .await
            .unwrap();
        // The author's own vote.
        assert_eq!(s.idea(id).await.unwrap().unwrap().votes, 1);
        assert_eq!(s.set_vote(id, people[1], true, 11).await.unwrap(), 2);
        assert_eq!(s.set_vote(id, people[1], true, 12).await.unwrap(), 2);
        assert_eq!(s.set_vote(id, people[1], false, 13).await.unwrap(), 1);
        assert_eq!(s.set_vote(id, people[1], false, 14).await.unwrap(), 1);
        // Many at once, each customer three times.
        let mut tasks = Vec::new();
        for &p in &people[1..] {
            for _ in 0..3 {
                let s = s.clone();
                tasks.push(tokio::spawn(
                    async move { s.set_vote(id, p, true, 20).await },
                ));
            }
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(s.idea(id).await.unwrap().unwrap().votes, 12);
        let mut rows = 0;
        for &p in &people {
            rows += i64::from(s.has_voted(id, p).await.unwrap());
        }
        assert_eq!(rows, 12);
        // Ordered by votes, by date, and by votes decaying with age.
        let fresh = s
            .insert_idea(&idea(b, people[2], "Vers idee", &[], 5_000_000))
            .await
            .unwrap();
        s.set_vote(fresh, people[3], true, 5_000_001).await.unwrap();
        let order = |sort| {
            let s = s.clone();
            async move {
                let q = IdeaQuery {
                    sort,
                    ..Default::default()
                };
                let (cards, total) = s.list_ideas(b, &q, None, false, 5_000_100).await.unwrap();
                assert_eq!(total, 2);
                cards.iter().map(|c| c.id).collect::<Vec<_>>()
            }
        };
        assert_eq!(order(IdeaSort::Top).await, vec![id, fresh]);
        assert_eq!(order(IdeaSort::New).await, vec![fresh, id]);
        assert_eq!(order(IdeaSort::Trending).await, vec![fresh, id]);
    })
    .await;
}

#[tokio::test]
async fn a_merge_adds_only_what_the_original_lacks_and_its_undo_is_exact() {
    each_backend(|s| async move {
        let b = s
            .create_board(&board("app", BoardVisibility::Public), 1)
            .await
            .unwrap();
        let p = customers(&*s, 5).await;
        let orig = s
            .insert_idea(&idea(b, p[0], "Origineel", &[], 10))
            .await
            .unwrap();
        let dup = s
            .insert_idea(&idea(b, p[1], "Dubbel", &[], 20))
            .await
            .unwrap();
        s.set_vote(orig, p[2], true, 30).await.unwrap();
        s.set_vote(dup, p[2], true, 30).await.unwrap();
        s.set_vote(dup, p[3], true, 30).await.unwrap();
        let comment = NewComment {
            idea_id: dup,
            author_id: p[4],
            body: "Ja!".into(),
            body_masked: "Ja!".into(),
            language: None,
            sentiment: None,
            official: false,
            created_at: 40,
        };
        s.add_comment(&comment, &Notices::default()).await.unwrap();
        // orig: p0, p2; dup: p1, p2, p3 → after the merge p0..p3 once each.
        let merge = Merge {
            duplicate_id: dup,
            original_id: orig,
            actor_id: p[0],
            at: 50,
        };
        let moved = s.merge_ideas(&merge, &Notices::default()).await.unwrap();
        assert_eq!((moved.votes, moved.comments), (2, 1));
        let o = s.idea(orig).await.unwrap().unwrap();
        assert_eq!((o.votes, o.comments), (4, 1));
        let comments = s.idea_comments(orig).await.unwrap();
        assert_eq!(comments[0].moved_from, Some((dup, "Dubbel".to_string())));
        assert!(matches!(
            s.merge_ideas(&merge, &Notices::default()).await,
            Err(StoreError::Conflict(_))
        ));
        // Someone withdraws a vote the merge added; the undo takes away only what remains.
        s.set_vote(orig, p[3], false, 60).await.unwrap();
        let undone = s.unmerge_idea(dup, p[0], 70).await.unwrap().unwrap();
        assert_eq!((undone.votes, undone.comments), (1, 1));
        let o = s.idea(orig).await.unwrap().unwrap();
        let d = s.idea(dup).await.unwrap().unwrap();
        assert_eq!((o.votes, o.comments), (2, 0));
        assert_eq!((d.votes, d.comments, d.merged_into), (3, 1, None));
        assert!(s.has_voted(orig, p[2]).await.unwrap() && !s.has_voted(orig, p[1]).await.unwrap());
        assert_eq!(s.idea_comments(dup).await.unwrap()[0].moved_from, None);
        assert_eq!(s.unmerge_idea(dup, p[0], 80).await.unwrap(), None);
        let actions: Vec<String> = s
            .idea_events(dup)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["merge", "unmerge"]);
    })
    .await;
}

#[tokio::test]
async fn similar_candidates_leave_out_hidden_merged_and_private_ideas() {
    each_backend(|s| async move {
        let public = s
            .create_board(&board("app", BoardVisibility::Public), 1)
            .await
            .unwrap();
        let private = s
            .create_board(&board("beta", BoardVisibility::Private), 1)
            .await
            .unwrap();
        let p = customers(&*s, 1).await[0];
        let a = s
            .insert_idea(&idea(public, p, "A", &["~dark_mode", "donker", "~app"], 1))
            .await
            .unwrap();
        let b = s
            .insert_idea(&idea(private, p, "B", &["~dark_mode"], 2))
            .await
            .unwrap();
        let c = s
            .insert_idea(&idea(public, p, "C", &["~dark_mode"], 3))
            .await
            .unwrap();
        let d = s
            .insert_idea(&idea(public, p, "D", &["~dark_mode"], 4))
            .await
            .unwrap();
        s.moderate_idea(c, Some("spam"), p, 5).await.unwrap();
        s.merge_ideas(
            &Merge {
                duplicate_id: d,
                original_id: a,
                actor_id: p,
                at: 6,
            },
            &Notices::default(),
        )
        .await
        .unwrap();
        let terms = vec!["~dark_mode".to_string(), "licht".to_string()];
        let ids = |v: Vec<(i64, String)>| {
            let mut ids: Vec<i64> = v.into_iter().map(|x| x.0).collect();
            ids.sort();
            ids
        };
        assert_eq!(
            ids(s.similar_candidates(&terms, false).await.unwrap()),
            vec![a]
        );
        assert_eq!(
            ids(s.similar_candidates(&terms, true).await.unwrap()),
            vec![a, b]
        );
        assert_eq!(s.term_counts(&[a]).await.unwrap(), vec![(a, 3)]);
        assert_eq!(s.count_visible_ideas().await.unwrap(), 2);
    })
    .await;
}

#[tokio::test]
async fn notices_are_written_with_their_change_and_tokens_work_once() {
    each_backend(|s| async move {
        let b = s
            .create_board(&board("app", BoardVisibility::Public), 1)
            .await
            .unwrap();
        let p = customers(&*s, 2).await;
        let id = s.insert_idea(&idea(b, p[0], "Idee", &[], 1)).await.unwrap();
        let notices = Notices {
            notifications: vec![NewNotification {
                user_id: p[0],
                idea_id: Some(id),
                board_id: None,
                kind: "status_changed".into(),
                detail: "done".into(),
            }],
            mails: vec![NewMail {
                kind: "status_changed".into(),
                recipient: "klant0@example.nl".into(),
                subject: "Gedaan".into(),
                body: "…".into(),
                message_id: "<1@test>".into(),
            }],
        };
        let change = StatusChange {
            idea_id: id,
            status: "done".into(),
            message: Some("Klaar".into()),
            actor_id: p[1],
            at: 100,
        };
        s.change_status(&change, &notices).await.unwrap();
        let i = s.idea(id).await.unwrap().unwrap();
        assert_eq!((i.status.as_str(), i.answered_at), ("done", Some(100)));
        assert_eq!(s.unread_notifications(p[0]).await.unwrap(), 1);
        assert_eq!(
            s.notifications(p[0], 10).await.unwrap()[0].idea,
            Some((id, "Idee".into()))
        );
        s.mark_notifications_read(p[0], 101).await.unwrap();
        assert_eq!(s.unread_notifications(p[0]).await.unwrap(), 0);
        assert_eq!(s.list_outbox(10).await.unwrap()[0].kind, "status_changed");
        assert_eq!(
            s.changelog(10).await.unwrap()[0].status_message.as_deref(),
            Some("Klaar")
        );
        // A status that does not exist is refused by the database.
        let bogus = StatusChange {
            status: "bogus".into(),
            ..change
        };
        assert!(s.change_status(&bogus, &Notices::default()).await.is_err());

        let token = NewAccountToken {
            token_hash: "h1".into(),
            purpose: "verify",
            expires_at: 200,
        };
        let mail = NewMail {
            kind: "verify_email".into(),
            recipient: "x@example.nl".into(),
            subject: "s".into(),
            body: "b".into(),
            message_id: "<2@test>".into(),
        };
        s.create_account_token(p[1], &token, &mail, 150)
            .await
            .unwrap();
        assert_eq!(s.use_account_token("h1", "reset", 160).await.unwrap(), None);
        assert_eq!(
            s.use_account_token("h1", "verify", 160).await.unwrap(),
            Some(p[1])
        );
        assert_eq!(
            s.use_account_token("h1", "verify", 161).await.unwrap(),
            None
        );
        let late = NewAccountToken {
            token_hash: "h2".into(),
            purpose: "verify",
            expires_at: 200,
        };
        s.create_account_token(
            p[1],
            &late,
            &NewMail {
                message_id: "<3@test>".into(),
                ..mail
            },
            150,
        )
        .await
        .unwrap();
        assert_eq!(
            s.use_account_token("h2", "verify", 200).await.unwrap(),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn an_edit_replaces_the_texts_and_their_terms() {
    each_backend(|s| async move {
        let b = s
            .create_board(&board("app", BoardVisibility::Public), 1)
            .await
            .unwrap();
        let p = customers(&*s, 1).await[0];
        let id = s
            .insert_idea(&idea(b, p, "Oud", &["oud", "~app"], 1))
            .await
            .unwrap();
        let mut edit = idea(b, p, "Nieuw", &["nieuw"], 50);
        edit.themes = vec!["delivery".into()];
        s.edit_idea(id, &edit).await.unwrap();
        let i = s.idea(id).await.unwrap().unwrap();
        assert_eq!(
            (i.title.as_str(), i.themes.clone()),
            ("Nieuw", vec!["delivery".to_string()])
        );
        assert!(s
            .similar_candidates(&["oud".into()], false)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.similar_candidates(&["nieuw".into()], false)
                .await
                .unwrap(),
            vec![(id, "nieuw".to_string())]
        );
        assert_eq!(s.idea_events(id).await.unwrap()[0].action, "edit");
        // Votes are untouched by an edit.
        assert_eq!(i.votes, 1);
    })
    .await;
}

fn rule_form(name: &str, all: &str, targets: &[i64]) -> domain::routing::Rule {
    domain::routing::RuleForm {
        name: name.into(),
        enabled: Some("on".into()),
        all: all.into(),
        target_1: targets.first().map(|t| t.to_string()),
        target_2: targets.get(1).map(|t| t.to_string()),
        ..Default::default()
    }
    .parse(targets)
    .unwrap()
}

#[tokio::test]
async fn feedback_is_routed_on_arrival_and_again_after_retagging_and_cases_escalate_once() {
    use domain::inbox::{CasePolicy, ContactChannel, InboxQuery, ItemStatus, Outcome};
    use klantstem_core::store::{ItemChange, NewContact};
    each_backend(|s| async move {
        let now = now_unix();
        let survey_id = s.create_survey(&survey("klant")).await.unwrap();
        let lead = s
            .create_user(&user("lead@example.nl", Role::Department))
            .await
            .unwrap();
        let service = s
            .save_department(None, "Klantenservice", Some(lead), now)
            .await
            .unwrap()
            .unwrap();
        let billing = s
            .save_department(None, "Facturatie", None, now)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            s.save_department(None, "Facturatie", None, now)
                .await
                .unwrap(),
            None,
            "names are unique"
        );
        assert_eq!(s.user_departments(lead).await.unwrap(), vec![service]);
        s.set_department_member(billing, lead, true).await.unwrap();
        assert_eq!(
            s.user_departments(lead).await.unwrap(),
            vec![service.min(billing), service.max(billing)]
        );
        s.set_department_member(billing, lead, false).await.unwrap();
        assert_eq!(
            s.user_departments(lead).await.unwrap(),
            vec![service],
            "a lead works for their department"
        );
        let members: Vec<i64> = s
            .department_members(service)
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(members, vec![lead], "the lead can be assigned items");
        assert!(s.department_members(billing).await.unwrap().is_empty());
        s.save_rule(
            &rule_form("Wachttijd", "theme: waiting_time", &[service]),
            now,
        )
        .await
        .unwrap();
        s.save_routing_settings(Some(billing), &CasePolicy::default())
            .await
            .unwrap();

        // A detractor with consent about waiting: to service, with a case due in 48 hours.
        let mut detractor = response(survey_id, "t1", 3, Some("Lang gewacht"), now);
        detractor.contact_email = Some("klant@example.nl".into());
        let d = s.insert_response(&detractor).await.unwrap().id;
        // A promoter without themes: the default department, no case.
        let p = s
            .insert_response(&response(survey_id, "t2", 10, None, now))
            .await
            .unwrap()
            .id;
        let (items, total) = s.inbox(None, &InboxQuery::default()).await.unwrap();
        assert_eq!(total, 2);
        let item = items.iter().find(|i| i.response_id == Some(d)).unwrap();
        assert_eq!(
            (item.department_id, item.rule.as_deref()),
            (service, Some("Wachttijd"))
        );
        let case = item.case.unwrap();
        assert_eq!(case.deadline_at, now + 48 * 3600);
        let other = items.iter().find(|i| i.response_id == Some(p)).unwrap();
        assert_eq!(
            (other.department_id, other.rule.as_deref(), other.case),
            (billing, None, None)
        );
        // Scoped to one department.
        let (only, n) = s
            .inbox(Some(&[billing]), &InboxQuery::default())
            .await
            .unwrap();
        assert_eq!((only.len(), n), (1, 1));
        assert_eq!(
            s.inbox(Some(&[]), &InboxQuery::default()).await.unwrap().1,
            0
        );

        // Retagged: the promoter now mentions waiting time; its untouched default item moves.
        s.store_tags(&[Retagged {
            response_id: p,
            taxonomy_version: 2,
            sentiment: Some("neutral".into()),
            sentiment_score: Some(0.0),
            sentiment_confidence: Some(0.9),
            themes: vec![tag("waiting_time", "neutral")],
        }])
        .await
        .unwrap();
        let (items, _) = s.inbox(None, &InboxQuery::default()).await.unwrap();
        let moved: Vec<i64> = items
            .iter()
            .filter(|i| i.response_id == Some(p))
            .map(|i| i.department_id)
            .collect();
        assert_eq!(moved, vec![service]);
        // An item someone works on stays where it is.
        let service_item = items.iter().find(|i| i.response_id == Some(p)).unwrap().id;
        s.update_item(
            service_item,
            &ItemChange {
                status: Some(ItemStatus::InProgress),
                ..Default::default()
            },
            now,
        )
        .await
        .unwrap();
        s.store_tags(&[Retagged {
            response_id: p,
            taxonomy_version: 3,
            sentiment: Some("neutral".into()),
            sentiment_score: Some(0.0),
            sentiment_confidence: Some(0.9),
            themes: vec![],
        }])
        .await
        .unwrap();
        let (items, _) = s.inbox(None, &InboxQuery::default()).await.unwrap();
        let mut now_in: Vec<i64> = items
            .iter()
            .filter(|i| i.response_id == Some(p))
            .map(|i| i.department_id)
            .collect();
        now_in.sort();
        assert_eq!(now_in, {
            let mut v = vec![service, billing];
            v.sort();
            v
        });

        // Not overdue yet; at 49 hours, once, assigned to the lead with the mail written.
        assert!(s.overdue_cases(now + 3600).await.unwrap().is_empty());
        let overdue = s.overdue_cases(now + 49 * 3600).await.unwrap();
        assert_eq!(overdue.len(), 1);
        assert_eq!(overdue[0].lead.as_ref().map(|l| l.0), Some(lead));
        assert!(s
            .escalate_case(&overdue[0], Some(&mail(1)), now + 49 * 3600)
            .await
            .unwrap());
        assert!(!s
            .escalate_case(&overdue[0], Some(&mail(2)), now + 49 * 3600)
            .await
            .unwrap());
        assert_eq!(
            s.list_outbox(10).await.unwrap().len(),
            1,
            "one mail for one escalation"
        );
        assert!(s.overdue_cases(now + 50 * 3600).await.unwrap().is_empty());
        let record = s.inbox_item(item.id).await.unwrap().unwrap();
        assert_eq!(record.item.assignee.map(|a| a.0), Some(lead));
        let case = record.case.unwrap();
        assert!(case.escalated_at.is_some());

        // Closing needs a contact on record; then the item is handled with its root cause.
        assert!(!s
            .close_case(case.id, Outcome::Resolved, "wachtrij", now, None)
            .await
            .unwrap());
        let contact = NewContact {
            case_id: case.id,
            channel: ContactChannel::Phone,
            reached: true,
            note: "Gebeld".into(),
            user_id: lead,
            at: now + 7200,
        };
        assert!(s.add_contact(&contact, None).await.unwrap());
        assert!(s
            .close_case(case.id, Outcome::Resolved, "wachtrij", now + 7300, None)
            .await
            .unwrap());
        assert!(
            !s.close_case(case.id, Outcome::Resolved, "wachtrij", now + 7400, None)
                .await
                .unwrap(),
            "closed once"
        );
        assert!(
            !s.add_contact(&contact, None).await.unwrap(),
            "no contacts on a closed case"
        );
        let record = s.inbox_item(item.id).await.unwrap().unwrap();
        assert_eq!(record.item.status, ItemStatus::Handled);
        assert_eq!(record.item.root_cause.as_deref(), Some("wachtrij"));
        let case = record.case.unwrap();
        assert_eq!(
            (case.first_contact_at, case.outcome, case.contacts.len()),
            (Some(now + 7200), Some(Outcome::Resolved), 1)
        );
        s.add_note(item.id, lead, "Teruggebeld, opgelost", now)
            .await
            .unwrap();
        assert_eq!(
            s.inbox_item(item.id).await.unwrap().unwrap().notes[0].body,
            "Teruggebeld, opgelost"
        );

        // Yesterday's complaint imported today opens a case that is overdue at once; history
        // older than a week opens none.
        let mut recent = response(survey_id, "t4", 2, Some("Lang gewacht"), now - 3 * 86_400);
        recent.contact_email = Some("gisteren@example.nl".into());
        let r = s.insert_response(&recent).await.unwrap().id;
        let line = s
            .inbox(None, &InboxQuery::default())
            .await
            .unwrap()
            .0
            .into_iter()
            .find(|i| i.response_id == Some(r))
            .unwrap();
        assert_eq!(
            line.case.map(|c| c.deadline_at),
            Some(now - 3 * 86_400 + 48 * 3600)
        );
        assert!(line.case.unwrap().overdue(now));
        let mut old = response(survey_id, "t3", 1, Some("Lang gewacht"), now - 30 * 86_400);
        old.contact_email = Some("oud@example.nl".into());
        let o = s.insert_response(&old).await.unwrap().id;
        let record = s
            .inbox(None, &InboxQuery::default())
            .await
            .unwrap()
            .0
            .into_iter()
            .find(|i| i.response_id == Some(o))
            .unwrap();
        assert_eq!(record.case, None);
        // The rule test sees recent feedback.
        let facts = s.recent_facts(10).await.unwrap();
        assert_eq!(facts.len(), 4);
        assert!(facts
            .iter()
            .any(|(id, _, f)| *id == d && f.consent && f.score == Some(3)));
    })
    .await;
}

#[tokio::test]
async fn actions_measure_their_themes_and_tell_customers_once() {
    use domain::action::{ActionInput, ActionStatus, EvidenceKind};
    use klantstem_core::store::Telling;
    each_backend(|s| async move {
        let now = now_unix();
        let day = 86_400;
        let survey_id = s.create_survey(&survey("acties")).await.unwrap();
        let owner = s
            .create_user(&user("eigenaar@example.nl", Role::Manager))
            .await
            .unwrap();
        let service = s
            .save_department(None, "Klantenservice", None, now)
            .await
            .unwrap()
            .unwrap();
        // Before: three responses mention waiting time (scores 2, 3, 9; all negative mentions),
        // two do not (10, 8). After: two mention it (9, 10), one does not (10).
        let mut n = 0;
        let mut add =
            |score: u8, themed: bool, at: i64, email: Option<&str>, customer: Option<&str>| {
                n += 1;
                let mut r = response(survey_id, &format!("a{n}"), score, Some("tekst"), at);
                if !themed {
                    r.themes = vec![tag("staff", "positive")];
                } else {
                    r.themes = vec![tag(
                        "waiting_time",
                        if score >= 9 && at > now {
                            "positive"
                        } else {
                            "negative"
                        },
                    )];
                }
                r.contact_email = email.map(Into::into);
                r.customer_hash = customer.map(Into::into);
                r
            };
        let before = vec![
            add(
                2,
                true,
                now - 20 * day,
                Some("a@example.nl"),
                Some("cust-a"),
            ),
            add(3, true, now - 10 * day, Some("b@example.nl"), None),
            add(9, true, now - 5 * day, None, None),
            add(10, false, now - 5 * day, Some("c@example.nl"), None),
            add(8, false, now - 3 * day, None, None),
        ];
        let ids: Vec<i64> = s
            .insert_responses(&before)
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();
        let input = ActionInput {
            title: "Terugbelservice".into(),
            description: String::new(),
            department: Some(service),
            owner: Some(owner),
            due: Some(now - 2 * day),
            status: ActionStatus::Planned,
            themes: vec!["waiting_time".into()],
            public_message: "Bij drukte bellen we u terug.".into(),
            evidence: Some((EvidenceKind::Response, ids[3])),
        };
        let id = s
            .create_action(&input, owner, now - 30 * day)
            .await
            .unwrap();
        let figures = s
            .window_figures(&["waiting_time".into()], now - 30 * day, now)
            .await
            .unwrap();
        assert_eq!(figures.with_themes.total(), 3);
        assert_eq!(
            figures.with_themes.summary().nps().map(f64::round),
            Some(-33.0)
        );
        assert_eq!((figures.mentions, figures.negative_mentions), (3, 3));
        assert_eq!(figures.others.total(), 2);
        assert_eq!(
            s.window_figures(&[], now - 30 * day, now)
                .await
                .unwrap()
                .others
                .total(),
            5
        );

        // Who would be told: consented customers behind the themes or the evidence, once each.
        let candidates = s.told_candidates(id, now - 90 * day, 100).await.unwrap();
        let mut emails: Vec<&str> = candidates.iter().map(|c| c.email.as_str()).collect();
        emails.sort();
        assert_eq!(emails, vec!["a@example.nl", "b@example.nl", "c@example.nl"]);
        let tell: Vec<Telling> = candidates
            .iter()
            .map(|c| Telling {
                response_id: c.response_id,
                customer_hash: c.customer_hash.clone(),
                mail: mail(c.response_id as u32),
            })
            .collect();
        let done = ActionInput {
            status: ActionStatus::Done,
            evidence: None,
            ..input.clone()
        };
        assert!(s.update_action(id, &done, &tell, now).await.unwrap());
        assert!(
            s.update_action(id, &done, &tell, now + 10).await.unwrap(),
            "saved again: nobody told twice"
        );
        assert_eq!(s.list_outbox(10).await.unwrap().len(), 3);
        let action = s.action(id).await.unwrap().unwrap();
        assert_eq!(
            (action.status, action.done_at, action.told),
            (ActionStatus::Done, Some(now), 3)
        );
        assert_eq!(action.evidence.len(), 1);
        assert_eq!(action.evidence[0].href, format!("/responses/{}", ids[3]));
        assert!(s
            .told_candidates(id, now - 90 * day, 100)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            s.public_actions(5).await.unwrap(),
            vec![(
                "Terugbelservice".to_string(),
                "Bij drukte bellen we u terug.".to_string(),
                now
            )]
        );

        // After: the told customer answers again, higher.
        let after = vec![
            add(9, true, now + day, None, Some("cust-a")),
            add(10, true, now + 2 * day, None, None),
            add(10, false, now + 2 * day, None, None),
        ];
        s.insert_responses(&after).await.unwrap();
        let told = s.told_customers(Some(id)).await.unwrap();
        assert_eq!(
            s.told_customers(None).await.unwrap(),
            told,
            "the only action"
        );
        assert_eq!((told.told, told.answered_again), (3, 1));
        assert_eq!((told.before.0[2], told.after.0[9]), (1, 1));
        let figures = s
            .window_figures(&["waiting_time".into()], now, now + 30 * day)
            .await
            .unwrap();
        assert_eq!(
            figures.with_themes.summary().nps().map(f64::round),
            Some(100.0)
        );
        assert_eq!(figures.negative_mentions, 0);

        // The overview: by department; a department without actions sees none.
        assert_eq!(s.list_actions(None).await.unwrap().len(), 1);
        assert_eq!(s.list_actions(Some(&[service])).await.unwrap().len(), 1);
        assert!(s
            .list_actions(Some(&[service + 100]))
            .await
            .unwrap()
            .is_empty());
        assert!(s.list_actions(Some(&[])).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn feedback_without_a_score_counts_in_themes_and_routing_but_not_in_the_nps() {
    use domain::inbox::InboxQuery;
    each_backend(|s| async move {
        let now = now_unix();
        let survey_id = s.create_survey(&survey("klachten")).await.unwrap();
        let csat = s
            .add_question(
                survey_id,
                domain::questions::QuestionKind::Csat,
                false,
                &Default::default(),
                now,
            )
            .await
            .unwrap();
        let service = s
            .save_department(None, "Klantenservice", None, now)
            .await
            .unwrap()
            .unwrap();
        s.save_rule(
            &rule_form("Open feedback", "score_group: none", &[service]),
            now,
        )
        .await
        .unwrap();
        let mut scored = response(survey_id, "s1", 2, Some("Lang gewacht"), now - 20);
        scored.customer_hash = Some("c1".into());
        scored.answers = vec![domain::questions::Answer {
            question_id: csat,
            value: Some(4),
            text: None,
        }];
        let mut mail = response(
            survey_id,
            "m1",
            0,
            Some("Nog steeds geen antwoord"),
            now - 10,
        );
        mail.score = None;
        mail.customer_hash = Some("c1".into());
        let mut review = response(survey_id, "r1", 0, None, now);
        review.score = None;
        review.rating = Some(1);
        let ids: Vec<i64> = s
            .insert_responses(&[scored, mail, review])
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();

        let listed = s.list_responses(&Default::default(), 10).await.unwrap();
        let by_id = |id: i64| listed.iter().find(|v| v.id == id).unwrap();
        assert_eq!((by_id(ids[1]).score, by_id(ids[1]).rating), (None, None));
        assert_eq!((by_id(ids[2]).score, by_id(ids[2]).rating), (None, Some(1)));

        for rollups in [true, false] {
            s.set_rollups(rollups);
            let total = s
                .scores(&Default::default(), Grouping::Total)
                .await
                .unwrap();
            assert_eq!(
                total[0].scores.total(),
                1,
                "only the scored answer is in the NPS"
            );
            assert_eq!(total[0].unscored, 2);
            assert_eq!(
                (total[0].csat.sum, total[0].csat.n),
                (5, 2),
                "a CSAT answer (4) and a star rating (1)"
            );
            let themes = s
                .scores(&Default::default(), Grouping::Theme)
                .await
                .unwrap();
            let waiting = themes.iter().find(|g| g.key == "waiting_time").unwrap();
            assert_eq!((waiting.responses(), waiting.unscored), (2, 1));
            assert_eq!(waiting.negative, 2, "both mentions are negative");
            let none = s
                .list_responses(
                    &ResponseFilter {
                        group: Some("none".into()),
                        ..Default::default()
                    },
                    10,
                )
                .await
                .unwrap();
            assert_eq!(none.len(), 2);
            let unscored_only = s
                .scores(
                    &ResponseFilter {
                        group: Some("none".into()),
                        ..Default::default()
                    },
                    Grouping::Total,
                )
                .await
                .unwrap();
            assert_eq!(
                (unscored_only[0].scores.total(), unscored_only[0].unscored),
                (0, 2)
            );
        }
        s.set_rollups(true);

        // The customer's movement rests on scores: their mail is not a "latest score".
        let movement = s.customer_movement(&Default::default()).await.unwrap();
        assert!(
            movement.is_empty(),
            "one scored answer is no movement: {movement:?}"
        );

        // Routing sees "no score": both scoreless items go to the open-feedback rule.
        let (items, _) = s.inbox(None, &InboxQuery::default()).await.unwrap();
        let routed: Vec<(Option<i64>, Option<u8>)> = items
            .iter()
            .filter(|i| i.department_id == service)
            .map(|i| (i.response_id, i.score))
            .collect();
        assert_eq!(routed.len(), 2, "{routed:?}");
        assert!(routed.iter().all(|(_, score)| score.is_none()));

        // Nothing at all is refused by the database itself.
        let mut empty = response(survey_id, "e1", 0, None, now);
        empty.score = None;
        assert!(s.insert_response(&empty).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn sentiment_labels_and_theme_labels_outlast_retagging_and_measure_the_lexicon() {
    use klantstem_core::store::HumanLabels;
    each_backend(|s| async move {
        let now = now_unix();
        let survey_id = s.create_survey(&survey("labels")).await.unwrap();
        let manager = s
            .create_user(&user("m@example.nl", Role::Manager))
            .await
            .unwrap();
        // Imported with a person's labels: positive (the lexicon said negative), and only the
        // theme "price" (the analysis also found "waiting_time").
        let mut labelled = response(survey_id, "l1", 8, Some("Duur maar snel"), now);
        labelled.source = "import".into();
        labelled.sentiment = Some("positive".into());
        labelled.themes = vec![tag("price", "neutral")];
        labelled.labels = HumanLabels {
            sentiment: Some(("positive".into(), Some("negative".into()))),
            themes: vec![("price".into(), true), ("waiting_time".into(), false)],
        };
        let unsure = response(survey_id, "u1", 5, Some("Het was wel oké"), now);
        let mut sure = response(survey_id, "s1", 1, Some("Verschrikkelijk"), now);
        sure.sentiment_score = Some(-0.95);
        sure.sentiment_confidence = Some(0.88);
        let mut unsure = unsure;
        unsure.sentiment_score = Some(0.05);
        unsure.sentiment_confidence = Some(0.3);
        let ids: Vec<i64> = s
            .insert_responses(&[labelled, unsure, sure])
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();

        // Retagging with the lexicon's view again changes neither.
        s.store_tags(&[Retagged {
            response_id: ids[0],
            taxonomy_version: 2,
            sentiment: Some("negative".into()),
            sentiment_score: Some(-0.3),
            sentiment_confidence: Some(0.9),
            themes: vec![tag("price", "negative"), tag("waiting_time", "negative")],
        }])
        .await
        .unwrap();
        let v = s.response(ids[0]).await.unwrap().unwrap();
        assert_eq!(v.sentiment.as_deref(), Some("positive"));
        let keys: Vec<&str> = v.themes.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["price"]);
        assert_eq!(
            s.sentiment_label(ids[0]).await.unwrap().as_deref(),
            Some("positive")
        );

        // What the theme models learn from: the text with both its theme labels.
        let taught = s.theme_labelled_texts(10).await.unwrap();
        assert_eq!(taught.len(), 1);
        assert_eq!(
            (taught[0].response_id, taught[0].themes.clone()),
            (
                ids[0],
                vec![("price".into(), true), ("waiting_time".into(), false)]
            )
        );

        // The queue: unlabelled texts, the least certain first.
        let queue: Vec<i64> = s
            .review_candidates(10)
            .await
            .unwrap()
            .iter()
            .map(|c| c.response_id)
            .collect();
        assert_eq!(queue, [ids[1], ids[2]]);

        // A manager labels the unsure one; it leaves the queue and a retag keeps it.
        assert!(s
            .label_sentiment(ids[1], "neutral", manager, now)
            .await
            .unwrap());
        assert!(!s
            .label_sentiment(999_999, "neutral", manager, now)
            .await
            .unwrap());
        let queue = s.review_candidates(10).await.unwrap();
        assert_eq!(queue.len(), 1);
        s.store_tags(&[Retagged {
            response_id: ids[1],
            taxonomy_version: 3,
            sentiment: Some("positive".into()),
            sentiment_score: Some(0.2),
            sentiment_confidence: Some(0.9),
            themes: vec![],
        }])
        .await
        .unwrap();
        let v = s.response(ids[1]).await.unwrap().unwrap();
        assert_eq!(v.sentiment.as_deref(), Some("neutral"));
        // A relabel keeps what the lexicon first said.
        s.label_sentiment(ids[1], "positive", manager, now)
            .await
            .unwrap();
        let stats = s.label_stats().await.unwrap();
        assert_eq!(
            (stats.labelled, stats.compared, stats.lexicon_right),
            (2, 2, 0),
            "the lexicon said negative and negative: {stats:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn sentiment_figures_rest_on_confident_tags_and_theme_sentiment_labels_outlast_retagging() {
    each_backend(|s| async move {
        let now = now_unix();
        let survey_id = s.create_survey(&survey("confidence")).await.unwrap();
        let manager = s
            .create_user(&user("m@example.nl", Role::Manager))
            .await
            .unwrap();
        // Three mentions of waiting time: surely negative, unsure negative, surely positive.
        let with = |token: &str, sentiment: &str, confidence: f64| {
            let mut r = response(survey_id, token, 5, Some("Lang gewacht"), now);
            r.themes = vec![ThemeTag {
                confidence: Some(confidence),
                ..tag("waiting_time", sentiment)
            }];
            r
        };
        let ids: Vec<i64> = s
            .insert_responses(&[
                with("a", "negative", 0.9),
                with("b", "negative", 0.4),
                with("c", "positive", 0.7),
            ])
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();
        let figures = |expected: (u64, u64, u64), why: &'static str| {
            let s = s.clone();
            async move {
                for rollups in [true, false] {
                    s.set_rollups(rollups);
                    let themes = s
                        .scores(&Default::default(), Grouping::Theme)
                        .await
                        .unwrap();
                    let g = themes.iter().find(|g| g.key == "waiting_time").unwrap();
                    assert_eq!(
                        (g.responses(), g.rated, g.negative),
                        expected,
                        "{why} (rollups: {rollups})"
                    );
                }
            }
        };
        figures((3, 2, 1), "the unsure tag is left out").await;

        // A person says the unsure one is negative: certain now, and counted.
        assert!(s
            .label_theme_sentiment(ids[1], "waiting_time", "negative", manager, now)
            .await
            .unwrap());
        figures((3, 3, 2), "the label counts").await;
        let v = s.response(ids[1]).await.unwrap().unwrap();
        assert_eq!(
            (v.themes[0].sentiment.as_deref(), v.themes[0].confidence),
            (Some("negative"), Some(1.0))
        );
        // A theme the text does not carry cannot be labelled.
        assert!(!s
            .label_theme_sentiment(ids[1], "price", "negative", manager, now)
            .await
            .unwrap());

        // Retagging says positive, surely: the label stays, and so do the figures.
        s.store_tags(&[Retagged {
            response_id: ids[1],
            taxonomy_version: 2,
            sentiment: Some("positive".into()),
            sentiment_score: Some(0.8),
            sentiment_confidence: Some(0.95),
            themes: vec![ThemeTag {
                confidence: Some(0.95),
                ..tag("waiting_time", "positive")
            }],
        }])
        .await
        .unwrap();
        let v = s.response(ids[1]).await.unwrap().unwrap();
        assert_eq!(
            (v.themes[0].sentiment.as_deref(), v.themes[0].confidence),
            (Some("negative"), Some(1.0))
        );
        assert_eq!(
            (v.sentiment.as_deref(), v.sentiment_confidence),
            (Some("positive"), Some(0.95))
        );
        figures((3, 3, 2), "retagging keeps the label").await;

        // A text's label is certain too, and stays so through retagging.
        s.label_sentiment(ids[1], "negative", manager, now)
            .await
            .unwrap();
        let v = s.response(ids[1]).await.unwrap().unwrap();
        assert_eq!(
            (v.sentiment.as_deref(), v.sentiment_confidence),
            (Some("negative"), Some(1.0))
        );
    })
    .await;
}

#[tokio::test]
async fn an_import_is_worked_under_one_lease_at_a_time() {
    use klantstem_core::store::{ImportBatch, Lease, NewImport};
    each_backend(|s| async move {
        let survey_id = s.create_survey(&survey("lease")).await.unwrap();
        let now = 1_000_000;
        let id = s
            .create_import(&NewImport {
                created_by: None,
                created_at: now,
                filename: "a.csv".into(),
                content_hash: "h".into(),
                content: "score\n9\n9\n".into(),
            })
            .await
            .unwrap();
        let first = Lease {
            holder: "first".into(),
            until: now + 30,
        };
        let second = Lease {
            holder: "second".into(),
            until: now + 60,
        };
        assert!(s.start_import(id, "{}", 2, &first).await.unwrap());
        assert!(
            !s.start_import(id, "{}", 2, &second).await.unwrap(),
            "running already"
        );
        // Held: nobody else takes it, and its holder's batches extend it.
        assert!(!s.claim_import(id, &second, now + 29).await.unwrap());
        let batch = |lease, processed| ImportBatch {
            import_id: id,
            processed,
            failed: 0,
            lease,
        };
        let renewed = Lease {
            until: now + 50,
            ..first.clone()
        };
        let one = [response(survey_id, "lease-1", 9, None, now)];
        s.insert_import_batch(&batch(&renewed, 1), &one)
            .await
            .unwrap();
        assert!(
            !s.claim_import(id, &second, now + 40).await.unwrap(),
            "renewed to +50"
        );
        // Run out: another process takes it over; the first one's next batch writes nothing.
        assert!(s.claim_import(id, &second, now + 50).await.unwrap());
        let two = [response(survey_id, "lease-2", 9, None, now)];
        let late = s.insert_import_batch(&batch(&renewed, 2), &two).await;
        assert!(matches!(late, Err(StoreError::LeaseLost)), "{late:?}");
        assert_eq!(s.count_responses().await.unwrap(), 1);
        s.insert_import_batch(&batch(&second, 2), &two)
            .await
            .unwrap();
        let done = s.import_record(id).await.unwrap().unwrap().summary;
        assert_eq!((done.processed, done.created, done.duplicates), (2, 2, 0));
        // Only a running import can be claimed.
        s.finish_import(id, "done", "[]", Some("score\n"), now + 51)
            .await
            .unwrap();
        assert!(!s.claim_import(id, &first, now + 1000).await.unwrap());
    })
    .await;
}
