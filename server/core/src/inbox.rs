//! Department members work their inbox: the feedback routed to their departments and the
//! follow-up cases of detractors. Members see their own departments' items only; managers and
//! admins see every department. An item of another department answers "not found", so ids
//! reveal nothing.

use crate::error::StoreError;
use crate::ideas::MailContext;
use crate::notices::{new_mail, MailText};
use crate::state::{now_unix, AppState};
use crate::store::{ItemChange, ItemRecord, NewContact, OverdueCase};
use domain::idea::Contribution;
use domain::inbox::{
    check_close, note_text, root_cause, ContactChannel, CustomerCase, InboxError, InboxItem,
    InboxQuery, ItemStatus,
};
use domain::locale::Locale;
use domain::model::{Role, UserInfo, Verbatim};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum InboxUseError {
    /// No such item, or one of another department.
    #[error("not found")]
    NotFound,
    #[error("not for this role")]
    Forbidden,
    #[error("invalid: {0:?}")]
    Invalid(InboxError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which departments a user works for: `None` is every department (managers and admins).
pub async fn scope(state: &AppState, user: &UserInfo) -> Result<Option<Vec<i64>>, InboxUseError> {
    match user.role {
        Role::Admin | Role::Manager => Ok(None),
        Role::Customer => Err(InboxUseError::Forbidden),
        _ => Ok(Some(state.store.user_departments(user.id).await?)),
    }
}

/// The feedback a user reads on the dashboard, the responses list and exports: `None` is all
/// of it (managers, admins), else what was routed to their departments.
pub async fn feedback_scope(
    state: &AppState,
    user: &UserInfo,
) -> Result<Option<Vec<i64>>, InboxUseError> {
    if !user.role.sees_feedback() {
        return Err(InboxUseError::Forbidden);
    }
    scope(state, user).await
}

/// Whether a user may read response `id` (routed to one of their departments, for members).
pub async fn may_read_response(
    state: &AppState,
    user: &UserInfo,
    id: i64,
) -> Result<bool, InboxUseError> {
    let scope = feedback_scope(state, user).await?;
    Ok(response_in_scope(state, &scope, id).await?)
}

/// Whether response `id` was routed into `scope` (`None`: every department).
pub async fn response_in_scope(
    state: &AppState,
    scope: &Option<Vec<i64>>,
    id: i64,
) -> Result<bool, StoreError> {
    Ok(match scope {
        None => true,
        Some(departments) => state
            .store
            .response_departments(id)
            .await?
            .iter()
            .any(|d| departments.contains(d)),
    })
}

/// An inbox page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    pub total: u64,
    /// (id, name) of the departments the viewer works for.
    pub departments: Vec<(i64, String)>,
    pub now: i64,
}

/// The viewer's inbox, filtered by `query`; texts masked as staff read them.
pub async fn list(
    state: &AppState,
    user: &UserInfo,
    query: &InboxQuery,
) -> Result<InboxPage, InboxUseError> {
    let scope = scope(state, user).await?;
    let (mut items, total) = state.store.inbox(scope.as_deref(), query).await?;
    for item in &mut items {
        item.text = item.text.take().map(|t| state.analyzer.mask_pii(&t));
    }
    let departments = state
        .store
        .routing_setup()
        .await?
        .departments
        .into_iter()
        .filter(|d| scope.as_ref().is_none_or(|s| s.contains(&d.id)))
        .map(|d| (d.id, d.name))
        .collect();
    Ok(InboxPage {
        items,
        total,
        departments,
        now: now_unix(),
    })
}

/// The item if this user may work on it.
async fn readable(state: &AppState, user: &UserInfo, id: i64) -> Result<ItemRecord, InboxUseError> {
    let scope = scope(state, user).await?;
    let record = state
        .store
        .inbox_item(id)
        .await?
        .ok_or(InboxUseError::NotFound)?;
    match scope {
        Some(departments) if !departments.contains(&record.item.department_id) => {
            Err(InboxUseError::NotFound)
        }
        _ => Ok(record),
    }
}

/// An item's page: the feedback, its case, notes, and the customer's whole timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemPage {
    pub item: InboxItem,
    pub notes: Vec<domain::inbox::Note>,
    pub case: Option<domain::inbox::Case>,
    pub response: Option<Verbatim>,
    /// The customer's other answers, newest first.
    pub timeline: Vec<Verbatim>,
    pub cases: Vec<CustomerCase>,
    pub contributions: Vec<Contribution>,
    /// (id, name) of the members of the item's department, to assign to.
    pub members: Vec<(i64, String)>,
    /// The customer left an address with consent (the address itself is not shown).
    pub reachable: bool,
    /// For an idea: (title, link).
    pub idea: Option<(String, String)>,
    pub now: i64,
}

pub async fn item_page(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    locale: Locale,
) -> Result<ItemPage, InboxUseError> {
    let mut record = readable(state, user, id).await?;
    let now = now_unix();
    if record.item.status == ItemStatus::New {
        // Opened by someone who works on it: seen.
        let change = ItemChange {
            status: Some(ItemStatus::Seen),
            ..ItemChange::default()
        };
        state.store.update_item(id, &change, now).await?;
        record.item.status = ItemStatus::Seen;
    }
    let response = match record.item.response_id {
        Some(r) => crate::responses::detail(state, r, locale)
            .await?
            .map(|d| d.verbatim),
        None => None,
    };
    let (mut timeline, cases, contributions) = match &record.customer_hash {
        Some(hash) => (
            state.store.customer_responses(hash, 50).await?,
            state.store.customer_cases(hash).await?,
            state.store.contributions(hash).await?,
        ),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    timeline.retain(|v| Some(v.id) != record.item.response_id);
    for v in &mut timeline {
        crate::responses::for_staff(&*state.analyzer, v, locale);
    }
    let idea = match record.item.idea_id {
        Some(i) => crate::ideas::readable_idea(state, Some(user), i)
            .await
            .ok()
            .map(|(idea, board)| {
                (
                    idea.title_masked,
                    format!("/ideas/{}/{}", board.slug, idea.id),
                )
            }),
        None => None,
    };
    let members = state
        .store
        .department_members(record.item.department_id)
        .await?;
    record.item.text = record.item.text.map(|t| state.analyzer.mask_pii(&t));
    Ok(ItemPage {
        item: record.item,
        notes: record.notes,
        case: record.case,
        response,
        timeline,
        cases: cases.into_iter().filter(|c| c.item_id != id).collect(),
        contributions,
        members,
        reachable: record.contact.is_some(),
        idea,
        now,
    })
}

/// Changes an item's status, assignee (a member of its department, or nobody) and root cause.
pub async fn update(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    status: Option<&str>,
    assignee: Option<&str>,
    root: Option<&str>,
) -> Result<(), InboxUseError> {
    let record = readable(state, user, id).await?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ItemStatus::parse(s).ok_or(InboxUseError::Invalid(InboxError::BadStatus))?),
    };
    let assignee = match assignee.map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => {
            let member: i64 = raw
                .parse()
                .map_err(|_| InboxUseError::Invalid(InboxError::NotAMember))?;
            let members = state
                .store
                .department_members(record.item.department_id)
                .await?;
            if !members.iter().any(|(id, _)| *id == member) {
                return Err(InboxUseError::Invalid(InboxError::NotAMember));
            }
            Some(Some(member))
        }
    };
    let root_cause = match root {
        None => None,
        Some(r) => Some(root_cause(r).map_err(InboxUseError::Invalid)?),
    };
    let change = ItemChange {
        status,
        assignee,
        root_cause,
    };
    state.store.update_item(id, &change, now_unix()).await?;
    Ok(())
}

pub async fn add_note(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    body: &str,
) -> Result<(), InboxUseError> {
    readable(state, user, id).await?;
    let body = note_text(body).map_err(InboxUseError::Invalid)?;
    Ok(state.store.add_note(id, user.id, &body, now_unix()).await?)
}

/// Records a contact attempt on the item's case.
pub async fn record_contact(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    channel: &str,
    reached: bool,
    note: &str,
) -> Result<(), InboxUseError> {
    let record = readable(state, user, id).await?;
    let case = record.case.ok_or(InboxUseError::NotFound)?;
    let channel =
        ContactChannel::parse(channel).ok_or(InboxUseError::Invalid(InboxError::BadChannel))?;
    let note = note.trim();
    if note.chars().count() > domain::inbox::NOTE_MAX_CHARS {
        return Err(InboxUseError::Invalid(InboxError::NoteTooLong));
    }
    let contact = NewContact {
        case_id: case.id,
        channel,
        reached,
        note: note.to_string(),
        user_id: user.id,
        at: now_unix(),
    };
    state
        .store
        .add_contact(&contact, None)
        .await?
        .then_some(())
        .ok_or(InboxUseError::Invalid(InboxError::CaseClosed))
}

/// Closes the item's case with its outcome and root cause; refused without a contact attempt.
/// With `ask`, a customer who left an address gets the short question "is it solved now?".
pub async fn close_case(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    outcome: Option<&str>,
    root: &str,
    ask: bool,
    mail: &MailContext,
) -> Result<(), InboxUseError> {
    let record = readable(state, user, id).await?;
    let case = record.case.ok_or(InboxUseError::NotFound)?;
    if case.closed_at.is_some() {
        return Err(InboxUseError::Invalid(InboxError::CaseClosed));
    }
    let (outcome, root) =
        check_close(case.contacts.len(), outcome, root).map_err(InboxUseError::Invalid)?;
    let followup = match (&record.contact, ask) {
        (Some((address, language)), true) => {
            let link = format!(
                "{}/f/{}?t={}",
                mail.base,
                case.id,
                followup_token(&state.customer_key, case.id)
            );
            let locale = Locale::from_tag(language).unwrap_or_default();
            let text = MailText::FollowUpQuestion { link: &link };
            let withdraw = crate::privacy::consent_link(state, &mail.base, address);
            Some(new_mail(
                "case_followup",
                address,
                mail.wording.mail_to_respondent(locale, &text, &withdraw),
            ))
        }
        _ => None,
    };
    let closed = state
        .store
        .close_case(case.id, outcome, &root, now_unix(), followup.as_ref())
        .await?;
    if !closed {
        return Err(InboxUseError::Invalid(InboxError::CaseClosed));
    }
    if followup.is_some() {
        state.outbox.notify_one();
    }
    Ok(())
}

/// Answers the customer by mail from the case (through the outbox); the reply counts as a
/// contact attempt by e-mail.
pub async fn reply(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    text: &str,
    mail: &MailContext,
) -> Result<(), InboxUseError> {
    let record = readable(state, user, id).await?;
    let case = record.case.ok_or(InboxUseError::NotFound)?;
    let (address, language) = record
        .contact
        .clone()
        .ok_or(InboxUseError::Invalid(InboxError::NoAddress))?;
    let text = note_text(text).map_err(InboxUseError::Invalid)?;
    let locale = Locale::from_tag(&language).unwrap_or_default();
    let worded = mail.wording.mail_to_respondent(
        locale,
        &MailText::CaseReply {
            department: &record.item.department,
            text: &text,
        },
        &crate::privacy::consent_link(state, &mail.base, &address),
    );
    let contact = NewContact {
        case_id: case.id,
        channel: ContactChannel::Email,
        reached: false,
        note: text,
        user_id: user.id,
        at: now_unix(),
    };
    let sent = state
        .store
        .add_contact(&contact, Some(&new_mail("case_reply", &address, worded)))
        .await?;
    if !sent {
        return Err(InboxUseError::Invalid(InboxError::CaseClosed));
    }
    state.outbox.notify_one();
    Ok(())
}

/// The proof in a follow-up link that the installation made it.
pub fn followup_token(key: &str, case_id: i64) -> String {
    crate::secrets::customer_hash(key, &format!("followup:{case_id}"))
}

/// What became of a follow-up answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpAnswer {
    Stored,
    /// Answered before: the first answer counts.
    AlreadyAnswered,
}

/// The customer's answer to "is it solved now?" (0–10), by the link in their mail.
pub async fn answer_followup(
    state: &AppState,
    case_id: i64,
    token: &str,
    score: u8,
) -> Result<FollowUpAnswer, InboxUseError> {
    let expected = followup_token(&state.customer_key, case_id);
    if !crate::secrets::constant_time_eq(expected.as_bytes(), token.as_bytes()) {
        return Err(InboxUseError::NotFound);
    }
    if score > 10 {
        return Err(InboxUseError::Invalid(InboxError::BadScore));
    }
    Ok(
        if state
            .store
            .answer_followup(case_id, score, now_unix())
            .await?
        {
            FollowUpAnswer::Stored
        } else {
            FollowUpAnswer::AlreadyAnswered
        },
    )
}

/// Escalates every case past its deadline at `now` without contact: flagged, assigned to the
/// department lead, who gets a mail (in the same transaction). Answers how many. `now` is a
/// parameter so tests can move the clock.
pub async fn escalate_overdue(
    state: &AppState,
    mail: &MailContext,
    now: i64,
) -> Result<u64, StoreError> {
    let mut escalated = 0;
    for case in state.store.overdue_cases(now).await? {
        let worded = lead_mail(mail, &case);
        if state
            .store
            .escalate_case(&case, worded.as_ref(), now)
            .await?
        {
            escalated += 1;
        }
    }
    if escalated > 0 {
        state.outbox.notify_one();
        tracing::info!(escalated, "overdue cases escalated");
    }
    Ok(escalated)
}

fn lead_mail(mail: &MailContext, case: &OverdueCase) -> Option<crate::store::NewMail> {
    let (_, address, locale) = case.lead.as_ref()?;
    let locale = Locale::from_tag(locale).unwrap_or_default();
    let link = format!("{}/inbox/{}", mail.base, case.item_id);
    let deadline = domain::calendar::format_date(case.deadline_at);
    let text = MailText::CaseEscalated {
        department: &case.department,
        deadline: &deadline,
        link: &link,
    };
    Some(new_mail(
        "case_escalated",
        address,
        mail.wording.mail(locale, &text, None),
    ))
}

/// How the viewer's departments (all, for managers) followed up detractors whose case opened in
/// the last `days` days: share contacted, time to first contact, recovery.
pub async fn follow_up(
    state: &AppState,
    user: &UserInfo,
    days: i64,
) -> Result<Vec<domain::inbox::FollowUp>, InboxUseError> {
    let scope = scope(state, user).await?;
    let now = now_unix();
    let facts = state
        .store
        .case_facts(scope.as_deref(), now - days.clamp(1, 730) * 86_400, now + 1)
        .await?;
    Ok(domain::inbox::follow_up(&facts))
}
