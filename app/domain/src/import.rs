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
pub const FIELDS: [(&str, &[&str]); 11] = [
    ("survey", &["survey", "vragenlijst", "enquete", "enquête"]),
    (
        "score",
        &["score", "nps", "cijfer", "rating", "aanbeveling"],
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
