//! Demo data for closing the loop: departments from the taxonomy's theme owners with their
//! rules, two department members, and follow-up cases in every state (open, contacted,
//! escalated, closed) from demo customers whose earlier answers fill their timelines.

use app::backend::{
    customer_hash, now_unix, AppState, ItemChange, NewContact, NewResponse, StoreError,
};
use app::i18n::Locale;
use app::inbox::{CasePolicy, ContactChannel, InboxQuery, Outcome};
use app::model::{Role, UserInfo};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoopReport {
    pub departments: usize,
    pub rules: u32,
    pub items: u64,
    pub cases: usize,
    pub actions: usize,
    /// Complaint mails, chats, social posts and app reviews without a score.
    pub open_feedback: usize,
    /// Texts whose sentiment a person labelled.
    pub labels: usize,
    /// Mentions of a theme whose sentiment a person labelled.
    pub theme_labels: usize,
}

/// What happens to a demo case after it opened.
#[derive(Clone, Copy)]
enum Then {
    Nothing,
    Contacted,
    /// Past its deadline without contact: escalated to the lead.
    Escalated,
    Closed(Outcome, &'static str),
}

struct DemoCase {
    hours_ago: i64,
    score: u8,
    locale: Locale,
    channel: &'static str,
    text: &'static str,
    customer: u64,
    then: Then,
}

const CASES: &[DemoCase] = &[
    DemoCase { hours_ago: 2, score: 3, locale: Locale::Nl, channel: "phone", text: "Ik heb drie kwartier in de wacht gestaan en toen werd de verbinding verbroken.", customer: 3, then: Then::Nothing },
    DemoCase { hours_ago: 20, score: 4, locale: Locale::Nl, channel: "web", text: "Mijn factuur is veel te hoog en niemand legt uit waarom ik moet bijbetalen.", customer: 5, then: Then::Contacted },
    DemoCase { hours_ago: 60, score: 1, locale: Locale::Nl, channel: "email", text: "Al drie keer gebeld over mijn verhuizing en elke keer moest ik mijn hele verhaal opnieuw vertellen.", customer: 7, then: Then::Escalated },
    DemoCase { hours_ago: 96, score: 2, locale: Locale::En, channel: "chat", text: "The delivery was a week late and nobody answered my emails.", customer: 9, then: Then::Closed(Outcome::Resolved, "vervoerder te laat") },
    DemoCase { hours_ago: 120, score: 5, locale: Locale::Nl, channel: "phone", text: "De wachttijd aan de telefoon is elke keer weer te lang.", customer: 11, then: Then::Closed(Outcome::NotReached, "onderbezetting piekuren") },
    DemoCase { hours_ago: 30, score: 6, locale: Locale::Nl, channel: "app", text: "De app logt me steeds uit en de medewerker aan de telefoon kon niets voor me doen.", customer: 13, then: Then::Closed(Outcome::Resolved, "sessie verloopt te snel") },
];

/// Sets up departments, rules and cases unless there are departments already. The two members
/// (`service@klantstem.local`, lead of Klantenservice, and `billing@klantstem.local`) share
/// `password`.
pub async fn seed_loop(state: &AppState, password: &str) -> Result<LoopReport, StoreError> {
    let store = &state.store;
    let mut report = LoopReport::default();
    if !store.routing_setup().await?.departments.is_empty() {
        return Ok(report);
    }
    let now = now_unix();
    // Rules from the taxonomy's theme owners, as an admin would press the button.
    let seeder = UserInfo {
        id: 0,
        email: String::new(),
        display_name: "demo".into(),
        role: Role::Admin,
    };
    report.rules = klantstem_core::routing::rules_from_taxonomy(state, &seeder)
        .await
        .map_err(|e| StoreError::Backend(e.to_string().into()))?;
    let setup = store.routing_setup().await?;
    report.departments = setup.departments.len();
    let department = |name: &str| {
        setup
            .departments
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.id)
    };
    let service = department("Klantenservice");
    let mut staff = Vec::new();
    for (email, name, home, lead) in [
        (
            "service@klantstem.local",
            "Sanne de Vries",
            "Klantenservice",
            true,
        ),
        ("billing@klantstem.local", "Bram Jansen", "Financiën", false),
    ] {
        if store.user_by_email(email).await?.is_none() {
            crate::create_user(state, email, name, Role::Department, password)
                .await
                .map_err(|e| StoreError::Backend(e.to_string().into()))?;
        }
        let user = store
            .user_by_email(email)
            .await?
            .expect("just created")
            .info
            .id;
        if let Some(d) = department(home) {
            store.set_department_member(d, user, true).await?;
            if lead {
                store
                    .save_department(Some(d), home, Some(user), now)
                    .await?;
            }
        }
        staff.push(user);
    }
    store
        .save_routing_settings(service, &CasePolicy::default())
        .await?;
    // Route what is there already.
    let ids: Vec<i64> = store
        .recent_facts(100_000)
        .await?
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    report.items = store.reroute(&ids, now).await?;

    let survey = store
        .list_surveys()
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Backend("no demo survey".into()))?;
    let batch: Vec<NewResponse> = CASES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let analysis = state.analyzer.analyze(c.text, Some(c.locale));
            let customer = format!("demo-customer-{}", c.customer);
            NewResponse {
                survey_id: survey.id,
                submission_token: format!("demo-case-{i}"),
                score: Some(c.score),
                rating: None,
                reason: Some(c.text.into()),
                language: analysis.language.as_ref().map(|l| l.code.clone()),
                language_confidence: analysis.language.as_ref().map(|l| l.confidence),
                respondent_locale: c.locale.as_str().into(),
                channel: Some(c.channel.into()),
                journey_phase: Some("service".into()),
                contact_email: Some(format!("klant{}@example.nl", c.customer)),
                created_at: now - c.hours_ago * 3600,
                sentiment: analysis.sentiment.as_ref().map(|s| s.0.clone()),
                sentiment_score: analysis.sentiment.map(|s| s.1),
                sentiment_confidence: analysis.sentiment_confidence,
                themes: analysis.themes,
                taxonomy_version: analysis.taxonomy_version,
                source: "survey".into(),
                customer_hash: Some(customer_hash(&state.customer_key, &customer)),
                customer_ref: Some(customer),
                consent: Some(
                    app::i18n::LocaleTexts::texts(c.locale)
                        .consent_label
                        .to_string(),
                ),
                entered_by: None,
                answers: Vec::new(),
                labels: Default::default(),
            }
        })
        .collect();
    let inserted = store.insert_responses(&batch).await?;
    let (items, _) = store.inbox(None, &InboxQuery::default()).await?;
    for (c, stored) in CASES.iter().zip(&inserted) {
        let Some(item) = items
            .iter()
            .find(|i| i.response_id == Some(stored.id) && i.case.is_some())
        else {
            continue;
        };
        let record = store.inbox_item(item.id).await?.expect("listed");
        let Some(case) = record.case else { continue };
        report.cases += 1;
        let by = staff[0];
        let contact = |reached: bool, note: &str, after: i64| NewContact {
            case_id: case.id,
            channel: if c.channel == "email" {
                ContactChannel::Email
            } else {
                ContactChannel::Phone
            },
            reached,
            note: note.into(),
            user_id: by,
            at: case.opened_at + after,
        };
        match c.then {
            Then::Nothing | Then::Escalated => {}
            Then::Contacted => {
                store
                    .add_contact(
                        &contact(false, "Voicemail ingesproken, belt morgen terug.", 3 * 3600),
                        None,
                    )
                    .await?;
            }
            Then::Closed(outcome, root) => {
                let reached = outcome != Outcome::NotReached;
                let note = if reached {
                    "Excuses aangeboden en de oorzaak uitgelegd; klant tevreden."
                } else {
                    "Twee keer gebeld, geen gehoor; mail gestuurd."
                };
                store
                    .add_contact(&contact(reached, note, 5 * 3600), None)
                    .await?;
                store
                    .close_case(case.id, outcome, root, case.opened_at + 6 * 3600, None)
                    .await?;
                store
                    .add_note(
                        item.id,
                        by,
                        "Besproken in het teamoverleg.",
                        case.opened_at + 7 * 3600,
                    )
                    .await?;
            }
        }
        if matches!(c.then, Then::Contacted) {
            let change = ItemChange {
                assignee: Some(Some(by)),
                ..ItemChange::default()
            };
            store.update_item(item.id, &change, now).await?;
        }
    }
    // The 60-hour-old case is past its deadline: escalate it as the background job would.
    let base = state.settings.public_url.clone().unwrap_or_default();
    klantstem_core::inbox::escalate_overdue(state, &app::mail::context(base), now).await?;
    report.actions =
        seed_actions(state, survey.id, staff[0], service, department("Financiën")).await?;
    seed_switches(state, survey.id).await?;
    report.open_feedback = seed_open_feedback(state, survey.id).await?;
    report.labels = seed_labels(state, staff[0]).await?;
    report.theme_labels = seed_theme_labels(state, staff[0]).await?;
    Ok(report)
}

/// Customers who tried the website or the app and then had to call: the dashboard's channel
/// switches.
async fn seed_switches(state: &AppState, survey_id: i64) -> Result<(), StoreError> {
    const FIRST: &[(&str, &str)] = &[
        (
            "web",
            "De website gaf steeds een foutmelding bij het inloggen.",
        ),
        ("app", "In de app kon ik mijn meterstand niet doorgeven."),
        (
            "web",
            "Op de website vond ik nergens hoe ik mijn adres wijzig.",
        ),
    ];
    const THEN: &str = "Uiteindelijk toch maar gebeld, want online lukte het niet.";
    let now = now_unix();
    let mut batch = Vec::new();
    for i in 0..9i64 {
        let (channel, text) = FIRST[i as usize % FIRST.len()];
        let customer = customer_hash(&state.customer_key, &format!("demo-switcher-{i}"));
        let first_at = now - (10 + i * 6) * 86_400;
        let contacts = [
            (channel, text, 5u8, first_at),
            ("phone", THEN, 3u8, first_at + (1 + i % 3) * 86_400),
        ];
        for (k, (ch, text, score, at)) in contacts.into_iter().enumerate() {
            let mut r = analysed(state, text, Locale::Nl, ch, at);
            r.survey_id = survey_id;
            r.submission_token = format!("demo-switch-{i}-{k}");
            r.score = Some(score);
            r.journey_phase = Some("usage".into());
            r.customer_hash = Some(customer.clone());
            batch.push(r);
        }
    }
    state.store.insert_responses(&batch).await?;
    Ok(())
}

/// A demo text as the ingest path would store it: analysed, without a score, survey or token
/// (the caller sets what differs).
fn analysed(state: &AppState, text: &str, locale: Locale, channel: &str, at: i64) -> NewResponse {
    let analysis = state.analyzer.analyze(text, Some(locale));
    NewResponse {
        survey_id: 0,
        submission_token: String::new(),
        score: None,
        rating: None,
        reason: Some(text.into()),
        language: analysis.language.as_ref().map(|l| l.code.clone()),
        language_confidence: analysis.language.as_ref().map(|l| l.confidence),
        respondent_locale: locale.as_str().into(),
        channel: Some(channel.into()),
        journey_phase: None,
        contact_email: None,
        created_at: at,
        sentiment: analysis.sentiment.as_ref().map(|s| s.0.clone()),
        sentiment_score: analysis.sentiment.map(|s| s.1),
        sentiment_confidence: analysis.sentiment_confidence,
        themes: analysis.themes,
        taxonomy_version: analysis.taxonomy_version,
        source: "survey".into(),
        customer_hash: None,
        customer_ref: None,
        consent: None,
        entered_by: None,
        answers: Vec::new(),
        labels: Default::default(),
    }
}

/// Open feedback as it arrives from a shared mailbox, a chat tool, social media and the app
/// stores: no score, sometimes stars. (channel, stars, text, language)
const OPEN_FEEDBACK: &[(&str, Option<u8>, &str, Locale)] = &[
    (
        "email",
        None,
        "Mijn factuur klopt niet: ik betaal dubbel voor de maand november.",
        Locale::Nl,
    ),
    (
        "email",
        None,
        "Al twee weken wacht ik op antwoord op mijn klacht over de levering.",
        Locale::Nl,
    ),
    (
        "email",
        None,
        "Het pakket is beschadigd aangekomen en de retourpagina werkt niet.",
        Locale::Nl,
    ),
    (
        "email",
        None,
        "I was charged twice and nobody answers my emails.",
        Locale::En,
    ),
    (
        "chat",
        None,
        "Klant vraagt waarom de monteur niet is gekomen; afspraak twee keer verzet.",
        Locale::Nl,
    ),
    (
        "chat",
        None,
        "Kan mijn adres niet wijzigen op de website, de knop doet niets.",
        Locale::Nl,
    ),
    (
        "chat",
        None,
        "The chat agent was friendly and fixed my login quickly.",
        Locale::En,
    ),
    (
        "social",
        None,
        "Drie kwartier in de wacht bij de klantenservice. Echt belachelijk.",
        Locale::Nl,
    ),
    (
        "social",
        None,
        "Complimenten aan de bezorger, heel vriendelijk en netjes op tijd!",
        Locale::Nl,
    ),
    (
        "app",
        Some(1),
        "De app loopt vast bij het betalen, al sinds de laatste update.",
        Locale::Nl,
    ),
    (
        "app",
        Some(2),
        "Inloggen lukt pas na drie pogingen, erg onhandig.",
        Locale::Nl,
    ),
    (
        "app",
        Some(4),
        "Handige app, meterstand doorgeven ging in een minuut.",
        Locale::Nl,
    ),
    (
        "app",
        Some(5),
        "Great app, delivery tracking works perfectly.",
        Locale::En,
    ),
    (
        "app",
        Some(3),
        "Werkt wel, maar de prijzen zijn onduidelijk.",
        Locale::Nl,
    ),
];

/// Open feedback without a score from the last weeks, through the API and an import.
async fn seed_open_feedback(state: &AppState, survey_id: i64) -> Result<usize, StoreError> {
    let now = now_unix();
    let batch: Vec<NewResponse> = OPEN_FEEDBACK
        .iter()
        .enumerate()
        .map(|(i, (channel, stars, text, locale))| {
            let at = now - (2 + 3 * i as i64) * 86_400 - 3_600 * (i as i64 % 7);
            let mut r = analysed(state, text, *locale, channel, at);
            r.survey_id = survey_id;
            r.submission_token = format!("demo-open-{i}");
            r.rating = *stars;
            r.source = if stars.is_some() { "import" } else { "api" }.into();
            r
        })
        .collect();
    state.store.insert_responses(&batch).await?;
    Ok(batch.len())
}

/// A first round of the review queue, as the Klantenservice lead would do it: the unsure texts
/// labelled by what the customer's score says (low: negative, high: positive).
async fn seed_labels(state: &AppState, user: i64) -> Result<usize, StoreError> {
    let batch = klantstem_core::labels::review_page(state, Locale::Nl).await?;
    let mut labelled = 0;
    for item in batch.items.iter().take(15) {
        let Some(v) = state.store.response(item.response_id).await? else {
            continue;
        };
        let sentiment = match v.score {
            Some(0..=4) => "negative",
            Some(9..=10) => "positive",
            Some(_) => "neutral",
            None => continue,
        };
        if state
            .store
            .label_sentiment(item.response_id, sentiment, user, now_unix())
            .await?
        {
            labelled += 1;
        }
    }
    Ok(labelled)
}

/// A manager's labels of the waiting-time mentions of detractors that the lexicon was unsure of
/// (no opinion words in "drie kwartier in de wacht"): negative, certain from then on.
async fn seed_theme_labels(state: &AppState, user: i64) -> Result<usize, StoreError> {
    let filter = app::model::ResponseFilter {
        theme: Some("waiting_time".into()),
        group: Some("detractor".into()),
        ..Default::default()
    };
    let mut labelled = 0;
    for v in state.store.list_responses(&filter, 200).await? {
        let unsure = v
            .themes
            .iter()
            .any(|t| t.key == "waiting_time" && !app::text_labels::confident(t.confidence));
        if unsure
            && state
                .store
                .label_theme_sentiment(v.id, "waiting_time", "negative", user, now_unix())
                .await?
        {
            labelled += 1;
            if labelled == 12 {
                break;
            }
        }
    }
    Ok(labelled)
}

/// Texts around the two finished actions: complaints before, praise after.
const WAIT_BEFORE: &[(&str, Locale)] = &[
    (
        "Weer een half uur in de wacht gestaan, dit is niet normaal.",
        Locale::Nl,
    ),
    (
        "De wachttijd aan de telefoon is echt veel te lang.",
        Locale::Nl,
    ),
    (
        "Niemand nam op, na twintig minuten heb ik opgehangen.",
        Locale::Nl,
    ),
    (
        "Waiting on hold for forty minutes is unacceptable.",
        Locale::En,
    ),
];
const WAIT_AFTER: &[(&str, Locale)] = &[
    (
        "Ik werd binnen tien minuten teruggebeld, geen wachttijd meer.",
        Locale::Nl,
    ),
    (
        "Fijn dat jullie nu terugbellen in plaats van mij te laten wachten.",
        Locale::Nl,
    ),
    (
        "Called back quickly instead of waiting on hold, great.",
        Locale::En,
    ),
    ("Kort gewacht en goed geholpen.", Locale::Nl),
];
const BILL_BEFORE: &[(&str, Locale)] = &[
    (
        "Mijn factuur is onbegrijpelijk, waarom moet ik bijbetalen?",
        Locale::Nl,
    ),
    (
        "De jaarafrekening klopt niet en de kosten zijn niet uit te leggen.",
        Locale::Nl,
    ),
];
const BILL_AFTER: &[(&str, Locale)] = &[
    (
        "De nieuwe factuur legt de kosten eindelijk duidelijk uit.",
        Locale::Nl,
    ),
    (
        "Factuur was helder, ik snap nu waarom ik moest betalen.",
        Locale::Nl,
    ),
];

/// Two finished actions with a visible before/after (the demo's responses around them say so),
/// one planned and overdue, one proposed from the escalated case.
async fn seed_actions(
    state: &AppState,
    survey_id: i64,
    owner: i64,
    service: Option<i64>,
    billing: Option<i64>,
) -> Result<usize, StoreError> {
    use app::action::{ActionInput, ActionStatus, EvidenceKind};
    let store = &state.store;
    let now = now_unix();
    let day = 86_400;
    let mut batch = Vec::new();
    let mut add =
        |texts: &[(&str, Locale)], scores: &[u8], from_days: i64, to_days: i64, tag: &str| {
            for i in 0..24usize {
                let (text, locale) = texts[i % texts.len()];
                let span = (to_days - from_days).max(1) * day;
                let channel = if i % 3 == 0 { "phone" } else { "web" };
                let at = now - from_days * day - (i as i64 * 7919 * 60) % span;
                let mut r = analysed(state, text, locale, channel, at);
                r.survey_id = survey_id;
                r.submission_token = format!("demo-{tag}-{i}");
                r.score = Some(scores[i % scores.len()]);
                r.journey_phase = Some("service".into());
                batch.push(r);
            }
        };
    // The callback service was done 45 days ago: 30 days before it, 30 after.
    add(WAIT_BEFORE, &[1, 3, 4, 6, 2, 5, 7], 45, 75, "wait-before");
    add(WAIT_AFTER, &[9, 10, 8, 9, 6, 10, 9], 15, 45, "wait-after");
    // The readable invoice, done 20 days ago.
    add(BILL_BEFORE, &[3, 5, 6, 4, 8], 20, 50, "bill-before");
    add(BILL_AFTER, &[8, 9, 7, 10, 6], 0, 20, "bill-after");
    store.insert_responses(&batch).await?;
    let idea = {
        let mut found = None;
        for b in store.list_boards().await? {
            let (cards, _) = store
                .list_ideas(b.id, &Default::default(), None, true, 0)
                .await?;
            if let Some(c) = cards
                .iter()
                .find(|c| c.title == "Terugbelverzoek in plaats van wachten")
            {
                found = Some(c.id);
            }
        }
        found
    };
    let escalated = store
        .inbox(
            None,
            &InboxQuery {
                open_cases: true,
                ..Default::default()
            },
        )
        .await?
        .0
        .into_iter()
        .find(|i| i.case.is_some_and(|c| c.escalated))
        .map(|i| i.id);
    let actions = [
        (ActionInput {
            title: "Terugbellen in plaats van wachten".into(),
            description: "Bij een wachttijd boven vijf minuten kiest de klant voor terugbellen; het team belt binnen een uur terug.".into(),
            department: service,
            owner: Some(owner),
            due: Some((now - 50 * day) / day * day),
            status: ActionStatus::Done,
            themes: vec!["waiting_time".into()],
            public_message: "Is het druk aan de telefoon? Dan bellen we u nu binnen een uur terug, zonder wachtrij.".into(),
            evidence: idea.map(|i| (EvidenceKind::Idea, i)),
        }, now - 45 * day),
        (ActionInput {
            title: "Jaarafrekening in gewone taal".into(),
            description: "Nieuwe opbouw van de factuur met uitleg per kostenpost.".into(),
            department: billing,
            owner: None,
            due: Some((now - 25 * day) / day * day),
            status: ActionStatus::Done,
            themes: vec!["price_billing".into()],
            public_message: "Uw jaarafrekening legt nu per kostenpost in gewone taal uit wat u betaalt.".into(),
            evidence: None,
        }, now - 20 * day),
        (ActionInput {
            title: "Verhuizingen in één keer afhandelen".into(),
            description: "Klanten moeten hun verhaal nu vaak opnieuw vertellen; één vast aanspreekpunt per verhuizing.".into(),
            department: service,
            owner: Some(owner),
            due: Some((now - 3 * day) / day * day),
            status: ActionStatus::Planned,
            themes: vec!["repeat_information".into()],
            public_message: String::new(),
            evidence: escalated.map(|i| (EvidenceKind::Item, i)),
        }, now - 14 * day),
        (ActionInput {
            title: "Bezorgers beter informeren over levertijden".into(),
            description: String::new(),
            department: None,
            owner: None,
            due: None,
            status: ActionStatus::Proposed,
            themes: vec!["delivery".into()],
            public_message: String::new(),
            evidence: None,
        }, now - 2 * day),
    ];
    for (input, at) in &actions {
        store.create_action(input, owner, *at).await?;
    }
    Ok(actions.len())
}
