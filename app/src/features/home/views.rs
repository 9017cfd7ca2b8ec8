//! The start page: what this is, and the surveys that are open.

use super::server::*;
use crate::i18n::LocaleTexts;
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let surveys = Resource::new(|| (), |_| list_open_surveys());
    view! {
        <section class="panel">
            <h1>{t.home_title}</h1>
            <p class="lead">{t.home_intro}</p>
            <p><a href="/ideas" class="ideas-link">{t.home_ideas_link}</a></p>
            <h2>{t.home_open_surveys}</h2>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match surveys.await {
                        Ok(list) if list.is_empty() => view! { <p>{t.home_no_surveys}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="survey-list">
                                {list.into_iter().map(|s| view! {
                                    <li><a href=format!("/s/{}", s.slug)>{s.title(locale).to_string()}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p role="alert">{e.message(locale)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
