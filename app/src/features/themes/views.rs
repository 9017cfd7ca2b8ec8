//! The theme taxonomy: the list with retagging progress and emerging topics (managers and
//! admins), and the theme editor (admins).
//!
//! Saving or deleting a theme stores a new taxonomy version, puts it in force at once and wakes
//! the background retagger; the overview shows its progress (live when hydrated).

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::model::{EmergingTopic, RetagStatus};
use crate::taxonomy::{Theme, TERM_LANGUAGES};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ThemesPage() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let days = move || query.with(|q| q.get("days").and_then(|d| d.parse::<u32>().ok()));
    let data = Resource::new(days, get_themes_overview);
    view! {
        <PageTitle text=format!("{} · {}", t.themes_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <ThemesOverviewView data=d/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/themes"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ThemesOverviewView(data: ThemesOverview) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let notice = query.with_untracked(|q| {
        if q.get("saved").is_some() {
            Some(t.saved_retagging)
        } else if q.get("deleted").is_some() {
            Some(t.deleted_retagging)
        } else {
            None
        }
    });
    let can_edit = data.can_edit;
    let days = data.days;
    view! {
        <section class="themes">
            <h1>{t.themes_title}</h1>
            <p class="lead">{t.themes_intro}</p>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            <RetagProgress initial=data.status/>
            {if can_edit {
                view! { <p><a class="button primary" href="/admin/themes/new">{t.new_theme}</a></p> }.into_any()
            } else {
                view! { <p class="hint">{t.admins_edit_only}</p> }.into_any()
            }}
            <table class="data-table themes-table" data-testid="themes">
                <thead>
                    <tr>
                        <th scope="col">{t.theme}</th>
                        <th scope="col">{t.department}</th>
                        <th scope="col">{t.keywords}</th>
                        {can_edit.then(|| view! { <th scope="col"><span class="visually-hidden">{t.edit}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {data.themes.into_iter().map(|theme| {
                        let sample: Vec<String> = TERM_LANGUAGES.iter().filter_map(|l| {
                            theme.terms_for(l).filter(|terms| !terms.keywords.is_empty()).map(|terms| {
                                let shown: Vec<&str> = terms.keywords.iter().take(6).map(String::as_str).collect();
                                let more = terms.keywords.len().saturating_sub(6);
                                let more = if more > 0 { format!(" +{more}") } else { String::new() };
                                format!("{}: {}{}", l, shown.join(", "), more)
                            })
                        }).collect();
                        let edit_href = format!("/admin/themes/{}", theme.key);
                        view! {
                            <tr data-theme=theme.key.clone()>
                                <th scope="row">{theme.name(locale).to_string()}<br/><code class="hint">{theme.key.clone()}</code></th>
                                <td>{theme.department.clone().unwrap_or_default()}</td>
                                <td class="keywords">{sample.into_iter().map(|s| view! { <div>{s}</div> }).collect_view()}</td>
                                {can_edit.then(|| view! { <td><a href=edit_href>{t.edit}</a></td> })}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>

            <h2 id="emerging">{t.emerging_title}</h2>
            <p class="hint">{t.emerging_intro}</p>
            <form method="get" action="/admin/themes" class="inline-form period-form">
                <label for="days">{t.period}</label>
                <select id="days" name="days">
                    {PERIODS.into_iter().map(|d| view! {
                        <option value=d.to_string() selected=d == days>{t.last_days.replace("{}", &d.to_string())}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{t.show}</button>
            </form>
            {if data.emerging.is_empty() {
                view! { <p class="empty">{t.no_emerging}</p> }.into_any()
            } else {
                view! { <EmergingTable topics=data.emerging/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn EmergingTable(topics: Vec<EmergingTopic>) -> impl IntoView {
    let t = use_locale().texts();
    let max = topics.iter().map(|t| t.count).max().unwrap_or(1).max(1);
    view! {
        <table class="data-table emerging" data-testid="emerging">
            <thead>
                <tr>
                    <th scope="col">{t.topic}</th>
                    <th scope="col">{t.language}</th>
                    <th scope="col">{t.count}</th>
                    <th scope="col">{t.previous_period}</th>
                    <th scope="col">{t.rise}</th>
                </tr>
            </thead>
            <tbody>
                {topics.into_iter().map(|topic| {
                    let width = format!("{:.0}", 100.0 * f64::from(topic.count) / f64::from(max));
                    let rise = match topic.rise {
                        Some(r) => format!("× {r:.1}"),
                        None => t.new_topic.to_string(),
                    };
                    view! {
                        <tr>
                            <th scope="row">{topic.label}</th>
                            <td class="lang-tag">{topic.language}</td>
                            <td class="bar-cell">
                                <svg class="inline-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
                                    <rect width=width height="8" rx="2"/>
                                </svg>
                                <span>{topic.count}</span>
                            </td>
                            <td>{topic.previous}</td>
                            <td>{rise}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The retagging progress bar. Rendered on the server with the status at page load; in the
/// browser it polls the status every second while retagging runs.
#[component]
fn RetagProgress(initial: RetagStatus) -> impl IntoView {
    let t = use_locale().texts();
    let status = RwSignal::new(initial);
    crate::components::layout::poll_while(status, RetagStatus::running, |_| get_retag_status());
    view! {
        <div class="retag" data-testid="retag" data-running=move || status.get().running().to_string()>
            {move || {
                let s = status.get();
                if s.running() {
                    let done = s.total - s.pending.min(s.total);
                    view! {
                        <label for="retag-progress">{format!("{} ({} {})", t.retag_progress, t.version, s.version)}</label>
                        <progress id="retag-progress" max=s.total.to_string() value=done.to_string()>{format!("{:.0}%", s.percent())}</progress>
                        <span class="retag-count" role="status">{format!("{done} / {} ({:.0}%)", s.total, s.percent())}</span>
                        <a href="/admin/themes" rel="external" class="noscript-only">{t.refresh}</a>
                    }.into_any()
                } else {
                    view! {
                        <p class="ok" role="status">{format!("{} ({} {}, {} {})", t.retag_done, t.version, s.version, s.total, t.responses.to_lowercase())}</p>
                    }.into_any()
                }
            }}
        </div>
    }
}

#[component]
pub fn ThemeEditPage() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let key = move || params.read().get("key");
    let form = Resource::new(key, get_theme_form);
    view! {
        <PageTitle text=format!("{} · {}", t.edit_theme, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(f) => view! { <ThemeEditor form=f/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/themes"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ThemeEditor(form: ThemeForm) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let save = ServerAction::<SaveTheme>::new();
    let delete = ServerAction::<DeleteTheme>::new();
    let url_error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    let error = Signal::derive(move || match (save.value().get(), delete.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e),
        _ => url_error.clone(),
    });
    let is_new = form.theme.is_none();
    let theme = form.theme.unwrap_or(Theme {
        key: String::new(),
        name_nl: String::new(),
        name_en: String::new(),
        department: None,
        terms: Vec::new(),
    });
    let terms: Vec<(&'static str, String, String)> = TERM_LANGUAGES
        .into_iter()
        .map(|l| {
            let (kw, ex) = theme
                .terms_for(l)
                .map(|terms| (terms.keywords.join("\n"), terms.exclusions.join("\n")))
                .unwrap_or_default();
            (l, kw, ex)
        })
        .collect();
    // After a failed plain-HTML save the form shows what was sent, not what is stored.
    let echoed = query.with_untracked(|q| q.get("echo").is_some());
    let sent = move |name: &str, stored: String| {
        if echoed {
            query.with_untracked(|q| q.get(name)).unwrap_or_default()
        } else {
            stored
        }
    };
    let terms: Vec<(&'static str, String, String)> = terms
        .into_iter()
        .map(|(l, kw, ex)| {
            (
                l,
                sent(&format!("keywords_{l}"), kw),
                sent(&format!("exclusions_{l}"), ex),
            )
        })
        .collect();
    let version = form.version.to_string();
    let delete_version = version.clone();
    let suggest_version = version.clone();
    let suggest_key = theme.key.clone();
    let suggestions = form.suggestions;
    let model = form.model.map(|m| theme_model_text(&m, locale));
    let delete_key = theme.key.clone();
    let original_key = if is_new {
        String::new()
    } else {
        theme.key.clone()
    };
    let key = if is_new {
        sent("key", String::new())
    } else {
        theme.key.clone()
    };
    let name_nl = sent("name_nl", theme.name_nl.clone());
    let name_en = sent("name_en", theme.name_en.clone());
    let department = sent("department", theme.department.clone().unwrap_or_default());
    let title = if is_new {
        t.new_theme.to_string()
    } else {
        format!("{}: {}", t.edit_theme, theme.name(locale))
    };
    let pending = save.pending();
    view! {
        <section class="panel theme-editor">
            <h1>{title}</h1>
            <div class="error-summary" role="alert" aria-live="assertive">
                {move || error.get().map(|e| view! { <p>{e.message(locale)}</p> })}
            </div>
            <ActionForm action=save attr:class="theme-form">
                <input type="hidden" name="version" value=version/>
                <input type="hidden" name="original_key" value=original_key/>
                <div class="field">
                    <label for="theme-key">{t.theme_key}</label>
                    <p class="hint" id="theme-key-hint">{t.theme_key_hint}</p>
                    <input id="theme-key" name="key" required maxlength="40" pattern="[a-z][a-z0-9_]*"
                        value=key readonly=!is_new aria-describedby="theme-key-hint"/>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="name-nl">{t.name_nl}</label>
                        <input id="name-nl" name="name_nl" required maxlength="80" value=name_nl/>
                    </div>
                    <div class="field">
                        <label for="name-en">{t.name_en}</label>
                        <input id="name-en" name="name_en" required maxlength="80" value=name_en/>
                    </div>
                </div>
                <div class="field">
                    <label for="department">{t.department}</label>
                    <input id="department" name="department" maxlength="80" value=department/>
                </div>
                <p class="hint">{t.keywords_hint}</p>
                <p class="hint">{t.exclusions_hint}</p>
                {terms.into_iter().map(|(l, kw, ex)| {
                    let kw_id = format!("keywords-{l}");
                    let ex_id = format!("exclusions-{l}");
                    view! {
                        <fieldset class="terms">
                            <legend>{l.to_uppercase()}</legend>
                            <div class="field-row">
                                <div class="field">
                                    <label for=kw_id.clone()>{format!("{} ({l})", t.keywords)}</label>
                                    <TextArea value={kw} {..} id=kw_id name=format!("keywords_{l}") rows="6" lang=l/>
                                </div>
                                <div class="field">
                                    <label for=ex_id.clone()>{format!("{} ({l})", t.exclusions)}</label>
                                    <TextArea value={ex} {..} id=ex_id name=format!("exclusions_{l}") rows="6" lang=l/>
                                </div>
                            </div>
                        </fieldset>
                    }
                }).collect_view()}
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || pending.get()>{t.save}</button>
                    <a href="/admin/themes">{t.cancel}</a>
                </div>
            </ActionForm>
            {(!is_new).then(|| view! {
                <ActionForm action=delete attr:class="delete-form">
                    <input type="hidden" name="version" value=delete_version/>
                    <input type="hidden" name="key" value=delete_key/>
                    <button type="submit" class="danger">{t.delete_theme}</button>
                </ActionForm>
            })}
            {model.map(|text| view! {
                <h2>{t.theme_model_title}</h2>
                <p data-testid="theme-model">{text}</p>
            })}
            {(!suggestions.is_empty()).then(|| view! {
                <h2>{t.keyword_suggestions}</h2>
                <p class="hint">{t.keyword_suggestions_hint}</p>
                <ul class="keyword-suggestions" data-testid="keyword-suggestions">
                    {suggestions.into_iter().map(|s| view! {
                        <li>
                            // A plain post: the page comes back with the new version.
                            <form method="post" action="/api/themes/keyword" class="inline-form">
                                <input type="hidden" name="version" value=suggest_version.clone()/>
                                <input type="hidden" name="key" value=suggest_key.clone()/>
                                <input type="hidden" name="language" value=s.language.clone()/>
                                <input type="hidden" name="word" value=s.word.clone()/>
                                <strong>{s.word.clone()}</strong>
                                " (" {s.language.to_uppercase()} ") "
                                <span class="hint">{fill(t.keyword_suggestion_counts, &[
                                    ("in", &s.in_theme),
                                    ("of", &s.theme_texts),
                                    ("elsewhere", &s.elsewhere),
                                    ("others", &s.other_texts),
                                ])}</span>
                                " "
                                <button type="submit">{t.keyword_accept}</button>
                            </form>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// How a theme's learned model does against its keywords, in a sentence.
fn theme_model_text(m: &domain::labels::ThemeModelReport, locale: crate::i18n::Locale) -> String {
    let t = locale.texts();
    let percent = |f: f64| format!("{:.0}", f * 100.0);
    fill(
        if m.in_force {
            t.theme_model_in_force
        } else {
            t.theme_model_not_better
        },
        &[
            ("learned", &percent(m.learned_f1)),
            ("keywords", &percent(m.keywords_f1)),
            ("held_out", &m.held_out),
            ("trained_on", &m.trained_on),
            ("positives", &m.positives),
        ],
    )
}
