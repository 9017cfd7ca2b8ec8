//! Pages with several forms (an inbox item, the departments page, webhooks): their server
//! actions together decide when the page's data is read again and which error it shows.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// One form's server action, as the page around it sees it.
pub trait FormAction {
    /// How often it has run: a change means the page's data changed.
    fn runs(&self) -> usize;
    /// Why its latest run failed, if it did.
    fn failure(&self) -> Option<AppError>;
}

impl<S> FormAction for ServerAction<S>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    fn runs(&self) -> usize {
        self.version().get()
    }

    fn failure(&self) -> Option<AppError> {
        self.value().get().and_then(|r| r.err())
    }
}

/// All runs of a page's actions: the key its data resource reloads on.
pub fn runs(actions: &[&dyn FormAction]) -> usize {
    actions.iter().map(|a| a.runs()).sum()
}

/// The first failure among a page's actions.
pub fn failure(actions: &[&dyn FormAction]) -> Option<AppError> {
    actions.iter().find_map(|a| a.failure())
}
