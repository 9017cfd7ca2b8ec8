//! The logged-in staff member of a request handled outside Leptos (uploads, downloads): the same
//! session cookie and store lookup as every page.

use crate::http::state::WebState;
use app::backend::{cookie, now_unix, token_hash, SESSION_COOKIE};
use app::model::UserInfo;
use axum::extract::FromRequestParts;
use http::request::Parts;
use std::convert::Infallible;

/// The session's user, `None` without a valid session.
pub struct SessionUser(pub Option<UserInfo>);

impl FromRequestParts<WebState> for SessionUser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, web: &WebState) -> Result<Self, Infallible> {
        let user = match cookie(parts, SESSION_COOKIE) {
            Some(token) if token.len() == 64 => web
                .app
                .store
                .session_user(
                    &token_hash(&token),
                    now_unix(),
                    web.app.settings.session_idle.as_secs() as i64,
                )
                .await
                .ok()
                .flatten(),
            _ => None,
        };
        Ok(SessionUser(user))
    }
}
