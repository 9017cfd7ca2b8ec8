//! People label texts: the review queue that asks for the most informative ones first, and a
//! sentiment label given on a response or in the queue.

use crate::error::StoreError;
use crate::state::{now_unix, AppState};
use domain::labels::{review_batch, ReviewItem, ReviewPage};
use domain::locale::Locale;

/// Texts in one batch of the queue ("label 20 comments").
pub const BATCH: usize = 20;
/// Candidates the batch is chosen from.
const CANDIDATES: u32 = 400;

/// The next batch to label, masked for staff, with the lexicon's record on the labels so far.
pub async fn review_page(state: &AppState, locale: Locale) -> Result<ReviewPage, StoreError> {
    let candidates = state.store.review_candidates(CANDIDATES).await?;
    let items = review_batch(candidates, BATCH)
        .into_iter()
        .map(|c| ReviewItem {
            response_id: c.response_id,
            text: state.analyzer.mask_pii(&c.text),
            language: c.language,
            theme: c.theme.map(|k| state.analyzer.theme_name(&k, locale)),
            lexicon: c.sentiment,
        })
        .collect();
    Ok(ReviewPage {
        items,
        stats: state.store.label_stats().await?,
        model: state.analyzer.sentiment_model(),
    })
}

/// Labels a model learns from at most (the newest).
const TRAINING_MAX: u32 = 20_000;

/// Why the model is trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Training {
    /// At start: the same labels give the same model, which the stored tags already reflect.
    Startup,
    /// Now and then: only when the labels changed, and then the texts are tagged again.
    LabelsChanged,
}

/// Trains the theme models from the stored theme labels, as [`retrain`] does the sentiment
/// model: at start, and while running whenever the labels changed; when a model in force comes or
/// goes, every text is tagged again. Returns the reports, if models were trained.
pub async fn retrain_themes(
    state: &AppState,
    why: Training,
) -> Result<Option<Vec<domain::labels::ThemeModelReport>>, LabelError> {
    let labels = state.store.theme_labelled_texts(TRAINING_MAX).await?;
    let before = state.analyzer.theme_models();
    let digest = domain::labels::theme_digest(labels.iter().flat_map(|l| {
        l.themes
            .iter()
            .map(move |(key, applies)| (l.response_id, key.as_str(), *applies))
    }));
    let known = before.first().map_or(0, |r| r.labels_digest);
    if labels.is_empty() || (why == Training::LabelsChanged && known == digest) {
        return Ok(None);
    }
    let analyzer = state.analyzer.clone();
    let reports = tokio::task::spawn_blocking(move || analyzer.train_themes(&labels))
        .await
        .map_err(StoreError::backend)?;
    let in_force = |reports: &[domain::labels::ThemeModelReport]| -> Vec<String> {
        reports
            .iter()
            .filter(|r| r.in_force)
            .map(|r| r.key.clone())
            .collect()
    };
    let (was, now) = (in_force(&before), in_force(&reports));
    if why == Training::LabelsChanged && (!now.is_empty() || was != now) {
        let marked = state.store.mark_all_for_retagging().await?;
        tracing::info!(marked, "texts to tag again with the new theme models");
    }
    tracing::info!(models = reports.len(), in_force = ?now, "theme models trained");
    Ok(Some(reports))
}

/// Trains the sentiment model from the stored labels. When a model in force changes while the
/// server runs, every text is tagged again with it — people's labels stay as they are. Returns
/// the new report, if a model was trained.
pub async fn retrain(
    state: &AppState,
    why: Training,
) -> Result<Option<domain::labels::ModelReport>, LabelError> {
    let labels = state.store.labelled_texts(TRAINING_MAX).await?;
    let before = state.analyzer.sentiment_model();
    // A relabel changes the digest as an added label does.
    let digest =
        domain::labels::digest(labels.iter().map(|l| (l.response_id, l.sentiment.as_str())));
    let known = before.map_or(0, |r| r.labels_digest);
    if why == Training::LabelsChanged && known == digest {
        return Ok(None);
    }
    if labels.len() < domain::labels::MIN_LABELS && before.is_none() {
        return Ok(None);
    }
    let analyzer = state.analyzer.clone();
    let report = tokio::task::spawn_blocking(move || analyzer.train_sentiment(&labels))
        .await
        .map_err(StoreError::backend)?;
    let Some(report) = report else {
        return Ok(None);
    };
    let in_force_before = before.is_some_and(|r| r.in_force);
    if why == Training::LabelsChanged && (report.in_force || in_force_before) {
        let marked = state.store.mark_all_for_retagging().await?;
        tracing::info!(marked, "texts to tag again with the new sentiment model");
    }
    tracing::info!(
        trained_on = report.trained_on,
        held_out = report.held_out,
        learned = report.learned_accuracy,
        lexicon = report.lexicon_accuracy,
        in_force = report.in_force,
        "sentiment model trained"
    );
    Ok(Some(report))
}

#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    #[error("unknown sentiment")]
    UnknownSentiment,
    #[error("no such text")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The sentiment a person chose (English or Dutch word) as stored.
fn sentiment_word(word: &str) -> Result<&'static str, LabelError> {
    domain::ingest::parse_sentiment(word)
        .ok()
        .flatten()
        .ok_or(LabelError::UnknownSentiment)
}

/// A person's label of the sentiment with which response `id` speaks of theme `theme_key`
/// (English or Dutch word), by `user_id`.
pub async fn label_theme_sentiment(
    state: &AppState,
    user_id: i64,
    id: i64,
    theme_key: &str,
    sentiment: &str,
) -> Result<(), LabelError> {
    let sentiment = sentiment_word(sentiment)?;
    if !state
        .store
        .label_theme_sentiment(id, theme_key, sentiment, user_id, now_unix())
        .await?
    {
        return Err(LabelError::NotFound);
    }
    tracing::info!(
        response = id,
        theme = theme_key,
        sentiment,
        user = user_id,
        "theme sentiment labelled"
    );
    Ok(())
}

/// A person's sentiment label of response `id` (English or Dutch word), by `user_id`.
pub async fn label_sentiment(
    state: &AppState,
    user_id: i64,
    id: i64,
    sentiment: &str,
) -> Result<(), LabelError> {
    let sentiment = sentiment_word(sentiment)?;
    if !state
        .store
        .label_sentiment(id, sentiment, user_id, now_unix())
        .await?
    {
        return Err(LabelError::NotFound);
    }
    tracing::info!(
        response = id,
        sentiment,
        user = user_id,
        "sentiment labelled"
    );
    Ok(())
}
