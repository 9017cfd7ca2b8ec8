//! The one place a response is built: every channel (survey form, staff entry, REST API, CSV
//! import) turns its checked record into a [`NewResponse`] here.

use crate::analyzer::Analyzer;
use crate::secrets::customer_hash;
use crate::store::NewResponse;
use domain::ingest::ValidResponse;

/// A checked record as a response to store: analysed, the customer recognised, personal
/// data kept only with consent. Shared by the API and the CSV import.
#[allow(clippy::too_many_arguments)]
pub fn to_new_response(
    analyzer: &dyn Analyzer,
    customer_key: &str,
    survey_id: i64,
    v: ValidResponse,
    now: i64,
    submission_token: String,
    source: &str,
) -> NewResponse {
    let analysis = v
        .comment
        .as_deref()
        .map(|c| analyzer.analyze(c, v.locale))
        .unwrap_or_default();
    let customer_hash = v.customer_key().map(|k| customer_hash(customer_key, k));
    let contact_email = v
        .customer_email
        .as_ref()
        .filter(|_| v.consent)
        .map(|e| e.as_str().to_string());
    let customer_ref = v.customer_key().filter(|_| v.consent).map(String::from);
    let language = analysis.language;
    NewResponse {
        survey_id,
        submission_token,
        score: v.score.value(),
        // Without consent, personal data in the text is not kept.
        reason: v
            .comment
            .map(|c| if v.consent { c } else { analysis.masked }),
        language: language.as_ref().map(|l| l.code.clone()),
        language_confidence: language.map(|l| l.confidence),
        respondent_locale: v.locale.unwrap_or_default().as_str().into(),
        channel: Some(v.channel.as_str().into()),
        journey_phase: v.journey_phase.map(|p| p.as_str().into()),
        contact_email,
        created_at: v.submitted_at.unwrap_or(now),
        sentiment: analysis.sentiment.as_ref().map(|s| s.0.clone()),
        sentiment_score: analysis.sentiment.map(|s| s.1),
        themes: analysis.themes,
        taxonomy_version: analysis.taxonomy_version,
        source: source.into(),
        customer_hash,
        customer_ref,
        entered_by: None,
        answers: Vec::new(),
    }
}
