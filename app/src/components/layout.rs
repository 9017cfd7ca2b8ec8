//! The frame around every page: header with navigation and language switch, the 404 page.

use crate::i18n::LocaleTexts;
use crate::use_locale;
use leptos::prelude::*;

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
