//! Demo data for the idea side: two boards and one co-creation challenge with realistic Dutch and
//! English ideas, customers who vote and comment, statuses with official answers (so roadmap and
//! changelog have something to show).

use app::backend::{
    hash_password, now_unix, AppState, NewBoard, NewComment, NewUser, Notices, StatusChange,
    StoreError,
};
use app::i18n::Locale;
use app::idea::{BoardKind, BoardVisibility, IdeaText, Moderation, Stage};
use app::model::Role;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct IdeasReport {
    pub boards: usize,
    pub ideas: usize,
    pub votes: usize,
}

struct DemoIdea {
    board: &'static str,
    locale: Locale,
    title: &'static str,
    body: &'static str,
    days_ago: i64,
    votes: usize,
    status: Option<(&'static str, &'static str)>,
    comments: &'static [&'static str],
}

const IDEAS: &[DemoIdea] = &[
    DemoIdea { board: "app", locale: Locale::Nl, title: "Donkere modus in de app", body: "'s Avonds is het witte scherm erg fel. Een donkere modus zou fijn zijn, het liefst automatisch met de instelling van mijn telefoon mee.", days_ago: 41, votes: 23, status: Some(("in_progress", "We bouwen de donkere modus nu; hij volgt de instelling van je telefoon.")), comments: &["Ja graag, ook voor de facturen-pagina.", "Dit zou mijn ogen sparen!"] },
    DemoIdea { board: "app", locale: Locale::En, title: "Dark mode for the app", body: "Please add a dark theme, the app is too bright at night.", days_ago: 12, votes: 4, status: None, comments: &[] },
    DemoIdea { board: "app", locale: Locale::Nl, title: "Verbruik per dag in een grafiek", body: "Ik wil per dag zien hoeveel stroom en gas ik gebruik, niet alleen per maand.", days_ago: 55, votes: 31, status: Some(("done", "Sinds deze maand zie je je verbruik per dag en per uur in de app. Dank voor het idee!")), comments: &["Super, werkt goed!"] },
    DemoIdea { board: "app", locale: Locale::Nl, title: "Melding bij een ongewoon hoog verbruik", body: "Stuur me een melding als mijn verbruik veel hoger is dan normaal, dan kan ik kijken of er iets aan staat.", days_ago: 20, votes: 17, status: Some(("planned", "Staat gepland voor het tweede kwartaal.")), comments: &[] },
    DemoIdea { board: "app", locale: Locale::En, title: "Log in with fingerprint or face", body: "Typing my password every time is annoying. Biometric login would make the app much quicker.", days_ago: 33, votes: 12, status: Some(("under_review", "")), comments: &["Same for the website with passkeys please."] },
    DemoIdea { board: "app", locale: Locale::Nl, title: "Grotere letters instelbaar", body: "Voor mijn moeder is de tekst in de app te klein. Graag een instelling voor de lettergrootte.", days_ago: 8, votes: 9, status: None, comments: &[] },
    DemoIdea { board: "service", locale: Locale::Nl, title: "Terugbelverzoek in plaats van wachten", body: "Laat me een terugbelverzoek doen als het druk is, in plaats van een half uur in de wacht te staan.", days_ago: 60, votes: 27, status: Some(("done", "Je kunt nu kiezen voor terugbellen als de wachttijd langer is dan vijf minuten.")), comments: &["Heel fijn, gisteren gebruikt."] },
    DemoIdea { board: "service", locale: Locale::En, title: "Chat outside office hours", body: "I work during the day. A chat in the evening would help me a lot.", days_ago: 25, votes: 14, status: Some(("planned", "")), comments: &[] },
    DemoIdea { board: "service", locale: Locale::Nl, title: "Factuur uitleggen in gewone taal", body: "De jaarafrekening is onduidelijk. Leg in gewone woorden uit waarom ik moet bijbetalen.", days_ago: 15, votes: 19, status: None, comments: &["Eens, ik snap de opbouw van de kosten nooit."] },
    DemoIdea { board: "overstappen", locale: Locale::Nl, title: "Meterstanden automatisch doorgeven bij overstappen", body: "Haal de meterstanden zelf op uit de slimme meter, zodat ik niets hoef in te vullen.", days_ago: 9, votes: 15, status: None, comments: &[] },
    DemoIdea { board: "overstappen", locale: Locale::Nl, title: "Overstapservice die de oude leverancier opzegt", body: "Regel het opzeggen bij mijn oude leverancier voor me, met bevestiging per mail.", days_ago: 14, votes: 21, status: None, comments: &["Dat doen jullie toch al?", "Ja, maar ik kreeg geen bevestiging."] },
    DemoIdea { board: "overstappen", locale: Locale::En, title: "Show the switching timeline step by step", body: "A simple progress tracker for my switch: request received, old contract ended, first delivery.", days_ago: 5, votes: 8, status: None, comments: &[] },
];

/// Creates the demo boards, customers and ideas unless there are boards already. Demo customers
/// share `password`.
pub async fn seed_ideas(state: &AppState, password: &str) -> Result<IdeasReport, StoreError> {
    let store = &state.store;
    let mut report = IdeasReport::default();
    if !store.list_boards().await?.is_empty() {
        return Ok(report);
    }
    let now = now_unix();
    let board = |slug: &str, kind, nl: &str, en: &str, dnl: &str, den: &str| NewBoard {
        slug: slug.into(),
        kind,
        name_nl: nl.into(),
        name_en: en.into(),
        description_nl: dnl.into(),
        description_en: den.into(),
        visibility: BoardVisibility::Public,
        moderation: Moderation::Off,
        owner: String::new(),
        opens_at: None,
        closes_at: None,
        stages: Vec::new(),
        stage: None,
        response_days: 14,
        position: 0,
    };
    let stage = |key: &str, nl: &str, en: &str| Stage {
        key: key.into(),
        name_nl: nl.into(),
        name_en: en.into(),
    };
    let boards = [
        board("app", BoardKind::Board, "De app", "The app", "Ideeën voor onze app: inzicht in je verbruik, facturen, meldingen.", "Ideas for our app: insight into your usage, invoices, notifications."),
        board("service", BoardKind::Board, "Klantenservice", "Customer service", "Hoe kunnen we je beter en sneller helpen?", "How can we help you better and faster?"),
        NewBoard {
            owner: "Team Overstappen".into(),
            opens_at: Some(now - 20 * 86_400),
            closes_at: Some(now + 25 * 86_400),
            stages: vec![
                stage("collect", "Ideeën verzamelen", "Collecting ideas"),
                stage("shortlist", "Shortlist", "Shortlist"),
                stage("evaluate", "Beoordelen", "Evaluating"),
                stage("decided", "Besloten", "Decided"),
            ],
            stage: Some("collect".into()),
            position: 1,
            ..board("overstappen", BoardKind::Challenge, "Hoe maken we overstappen van energieleverancier moeiteloos?", "How do we make switching energy supplier effortless?", "Overstappen kost klanten nu gemiddeld drie contactmomenten. Welke stap kunnen we schrappen of automatiseren?", "Switching now takes customers three contacts on average. Which step could we drop or automate?")
        },
    ];
    let mut board_ids = Vec::new();
    for b in &boards {
        board_ids.push((
            b.slug.clone(),
            store.create_board(b, now - 90 * 86_400).await?,
        ));
        report.boards += 1;
    }
    // One hash for every demo customer: argon2 is slow on purpose.
    let hash = hash_password(password).map_err(|e| StoreError::Backend(e.to_string().into()))?;
    let names = [
        "Eva", "Daan", "Sanne", "Noah", "Fleur", "Liam", "Julia", "Sem", "Emma", "Finn", "Tess",
        "Lucas", "Anna", "Milan", "Sophie", "Jesse", "Lotte", "Bram", "Iris", "Thijs", "Maud",
        "Ruben", "Nina", "Stijn", "Isa", "Lars", "Femke", "Tim", "Roos", "Koen", "Mila", "Hugo",
    ];
    let mut customers = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let email = if i == 0 {
            "klant@klantstem.local".to_string()
        } else {
            format!("{}@klant.example", name.to_lowercase())
        };
        let id = store
            .create_user(&NewUser {
                email,
                display_name: name.to_string(),
                password_hash: hash.clone(),
                role: Role::Customer,
            })
            .await?;
        // The demo's recognised survey customers (see `demo::seed`): their votes carry an NPS.
        store
            .set_customer_hash(
                id,
                &app::backend::customer_hash(&state.customer_key, &format!("demo-customer-{i}")),
            )
            .await?;
        customers.push(id);
    }
    let staff = store
        .create_user(&NewUser {
            email: "product@klantstem.local".into(),
            display_name: "Productteam".into(),
            password_hash: hash.clone(),
            role: Role::ProductTeam,
        })
        .await?;
    for (n, demo) in IDEAS.iter().enumerate() {
        let Some((_, board_id)) = board_ids.iter().find(|(s, _)| s == demo.board) else {
            continue;
        };
        let author = customers[(n * 7 + 1) % customers.len()];
        let created = now - demo.days_ago * 86_400;
        let text = IdeaText {
            title: demo.title.into(),
            body: demo.body.into(),
        };
        let idea = klantstem_core::ideas::analysed_idea(
            state,
            *board_id,
            author,
            text,
            demo.locale,
            false,
            created,
        );
        let id = store.insert_idea(&idea).await?;
        report.ideas += 1;
        report.votes += 1;
        for k in 0..demo.votes.min(customers.len()) {
            let voter = customers[(n * 5 + k * 3) % customers.len()];
            if voter != author {
                store
                    .set_vote(id, voter, true, created + 3600 * (k as i64 + 1))
                    .await?;
                report.votes += 1;
            }
        }
        for (k, text) in demo.comments.iter().enumerate() {
            let analysis = state.analyzer.analyze(text, Some(demo.locale));
            let comment = NewComment {
                idea_id: id,
                author_id: customers[(n * 3 + k * 11 + 2) % customers.len()],
                body: text.to_string(),
                body_masked: analysis.masked,
                language: analysis.language.map(|l| l.code),
                sentiment: analysis.sentiment.map(|s| s.0),
                official: false,
                created_at: created + 86_400 * (k as i64 + 1),
            };
            store.add_comment(&comment, &Notices::default()).await?;
        }
        if let Some((status, message)) = demo.status {
            let change = StatusChange {
                idea_id: id,
                status: status.into(),
                message: (!message.is_empty()).then(|| message.to_string()),
                actor_id: staff,
                at: created + 7 * 86_400,
            };
            store.change_status(&change, &Notices::default()).await?;
        }
    }
    Ok(report)
}
