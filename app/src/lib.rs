//! Klantstem's user interface: pages, components and server functions (Leptos, SSR + hydrate).

// Leptos view types of the larger pages nest deeper than the default limit of 128.
#![recursion_limit = "256"]

pub mod error;
pub mod i18n;
pub mod import;
pub mod labels;
pub mod nps;
pub mod taxonomy;
// The domain crate's modules under their old paths, so views and the server read `app::survey`.
pub use domain::{
    account, action, engagement, idea, inbox, ingest, model, outbox, privacy, questions, routing,
    survey, url, webhook,
};
// `labels` is the UI's words for domain values; people's labels of texts go by this name.
pub use domain::labels as text_labels;

#[cfg(feature = "ssr")]
pub mod backend;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub use klantstem_core::{dashboard, login_throttle};

mod components;
mod features;

pub use features::accounts::server::{Register, RequestPasswordReset, ResetPassword, VerifyEmail};
pub use features::actions::server::{CreateAction, GetAction, GetActions, SaveAction};
pub use features::api_tokens::{CreateApiToken, GetApiTokens, RevokeApiToken};
pub use features::auth::{GetCurrentUser, Login, Logout};
pub use features::dashboard::{GetChannelSwitches, GetDashboard};
pub use features::departments::server::{
    DeleteRoutingRule, GetRoutingAdmin, RulesFromTaxonomy, SaveCasePolicy, SaveDepartment,
    SaveRoutingRule, SetDepartmentMember,
};
pub use features::ideas::server::{
    ChangeIdeaStatus, CommentIdea, CustomerContributions, EditIdea, FollowIdea, GetBoard,
    GetChangelog, GetIdea, GetIdeasPanel, GetMyIdeas, GetNotifications, GetPublicActions,
    GetRoadmap, GetTriage, HideComment, InternalVote, ListBoards, MergeIdea, ModerateIdea,
    PrioritiseIdea, SetChallengeStage, SimilarIdeas, SubmitIdea, UnmergeIdea, Unsubscribe,
    VoteIdea,
};
pub use features::import::{GetImportPreview, GetImportStatus, ListImports, StartImport};
pub use features::inbox::server::{
    AddInboxNote, AnswerFollowUp, CloseInboxCase, GetFollowUp, GetInbox, GetInboxItem,
    RecordCaseContact, ReplyToCustomer, UpdateInboxItem,
};
pub use features::labels::{GetReviewQueue, LabelSentiment};
pub use features::outbox::{GetOutbox, ResendMail, SendTestMail};
pub use features::responses::ListResponses;
pub use features::responses::{CorrectResponseTheme, GetResponse};
pub use features::responses::{EnterFeedback, GetEntryForm};
pub use features::survey::{GetSurveyForm, SubmitResponse};
pub use features::surveys::BuildLinks;
pub use features::surveys::{
    AddQuestion, ChangeQuestion, ChangeSurvey, GetSurveyEditor, ListAllSurveys, SaveSurvey,
    UpdateQuestion,
};
pub use features::themes::{
    DeleteTheme, GetRetagStatus, GetThemeForm, GetThemesOverview, SaveTheme,
};
pub use features::webhooks::server::{
    DeleteWebhook, GetWebhookDeliveries, GetWebhooks, PingWebhook, SaveWebhook,
};

use crate::components::html_text::PageTitle;
use crate::i18n::Locale;
use crate::i18n::LocaleTexts;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let (locale, public) = ssr::prepare_document();
    #[cfg(not(feature = "ssr"))]
    let (locale, public) = (Locale::default(), None::<&'static str>);
    provide_context(locale);
    // A customer answering a survey (often on a phone) downloads no WebAssembly: the page is
    // complete as server-rendered HTML, and `/survey.js` (a few KB) adds what needs the browser.
    // Every other page hydrates with the application bundle.
    #[cfg(feature = "ssr")]
    let stylesheet = ssr::stylesheet_href(&options);
    #[cfg(not(feature = "ssr"))]
    let stylesheet = format!("/pkg/{}.css", options.output_name);
    let scripts = if let Some(script) = public {
        view! { <script src=script defer></script> }.into_any()
    } else {
        view! { <HydrationScripts options=options.clone()/> }.into_any()
    };
    view! {
        <!DOCTYPE html>
        <html lang=locale.as_str()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=stylesheet/>
                <AutoReload options/>
                {scripts}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The script of the public survey pages (see `shell`), served by the server.
pub const SURVEY_SCRIPT: &str = "/survey.js";
/// The script of the idea pages: similar ideas while a title is typed.
pub const IDEAS_SCRIPT: &str = "/ideas.js";

/// The small script of a public page served without the application bundle, or `None` for a
/// page that hydrates. Public: the survey, the one-click score and the thank-you page (also
/// when embedded); the idea boards, roadmap and changelog; the customer account pages.
pub fn public_page_script(path: &str) -> Option<&'static str> {
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if path.starts_with("/s/") {
        Some(SURVEY_SCRIPT)
    } else if under("/ideas")
        || under("/roadmap")
        || under("/changelog")
        || under("/account")
        || under("/f")
    {
        Some(IDEAS_SCRIPT)
    } else {
        None
    }
}

/// Whether a path is a public page served without the application bundle.
pub fn is_public_page(path: &str) -> bool {
    public_page_script(path).is_some()
}

/// The UI language of the current page.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// In the browser the language is the one the server rendered, read back from `<html lang>`,
/// so the hydrated page always matches the server's HTML.
fn locale_from_document() -> Locale {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| Locale::from_tag(&l))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Locale::default()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = use_context::<Locale>().unwrap_or_else(locale_from_document);
    provide_context(locale);

    view! {
        <PageTitle text=locale.texts().app_name/>
        <Router>
            <PublicPagesLoadFully/>
            <features::auth::header::Header/>
            <main id="main">
                <Routes fallback=components::layout::NotFound>
                    <Route path=path!("/") view=features::home::views::HomePage/>
                    <Route path=path!("/s/:slug") view=features::survey::views::SurveyPage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:slug/thanks") view=features::survey::views::ThanksPage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:slug/:score") view=features::survey::views::ScoreLinkPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=features::auth::login::LoginPage/>
                    <Route path=path!("/account/register") view=features::accounts::views::RegisterPage/>
                    <Route path=path!("/account/verify") view=features::accounts::views::VerifyPage/>
                    <Route path=path!("/account/forgot") view=features::accounts::views::ForgotPage/>
                    <Route path=path!("/account/reset") view=features::accounts::views::ResetPage/>
                    <Route path=path!("/account/password") view=features::accounts::views::PasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/ideas") view=features::ideas::lists::MyIdeasPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/notifications") view=features::ideas::lists::NotificationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/unsubscribe") view=features::ideas::lists::UnsubscribePage/>
                    <Route path=path!("/account/consent") view=features::privacy::consent::ConsentPage/>
                    <Route path=path!("/ideas") view=features::ideas::index::IdeasIndexPage ssr=SsrMode::Async/>
                    <Route path=path!("/ideas/:board") view=features::ideas::board::BoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/ideas/:board/:id") view=features::ideas::idea::IdeaPage ssr=SsrMode::Async/>
                    <Route path=path!("/roadmap") view=features::ideas::lists::RoadmapPage ssr=SsrMode::Async/>
                    <Route path=path!("/changelog") view=features::ideas::lists::ChangelogPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard") view=features::dashboard::views::DashboardPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/ideas") view=features::ideas::panel::IdeasPanelPage ssr=SsrMode::Async/>
                    <Route path=path!("/dashboard/report") view=features::dashboard::views::ReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/responses") view=features::responses::list::ResponsesRoute ssr=SsrMode::Async/>
                    <Route path=path!("/responses/new") view=features::responses::entry::EntryRoute ssr=SsrMode::Async/>
                    <Route path=path!("/responses/:id") view=features::responses::detail::ResponsePage ssr=SsrMode::Async/>
                    <Route path=path!("/review") view=features::labels::review::ReviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/f/:case") view=features::inbox::followup::FollowUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/actions") view=features::actions::list::ActionsListPage ssr=SsrMode::Async/>
                    <Route path=path!("/actions/:id") view=features::actions::detail::ActionPage ssr=SsrMode::Async/>
                    <Route path=path!("/inbox") view=features::inbox::list::InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/inbox/:id") view=features::inbox::item::InboxItemPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/departments") view=features::departments::views::DepartmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/webhooks") view=features::webhooks::views::WebhooksPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/boards") view=features::ideas::boards_admin::BoardsAdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/ideas") view=features::ideas::triage::TriagePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/outbox") view=features::outbox::views::OutboxRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/privacy") view=features::privacy::views::PrivacyRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/api") view=features::api_tokens::views::ApiTokensRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/import") view=features::import::views::ImportsRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/import/:id") view=features::import::views::ImportRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/links") view=features::surveys::links::LinksRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys") view=features::surveys::views::SurveysRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/surveys/:slug") view=features::surveys::views::SurveyEditRoute ssr=SsrMode::Async/>
                    <Route path=path!("/admin/themes") view=features::themes::views::ThemesPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/themes/:key") view=features::themes::views::ThemeEditPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

/// Public pages are served without the application bundle, with their own small script: when the
/// hydrated app navigates to one (a link, the redirect after logging in), the page is loaded from
/// the server instead of being rendered by the app.
#[component]
fn PublicPagesLoadFully() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            if is_public_page(&location.pathname.get()) {
                // The address already is the new page's: load it.
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            }
        });
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::Locale;
    use crate::backend::{query_locale, request_locale, request_parts, set_cookie, LANG_COOKIE};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    /// The stylesheet's URL, with the content hash cargo-leptos puts in the name (`hash-files`),
    /// read once from the hash file beside the server binary.
    pub fn stylesheet_href(options: &LeptosOptions) -> String {
        static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        HREF.get_or_init(|| {
            let name = &options.output_name;
            let hash = options
                .hash_files
                .then(|| std::env::current_exe().ok())
                .flatten()
                .and_then(|exe| {
                    std::fs::read_to_string(exe.with_file_name(options.hash_file.as_ref())).ok()
                })
                .and_then(|hashes| {
                    hashes.lines().find_map(|l| {
                        let (file, hash) = l.split_once(':')?;
                        (file.trim() == "css").then(|| hash.trim().to_string())
                    })
                });
            match hash {
                Some(hash) => format!("/{}/{name}.{hash}.css", options.site_pkg_dir),
                None => format!("/{}/{name}.css", options.site_pkg_dir),
            }
        })
        .clone()
    }

    /// Works out the page language and whether it is a public page, and sets the per-page
    /// headers (CSP with this page's nonce, the language cookie when `?lang=` chose one).
    pub fn prepare_document() -> (Locale, Option<&'static str>) {
        let Some(parts) = request_parts() else {
            return (Locale::default(), None);
        };
        let locale = request_locale(&parts);
        if let Some(res) = use_context::<ResponseOptions>() {
            let nonce = use_nonce().map(|n| n.to_string()).unwrap_or_default();
            let csp = format!(
                "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
                 style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
                 object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
            );
            if let Ok(v) = http::HeaderValue::from_str(&csp) {
                res.insert_header(http::header::CONTENT_SECURITY_POLICY, v);
            }
            if query_locale(&parts).is_some() {
                set_cookie(&format!(
                    "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
                    locale.as_str()
                ));
            }
        }
        (locale, super::public_page_script(parts.uri.path()))
    }
}
