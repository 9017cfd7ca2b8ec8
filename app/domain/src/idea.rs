//! Idea boards and co-creation challenges: boards and their stages, ideas, statuses, votes and
//! comments, with the rules that hold for them wherever they are shown or stored.

use crate::locale::{pick, Locale};
use crate::survey::clean_text;
use serde::{Deserialize, Serialize};

pub const TITLE_MIN_CHARS: usize = 8;
pub const TITLE_MAX_CHARS: usize = 120;
pub const BODY_MAX_CHARS: usize = 4000;
pub const COMMENT_MAX_CHARS: usize = 2000;
pub const STATUS_MESSAGE_MAX_CHARS: usize = 2000;
/// An author may still edit an idea this long after submitting it (later edits would change
/// what voters voted for).
pub const EDIT_WINDOW_SECS: i64 = 3600;
/// Ideas per page of a board.
pub const PAGE_SIZE: u32 = 30;
/// Similar ideas offered while a title is typed.
pub const SUGGESTIONS: usize = 5;
pub const SEARCH_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardKind {
    /// Ideas about a product or service, any time.
    Board,
    /// A question the company asks, open between two dates and moving through stages.
    Challenge,
}

impl BoardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BoardKind::Board => "board",
            BoardKind::Challenge => "challenge",
        }
    }

    pub fn parse(raw: &str) -> Option<BoardKind> {
        [BoardKind::Board, BoardKind::Challenge]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardVisibility {
    /// Anyone reads; signed-in customers contribute.
    Public,
    /// Only signed-in customers (and staff) read and contribute.
    Private,
}

impl BoardVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            BoardVisibility::Public => "public",
            BoardVisibility::Private => "private",
        }
    }

    pub fn parse(raw: &str) -> Option<BoardVisibility> {
        [BoardVisibility::Public, BoardVisibility::Private]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// Whether new ideas wait for a moderator before others see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    Off,
    /// Ideas of customers without an earlier approved idea wait.
    NewCustomers,
    Always,
}

impl Moderation {
    pub fn as_str(self) -> &'static str {
        match self {
            Moderation::Off => "off",
            Moderation::NewCustomers => "new_customers",
            Moderation::Always => "always",
        }
    }

    pub fn parse(raw: &str) -> Option<Moderation> {
        [
            Moderation::Off,
            Moderation::NewCustomers,
            Moderation::Always,
        ]
        .into_iter()
        .find(|k| k.as_str() == raw)
    }

    /// Whether a new idea waits, given whether its author had an idea approved before.
    pub fn holds(self, author_has_visible_idea: bool) -> bool {
        match self {
            Moderation::Off => false,
            Moderation::NewCustomers => !author_has_visible_idea,
            Moderation::Always => true,
        }
    }
}

/// A stage of a challenge ("collect", "shortlist", "evaluate", "decided").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub key: String,
    pub name_nl: String,
    pub name_en: String,
}

impl Stage {
    pub fn name(&self, locale: Locale) -> &str {
        pick(&self.name_nl, &self.name_en, locale).unwrap_or(&self.key)
    }
}

/// Where a challenge stands in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    NotYetOpen,
    Open,
    /// Read-only: no ideas, votes or comments.
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub id: i64,
    pub slug: String,
    pub kind: BoardKind,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub visibility: BoardVisibility,
    pub moderation: Moderation,
    /// The department or product team that owns a challenge.
    pub owner: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub stages: Vec<Stage>,
    /// The key of the current stage of a challenge.
    pub stage: Option<String>,
    /// Days within which every idea gets a first official answer.
    pub response_days: i64,
}

impl Board {
    pub fn name(&self, locale: Locale) -> &str {
        pick(&self.name_nl, &self.name_en, locale).unwrap_or(&self.slug)
    }

    pub fn description(&self, locale: Locale) -> &str {
        pick(&self.description_nl, &self.description_en, locale).unwrap_or("")
    }

    pub fn phase(&self, now: i64) -> Phase {
        match (self.opens_at, self.closes_at) {
            (Some(open), _) if now < open => Phase::NotYetOpen,
            (_, Some(close)) if now >= close => Phase::Closed,
            _ => Phase::Open,
        }
    }

    /// Ideas, votes and comments are taken only while the board is open.
    pub fn is_open(&self, now: i64) -> bool {
        self.phase(now) == Phase::Open
    }

    /// Who may read it: anyone for a public board, signed-in people for a private one.
    pub fn readable_by(&self, signed_in: bool) -> bool {
        self.visibility == BoardVisibility::Public || signed_in
    }

    pub fn current_stage(&self) -> Option<&Stage> {
        let key = self.stage.as_deref()?;
        self.stages.iter().find(|s| s.key == key)
    }
}

/// A status an idea can have; admins rename, recolour, reorder and extend them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeaStatus {
    pub key: String,
    pub name_nl: String,
    pub name_en: String,
    /// `#rrggbb`
    pub color: String,
    pub position: i64,
    /// Shown on the public roadmap.
    pub on_roadmap: bool,
    /// The end of the road (done, declined): no further votes needed.
    pub closed: bool,
}

impl IdeaStatus {
    pub fn name(&self, locale: Locale) -> &str {
        pick(&self.name_nl, &self.name_en, locale).unwrap_or(&self.key)
    }
}

/// The status of a new idea and of done ideas (the changelog lists these).
pub const STATUS_NEW: &str = "new";
pub const STATUS_DONE: &str = "done";

/// What an idea, a comment or a status message can be wrong about (codes; the app words them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdeaError {
    TitleTooShort,
    TitleTooLong,
    BodyTooLong,
    CommentEmpty,
    CommentTooLong,
    MessageTooLong,
    StatusUnknown,
    /// The challenge is not open (yet, or any more): nothing can be added.
    BoardClosed,
    /// The author's time to edit has passed.
    EditWindowPassed,
    /// Impact, confidence, effort or reach outside what the prioritisation allows.
    PriorityInvalid,
    /// An idea cannot be merged into itself, into a merged idea, or twice.
    MergeInvalid,
    /// Hiding an idea or comment needs a reason (the audit trail keeps it).
    ReasonMissing,
}

impl IdeaError {
    pub const ALL: [IdeaError; 12] = [
        IdeaError::TitleTooShort,
        IdeaError::TitleTooLong,
        IdeaError::BodyTooLong,
        IdeaError::CommentEmpty,
        IdeaError::CommentTooLong,
        IdeaError::MessageTooLong,
        IdeaError::StatusUnknown,
        IdeaError::BoardClosed,
        IdeaError::EditWindowPassed,
        IdeaError::PriorityInvalid,
        IdeaError::MergeInvalid,
        IdeaError::ReasonMissing,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IdeaError::TitleTooShort => "idea_title_too_short",
            IdeaError::TitleTooLong => "idea_title_too_long",
            IdeaError::BodyTooLong => "idea_body_too_long",
            IdeaError::CommentEmpty => "idea_comment_empty",
            IdeaError::CommentTooLong => "idea_comment_too_long",
            IdeaError::MessageTooLong => "idea_message_too_long",
            IdeaError::StatusUnknown => "idea_status_unknown",
            IdeaError::BoardClosed => "idea_board_closed",
            IdeaError::EditWindowPassed => "idea_edit_window_passed",
            IdeaError::PriorityInvalid => "idea_priority_invalid",
            IdeaError::MergeInvalid => "idea_merge_invalid",
            IdeaError::ReasonMissing => "idea_reason_missing",
        }
    }

    pub fn from_code(code: &str) -> Option<IdeaError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// An idea's title and description as posted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdeaForm {
    pub title: Option<String>,
    pub body: Option<String>,
}

/// A title and description that passed the checks (trimmed, inner whitespace of the title
/// collapsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdeaText {
    pub title: String,
    pub body: String,
}

impl TryFrom<IdeaForm> for IdeaText {
    type Error = Vec<IdeaError>;

    fn try_from(form: IdeaForm) -> Result<Self, Self::Error> {
        // Control characters (a NUL above all, which PostgreSQL refuses) never reach storage.
        let title = clean_text(&form.title.unwrap_or_default())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let body = clean_text(&form.body.unwrap_or_default());
        let mut errors = Vec::new();
        let n = title.chars().count();
        if n < TITLE_MIN_CHARS {
            errors.push(IdeaError::TitleTooShort);
        } else if n > TITLE_MAX_CHARS {
            errors.push(IdeaError::TitleTooLong);
        }
        if body.chars().count() > BODY_MAX_CHARS {
            errors.push(IdeaError::BodyTooLong);
        }
        if errors.is_empty() {
            Ok(IdeaText { title, body })
        } else {
            Err(errors)
        }
    }
}

/// Whether `viewer` may still edit an idea `author` submitted at `created_at`: only its author,
/// and only within [`EDIT_WINDOW_SECS`] (later edits would change what others voted for).
pub fn may_edit(author: i64, viewer: i64, created_at: i64, now: i64) -> bool {
    author == viewer && now - created_at <= EDIT_WINDOW_SECS
}

/// A comment's text: not empty, not too long.
pub fn comment_text(raw: &str) -> Result<String, IdeaError> {
    let text = clean_text(raw);
    if text.is_empty() {
        Err(IdeaError::CommentEmpty)
    } else if text.chars().count() > COMMENT_MAX_CHARS {
        Err(IdeaError::CommentTooLong)
    } else {
        Ok(text)
    }
}

/// The public message that may come with a status change (empty: none).
pub fn status_message(raw: &str) -> Result<Option<String>, IdeaError> {
    let text = clean_text(raw);
    if text.chars().count() > STATUS_MESSAGE_MAX_CHARS {
        Err(IdeaError::MessageTooLong)
    } else {
        Ok((!text.is_empty()).then_some(text))
    }
}

/// The order of a board's ideas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdeaSort {
    /// Votes, decaying with age ([`trending_score`]).
    #[default]
    Trending,
    Top,
    New,
}

impl IdeaSort {
    pub const ALL: [IdeaSort; 3] = [IdeaSort::Trending, IdeaSort::Top, IdeaSort::New];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaSort::Trending => "trending",
            IdeaSort::Top => "top",
            IdeaSort::New => "new",
        }
    }

    pub fn parse(raw: &str) -> Option<IdeaSort> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Trending: votes divided by the square of (age in days + 2), so a fresh idea with a few votes
/// rises above an old one with many, and every idea sinks as it ages. The stores order by the
/// same expression in SQL (`trending_sql`).
pub fn trending_score(votes: i64, age_secs: i64) -> f64 {
    let days = age_secs.max(0) as f64 / 86_400.0 + 2.0;
    votes as f64 / (days * days)
}

/// What a board's list shows: the order, filters and page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IdeaQuery {
    pub sort: IdeaSort,
    pub status: Option<String>,
    pub theme: Option<String>,
    /// Words to find in title or description.
    pub search: Option<String>,
    /// From 0.
    pub page: u32,
}

impl IdeaQuery {
    /// From the query string of a board page; unknown values fall back to the defaults.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> IdeaQuery {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        IdeaQuery {
            sort: get("sort")
                .and_then(|s| IdeaSort::parse(&s))
                .unwrap_or_default(),
            status: nonempty("status").filter(|s| is_key(s)),
            theme: nonempty("theme").filter(|s| is_key(s)),
            search: nonempty("q")
                .map(|q| {
                    clean_text(&q)
                        .chars()
                        .take(SEARCH_MAX_CHARS)
                        .collect::<String>()
                })
                .filter(|q| !q.is_empty()),
            page: get("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0)
                .min(10_000),
        }
    }

    /// The query string that gives this query back (without `?`).
    pub fn to_query(&self) -> String {
        let mut parts = vec![format!("sort={}", self.sort.as_str())];
        if let Some(s) = &self.status {
            parts.push(format!("status={}", crate::url::percent_encode(s)));
        }
        if let Some(t) = &self.theme {
            parts.push(format!("theme={}", crate::url::percent_encode(t)));
        }
        if let Some(q) = &self.search {
            parts.push(format!("q={}", crate::url::percent_encode(q)));
        }
        if self.page > 0 {
            parts.push(format!("page={}", self.page));
        }
        parts.join("&")
    }
}

/// A status or theme key: lower-case letters, digits and `_`.
pub fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The impacts a prioritisation offers (RICE: minimal … massive).
pub const IMPACTS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 3.0];
pub const REASON_MAX_CHARS: usize = 500;

/// A product team's prioritisation of an idea (RICE): reach × impact × confidence ÷ effort.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Priority {
    /// Customers reached per quarter; `None`: the idea's voters.
    pub reach: Option<i64>,
    /// One of [`IMPACTS`].
    pub impact: f64,
    /// 0.1 … 1.
    pub confidence: f64,
    /// Person-weeks, more than 0.
    pub effort: f64,
}

impl Priority {
    /// From a form: impact one of [`IMPACTS`], confidence in percent (10–100), effort in
    /// person-weeks (0.1–1000), reach empty or 0–10,000,000.
    pub fn parse(
        reach: &str,
        impact: &str,
        confidence: &str,
        effort: &str,
    ) -> Result<Priority, IdeaError> {
        let num = |s: &str| {
            s.trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
        };
        let reach = match reach.trim() {
            "" => None,
            r => Some(
                r.parse::<i64>()
                    .ok()
                    .filter(|r| (0..=10_000_000).contains(r))
                    .ok_or(IdeaError::PriorityInvalid)?,
            ),
        };
        let impact = num(impact)
            .filter(|i| IMPACTS.iter().any(|x| (x - i).abs() < 1e-9))
            .ok_or(IdeaError::PriorityInvalid)?;
        let confidence = num(confidence)
            .filter(|c| (10.0..=100.0).contains(c))
            .ok_or(IdeaError::PriorityInvalid)?
            / 100.0;
        let effort = num(effort)
            .filter(|e| (0.1..=1000.0).contains(e))
            .ok_or(IdeaError::PriorityInvalid)?;
        Ok(Priority {
            reach,
            impact,
            confidence,
            effort,
        })
    }

    /// The RICE score, with `voters` as the reach when none was given.
    pub fn score(&self, voters: i64) -> f64 {
        let reach = self.reach.unwrap_or(voters).max(0) as f64;
        reach * self.impact * self.confidence / self.effort
    }
}

/// The NPS of a group of scores (promoters minus detractors, in percent), `None` without any.
pub fn nps_of(scores: &[i64]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let promoters = scores.iter().filter(|s| **s >= 9).count() as f64;
    let detractors = scores.iter().filter(|s| **s <= 6).count() as f64;
    Some((promoters - detractors) * 100.0 / scores.len() as f64)
}

/// A hiding reason: required, at most [`REASON_MAX_CHARS`].
pub fn hide_reason(raw: &str) -> Result<String, IdeaError> {
    let r = clean_text(raw);
    if r.is_empty() {
        Err(IdeaError::ReasonMissing)
    } else {
        Ok(r.chars().take(REASON_MAX_CHARS).collect())
    }
}

/// An idea in the product team's triage inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriageItem {
    pub card: IdeaCard,
    pub board_name_nl: String,
    pub board_name_en: String,
    /// Distinct customers who voted.
    pub customers: i64,
    /// NPS of the voters whose latest survey score is known, with how many that is.
    pub voter_nps: Option<f64>,
    pub voters_with_score: i64,
    pub internal_votes: i64,
    pub my_internal_vote: bool,
    pub priority: Option<Priority>,
    pub score: Option<f64>,
    /// When the first official answer is due (the response promise).
    pub due_at: i64,
    pub answered_at: Option<i64>,
}

impl TriageItem {
    pub fn board_name(&self, locale: Locale) -> &str {
        pick(&self.board_name_nl, &self.board_name_en, locale).unwrap_or("")
    }

    /// Past the promise without an official answer.
    pub fn overdue(&self, now: i64) -> bool {
        self.answered_at.is_none() && now > self.due_at
    }
}

/// A line of an idea's audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaEvent {
    pub actor: Option<String>,
    /// `status`, `merge`, `unmerge`, `approve`, `hide`, `hide_comment`, `priority`.
    pub action: String,
    pub detail: String,
    pub created_at: i64,
}

/// The managers' ideas panel: activity per month, ideas per status, where customers contribute
/// next to where detractors complain, how fast ideas get a first answer, and the engagement
/// ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeasPanel {
    /// (`YYYY-MM`, new ideas, votes, comments), oldest first.
    pub months: Vec<(String, u64, u64, u64)>,
    /// (status key, ideas), in the statuses' order.
    pub statuses: Vec<(String, u64)>,
    /// (theme key, ideas) of the period, most first.
    pub idea_themes: Vec<(String, u64)>,
    /// (theme key, detractor responses) of the period, most first.
    pub detractor_themes: Vec<(String, u64)>,
    /// Median days from an idea to its first official answer (ideas of the period).
    pub median_answer_days: Option<f64>,
    /// Ideas of the period that have a first answer, and how many there are.
    pub answered: (u64, u64),
    pub ladder: crate::engagement::Ladder,
    pub period_days: i64,
}

/// The median of `values`, `None` without any.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// Something a customer did on the idea side, for their timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// `idea`, `vote` or `comment`.
    pub kind: String,
    pub idea_id: i64,
    pub board_slug: String,
    pub title: String,
    pub at: i64,
}

/// An idea in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaCard {
    pub id: i64,
    pub board_slug: String,
    pub title: String,
    pub status: String,
    pub votes: i64,
    pub comments: i64,
    pub created_at: i64,
    pub author: String,
    /// The viewer voted for it.
    pub voted: bool,
    /// Waiting for moderation (shown to its author and staff only).
    pub pending: bool,
}

/// A comment under an idea.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaComment {
    pub id: i64,
    pub author: String,
    pub body: String,
    /// Written by staff: an official answer.
    pub official: bool,
    pub created_at: i64,
    /// The idea it was written under before a merge moved it here.
    pub moved_from: Option<(i64, String)>,
}

/// One idea with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdeaDetail {
    pub card: IdeaCard,
    pub body: String,
    pub status_message: Option<String>,
    pub status_at: Option<i64>,
    /// The idea this one was merged into.
    pub merged_into: Option<(i64, String)>,
    pub themes: Vec<String>,
    pub language: Option<String>,
    pub sentiment: Option<String>,
    pub comments: Vec<IdeaComment>,
    pub following: bool,
    pub author_id: i64,
}

/// A similar idea offered while a title is typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: i64,
    pub board_slug: String,
    pub title: String,
    pub votes: i64,
    pub status: String,
}

/// An in-app notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    /// `status_changed`, `official_answer`, `new_comment`, `stage_changed`, `merged`.
    pub kind: String,
    pub idea: Option<(i64, String)>,
    pub board_slug: Option<String>,
    /// The status key, the stage key or the idea merged into.
    pub detail: String,
    pub created_at: i64,
    pub read: bool,
}

/// Similar ideas by shared terms: each shared term weighs its inverse document frequency, and
/// the sum is divided by the square root of the candidate's term count so long texts do not win
/// by length alone. `candidates` are (idea, term) pairs of ideas sharing a term with the query;
/// `terms_of` gives an idea's number of terms; `total` the number of ideas. Returns the ideas in
/// order of similarity, best first, above a threshold of meaning.
pub fn rank_similar(
    query_terms: &[String],
    candidates: &[(i64, String)],
    terms_of: impl Fn(i64) -> usize,
    total: usize,
) -> Vec<(i64, f64)> {
    use std::collections::HashMap;
    let mut df: HashMap<&str, usize> = HashMap::new();
    for (_, term) in candidates {
        *df.entry(term.as_str()).or_default() += 1;
    }
    let mut scores: HashMap<i64, f64> = HashMap::new();
    for (idea, term) in candidates {
        if !query_terms.iter().any(|t| t == term) {
            continue;
        }
        let idf = ((total as f64 + 1.0) / (df[term.as_str()] as f64 + 0.5)).ln();
        *scores.entry(*idea).or_default() += idf.max(0.1);
    }
    let query_len = (query_terms.len().max(1) as f64).sqrt();
    let mut ranked: Vec<(i64, f64)> = scores
        .into_iter()
        .map(|(idea, s)| {
            (
                idea,
                s / ((terms_of(idea).max(1) as f64).sqrt() * query_len),
            )
        })
        .filter(|(_, s)| *s >= 0.25)
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str, body: &str) -> IdeaForm {
        IdeaForm {
            title: Some(title.into()),
            body: Some(body.into()),
        }
    }

    #[test]
    fn an_idea_needs_a_title_of_some_words_and_a_body_within_limits() {
        let ok = IdeaText::try_from(form("  Donkere   modus in de app ", " Graag \r\n")).unwrap();
        assert_eq!(ok.title, "Donkere modus in de app");
        assert_eq!(ok.body, "Graag");
        assert_eq!(
            IdeaText::try_from(form("App?", "")).unwrap_err(),
            vec![IdeaError::TitleTooShort]
        );
        assert_eq!(
            IdeaText::try_from(form(&"a".repeat(121), &"b".repeat(4001))).unwrap_err(),
            vec![IdeaError::TitleTooLong, IdeaError::BodyTooLong]
        );
        assert_eq!(comment_text("  "), Err(IdeaError::CommentEmpty));
        assert_eq!(
            comment_text(&"x".repeat(2001)),
            Err(IdeaError::CommentTooLong)
        );
        assert_eq!(status_message(" "), Ok(None));
        let nul = IdeaText::try_from(form("Donker\u{0}e modus in de app", "a\u{0}b\r\nc")).unwrap();
        assert_eq!(
            (nul.title.as_str(), nul.body.as_str()),
            ("Donkere modus in de app", "ab\nc")
        );
    }

    #[test]
    fn only_the_author_edits_and_only_for_an_hour() {
        assert!(may_edit(7, 7, 1000, 1000 + 3600));
        assert!(!may_edit(7, 7, 1000, 1000 + 3601));
        assert!(!may_edit(7, 8, 1000, 1001));
    }

    #[test]
    fn trending_favours_fresh_votes() {
        let day = 86_400;
        // 3 votes today beat 20 votes a month ago.
        assert!(trending_score(3, 0) > trending_score(20, 30 * day));
        assert!(trending_score(10, day) > trending_score(10, 2 * day));
        assert_eq!(trending_score(0, 0), 0.0);
    }

    #[test]
    fn challenges_open_and_close_on_their_dates() {
        let board = Board {
            id: 1,
            slug: "overstappen".into(),
            kind: BoardKind::Challenge,
            name_nl: "Moeiteloos overstappen".into(),
            name_en: String::new(),
            description_nl: String::new(),
            description_en: String::new(),
            visibility: BoardVisibility::Private,
            moderation: Moderation::Off,
            owner: "Klantenservice".into(),
            opens_at: Some(100),
            closes_at: Some(200),
            stages: vec![],
            stage: None,
            response_days: 14,
        };
        assert_eq!(board.phase(99), Phase::NotYetOpen);
        assert_eq!(board.phase(100), Phase::Open);
        assert_eq!(board.phase(200), Phase::Closed);
        assert_eq!(board.name(Locale::En), "Moeiteloos overstappen");
        assert!(!board.readable_by(false));
        assert!(board.readable_by(true));
    }

    #[test]
    fn moderation_holds_what_it_should() {
        assert!(!Moderation::Off.holds(false));
        assert!(Moderation::NewCustomers.holds(false));
        assert!(!Moderation::NewCustomers.holds(true));
        assert!(Moderation::Always.holds(true));
    }

    #[test]
    fn query_strings_round_trip_and_refuse_odd_values() {
        let q = IdeaQuery {
            sort: IdeaSort::Top,
            status: Some("planned".into()),
            theme: None,
            search: Some("donker modus".into()),
            page: 2,
        };
        let s = q.to_query();
        let params: Vec<(String, String)> = s
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.replace("%20", " ")))
            .collect();
        let back = IdeaQuery::from_params(|k| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, q);
        let odd = IdeaQuery::from_params(|k| match k {
            "sort" => Some("random".into()),
            "status" => Some("<script>".into()),
            "page" => Some("-1".into()),
            _ => None,
        });
        assert_eq!(odd, IdeaQuery::default());
    }

    #[test]
    fn similar_ideas_rank_by_rare_shared_terms() {
        let q: Vec<String> = ["donker", "modus", "app"].map(String::from).to_vec();
        let candidates: Vec<(i64, String)> = vec![
            (1, "donker".into()),
            (1, "modus".into()),
            (2, "app".into()),
            (3, "app".into()),
            (4, "app".into()),
        ];
        let ranked = rank_similar(&q, &candidates, |_| 4, 100);
        assert_eq!(ranked.first().map(|r| r.0), Some(1));
        assert!(rank_similar(&q, &[], |_| 4, 100).is_empty());
    }

    #[test]
    fn rice_scores_and_their_inputs() {
        let p = Priority::parse("", "2", "80", "4").unwrap();
        assert_eq!(p.reach, None);
        assert!((p.score(100) - 40.0).abs() < 1e-9);
        let p = Priority::parse("500", "0.5", "50", "0,5").unwrap();
        assert!((p.score(3) - 250.0).abs() < 1e-9);
        for bad in [
            ("x", "1", "50", "1"),
            ("", "1.5", "50", "1"),
            ("", "1", "5", "1"),
            ("", "1", "50", "0"),
            ("", "1", "50", "NaN"),
        ] {
            assert_eq!(
                Priority::parse(bad.0, bad.1, bad.2, bad.3),
                Err(IdeaError::PriorityInvalid),
                "{bad:?}"
            );
        }
        assert_eq!(nps_of(&[10, 9, 7, 3]), Some(25.0));
        assert_eq!(nps_of(&[]), None);
        assert_eq!(hide_reason("  "), Err(IdeaError::ReasonMissing));
    }

    #[test]
    fn error_codes_round_trip() {
        for e in IdeaError::ALL {
            assert_eq!(IdeaError::from_code(e.code()), Some(e));
        }
    }
}
