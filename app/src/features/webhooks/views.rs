//! `/admin/webhooks`: the webhooks, the form to add or change one (with its signing secret and a
//! test event), and the delivery log, which `/admin/outbox` shows too.

use super::server::*;
use crate::components::form_actions::{self, FormAction};
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::{fill, LocaleTexts};
use crate::use_locale;
use domain::calendar::format_date_time;
use domain::routing::conditions_text;
use domain::webhook::{DeliveryLine, EventKind, Webhook, NAME_MAX_CHARS, URL_MAX_CHARS};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveWebhook>,
    delete: ServerAction<DeleteWebhook>,
    ping: ServerAction<PingWebhook>,
}

impl Actions {
    fn all(&self) -> [&dyn FormAction; 3] {
        [&self.save, &self.delete, &self.ping]
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let actions = Actions {
        save: ServerAction::new(),
        delete: ServerAction::new(),
        ping: ServerAction::new(),
    };
    let data = Resource::new(
        move || (query.read().get("edit"), form_actions::runs(&actions.all())),
        |(edit, _)| get_webhooks(edit),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.webhooks_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <WebhooksView data actions/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/webhooks"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn event_label(kind: EventKind, t: &crate::i18n::Texts) -> &'static str {
    match kind {
        EventKind::ResponseCreated => t.event_response_created,
        EventKind::Detractor => t.event_response_detractor,
        EventKind::CaseOpened => t.event_case_opened,
        EventKind::CaseEscalated => t.event_case_escalated,
        EventKind::CaseClosed => t.event_case_closed,
        EventKind::IdeaCreated => t.event_idea_created,
        EventKind::IdeaStatusChanged => t.event_idea_status_changed,
        EventKind::ActionDone => t.event_action_done,
    }
}

#[component]
fn WebhooksView(data: WebhooksData, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let posted = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c));
    let error = move || {
        form_actions::failure(&actions.all())
            .or_else(|| posted.clone())
            .map(|e| e.message(locale))
    };
    let pinged = query.with_untracked(|q| q.get("ping"));
    let editing = data.editing.clone();
    view! {
        <section class="panel">
            <h1>{t.webhooks_title}</h1>
            <p class="lead">{t.webhooks_intro}</p>
            <div class="error-summary" role="alert" aria-live="assertive">{move || error().map(|m| view! { <p>{m}</p> })}</div>
            {pinged.map(|id| view! { <p class="notice" role="status" data-testid="pinged">{fill(t.webhook_pinged, &[("id", &id)])}</p> })}
            {data.webhooks.is_empty().then(|| view! { <p>{t.webhooks_none}</p> })}
            <ul class="webhooks">
                {data.webhooks.iter().map(|w| view! {
                    <li data-webhook=w.name.clone()>
                        <a href=format!("/admin/webhooks?edit={}", w.id)>{w.name.clone()}</a>
                        " · "<code>{w.url.clone()}</code>
                        " · "{w.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")}
                        {(!w.active).then(|| view! { " · " <span class="badge">{t.webhook_inactive}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            <p><a href="/admin/webhooks">{t.webhook_new}</a></p>
        </section>
        <section class="panel" id="edit">
            <WebhookEditor editing actions/>
        </section>
        <section class="panel" id="deliveries">
            <h2>{t.deliveries_title}</h2>
            <DeliveryLog lines=data.deliveries/>
        </section>
    }
}

#[component]
fn WebhookEditor(editing: Option<(Webhook, String)>, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let hook = editing.as_ref().map(|(w, _)| w.clone());
    let events: Vec<EventKind> = hook.as_ref().map(|w| w.events.clone()).unwrap_or_default();
    let title = hook
        .as_ref()
        .map_or_else(|| t.webhook_new.to_string(), |w| w.name.clone());
    let conditions = hook
        .as_ref()
        .map(|w| conditions_text(&w.conditions))
        .unwrap_or_default();
    let id_input = hook
        .as_ref()
        .map(|w| view! { <input type="hidden" name="id" value=w.id/> });
    let name = hook.as_ref().map(|w| w.name.clone()).unwrap_or_default();
    let url = hook.as_ref().map(|w| w.url.clone()).unwrap_or_default();
    let allow_private = hook.as_ref().is_some_and(|w| w.allow_private);
    let active = hook.as_ref().is_none_or(|w| w.active);
    let tools = editing.clone().map(|(w, secret)| {
        view! {
            <details class="secret">
                <summary>{t.webhook_secret}</summary>
                <p><code data-testid="webhook-secret">{secret}</code></p>
                <p class="hint">{t.webhook_secret_hint}</p>
            </details>
            <ActionForm action=actions.ping attr:class="inline-form">
                <input type="hidden" name="id" value=w.id/>
                <button type="submit">{t.webhook_ping}</button>
            </ActionForm>
            " "
            <ActionForm action=actions.delete attr:class="inline-form">
                <input type="hidden" name="id" value=w.id/>
                <button type="submit" class="link-button">{t.webhook_delete}</button>
            </ActionForm>
        }
    });
    view! {
        <h2>{title}</h2>
        <ActionForm action=actions.save attr:class="webhook-form">
            {id_input}
            <div class="field"><label for="wh-name">{t.webhook_name}</label>
                <input id="wh-name" name="name" required maxlength=NAME_MAX_CHARS.to_string() value=name/></div>
            <div class="field"><label for="wh-url">{t.webhook_url}</label>
                <input id="wh-url" name="url" type="url" required maxlength=URL_MAX_CHARS.to_string() placeholder="https://crm.example.nl/klantstem" value=url/></div>
            <fieldset>
                <legend>{t.webhook_events}</legend>
                {EventKind::ALL.iter().map(|k| {
                    let name = format!("ev_{}", k.as_str().replace('.', "_"));
                    view! { <label><input type="checkbox" name=name value="on" checked=events.contains(k)/>" "{event_label(*k, t)}" "<code>{k.as_str()}</code></label> }
                }).collect_view()}
            </fieldset>
            <div class="field"><label for="wh-conditions">{t.webhook_conditions}</label>
                <TextArea value=conditions.clone() {..} id="wh-conditions" name="conditions" rows="2" placeholder="score_group: detractor\nchannel: phone"/>
                <p class="hint">{t.webhook_conditions_hint}</p></div>
            <label><input type="checkbox" name="allow_private" value="on" checked=allow_private/>" "{t.webhook_allow_private}</label>
            <label><input type="checkbox" name="active" value="on" checked=active/>" "{t.webhook_active}</label>
            <button type="submit" class="primary">{t.board_save}</button>
        </ActionForm>
        {tools}
    }
}

/// The latest webhook deliveries.
#[component]
pub fn DeliveryLog(lines: Vec<DeliveryLine>) -> impl IntoView {
    let t = use_locale().texts();
    if lines.is_empty() {
        return view! { <p>{t.deliveries_none}</p> }.into_any();
    }
    view! {
        <table class="data-table" data-testid="deliveries">
            <thead><tr>
                <th scope="col">{t.deliveries_when}</th>
                <th scope="col">{t.webhook_name}</th>
                <th scope="col">{t.deliveries_event}</th>
                <th scope="col">{t.inbox_status}</th>
                <th scope="col" class="num">{t.deliveries_attempts}</th>
                <th scope="col">{t.deliveries_response}</th>
            </tr></thead>
            <tbody>
                {lines.into_iter().map(|d| view! {
                    <tr data-status=d.status.as_str() data-event=d.event_id.clone()>
                        <td>{format_date_time(d.created_at)}</td>
                        <td>{d.webhook.clone()}</td>
                        <td><code>{d.kind.clone()}</code>" "<small>{d.event_id.clone()}</small></td>
                        <td>{match d.status {
                            domain::webhook::DeliveryStatus::Pending => t.delivery_pending,
                            domain::webhook::DeliveryStatus::Sending => t.delivery_sending,
                            domain::webhook::DeliveryStatus::Delivered => t.delivery_delivered,
                            domain::webhook::DeliveryStatus::Failed => t.delivery_failed,
                        }}</td>
                        <td class="num">{d.attempts}</td>
                        <td>{d.last_status.map(|s| format!("HTTP {s}")).unwrap_or_default()}" "{d.last_error.clone().unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The delivery log with its own data, for the outbox page.
#[component]
pub fn WebhookDeliveries() -> impl IntoView {
    let t = use_locale().texts();
    let data = Resource::new(|| (), |_| get_webhook_deliveries());
    view! {
        <section class="panel" id="webhook-deliveries">
            <h2>{t.deliveries_title}</h2>
            <p><a href="/admin/webhooks">{t.webhooks_title}</a></p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(lines) => view! { <DeliveryLog lines/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
