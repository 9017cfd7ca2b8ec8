//! A person's label of the sentiment with which a text speaks of one of its themes.

use crate::error::AppError;
use leptos::prelude::*;

/// Labels the sentiment of theme `key` in response `id`; back to the response.
#[server(endpoint = "labels/theme-sentiment")]
pub async fn label_theme_sentiment(
    id: Option<String>,
    key: Option<String>,
    sentiment: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::labels::LabelError;
    let user = require(crate::model::Role::sees_dashboard).await?;
    let (Some(id), Some(key)) = (id.and_then(|i| i.trim().parse::<i64>().ok()), key) else {
        return fail(AppError::NotFound);
    };
    let sentiment = sentiment.unwrap_or_default();
    match klantstem_core::labels::label_theme_sentiment(
        &state()?,
        user.id,
        id,
        key.trim(),
        &sentiment,
    )
    .await
    {
        Ok(()) => {
            leptos_axum::redirect(&format!("/responses/{id}"));
            Ok(())
        }
        Err(LabelError::UnknownSentiment) => fail(AppError::Malformed(
            "sentiment must be negative, neutral or positive".into(),
        )),
        Err(LabelError::NotFound) => fail(AppError::NotFound),
        Err(LabelError::Store(e)) => fail(e.into()),
    }
}
