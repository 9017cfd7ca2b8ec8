//! Idea boards and challenges, ideas, votes, follows, comments and notifications.

use crate::error::StoreError;
use crate::store::NewMail;
use async_trait::async_trait;
use domain::idea::{
    Board, IdeaCard, IdeaComment, IdeaEvent, IdeaQuery, IdeaStatus, Notification, Priority, Stage,
};

#[derive(Debug, Clone, PartialEq)]
pub struct NewBoard {
    pub slug: String,
    pub kind: domain::idea::BoardKind,
    pub name_nl: String,
    pub name_en: String,
    pub description_nl: String,
    pub description_en: String,
    pub visibility: domain::idea::BoardVisibility,
    pub moderation: domain::idea::Moderation,
    pub owner: String,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
    pub stages: Vec<Stage>,
    pub stage: Option<String>,
    pub response_days: i64,
    pub position: i64,
}

/// An idea to store, analysed.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIdea {
    pub board_id: i64,
    pub author_id: i64,
    pub title: String,
    pub body: String,
    pub title_masked: String,
    pub body_masked: String,
    pub language: Option<String>,
    pub sentiment: Option<String>,
    pub themes: Vec<String>,
    /// For similar-idea suggestions.
    pub terms: Vec<String>,
    /// Waits for moderation.
    pub pending: bool,
    pub created_at: i64,
}

/// An idea as stored, with what access checks need.
#[derive(Debug, Clone, PartialEq)]
pub struct IdeaRecord {
    pub id: i64,
    pub board_id: i64,
    pub author_id: i64,
    pub author: String,
    pub title: String,
    pub body: String,
    pub title_masked: String,
    pub body_masked: String,
    pub language: Option<String>,
    pub sentiment: Option<String>,
    pub status: String,
    pub status_message: Option<String>,
    pub status_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub votes: i64,
    pub comments: i64,
    pub merged_into: Option<i64>,
    /// "visible", "pending" or "hidden".
    pub visibility: String,
    pub created_at: i64,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewComment {
    pub idea_id: i64,
    pub author_id: i64,
    pub body: String,
    pub body_masked: String,
    pub language: Option<String>,
    pub sentiment: Option<String>,
    /// Written by staff: the idea's official answer.
    pub official: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    pub user_id: i64,
    pub idea_id: Option<i64>,
    pub board_id: Option<i64>,
    pub kind: String,
    pub detail: String,
}

/// Who hears about an idea: its author, voters and followers.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub locale: String,
    /// Wants mail about this idea (not unsubscribed overall or from the idea) and verified.
    pub mail: bool,
}

/// What a change tells people: notifications and mails, written in the change's transaction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Notices {
    pub notifications: Vec<NewNotification>,
    pub mails: Vec<NewMail>,
}

/// A status change by staff.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub idea_id: i64,
    pub status: String,
    pub message: Option<String>,
    pub actor_id: i64,
    pub at: i64,
}

/// Which of a customer's ideas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MyIdeas {
    Submitted,
    Voted,
    Following,
}

/// An idea on the roadmap or in the changelog.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadmapItem {
    pub card: IdeaCard,
    pub board_id: i64,
    pub status_message: Option<String>,
    pub status_at: Option<i64>,
}

/// A merge of a duplicate into its original.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    pub duplicate_id: i64,
    pub original_id: i64,
    pub actor_id: i64,
    pub at: i64,
}

/// What became of a merge or un-merge: how many votes, follows and comments moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Moved {
    pub votes: i64,
    pub follows: i64,
    pub comments: i64,
}

/// An idea in the triage inbox, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageRecord {
    pub card: IdeaCard,
    pub board_id: i64,
    pub board_name_nl: String,
    pub board_name_en: String,
    pub response_days: i64,
    pub answered_at: Option<i64>,
    pub customers: i64,
    pub internal_votes: i64,
    pub my_internal_vote: bool,
    pub priority: Option<Priority>,
}

/// What the ideas panel counts, since a moment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdeaActivity {
    /// (day number, new ideas, votes, comments) for days with any.
    pub days: Vec<(i64, i64, i64, i64)>,
    /// (status, visible ideas) of every idea, whenever submitted.
    pub statuses: Vec<(String, i64)>,
    pub idea_themes: Vec<(String, i64)>,
    pub detractor_themes: Vec<(String, i64)>,
    /// Seconds from submission to the first official answer, and the ideas of the period.
    pub answer_secs: Vec<i64>,
    pub ideas: i64,
}

/// The facts of the engagement ladder: every recognised customer's responses (customer key,
/// time, score) and when each first contributed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LadderFacts {
    pub responses: Vec<(String, i64, i64)>,
    pub contributions: Vec<(String, i64)>,
}

#[async_trait]
pub trait IdeaStore: Send + Sync {
    async fn create_board(&self, board: &NewBoard, now: i64) -> Result<i64, StoreError>;

    /// Every board and challenge, in their order.
    async fn list_boards(&self) -> Result<Vec<Board>, StoreError>;

    async fn board_by_slug(&self, slug: &str) -> Result<Option<Board>, StoreError>;

    async fn board_by_id(&self, id: i64) -> Result<Option<Board>, StoreError>;

    /// Moves a challenge to `stage`, with its notices, in one transaction.
    async fn set_board_stage(
        &self,
        board_id: i64,
        stage: &str,
        notices: &Notices,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Everyone who took part in a board: authors, voters, commenters and followers.
    async fn board_participants(&self, board_id: i64) -> Result<Vec<Recipient>, StoreError>;

    /// In their order.
    async fn idea_statuses(&self) -> Result<Vec<IdeaStatus>, StoreError>;

    /// Stores an idea with its themes and terms; its author votes for and follows it.
    async fn insert_idea(&self, idea: &NewIdea) -> Result<i64, StoreError>;

    /// Replaces an idea's texts and what analysis found in them (from `edit`, whose board,
    /// author, pending flag and time are ignored but the time, which becomes `edited_at`), with
    /// an audit record, in one transaction.
    async fn edit_idea(&self, id: i64, edit: &NewIdea) -> Result<(), StoreError>;

    /// Whether the user has an idea that others can see (for moderation of new customers).
    async fn has_visible_idea(&self, user_id: i64) -> Result<bool, StoreError>;

    /// A board's ideas for `query`, with the total that match. `viewer` sees their own votes
    /// and their own ideas awaiting moderation; `staff` sees every idea awaiting moderation.
    async fn list_ideas(
        &self,
        board_id: i64,
        query: &IdeaQuery,
        viewer: Option<i64>,
        staff: bool,
        now: i64,
    ) -> Result<(Vec<IdeaCard>, u64), StoreError>;

    async fn idea(&self, id: i64) -> Result<Option<IdeaRecord>, StoreError>;

    async fn has_voted(&self, idea_id: i64, user_id: i64) -> Result<bool, StoreError>;

    async fn is_following(&self, idea_id: i64, user_id: i64) -> Result<bool, StoreError>;

    /// Visible comments, oldest first.
    async fn idea_comments(&self, idea_id: i64) -> Result<Vec<IdeaComment>, StoreError>;

    /// Sets the user's vote on or off (idempotent: a repeated or concurrent vote counts once)
    /// and answers the idea's vote count, which always equals its vote rows.
    async fn set_vote(
        &self,
        idea_id: i64,
        user_id: i64,
        on: bool,
        now: i64,
    ) -> Result<i64, StoreError>;

    async fn set_follow(
        &self,
        idea_id: i64,
        user_id: i64,
        on: bool,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Stops mail about one idea for one user.
    async fn mute_idea(&self, idea_id: i64, user_id: i64) -> Result<(), StoreError>;

    /// The author, voters and followers of an idea.
    async fn idea_audience(&self, idea_id: i64) -> Result<Vec<Recipient>, StoreError>;

    /// Adds a comment (its author follows the idea from then on) with its notices, in one
    /// transaction; an official comment is the idea's first answer if it had none.
    async fn add_comment(&self, comment: &NewComment, notices: &Notices)
        -> Result<i64, StoreError>;

    /// Changes an idea's status with its notices and an audit record, in one transaction.
    async fn change_status(
        &self,
        change: &StatusChange,
        notices: &Notices,
    ) -> Result<(), StoreError>;

    /// Ideas sharing a term with `terms`, as (idea, term) pairs: only ideas others can see
    /// that were not merged, on public boards unless `private` too.
    async fn similar_candidates(
        &self,
        terms: &[String],
        private: bool,
    ) -> Result<Vec<(i64, String)>, StoreError>;

    /// How many ideas (any) have each of `terms`.
    async fn term_frequencies(&self, terms: &[String]) -> Result<Vec<(String, i64)>, StoreError>;

    /// The number of terms of each idea.
    async fn term_counts(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError>;

    /// The number of ideas others can see.
    async fn count_visible_ideas(&self) -> Result<u64, StoreError>;

    /// Cards of these ideas (in no particular order).
    async fn idea_cards(
        &self,
        ids: &[i64],
        viewer: Option<i64>,
    ) -> Result<Vec<(IdeaCard, i64)>, StoreError>;

    /// A customer's ideas, votes or follows, newest first.
    async fn my_ideas(&self, user_id: i64, which: MyIdeas) -> Result<Vec<IdeaCard>, StoreError>;

    /// Visible ideas whose status is on the roadmap (`done` ones of the last `done_since`).
    async fn roadmap(&self, done_since: i64) -> Result<Vec<RoadmapItem>, StoreError>;

    /// Visible ideas with status `done`, newest first.
    async fn changelog(&self, limit: u32) -> Result<Vec<RoadmapItem>, StoreError>;

    async fn notifications(
        &self,
        user_id: i64,
        limit: u32,
    ) -> Result<Vec<Notification>, StoreError>;

    async fn unread_notifications(&self, user_id: i64) -> Result<u64, StoreError>;

    async fn mark_notifications_read(&self, user_id: i64, now: i64) -> Result<(), StoreError>;

    /// Merges a duplicate into its original in one transaction: votes and follows the original
    /// lacked are added (a customer who voted for both counts once), comments move (keeping where
    /// they were written), the duplicate points to the original, and what moved is recorded.
    /// A duplicate merged meanwhile is `StoreError::Conflict`.
    async fn merge_ideas(&self, merge: &Merge, notices: &Notices) -> Result<Moved, StoreError>;

    /// Undoes the latest merge of `duplicate_id` exactly; `None` when it is not merged.
    async fn unmerge_idea(
        &self,
        duplicate_id: i64,
        actor_id: i64,
        at: i64,
    ) -> Result<Option<Moved>, StoreError>;

    async fn set_internal_vote(
        &self,
        idea_id: i64,
        user_id: i64,
        on: bool,
        now: i64,
    ) -> Result<(), StoreError>;

    async fn set_priority(
        &self,
        idea_id: i64,
        priority: &Priority,
        user_id: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Approves an idea awaiting moderation (`reason` `None`) or hides it with a reason; audited.
    async fn moderate_idea(
        &self,
        idea_id: i64,
        hide_reason: Option<&str>,
        actor_id: i64,
        now: i64,
    ) -> Result<(), StoreError>;

    /// Hides a comment with a reason, audited on its idea; answers the idea, `None` when there
    /// is no such comment.
    async fn hide_comment(
        &self,
        comment_id: i64,
        reason: &str,
        actor_id: i64,
        now: i64,
    ) -> Result<Option<i64>, StoreError>;

    /// Open ideas (not merged, hidden or closed) for the triage inbox, newest first.
    async fn triage(&self, viewer: i64) -> Result<Vec<TriageRecord>, StoreError>;

    /// The latest survey score of each voter of these ideas who is a recognised customer, as
    /// (idea, score).
    async fn voter_scores(&self, ids: &[i64]) -> Result<Vec<(i64, i64)>, StoreError>;

    /// An idea's audit trail, oldest first.
    async fn idea_events(&self, idea_id: i64) -> Result<Vec<IdeaEvent>, StoreError>;

    async fn priority(&self, idea_id: i64) -> Result<Option<Priority>, StoreError>;

    async fn idea_activity(&self, since: i64) -> Result<IdeaActivity, StoreError>;

    /// Changes board `id` (keeping its position); a slug another board has is
    /// `StoreError::Conflict`.
    async fn update_board(&self, id: i64, board: &NewBoard) -> Result<(), StoreError>;

    /// Adds or changes a status (by key).
    async fn save_status(&self, status: &IdeaStatus) -> Result<(), StoreError>;

    async fn ladder_facts(&self) -> Result<LadderFacts, StoreError>;

    /// The ideas, votes and comments of the accounts with this customer key, newest first.
    async fn contributions(
        &self,
        customer_hash: &str,
    ) -> Result<Vec<domain::idea::Contribution>, StoreError>;
}
