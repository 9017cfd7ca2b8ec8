//! The frame around every page: header with navigation and language switch, the 404 page.

use crate::auth::{get_current_user, Logout};
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
                                {u.role.sees_dashboard().then(|| view! {
                                    <a href="/dashboard">{t.nav_dashboard}</a>
                                    <a href="/responses">{t.nav_responses}</a>
                                    <a href="/admin/surveys">{t.nav_surveys}</a>
                                    <a href="/admin/themes">{t.nav_themes}</a>
                                    <a href="/admin/import">{t.nav_import}</a>
                                    <a href="/admin/links">{t.nav_links}</a>
                                })}
                                {u.role.enters_feedback().then(|| view! { <a href="/responses/new">{t.nav_entry}</a> })}
                                {(u.role == crate::model::Role::Admin).then(|| view! { <a href="/admin/api">{t.nav_api}</a> })}
                                <span class="user-name">{u.display_name.clone()}</span>
                                <ActionForm action=logout attr:class="inline-form">
                                    <button type="submit" class="link-button">{t.nav_logout}</button>
                                </ActionForm>
                            }.into_any(),
                            _ if on_survey() => ().into_any(),
                            _ => view! { <a href="/login">{t.nav_login}</a> }.into_any(),
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

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = use_locale().texts();
    view! {
        <section class="panel narrow">
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_body}</p>
            <p><a href="/">{t.nav_home}</a></p>
        </section>
    }
}

/// Shows an error of a server function in the user's language.
#[component]
pub fn ErrorPanel(error: crate::error::AppError) -> impl IntoView {
    let locale = use_locale();
    let title = match error {
        crate::error::AppError::NotFound => locale.texts().not_found_title,
        crate::error::AppError::Forbidden => locale.texts().forbidden_title,
        _ => "",
    };
    view! {
        <section class="panel narrow" role="alert">
            {(!title.is_empty()).then(|| view! { <h1>{title}</h1> })}
            <p>{error.message(locale)}</p>
        </section>
    }
}

/// Keeps `status` fresh while `running` says the work goes on: once a second, in the browser
/// only (the server renders the status as it was). For progress bars of background work.
pub fn poll_while<T, Fut>(status: RwSignal<T>, running: fn(&T) -> bool, fetch: fn(T) -> Fut)
where
    T: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>> + 'static,
{
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let current = status.get_untracked();
                if running(&current) {
                    leptos::task::spawn_local(async move {
                        if let Ok(s) = fetch(current).await {
                            status.set(s);
                        }
                    });
                }
            },
            std::time::Duration::from_millis(1000),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
}
