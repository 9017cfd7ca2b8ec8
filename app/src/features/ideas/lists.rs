//! The lists around the boards: the roadmap, the changelog ("you asked, we did"), a customer's
//! own ideas, votes and follows, their notifications, and unsubscribing from mails.

use super::board::{IdeaRow, StatusBadge};
use super::index::IdeasNav;
use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::calendar::format_date;
use domain::idea::{IdeaCard, IdeaStatus, Notification};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RoadmapPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let data = Resource::new(|| (), |_| get_roadmap());
    view! {
        <PageTitle text=format!("{} · {}", t.roadmap_title, t.app_name)/>
        <section class="panel">
            <IdeasNav viewer=Viewer::default()/>
            <h1>{t.roadmap_title}</h1>
            <p class="lead">{t.roadmap_intro}</p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) if data.items.is_empty() => view! { <p>{t.roadmap_empty}</p> }.into_any(),
                        Ok(data) => view! {
                            <div class="roadmap">
                                {data.statuses.iter().map(|s| {
                                    let items: Vec<RoadmapEntry> = data.items.iter().filter(|i| i.card.status == s.key).cloned().collect();
                                    view! {
                                        <section class="roadmap-column" data-status=s.key.clone()>
                                            <h2>{s.name(locale).to_string()}" ("{items.len()}")"</h2>
                                            <ul>{items.into_iter().map(|i| view! {
                                                <li>
                                                    <a href=format!("/ideas/{}/{}", i.card.board_slug, i.card.id)>{i.card.title.clone()}</a>
                                                    <span class="meta">" · "{i.card.votes}" "{t.votes_label}</span>
                                                </li>
                                            }).collect_view()}</ul>
                                        </section>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn ChangelogPage() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| get_changelog());
    let improvements = Resource::new(|| (), |_| get_public_actions());
    view! {
        <PageTitle text=format!("{} · {}", t.changelog_title, t.app_name)/>
        <section class="panel">
            <IdeasNav viewer=Viewer::default()/>
            <h1>{t.changelog_title}</h1>
            <p class="lead">{t.changelog_intro}</p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(items) if items.is_empty() => view! { <p>{t.changelog_empty}</p> }.into_any(),
                        Ok(items) => view! {
                            <ol class="changelog">
                                {items.into_iter().map(|i| view! {
                                    <li class="changelog-entry">
                                        <p class="meta">{i.at.map(format_date).unwrap_or_default()}</p>
                                        <h2><a href=format!("/ideas/{}/{}", i.card.board_slug, i.card.id)>{i.card.title.clone()}</a></h2>
                                        {i.message.clone().map(|m| view! { <p>{m}</p> })}
                                        <p class="meta">{i.card.votes}" "{t.votes_label}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match improvements.await {
                        Ok(list) if !list.is_empty() => view! {
                            <h2>{t.changelog_actions}</h2>
                            <ol class="changelog" data-testid="improvements">
                                {list.into_iter().map(|(title, message, at)| view! {
                                    <li class="changelog-entry">
                                        <p class="meta">{format_date(at)}</p>
                                        <h3>{title}</h3>
                                        <p>{message}</p>
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn MyIdeasPage() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| get_my_ideas());
    let viewer = Viewer {
        signed_in: true,
        ..Viewer::default()
    };
    view! {
        <PageTitle text=format!("{} · {}", t.mine_title, t.app_name)/>
        <section class="panel">
            <IdeasNav viewer/>
            <h1>{t.mine_title}</h1>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <MyList title=t.mine_submitted cards=d.submitted statuses=d.statuses.clone()/>
                            <MyList title=t.mine_voted cards=d.voted statuses=d.statuses.clone()/>
                            <MyList title=t.mine_following cards=d.following statuses=d.statuses/>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/account/ideas"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn MyList(title: &'static str, cards: Vec<IdeaCard>, statuses: Vec<IdeaStatus>) -> impl IntoView {
    let t = use_locale().texts();
    view! {
        <h2>{title}</h2>
        {cards.is_empty().then(|| view! { <p>{t.mine_empty}</p> })}
        <ol class="idea-list">
            {cards.into_iter().map(|card| view! {
                <IdeaRow card statuses=statuses.clone() viewer=Viewer::default() open=false from_board=false/>
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| get_notifications());
    let viewer = Viewer {
        signed_in: true,
        ..Viewer::default()
    };
    view! {
        <PageTitle text=format!("{} · {}", t.notifications_title, t.app_name)/>
        <section class="panel">
            <IdeasNav viewer/>
            <h1>{t.notifications_title}</h1>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((list, _)) if list.is_empty() => view! { <p>{t.notifications_empty}</p> }.into_any(),
                        Ok((list, statuses)) => view! {
                            <ol class="notifications">
                                {list.into_iter().map(|n| view! { <NotificationItem n statuses=statuses.clone()/> }).collect_view()}
                            </ol>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/account/notifications"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NotificationItem(n: Notification, statuses: Vec<IdeaStatus>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let idea_title = n.idea.as_ref().map(|i| i.1.clone()).unwrap_or_default();
    let status_name = statuses
        .iter()
        .find(|s| s.key == n.detail)
        .map(|s| s.name(locale).to_string())
        .unwrap_or_else(|| n.detail.clone());
    let text = match n.kind.as_str() {
        "status_changed" => fill(
            t.notif_status_changed,
            &[("idea", &idea_title), ("status", &status_name)],
        ),
        "official_answer" => fill(t.notif_official_answer, &[("idea", &idea_title)]),
        "new_comment" => fill(t.notif_new_comment, &[("idea", &idea_title)]),
        "merged" => fill(t.notif_merged, &[("idea", &idea_title)]),
        _ => t.notif_stage_changed.to_string(),
    };
    let href = match (&n.idea, &n.board_slug) {
        (Some((id, _)), Some(board)) => format!("/ideas/{board}/{id}"),
        (None, Some(board)) => format!("/ideas/{board}"),
        _ => "/ideas".into(),
    };
    view! {
        <li class="notification" class:unread=!n.read data-kind=n.kind.clone()>
            <a href=href>{text}</a>
            {(n.kind == "status_changed").then(|| view! { " " <StatusBadge status=n.detail.clone() statuses=statuses.clone()/> })}
            <span class="meta">" · "{format_date(n.created_at)}</span>
        </li>
    }
}

/// The target of a mail's unsubscribe link: one press (a POST) stops the mail.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|m| m.get(k)).unwrap_or_default();
    let action = ServerAction::<Unsubscribe>::new();
    let error = AppError::from_code(&q("error")).map(|e| e.message(locale));
    let done = q("done") == "1";
    let all = q("i") == "0";
    view! {
        <PageTitle text=format!("{} · {}", t.unsubscribe_title, t.app_name)/>
        <section class="panel narrow">
            <h1>{t.unsubscribe_title}</h1>
            <div class="error-summary" role="alert">{error.map(|m| view! { <p>{m}</p> })}</div>
            {if done {
                view! { <p class="notice" role="status">{t.unsubscribed}</p> }.into_any()
            } else {
                view! {
                    <p>{if all { t.unsubscribe_all_text } else { t.unsubscribe_idea_text }}</p>
                    <ActionForm action=action>
                        <input type="hidden" name="u" value=q("u")/>
                        <input type="hidden" name="i" value=q("i")/>
                        <input type="hidden" name="t" value=q("t")/>
                        <button type="submit" class="primary">{t.unsubscribe_button}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

/// A customer's ideas, votes and comments as list items, each linking to its idea.
#[component]
pub fn ContributionItems(list: Vec<domain::idea::Contribution>) -> impl IntoView {
    let t = use_locale().texts();
    list.into_iter()
        .map(|c| {
            let kind = match c.kind.as_str() {
                "idea" => t.contribution_idea,
                "vote" => t.contribution_vote,
                _ => t.contribution_comment,
            };
            view! {
                <li data-kind=c.kind.clone()>
                    <span class="meta">{format_date(c.at)}" · "{kind}": "</span>
                    <a href=format!("/ideas/{}/{}", c.board_slug, c.idea_id)>{c.title}</a>
                </li>
            }
        })
        .collect_view()
}

/// The idea side of a customer's timeline: what they submitted, voted for and commented on.
#[component]
pub fn CustomerContributions(customer: String) -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(move || customer.clone(), customer_contributions);
    view! {
        <section class="panel" data-testid="contributions">
            <h2>{t.timeline_contributions}</h2>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.is_empty() => view! { <p>{t.timeline_no_contributions}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="contributions"><ContributionItems list/></ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
