//! The page header: the navigation for the signed-in user, the language switch, log out.

use super::server::{get_current_user, Logout};
use crate::i18n::Locale;
use crate::i18n::LocaleTexts;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

#[component]
pub fn Header() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let location = use_location();
    // Refetched on every navigation, so logging in or out shows at once.
    let user = Resource::new(move || location.pathname.get(), |_| get_current_user());
    let logout = ServerAction::<Logout>::new();
    let on_survey = move || location.pathname.get().starts_with("/s/");
    // Embedded in another site's page, a survey shows without our header.
    let embedded = use_query_map().with_untracked(|q| q.get("embed").is_some());

    if embedded {
        return ().into_any();
    }
    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <a class="brand" href="/">{t.app_name}</a>
            <nav aria-label="main">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! {
                                <a href="/ideas">{t.nav_ideas}</a>
                                {(u.role == crate::model::Role::Customer).then(|| view! {
                                    <a href="/account/ideas">{t.nav_my_ideas}</a>
                                    <a href="/account/notifications">{t.nav_notifications}</a>
                                })}
                                {u.role.is_staff().then(|| view! { <a href="/inbox">{t.nav_inbox}</a> <a href="/actions">{t.nav_actions}</a> })}
                                {u.role.manages_ideas().then(|| view! { <a href="/admin/ideas">{t.nav_triage}</a> })}
                                {u.role.sees_dashboard().then(|| view! {
                                    <a href="/dashboard">{t.nav_dashboard}</a>
                                    <a href="/responses">{t.nav_responses}</a>
                                    <a href="/review">{t.nav_review}</a>
                                    <a href="/admin/surveys">{t.nav_surveys}</a>
                                    <a href="/admin/themes">{t.nav_themes}</a>
                                    <a href="/admin/import">{t.nav_import}</a>
                                    <a href="/admin/links">{t.nav_links}</a>
                                })}
                                {(u.role == crate::model::Role::Department).then(|| view! {
                                    <a href="/dashboard">{t.nav_dashboard}</a>
                                    <a href="/responses">{t.nav_responses}</a>
                                })}
                                {u.role.enters_feedback().then(|| view! { <a href="/responses/new">{t.nav_entry}</a> })}
                                {(u.role == crate::model::Role::Admin).then(|| view! { <a href="/admin/departments">{t.nav_departments}</a> <a href="/admin/boards">{t.nav_boards}</a> <a href="/admin/api">{t.nav_api}</a> <a href="/admin/outbox">{t.nav_outbox}</a> <a href="/admin/webhooks">{t.nav_webhooks}</a> <a href="/admin/privacy">{t.nav_privacy}</a> })}
                                <span class="user-name">{u.display_name.clone()}</span>
                                <a href="/account/password">{t.nav_password}</a>
                                <ActionForm action=logout attr:class="inline-form">
                                    <button type="submit" class="link-button">{t.nav_logout}</button>
                                </ActionForm>
                            }.into_any(),
                            _ if on_survey() => ().into_any(),
                            _ => view! { <a href="/ideas">{t.nav_ideas}</a> <a href="/login">{t.nav_login}</a> }.into_any(),
                        }
                    })}
                </Transition>
                <LanguageSwitch/>
            </nav>
        </header>
    }
    .into_any()
}

/// Links to the same page in each language. They reload the page (`rel=external`) because the
/// language is decided on the server, which renders the page in it.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = use_locale();
    let location = use_location();
    let query = use_query_map();
    let href_for = move |l: Locale| {
        let mut pairs: Vec<String> = query
            .get()
            .into_iter()
            .filter(|(k, _)| k != "lang" && k != "error")
            .map(|(k, v)| format!("{k}={}", crate::url::percent_encode(&v)))
            .collect();
        pairs.push(format!("lang={}", l.as_str()));
        format!("{}?{}", location.pathname.get(), pairs.join("&"))
    };
    view! {
        <ul class="lang-switch" aria-label=current.texts().language>
            {Locale::ALL.into_iter().map(|l| {
                let is_current = l == current;
                view! {
                    <li>
                        <a href=move || href_for(l) rel="external" hreflang=l.as_str() lang=l.as_str()
                           aria-current=is_current.then_some("true")>
                            {l.as_str().to_uppercase()}
                            <span class="visually-hidden">{format!(" ({})", l.endonym())}</span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
