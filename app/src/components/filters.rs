//! The filter fields the dashboard and the responses page share: survey, channel, journey phase,
//! language, theme, score group and date range, filled in from the URL.

use crate::i18n::LocaleTexts;
use crate::labels::Label;
use crate::survey::{Channel, JourneyPhase};
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `prefix` keeps element ids unique per page.
#[component]
pub fn FilterFields(
    prefix: &'static str,
    /// (slug, title)
    surveys: Vec<(String, String)>,
    /// (key, name)
    themes: Vec<(String, String)>,
) -> impl IntoView {
    let locale = use_locale();
    let t = locale.texts();
    let query = use_query_map();
    let current = move |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    let select = move |name: &'static str, label: &'static str, options: Vec<(String, String)>| {
        let chosen = current(name);
        let id = format!("{prefix}-{name}");
        view! {
            <div class="filter">
                <label for=id.clone()>{label}</label>
                <select id=id name=name>
                    <option value="">{t.any}</option>
                    {options.into_iter().map(|(value, text)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let channels = Channel::ALL
        .iter()
        .map(|c| (c.as_str().to_string(), c.label(locale).to_string()))
        .collect();
    let phases = JourneyPhase::ALL
        .iter()
        .map(|p| (p.as_str().to_string(), p.label(locale).to_string()))
        .collect();
    let languages = crate::taxonomy::TERM_LANGUAGES
        .iter()
        .map(|l| (l.to_string(), l.to_uppercase()))
        .chain([("und".to_string(), t.undetermined.to_string())])
        .collect();
    let groups = vec![
        ("promoter".to_string(), t.promoters.to_string()),
        ("passive".to_string(), t.passives.to_string()),
        ("detractor".to_string(), t.detractors.to_string()),
        ("none".to_string(), t.without_score.to_string()),
    ];
    let (from_id, to_id) = (format!("{prefix}-from"), format!("{prefix}-to"));
    view! {
        {select("survey", t.survey, surveys)}
        {select("channel", t.channel, channels)}
        {select("phase", t.journey_phase, phases)}
        {select("language", t.detected_language, languages)}
        {select("theme", t.theme, themes)}
        {select("group", t.score_group, groups)}
        <div class="filter">
            <label for=from_id.clone()>{t.date_from}</label>
            <input id=from_id name="from" type="date" value=current("from")/>
        </div>
        <div class="filter">
            <label for=to_id.clone()>{t.date_to}</label>
            <input id=to_id name="to" type="date" value=current("to")/>
        </div>
    }
}
