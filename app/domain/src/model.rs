//! Data that travels between server and browser.

use crate::locale::Locale;
// The calendar under its old path, for the views and the store.
pub use crate::calendar::{
    civil, day_number, format_date, month_key, month_start, next_month_start, week_start,
};
use crate::nps::ScoreDistribution;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Manager,
    /// A member of a department that works its inbox of routed feedback.
    Department,
    /// A product team member who votes on and prioritises ideas.
    ProductTeam,
    Customer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Manager,
        Role::Department,
        Role::ProductTeam,
        Role::Customer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Department => "department",
            Role::ProductTeam => "product_team",
            Role::Customer => "customer",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }

    /// Department members, managers and admins enter feedback a customer gave by phone or at
    /// the counter.
    pub fn enters_feedback(self) -> bool {
        matches!(self, Role::Admin | Role::Manager | Role::Department)
    }

    /// Management dashboards are for managers and admins only.
    pub fn sees_dashboard(self) -> bool {
        matches!(self, Role::Admin | Role::Manager)
    }

    /// Who reads feedback on the dashboard and in the responses list: managers and admins all
    /// of it, department members what was routed to their departments.
    pub fn sees_feedback(self) -> bool {
        matches!(self, Role::Admin | Role::Manager | Role::Department)
    }

    /// Product teams, managers and admins triage ideas: change statuses, answer officially,
    /// moderate.
    pub fn manages_ideas(self) -> bool {
        matches!(self, Role::Admin | Role::Manager | Role::ProductTeam)
    }

    /// Everyone but customers works here.
    pub fn is_staff(self) -> bool {
        self != Role::Customer
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub id: i64,
    pub slug: String,
    pub title_nl: String,
    pub title_en: String,
    pub open: bool,
    pub created_at: i64,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub texts: SurveyTexts,
    /// Sites that may embed the survey (`https://www.example.nl`); none: nobody may.
    #[serde(default)]
    pub embed_origins: Vec<String>,
}

/// What a survey says besides its title, per language; empty texts fall back to the other
/// language and then to the standard text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyTexts {
    pub intro_nl: String,
    pub intro_en: String,
    /// The follow-up question for scores 0–6.
    pub followup_detractor_nl: String,
    pub followup_detractor_en: String,
    /// For scores 7–8.
    pub followup_passive_nl: String,
    pub followup_passive_en: String,
    /// For scores 9–10.
    pub followup_promoter_nl: String,
    pub followup_promoter_en: String,
    pub thanks_nl: String,
    pub thanks_en: String,
}

impl SurveyTexts {
    /// The text in `locale`, else in the other language, else `None`.
    pub fn pick<'a>(nl: &'a str, en: &'a str, locale: Locale) -> Option<&'a str> {
        crate::locale::pick(nl, en, locale)
    }

    pub fn intro(&self, locale: Locale) -> Option<&str> {
        Self::pick(&self.intro_nl, &self.intro_en, locale)
    }

    pub fn thanks(&self, locale: Locale) -> Option<&str> {
        Self::pick(&self.thanks_nl, &self.thanks_en, locale)
    }

    /// The follow-up question for a score.
    pub fn followup(&self, score: u8, locale: Locale) -> Option<&str> {
        match score {
            0..=6 => Self::pick(
                &self.followup_detractor_nl,
                &self.followup_detractor_en,
                locale,
            ),
            7..=8 => Self::pick(&self.followup_passive_nl, &self.followup_passive_en, locale),
            _ => Self::pick(
                &self.followup_promoter_nl,
                &self.followup_promoter_en,
                locale,
            ),
        }
    }
}

impl Survey {
    pub fn title(&self, locale: Locale) -> &str {
        title_in(&self.title_nl, &self.title_en, locale)
    }

    /// May respondents see and answer it? Drafts, closed and archived surveys are shown only to
    /// those who manage surveys.
    pub fn is_public(&self) -> bool {
        self.open && !self.archived
    }
}

/// The title in `locale`, else in the other language.
fn title_in<'a>(nl: &'a str, en: &'a str, locale: Locale) -> &'a str {
    let (wanted, other) = match locale {
        Locale::Nl => (nl, en),
        Locale::En => (en, nl),
    };
    if wanted.is_empty() {
        other
    } else {
        wanted
    }
}

/// A survey as its respondents see it: what the form shows, nothing of its management (no id,
/// no embedding sites, no state beyond open or not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicSurvey {
    pub slug: String,
    pub title_nl: String,
    pub title_en: String,
    pub open: bool,
    pub texts: SurveyTexts,
}

impl PublicSurvey {
    pub fn title(&self, locale: Locale) -> &str {
        title_in(&self.title_nl, &self.title_en, locale)
    }
}

impl From<Survey> for PublicSurvey {
    fn from(s: Survey) -> Self {
        PublicSurvey {
            open: s.is_public(),
            slug: s.slug,
            title_nl: s.title_nl,
            title_en: s.title_en,
            texts: s.texts,
        }
    }
}

/// What the public survey page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyForm {
    pub survey: PublicSurvey,
    /// A fresh token per page view: a double-click or resubmission of the same form carries the
    /// same token and is stored once.
    pub submission_token: String,
    /// The questions after the NPS question (not the retired ones).
    #[serde(default)]
    pub questions: Vec<crate::questions::Question>,
}

/// A response with its text, as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verbatim {
    pub id: i64,
    pub survey_title_nl: String,
    pub survey_title_en: String,
    /// `None` for feedback without a score (a complaint mail, a chat, a review).
    pub score: Option<u8>,
    /// A star rating (CSAT, 1–5) that came with the feedback.
    #[serde(default)]
    pub rating: Option<u8>,
    pub reason: Option<String>,
    pub channel: Option<String>,
    pub journey_phase: Option<String>,
    pub language: Option<String>,
    pub created_at: i64,
    /// Sentiment of the whole text: "positive", "neutral" or "negative".
    pub sentiment: Option<String>,
    /// How likely `sentiment` is right (0–1; a person's label is 1).
    #[serde(default)]
    pub sentiment_confidence: Option<f64>,
    pub themes: Vec<ThemeTag>,
    /// The customer's join key (a keyed hash), when the response is tied to a customer.
    #[serde(default)]
    pub customer: Option<String>,
    /// "survey", "api", "import" or "staff".
    #[serde(default)]
    pub source: String,
    /// The name of the staff member who entered it for the customer.
    #[serde(default)]
    pub entered_by: Option<String>,
}

impl Verbatim {
    /// The survey's title in `locale`, else in the other language.
    pub fn survey_title(&self, locale: Locale) -> &str {
        title_in(&self.survey_title_nl, &self.survey_title_en, locale)
    }
}

/// A theme on a text, with the sentiment of the sentence it was found in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeTag {
    pub key: String,
    /// Display name in the viewer's language (empty until named for a viewer).
    pub name: String,
    pub sentiment: Option<String>,
    /// How likely `sentiment` is right (0–1; a person's label is 1).
    #[serde(default)]
    pub confidence: Option<f64>,
    /// Set (or kept) by a manager rather than found automatically.
    #[serde(default)]
    pub manual: bool,
}

/// What an API token may do: store responses; read ideas; submit ideas for customers and change
/// their status.
pub const API_SCOPES: [&str; 3] = ["responses:write", "ideas:read", "ideas:write"];

/// An API token as admins see it (never the secret itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// The admin who created it: the API acts in their name.
    #[serde(default)]
    pub created_by: Option<i64>,
}

impl ApiToken {
    /// Whether the token may do `scope` (writing ideas includes reading them).
    pub fn allows(&self, scope: &str) -> bool {
        self.revoked_at.is_none()
            && self
                .scopes
                .iter()
                .any(|s| s == scope || (s == "ideas:write" && scope == "ideas:read"))
    }
}

/// Which responses to list: every field narrows the list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseFilter {
    /// Words that must occur in the text (case-insensitive).
    pub text: Option<String>,
    pub survey: Option<String>,
    pub channel: Option<String>,
    pub journey_phase: Option<String>,
    /// An ISO 639-1 code, or "und" for texts whose language was not determined.
    pub language: Option<String>,
    pub theme: Option<String>,
    /// "promoter", "passive" or "detractor".
    pub group: Option<String>,
    /// Unix seconds, inclusive.
    pub from: Option<i64>,
    /// Unix seconds, exclusive.
    pub to: Option<i64>,
    /// A customer's join key.
    pub customer: Option<String>,
    /// Only responses before this (created_at, id): the cursor of the next page.
    pub before: Option<(i64, i64)>,
    /// Only responses routed to one of these departments: a department member's scope, set
    /// by the server from who is asking, never read from a query.
    #[serde(default)]
    pub departments: Option<Vec<i64>>,
}

/// The query parameters of a [`ResponseFilter`], in form order.
pub const FILTER_PARAMS: [&str; 10] = [
    "q", "survey", "channel", "phase", "language", "theme", "group", "from", "to", "customer",
];

impl ResponseFilter {
    /// [`ResponseFilter::from_query`] over named arguments (a server function's parameters).
    pub fn from_args(args: &[(&str, Option<String>)]) -> (ResponseFilter, Vec<String>) {
        Self::from_query(|name| {
            args.iter()
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| v.clone())
        })
    }

    /// Reads a filter from query parameters (`get` gives a parameter's value). Values that are
    /// not understood are left out and named in the second result.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> (ResponseFilter, Vec<String>) {
        use crate::survey::{Channel, JourneyPhase};
        let mut ignored = Vec::new();
        let mut check = |name: &str, ok: &dyn Fn(&str) -> bool| match get(name)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
        {
            Some(v) if ok(&v) => Some(v),
            Some(_) => {
                ignored.push(name.to_string());
                None
            }
            None => None,
        };
        let day = |v: &str| crate::ingest::parse_timestamp(v).filter(|_| v.len() == 10);
        let filter = ResponseFilter {
            text: check("q", &|v| v.chars().count() <= 200),
            survey: check("survey", &crate::survey::is_valid_slug),
            channel: check("channel", &|v| Channel::parse(v).is_some()),
            journey_phase: check("phase", &|v| JourneyPhase::parse(v).is_some()),
            language: check("language", &|v| {
                v == "und" || crate::taxonomy::TERM_LANGUAGES.contains(&v)
            }),
            theme: check("theme", &crate::taxonomy::is_valid_key),
            group: check("group", &|v| {
                ["promoter", "passive", "detractor", "none"].contains(&v)
            }),
            from: check("from", &|v| day(v).is_some()).and_then(|v| day(&v)),
            // The "to" day is included.
            to: check("to", &|v| day(v).is_some()).and_then(|v| day(&v).map(|t| t + 86_400)),
            customer: check("customer", &|v| {
                v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())
            }),
            before: get("before").and_then(|c| {
                let (at, id) = c.trim().split_once('.')?;
                Some((at.parse().ok()?, id.parse().ok()?))
            }),
            departments: None,
        };
        (filter, ignored)
    }

    /// The filter as query parameters (without the paging cursor), for links.
    pub fn to_query(&self) -> String {
        let enc = crate::url::percent_encode;
        let mut pairs: Vec<String> = Vec::new();
        let mut push = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                pairs.push(format!("{k}={}", enc(v)));
            }
        };
        push("q", &self.text);
        push("survey", &self.survey);
        push("channel", &self.channel);
        push("phase", &self.journey_phase);
        push("language", &self.language);
        push("theme", &self.theme);
        push("group", &self.group);
        push("from", &self.from.map(format_date));
        push("to", &self.to.map(|t| format_date(t - 86_400)));
        push("customer", &self.customer);
        pairs.join("&")
    }
}

/// What a breakdown groups responses by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Dimension {
    Channel,
    JourneyPhase,
    Survey,
    Language,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Channel,
        Dimension::JourneyPhase,
        Dimension::Survey,
        Dimension::Language,
    ];

    /// The query parameter that filters on this dimension.
    pub fn param(self) -> &'static str {
        match self {
            Dimension::Channel => "channel",
            Dimension::JourneyPhase => "phase",
            Dimension::Survey => "survey",
            Dimension::Language => "language",
        }
    }
}

/// How the store's `scores` query groups the responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// One group with an empty key.
    Total,
    By(Dimension),
    /// Per theme: a response counts once for every theme it carries.
    Theme,
    /// Per calendar month, `YYYY-MM` (UTC).
    Month,
    /// Per week, keyed by its Monday `YYYY-MM-DD` (UTC).
    Week,
    /// Per theme and month: `theme|YYYY-MM`.
    ThemeMonth,
    /// Per combination of survey, channel, journey phase and language:
    /// `slug|channel|phase|language` (empty where unknown, `und` for no language), from which
    /// the total and every breakdown follow in one read.
    Dimensions,
}

/// The sum and count of answers to a scale question (CSAT 1–5, CES 1–7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mean {
    pub sum: i64,
    pub n: u64,
}

impl Mean {
    pub fn add(&mut self, other: Mean) {
        self.sum += other.sum;
        self.n += other.n;
    }

    /// The average, if there are answers.
    pub fn value(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }
}

/// Score counts of one group of responses.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GroupScores {
    pub key: String,
    pub scores: ScoreDistribution,
    /// Responses of the group without a score: in theme and sentiment figures, not in the NPS.
    #[serde(default)]
    pub unscored: u64,
    /// How many of them mention the theme negatively with confidence (theme groupings only).
    pub negative: u64,
    /// How many of them carry a confident sentiment on the theme: what `negative` is a share of.
    #[serde(default)]
    pub rated: u64,
    /// Answers to CSAT and CES questions.
    pub csat: Mean,
    pub ces: Mean,
}

impl GroupScores {
    /// Every response of the group, with or without a score.
    pub fn responses(&self) -> u64 {
        self.scores.total() + self.unscored
    }

    /// Adds another group's counts to this one (the key stays).
    pub fn add(&mut self, other: &GroupScores) {
        for (a, b) in self.scores.0.iter_mut().zip(other.scores.0) {
            *a += b;
        }
        self.unscored += other.unscored;
        self.negative += other.negative;
        self.rated += other.rated;
        self.csat.add(other.csat);
        self.ces.add(other.ces);
    }
}

/// A word or phrase customers use more and more that no theme covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingTopic {
    pub label: String,
    /// ISO 639-1 code of the texts it was found in.
    pub language: String,
    pub count: u32,
    pub previous: u32,
    /// Share now divided by share in the previous period; `None` when new.
    pub rise: Option<f64>,
}

/// How far retagging with the taxonomy in force has come.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RetagStatus {
    pub version: i64,
    pub pending: u64,
    pub total: u64,
}

impl RetagStatus {
    pub fn running(&self) -> bool {
        self.pending > 0
    }

    /// Done share, 0–100.
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * (self.total - self.pending.min(self.total)) as f64 / self.total as f64
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardData {
    /// The scores of the matching responses: what the NPS rests on.
    pub distribution: ScoreDistribution,
    /// Matching responses without a score (open feedback): counted in themes and sentiment.
    #[serde(default)]
    pub unscored: u64,
    pub verbatims: Vec<Verbatim>,
    /// NPS per channel, journey phase, survey and language (dimensions the filter fixes are left
    /// out).
    #[serde(default)]
    pub breakdowns: Vec<Breakdown>,
    /// The filter as query parameters, for links that keep it.
    #[serde(default)]
    pub query: String,
    /// (slug, title) and (key, name), for the filter form.
    #[serde(default)]
    pub surveys: Vec<(String, String)>,
    #[serde(default)]
    pub themes: Vec<(String, String)>,
    #[serde(default)]
    pub ignored: Vec<String>,
    /// (month `YYYY-MM`, distribution), oldest first.
    #[serde(default)]
    pub trend: Vec<(String, ScoreDistribution)>,
    /// The chosen period (else the last 30 days) against the one before it.
    #[serde(default)]
    pub comparison: Option<PeriodComparison>,
    /// Per theme, the biggest drag on the NPS first.
    #[serde(default)]
    pub drivers: Vec<ThemeDriver>,
    /// Whether the trend is per week (`YYYY-MM-DD` of its Monday) rather than per month.
    #[serde(default)]
    pub weekly: bool,
    /// Averages of the CSAT (1–5) and CES (1–7) answers of the matching responses.
    #[serde(default)]
    pub csat: Mean,
    #[serde(default)]
    pub ces: Mean,
    /// Recognised customers with more than one matching response.
    #[serde(default)]
    pub movement: crate::nps::Movement,
    /// When the figures were read (Unix seconds).
    #[serde(default)]
    pub generated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeDriver {
    pub key: String,
    pub name: String,
    /// Responses that mention the theme, with or without a score.
    pub count: u64,
    /// Of them, those without a score: the theme's NPS rests on `count - unscored`.
    #[serde(default)]
    pub unscored: u64,
    /// Detractors among them.
    pub detractors: u64,
    pub nps: Option<f64>,
    /// Overall NPS minus the NPS without these responses.
    pub impact: Option<f64>,
    /// Share (0–1) of confidently tagged mentions in a negative sentence; `None` without any.
    pub negative: Option<f64>,
    /// The confidently tagged mentions `negative` rests on.
    #[serde(default)]
    pub rated: u64,
    /// Mentions per month over the trend's months, oldest first.
    #[serde(default)]
    pub monthly: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeriodComparison {
    /// The length of each period in days.
    pub days: i64,
    /// Whether the periods are the filter's date range (else the last 30 days).
    pub chosen: bool,
    pub now: f64,
    pub before: f64,
    pub change: crate::nps::NpsChange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub dimension: Dimension,
    /// (value as in the filter, label, distribution)
    pub rows: Vec<(String, String, ScoreDistribution)>,
}

/// A page of the responses workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponsesPage {
    pub items: Vec<Verbatim>,
    /// Cursor of the next (older) page, if there is one.
    pub next: Option<String>,
    /// (slug, title) of every survey, for the filter.
    pub surveys: Vec<(String, String)>,
    /// (key, name) of every theme, for the filter.
    pub themes: Vec<(String, String)>,
    /// Filter values that were not understood and so not applied.
    pub ignored: Vec<String>,
}

/// One response as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseDetail {
    pub verbatim: Verbatim,
    /// Every theme of the taxonomy (key, name), for adding one.
    pub all_themes: Vec<(String, String)>,
    /// Answers to the survey's other questions: (question, answer as text).
    #[serde(default)]
    pub answers: Vec<(String, String)>,
    /// A person's sentiment label of the text, if it has one (the verbatim's sentiment then is
    /// that label).
    #[serde(default)]
    pub sentiment_label: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survey_title_falls_back_to_the_other_language() {
        let s = Survey {
            id: 1,
            slug: "x".into(),
            title_nl: "".into(),
            title_en: "Service".into(),
            open: true,
            created_at: 0,
            archived: false,
            texts: SurveyTexts::default(),
            embed_origins: vec![],
        };
        assert_eq!(s.title(Locale::Nl), "Service");
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(Role::Manager.sees_dashboard());
        assert!(!Role::Customer.sees_dashboard());
    }
}
