//! The review queue and a sentiment label, for managers and admins.

use crate::error::AppError;
use domain::labels::ReviewPage;
use leptos::prelude::*;

#[server(endpoint = "labels/queue")]
pub async fn get_review_queue() -> Result<ReviewPage, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    Ok(klantstem_core::labels::review_page(&state()?, locale).await?)
}

/// A person's sentiment label of a text; back to the queue or the response (`next`).
#[server(endpoint = "labels/sentiment")]
pub async fn label_sentiment(
    id: Option<String>,
    sentiment: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::labels::LabelError;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let Some(id) = id.and_then(|i| i.trim().parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    let sentiment = sentiment.unwrap_or_default();
    match klantstem_core::labels::label_sentiment(&state()?, user.id, id, &sentiment).await {
        Ok(()) => {
            let back = match next.as_deref() {
                Some("/review") => "/review".to_string(),
                _ => format!("/responses/{id}"),
            };
            leptos_axum::redirect(&back);
            Ok(())
        }
        Err(LabelError::UnknownSentiment) => fail(AppError::Malformed(
            "sentiment must be negative, neutral or positive".into(),
        )),
        Err(LabelError::NotFound) => fail(AppError::NotFound),
        Err(LabelError::Store(e)) => fail(e.into()),
    }
}
