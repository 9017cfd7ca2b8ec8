//! Responses as staff read them: personal data in texts always masked, theme names in the
//! reader's language.

use crate::analyzer::Analyzer;
use crate::error::StoreError;
use crate::state::AppState;
use domain::locale::Locale;
use domain::model::{ResponseDetail, ResponseFilter, ResponsesPage, Verbatim};
use domain::questions::{describe, QuestionKind};

/// Masks the text and names the themes of a response for staff.
pub fn for_staff(analyzer: &dyn Analyzer, verbatim: &mut Verbatim, locale: Locale) {
    verbatim.reason = verbatim.reason.take().map(|r| analyzer.mask_pii(&r));
    for tag in &mut verbatim.themes {
        tag.name = analyzer.theme_name(&tag.key, locale);
    }
}

/// A page of `size` responses matching `filter`, newest first, with the cursor of the next page
/// and what the filters offer (surveys, themes). `ignored` is left empty for the caller.
pub async fn page(
    state: &AppState,
    filter: &ResponseFilter,
    size: u32,
    locale: Locale,
) -> Result<ResponsesPage, StoreError> {
    // One more than a page tells whether there is a next one.
    let mut items = state.store.list_responses(filter, size + 1).await?;
    let next = if items.len() > size as usize {
        items.truncate(size as usize);
        items.last().map(|v| format!("{}.{}", v.created_at, v.id))
    } else {
        None
    };
    for v in &mut items {
        for_staff(&*state.analyzer, v, locale);
    }
    let surveys = crate::surveys::titles(state, locale, false).await?;
    Ok(ResponsesPage {
        items,
        next,
        surveys,
        themes: theme_names(&*state.analyzer, locale),
        ignored: Vec::new(),
    })
}

/// One response with its answers to the survey's other questions; `None`: no such response.
pub async fn detail(
    state: &AppState,
    id: i64,
    locale: Locale,
) -> Result<Option<ResponseDetail>, StoreError> {
    let Some(mut verbatim) = state.store.response(id).await? else {
        return Ok(None);
    };
    for_staff(&*state.analyzer, &mut verbatim, locale);
    let answers = state
        .store
        .response_answers(id)
        .await?
        .into_iter()
        .map(|(q, a)| {
            let mut text = describe(&q, &a, locale);
            if q.kind == QuestionKind::Text {
                text = state.analyzer.mask_pii(&text);
            }
            (q.label(locale).to_string(), text)
        })
        .collect();
    Ok(Some(ResponseDetail {
        verbatim,
        all_themes: theme_names(&*state.analyzer, locale),
        answers,
        sentiment_label: state.store.sentiment_label(id).await?,
    }))
}

/// (key, name) of every theme of the taxonomy in force.
pub fn theme_names(analyzer: &dyn Analyzer, locale: Locale) -> Vec<(String, String)> {
    analyzer
        .taxonomy()
        .1
        .themes
        .iter()
        .map(|t| (t.key.clone(), t.name(locale).to_string()))
        .collect()
}
