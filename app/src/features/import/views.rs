//! CSV import in the UI: upload (a plain multipart form, see `server/src/uploads.rs`), map the
//! columns with a preview and a row-by-row validation report, import in the background with a
//! progress bar, and read the report of rows that could not be imported.

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::import::{ImportPreview, ImportSummary, MappingForm, FIELDS};
use crate::labels::{Label, Message};
use crate::model::format_date;
use crate::survey::Channel;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

fn upload_error(code: &str, locale: crate::i18n::Locale) -> String {
    let t = locale.texts();
    match code {
        "too_large" => crate::i18n::fill(
            t.upload_too_large,
            &[("mb", &(crate::import::MAX_FILE_BYTES / (1024 * 1024)))],
        ),
        "csv_empty" | "too_many_rows" | "csv_unreadable" => {
            crate::labels::import_problem(code, locale)
        }
        _ => t.error_generic.into(),
    }
}

#[component]
pub fn ImportsRoute() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let error = query
        .with_untracked(|q| q.get("error"))
        .map(|c| upload_error(&c, locale));
    let imports = Resource::new(|| (), |_| list_imports());
    view! {
        <PageTitle text=format!("{} · {}", t.import_title, t.app_name)/>
        <section class="panel import">
            <h1>{t.import_title}</h1>
            <p class="lead">{t.import_intro}</p>
            <div class="error-summary" role="alert">{error.map(|e| view! { <p>{e}</p> })}</div>
            <form method="post" action="/admin/import/upload" enctype="multipart/form-data" class="upload-form">
                <label for="import-file">{t.import_file}</label>
                <input id="import-file" type="file" name="file" accept=".csv,text/csv" required/>
                <button type="submit" class="primary">{t.import_upload}</button>
            </form>
            <h2>{t.import_history}</h2>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match imports.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">{t.import_none}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="data-table imports">
                                <thead><tr>
                                    <th scope="col">{t.import_file}</th><th scope="col">{t.date}</th>
                                    <th scope="col">{t.import_status}</th><th scope="col">{t.import_created}</th>
                                    <th scope="col">{t.import_duplicates}</th><th scope="col">{t.import_failed}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|i| view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/admin/import/{}", i.id)>{i.filename.clone()}</a></th>
                                            <td>{format_date(i.created_at)}</td>
                                            <td>{status_label(&i.status, locale)}</td>
                                            <td>{i.created}</td><td>{i.duplicates}</td><td>{i.failed}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/import"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn status_label(status: &str, locale: crate::i18n::Locale) -> &'static str {
    let t = locale.texts();
    match status {
        "running" => t.import_running,
        "done" => t.import_done,
        "failed" => t.import_failed_status,
        _ => t.import_uploaded,
    }
}

#[component]
pub fn ImportRoute() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || (params.read().get("id"), query.get()),
        |(id, q)| {
            let g = |k: &str| q.get(k);
            let mapping = MappingForm {
                col_survey: g("col_survey"),
                col_score: g("col_score"),
                col_rating: g("col_rating"),
                col_sentiment: g("col_sentiment"),
                col_themes: g("col_themes"),
                col_comment: g("col_comment"),
                col_channel: g("col_channel"),
                col_journey_phase: g("col_journey_phase"),
                col_language: g("col_language"),
                col_submitted_at: g("col_submitted_at"),
                col_customer_ref: g("col_customer_ref"),
                col_customer_email: g("col_customer_email"),
                col_consent: g("col_consent"),
                col_external_id: g("col_external_id"),
                survey: g("survey"),
                channel: g("channel"),
            };
            get_import_preview(id, mapping)
        },
    );
    view! {
        <PageTitle text=format!("{} · {}", t.import_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <ImportView preview=p/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/import"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ImportView(preview: ImportPreview) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let start = ServerAction::<StartImport>::new();
    let id = preview.summary.id;
    let status = preview.summary.status.clone();
    let headers = preview.headers.clone();
    let mapping = preview.mapping.clone();
    let editable = status == "uploaded" || status == "failed";
    // The mapping as hidden fields for the start form.
    let hidden: Vec<(String, String)> = mapping
        .columns
        .iter()
        .map(|(f, c)| (format!("col_{f}"), c.to_string()))
        .chain(mapping.survey.clone().map(|s| ("survey".to_string(), s)))
        .chain(mapping.channel.clone().map(|c| ("channel".to_string(), c)))
        .collect();
    let column_select = move |field: &'static str| {
        let chosen = mapping.column(field);
        let name = format!("col_{field}");
        view! {
            <div class="filter">
                <label for=name.clone()>{field_label(field, locale)}</label>
                <select id=name.clone() name=name disabled=!editable>
                    <option value="">"—"</option>
                    {headers.iter().enumerate().map(|(i, h)| view! {
                        <option value=i.to_string() selected=chosen == Some(i)>{format!("{}: {h}", i + 1)}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let default_survey = preview.mapping.survey.clone().unwrap_or_default();
    let default_channel = preview.mapping.channel.clone().unwrap_or_default();
    view! {
        <section class="panel import">
            <p><a href="/admin/import">{t.import_title}</a></p>
            <h1>{preview.summary.filename.clone()}</h1>
            {preview.unreadable.clone().map(|e| e.message(locale)).map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
            <ImportProgress initial=preview.summary.clone()/>
            {(!preview.headers.is_empty()).then(|| view! {
                <h2>{t.import_preview}</h2>
                <div class="table-scroll">
                    <table class="data-table sample">
                        <thead><tr>{preview.headers.iter().enumerate().map(|(i, h)| view! { <th scope="col">{format!("{}: {h}", i + 1)}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {preview.sample.iter().map(|row| view! {
                                <tr>{row.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(preview.summary.status == "done").then(|| view! { <p class="hint" data-testid="rows-not-kept">{t.import_rows_not_kept}</p> })}
                <h2>{t.import_mapping}</h2>
                <form method="get" action=format!("/admin/import/{id}") class="filters mapping">
                    {FIELDS.iter().map(|(field, _)| column_select(field)).collect_view()}
                    <div class="filter">
                        <label for="map-survey">{t.import_default_survey}</label>
                        <select id="map-survey" name="survey" disabled=!editable>
                            <option value="">"—"</option>
                            {preview.surveys.iter().map(|(slug, title)| view! {
                                <option value=slug.clone() selected=*slug == default_survey>{title.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="filter">
                        <label for="map-channel">{t.import_default_channel}</label>
                        <select id="map-channel" name="channel" disabled=!editable>
                            <option value="">"—"</option>
                            {Channel::ALL.iter().map(|c| view! {
                                <option value=c.as_str() selected=c.as_str() == default_channel>{c.label(locale)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    {editable.then(|| view! { <div class="filter filter-actions"><button type="submit">{t.import_check}</button></div> })}
                </form>
                <p class="import-check" data-testid="import-check" role="status">
                    {format!("{} {} · {} {}", preview.good, t.import_rows_ok, preview.bad, t.import_rows_bad)}
                </p>
                {editable.then(|| view! {
                    <ActionForm action=start attr:class="start-form">
                        <input type="hidden" name="id" value=id.to_string()/>
                        {hidden.clone().into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                        <button type="submit" class="primary" disabled=preview.good == 0>{format!("{} ({})", t.import_start, preview.good)}</button>
                    </ActionForm>
                })}
            })}
            {(!preview.problems.is_empty()).then(|| view! {
                <h2>{t.import_problems}</h2>
                <table class="data-table problems" data-testid="import-problems">
                    <thead><tr><th scope="col">{t.import_line}</th><th scope="col">{t.import_reason}</th></tr></thead>
                    <tbody>
                        {preview.problems.iter().map(|p| view! {
                            <tr>
                                <td>{p.line}</td>
                                <td>{p.errors.iter().map(|(f, m)| format!("{}: {}", field_label(f, locale), crate::labels::import_problem(m, locale))).collect::<Vec<_>>().join(" ")}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

fn field_label(field: &str, locale: crate::i18n::Locale) -> String {
    let t = locale.texts();
    match field {
        "survey" => t.survey.into(),
        "score" => t.score.into(),
        "rating" => t.import_field_rating.into(),
        "sentiment" => t.import_field_sentiment.into(),
        "themes" => t.import_field_themes.into(),
        "comment" => t.import_field_comment.into(),
        "channel" => t.channel.into(),
        "journey_phase" => t.journey_phase.into(),
        "language" => t.language.into(),
        "submitted_at" => t.date.into(),
        "customer_ref" => t.import_field_customer.into(),
        "customer_email" => t.email.into(),
        "consent" => t.import_field_consent.into(),
        "external_id" => t.import_field_external_id.into(),
        other => other.into(),
    }
}

/// Progress of a running import; polls every second when hydrated.
#[component]
fn ImportProgress(initial: ImportSummary) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let status = RwSignal::new(initial);
    crate::components::layout::poll_while(
        status,
        |s| s.status == "running",
        |s| get_import_status(s.id),
    );
    view! {
        <div class="retag" data-testid="import-status" data-status=move || status.get().status>
            {move || {
                let s = status.get();
                match s.status.as_str() {
                    "running" => view! {
                        <label for="import-progress">{t.import_running}</label>
                        <progress id="import-progress" max=s.total.to_string() value=s.processed.to_string()>{format!("{:.0}%", s.percent())}</progress>
                        <span class="retag-count">{format!("{} / {} ({:.0}%)", s.processed, s.total, s.percent())}</span>
                        <a href=format!("/admin/import/{}", s.id) rel="external" class="noscript-only">{t.refresh}</a>
                    }.into_any(),
                    "done" => view! {
                        <p class="ok" data-testid="import-result">
                            {format!("{}: {} {}, {} {}, {} {}.", t.import_done, s.created, t.import_created.to_lowercase(), s.duplicates, t.import_duplicates.to_lowercase(), s.failed, t.import_failed.to_lowercase())}
                        </p>
                        <a href="/responses">{t.nav_responses}</a>
                    }.into_any(),
                    other => view! { <p>{status_label(other, locale)}</p> }.into_any(),
                }
            }}
        </div>
    }
}
