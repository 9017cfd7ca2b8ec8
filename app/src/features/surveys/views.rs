//! Surveys (managers, admins): the list with open / close / archive / duplicate, and the editor
//! for everything a survey says in Dutch and English (title, introduction, the follow-up
//! question per score group, thank-you text) and the sites that may embed it.
//!
//! Editing only changes texts; the NPS question and the stored answers stay as they are, so
//! responses given before an edit keep their meaning.

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::labels::Label;
use crate::model::{Survey, SurveyTexts};
use crate::questions::{Question, QuestionKind};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn SurveysRoute() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let change = ServerAction::<ChangeSurvey>::new();
    let surveys = Resource::new(move || change.version().get(), |_| list_all_surveys());
    let saved = query.with_untracked(|q| q.get("saved"));
    view! {
        <PageTitle text=format!("{} · {}", t.surveys_title, t.app_name)/>
        <section class="panel surveys-admin">
            <h1>{t.surveys_title}</h1>
            {saved.map(|s| view! { <p class="notice ok" role="status">{format!("{} {s}", t.survey_saved)}</p> })}
            <p><a class="button primary" href="/admin/surveys/new">{t.new_survey}</a></p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match surveys.await {
                        Ok(list) => view! {
                            <table class="data-table surveys" data-testid="surveys">
                                <thead><tr>
                                    <th scope="col">{t.survey}</th><th scope="col">{t.import_status}</th><th scope="col"><span class="visually-hidden">{t.edit}</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|s| {
                                        let status = if s.archived { t.survey_archived } else if s.open { t.survey_open } else { t.survey_closed_state };
                                        let actions: Vec<(&'static str, &'static str)> = if s.archived {
                                            vec![("restore", t.survey_restore), ("duplicate", t.survey_duplicate)]
                                        } else if s.open {
                                            vec![("close", t.survey_close), ("archive", t.survey_archive), ("duplicate", t.survey_duplicate)]
                                        } else {
                                            vec![("open", t.survey_open_action), ("archive", t.survey_archive), ("duplicate", t.survey_duplicate)]
                                        };
                                        let slug = s.slug.clone();
                                        view! {
                                            <tr data-survey=s.slug.clone() data-archived=s.archived.to_string()>
                                                <th scope="row">
                                                    <a href=format!("/admin/surveys/{}", s.slug)>{s.title(locale).to_string()}</a>
                                                    <br/><a class="hint" href=format!("/s/{}", s.slug)>{format!("/s/{}", s.slug)}</a>
                                                </th>
                                                <td>{status}</td>
                                                <td class="row-actions">
                                                    {actions.into_iter().map(|(action, label)| {
                                                        let (slug, aria) = (slug.clone(), format!("{label}: {slug}"));
                                                        view! {
                                                            <ActionForm action=change attr:class="inline-form">
                                                                <input type="hidden" name="slug" value=slug/>
                                                                <input type="hidden" name="action" value=action/>
                                                                <button type="submit" aria-label=aria>{label}</button>
                                                            </ActionForm>
                                                        }
                                                    }).collect_view()}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/surveys"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn SurveyEditRoute() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let changes = use_context::<QuestionActions>().unwrap_or_else(QuestionActions::new);
    provide_context(changes);
    let data = Resource::new(
        move || (params.read().get("slug"), changes.version()),
        |(slug, _)| get_survey_editor(slug),
    );
    let is_existing = move || {
        params
            .read_untracked()
            .get("slug")
            .is_some_and(|s| s != "new")
    };
    view! {
        <PageTitle text=format!("{} · {}", t.surveys_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((survey, base, questions)) => view! {
                        <SurveyEditor survey base/>
                        {(!questions.is_empty() || is_existing()).then(|| view! { <QuestionsEditor slug=params.read_untracked().get("slug").unwrap_or_default() questions/> })}
                    }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/surveys"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SurveyEditor(survey: Option<Survey>, base: String) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let save = ServerAction::<SaveSurvey>::new();
    let url_error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c))
        // The question editor shows its own errors, beside the questions.
        .filter(|e| !matches!(e, AppError::InvalidQuestion(_)));
    let error = move || match save.value().get() {
        Some(Err(e)) => Some(e.message(locale)),
        _ => url_error.as_ref().map(|e| e.message(locale)),
    };
    let is_new = survey.is_none();
    let s = survey.unwrap_or(Survey {
        id: 0,
        slug: String::new(),
        title_nl: String::new(),
        title_en: String::new(),
        open: false,
        created_at: 0,
        archived: false,
        texts: SurveyTexts::default(),
        embed_origins: Vec::new(),
    });
    let heading = if is_new {
        t.new_survey.to_string()
    } else {
        format!("{}: {}", t.edit, s.title(locale))
    };
    let pair = move |label: &'static str,
                     name: &'static str,
                     nl: String,
                     en: String,
                     multiline: bool| {
        let (id_nl, id_en) = (format!("{name}-nl"), format!("{name}-en"));
        view! {
            <fieldset class="terms">
                <legend>{label}</legend>
                <div class="field-row">
                    <div class="field">
                        <label for=id_nl.clone()>{format!("{label} (NL)")}</label>
                        {if multiline {
                            view! { <TextArea value={nl} {..} id=id_nl name=format!("{name}_nl") rows="3" lang="nl" maxlength="1000"/> }.into_any()
                        } else {
                            view! { <input id=id_nl name=format!("{name}_nl") lang="nl" maxlength="120" value=nl/> }.into_any()
                        }}
                    </div>
                    <div class="field">
                        <label for=id_en.clone()>{format!("{label} (EN)")}</label>
                        {if multiline {
                            view! { <TextArea value={en} {..} id=id_en name=format!("{name}_en") rows="3" lang="en" maxlength="1000"/> }.into_any()
                        } else {
                            view! { <input id=id_en name=format!("{name}_en") lang="en" maxlength="120" value=en/> }.into_any()
                        }}
                    </div>
                </div>
            </fieldset>
        }
    };
    let x = s.texts.clone();
    view! {
        <section class="panel survey-editor">
            <p><a href="/admin/surveys">{t.surveys_title}</a></p>
            <h1>{heading}</h1>
            <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
            <ActionForm action=save attr:class="survey-edit-form">
                <input type="hidden" name="original_slug" value=if is_new { String::new() } else { s.slug.clone() }/>
                <div class="field">
                    <label for="survey-slug">{t.survey_slug}</label>
                    <p class="hint" id="survey-slug-hint">{t.survey_slug_hint}</p>
                    <input id="survey-slug" name="slug" required maxlength="64" pattern="[a-z0-9][a-z0-9\\-]*[a-z0-9]|[a-z0-9]"
                        value=s.slug.clone() readonly=!is_new aria-describedby="survey-slug-hint"/>
                </div>
                {pair(t.survey_title_label, "title", s.title_nl.clone(), s.title_en.clone(), false)}
                {pair(t.survey_intro, "intro", x.intro_nl.clone(), x.intro_en.clone(), true)}
                <p class="hint">{t.survey_followup_hint}</p>
                {pair(t.survey_followup_detractor, "followup_detractor", x.followup_detractor_nl.clone(), x.followup_detractor_en.clone(), false)}
                {pair(t.survey_followup_passive, "followup_passive", x.followup_passive_nl.clone(), x.followup_passive_en.clone(), false)}
                {pair(t.survey_followup_promoter, "followup_promoter", x.followup_promoter_nl.clone(), x.followup_promoter_en.clone(), false)}
                {pair(t.survey_thanks, "thanks", x.thanks_nl.clone(), x.thanks_en.clone(), true)}
                <div class="field">
                    <label for="embed-origins">{t.survey_embed_origins}</label>
                    <p class="hint" id="embed-hint">{t.survey_embed_hint}</p>
                    <TextArea value={s.embed_origins.join("\n")} {..} id="embed-origins" name="embed_origins" rows="3" aria-describedby="embed-hint"/>
                </div>
                {(!is_new && !s.embed_origins.is_empty()).then(|| {
                    let snippet = format!(
                        "<script src=\"{base}/embed.js\" data-survey=\"{}\" data-channel=\"web\" async></script>",
                        s.slug
                    );
                    // Without scripts on the host page: the iframe itself.
                    let iframe = format!(
                        "<iframe src=\"{base}/s/{}?embed=1&amp;ch=web\" title=\"{}\" style=\"width:100%;max-width:40rem;min-height:44rem;border:0\" loading=\"lazy\"></iframe>",
                        s.slug,
                        s.title(locale).replace('"', "&quot;")
                    );
                    view! {
                        <div class="field">
                            <label for="embed-snippet">{t.survey_embed_snippet}</label>
                            <TextArea value={snippet} {..} id="embed-snippet" class="snippet" readonly=true rows="2"/>
                        </div>
                        <div class="field">
                            <label for="embed-iframe">{t.survey_embed_iframe}</label>
                            <TextArea value={iframe} {..} id="embed-iframe" class="snippet" readonly=true rows="3"/>
                        </div>
                    }
                })}
                <div class="actions">
                    <button type="submit" class="primary">{t.save}</button>
                    <a href="/admin/surveys">{t.cancel}</a>
                </div>
            </ActionForm>
        </section>
    }
}

/// The actions of the question editor; the editor page reloads after each.
#[derive(Clone, Copy)]
pub struct QuestionActions {
    pub add: ServerAction<AddQuestion>,
    pub change: ServerAction<ChangeQuestion>,
    pub update: ServerAction<UpdateQuestion>,
}

impl QuestionActions {
    fn new() -> Self {
        QuestionActions {
            add: ServerAction::new(),
            change: ServerAction::new(),
            update: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.add.version().get() + self.change.version().get() + self.update.version().get()
    }
}

#[component]
fn QuestionsEditor(slug: String, questions: Vec<Question>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let actions = use_context::<QuestionActions>().unwrap_or_else(QuestionActions::new);
    let query = use_query_map();
    // What went wrong with the last question saved: from the action, or (without JavaScript)
    // from the code in the URL.
    let problem = move || {
        [actions.add.value().get(), actions.update.value().get()]
            .into_iter()
            .find_map(|v| v.and_then(Result::err))
            .or_else(|| {
                query
                    .with(|q| q.get("error"))
                    .and_then(|c| crate::questions::QuestionEditError::from_code(&c))
                    .map(AppError::InvalidQuestion)
            })
            .map(|e| e.message(locale))
    };
    let count = questions.len();
    view! {
        <section class="panel questions-editor" data-testid="questions">
            <h2>{t.questions_title}</h2>
            <p class="hint">{t.questions_hint}</p>
            <ol class="question-list">
                {questions.into_iter().enumerate().map(|(i, q)| {
                    let slug = slug.clone();
                    let edit_slug = slug.clone();
                    let id = q.id.to_string();
                    let button = move |action: &'static str, label: &'static str, enabled: bool| {
                        let (slug, id) = (slug.clone(), id.clone());
                        view! {
                            <ActionForm action=actions.change attr:class="inline-form">
                                <input type="hidden" name="slug" value=slug/>
                                <input type="hidden" name="id" value=id/>
                                <input type="hidden" name="action" value=action/>
                                <button type="submit" disabled=!enabled>{label}</button>
                            </ActionForm>
                        }
                    };
                    view! {
                        <li data-retired=q.retired.to_string()>
                            <strong>{q.label(locale).to_string()}</strong>
                            <span class="hint">{format!(" · {}{}", q.kind.label(locale), if q.required { " · *" } else { "" })}</span>
                            {q.retired.then(|| view! { <span class="badge">{t.question_retired}</span> })}
                            {(!q.options(locale).is_empty()).then(|| view! { <div class="hint">{q.options(locale).join(" / ")}</div> })}
                            {(!q.retired).then(|| {
                                let q = q.clone();
                                view! {
                                    <details class="question-edit">
                                        <summary>{t.edit}</summary>
                                        <ActionForm action=actions.update attr:class="question-form">
                                            <input type="hidden" name="slug" value=edit_slug.clone()/>
                                            <input type="hidden" name="id" value=q.id.to_string()/>
                                            <div class="field-row">
                                                <div class="field">
                                                    <label for=format!("q{}-label-nl", q.id)>{format!("{} (NL)", t.question_label)}</label>
                                                    <input id=format!("q{}-label-nl", q.id) name="label_nl" maxlength="300" value=q.texts.label_nl.clone()/>
                                                </div>
                                                <div class="field">
                                                    <label for=format!("q{}-label-en", q.id)>{format!("{} (EN)", t.question_label)}</label>
                                                    <input id=format!("q{}-label-en", q.id) name="label_en" maxlength="300" value=q.texts.label_en.clone()/>
                                                </div>
                                            </div>
                                            {q.kind.has_options().then(|| view! {
                                                <div class="field-row">
                                                    <div class="field">
                                                        <label for=format!("q{}-options-nl", q.id)>{format!("{} (NL)", t.question_options)}</label>
                                                        <TextArea value={q.texts.options_nl.join("\n")} {..} id=format!("q{}-options-nl", q.id) name="options_nl" rows="4"/>
                                                    </div>
                                                    <div class="field">
                                                        <label for=format!("q{}-options-en", q.id)>{format!("{} (EN)", t.question_options)}</label>
                                                        <TextArea value={q.texts.options_en.join("\n")} {..} id=format!("q{}-options-en", q.id) name="options_en" rows="4"/>
                                                    </div>
                                                </div>
                                            })}
                                            <div class="field checkbox">
                                                <input id=format!("q{}-required", q.id) name="required" type="checkbox" value="yes" checked=q.required/>
                                                <label for=format!("q{}-required", q.id)>{t.question_required}</label>
                                            </div>
                                            <button type="submit">{t.save}</button>
                                        </ActionForm>
                                    </details>
                                }
                            })}
                            <div class="row-actions">
                                {button("up", "↑", i > 0)}
                                {button("down", "↓", i + 1 < count)}
                                {(!q.retired).then(|| button("remove", t.remove, true))}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {move || problem().map(|m| view! { <div class="error-summary" role="alert" data-testid="question-error"><p>{m}</p></div> })}
            <h3>{t.question_add}</h3>
            <ActionForm action=actions.add attr:class="question-form">
                <input type="hidden" name="slug" value=slug.clone()/>
                <div class="field-row">
                    <div class="field">
                        <label for="question-kind">{t.question_kind}</label>
                        <select id="question-kind" name="kind">
                            {QuestionKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label(locale)}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field checkbox">
                        <input id="question-required" name="required" type="checkbox" value="yes"/>
                        <label for="question-required">{t.question_required}</label>
                    </div>
                </div>
                <div class="field-row">
                    <div class="field">
                        <label for="question-label-nl">{format!("{} (NL)", t.question_label)}</label>
                        <input id="question-label-nl" name="label_nl" maxlength="300"/>
                    </div>
                    <div class="field">
                        <label for="question-label-en">{format!("{} (EN)", t.question_label)}</label>
                        <input id="question-label-en" name="label_en" maxlength="300"/>
                    </div>
                </div>
                <p class="hint">{t.question_options_hint}</p>
                <div class="field-row">
                    <div class="field">
                        <label for="question-options-nl">{format!("{} (NL)", t.question_options)}</label>
                        <TextArea {..} id="question-options-nl" name="options_nl" rows="4"/>
                    </div>
                    <div class="field">
                        <label for="question-options-en">{format!("{} (EN)", t.question_options)}</label>
                        <TextArea {..} id="question-options-en" name="options_en" rows="4"/>
                    </div>
                </div>
                <button type="submit" class="primary">{t.question_add}</button>
            </ActionForm>
        </section>
    }
}
