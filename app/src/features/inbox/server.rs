//! The server functions of the inbox: each parses, calls a use case in `klantstem_core::inbox`
//! (which checks that the item belongs to one of the viewer's departments) and maps its error.
//! Plain form posts get a redirect back, with the error in the query string.

use crate::error::AppError;
use domain::inbox::InboxItem;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxData {
    pub items: Vec<InboxItem>,
    pub total: u64,
    /// (id, name) of the departments the viewer works for.
    pub departments: Vec<(i64, String)>,
    pub now: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemData {
    pub item: InboxItem,
    pub notes: Vec<domain::inbox::Note>,
    pub case: Option<domain::inbox::Case>,
    pub response: Option<domain::model::Verbatim>,
    /// The customer's other answers, earlier cases and idea contributions.
    pub timeline: Vec<domain::model::Verbatim>,
    pub cases: Vec<domain::inbox::CustomerCase>,
    pub contributions: Vec<domain::idea::Contribution>,
    /// (id, name) of who may be assigned.
    pub members: Vec<(i64, String)>,
    /// The customer left an address with consent: replies and the follow-up question can go.
    pub reachable: bool,
    /// For an idea: (title, link).
    pub idea: Option<(String, String)>,
    pub now: i64,
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::backend::*;
    use crate::error::AppError;
    use klantstem_core::inbox::InboxUseError;

    pub fn locale() -> crate::i18n::Locale {
        request_parts()
            .map(|p| request_locale(&p))
            .unwrap_or_default()
    }

    pub fn to_app_error(e: InboxUseError) -> AppError {
        match e {
            InboxUseError::NotFound => AppError::NotFound,
            InboxUseError::Forbidden => AppError::Forbidden,
            InboxUseError::Invalid(e) => AppError::InvalidInbox(e),
            InboxUseError::Store(e) => e.into(),
        }
    }

    /// After a change: back to the item (the error in the query for a plain form post).
    pub fn done(result: Result<(), InboxUseError>, id: i64, anchor: &str) -> Result<(), AppError> {
        let back = format!("/inbox/{id}");
        match result {
            Ok(()) => {
                leptos_axum::redirect(&format!("{back}{anchor}"));
                Ok(())
            }
            Err(e) => match to_app_error(e) {
                e @ (AppError::NotFound | AppError::Forbidden | AppError::Internal) => fail(e),
                e => fail_form(e, &back, &[]),
            },
        }
    }
}

/// Staff who work an inbox (everyone but customers); the use case narrows to departments.
#[cfg(feature = "ssr")]
fn works_inbox(role: crate::model::Role) -> bool {
    role.is_staff()
}

#[server(endpoint = "inbox/list")]
pub async fn get_inbox(
    status: Option<String>,
    department: Option<String>,
    cases: Option<String>,
    mine: Option<String>,
    page: Option<String>,
) -> Result<InboxData, AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    use domain::inbox::{InboxQuery, ItemStatus};
    let query = InboxQuery {
        department: department.and_then(|d| d.parse().ok()),
        status: status.as_deref().and_then(ItemStatus::parse),
        open_cases: cases.is_some_and(|c| !c.is_empty()),
        assignee: mine.filter(|m| !m.is_empty()).map(|_| user.id),
        page: page.and_then(|p| p.parse().ok()).unwrap_or(0).min(10_000),
    };
    match klantstem_core::inbox::list(&state()?, &user, &query).await {
        Ok(p) => Ok(InboxData {
            items: p.items,
            total: p.total,
            departments: p.departments,
            now: p.now,
        }),
        Err(e) => fail(ssr::to_app_error(e)),
    }
}

#[server(endpoint = "inbox/item")]
pub async fn get_inbox_item(id: Option<String>) -> Result<ItemData, AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) else {
        return fail(AppError::NotFound);
    };
    let state = state()?;
    match klantstem_core::inbox::item_page(&state, &user, id, ssr::locale()).await {
        Ok(p) => {
            // A customer's words and history: who opened them is logged.
            klantstem_core::privacy::record_view(&state, &user, format!("inbox item {id}")).await?;
            Ok(ItemData {
                item: p.item,
                notes: p.notes,
                case: p.case,
                response: p.response,
                timeline: p.timeline,
                cases: p.cases,
                contributions: p.contributions,
                members: p.members,
                reachable: p.reachable,
                idea: p.idea,
                now: p.now,
            })
        }
        Err(e) => fail(ssr::to_app_error(e)),
    }
}

#[server(endpoint = "inbox/update")]
pub async fn update_inbox_item(
    id: i64,
    status: Option<String>,
    assignee: Option<String>,
    root_cause: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    let result = klantstem_core::inbox::update(
        &state()?,
        &user,
        id,
        status.as_deref(),
        assignee.as_deref(),
        root_cause.as_deref(),
    )
    .await;
    ssr::done(result, id, "")
}

#[server(endpoint = "inbox/note")]
pub async fn add_inbox_note(id: i64, body: String) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    let result = klantstem_core::inbox::add_note(&state()?, &user, id, &body).await;
    ssr::done(result, id, "#notes")
}

#[server(endpoint = "inbox/contact")]
pub async fn record_case_contact(
    id: i64,
    channel: String,
    reached: Option<String>,
    note: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    let reached = reached.is_some_and(|r| r == "1" || r == "on");
    let note = note.unwrap_or_default();
    let result =
        klantstem_core::inbox::record_contact(&state()?, &user, id, &channel, reached, &note).await;
    ssr::done(result, id, "#case")
}

#[server(endpoint = "inbox/close")]
pub async fn close_inbox_case(
    id: i64,
    outcome: Option<String>,
    root_cause: Option<String>,
    /// "1": send the customer the question "is it solved now?".
    ask: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    let root = root_cause.unwrap_or_default();
    let ask = ask.is_some_and(|a| a == "1" || a == "on");
    let mail = crate::mail::context(mail_base());
    let result = klantstem_core::inbox::close_case(
        &state()?,
        &user,
        id,
        outcome.as_deref(),
        &root,
        ask,
        &mail,
    )
    .await;
    ssr::done(result, id, "#case")
}

#[server(endpoint = "inbox/reply")]
pub async fn reply_to_customer(id: i64, text: String) -> Result<(), AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    let mail = crate::mail::context(mail_base());
    let result = klantstem_core::inbox::reply(&state()?, &user, id, &text, &mail).await;
    ssr::done(result, id, "#case")
}

/// The customer's answer to "is it solved now?" from the link in their mail (no account).
#[server(endpoint = "followup/answer")]
pub async fn answer_follow_up(case: i64, t: String, score: Option<String>) -> Result<(), AppError> {
    use crate::backend::*;
    use klantstem_core::inbox::{answer_followup, InboxUseError};
    let back = format!("/f/{case}?t={}", crate::url::percent_encode(&t));
    let Some(score) = score.and_then(|s| s.trim().parse::<u8>().ok()) else {
        return fail_form(
            AppError::InvalidInbox(domain::inbox::InboxError::BadScore),
            &back,
            &[],
        );
    };
    match answer_followup(&state()?, case, &t, score).await {
        Ok(_) => {
            leptos_axum::redirect(&format!("{back}&done=1"));
            Ok(())
        }
        Err(InboxUseError::NotFound) => fail_form(AppError::LinkInvalid, &back, &[]),
        Err(e) => fail_form(ssr::to_app_error(e), &back, &[]),
    }
}

#[server(endpoint = "inbox/follow-up")]
pub async fn get_follow_up(days: Option<i64>) -> Result<Vec<domain::inbox::FollowUp>, AppError> {
    use crate::backend::*;
    let user = require(works_inbox).await?;
    klantstem_core::inbox::follow_up(&state()?, &user, days.unwrap_or(90))
        .await
        .or_else(|e| fail(ssr::to_app_error(e)))
}
