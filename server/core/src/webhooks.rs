//! Outbound webhooks. Changes write events in their own transaction (only while a webhook
//! subscribes); the dispatcher turns each event into one delivery per matching webhook (with
//! the payload as the state is then, personal data masked); the deliverer sends them signed
//! (Standard Webhooks), retries with backoff and keeps a log. The HTTP call itself is a port
//! ([`WebhookSender`]): the server's adapter refuses internal addresses after DNS resolution
//! and on every redirect, and bounds time and size.

use crate::error::StoreError;
use crate::state::{now_unix, AppState};
use crate::store::{NewDelivery, PendingEvent};
use async_trait::async_trait;
use domain::model::{Role, UserInfo};
use domain::webhook::{
    base64, base64_decode, retry_after, DeliveryLine, EventKind, Webhook, WebhookError,
    WebhookForm, PING,
};
use serde_json::json;

/// Sends one signed POST; answers the final HTTP status, or why nothing was delivered.
#[async_trait]
pub trait WebhookSender: Send + Sync {
    async fn post(
        &self,
        url: &str,
        allow_private: bool,
        headers: &[(&'static str, String)],
        body: &str,
    ) -> Result<u16, String>;
}

#[derive(Debug, thiserror::Error)]
pub enum WebhookUseError {
    #[error("admins only")]
    Forbidden,
    #[error("no such webhook")]
    NotFound,
    #[error("invalid: {0:?}")]
    Invalid(Vec<WebhookError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn admin(user: &UserInfo) -> Result<(), WebhookUseError> {
    (user.role == Role::Admin)
        .then_some(())
        .ok_or(WebhookUseError::Forbidden)
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system has no random source");
    format!("whsec_{}", base64(&bytes))
}

/// The Standard Webhooks signature of a delivery: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` under the secret's key.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let key = secret
        .strip_prefix("whsec_")
        .and_then(base64_decode)
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).expect("HMAC takes keys of any size");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", base64(&mac.finalize().into_bytes()))
}

/// Webhooks and the latest deliveries, for `/admin/webhooks`.
pub async fn page(
    state: &AppState,
    user: &UserInfo,
) -> Result<(Vec<Webhook>, Vec<DeliveryLine>), WebhookUseError> {
    admin(user)?;
    Ok((
        state.store.list_webhooks().await?,
        state.store.deliveries(100).await?,
    ))
}

/// The latest deliveries, for the outbox page.
pub async fn deliveries(
    state: &AppState,
    user: &UserInfo,
) -> Result<Vec<DeliveryLine>, WebhookUseError> {
    admin(user)?;
    Ok(state.store.deliveries(50).await?)
}

pub async fn save(
    state: &AppState,
    user: &UserInfo,
    form: &WebhookForm,
) -> Result<i64, WebhookUseError> {
    admin(user)?;
    let input = form.parse().map_err(WebhookUseError::Invalid)?;
    state
        .store
        .save_webhook(form.existing(), &input, &new_secret(), now_unix())
        .await?
        .ok_or(WebhookUseError::NotFound)
}

pub async fn delete(state: &AppState, user: &UserInfo, id: i64) -> Result<(), WebhookUseError> {
    admin(user)?;
    state
        .store
        .delete_webhook(id)
        .await?
        .then_some(())
        .ok_or(WebhookUseError::NotFound)
}

/// The secret receivers verify signatures with (admins only).
pub async fn secret(state: &AppState, user: &UserInfo, id: i64) -> Result<String, WebhookUseError> {
    admin(user)?;
    state
        .store
        .webhook_secret(id)
        .await?
        .ok_or(WebhookUseError::NotFound)
}

/// "Send test event": a `ping` delivery to one webhook, sent like any other.
pub async fn ping(state: &AppState, user: &UserInfo, id: i64) -> Result<String, WebhookUseError> {
    admin(user)?;
    if state.store.webhook_secret(id).await?.is_none() {
        return Err(WebhookUseError::NotFound);
    }
    let now = now_unix();
    let event_id = format!("evt_{}", &crate::secrets::random_token()[..32]);
    let payload = json!({
        "type": PING,
        "timestamp": now,
        "data": { "message": "Klantstem test event" },
    });
    let delivery = NewDelivery {
        webhook_id: id,
        event_id: event_id.clone(),
        kind: PING.into(),
        payload: payload.to_string(),
    };
    state.store.enqueue_delivery(&delivery, now).await?;
    Ok(event_id)
}

/// A response as a webhook shows it: no address or customer reference, text masked.
async fn response_json(
    state: &AppState,
    id: i64,
    base: &str,
) -> Result<serde_json::Value, StoreError> {
    let Some(v) = state.store.response(id).await? else {
        return Ok(json!({ "id": id }));
    };
    Ok(json!({
        "id": v.id,
        // null for open feedback without a score; a star rating may come instead.
        "score": v.score,
        "rating": v.rating,
        "text": v.reason.map(|r| state.analyzer.mask_pii(&r)),
        "channel": v.channel,
        "journey_phase": v.journey_phase,
        "language": v.language,
        "sentiment": v.sentiment,
        "themes": v.themes.iter().map(|t| t.key.clone()).collect::<Vec<_>>(),
        "created_at": v.created_at,
        "url": format!("{base}/responses/{}", v.id),
    }))
}

/// The event's data and, for events about feedback, the facts conditions look at.
async fn event_data(
    state: &AppState,
    kind: EventKind,
    subject: i64,
    base: &str,
) -> Result<(serde_json::Value, Option<domain::routing::Facts>), StoreError> {
    Ok(match kind {
        EventKind::ResponseCreated | EventKind::Detractor => (
            json!({ "response": response_json(state, subject, base).await? }),
            state.store.response_facts(subject).await?,
        ),
        EventKind::CaseOpened | EventKind::CaseEscalated | EventKind::CaseClosed => {
            match state.store.case_subject(subject).await? {
                Some((response, item, department)) => (
                    json!({
                        "case": { "id": subject, "department": department, "url": format!("{base}/inbox/{item}") },
                        "response": response_json(state, response, base).await?,
                    }),
                    state.store.response_facts(response).await?,
                ),
                None => (json!({ "case": { "id": subject } }), None),
            }
        }
        EventKind::IdeaCreated | EventKind::IdeaStatusChanged => {
            let idea = state.store.idea(subject).await?;
            let board = match &idea {
                Some(i) => state.store.board_by_id(i.board_id).await?,
                None => None,
            };
            let data = match (idea, board) {
                (Some(i), Some(b)) => json!({ "idea": {
                    "id": i.id, "title": i.title_masked, "status": i.status,
                    "board": b.slug, "url": format!("{base}/ideas/{}/{}", b.slug, i.id),
                }}),
                _ => json!({ "idea": { "id": subject } }),
            };
            (data, None)
        }
        EventKind::ActionDone => {
            let data = match state.store.action(subject).await? {
                Some(a) => json!({ "action": {
                    "id": a.id, "title": a.title, "public_message": a.public_message,
                    "done_at": a.done_at, "themes": a.themes, "url": format!("{base}/actions/{}", a.id),
                }}),
                None => json!({ "action": { "id": subject } }),
            };
            (data, None)
        }
    })
}

/// Turns pending events into deliveries for the webhooks that want them; answers how many
/// events were dispatched. Safe to run in several processes: each event is dispatched once.
pub async fn dispatch(state: &AppState, now: i64) -> Result<u64, StoreError> {
    let events = state.store.pending_events(200).await?;
    if events.is_empty() {
        return Ok(0);
    }
    let hooks = state.store.list_webhooks().await?;
    let base = state.settings.public_url.clone().unwrap_or_default();
    let mut dispatched = 0;
    for PendingEvent {
        id,
        event_id,
        kind,
        subject_id,
        created_at,
    } in events
    {
        let mut deliveries = Vec::new();
        if let Some(kind) = EventKind::parse(&kind) {
            let (data, facts) = event_data(state, kind, subject_id, &base).await?;
            let payload =
                json!({ "type": kind.as_str(), "timestamp": created_at, "data": data }).to_string();
            for hook in hooks.iter().filter(|h| h.wants(kind, facts.as_ref())) {
                deliveries.push(NewDelivery {
                    webhook_id: hook.id,
                    event_id: event_id.clone(),
                    kind: kind.as_str().into(),
                    payload: payload.clone(),
                });
            }
        }
        if state.store.dispatch_event(id, &deliveries, now).await? {
            dispatched += 1;
        }
    }
    state.store.purge_events(now - 7 * 86_400).await?;
    Ok(dispatched)
}

/// Sends the due deliveries: signed, retried with backoff when the target fails or refuses.
/// Answers (delivered, failed tries).
pub async fn deliver_due(
    state: &AppState,
    sender: &dyn WebhookSender,
    now: i64,
) -> Result<(u64, u64), StoreError> {
    // A try takes at most the sender's timeout; the lease outlasts it.
    let claimed = state.store.claim_deliveries(now, 120, 20).await?;
    let (mut delivered, mut failed) = (0, 0);
    for d in claimed {
        let timestamp = now_unix();
        let headers = [
            ("webhook-id", d.event_id.clone()),
            ("webhook-timestamp", timestamp.to_string()),
            (
                "webhook-signature",
                sign(&d.secret, &d.event_id, timestamp, &d.payload),
            ),
        ];
        let result = sender
            .post(&d.url, d.allow_private, &headers, &d.payload)
            .await;
        match result {
            Ok(status) if (200..300).contains(&status) => {
                state.store.delivery_done(d.id, status, now_unix()).await?;
                delivered += 1;
            }
            other => {
                let (status, error) = match other {
                    Ok(status) => (Some(status), format!("HTTP {status}")),
                    Err(e) => (None, e),
                };
                let next = retry_after(d.attempts).map(|s| now_unix() + s);
                tracing::warn!(delivery = d.id, attempts = d.attempts, error = %error, "webhook delivery failed");
                state
                    .store
                    .delivery_failed(d.id, status, &error, next)
                    .await?;
                failed += 1;
            }
        }
    }
    Ok((delivered, failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_follow_standard_webhooks() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            sign(secret, id, 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
        assert!(new_secret().starts_with("whsec_"));
        assert_ne!(new_secret(), new_secret());
    }
}
