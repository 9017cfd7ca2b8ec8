//! The link builder (managers, admins): the public link of a survey for a channel, journey phase
//! and language, the one-click score links for an e-mail, and a printable QR code for a store.

use crate::error::AppError;
use crate::html_text::{PageTitle, TextArea};
use crate::i18n::LocaleTexts;
use crate::labels::Label;
use crate::pages::layout::ErrorPanel;
use crate::survey::{Channel, JourneyPhase};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkKit {
    /// (slug, title)
    pub surveys: Vec<(String, String)>,
    pub survey: String,
    pub channel: String,
    pub phase: String,
    pub lang: String,
    /// The public link.
    pub link: String,
    /// An HTML snippet with the eleven one-click score links, for e-mails.
    pub email_html: String,
    /// The QR code of the link (for the store channel) as SVG markup.
    pub qr_svg: String,
}

/// The survey link for these choices (`base` without a trailing slash).
#[cfg(feature = "ssr")]
pub fn survey_link(
    base: &str,
    slug: &str,
    score: Option<u8>,
    channel: &str,
    phase: &str,
    lang: &str,
) -> String {
    use crate::url::percent_encode;
    let mut url = format!("{base}/s/{}", percent_encode(slug));
    if let Some(s) = score {
        url.push_str(&format!("/{s}"));
    }
    let params: Vec<String> = [("ch", channel), ("tp", phase), ("lang", lang)]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    if !params.is_empty() {
        url.push('?');
        url.push_str(&params.join("&"));
    }
    url
}

/// Escapes text for HTML attributes and content.
#[cfg(feature = "ssr")]
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A QR code as a compact SVG: one path of unit squares, with the quiet zone around it.
#[cfg(feature = "ssr")]
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = qr.size();
    let border = 4;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let full = size + 2 * border;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code: {}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        escape(text)
    ))
}

#[server(endpoint = "links/build")]
pub async fn build_links(
    survey: Option<String>,
    ch: Option<String>,
    tp: Option<String>,
    lang: Option<String>,
) -> Result<LinkKit, AppError> {
    use crate::backend::*;
    require(crate::model::Role::sees_dashboard).await?;
    let state = state()?;
    let parts = request_parts().ok_or(AppError::Internal)?;
    let locale = request_locale(&parts);
    let surveys = klantstem_core::surveys::titles(&state, locale, false).await?;
    // The chosen survey, else the first.
    let survey = survey
        .filter(|s| surveys.iter().any(|(slug, _)| slug == s))
        .or_else(|| surveys.first().map(|s| s.0.clone()))
        .unwrap_or_default();
    // Only known values reach the links; anything else is left out.
    let known = |v: Option<String>, parse: fn(&str) -> Option<&'static str>| {
        v.as_deref().and_then(parse).unwrap_or_default().to_string()
    };
    let channel = known(ch, |c| Channel::parse(c).map(Channel::as_str));
    let phase = known(tp, |p| JourneyPhase::parse(p).map(JourneyPhase::as_str));
    let lang = known(lang, |l| {
        crate::i18n::Locale::from_tag(l).map(|l| l.as_str())
    });
    let base = public_base(&parts, &state.settings);
    let link = survey_link(&base, &survey, None, &channel, &phase, &lang);
    // E-mail links always say they come from e-mail, unless another channel was chosen.
    let mail_channel = if channel.is_empty() {
        "email"
    } else {
        &channel
    };
    let score_link = |s| survey_link(&base, &survey, Some(s), mail_channel, &phase, &lang);
    let email_html = email_snippet(score_link, locale);
    let qr_svg = qr_svg(&link).unwrap_or_default();
    Ok(LinkKit {
        surveys,
        survey,
        channel,
        phase,
        lang,
        link,
        email_html,
        qr_svg,
    })
}

/// The HTML to paste into an e-mail: the question and a row of 0–10 buttons, each a one-click
/// score link (`score_link`).
#[cfg(feature = "ssr")]
fn email_snippet(score_link: impl Fn(u8) -> String, locale: crate::i18n::Locale) -> String {
    let t = locale.texts();
    let cells: String = (0..=10u8)
        .map(|s| {
            format!(
                "<td style=\"padding:2px\"><a href=\"{}\" style=\"display:inline-block;width:32px;line-height:32px;text-align:center;border:1px solid #9aa3b2;border-radius:6px;text-decoration:none;color:#1c2430;font-family:sans-serif\">{s}</a></td>",
                escape(&score_link(s))
            )
        })
        .collect();
    format!(
        "<p style=\"font-family:sans-serif\">{}</p>\n<table role=\"presentation\"><tr>{cells}</tr></table>\n<p style=\"font-family:sans-serif;font-size:12px;color:#5b6474\">0 = {} · 10 = {}</p>",
        escape(t.nps_question),
        escape(t.nps_low),
        escape(t.nps_high)
    )
}

/// `https://host` of the public site: the configured public URL, else the request's host.
#[cfg(feature = "ssr")]
pub fn public_base(parts: &http::request::Parts, settings: &crate::backend::Settings) -> String {
    if let Some(url) = &settings.public_url {
        return url.trim_end_matches('/').to_string();
    }
    let host = parts
        .headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = if settings.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

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
