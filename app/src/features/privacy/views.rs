//! The privacy page (admins): find what is held about a customer by their e-mail address or
//! customer number, download it, erase it; the audit log of who looked at, exported or erased
//! personal data. Plain forms: it works without JavaScript.

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::labels::Message;
use crate::use_locale;
use domain::calendar::{format_date, format_date_time};
use domain::privacy::{AuditAction, CustomerData};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PrivacyRoute() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let erase = ServerAction::<EraseCustomer>::new();
    let withdraw = ServerAction::<WithdrawConsent>::new();
    // The page follows its address (a search, the redirect after an erasure or withdrawal, in
    // the hydrated app as after a full load) and every finished action.
    let data = Resource::new(
        move || {
            (
                query.with(|q| q.get("refs")).unwrap_or_default(),
                erase.version().get(),
                withdraw.version().get(),
            )
        },
        |(refs, _, _)| get_privacy(Some(refs)),
    );
    let erased = move || query.with(|q| q.get("erased").is_some());
    let withdrawn = move || query.with(|q| q.get("withdrawn"));
    view! {
        <PageTitle text=format!("{} · {}", t.privacy_title, t.app_name)/>
        <section class="panel privacy">
            <h1>{t.privacy_title}</h1>
            <p class="lead">{t.privacy_intro}</p>
            {move || erased().then(|| view! { <p class="notice" role="status" data-testid="privacy-erased">{t.privacy_erased}</p> })}
            {move || withdrawn().map(|n| view! {
                <p class="notice" role="status" data-testid="privacy-withdrawn">{crate::i18n::fill(t.privacy_withdrawn, &[("n", &n)])}</p>
            })}
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <PrivacyView page erase withdraw/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/privacy"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PrivacyView(
    page: PrivacyPage,
    erase: ServerAction<EraseCustomer>,
    withdraw: ServerAction<WithdrawConsent>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let refs = query.with_untracked(|q| q.get("refs")).unwrap_or_default();
    let posted_error = query
        .with_untracked(|q| q.get("error"))
        .and_then(|c| AppError::from_code(&c))
        .map(|e| e.message(locale));
    let problem = page.problem.map(|p| p.message(locale)).or(posted_error);
    // An action refused in the hydrated app says why here (a plain form gets `?error=`).
    let refused = move || {
        [
            erase.value().get().and_then(Result::err),
            withdraw.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| e.message(locale))
    };
    view! {
        <div class="error-summary" role="alert">
            {problem.map(|m| view! { <p>{m}</p> })}
            {move || refused().map(|m| view! { <p>{m}</p> })}
        </div>
        <form method="get" action="/admin/privacy" class="privacy-search">
            <div class="field">
                <label for="privacy-refs">{t.privacy_refs_label}</label>
                <TextArea value=refs.clone() {..} id="privacy-refs" name="refs" rows="3" maxlength="1300" required=true/>
                <p class="hint">{t.privacy_refs_hint}</p>
            </div>
            <button type="submit" class="primary">{t.privacy_search}</button>
        </form>
        {page.found.map(|found| view! {
            <Found found=found refs=refs.clone() erase=erase withdraw=withdraw/>
        })}
        <h2>{t.privacy_audit_title}</h2>
        {if page.audit.is_empty() {
            view! { <p>{t.privacy_audit_empty}</p> }.into_any()
        } else {
            view! {
                <table class="audit-log" data-testid="audit-log">
                    <thead><tr><th>{t.privacy_when}</th><th>{t.privacy_who}</th><th>{t.privacy_what}</th><th>{t.privacy_subject}</th><th>{t.privacy_detail}</th></tr></thead>
                    <tbody>
                        {page.audit.into_iter().map(|a| view! {
                            <tr>
                                <td>{format_date_time(a.at)}</td>
                                <td>{a.actor}</td>
                                <td>{match a.action {
                                    AuditAction::Viewed => t.privacy_viewed,
                                    AuditAction::Exported => t.privacy_exported,
                                    AuditAction::Erased => t.privacy_erased_action,
                                    AuditAction::Withdrew => t.privacy_withdrew_action,
                                }}</td>
                                <td>{a.subject}</td>
                                <td><code>{a.detail}</code></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[component]
fn Found(
    found: CustomerData,
    refs: String,
    erase: ServerAction<EraseCustomer>,
    withdraw: ServerAction<WithdrawConsent>,
) -> impl IntoView {
    let t = use_locale().texts();
    if found.is_empty() {
        return view! { <p class="notice" data-testid="privacy-nothing">{t.privacy_nothing}</p> }
            .into_any();
    }
    let with_text = found.responses.iter().filter(|r| r.text.is_some()).count();
    let consents: Vec<String> = found
        .responses
        .iter()
        .filter(|r| r.consent_withdrawn_at.is_none())
        .filter_map(|r| {
            r.consent
                .clone()
                .map(|c| format!("{} · {c}", format_date(r.created_at)))
        })
        .collect();
    let rows = [
        (t.privacy_account, found.account.as_ref().map_or(0, |_| 1)),
        (t.privacy_responses, found.responses.len()),
        (t.privacy_responses_text, with_text),
        (t.privacy_ideas, found.ideas.len()),
        (t.privacy_comments, found.comments.len()),
        (t.privacy_votes, found.votes.len()),
        (t.privacy_follows, found.follows.len()),
        (t.privacy_inbox, found.inbox.len()),
        (t.privacy_mails, found.mails.len()),
    ];
    view! {
        <h2>{t.privacy_found_title}</h2>
        {found.account.as_ref().map(|a| view! { <p data-testid="privacy-account">{t.privacy_account}": "{a.display_name.clone()}" <"{a.email.clone()}">"</p> })}
        <table class="privacy-counts" data-testid="privacy-counts">
            <tbody>
                {rows.into_iter().map(|(label, n)| view! { <tr><th scope="row">{label}</th><td>{n}</td></tr> }).collect_view()}
            </tbody>
        </table>
        <ul class="privacy-responses">
            {found.responses.iter().map(|r| view! {
                <li>{format_date(r.created_at)}" · "{r.survey.clone()}{r.score.map(|s| format!(" · {s}"))}
                    {r.text.clone().map(|x| view! { " · " <q>{x.chars().take(160).collect::<String>()}</q> })}
                </li>
            }).collect_view()}
        </ul>
        {(!consents.is_empty()).then({
            let refs = refs.clone();
            move || view! {
            <h3>{t.privacy_consents}</h3>
            <ul class="privacy-consents" data-testid="privacy-consents">
                {consents.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
            </ul>
            <ActionForm action=withdraw attr:class="inline-form">
                <input type="hidden" name="refs" value=refs.clone()/>
                <button type="submit">{t.privacy_withdraw}</button>
            </ActionForm>
        }})}
        <form method="post" action="/admin/privacy/export" class="inline-form">
            <input type="hidden" name="refs" value=refs.clone()/>
            <button type="submit">{t.privacy_export}</button>
        </form>
        <ActionForm action=erase attr:class="privacy-erase">
            <input type="hidden" name="refs" value=refs/>
            <p>{t.privacy_erase_explained}</p>
            <label><input type="checkbox" name="confirm" value="yes" required/>" "{t.privacy_confirm}</label>
            <button type="submit" class="danger">{t.privacy_erase}</button>
        </ActionForm>
    }
    .into_any()
}
