//! Theme detection measured on SemEval-2016 restaurant sentences (Dutch and English): the gold
//! aspect categories are mapped to a restaurant taxonomy configured here, the way an installation
//! would configure its own. Prints precision / recall / F1 per language and asserts floors.

use crate::data;

use analysis::language::Language;
use analysis::themes::{Taxonomy, Terms, Theme, ThemeMatcher};
use std::collections::BTreeSet;

pub const THEMES: [&str; 6] = [
    "food", "drinks", "service", "prices", "ambience", "location",
];

/// SemEval's entity#attribute categories on our themes (general restaurant opinions have none).
pub fn gold_theme(category: &str) -> Option<&'static str> {
    let (entity, attribute) = category.split_once('#')?;
    match (entity, attribute) {
        (_, "PRICES") => Some("prices"),
        ("FOOD", _) => Some("food"),
        ("DRINKS", _) => Some("drinks"),
        ("SERVICE", _) => Some("service"),
        ("AMBIENCE", _) => Some("ambience"),
        ("LOCATION", _) => Some("location"),
        _ => None,
    }
}

pub fn restaurant_taxonomy() -> Taxonomy {
    let words: [(&str, &str, &str); 6] = [
        ("food",
         "eten, gerecht, gerechten, maaltijd, voorgerecht, hoofdgerecht, nagerecht, dessert, vlees, vis, steak, biefstuk, kip, pasta, pizza, saus, friet, frietjes, salade, soep, groenten, smaak, smaakt, lekker, heerlijk, vers, porties, portie, menu, kaart, keuken, kok, ontbijt, lunch, diner, brood, kaas, sushi, *gerecht, *vlees, *saus, *soep",
         "food, dish, dishes, meal, appetizer, starter, entree, main course, dessert, meat, fish, steak, chicken, pasta, pizza, sauce, fries, salad, soup, vegetables, taste, tasty, delicious, fresh, portion, portions, menu, kitchen, chef, breakfast, lunch, dinner, bread, cheese, sushi, flavor, cooked"),
        ("drinks",
         "drank, drankje, drankjes, wijn, wijnen, bier, biertje, koffie, thee, cocktail, cocktails, water, sap, wijnkaart, *wijn, *bier",
         "drink, drinks, wine, wines, beer, beers, coffee, tea, cocktail, cocktails, water, juice, wine list, martini, sake, bar"),
        ("service",
         "bediening, personeel, ober, serveerster, kelner, eigenaar, gastvrouw, gastheer, service, vriendelijk, onvriendelijk, bediend, wachten, wachttijd, *personeel",
         "service, staff, waiter, waitress, server, owner, host, hostess, friendly, rude, attentive, served, wait, waited, manager"),
        ("prices",
         "prijs, prijzen, duur, goedkoop, betaalbaar, rekening, euro, geld, prijs-kwaliteit, prijskwaliteit",
         "price, prices, priced, expensive, cheap, affordable, bill, money, worth, value, overpriced, reasonable"),
        ("ambience",
         "sfeer, gezellig, interieur, inrichting, muziek, decor, rustig, lawaai, druk, terras, zaal, *sfeer",
         "ambience, atmosphere, decor, interior, music, cozy, romantic, noisy, loud, quiet, crowded, room, place, setting"),
        ("location",
         "locatie, ligging, uitzicht, gelegen, parkeren, centrum, buurt",
         "location, located, view, neighborhood, area, parking, street"),
    ];
    Taxonomy {
        themes: words
            .iter()
            .map(|(key, nl, en)| Theme {
                key: key.to_string(),
                name_nl: key.to_string(),
                name_en: key.to_string(),
                department: None,
                terms: [("nl", nl), ("en", en)]
                    .iter()
                    .map(|(lang, list)| Terms {
                        language: lang.to_string(),
                        keywords: list.split(',').map(|k| k.trim().to_string()).collect(),
                        exclusions: vec![],
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Default, Debug)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn prf(&self) -> (f64, f64, f64) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

fn evaluate(file: &str, lang: Language) -> Option<(Counts, Vec<Counts>)> {
    let sentences = data::semeval(file)?;
    let taxonomy = restaurant_taxonomy();
    let matcher = ThemeMatcher::new(&taxonomy);
    let mut total = Counts::default();
    let mut per_theme: Vec<Counts> = THEMES.iter().map(|_| Counts::default()).collect();
    for s in sentences {
        let gold: BTreeSet<&str> = s
            .opinions
            .iter()
            .filter_map(|(c, _)| gold_theme(c))
            .collect();
        let predicted: BTreeSet<&str> = matcher
            .match_text(&s.text, lang)
            .into_iter()
            .map(|h| {
                THEMES
                    .iter()
                    .find(|t| **t == taxonomy.themes[h.theme].key)
                    .copied()
                    .unwrap()
            })
            .collect();
        for (i, theme) in THEMES.iter().enumerate() {
            let (g, p) = (gold.contains(theme), predicted.contains(theme));
            let c = &mut per_theme[i];
            match (g, p) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                _ => {}
            }
        }
    }
    for c in &per_theme {
        total.tp += c.tp;
        total.fp += c.fp;
        total.fn_ += c.fn_;
    }
    Some((total, per_theme))
}

#[test]
fn theme_detection_on_semeval_restaurants() {
    for (file, lang, floor) in [
        ("semeval2016-restaurants-nl.xml", Language::Nl, 0.55),
        ("semeval2016-restaurants-en.xml", Language::En, 0.55),
    ] {
        let Some((total, per_theme)) = evaluate(file, lang) else {
            eprintln!("../shared/data not found: theme evaluation skipped");
            return;
        };
        let (p, r, f) = total.prf();
        println!(
            "themes {}: micro precision {p:.3} recall {r:.3} F1 {f:.3}",
            lang.code()
        );
        for (theme, c) in THEMES.iter().zip(&per_theme) {
            let (p, r, f) = c.prf();
            println!(
                "    {theme:9} P {p:.2} R {r:.2} F1 {f:.2}  (tp {} fp {} fn {})",
                c.tp, c.fp, c.fn_
            );
        }
        assert!(f >= floor, "{}: theme F1 {f:.3} below {floor}", lang.code());
    }
}
