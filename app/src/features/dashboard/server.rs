//! The server functions of this feature: each parses, authorises, calls a use case in
//! `klantstem_core` and maps its error.

#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::model::DashboardData;
use leptos::prelude::*;

#[server(endpoint = "dashboard/overview")]
pub async fn get_dashboard(
    survey: Option<String>,
    channel: Option<String>,
    phase: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    group: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<DashboardData, AppError> {
    use crate::backend::*;
    use crate::model::ResponseFilter;
    let user = require(crate::model::Role::sees_feedback).await?;
    let state = state()?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let raw = [
        ("survey", survey),
        ("channel", channel),
        ("phase", phase),
        ("language", language),
        ("theme", theme),
        ("group", group),
        ("from", from),
        ("to", to),
    ];
    let (mut filter, ignored) = ResponseFilter::from_args(&raw);
    // A department member's dashboard: what was routed to their departments.
    filter.departments = klantstem_core::inbox::feedback_scope(&state, &user)
        .await
        .or_else(|_| fail(AppError::Forbidden))?;
    crate::dashboard::overview(
        &state,
        &filter,
        ignored,
        locale,
        &crate::labels::UiWords(locale),
    )
    .await
    .map_err(AppError::from)
}

/// How the customers told about done actions scored since; `None` for department members,
/// whose dashboard is scoped.
#[server(endpoint = "dashboard/told")]
pub async fn get_told_customers() -> Result<Option<crate::action::ToldCustomers>, AppError> {
    use crate::backend::*;
    let user = require(crate::model::Role::sees_feedback).await?;
    Ok(klantstem_core::actions::told_overall(&state()?, &user).await?)
}

/// Channel switches over the last half year, with the names of the themes that drive them.
#[server(endpoint = "dashboard/switches")]
pub async fn get_channel_switches(
    window: Option<i64>,
) -> Result<Option<(domain::switches::SwitchReport, Vec<(String, String)>)>, AppError> {
    use crate::backend::*;
    // Department members' dashboards are scoped; the switches span every department.
    let user = require(crate::model::Role::sees_feedback).await?;
    if !user.role.sees_dashboard() {
        return Ok(None);
    }
    let state = state()?;
    let locale = request_parts()
        .map(|p| request_locale(&p))
        .unwrap_or_default();
    let report = crate::dashboard::channel_switches(&state, 180, window.unwrap_or(7)).await?;
    let names = report
        .drivers
        .iter()
        .map(|(key, _, _)| (key.clone(), state.analyzer.theme_name(key, locale)))
        .collect();
    Ok(Some((report, names)))
}
