//! Improvement actions: created from a theme, a response, a case or an idea; measured before
//! and after they were done; and, when done with a public message, told to the customers behind
//! the feedback ("je zei, wij deden") through the outbox, in their language.
//!
//! Managers and admins see and change every action; other staff those of their departments.

use crate::error::StoreError;
use crate::ideas::MailContext;
use crate::notices::{new_mail, MailText};
use crate::state::{now_unix, AppState};
use crate::store::Telling;
use domain::action::{
    impact, windows, Action, ActionError, ActionForm, ActionInput, ActionPage, ActionsPage,
    Choices, EvidenceKind, Known,
};
use domain::locale::Locale;
use domain::model::{Role, UserInfo};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum ActionUseError {
    #[error("not found")]
    NotFound,
    #[error("not for this role")]
    Forbidden,
    #[error("invalid: {0:?}")]
    Invalid(Vec<ActionError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How far back the customers behind an action's themes are told, and how many at most.
const TELL_SINCE_DAYS: i64 = 90;
const TELL_MAX: u32 = 500;
pub const DEFAULT_WINDOW_DAYS: i64 = 30;

/// `None`: every department (managers and admins); else the user's departments.
async fn scope(state: &AppState, user: &UserInfo) -> Result<Option<Vec<i64>>, ActionUseError> {
    match user.role {
        Role::Admin | Role::Manager => Ok(None),
        Role::Customer => Err(ActionUseError::Forbidden),
        _ => Ok(Some(state.store.user_departments(user.id).await?)),
    }
}

fn in_scope(scope: &Option<Vec<i64>>, department: Option<i64>) -> bool {
    match scope {
        None => true,
        Some(list) => department.is_some_and(|d| list.contains(&d)),
    }
}

async fn choices(
    state: &AppState,
    scope: &Option<Vec<i64>>,
    locale: Locale,
) -> Result<Choices, StoreError> {
    let setup = state.store.routing_setup().await?;
    Ok(Choices {
        departments: setup
            .departments
            .into_iter()
            .filter(|d| in_scope(scope, Some(d.id)))
            .map(|d| (d.id, d.name))
            .collect(),
        staff: state
            .store
            .staff_users()
            .await?
            .into_iter()
            .map(|(id, name, _)| (id, name))
            .collect(),
        themes: crate::responses::theme_names(&*state.analyzer, locale),
    })
}

/// Whether `user` may cite this evidence: what they cannot open they cannot link, or the action
/// page would show it to them (and tell its customer about an action not theirs).
async fn may_cite(
    state: &AppState,
    user: &UserInfo,
    scope: &Option<Vec<i64>>,
    evidence: Option<(EvidenceKind, i64)>,
) -> Result<(), ActionUseError> {
    let allowed = match evidence {
        None => true,
        Some((EvidenceKind::Response, id)) => {
            crate::inbox::response_in_scope(state, scope, id).await?
        }
        Some((EvidenceKind::Item, id)) => match state.store.inbox_item(id).await? {
            Some(record) => in_scope(scope, Some(record.item.department_id)),
            None => false,
        },
        Some((EvidenceKind::Idea, id)) => crate::ideas::readable_idea(state, Some(user), id)
            .await
            .is_ok(),
    };
    // Not found, like opening it by its id.
    if allowed {
        Ok(())
    } else {
        Err(ActionUseError::NotFound)
    }
}

fn check(form: &ActionForm, choices: &Choices) -> Result<ActionInput, ActionUseError> {
    let departments: Vec<i64> = choices.departments.iter().map(|d| d.0).collect();
    let staff: Vec<i64> = choices.staff.iter().map(|s| s.0).collect();
    let themes: Vec<String> = choices.themes.iter().map(|t| t.0.clone()).collect();
    form.parse(&Known {
        departments: &departments,
        staff: &staff,
        themes: &themes,
    })
    .map_err(ActionUseError::Invalid)
}

/// Where a new action starts from: `theme=key`, `response=id`, `item=id` or `idea=id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StartFrom {
    pub theme: Option<String>,
    pub response: Option<i64>,
    pub item: Option<i64>,
    pub idea: Option<i64>,
}

/// How the customers told "je zei, wij deden" about any action scored before and after, for
/// managers' dashboards (the action page shows one action's).
pub async fn told_overall(
    state: &AppState,
    user: &UserInfo,
) -> Result<Option<domain::action::ToldCustomers>, StoreError> {
    if !user.role.sees_dashboard() {
        return Ok(None);
    }
    Ok(Some(state.store.told_customers(None).await?))
}

pub async fn overview(
    state: &AppState,
    user: &UserInfo,
    from: &StartFrom,
    locale: Locale,
) -> Result<ActionsPage, ActionUseError> {
    let scope = scope(state, user).await?;
    let actions = state.store.list_actions(scope.as_deref()).await?;
    let choices = choices(state, &scope, locale).await?;
    let draft = draft(state, user, from, &choices, locale).await?;
    Ok(ActionsPage {
        may_start: scope.as_ref().is_none_or(|s| !s.is_empty()),
        actions,
        choices,
        draft,
        now: now_unix(),
    })
}

/// The new-action form prefilled from its starting point; a starting point the user may not
/// see leaves the form empty.
async fn draft(
    state: &AppState,
    user: &UserInfo,
    from: &StartFrom,
    choices: &Choices,
    locale: Locale,
) -> Result<ActionForm, ActionUseError> {
    let mut form = ActionForm {
        department: choices
            .departments
            .first()
            .filter(|_| choices.departments.len() == 1)
            .map(|d| d.0.to_string()),
        ..ActionForm::default()
    };
    let theme_name = |key: &str| {
        choices
            .themes
            .iter()
            .find(|t| t.0 == key)
            .map(|t| t.1.clone())
    };
    if let Some(key) = &from.theme {
        if let Some(name) = theme_name(key) {
            form.themes = key.clone();
            form.title = name;
        }
    }
    let response = match (from.response, from.item) {
        (Some(r), _) if user.role.sees_dashboard() => {
            form.evidence = Some(format!("response:{r}"));
            state.store.response(r).await?
        }
        (_, Some(i)) => match crate::inbox::item_page(state, user, i, locale).await {
            Ok(page) => {
                form.evidence = Some(format!("item:{i}"));
                form.department = Some(page.item.department_id.to_string());
                page.response
            }
            Err(_) => None,
        },
        _ => None,
    };
    if let Some(v) = response {
        form.themes = v
            .themes
            .iter()
            .map(|t| t.key.clone())
            .collect::<Vec<_>>()
            .join(", ");
        if let Some(first) = v.themes.first().and_then(|t| theme_name(&t.key)) {
            form.title = first;
        }
    }
    if let Some(idea) = from.idea {
        if let Ok((record, _)) = crate::ideas::readable_idea(state, Some(user), idea).await {
            form.evidence = Some(format!("idea:{idea}"));
            form.title = record.title_masked;
        }
    }
    Ok(form)
}

pub async fn create(
    state: &AppState,
    user: &UserInfo,
    form: &ActionForm,
    locale: Locale,
) -> Result<i64, ActionUseError> {
    let scope = scope(state, user).await?;
    if scope.as_ref().is_some_and(|s| s.is_empty()) {
        // Staff in no department (a product team) follow actions; they do not start them.
        return Err(ActionUseError::Forbidden);
    }
    let choices = choices(state, &scope, locale).await?;
    let input = check(form, &choices)?;
    if scope.is_some() && input.department.is_none() {
        // A department member's action belongs to one of their departments.
        return Err(ActionUseError::Invalid(vec![
            ActionError::UnknownDepartment,
        ]));
    }
    may_cite(state, user, &scope, input.evidence).await?;
    Ok(state
        .store
        .create_action(&input, user.id, now_unix())
        .await?)
}

async fn readable(
    state: &AppState,
    user: &UserInfo,
    id: i64,
) -> Result<(Action, Option<Vec<i64>>), ActionUseError> {
    let scope = scope(state, user).await?;
    let action = state
        .store
        .action(id)
        .await?
        .ok_or(ActionUseError::NotFound)?;
    if !in_scope(&scope, action.department.as_ref().map(|d| d.0)) {
        return Err(ActionUseError::NotFound);
    }
    Ok((action, scope))
}

pub async fn page(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    window_days: Option<i64>,
    locale: Locale,
) -> Result<ActionPage, ActionUseError> {
    let (mut action, scope) = readable(state, user, id).await?;
    for e in &mut action.evidence {
        e.label = state
            .analyzer
            .mask_pii(&e.label)
            .chars()
            .take(200)
            .collect();
    }
    let days = window_days.unwrap_or(DEFAULT_WINDOW_DAYS).clamp(7, 365);
    let now = now_unix();
    let (impact, baseline) = match action.done_at {
        Some(done) => {
            let ((b0, b1), (a0, a1)) = windows(done, days);
            let before = state.store.window_figures(&action.themes, b0, b1).await?;
            let after = state.store.window_figures(&action.themes, a0, a1).await?;
            (Some(impact(days, before, after)), None)
        }
        None => {
            let ((b0, _), _) = windows(now, days);
            (
                None,
                Some(
                    state
                        .store
                        .window_figures(&action.themes, b0, now + 1)
                        .await?,
                ),
            )
        }
    };
    let told = state.store.told_customers(Some(id)).await?;
    Ok(ActionPage {
        action,
        choices: choices(state, &scope, locale).await?,
        impact,
        baseline,
        told,
        window_days: days,
        now,
    })
}

/// Saves an action. When it becomes done with a public message, the consented customers behind
/// its feedback are told, each in their language, in the same transaction.
pub async fn update(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    form: &ActionForm,
    mail: &MailContext,
    locale: Locale,
) -> Result<u64, ActionUseError> {
    let (action, scope) = readable(state, user, id).await?;
    let choices = choices(state, &scope, locale).await?;
    let input = check(form, &choices)?;
    if scope.is_some() && input.department.is_none() {
        return Err(ActionUseError::Invalid(vec![
            ActionError::UnknownDepartment,
        ]));
    }
    may_cite(state, user, &scope, input.evidence).await?;
    let now = now_unix();
    let becomes_done =
        input.status == domain::action::ActionStatus::Done && action.done_at.is_none();
    let mut tell = Vec::new();
    if becomes_done && !input.public_message.is_empty() {
        let link = format!("{}/changelog", mail.base);
        let since = now - TELL_SINCE_DAYS * 86_400;
        for c in state.store.told_candidates(id, since, TELL_MAX).await? {
            let locale = Locale::from_tag(&c.locale).unwrap_or_default();
            let text = MailText::ActionDone {
                title: &input.title,
                message: &input.public_message,
                link: &link,
            };
            tell.push(Telling {
                response_id: c.response_id,
                customer_hash: c.customer_hash,
                mail: new_mail(
                    "action_done",
                    &c.email,
                    mail.wording.mail_to_respondent(
                        locale,
                        &text,
                        &crate::privacy::consent_link(state, &mail.base, &c.email),
                    ),
                ),
            });
        }
    }
    let told = tell.len() as u64;
    if !state.store.update_action(id, &input, &tell, now).await? {
        return Err(ActionUseError::NotFound);
    }
    if told > 0 {
        state.outbox.notify_one();
        tracing::info!(action = id, told, "customers told an action was done");
    }
    Ok(told)
}

/// Adds evidence to an action the user may change.
pub async fn add_evidence(
    state: &AppState,
    user: &UserInfo,
    id: i64,
    kind: EvidenceKind,
    target: i64,
) -> Result<(), ActionUseError> {
    readable(state, user, id).await?;
    Ok(state.store.add_evidence(id, kind, target).await?)
}
