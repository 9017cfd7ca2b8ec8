//! What every HTTP handler shares: the application state and the Leptos options.

use app::backend::AppState;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

#[derive(Clone)]
pub struct WebState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<WebState> for LeptosOptions {
    fn from_ref(s: &WebState) -> Self {
        s.leptos.clone()
    }
}
