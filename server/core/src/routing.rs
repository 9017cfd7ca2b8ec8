//! Admins set up departments, their members, the routing rules and the case policy, and test a
//! rule against recent feedback before saving it.

use crate::error::StoreError;
use crate::state::{now_unix, AppState};
use crate::store::RoutingSetup;
use domain::inbox::PolicyForm;
use domain::model::{Role, UserInfo};
use domain::routing::{route, RoutingError, RuleForm, RuleTest};

#[derive(Debug, thiserror::Error)]
pub enum RoutingUseError {
    #[error("admins only")]
    Forbidden,
    #[error("no such department or rule")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(RoutingError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How many recent responses a rule is tried on.
pub const TEST_SAMPLE: u32 = 1000;

fn admin(user: &UserInfo) -> Result<(), RoutingUseError> {
    (user.role == Role::Admin)
        .then_some(())
        .ok_or(RoutingUseError::Forbidden)
}

/// The page: departments, rules, policy, and the staff who can be members.
pub async fn setup(
    state: &AppState,
    user: &UserInfo,
) -> Result<(RoutingSetup, Vec<(i64, String, Role)>), RoutingUseError> {
    admin(user)?;
    Ok((
        state.store.routing_setup().await?,
        state.store.staff_users().await?,
    ))
}

/// Creates (`id` None) or renames a department and sets its lead; answers its id.
pub async fn save_department(
    state: &AppState,
    user: &UserInfo,
    id: Option<i64>,
    name: &str,
    lead: Option<i64>,
) -> Result<i64, RoutingUseError> {
    admin(user)?;
    let name = domain::routing::name(name).map_err(RoutingUseError::Invalid)?;
    if let Some(lead) = lead {
        let staff = state.store.staff_users().await?;
        if !staff.iter().any(|s| s.0 == lead) {
            return Err(RoutingUseError::NotFound);
        }
    }
    state
        .store
        .save_department(id, &name, lead, now_unix())
        .await?
        .ok_or(RoutingUseError::Invalid(RoutingError::NameTaken))
}

/// Adds a staff member to a department or takes them out.
pub async fn set_member(
    state: &AppState,
    user: &UserInfo,
    department: i64,
    member: i64,
    on: bool,
) -> Result<(), RoutingUseError> {
    admin(user)?;
    let setup = state.store.routing_setup().await?;
    let staff = state.store.staff_users().await?;
    if !setup.departments.iter().any(|d| d.id == department) || !staff.iter().any(|s| s.0 == member)
    {
        return Err(RoutingUseError::NotFound);
    }
    Ok(state
        .store
        .set_department_member(department, member, on)
        .await?)
}

async fn department_ids(state: &AppState) -> Result<Vec<i64>, StoreError> {
    Ok(state
        .store
        .routing_setup()
        .await?
        .departments
        .iter()
        .map(|d| d.id)
        .collect())
}

/// Saves a rule; answers its id.
pub async fn save_rule(
    state: &AppState,
    user: &UserInfo,
    form: &RuleForm,
) -> Result<i64, RoutingUseError> {
    admin(user)?;
    let rule = form
        .parse(&department_ids(state).await?)
        .map_err(RoutingUseError::Invalid)?;
    state
        .store
        .save_rule(&rule, now_unix())
        .await?
        .ok_or(RoutingUseError::NotFound)
}

pub async fn delete_rule(
    state: &AppState,
    user: &UserInfo,
    id: i64,
) -> Result<(), RoutingUseError> {
    admin(user)?;
    state
        .store
        .delete_rule(id)
        .await?
        .then_some(())
        .ok_or(RoutingUseError::NotFound)
}

/// Which of the latest [`TEST_SAMPLE`] responses a rule with these conditions would route
/// (ignoring the other rules), with a few examples; texts masked as staff read them.
pub async fn test_rule(
    state: &AppState,
    user: &UserInfo,
    all: &str,
    any: &str,
) -> Result<RuleTest, RoutingUseError> {
    use domain::routing::{parse_conditions, Rule};
    admin(user)?;
    let rule = Rule {
        id: 0,
        name: String::new(),
        position: 0,
        enabled: true,
        all: parse_conditions(all).map_err(RoutingUseError::Invalid)?,
        any: parse_conditions(any).map_err(RoutingUseError::Invalid)?,
        // Any department: the test asks whether it matches, not where it goes.
        targets: vec![0],
    };
    if rule.all.is_empty() && rule.any.is_empty() {
        return Err(RoutingUseError::Invalid(RoutingError::NoConditions));
    }
    let recent = state.store.recent_facts(TEST_SAMPLE).await?;
    let mut test = RuleTest {
        sample: recent.len() as u32,
        ..RuleTest::default()
    };
    for (id, text, facts) in recent {
        if !route(std::slice::from_ref(&rule), None, &facts).is_empty() {
            test.matched += 1;
            if test.examples.len() < 5 {
                let text = text.map(|t| state.analyzer.mask_pii(&t));
                test.examples.push((id, facts.score, text));
            }
        }
    }
    Ok(test)
}

/// Saves the default department and the case policy.
pub async fn save_policy(
    state: &AppState,
    user: &UserInfo,
    form: &PolicyForm,
) -> Result<(), RoutingUseError> {
    admin(user)?;
    let (default, policy) = form
        .parse(&department_ids(state).await?)
        .map_err(RoutingUseError::Invalid)?;
    Ok(state.store.save_routing_settings(default, &policy).await?)
}

/// Makes the taxonomy's "owning department" real: creates each department named there that does
/// not exist yet and one rule per department (named after it) routing the themes it owns; a rule
/// of that name is replaced. Answers how many rules were written.
pub async fn rules_from_taxonomy(
    state: &AppState,
    user: &UserInfo,
) -> Result<u32, RoutingUseError> {
    use domain::routing::{Condition, Field, Rule};
    admin(user)?;
    let mut owners: Vec<(String, Vec<String>)> = Vec::new();
    for theme in state.analyzer.taxonomy().1.themes {
        let Some(department) = theme.department.filter(|d| !d.trim().is_empty()) else {
            continue;
        };
        let department = domain::routing::name(&department).map_err(RoutingUseError::Invalid)?;
        match owners.iter_mut().find(|(d, _)| *d == department) {
            Some((_, keys)) => keys.push(theme.key),
            None => owners.push((department, vec![theme.key])),
        }
    }
    let now = now_unix();
    let mut written = 0;
    for (position, (department, keys)) in owners.into_iter().enumerate() {
        let setup = state.store.routing_setup().await?;
        let id = match setup.departments.iter().find(|d| d.name == department) {
            Some(d) => d.id,
            None => state
                .store
                .save_department(None, &department, None, now)
                .await?
                .ok_or(RoutingUseError::Invalid(RoutingError::NameTaken))?,
        };
        let existing = setup
            .rules
            .iter()
            .find(|r| r.name == department)
            .map(|r| r.id);
        let rule = Rule {
            id: existing.unwrap_or(0),
            name: department,
            position: 10 * (position as i64 + 1),
            enabled: true,
            all: vec![Condition {
                field: Field::Theme,
                values: keys,
            }],
            any: Vec::new(),
            targets: vec![id],
        };
        state.store.save_rule(&rule, now).await?;
        written += 1;
    }
    Ok(written)
}
