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
    let automatic = analysis.sentiment.as_ref().map(|s| s.0.clone());
    // A person's labels win over the analysis, and are kept as corrections.
    let sentiment = v.sentiment.map(String::from).or(automatic.clone());
    let sentiment_confidence = if v.sentiment.is_some() {
        Some(1.0)
    } else {
        analysis.sentiment_confidence
    };
    let (themes, theme_labels) = match &v.themes {
        None => (analysis.themes, Vec::new()),
        Some(keys) => {
            let mut labels: Vec<(String, bool)> = keys.iter().map(|k| (k.clone(), true)).collect();
            labels.extend(
                analysis
                    .themes
                    .iter()
                    .filter(|t| !keys.contains(&t.key))
                    .map(|t| (t.key.clone(), false)),
            );
            // A labelled theme keeps the sentiment of the sentence it was found in, else the
            // text's.
            let tags = keys
                .iter()
                .map(|k| {
                    analysis
                        .themes
                        .iter()
                        .find(|t| &t.key == k)
                        .cloned()
                        .unwrap_or_else(|| domain::model::ThemeTag {
                            key: k.clone(),
                            name: String::new(),
                            sentiment: sentiment.clone(),
                            confidence: sentiment_confidence,
                            manual: true,
                        })
                })
                .collect();
            (tags, labels)
        }
    };
    let labels = crate::store::HumanLabels {
        sentiment: v.sentiment.map(|s| (s.to_string(), automatic)),
        themes: theme_labels,
    };
    NewResponse {
        survey_id,
        submission_token,
        score: v.score.map(|s| s.value()),
        rating: v.rating,
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
        sentiment,
        sentiment_score: analysis.sentiment.map(|s| s.1),
        sentiment_confidence,
        themes,
        taxonomy_version: analysis.taxonomy_version,
        source: source.into(),
        customer_hash,
        customer_ref,
        consent: v.consent.then(|| {
            v.consent_wording
                .clone()
                .unwrap_or_else(|| format!("consent given through {source}"))
        }),
        entered_by: None,
        answers: Vec::new(),
        labels,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    #[error("the record has problems")]
    Invalid(Vec<domain::ingest::IngestError>),
    #[error(transparent)]
    Store(#[from] crate::error::StoreError),
    #[error("analysis task failed")]
    Task(#[from] tokio::task::JoinError),
}

/// Feedback a staff member entered on a customer's behalf (a phone call, a conversation in a
/// shop), into an open survey. `token` comes from the form: sending it twice stores it once.
pub async fn enter_feedback(
    state: &crate::state::AppState,
    raw: &domain::ingest::RawResponse,
    token: Option<String>,
    user_id: i64,
) -> Result<crate::store::Inserted, EntryError> {
    use domain::ingest::{validate, IngestError};
    let now = crate::state::now_unix();
    let taxonomy = state.analyzer.taxonomy().1;
    let valid =
        validate(raw, now, &|k| taxonomy.theme(k).is_some()).map_err(EntryError::Invalid)?;
    let target = state
        .store
        .survey_by_slug(&valid.survey)
        .await?
        .filter(|s| s.open && !s.archived)
        .ok_or(EntryError::Invalid(vec![IngestError::SurveyUnknown]))?;
    let token = token
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(crate::secrets::random_token);
    let analyzer = state.analyzer.clone();
    let key = state.customer_key.clone();
    let mut response = tokio::task::spawn_blocking(move || {
        let token = format!("staff:{token}");
        to_new_response(&*analyzer, &key, target.id, valid, now, token, "staff")
    })
    .await?;
    response.entered_by = Some(user_id);
    let inserted = state.store.insert_response(&response).await?;
    tracing::info!(
        response = inserted.id,
        user = user_id,
        "feedback entered by staff"
    );
    Ok(inserted)
}
