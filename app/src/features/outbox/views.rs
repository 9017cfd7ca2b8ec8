//! The outbox (admins): every mail the platform sends, with its status, tries and last error;
//! failed mails can be sent again, and a test mail checks the mail settings.

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::labels::Label;
use crate::model::format_date;
use crate::outbox::MailStatus;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn OutboxRoute() -> impl IntoView {
    let t = use_locale().texts();
    let resend = ServerAction::<ResendMail>::new();
    let test = ServerAction::<SendTestMail>::new();
    let data = Resource::new(
        move || (resend.version().get(), test.version().get()),
        |_| get_outbox(),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.outbox_title, t.app_name)/>
        <section class="panel outbox">
            <h1>{t.outbox_title}</h1>
            <p class="lead">{t.outbox_intro}</p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <OutboxView page resend test/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/outbox"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <crate::features::webhooks::views::WebhookDeliveries/>
    }
}

#[component]
fn OutboxView(
    page: OutboxPage,
    resend: ServerAction<ResendMail>,
    test: ServerAction<SendTestMail>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let error = move || {
        let code = query.with(|q| q.get("error"));
        match (test.value().get(), code) {
            (Some(Err(e)), _) => Some(e.message(locale)),
            (_, Some(code)) => AppError::from_code(&code).map(|e| e.message(locale)),
            _ => None,
        }
    };
    let typed = query.with_untracked(|q| q.get("to")).unwrap_or_default();
    let queued = move || {
        query.with(|q| q.get("queued").is_some()) || matches!(test.value().get(), Some(Ok(())))
    };
    view! {
        {(!page.mail_enabled).then(|| view! { <div class="notice" role="status"><p>{t.outbox_no_smtp}</p></div> })}
        {move || queued().then(|| view! { <div class="notice" role="status"><p>{t.outbox_test_queued}</p></div> })}
        {move || error().map(|m| view! { <div class="error-summary" role="alert"><p>{m}</p></div> })}
        <ActionForm action=test attr:class="inline-form">
            <label for="test-to">{t.outbox_test_to}</label>
            <input id="test-to" name="to" type="email" required maxlength="254" value=typed/>
            <button type="submit" class="primary">{t.outbox_test_send}</button>
        </ActionForm>
        {if page.entries.is_empty() {
            view! { <p>{t.outbox_empty}</p> }.into_any()
        } else {
            view! {
                <table class="data-table outbox-mails" data-testid="outbox">
                    <thead>
                        <tr>
                            <th scope="col">{t.date}</th>
                            <th scope="col">{t.outbox_recipient}</th>
                            <th scope="col">{t.outbox_subject}</th>
                            <th scope="col">{t.outbox_status}</th>
                            <th scope="col">{t.outbox_attempts}</th>
                            <th scope="col">{t.outbox_last_error}</th>
                            <th scope="col"><span class="visually-hidden">{t.outbox_resend}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {page.entries.into_iter().map(|m| {
                            let again = matches!(m.status, MailStatus::Failed | MailStatus::Sent);
                            let id = m.id.to_string();
                            view! {
                                <tr data-status=m.status.as_str()>
                                    <td>{format_date(m.created_at)}</td>
                                    <td>{m.recipient.clone()}</td>
                                    <td>{m.subject.clone()}</td>
                                    <td><span class="badge">{m.status.label(locale)}</span></td>
                                    <td>{m.attempts}</td>
                                    <td>{m.last_error.clone().unwrap_or_default()}</td>
                                    <td>
                                        {again.then(|| view! {
                                            <ActionForm action=resend attr:class="inline-form">
                                                <input type="hidden" name="id" value=id.clone()/>
                                                <button type="submit" aria-label=format!("{}: {}", t.outbox_resend, m.subject)>{t.outbox_resend}</button>
                                            </ActionForm>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
