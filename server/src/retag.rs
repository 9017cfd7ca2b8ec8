//! Background retagging: after the taxonomy changes, every stored text is tagged again with the
//! new one, in batches, while the server keeps serving. Progress is read from the database
//! (texts still tagged with an older version), so it survives restarts and shows the same on
//! every server process.

use app::backend::{AppState, Retagged, StoreError};
use app::i18n::Locale;
use app::taxonomy::Taxonomy;
use std::time::Duration;

/// Texts per batch: one transaction each, short enough not to hold up survey submissions.
pub const BATCH: u32 = 500;
/// How often a server looks for a taxonomy saved by another process, and for leftover work.
const POLL: Duration = Duration::from_secs(30);

/// Tags every text last tagged with an older taxonomy than the one in force; returns how many.
pub async fn retag_pending(state: &AppState) -> Result<u64, StoreError> {
    let mut done = 0u64;
    loop {
        match retag_batch(state).await? {
            0 => return Ok(done),
            n => done += n as u64,
        }
    }
}

/// Tags one batch of texts that wait for the taxonomy in force; returns how many (0: none left).
pub async fn retag_batch(state: &AppState) -> Result<usize, StoreError> {
    {
        let version = state.analyzer.taxonomy().0;
        let batch = state.store.texts_to_tag(version, BATCH).await?;
        if batch.is_empty() {
            return Ok(0);
        }
        let analyzer = state.analyzer.clone();
        let tags = tokio::task::spawn_blocking(move || {
            batch
                .iter()
                .map(|t| {
                    let a = analyzer.analyze(&t.text, Locale::from_tag(&t.respondent_locale));
                    Retagged {
                        response_id: t.response_id,
                        taxonomy_version: a.taxonomy_version,
                        sentiment: a.sentiment.as_ref().map(|s| s.0.clone()),
                        sentiment_score: a.sentiment.map(|s| s.1),
                        sentiment_confidence: a.sentiment_confidence,
                        themes: a.themes,
                    }
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(StoreError::backend)?;
        state.store.store_tags(&tags).await?;
        Ok(tags.len())
    }
}

/// The stored taxonomy in force, storing the default one in a database that has none.
pub async fn load_taxonomy(state: &AppState) -> Result<(i64, Taxonomy), StoreError> {
    loop {
        if let Some((version, document)) = state.store.current_taxonomy().await? {
            let taxonomy = serde_json::from_str(&document).map_err(|e| StoreError::Corrupt {
                what: "taxonomy",
                detail: format!("version {version}: {e}"),
            })?;
            return Ok((version, taxonomy));
        }
        let document = serde_json::to_string(&crate::analysis::themes::default_taxonomy())
            .map_err(StoreError::backend)?;
        match state
            .store
            .save_taxonomy(0, &document, None, app::backend::now_unix())
            .await
        {
            // Another process stored one first: read that.
            Ok(_) | Err(StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Puts a taxonomy saved by another server process in force here too.
async fn follow_stored_taxonomy(state: &AppState) -> Result<(), StoreError> {
    let (stored, taxonomy) = load_taxonomy(state).await?;
    if stored > state.analyzer.taxonomy().0 {
        tracing::info!(
            version = stored,
            "taxonomy changed elsewhere: now in force here"
        );
        state.analyzer.set_taxonomy(stored, &taxonomy);
    }
    Ok(())
}

/// Runs the retagger until the process ends: at start, when woken through `state.retag`, and
/// every 30 seconds.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = follow_stored_taxonomy(&state).await {
                tracing::warn!(error = %e, "could not read the stored taxonomy");
            }
            let started = std::time::Instant::now();
            match retag_pending(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    texts = n,
                    ms = started.elapsed().as_millis() as u64,
                    "texts retagged"
                ),
                Err(e) => tracing::warn!(error = %e, "retagging stopped; retrying later"),
            }
            tokio::select! {
                _ = state.retag.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}
