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
    })
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

/// A person's sentiment label of response `id` (English or Dutch word), by `user_id`.
pub async fn label_sentiment(
    state: &AppState,
    user_id: i64,
    id: i64,
    sentiment: &str,
) -> Result<(), LabelError> {
    let sentiment = domain::ingest::parse_sentiment(sentiment)
        .ok()
        .flatten()
        .ok_or(LabelError::UnknownSentiment)?;
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
