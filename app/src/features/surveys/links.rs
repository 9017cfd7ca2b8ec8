//! The link builder (managers, admins): the public link of a survey for a channel, journey phase
//! and language, the one-click score links for an e-mail, and a printable QR code for a store.

use super::server::*;
use crate::components::html_text::{PageTitle, TextArea};
use crate::components::layout::ErrorPanel;
use crate::error::AppError;
use crate::i18n::LocaleTexts;
use crate::labels::Label;
use crate::survey::{Channel, JourneyPhase};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LinksRoute() -> impl IntoView {
    let t = use_locale().texts();
    let query = use_query_map();
    let data = Resource::new(
        move || query.get(),
        |q| build_links(q.get("survey"), q.get("ch"), q.get("tp"), q.get("lang")),
    );
    view! {
        <PageTitle text=format!("{} · {}", t.links_title, t.app_name)/>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(kit) => view! { <LinkKitView kit/> }.into_any(),
                    Err(AppError::Unauthorized) => view! { <Redirect path="/login?next=/admin/links"/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LinkKitView(kit: LinkKit) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let option = |value: String, label: String, chosen: &str| {
        let selected = value == chosen;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <section class="panel links">
            <h1>{t.links_title}</h1>
            <p class="lead">{t.links_intro}</p>
            <form method="get" action="/admin/links" class="filters">
                <div class="filter">
                    <label for="link-survey">{t.survey}</label>
                    <select id="link-survey" name="survey">
                        {kit.surveys.iter().map(|(s, title)| option(s.clone(), title.clone(), &kit.survey)).collect_view()}
                    </select>
                </div>
                <div class="filter">
                    <label for="link-ch">{t.channel}</label>
                    <select id="link-ch" name="ch">
                        {option(String::new(), "—".into(), &kit.channel)}
                        {Channel::ALL.iter().map(|c| option(c.as_str().into(), c.label(locale).into(), &kit.channel)).collect_view()}
                    </select>
                </div>
                <div class="filter">
                    <label for="link-tp">{t.journey_phase}</label>
                    <select id="link-tp" name="tp">
                        {option(String::new(), "—".into(), &kit.phase)}
                        {JourneyPhase::ALL.iter().map(|p| option(p.as_str().into(), p.label(locale).into(), &kit.phase)).collect_view()}
                    </select>
                </div>
                <div class="filter">
                    <label for="link-lang">{t.language}</label>
                    <select id="link-lang" name="lang">
                        {option(String::new(), t.links_lang_auto.into(), &kit.lang)}
                        {crate::i18n::Locale::ALL.iter().map(|l| option(l.as_str().into(), l.endonym().into(), &kit.lang)).collect_view()}
                    </select>
                </div>
                <div class="filter filter-actions"><button type="submit" class="primary">{t.links_make}</button></div>
            </form>
            <h2>{t.links_public}</h2>
            <p><a href=kit.link.clone() data-testid="public-link">{kit.link.clone()}</a></p>
            <h2>{t.links_email}</h2>
            <p class="hint">{t.links_email_hint}</p>
            <TextArea value={kit.email_html.clone()} {..} readonly=true rows="6" class="snippet" data-testid="email-snippet" aria-label=t.links_email/>
            <h2>{t.links_qr}</h2>
            <p class="hint">{t.links_qr_hint}</p>
            <figure class="qr" data-testid="qr" inner_html=kit.qr_svg.clone()></figure>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn links_carry_channel_phase_and_language() {
        assert_eq!(
            survey_link("https://k.nl", "winkel", None, "store", "purchase", "nl"),
            "https://k.nl/s/winkel?ch=store&tp=purchase&lang=nl"
        );
        assert_eq!(
            survey_link("http://h", "a", Some(7), "email", "", ""),
            "http://h/s/a/7?ch=email"
        );
    }

    #[test]
    fn qr_codes_are_svg_squares() {
        let svg = qr_svg("https://k.nl/s/winkel?ch=store").unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("h1v1h-1z"));
        assert!(svg.contains("ch=store"), "the link is in the label");
    }
}
