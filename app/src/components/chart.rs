//! Charts as server-rendered SVG: they work without JavaScript, print well, and carry a text
//! alternative. Colours are from the Okabe–Ito palette, which stays distinct for colour-blind eyes.

use leptos::prelude::*;

pub const DETRACTOR_COLOUR: &str = "#D55E00";
pub const PASSIVE_COLOUR: &str = "#999999";
pub const PROMOTER_COLOUR: &str = "#0072B2";

pub fn score_colour(score: usize) -> &'static str {
    match score {
        0..=6 => DETRACTOR_COLOUR,
        7 | 8 => PASSIVE_COLOUR,
        _ => PROMOTER_COLOUR,
    }
}

/// One horizontal bar split into labelled parts (e.g. detractors / passives / promoters).
#[component]
pub fn StackedBar(title: String, parts: Vec<(String, u64, &'static str)>) -> impl IntoView {
    let total: u64 = parts.iter().map(|p| p.1).sum::<u64>().max(1);
    let mut x = 0.0;
    let segments = parts
        .into_iter()
        .map(|(label, value, colour)| {
            let width = value as f64 / total as f64 * 100.0;
            let seg_x = x;
            x += width;
            let pct = format!("{:.0}%", width);
            let show_label = width >= 8.0;
            view! {
                <g>
                    <title>{format!("{label}: {value} ({pct})")}</title>
                    <rect x=format!("{seg_x:.3}%") y="0" width=format!("{width:.3}%") height="32" fill=colour/>
                    {show_label.then(|| view! {
                        <text x=format!("{:.3}%", seg_x + width / 2.0) y="21" text-anchor="middle" class="bar-label">{pct}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="stacked-bar" role="img" aria-label=label width="100%" height="32" preserveAspectRatio="none">
            <title>{title}</title>
            {segments}
        </svg>
    }
}

/// Vertical bars, one per category, with the category under each bar.
#[component]
pub fn BarChart(title: String, bars: Vec<(String, u64, &'static str)>) -> impl IntoView {
    const W: f64 = 440.0;
    const H: f64 = 180.0;
    const BASE: f64 = 150.0;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let slot = W / bars.len().max(1) as f64;
    let rendered = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, colour))| {
            let h = value as f64 / max * (BASE - 20.0);
            let x = i as f64 * slot + slot * 0.15;
            let w = slot * 0.7;
            view! {
                <g>
                    <title>{format!("{label}: {value}")}</title>
                    <rect x=format!("{x:.1}") y=format!("{:.1}", BASE - h) width=format!("{w:.1}") height=format!("{h:.1}") fill=colour/>
                    <text x=format!("{:.1}", x + w / 2.0) y=format!("{:.1}", BASE - h - 4.0) text-anchor="middle" class="bar-value">{value}</text>
                    <text x=format!("{:.1}", x + w / 2.0) y=format!("{:.1}", BASE + 16.0) text-anchor="middle" class="bar-axis">{label}</text>
                </g>
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="bar-chart" role="img" aria-label=label viewBox=format!("0 0 {W} {H}")>
            <title>{title}</title>
            <line x1="0" x2=W.to_string() y1=BASE.to_string() y2=BASE.to_string() class="axis"/>
            {rendered}
        </svg>
    }
}

/// NPS per period as a line with its 95% margin of error as a band, on a −100…+100 axis.
/// Periods without a margin (one response) show as points only.
#[component]
pub fn TrendChart(
    title: String,
    points: Vec<(String, crate::nps::ScoreDistribution)>,
) -> impl IntoView {
    const W: f64 = 600.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 34.0;
    const BOTTOM: f64 = 22.0;
    let n = points.len().max(2) as f64;
    const RIGHT: f64 = 28.0;
    let x = |i: usize| LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1.0);
    let y = |v: f64| 8.0 + (H - BOTTOM - 8.0) * (100.0 - v.clamp(-100.0, 100.0)) / 200.0;
    let values: Vec<(usize, f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, (_, d))| {
            let s = d.summary();
            Some((i, s.nps()?, s.margin_of_error().unwrap_or(0.0)))
        })
        .collect();
    let line: String = values
        .iter()
        .map(|(i, v, _)| format!("{:.1},{:.1}", x(*i), y(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let band: String = values
        .iter()
        .map(|(i, v, m)| format!("{:.1},{:.1}", x(*i), y(v + m)))
        .chain(
            values
                .iter()
                .rev()
                .map(|(i, v, m)| format!("{:.1},{:.1}", x(*i), y(v - m))),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let step = (points.len() / 8).max(1);
    let label = title.clone();
    view! {
        <svg class="trend" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>
            <title>{title}</title>
            {[100.0, 50.0, 0.0, -50.0, -100.0].into_iter().map(|v: f64| view! {
                <line x1=LEFT.to_string() x2=(W - RIGHT).to_string() y1=format!("{:.1}", y(v)) y2=format!("{:.1}", y(v)) class="grid"/>
                <text x=(LEFT - 4.0).to_string() y=format!("{:.1}", y(v) + 4.0) text-anchor="end" class="trend-axis">{format!("{v:.0}")}</text>
            }).collect_view()}
            <polygon points=band class="trend-band"/>
            <polyline points=line class="trend-line" fill="none"/>
            {values.iter().map(|(i, v, _)| view! { <circle cx=format!("{:.1}", x(*i)) cy=format!("{:.1}", y(*v)) r="3" class="trend-point"/> }).collect_view()}
            {points.iter().enumerate().filter(|(i, _)| i % step == 0).map(|(i, (label, _))| view! {
                <text x=format!("{:.1}", x(i)) y=(H - 6.0).to_string() text-anchor="middle" class="trend-axis">{label.clone()}</text>
            }).collect_view()}
        </svg>
    }
}

/// A small line of counts over time (oldest first), with the values as its text alternative.
#[component]
pub fn Sparkline(title: String, values: Vec<u64>) -> impl IntoView {
    const W: f64 = 80.0;
    const H: f64 = 20.0;
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = W / (values.len().max(2) - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                H - 2.0 - (H - 4.0) * *v as f64 / max
            )
        })
        .collect();
    let label = format!(
        "{title}: {}",
        values
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {W} {H}") width="80" height="20" role="img" aria-label=label>
            <title>{title}</title>
            <polyline points=points.join(" ") fill="none" stroke=PROMOTER_COLOUR stroke-width="1.5"/>
        </svg>
    }
}
