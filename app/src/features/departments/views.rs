//! `/admin/departments`: departments with their lead and members, the routing rules (each an
//! "all of … and any of …" list of conditions with up to three target departments), a test of
//! conditions on the latest 1,000 responses, the default department and the case policy.

use super::server::*;
use crate::components::form_actions::{self, FormAction};
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::routing::{conditions_text, Field, Rule, NAME_MAX_CHARS};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    department: ServerAction<SaveDepartment>,
    member: ServerAction<SetDepartmentMember>,
    rule: ServerAction<SaveRoutingRule>,
    delete: ServerAction<DeleteRoutingRule>,
    policy: ServerAction<SaveCasePolicy>,
    from_taxonomy: ServerAction<RulesFromTaxonomy>,
}

impl Actions {
    fn all(&self) -> [&dyn FormAction; 6] {
        [
            &self.department,
            &self.member,
            &self.rule,
            &self.delete,
            &self.policy,
            &self.from_taxonomy,
        ]
    }

    fn version(&self) -> usize {
        form_actions::runs(&self.all())
    }

    fn error(&self) -> Option<AppError> {
        form_actions::failure(&self.all())
    }
}

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let actions = Actions {
        department: ServerAction::new(),
        member: ServerAction::new(),
        rule: ServerAction::new(),
        delete: ServerAction::new(),
        policy: ServerAction::new(),
        from_taxonomy: ServerAction::new(),
    };
    let data = Resource::new(
        move || {
            let q = query.get();
            (q.get("test_all"), q.get("test_any"), actions.version())
        },
        |(all, any, _)| get_routing_admin(all, any),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.departments_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <DepartmentsAdmin data actions/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/departments"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A department with (id, name) of its members and of who could join.
type DepartmentRow = (
    domain::routing::Department,
    Vec<(i64, String)>,
    Vec<(i64, String)>,
);

#[component]
fn DepartmentsAdmin(data: RoutingAdminData, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let posted = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    let error = move || {
        actions
            .error()
            .or_else(|| posted.clone())
            .map(|e| e.message(locale))
    };
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let name_of = |id: i64| {
        data.staff
            .iter()
            .find(|s| s.0 == id)
            .map(|s| s.1.clone())
            .unwrap_or_default()
    };
    // Owned rows for the view: each department with its members and who could join.
    let rows: Vec<DepartmentRow> = data
        .departments
        .iter()
        .map(|d| {
            let members = d.members.iter().map(|m| (*m, name_of(*m))).collect();
            let candidates = data
                .staff
                .iter()
                .filter(|s| !d.members.contains(&s.0))
                .map(|s| (s.0, s.1.clone()))
                .collect();
            (d.clone(), members, candidates)
        })
        .collect();
    let staff: Vec<(i64, String)> = data.staff.iter().map(|s| (s.0, s.1.clone())).collect();
    let departments = data.departments.clone();
    view! {
        <section class="panel" id="departments">
            <h1>{t.departments_title}</h1>
            <p class="lead">{t.departments_intro}</p>
            <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
            {saved.then(|| view! { <p class="notice" role="status">{t.board_saved}</p> })}
            {rows.into_iter().map(|(d, members, candidates)| {
                let leads = staff.clone();
                let name = d.name.clone();
                view! {
                    <article class="department" data-department=name.clone()>
                        <ActionForm action=actions.department attr:class="inline-fields">
                            <input type="hidden" name="id" value=d.id/>
                            <label>{t.department_name}" "<input name="name" required maxlength=NAME_MAX_CHARS.to_string() value=d.name.clone()/></label>
                            <label>{t.department_lead}" "
                                <select name="lead">
                                    <option value="">"–"</option>
                                    {leads.into_iter().map(|(uid, name)| view! { <option value=uid.to_string() selected=d.lead == Some(uid)>{name}</option> }).collect_view()}
                                </select>
                            </label>
                            <button type="submit">{t.board_save}</button>
                        </ActionForm>
                        <p>{t.department_members}": "
                            {members.is_empty().then_some(t.department_no_members)}
                        </p>
                        <ul class="members">
                            {members.into_iter().map(|(uid, name)| view! {
                                <li>{name}" "
                                    <ActionForm action=actions.member attr:class="inline-form">
                                        <input type="hidden" name="department" value=d.id/>
                                        <input type="hidden" name="member" value=uid/>
                                        <input type="hidden" name="on" value="0"/>
                                        <button type="submit" class="link-button">{t.department_remove_member}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                        <ActionForm action=actions.member attr:class="inline-fields">
                            <input type="hidden" name="department" value=d.id/>
                            <input type="hidden" name="on" value="1"/>
                            <label>{t.department_add_member}" "
                                <select name="member">
                                    {candidates.into_iter().map(|(uid, name)| view! { <option value=uid.to_string()>{name}</option> }).collect_view()}
                                </select>
                            </label>
                            <button type="submit">{t.department_add_button}</button>
                        </ActionForm>
                    </article>
                }
            }).collect_view()}
            <h2>{t.department_new}</h2>
            <ActionForm action=actions.department attr:class="inline-fields">
                <label>{t.department_name}" "<input name="name" required maxlength=NAME_MAX_CHARS.to_string()/></label>
                <button type="submit">{t.department_create}</button>
            </ActionForm>
        </section>
        <section class="panel" id="rules">
            <h2>{t.rules_title}</h2>
            <p class="lead">{t.rules_intro}</p>
            <ConditionLegend data=data.clone()/>
            <ActionForm action=actions.from_taxonomy attr:class="inline-form">
                <button type="submit">{t.rules_from_taxonomy}</button>
                " "<span class="meta">{t.rules_from_taxonomy_hint}</span>
            </ActionForm>
            {data.rules.iter().map(|r| view! { <RuleEditor rule=Some(r.clone()) departments=departments.clone() actions/> }).collect_view()}
            <h3>{t.rule_new}</h3>
            <RuleEditor rule=None departments=departments.clone() actions/>
        </section>
        <RuleTestPanel test=data.test.clone()/>
        <PolicyEditor data=data.clone() actions/>
    }
}

/// The fields and values conditions can use.
#[component]
fn ConditionLegend(data: RoutingAdminData) -> impl IntoView {
    let t = use_locale().texts();
    let values = move |f: Field| -> String {
        match f {
            Field::Theme => data
                .themes
                .iter()
                .map(|(k, n)| format!("{k} ({n})"))
                .collect::<Vec<_>>()
                .join(", "),
            Field::Channel => domain::survey::Channel::ALL
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            Field::Phase => domain::survey::JourneyPhase::ALL
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            Field::Survey => data.surveys.join(", "),
            Field::ScoreGroup => "detractor, passive, promoter, none".into(),
            Field::Sentiment => "negative, neutral, positive".into(),
            Field::Language => "nl, en, de, fr, …".into(),
        }
    };
    view! {
        <details class="legend">
            <summary>{t.rules_legend}</summary>
            <dl>
                {Field::ALL.into_iter().map(|f| view! { <dt><code>{f.as_str()}</code></dt><dd>{values(f)}</dd> }).collect_view()}
            </dl>
        </details>
    }
}

#[component]
fn RuleEditor(
    rule: Option<Rule>,
    departments: Vec<domain::routing::Department>,
    actions: Actions,
) -> impl IntoView {
    let t = use_locale().texts();
    let key = rule
        .as_ref()
        .map_or("new".to_string(), |r| r.id.to_string());
    let target = |n: usize| rule.as_ref().and_then(|r| r.targets.get(n).copied());
    let select = move |n: usize, name: &'static str| {
        let chosen = target(n);
        view! {
            <select name=name aria-label=format!("{} {}", t.rule_targets, n + 1)>
                <option value="">"–"</option>
                {departments.iter().map(|d| view! { <option value=d.id.to_string() selected=chosen == Some(d.id)>{d.name.clone()}</option> }).collect_view()}
            </select>
        }
    };
    let (s1, s2, s3) = (
        select.clone()(0, "target_1"),
        select.clone()(1, "target_2"),
        select(2, "target_3"),
    );
    let tools = rule.clone().map(|r| {
        let test = format!(
            "/admin/departments?test_all={}&test_any={}#test",
            crate::url::percent_encode(&conditions_text(&r.all)),
            crate::url::percent_encode(&conditions_text(&r.any))
        );
        view! {
            <ActionForm action=actions.delete attr:class="inline-form">
                <input type="hidden" name="id" value=r.id/>
                <button type="submit" class="link-button">{t.rule_delete}</button>
            </ActionForm>
            <p><a href=test>{t.rule_test}</a></p>
        }
    });
    let id_input = rule
        .as_ref()
        .map(|r| view! { <input type="hidden" name="id" value=r.id/> });
    let name = rule.as_ref().map(|r| r.name.clone()).unwrap_or_default();
    let rule_name = name.clone();
    let position = rule.as_ref().map_or(100, |r| r.position).to_string();
    let enabled = rule.as_ref().is_none_or(|r| r.enabled);
    let all_text = rule
        .as_ref()
        .map(|r| conditions_text(&r.all))
        .unwrap_or_default();
    let any_text = rule
        .as_ref()
        .map(|r| conditions_text(&r.any))
        .unwrap_or_default();
    view! {
        <div class="rule" data-rule=rule_name>
            <ActionForm action=actions.rule attr:class="rule-form">
                {id_input}
                <div class="inline-fields">
                    <label>{t.rule_name}" "<input name="name" required maxlength=NAME_MAX_CHARS.to_string() value=name/></label>
                    <label>{t.rule_position}" "<input name="position" type="number" min="0" max="10000" value=position/></label>
                    <label><input type="checkbox" name="enabled" value="on" checked=enabled/>" "{t.rule_enabled}</label>
                </div>
                <div class="field">
                    <label for=format!("all-{key}")>{t.rule_all}</label>
                    <TextArea value=all_text.clone() {..} id=format!("all-{key}") name="all" rows="3" placeholder="theme: waiting_time\nscore_group: detractor"/>
                </div>
                <div class="field">
                    <label for=format!("any-{key}")>{t.rule_any}</label>
                    <TextArea value=any_text.clone() {..} id=format!("any-{key}") name="any" rows="2" placeholder="channel: phone, chat"/>
                </div>
                <p>{t.rule_targets}": "{s1}" "{s2}" "{s3}</p>
                <button type="submit" class="primary">{t.board_save}</button>
            </ActionForm>
            {tools}
        </div>
    }
}

/// Tries conditions on recent feedback (a GET form: works without JavaScript).
#[component]
fn RuleTestPanel(test: Option<Result<domain::routing::RuleTest, AppError>>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let q = move |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    view! {
        <section class="panel" id="test">
            <h2>{t.rule_test_title}</h2>
            <form method="get" action="/admin/departments#test">
                <div class="field">
                    <label for="test-all">{t.rule_all}</label>
                    <TextArea value=q("test_all") {..} id="test-all" name="test_all" rows="3"/>
                </div>
                <div class="field">
                    <label for="test-any">{t.rule_any}</label>
                    <TextArea value=q("test_any") {..} id="test-any" name="test_any" rows="2"/>
                </div>
                <button type="submit">{t.rule_test}</button>
            </form>
            {test.map(|result| match result {
                Ok(r) => view! {
                    <p data-testid="rule-test-result" role="status">{fill(t.rule_test_result, &[("matched", &r.matched), ("sample", &r.sample)])}</p>
                    <ul>
                        {r.examples.into_iter().map(|(id, score, text)| view! {
                            <li><a href=format!("/responses/{id}")>{score.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}</a>" "{text.unwrap_or_default()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.message(locale)}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn PolicyEditor(data: RoutingAdminData, actions: Actions) -> impl IntoView {
    let t = use_locale().texts();
    let p = data.policy.clone();
    let hours = p.business_hours;
    view! {
        <section class="panel" id="policy">
            <h2>{t.policy_title}</h2>
            <p class="lead">{t.policy_intro}</p>
            <ActionForm action=actions.policy attr:class="policy-form">
                <div class="field"><label for="default-department">{t.policy_default_department}</label>
                    <select id="default-department" name="default_department">
                        <option value="">{t.policy_no_default}</option>
                        {data.departments.iter().map(|d| view! { <option value=d.id.to_string() selected=data.default_department == Some(d.id)>{d.name.clone()}</option> }).collect_view()}
                    </select></div>
                <label><input type="checkbox" name="enabled" value="on" checked=p.enabled/>" "{t.policy_enabled}</label>
                <div class="field"><label for="max-score">{t.policy_max_score}</label>
                    <input id="max-score" name="max_score" type="number" min="0" max="10" value=p.max_score.to_string()/></div>
                <div class="field"><label for="negative-themes">{t.policy_negative_themes}</label>
                    <input id="negative-themes" name="negative_themes" value=p.negative_themes.join(", ")/></div>
                <div class="field"><label for="deadline-hours">{t.policy_deadline_hours}</label>
                    <input id="deadline-hours" name="deadline_hours" type="number" min="1" max="720" value=p.deadline_hours.to_string()/></div>
                <fieldset>
                    <legend><label><input type="checkbox" name="business_hours" value="on" checked=hours.is_some()/>" "{t.policy_business_hours}</label></legend>
                    <label>{t.policy_start_hour}" "<input name="start_hour" type="number" min="0" max="23" value=hours.map_or(9, |h| h.start_hour).to_string()/></label>
                    <label>{t.policy_end_hour}" "<input name="end_hour" type="number" min="1" max="24" value=hours.map_or(17, |h| h.end_hour).to_string()/></label>
                    <label>{t.policy_utc_offset}" "<input name="utc_offset_minutes" type="number" min="-720" max="840" value=hours.map_or(60, |h| h.utc_offset_minutes).to_string()/></label>
                </fieldset>
                <button type="submit" class="primary">{t.board_save}</button>
            </ActionForm>
        </section>
    }
}
