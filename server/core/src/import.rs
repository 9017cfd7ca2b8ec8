//! The CSV import use case: read a file, check its rows under a mapping, and store them in the
//! background in batches through the one ingest path, with progress that survives a restart.

use crate::error::StoreError;
use crate::ingest::to_new_response;
use crate::secrets::sha256_hex;
use crate::state::{now_unix, AppState};
use crate::store::{ImportBatch, Lease, NewResponse};
use domain::import::*;
use domain::ingest::{validate, IngestError, RawResponse};
use std::collections::HashMap;

/// A parsed file: header names and rows (each padded or cut to the header's width).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub delimiter: char,
}

/// A CSV reader over `content` and its delimiter: of `,` `;` and tab, the one the header line
/// holds most of.
fn reader(content: &str) -> (csv::Reader<&[u8]>, char) {
    let first = content.lines().next().unwrap_or("");
    let delimiter = [',', ';', '\t']
        .into_iter()
        .max_by_key(|d| first.matches(*d).count())
        .unwrap_or(',');
    let reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .flexible(true)
        .from_reader(content.as_bytes());
    (reader, delimiter)
}

fn read_headers(reader: &mut csv::Reader<&[u8]>) -> Result<Vec<String>, CsvError> {
    Ok(reader
        .headers()
        .map_err(|e| CsvError::Unreadable(e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect())
}

/// The header line of a file: what is kept of it once its rows are imported (the rows hold
/// customers' words and contact details, which now live in the responses, erasable there).
pub fn header_line(content: &str) -> &str {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let (mut reader, _) = reader(content);
    match reader.headers() {
        Ok(_) => &content[..(reader.position().byte() as usize).min(content.len())],
        Err(_) => "",
    }
}

/// Reads CSV with a header line. The delimiter (`,` `;` or tab; Dutch spreadsheets write `;`)
/// is the one the header line holds most of. A byte-order mark is skipped.
pub fn parse_csv(content: &str) -> Result<Table, CsvError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    // A spreadsheet (.xlsx is a zip) or other binary file is not CSV.
    if content.contains('\0') {
        return Err(CsvError::Unreadable(
            "binary content (an Excel file? save it as CSV)".into(),
        ));
    }
    let (mut reader, delimiter) = reader(content);
    let headers = read_headers(&mut reader)?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CsvError::Unreadable(e.to_string()))?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(CsvError::TooManyRows);
        }
        let mut row: Vec<String> = record.iter().map(String::from).collect();
        row.resize(headers.len(), String::new());
        rows.push(row);
    }
    if headers.iter().all(|h| h.is_empty()) || rows.is_empty() {
        return Err(CsvError::Empty);
    }
    Ok(Table {
        headers,
        rows,
        delimiter,
    })
}

/// One row as a raw record under `mapping`.
pub fn raw_row(row: &[String], mapping: &Mapping) -> RawResponse {
    let get = |field: &str| {
        mapping
            .column(field)
            .and_then(|c| row.get(c))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let or = |v: String, default: &Option<String>| {
        if v.is_empty() {
            default.clone().unwrap_or_default()
        } else {
            v
        }
    };
    RawResponse::from_fields(|field| match field {
        "survey" => or(get("survey"), &mapping.survey),
        "channel" => or(get("channel"), &mapping.channel),
        _ => get(field),
    })
}

/// A refused row with its fields and error codes (the interface words them when it shows them).
fn problem(line: usize, errors: Vec<IngestError>) -> RowProblem {
    RowProblem {
        line,
        errors: errors
            .into_iter()
            .map(|e| (e.field().to_string(), e.code().to_string()))
            .collect(),
    }
}

/// Checks every row: how many would import, and what is wrong with the others (at most
/// [`REPORT_MAX`] listed). `surveys` maps known slugs to ids.
pub fn check(
    table: &Table,
    mapping: &Mapping,
    surveys: &HashMap<String, i64>,
    taxonomy: &domain::taxonomy::Taxonomy,
    now: i64,
) -> (usize, usize, Vec<RowProblem>) {
    let mut good = 0;
    let mut bad = 0;
    let mut problems = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let errors = match validate(&raw_row(row, mapping), now, &|k| {
            taxonomy.theme(k).is_some()
        }) {
            Ok(v) if surveys.contains_key(&v.survey) => {
                good += 1;
                continue;
            }
            Ok(_) => vec![IngestError::SurveyUnknown],
            Err(e) => e,
        };
        bad += 1;
        if problems.len() < REPORT_MAX {
            problems.push(problem(i + 2, errors));
        }
    }
    (good, bad, problems)
}

pub fn content_hash(content: &str) -> String {
    sha256_hex(content.as_bytes())
}

/// Imports a stored, mapped file: rows in batches of [`BATCH_ROWS`], one transaction each
/// with the import's progress. Bad rows are skipped and reported.
/// How long a running import stays with its process without a new batch: a process that dies
/// leaves it to another (or to itself after a restart) this long after its last batch.
pub const LEASE_SECS: i64 = 30;

/// A fresh lease for this process from `now`.
pub fn lease(now: i64) -> Lease {
    Lease {
        holder: crate::secrets::random_token()[..16].to_string(),
        until: now + LEASE_SECS,
    }
}

/// Takes over and finishes the running imports whose process died or stopped (their lease ran
/// out): each goes on after its last stored batch. Imports another process works are left to it.
pub async fn resume_imports(state: &AppState) -> Result<(), StoreError> {
    let running = state.store.list_imports(100).await?;
    for import in running.into_iter().filter(|i| i.status == "running") {
        let now = now_unix();
        let lease = lease(now);
        if !state.store.claim_import(import.id, &lease, now).await? {
            continue;
        }
        tracing::info!(import = import.id, "resuming an import its process left");
        run_import(state.clone(), import.id, lease).await?;
    }
    Ok(())
}

pub async fn run_import(state: AppState, import_id: i64, lease: Lease) -> Result<(), StoreError> {
    let Some(record) = state.store.import_record(import_id).await? else {
        return Err(StoreError::Backend(
            format!("import {import_id} vanished").into(),
        ));
    };
    let mapping: Mapping = match record.mapping.as_deref() {
        Some(m) => serde_json::from_str(m).map_err(|e| StoreError::Corrupt {
            what: "import mapping",
            detail: e.to_string(),
        })?,
        None => Mapping::default(),
    };
    let table = match parse_csv(&record.content) {
        Ok(t) => t,
        Err(e) => {
            state
                .store
                .finish_import(
                    import_id,
                    "failed",
                    &serde_json::json!([{ "line": 0, "errors": [["file", e.code()]] }]).to_string(),
                    None,
                    now_unix(),
                )
                .await?;
            return Ok(());
        }
    };
    let surveys = crate::surveys::ids(&state).await?;
    let now = now_unix();
    // An import cut off by a restart goes on after the last batch it recorded: its counts
    // carry on, so its own earlier rows stay "created" rather than turning into duplicates.
    // (A fresh start has them at zero: `start_import` resets them.)
    let resumed = record.summary.processed as usize;
    let s = &record.summary;
    let (mut created, mut duplicates, mut failed) = (s.created, s.duplicates, s.failed);
    let mut problems: Vec<RowProblem> = Vec::new();
    let total = table.rows.len();
    for (batch_index, chunk) in table.rows.chunks(BATCH_ROWS).enumerate() {
        let first_line = batch_index * BATCH_ROWS + 2;
        // Done before the restart: only its problems are gathered again for the report.
        let done_before = (batch_index + 1) * BATCH_ROWS <= resumed;
        let analyzer = state.analyzer.clone();
        let key = state.customer_key.clone();
        let surveys = surveys.clone();
        let taxonomy = state.analyzer.taxonomy().1;
        let chunk = chunk.to_vec();
        let mapping = mapping.clone();
        let hash = record.content_hash.clone();
        let (responses, bad) = tokio::task::spawn_blocking(move || {
            let mut responses: Vec<NewResponse> = Vec::new();
            let mut bad: Vec<RowProblem> = Vec::new();
            for (i, row) in chunk.iter().enumerate() {
                let line = first_line + i;
                let known = |k: &str| taxonomy.theme(k).is_some();
                let v = match validate(&raw_row(row, &mapping), now, &known) {
                    Ok(v) => v,
                    Err(errors) => {
                        bad.push(problem(line, errors));
                        continue;
                    }
                };
                let Some(&survey_id) = surveys.get(&v.survey) else {
                    bad.push(problem(line, vec![IngestError::SurveyUnknown]));
                    continue;
                };
                if done_before {
                    continue;
                }
                let token = match &v.external_id {
                    Some(ext) => format!("ext:{}", sha256_hex(ext.as_bytes())),
                    None => format!("csv:{}", sha256_hex(format!("{hash}\n{line}").as_bytes())),
                };
                responses.push(to_new_response(
                    &*analyzer, &key, survey_id, v, now, token, "import",
                ));
            }
            (responses, bad)
        })
        .await
        .map_err(StoreError::backend)?;
        let room = REPORT_MAX.saturating_sub(problems.len());
        if done_before {
            problems.extend(bad.into_iter().take(room));
            continue;
        }
        // The batch and the import's counts in one transaction: a restart finds them equal.
        let processed = ((batch_index + 1) * BATCH_ROWS).min(total) as u64;
        let lease = Lease {
            until: now_unix() + LEASE_SECS,
            ..lease.clone()
        };
        let batch = ImportBatch {
            import_id,
            processed,
            failed: bad.len() as u64,
            lease: &lease,
        };
        let inserted = match state.store.insert_import_batch(&batch, &responses).await {
            Ok(inserted) => inserted,
            // Taken over after this process was thought gone: the other one goes on.
            Err(StoreError::LeaseLost) => {
                tracing::info!(import = import_id, "import taken over by another process");
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        created += inserted.iter().filter(|i| !i.duplicate).count() as u64;
        duplicates += inserted.iter().filter(|i| i.duplicate).count() as u64;
        failed += bad.len() as u64;
        problems.extend(bad.into_iter().take(room));
    }
    let report = serde_json::to_string(&problems).unwrap_or_else(|_| "[]".into());
    state
        .store
        .finish_import(
            import_id,
            "done",
            &report,
            Some(header_line(&record.content)),
            now_unix(),
        )
        .await?;
    tracing::info!(
        import = import_id,
        created,
        duplicates,
        failed,
        "import finished"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_spreadsheets_with_semicolons_and_a_bom_are_read() {
        let t =
            parse_csv("\u{feff}Klantnummer;Cijfer;Opmerking\nK1;8;\"Goed; snel\"\n\n;;\nK2;3\n")
                .unwrap();
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.headers, ["Klantnummer", "Cijfer", "Opmerking"]);
        assert_eq!(t.rows, [vec!["K1", "8", "Goed; snel"], vec!["K2", "3", ""]]);
        let m = guess_mapping(&t.headers);
        assert_eq!(m.column("customer_ref"), Some(0));
        assert_eq!(m.column("score"), Some(1));
        assert_eq!(m.column("comment"), Some(2));
    }

    #[test]
    fn review_exports_map_their_stars_to_the_rating() {
        let t = parse_csv(
            "Datum,Sterren,Review
2026-11-01,2,App loopt vast
",
        )
        .unwrap();
        let m = guess_mapping(&t.headers);
        assert_eq!(m.column("rating"), Some(1));
        assert_eq!(m.column("score"), None, "stars are no NPS score");
        assert_eq!(m.column("submitted_at"), Some(0));
        let t = parse_csv("Opmerking;Sentiment;Thema's\nTe duur;negatief;price_billing\n").unwrap();
        let m = guess_mapping(&t.headers);
        assert_eq!(
            (m.column("sentiment"), m.column("themes")),
            (Some(1), Some(2))
        );
    }

    #[test]
    fn empty_and_broken_files_are_refused() {
        assert_eq!(parse_csv(""), Err(CsvError::Empty));
        assert_eq!(parse_csv("score,comment\n"), Err(CsvError::Empty));
        assert!(matches!(
            parse_csv("PK\u{3}\u{4}\0\0[Content_Types].xml"),
            Err(CsvError::Unreadable(_))
        ));
    }

    #[test]
    fn rows_are_checked_against_the_mapping_and_known_surveys() {
        let t = parse_csv(
            "score,comment,survey\n8,Goed,webshop\n11,Te hoog,webshop\n5,,nope\n7,Prima,\n",
        )
        .unwrap();
        let mut m = guess_mapping(&t.headers);
        m.survey = Some("klantenservice".into());
        let surveys: HashMap<String, i64> = [
            ("webshop".to_string(), 1),
            ("klantenservice".to_string(), 2),
        ]
        .into();
        let (good, bad, problems) = check(&t, &m, &surveys, &Default::default(), 2_000_000_000);
        assert_eq!(
            (good, bad),
            (2, 2),
            "the empty survey cell falls back to the default"
        );
        assert_eq!(problems[0].line, 3);
        assert_eq!(problems[0].errors[0].0, "score");
        assert_eq!(problems[1].line, 4);
        assert_eq!(problems[1].errors[0].0, "survey");
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no such import")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("import task failed")]
    Task(#[from] tokio::task::JoinError),
}

/// Rows of the file shown on the page.
const SAMPLE_ROWS: usize = 5;
/// Problems listed on the page (all of them count).
const PROBLEMS_SHOWN: usize = 50;

/// The page of an uploaded file: a sample, the mapping (the form's, else the stored one, else a
/// guess from the headers), and what would import under it. Survey titles in `locale`.
pub async fn preview(
    state: &AppState,
    id: i64,
    form: &MappingForm,
    locale: domain::locale::Locale,
) -> Result<ImportPreview, ImportError> {
    let record = state
        .store
        .import_record(id)
        .await?
        .ok_or(ImportError::NotFound)?;
    let survey_list = state.store.list_surveys().await?;
    let surveys: Vec<(String, String)> = survey_list
        .iter()
        .map(|s| (s.slug.clone(), s.title(locale).to_string()))
        .collect();
    let known: HashMap<String, i64> = survey_list.iter().map(|s| (s.slug.clone(), s.id)).collect();
    let stored: Option<Mapping> = match record.mapping.as_deref() {
        Some(m) => Some(json("import mapping", m)?),
        None => None,
    };
    if record.summary.status == "done" {
        // The rows are gone (see `header_line`): the columns, the mapping used and the report.
        let report: Vec<RowProblem> = match record.report.as_deref() {
            Some(r) => json("import report", r)?,
            None => Vec::new(),
        };
        let s = &record.summary;
        let headers = {
            let (mut reader, _) = reader(&record.content);
            read_headers(&mut reader).unwrap_or_default()
        };
        return Ok(ImportPreview {
            headers,
            sample: Vec::new(),
            mapping: stored.unwrap_or_default(),
            good: (s.created + s.duplicates) as usize,
            bad: s.failed as usize,
            problems: report.into_iter().take(PROBLEMS_SHOWN).collect(),
            surveys,
            unreadable: None,
            summary: record.summary,
        });
    }
    let (content, form) = (record.content, form.clone());
    let taxonomy = state.analyzer.taxonomy().1;
    let checked = tokio::task::spawn_blocking(move || {
        let table = parse_csv(&content)?;
        let mapping = form
            .mapping(table.headers.len())
            .or(stored)
            .unwrap_or_else(|| guess_mapping(&table.headers));
        let (good, bad, problems) = check(&table, &mapping, &known, &taxonomy, now_unix());
        Ok::<_, CsvError>((table, mapping, good, bad, problems))
    })
    .await?;
    let mut preview = ImportPreview {
        summary: record.summary,
        headers: Vec::new(),
        sample: Vec::new(),
        mapping: Mapping::default(),
        good: 0,
        bad: 0,
        problems: Vec::new(),
        surveys,
        unreadable: None,
    };
    match checked {
        Ok((table, mapping, good, bad, problems)) => {
            preview.problems = problems.into_iter().take(PROBLEMS_SHOWN).collect();
            preview.sample = table.rows.into_iter().take(SAMPLE_ROWS).collect();
            (preview.headers, preview.mapping) = (table.headers, mapping);
            (preview.good, preview.bad) = (good, bad);
        }
        Err(e) => preview.unreadable = Some(e),
    }
    Ok(preview)
}

/// Starts importing an uploaded file under the form's mapping, in the background. Starting twice
/// (a double click) runs one import; answers whether this call started it.
pub async fn start(
    state: &AppState,
    id: i64,
    form: &MappingForm,
    user_id: Option<i64>,
) -> Result<bool, ImportError> {
    let record = state
        .store
        .import_record(id)
        .await?
        .ok_or(ImportError::NotFound)?;
    let content = record.content;
    let table = tokio::task::spawn_blocking(move || parse_csv(&content).ok())
        .await?
        .ok_or(ImportError::NotFound)?;
    let mapping = form.mapping(table.headers.len()).unwrap_or_default();
    let mapping_json = serde_json::to_string(&mapping).map_err(StoreError::backend)?;
    let rows = table.rows.len();
    let lease = lease(now_unix());
    if !state
        .store
        .start_import(id, &mapping_json, rows as u64, &lease)
        .await?
    {
        return Ok(false);
    }
    tracing::info!(import = id, user = user_id, rows, "import started");
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = run_import(state.clone(), id, lease).await {
            tracing::error!(import = id, error = %e, "import failed");
            let _ = state
                .store
                .finish_import(id, "failed", "[]", None, now_unix())
                .await;
        }
    });
    Ok(true)
}

fn json<T: serde::de::DeserializeOwned>(what: &'static str, raw: &str) -> Result<T, StoreError> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}
