//! CSV import: feedback exported from another system (a call-centre tool, a spreadsheet) mapped
//! column by column onto responses, checked row by row, and stored in the background with
//! progress. Re-importing the same file stores nothing twice: each row's identity is the file's
//! hash and the row's number (or the row's own external id when a column holds one).
//!
//! The data types are shared with the browser; reading and importing run on the server.

use serde::{Deserialize, Serialize};

/// Largest file accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_ROWS: usize = 200_000;
/// Rows per transaction while importing.
pub const BATCH_ROWS: usize = 500;
/// Rows with problems kept in the report.
pub const REPORT_MAX: usize = 500;

/// The fields a column can fill, with header names (lower-case, nl and en) that suggest them.
pub const FIELDS: [(&str, &[&str]); 14] = [
    ("survey", &["survey", "vragenlijst", "enquete", "enquête"]),
    ("score", &["score", "nps", "cijfer", "aanbeveling"]),
    (
        "rating",
        &[
            "rating",
            "stars",
            "sterren",
            "beoordeling",
            "waardering",
            "csat",
        ],
    ),
    (
        "comment",
        &[
            "comment",
            "opmerking",
            "toelichting",
            "reden",
            "reason",
            "feedback",
            "text",
            "tekst",
        ],
    ),
    ("channel", &["channel", "kanaal", "bron", "source"]),
    (
        "journey_phase",
        &[
            "journey_phase",
            "phase",
            "fase",
            "klantreisfase",
            "touchpoint",
        ],
    ),
    ("language", &["language", "taal", "lang"]),
    (
        "submitted_at",
        &[
            "submitted_at",
            "date",
            "datum",
            "created_at",
            "timestamp",
            "tijdstip",
        ],
    ),
    (
        "customer_ref",
        &[
            "customer_ref",
            "customer",
            "klant",
            "klantnummer",
            "customer_id",
            "klant_id",
        ],
    ),
    (
        "customer_email",
        &[
            "customer_email",
            "email",
            "e-mail",
            "emailadres",
            "e-mailadres",
        ],
    ),
    ("consent", &["consent", "toestemming", "opt_in", "optin"]),
    (
        "external_id",
        &[
            "external_id",
            "id",
            "ticket",
            "ticketnummer",
            "referentie",
            "reference",
        ],
    ),
    ("sentiment", &["sentiment", "sentiment_label", "stemming"]),
    (
        "themes",
        &["themes", "thema", "themas", "thema's", "topics"],
    ),
];

/// Which column fills which field, plus values for fields no column fills.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    /// (field, column index)
    pub columns: Vec<(String, usize)>,
    /// The survey of every row, when no column names it.
    pub survey: Option<String>,
    /// The channel of every row, when no column names it (e.g. "phone" for a call-centre file).
    pub channel: Option<String>,
}

impl Mapping {
    pub fn column(&self, field: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| *c)
    }
}

/// Suggests a mapping from the header names.
pub fn guess_mapping(headers: &[String]) -> Mapping {
    let mut columns = Vec::new();
    for (field, names) in FIELDS {
        let found = headers.iter().position(|h| {
            let h = h.trim().to_lowercase().replace(' ', "_");
            names.contains(&h.as_str())
        });
        if let Some(c) = found {
            if !columns.iter().any(|(_, used)| *used == c) {
                columns.push((field.to_string(), c));
            }
        }
    }
    Mapping {
        columns,
        survey: None,
        channel: None,
    }
}

/// A row that could not be imported (1-based line number in the file, header included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    /// (field, message)
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: i64,
    pub filename: String,
    pub created_at: i64,
    /// "uploaded", "running", "done" or "failed".
    pub status: String,
    pub total: u64,
    pub processed: u64,
    pub created: u64,
    pub duplicates: u64,
    pub failed: u64,
}

impl ImportSummary {
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * self.processed as f64 / self.total as f64
        }
    }
}

/// Why a file is not a table of rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CsvError {
    Empty,
    TooManyRows,
    Unreadable(String),
}

impl CsvError {
    /// The code an import report and a redirect carry (the interface words it).
    pub fn code(&self) -> &'static str {
        match self {
            CsvError::Empty => "csv_empty",
            CsvError::TooManyRows => "too_many_rows",
            CsvError::Unreadable(_) => "csv_unreadable",
        }
    }
}

/// The mapping as the import page's form sends it: `col_<field>` = column number, and the
/// survey and channel for rows without one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MappingForm {
    pub col_survey: Option<String>,
    pub col_score: Option<String>,
    pub col_rating: Option<String>,
    pub col_sentiment: Option<String>,
    pub col_themes: Option<String>,
    pub col_comment: Option<String>,
    pub col_channel: Option<String>,
    pub col_journey_phase: Option<String>,
    pub col_language: Option<String>,
    pub col_submitted_at: Option<String>,
    pub col_customer_ref: Option<String>,
    pub col_customer_email: Option<String>,
    pub col_consent: Option<String>,
    pub col_external_id: Option<String>,
    pub survey: Option<String>,
    pub channel: Option<String>,
}

impl MappingForm {
    /// The mapping for a file `width` columns wide; `None` when the form carries no mapping.
    pub fn mapping(&self, width: usize) -> Option<Mapping> {
        let columns = [
            ("survey", &self.col_survey),
            ("score", &self.col_score),
            ("rating", &self.col_rating),
            ("sentiment", &self.col_sentiment),
            ("themes", &self.col_themes),
            ("comment", &self.col_comment),
            ("channel", &self.col_channel),
            ("journey_phase", &self.col_journey_phase),
            ("language", &self.col_language),
            ("submitted_at", &self.col_submitted_at),
            ("customer_ref", &self.col_customer_ref),
            ("customer_email", &self.col_customer_email),
            ("consent", &self.col_consent),
            ("external_id", &self.col_external_id),
        ];
        if *self == MappingForm::default() {
            return None;
        }
        let value = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        let columns = columns
            .iter()
            .filter_map(|(field, raw)| {
                let col: usize = value(raw)?.parse().ok()?;
                (col < width).then(|| (field.to_string(), col))
            })
            .collect();
        Some(Mapping {
            columns,
            survey: value(&self.survey).filter(|s| crate::survey::is_valid_slug(s)),
            channel: value(&self.channel).filter(|c| crate::survey::Channel::parse(c).is_some()),
        })
    }
}

/// What the import page shows of an uploaded file: a sample, the mapping, and what would import.
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
    /// Why the file could not be read.
    pub unreadable: Option<CsvError>,
}
