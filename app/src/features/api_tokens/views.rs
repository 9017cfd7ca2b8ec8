//! API tokens (admins): create one per system that sends feedback, see when each was last used,
//! revoke one that leaked. The token itself is shown once, right after it is created.

use super::server::*;
use crate::components::html_text::PageTitle;
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::model::{format_date, API_SCOPES};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApiTokensRoute() -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let created = move || query.with(|q| q.get("created"));
    let data = Resource::new(
        move || (created(), revoke.version().get()),
        |(created, _)| get_api_tokens(created),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.api_tokens_title, t.app_name)/>
        <section class="panel api-tokens">
            <h1>{t.api_tokens_title}</h1>
            <p class="lead">{t.api_tokens_intro}</p>
            <p><a href="/api/openapi.json" rel="external">{t.api_description}</a></p>
            <Suspense fallback=move || view! { <p>{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <TokenList page create revoke/> }.into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/api"/> }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TokenList(
    page: ApiTokensPage,
    create: ServerAction<CreateApiToken>,
    revoke: ServerAction<RevokeApiToken>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let form_error = move || {
        query.with(|q| q.get("error").is_some()) || matches!(create.value().get(), Some(Err(_)))
    };
    // With JavaScript the new secret comes back from the action; without, from the page load.
    let secret = move || match create.value().get() {
        Some(Ok((_, secret))) => Some(secret),
        _ => page.created.clone().map(|c| c.1),
    };
    view! {
        {move || secret().map(|s| view! {
            <div class="notice secret" role="status">
                <p>{t.api_token_created}</p>
                <code data-testid="new-token">{s}</code>
            </div>
        })}
        {move || form_error().then(|| view! { <div class="error-summary" role="alert"><p>{t.api_token_name_error}</p></div> })}
        <ActionForm action=create attr:class="inline-form token-form">
            <label for="token-name">{t.api_token_name}</label>
            <input id="token-name" name="name" required maxlength=TOKEN_NAME_MAX_CHARS.to_string()/>
            <label for="token-scope">{t.api_token_scopes}</label>
            <select id="token-scope" name="scope">
                {API_SCOPES.into_iter().map(|s| view! { <option value=s>{s}</option> }).collect_view()}
            </select>
            <button type="submit" class="primary">{t.api_token_create}</button>
        </ActionForm>
        <table class="data-table tokens" data-testid="tokens">
            <thead>
                <tr>
                    <th scope="col">{t.api_token_name}</th>
                    <th scope="col">{t.api_token_prefix}</th>
                    <th scope="col">{t.api_token_scopes}</th>
                    <th scope="col">{t.date}</th>
                    <th scope="col">{t.api_token_last_used}</th>
                    <th scope="col"><span class="visually-hidden">{t.api_token_revoke}</span></th>
                </tr>
            </thead>
            <tbody>
                {page.tokens.into_iter().map(|token| {
                    let id = token.id.to_string();
                    let revoked = token.revoked_at.is_some();
                    view! {
                        <tr data-revoked=revoked.to_string()>
                            <th scope="row">{token.name.clone()}</th>
                            <td><code>{format!("{}…", token.prefix)}</code></td>
                            <td>{token.scopes.join(" ")}</td>
                            <td>{format_date(token.created_at)}</td>
                            <td>{token.last_used_at.map(format_date).unwrap_or_else(|| "–".into())}</td>
                            <td>
                                {if revoked {
                                    view! { <span class="badge">{t.api_token_revoked}</span> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=revoke attr:class="inline-form">
                                            <input type="hidden" name="id" value=id/>
                                            <button type="submit" class="danger" aria-label=format!("{}: {}", t.api_token_revoke, token.name)>{t.api_token_revoke}</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
