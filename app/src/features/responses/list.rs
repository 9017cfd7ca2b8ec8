//! The responses workspace: every response, searchable and filterable, newest first, paged by
//! cursor (fast however many there are). Filters live in the URL, so a view can be shared; with a
//! customer filter it is that customer's timeline across channels.

use super::server::*;
use crate::components::filters::FilterFields;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::features::dashboard::views::VerbatimItem;
use crate::features::ideas::lists::CustomerContributions;
use crate::i18n::LocaleTexts;
use crate::model::ResponsesPage;
use crate::model::FILTER_PARAMS as FILTERS;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResponsesRoute() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let data = Resource::new(
        move || query.get(),
        |q| {
            let get = |k: &str| q.get(k);
            list_responses(
                get("q"),
                get("survey"),
                get("channel"),
                get("phase"),
                get("language"),
                get("theme"),
                get("group"),
                get("from"),
                get("to"),
                get("customer"),
                get("before"),
            )
        },
    );
    view! {
        <PageTitle text=format!("{} · {}", t.responses, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <ResponsesView page/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/responses"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResponsesView(page: ResponsesPage) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let current = move |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    let customer = current("customer");
    let next_href = page.next.as_ref().map(|cursor| {
        let mut pairs: Vec<String> = FILTERS
            .iter()
            .filter_map(|k| {
                let v = current(k);
                (!v.is_empty()).then(|| format!("{k}={}", crate::url::percent_encode(&v)))
            })
            .collect();
        pairs.push(format!("before={cursor}"));
        format!("/responses?{}", pairs.join("&"))
    });
    let paged = !current("before").is_empty();
    let export_href = {
        let pairs: Vec<String> = FILTERS
            .iter()
            .filter_map(|k| {
                let v = current(k);
                (!v.is_empty()).then(|| format!("{k}={}", crate::url::percent_encode(&v)))
            })
            .chain([format!("lang={}", locale.as_str())])
            .collect();
        format!("/responses/export.csv?{}", pairs.join("&"))
    };
    let empty = page.items.is_empty();
    view! {
        <section class="responses">
            <h1>{if customer.is_empty() { t.responses } else { t.customer_timeline }}</h1>
            {(!customer.is_empty()).then(|| view! { <p class="lead">{t.customer_timeline_intro}</p> })}
            {(!customer.is_empty()).then(|| view! { <CustomerContributions customer=customer.clone()/> })}
            {(!page.ignored.is_empty()).then(|| view! {
                <p class="notice" role="status">{format!("{} {}", t.filters_ignored, page.ignored.join(", "))}</p>
            })}
            <form method="get" action="/responses" class="filters" role="search">
                <div class="filter filter-wide">
                    <label for="filter-q">{t.search}</label>
                    <input id="filter-q" name="q" type="search" maxlength="200" value=current("q")/>
                </div>
                <FilterFields prefix="filter" surveys=page.surveys themes=page.themes/>
                {(!customer.is_empty()).then(|| view! { <input type="hidden" name="customer" value=customer.clone()/> })}
                <div class="filter filter-actions">
                    <button type="submit" class="primary">{t.apply_filters}</button>
                    <a href="/responses">{t.clear_filters}</a>
                    <a href=export_href rel="external" download data-testid="export">{t.export_csv}</a>
                </div>
            </form>
            {if empty {
                view! { <p class="empty">{t.no_matching_responses}</p> }.into_any()
            } else {
                view! {
                    <ul class="verbatims" data-testid="responses">
                        {page.items.into_iter().map(|v| view! { <VerbatimItem v/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <nav class="pager" aria-label=t.pages>
                {paged.then(|| view! { <a href=move || {
                    let pairs: Vec<String> = FILTERS.iter().filter_map(|k| {
                        let v = current(k);
                        (!v.is_empty()).then(|| format!("{k}={}", crate::url::percent_encode(&v)))
                    }).collect();
                    format!("/responses?{}", pairs.join("&"))
                }>{t.newest}</a> })}
                {next_href.map(|href| view! { <a href=href rel="next">{t.older}</a> })}
            </nav>
        </section>
    }
}
