//! Demo data: a few surveys across channels and journey phases, and a few hundred realistic
//! Dutch and English responses spread over recent months. Deterministic for a given seed.

use app::backend::{customer_hash, now_unix, AppState, NewResponse, NewSurvey, StoreError};
use app::i18n::Locale;
use app::questions::{Answer, QuestionKind, QuestionTexts};
use app::survey::{Channel, JourneyPhase};

struct DemoSurvey {
    slug: &'static str,
    title_nl: &'static str,
    title_en: &'static str,
    phases: &'static [JourneyPhase],
    channels: &'static [Channel],
    /// A CSAT or CES question after the NPS question, with its label (nl, en).
    question: Option<(QuestionKind, &'static str, &'static str)>,
}

const SURVEYS: &[DemoSurvey] = &[
    DemoSurvey {
        slug: "klantenservice",
        title_nl: "Uw contact met de klantenservice",
        title_en: "Your contact with customer service",
        phases: &[JourneyPhase::Service],
        channels: &[Channel::Phone, Channel::Email, Channel::Chat],
        question: Some((
            QuestionKind::Csat,
            "Hoe tevreden bent u over dit contact?",
            "How satisfied are you with this contact?",
        )),
    },
    DemoSurvey {
        slug: "webshop",
        title_nl: "Bestellen in onze webshop",
        title_en: "Ordering in our web shop",
        phases: &[JourneyPhase::Orientation, JourneyPhase::Purchase],
        channels: &[Channel::Web, Channel::App],
        question: Some((
            QuestionKind::Ces,
            "Hoe makkelijk was het om uw bestelling te plaatsen?",
            "How easy was it to place your order?",
        )),
    },
    DemoSurvey {
        slug: "welkom",
        title_nl: "Uw eerste weken als klant",
        title_en: "Your first weeks as a customer",
        phases: &[JourneyPhase::Onboarding, JourneyPhase::Usage],
        channels: &[Channel::Email, Channel::App],
        question: None,
    },
    DemoSurvey {
        slug: "winkel",
        title_nl: "Uw bezoek aan onze winkel",
        title_en: "Your visit to our store",
        phases: &[JourneyPhase::Purchase, JourneyPhase::Renewal],
        channels: &[Channel::Store, Channel::Social],
        question: None,
    },
];

const DETRACTOR_NL: &[&str] = &[
    "Ik heb drie keer moeten bellen en moest elke keer mijn hele verhaal opnieuw vertellen.",
    "Veertig minuten in de wacht gestaan, daarna werd de verbinding verbroken.",
    "De levering was een week te laat en niemand liet iets weten.",
    "Mijn factuur klopt al twee maanden niet en er wordt niets mee gedaan.",
    "De app loopt steeds vast bij het afrekenen, erg frustrerend.",
    "Beloofd werd dat ik teruggebeld zou worden, maar dat is nooit gebeurd.",
    "Het retourneren van mijn bestelling was een drama, ik wacht nog steeds op mijn geld.",
    "Onvriendelijke medewerker aan de telefoon, ik voelde me niet serieus genomen.",
    "Veel te duur voor wat je krijgt, en de prijs ging zonder uitleg omhoog.",
    "De winkel was al dicht terwijl op de website andere openingstijden stonden.",
    "Informatie op de website is verouderd en spreekt de medewerkers tegen.",
    "Product was na een week al kapot. Slechte kwaliteit.",
];
const PASSIVE_NL: &[&str] = &[
    "Prima geholpen, maar het duurde wel lang voordat ik iemand aan de lijn had.",
    "Bestellen ging goed, de bezorging kan sneller.",
    "Redelijke prijs, niets bijzonders.",
    "De medewerker was vriendelijk, maar kon mijn vraag niet helemaal beantwoorden.",
    "Website is overzichtelijk, alleen het zoeken werkt niet altijd goed.",
    "Het product is goed, de handleiding is onduidelijk.",
    "Over het algemeen tevreden, maar de communicatie over mijn bestelling kan beter.",
    "Winkel was netjes, wel lang moeten wachten bij de kassa.",
];
const PROMOTER_NL: &[&str] = &[
    "Super snel geholpen via de chat, binnen vijf minuten was alles geregeld.",
    "Heel vriendelijke en deskundige medewerker, die echt meedacht.",
    "Bestelling was de volgende dag al in huis, netjes verpakt.",
    "Fijne app, alles is makkelijk te vinden.",
    "Goede kwaliteit voor een eerlijke prijs.",
    "Retourneren was kinderlijk eenvoudig en het geld stond snel terug.",
    "Ze hadden mijn gegevens al, ik hoefde niets te herhalen. Zo hoort het!",
    "Altijd goed geholpen in de winkel, prettige sfeer.",
    "Duidelijke uitleg bij de start, ik wist meteen hoe alles werkte.",
];
const DETRACTOR_EN: &[&str] = &[
    "I had to explain my problem again every time I called, nobody reads the notes.",
    "Waited on hold for over half an hour and then got disconnected.",
    "My order arrived a week late and nobody told me anything.",
    "The billing is wrong for the second month in a row.",
    "The app keeps crashing at checkout.",
    "I was promised a call back that never came.",
    "Returning the item was a nightmare and I am still waiting for my refund.",
    "Far too expensive for the quality you get.",
];
const PASSIVE_EN: &[&str] = &[
    "Helpful staff, but it took a long time to reach someone.",
    "Ordering was fine, delivery could be faster.",
    "Decent product, nothing special.",
    "The website is clear, but search does not always find what I need.",
    "Friendly service, though my question was only partly answered.",
];
const PROMOTER_EN: &[&str] = &[
    "Quick and friendly help through the chat, sorted in minutes.",
    "The agent already knew my history, I did not have to repeat anything.",
    "Next-day delivery and nicely packed.",
    "Great app, very easy to use.",
    "Good quality at a fair price.",
    "Returns were easy and the refund came quickly.",
    "Knowledgeable staff in the store who took their time for me.",
];

/// Score weights 0..=10: a middling company with NPS around +10 and real spread.
const SCORE_WEIGHTS: [u32; 11] = [3, 2, 2, 3, 4, 6, 8, 14, 17, 20, 21];

/// A small deterministic generator (SplitMix64): the same seed gives the same demo.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = self.below(total as u64) as u32;
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }
}

/// Responses stored per transaction.
const BATCH: usize = 500;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub surveys_created: usize,
    pub responses_created: usize,
}

/// Creates the demo surveys that do not exist yet and adds `responses` responses over the last
/// `days` days. Texts go through the same language detection as live answers.
pub async fn seed(
    state: &AppState,
    responses: usize,
    days: i64,
    seed: u64,
) -> Result<SeedReport, StoreError> {
    let store = &state.store;
    let now = now_unix();
    let mut report = SeedReport::default();
    let mut ids = Vec::new();
    let mut questions = Vec::new();
    for s in SURVEYS {
        let id = match store.survey_by_slug(s.slug).await? {
            Some(existing) => existing.id,
            None => {
                report.surveys_created += 1;
                let id = store
                    .create_survey(&NewSurvey {
                        slug: s.slug.into(),
                        title_nl: s.title_nl.into(),
                        title_en: s.title_en.into(),
                        open: true,
                        created_at: now - days * 86_400,
                        texts: Default::default(),
                        embed_origins: Vec::new(),
                    })
                    .await?;
                if let Some((kind, label_nl, label_en)) = s.question {
                    let texts = QuestionTexts {
                        label_nl: label_nl.into(),
                        label_en: label_en.into(),
                        ..Default::default()
                    };
                    store.add_question(id, kind, false, &texts, now).await?;
                }
                id
            }
        };
        // The survey's scale question, if it has one.
        let question = store
            .survey_questions(id)
            .await?
            .into_iter()
            .find(|q| matches!(q.kind, QuestionKind::Csat | QuestionKind::Ces) && !q.retired)
            .map(|q| (q.id, q.kind));
        ids.push(id);
        questions.push(question);
    }
    let mut rng = Rng(seed);
    // Recognised customers: about one response in six comes from a known customer, and the
    // pool is small enough that many of them answer more than once.
    let customers = (responses as u64 / 12).max(1);
    let mut batch: Vec<NewResponse> = Vec::with_capacity(BATCH);
    for i in 0..responses {
        let which = rng.below(SURVEYS.len() as u64) as usize;
        let survey = &SURVEYS[which];
        let score = rng.weighted(&SCORE_WEIGHTS) as u8;
        let locale = if rng.chance(70) {
            Locale::Nl
        } else {
            Locale::En
        };
        let pool = match (locale, score) {
            (Locale::Nl, 0..=6) => DETRACTOR_NL,
            (Locale::Nl, 7 | 8) => PASSIVE_NL,
            (Locale::Nl, _) => PROMOTER_NL,
            (Locale::En, 0..=6) => DETRACTOR_EN,
            (Locale::En, 7 | 8) => PASSIVE_EN,
            (Locale::En, _) => PROMOTER_EN,
        };
        // About one in five respondents leaves the "why" empty.
        let reason = (!rng.chance(20)).then(|| rng.pick(pool).to_string());
        let analysis = reason
            .as_deref()
            .map(|r| state.analyzer.analyze(r, Some(locale)))
            .unwrap_or_default();
        let language = analysis.language;
        // More responses in recent weeks, as after a campaign.
        let age = {
            let a = rng.below(days as u64 * 86_400) as i64;
            let b = rng.below(days as u64 * 86_400) as i64;
            a.min(b)
        };
        let customer = rng
            .chance(16)
            .then(|| format!("demo-customer-{}", rng.below(customers)));
        // Most answer the scale question too, in line with their score.
        let answers = match questions[which] {
            Some((question_id, kind)) if rng.chance(85) => {
                let top = if kind == QuestionKind::Csat { 5 } else { 7 };
                let base = 1 + (score as i64 * (top - 1) + 5) / 10;
                let value = (base + rng.below(3) as i64 - 1).clamp(1, top);
                vec![Answer {
                    question_id,
                    value: Some(value),
                    text: None,
                }]
            }
            _ => Vec::new(),
        };
        batch.push(NewResponse {
            survey_id: ids[which],
            submission_token: format!("demo-{seed:x}-{i}"),
            score: Some(score),
            rating: None,
            reason,
            language: language.as_ref().map(|l| l.code.clone()),
            language_confidence: language.map(|l| l.confidence),
            respondent_locale: locale.as_str().into(),
            channel: Some(rng.pick(survey.channels).as_str().into()),
            journey_phase: Some(rng.pick(survey.phases).as_str().into()),
            contact_email: None,
            created_at: now - age,
            sentiment: analysis.sentiment.as_ref().map(|s| s.0.clone()),
            sentiment_score: analysis.sentiment.map(|s| s.1),
            sentiment_confidence: analysis.sentiment_confidence,
            themes: analysis.themes,
            taxonomy_version: analysis.taxonomy_version,
            source: "survey".into(),
            consent: customer.as_ref().map(|_| {
                app::i18n::LocaleTexts::texts(locale)
                    .consent_label
                    .to_string()
            }),
            customer_ref: customer.clone(),
            // Keyed like every real customer reference, so the demo's timelines work.
            customer_hash: customer
                .as_deref()
                .map(|c| customer_hash(&state.customer_key, c)),
            entered_by: None,
            answers,
            labels: Default::default(),
        });
        if batch.len() == BATCH || i + 1 == responses {
            let inserted = store.insert_responses(&batch).await?;
            report.responses_created += inserted.iter().filter(|i| !i.duplicate).count();
            batch.clear();
        }
    }
    Ok(report)
}
