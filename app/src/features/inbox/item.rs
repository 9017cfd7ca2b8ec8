//! `/inbox/{id}`: one routed item — the feedback, the customer's whole timeline (answers, earlier
//! cases, ideas and votes) so nobody asks them to repeat their story, the follow-up case with its
//! contact attempts and closing, the item's status, assignee, root cause and internal notes.

use super::server::*;
use crate::components::form_actions::{self, FormAction};
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::components::score_badge::score_text;
use crate::error::AppError;
use crate::features::responses::detail::sentiment_label;
use crate::i18n::{fill, LocaleTexts};
use crate::labels::Label;
use crate::survey::Channel;
use crate::use_locale;
use domain::calendar::{format_date, format_date_time};
use domain::inbox::{Case, ItemStatus, Outcome, NOTE_MAX_CHARS, ROOT_CAUSE_MAX_CHARS};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The item page's actions; the page reloads its data after each.
#[derive(Clone, Copy)]
struct Actions {
    update: ServerAction<UpdateInboxItem>,
    note: ServerAction<AddInboxNote>,
    contact: ServerAction<RecordCaseContact>,
    close: ServerAction<CloseInboxCase>,
    reply: ServerAction<ReplyToCustomer>,
}

impl Actions {
    fn all(&self) -> [&dyn FormAction; 5] {
        [
            &self.update,
            &self.note,
            &self.contact,
            &self.close,
            &self.reply,
        ]
    }

    fn version(&self) -> usize {
        form_actions::runs(&self.all())
    }

    /// The error of the latest action, if it failed.
    fn error(&self) -> Option<AppError> {
        form_actions::failure(&self.all())
    }
}

#[component]
pub fn InboxItemPage() -> impl IntoView {
    let t = use_locale().texts();
    let params = use_params_map();
    let id = move || params.read().get("id");
    let actions = Actions {
        update: ServerAction::new(),
        note: ServerAction::new(),
        contact: ServerAction::new(),
        close: ServerAction::new(),
        reply: ServerAction::new(),
    };
    let data = Resource::new(
        move || (id(), actions.version()),
        |(id, _)| get_inbox_item(id),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.inbox_item_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <ItemView data actions/> }.into_any(),
                    Err(AppError::Unauthorized) => {
                        let next = format!("/login?next=/inbox/{}", id().unwrap_or_default());
                        view! { <Redirect path=next/> }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ItemView(data: ItemData, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let posted_error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    let error = move || {
        actions
            .error()
            .or_else(|| posted_error.clone())
            .map(|e| e.message(locale))
    };
    let item = data.item.clone();
    let id = item.id;
    let channel = item
        .channel
        .as_deref()
        .and_then(Channel::parse)
        .map(|c| c.label(locale))
        .unwrap_or("–");
    let response = data.response.clone();
    let members = data.members.clone();
    let notes = data.notes.clone();
    let case = data.case.clone();
    let now = data.now;
    view! {
        <p><a href="/inbox">{t.inbox_back}</a></p>
        <section class="panel">
            <h1>{fill(t.inbox_item_heading, &[("department", &item.department)])}</h1>
            <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
            <dl class="facts">
                <dt>{t.inbox_col_received}</dt><dd>{format_date_time(item.received_at)}</dd>
                <dt>{t.inbox_col_score}</dt><dd data-testid="item-score">{item.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into())}</dd>
                <dt>{t.inbox_channel}</dt><dd>{channel}</dd>
                <dt>{t.inbox_routed_by}</dt><dd>{item.rule.clone().unwrap_or_else(|| t.inbox_default_route.to_string())}</dd>
                {response.as_ref().and_then(|r| r.sentiment.clone()).map(|s| view! {
                    <dt>{t.inbox_sentiment}</dt><dd>{sentiment_label(&s, locale)}</dd>
                })}
                {response.as_ref().filter(|r| !r.themes.is_empty()).map(|r| view! {
                    <dt>{t.inbox_themes}</dt>
                    <dd>{r.themes.iter().map(|th| th.name.clone()).collect::<Vec<_>>().join(", ")}</dd>
                })}
            </dl>
            <blockquote class="verbatim" data-testid="item-text">{item.text.clone().unwrap_or_else(|| t.inbox_no_text.to_string())}</blockquote>
            {item.response_id.map(|r| view! { <p><a href=format!("/responses/{r}")>{t.inbox_open_response}</a></p> })}
            {data.idea.clone().map(|(title, href)| view! { <p>{t.inbox_idea}" "<a href=href>{title}</a></p> })}
            <p><a href=format!("/actions?item={id}#new") data-testid="item-action">{t.action_from_item}</a></p>
        </section>
        {case.map(|case| view! { <CasePanel case item_id=id now reachable=data.reachable actions/> })}
        <section class="panel" id="work">
            <h2>{t.inbox_work_heading}</h2>
            <ActionForm action=actions.update attr:class="inline-fields">
                <input type="hidden" name="id" value=id/>
                <label>{t.inbox_status}" "
                    <select name="status">
                        {ItemStatus::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=s == item.status>{s.label(locale)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.inbox_col_assignee}" "
                    <select name="assignee">
                        <option value="">{t.inbox_nobody}</option>
                        {members.into_iter().map(|(uid, name)| view! {
                            <option value=uid.to_string() selected=item.assignee.as_ref().is_some_and(|a| a.0 == uid)>{name}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{t.inbox_root_cause}" "
                    <input name="root_cause" maxlength=ROOT_CAUSE_MAX_CHARS.to_string() value=item.root_cause.clone().unwrap_or_default()/>
                </label>
                <button type="submit">{t.inbox_save}</button>
            </ActionForm>
        </section>
        <section class="panel" id="notes">
            <h2>{t.inbox_notes_heading}</h2>
            <p class="meta">{t.inbox_notes_internal}</p>
            <ol class="notes">
                {notes.into_iter().map(|n| view! {
                    <li><p class="meta"><strong>{n.author.clone()}</strong>" · "{format_date_time(n.at)}</p><p>{n.body.clone()}</p></li>
                }).collect_view()}
            </ol>
            <ActionForm action=actions.note>
                <input type="hidden" name="id" value=id/>
                <div class="field">
                    <label for="note-body">{t.inbox_note_label}</label>
                    <TextArea value=String::new() {..} id="note-body" name="body" rows="3" required=true maxlength=NOTE_MAX_CHARS.to_string()/>
                </div>
                <button type="submit">{t.inbox_note_add}</button>
            </ActionForm>
        </section>
        <CustomerTimeline data/>
    }
}

#[component]
fn CasePanel(
    case: Case,
    item_id: i64,
    now: i64,
    reachable: bool,
    actions: Actions,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let open = case.closed_at.is_none();
    view! {
        <section class="panel case" id="case" class:overdue=case.overdue(now)>
            <h2>{t.case_heading}</h2>
            <p data-testid="case-state">
                {match (case.closed_at, case.outcome) {
                    (Some(at), Some(o)) => fill(t.case_closed_with, &[("outcome", &o.label(locale)), ("date", &format_date_time(at))]),
                    _ => fill(t.case_due, &[("deadline", &format_date_time(case.deadline_at))]),
                }}
                {case.escalated_at.map(|_| view! { " " <span class="badge overdue">{t.case_escalated}</span> })}
                {case.followup_score.map(|s| view! { " · " <span data-testid="followup-score">{fill(t.case_followup_answer, &[("score", &s)])}</span> })}
                {(case.followup_sent_at.is_some() && case.followup_score.is_none()).then(|| view! { " · "{t.case_followup_waiting} })}
                {case.overdue(now).then(|| view! { " " <span class="badge overdue">{t.case_overdue}</span> })}
            </p>
            <h3>{t.case_contacts_heading}</h3>
            {case.contacts.is_empty().then(|| view! { <p>{t.case_no_contacts}</p> })}
            <ol class="contacts">
                {case.contacts.iter().map(|c| view! {
                    <li>
                        {format_date_time(c.at)}" · "{c.by.clone()}" · "
                        {match c.channel { domain::inbox::ContactChannel::Phone => t.case_by_phone, _ => t.case_by_email }}" · "
                        {if c.reached { t.case_reached } else { t.case_not_reached }}
                        {(!c.note.is_empty()).then(|| view! { <p>{c.note.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
            {(open && reachable).then(|| view! {
                <ActionForm action=actions.reply attr:class="case-reply">
                    <input type="hidden" name="id" value=item_id/>
                    <div class="field">
                        <label for="reply-text">{t.case_reply_label}</label>
                        <TextArea value=String::new() {..} id="reply-text" name="text" rows="4" required=true maxlength=NOTE_MAX_CHARS.to_string()/>
                        <p class="hint">{t.case_reply_hint}</p>
                    </div>
                    <button type="submit">{t.case_reply_button}</button>
                </ActionForm>
            })}
            {open.then(|| view! {
                <ActionForm action=actions.contact attr:class="case-contact">
                    <input type="hidden" name="id" value=item_id/>
                    <fieldset>
                        <legend>{t.case_record_contact}</legend>
                        <label>{t.inbox_channel}" "
                            <select name="channel">
                                <option value="phone">{t.case_by_phone}</option>
                                <option value="email">{t.case_by_email}</option>
                            </select>
                        </label>
                        <label><input type="checkbox" name="reached" value="1"/>" "{t.case_reached}</label>
                        <div class="field">
                            <label for="contact-note">{t.case_contact_note}</label>
                            <TextArea value=String::new() {..} id="contact-note" name="note" rows="2" maxlength=NOTE_MAX_CHARS.to_string()/>
                        </div>
                        <button type="submit">{t.case_record_button}</button>
                    </fieldset>
                </ActionForm>
                <ActionForm action=actions.close attr:class="case-close">
                    <input type="hidden" name="id" value=item_id/>
                    <fieldset>
                        <legend>{t.case_close_heading}</legend>
                        <p class="meta">{t.case_close_hint}</p>
                        <label>{t.case_outcome}" "
                            <select name="outcome">
                                <option value="">"–"</option>
                                {Outcome::ALL.into_iter().map(|o| view! { <option value=o.as_str()>{o.label(locale)}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>{t.inbox_root_cause}" "<input name="root_cause" maxlength=ROOT_CAUSE_MAX_CHARS.to_string()/></label>
                        {reachable.then(|| view! {
                            <label><input type="checkbox" name="ask" value="1" checked=true/>" "{t.case_ask_followup}</label>
                        })}
                        <button type="submit" class="primary">{t.case_close_button}</button>
                    </fieldset>
                </ActionForm>
            })}
        </section>
    }
}

/// Everything the customer told or did before, on every channel.
#[component]
fn CustomerTimeline(data: ItemData) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let empty = data.timeline.is_empty() && data.cases.is_empty() && data.contributions.is_empty();
    view! {
        <section class="panel" id="timeline" data-testid="timeline">
            <h2>{t.timeline_heading}</h2>
            {empty.then(|| view! { <p>{t.inbox_timeline_empty}</p> })}
            <ul class="timeline">
                {data.timeline.into_iter().map(|v| view! {
                    <li data-kind="response">
                        <span class="meta">{format_date(v.created_at)}" · "{v.survey_title(locale).to_string()}" · "
                            {v.channel.as_deref().and_then(Channel::parse).map(|c| c.label(locale)).unwrap_or("–")}" · "</span>
                        <a href=format!("/responses/{}", v.id)>{score_text(v.score, v.rating)}</a>
                        {v.reason.map(|r| view! { " “"{r}"”" })}
                    </li>
                }).collect_view()}
                {data.cases.into_iter().map(|c| view! {
                    <li data-kind="case">
                        <span class="meta">{format_date(c.opened_at)}" · "{t.case_heading}" · "{c.department.clone()}" · "</span>
                        <a href=format!("/inbox/{}", c.item_id)>{match c.outcome { Some(o) => o.label(locale), None => t.case_open }}</a>
                        {c.root_cause.map(|r| view! { " ("{r}")" })}
                    </li>
                }).collect_view()}
                <crate::features::ideas::lists::ContributionItems list=data.contributions/>
            </ul>
        </section>
    }
}
