//! The server functions of routing administration: admins only; each calls a use case in
//! `klantstem_core::routing` and answers a plain form post with a redirect back.

use crate::error::AppError;
use domain::inbox::{CasePolicy, PolicyForm};
use domain::model::Role;
use domain::routing::{Department, Rule, RuleForm, RuleTest};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoutingAdminData {
    pub departments: Vec<Department>,
    pub rules: Vec<Rule>,
    pub default_department: Option<i64>,
    pub policy: CasePolicy,
    /// (id, name, role) of every staff account.
    pub staff: Vec<(i64, String, Role)>,
    /// (key, name) of the themes, and the survey slugs: the values conditions use.
    pub themes: Vec<(String, String)>,
    pub surveys: Vec<String>,
    /// What the conditions being tried (`?test_all=…&test_any=…`) would route.
    pub test: Option<Result<RuleTest, AppError>>,
}

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::backend::*;
    use crate::error::AppError;
    use klantstem_core::routing::RoutingUseError;

    pub fn to_app_error(e: RoutingUseError) -> AppError {
        match e {
            RoutingUseError::Forbidden => AppError::Forbidden,
            RoutingUseError::NotFound => AppError::NotFound,
            RoutingUseError::Invalid(e) => AppError::InvalidRouting(e),
            RoutingUseError::Store(e) => e.into(),
        }
    }

    pub fn done(result: Result<(), RoutingUseError>, anchor: &str) -> Result<(), AppError> {
        match result {
            Ok(()) => {
                leptos_axum::redirect(&format!("/admin/departments?saved=1{anchor}"));
                Ok(())
            }
            Err(e) => match to_app_error(e) {
                e @ (AppError::Forbidden | AppError::Internal) => fail(e),
                e => fail_form(e, "/admin/departments", &[]),
            },
        }
    }

    pub async fn admin() -> Result<crate::model::UserInfo, AppError> {
        require(|r| r == crate::model::Role::Admin).await
    }
}

#[server(endpoint = "departments/admin")]
pub async fn get_routing_admin(
    test_all: Option<String>,
    test_any: Option<String>,
) -> Result<RoutingAdminData, AppError> {
    use ssr::*;
    let user = admin().await?;
    let state = state()?;
    let (setup, staff) = klantstem_core::routing::setup(&state, &user)
        .await
        .or_else(|e| fail(to_app_error(e)))?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let themes = state
        .analyzer
        .taxonomy()
        .1
        .themes
        .into_iter()
        .map(|th| {
            let name = th.name(locale).to_string();
            (th.key, name)
        })
        .collect();
    let surveys = state
        .store
        .list_surveys()
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    let (all, any) = (test_all.unwrap_or_default(), test_any.unwrap_or_default());
    let test = if all.trim().is_empty() && any.trim().is_empty() {
        None
    } else {
        Some(
            klantstem_core::routing::test_rule(&state, &user, &all, &any)
                .await
                .map_err(to_app_error),
        )
    };
    Ok(RoutingAdminData {
        departments: setup.departments,
        rules: setup.rules,
        default_department: setup.default_department,
        policy: setup.policy,
        staff,
        themes,
        surveys,
        test,
    })
}

#[server(endpoint = "departments/save")]
pub async fn save_department(
    id: Option<i64>,
    name: String,
    lead: Option<String>,
) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    let lead = lead.and_then(|l| l.parse::<i64>().ok());
    let result = klantstem_core::routing::save_department(&state()?, &user, id, &name, lead)
        .await
        .map(|_| ());
    done(result, "#departments")
}

#[server(endpoint = "departments/member")]
pub async fn set_department_member(
    department: i64,
    member: i64,
    on: String,
) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    let result =
        klantstem_core::routing::set_member(&state()?, &user, department, member, on == "1").await;
    done(result, "#departments")
}

#[server(endpoint = "departments/rule")]
pub async fn save_routing_rule(#[server(flatten)] form: RuleForm) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    let result = klantstem_core::routing::save_rule(&state()?, &user, &form)
        .await
        .map(|_| ());
    done(result, "#rules")
}

#[server(endpoint = "departments/rule-delete")]
pub async fn delete_routing_rule(id: i64) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    done(
        klantstem_core::routing::delete_rule(&state()?, &user, id).await,
        "#rules",
    )
}

#[server(endpoint = "departments/policy")]
pub async fn save_case_policy(#[server(flatten)] form: PolicyForm) -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    done(
        klantstem_core::routing::save_policy(&state()?, &user, &form).await,
        "#policy",
    )
}

#[server(endpoint = "departments/from-taxonomy")]
pub async fn rules_from_taxonomy() -> Result<(), AppError> {
    use ssr::*;
    let user = admin().await?;
    let result = klantstem_core::routing::rules_from_taxonomy(&state()?, &user)
        .await
        .map(|_| ());
    done(result, "#rules")
}
