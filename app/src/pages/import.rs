//! CSV import in the UI: upload (a plain multipart form, see `server/src/uploads.rs`), map the
//! columns with a preview and a row-by-row validation report, import in the background with a
//! progress bar, and read the report of rows that could not be imported.

// The mapping travels as one query parameter per field: fourteen arguments.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::html_text::PageTitle;
use crate::i18n::LocaleTexts;
use crate::import::{ImportSummary, Mapping, RowProblem, FIELDS};
use crate::labels::Label;
use crate::model::format_date;
use crate::pages::layout::ErrorPanel;
use crate::survey::Channel;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// Rows shown in the preview.
#[cfg(feature = "ssr")]
const SAMPLE_ROWS: usize = 5;
/// Problems listed on the page (all of them count).
#[cfg(feature = "ssr")]
const PROBLEMS_SHOWN: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub summary: ImportSummary,
    pub headers: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub mapping: Mapping,
    /// Rows that would import, and rows with problems, under `mapping`.
    pub good: usize,
    pub bad: usize,
    pub problems: Vec<RowProblem>,
    /// (slug, title)
    pub surveys: Vec<(String, String)>,
    /// The file could not be read (message in the user's language).
    pub unreadable: Option<String>,
}

#[server(endpoint = "import/list")]
pub async fn list_imports() -> Result<Vec<ImportSummary>, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    Ok(state()?.store.list_imports(20).await?)
}

/// The mapping from query parameters (`col_<field>` = column number, `survey`, `channel`); `None`
/// when the request carries no mapping.
#[cfg(feature = "ssr")]
fn mapping_from(params: &[(&str, Option<String>)], width: usize) -> Option<Mapping> {
    if params.iter().all(|(_, v)| v.is_none()) {
        return None;
    }
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.clone())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let columns = FIELDS
        .iter()
        .filter_map(|(field, _)| {
            let col: usize = get(&format!("col_{field}"))?.parse().ok()?;
            (col < width).then(|| (field.to_string(), col))
        })
        .collect();
    Some(Mapping {
        columns,
        survey: get("survey").filter(|s| crate::survey::is_valid_slug(s)),
        channel: get("channel").filter(|c| Channel::parse(c).is_some()),
    })
}

#[server(endpoint = "import/preview")]
pub async fn get_import_preview(
    id: Option<String>,
    col_survey: Option<String>,
    col_score: Option<String>,
    col_comment: Option<String>,
    col_channel: Option<String>,
    col_journey_phase: Option<String>,
    col_language: Option<String>,
    col_submitted_at: Option<String>,
    col_customer_ref: Option<String>,
    col_customer_email: Option<String>,
    col_consent: Option<String>,
    col_external_id: Option<String>,
    survey: Option<String>,
    channel: Option<String>,
) -> Result<ImportPreview, AppError> {
    use crate::backend::*;
    use crate::import::{check, guess_mapping, parse_csv};
    use crate::labels::Message;
    require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    let Some(record) = state.store.import_record(id).await? else {
        return fail(AppError::NotFound);
    };
    let survey_list = state.store.list_surveys().await?;
    let surveys: Vec<(String, String)> = survey_list
        .iter()
        .map(|s| (s.slug.clone(), s.title(locale).to_string()))
        .collect();
    let known: std::collections::HashMap<String, i64> =
        survey_list.iter().map(|s| (s.slug.clone(), s.id)).collect();
    let params = [
        ("col_survey", col_survey),
        ("col_score", col_score),
        ("col_comment", col_comment),
        ("col_channel", col_channel),
        ("col_journey_phase", col_journey_phase),
        ("col_language", col_language),
        ("col_submitted_at", col_submitted_at),
        ("col_customer_ref", col_customer_ref),
        ("col_customer_email", col_customer_email),
        ("col_consent", col_consent),
        ("col_external_id", col_external_id),
        ("survey", survey),
        ("channel", channel),
    ];
    let stored: Option<Mapping> = record
        .mapping
        .as_deref()
        .and_then(|m| serde_json::from_str(m).ok());
    let report: Vec<RowProblem> = record
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    let content = record.content;
    let preview = tokio::task::spawn_blocking(move || {
        let table = match parse_csv(&content) {
            Ok(t) => t,
            Err(e) => return Err(e.message(locale)),
        };
        let mapping = mapping_from(&params, table.headers.len())
            .or(stored)
            .unwrap_or_else(|| guess_mapping(&table.headers));
        let (good, bad, problems) = check(&table, &mapping, &known, now_unix());
        Ok((table, mapping, good, bad, problems))
    })
    .await
    .map_err(|_| AppError::Internal)?;
    let summary = record.summary;
    Ok(match preview {
        Ok((table, mapping, good, bad, problems)) => ImportPreview {
            headers: table.headers,
            sample: table.rows.into_iter().take(SAMPLE_ROWS).collect(),
            mapping,
            good,
            bad,
            // After an import its own report is what counts.
            problems: if summary.status == "done" {
                report
            } else {
                problems
            }
            .into_iter()
            .take(PROBLEMS_SHOWN)
            .collect(),
            surveys,
            unreadable: None,
            summary,
        },
        Err(message) => ImportPreview {
            summary,
            headers: Vec::new(),
            sample: Vec::new(),
            mapping: Mapping::default(),
            good: 0,
            bad: 0,
            problems: Vec::new(),
            surveys,
            unreadable: Some(message),
        },
    })
}

#[server(endpoint = "import/start")]
pub async fn start_import(
    id: Option<String>,
    col_survey: Option<String>,
    col_score: Option<String>,
    col_comment: Option<String>,
    col_channel: Option<String>,
    col_journey_phase: Option<String>,
    col_language: Option<String>,
    col_submitted_at: Option<String>,
    col_customer_ref: Option<String>,
    col_customer_email: Option<String>,
    col_consent: Option<String>,
    col_external_id: Option<String>,
    survey: Option<String>,
    channel: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use crate::import::parse_csv;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    let Some(record) = state.store.import_record(id).await? else {
        return fail(AppError::NotFound);
    };
    let params = [
        ("col_survey", col_survey),
        ("col_score", col_score),
        ("col_comment", col_comment),
        ("col_channel", col_channel),
        ("col_journey_phase", col_journey_phase),
        ("col_language", col_language),
        ("col_submitted_at", col_submitted_at),
        ("col_customer_ref", col_customer_ref),
        ("col_customer_email", col_customer_email),
        ("col_consent", col_consent),
        ("col_external_id", col_external_id),
        ("survey", survey),
        ("channel", channel),
    ];
    let content = record.content;
    let table = tokio::task::spawn_blocking(move || parse_csv(&content).ok())
        .await
        .map_err(|_| AppError::Internal)?;
    let Some(table) = table else {
        return fail(AppError::NotFound);
    };
    let mapping = mapping_from(&params, table.headers.len()).unwrap_or_default();
    let mapping_json = serde_json::to_string(&mapping).map_err(|_| AppError::Internal)?;
    // Starting twice (a double click) runs one import.
    if state
        .store
        .start_import(id, &mapping_json, table.rows.len() as u64)
        .await?
    {
        tracing::info!(
            import = id,
            user = user.id,
            rows = table.rows.len(),
            "import started"
        );
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::import::run_import(state.clone(), id).await {
                tracing::error!(import = id, error = %e, "import failed");
                let _ = state
                    .store
                    .finish_import(id, "failed", "[]", now_unix())
                    .await;
            }
        });
    }
    leptos_axum::redirect(&format!("/admin/import/{id}"));
    Ok(())
}

#[server(endpoint = "import/status")]
pub async fn get_import_status(id: i64) -> Result<ImportSummary, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    match state()?
        .store
        .list_imports(200)
        .await?
        .into_iter()
        .find(|i| i.id == id)
    {
        Some(s) => Ok(s),
        None => fail(AppError::NotFound),
    }
}

fn upload_error(code: &str, locale: crate::i18n::Locale) -> String {
    let nl = locale == crate::i18n::Locale::Nl;
    let mb = crate::import::MAX_FILE_BYTES / (1024 * 1024);
    match code {
        "too_large" if nl => format!("Het bestand is groter dan {mb} MB."),
        "too_large" => format!("The file is larger than {mb} MB."),
        "csv_empty" if nl => "Het bestand is leeg of heeft alleen een kopregel.".into(),
        "csv_empty" => "The file is empty or has only a header line.".into(),
        "too_many_rows" if nl => format!(
            "Meer dan {} rijen: splits het bestand.",
            crate::import::MAX_ROWS
        ),
        "too_many_rows" => format!(
            "More than {} rows: split the file.",
            crate::import::MAX_ROWS
        ),
        "csv_unreadable" if nl => "Het bestand is geen leesbare CSV.".into(),
        "csv_unreadable" => "The file is not readable CSV.".into(),
        _ => locale.texts().error_generic.into(),
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
            get_import_preview(
                id,
                g("col_survey"),
                g("col_score"),
                g("col_comment"),
                g("col_channel"),
                g("col_journey_phase"),
                g("col_language"),
                g("col_submitted_at"),
                g("col_customer_ref"),
                g("col_customer_email"),
                g("col_consent"),
                g("col_external_id"),
                g("survey"),
                g("channel"),
            )
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
            {preview.unreadable.clone().map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
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
    crate::pages::layout::poll_while(
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
