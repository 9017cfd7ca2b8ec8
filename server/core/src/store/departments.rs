//! Departments, routing rules, the department inboxes and follow-up cases.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::inbox::{
    Case, CasePolicy, ContactChannel, InboxItem, InboxQuery, ItemStatus, Note, Outcome,
};
use domain::routing::{Department, Facts, Rule};

/// Everything the routing administration page shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutingSetup {
    pub departments: Vec<Department>,
    pub rules: Vec<Rule>,
    pub default_department: Option<i64>,
    pub policy: CasePolicy,
}

/// One inbox item with what its page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRecord {
    pub item: InboxItem,
    pub notes: Vec<Note>,
    pub case: Option<Case>,
    /// The customer behind the feedback, to show their timeline.
    pub customer_hash: Option<String>,
    /// Where and in which language to reach them, when they consented: (address, language).
    pub contact: Option<(String, String)>,
}

/// A change to an item's working state; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemChange {
    pub status: Option<ItemStatus>,
    pub assignee: Option<Option<i64>>,
    pub root_cause: Option<Option<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewContact {
    pub case_id: i64,
    pub channel: ContactChannel,
    pub reached: bool,
    pub note: String,
    pub user_id: i64,
    pub at: i64,
}

/// A case past its deadline, not yet escalated, with whom to tell.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueCase {
    pub case_id: i64,
    pub item_id: i64,
    pub department: String,
    pub deadline_at: i64,
    /// The department lead: (user id, address, language).
    pub lead: Option<(i64, String, String)>,
}

pub use domain::inbox::CustomerCase;

#[async_trait]
pub trait DepartmentStore: Send + Sync {
    async fn routing_setup(&self) -> Result<RoutingSetup, StoreError>;
    /// Creates (`id` None) or renames a department; `None` when another has the name.
    async fn save_department(
        &self,
        id: Option<i64>,
        name: &str,
        lead: Option<i64>,
        now: i64,
    ) -> Result<Option<i64>, StoreError>;
    async fn set_department_member(
        &self,
        department: i64,
        user: i64,
        member: bool,
    ) -> Result<(), StoreError>;
    /// Staff accounts (id, name, role), for membership and assignment.
    async fn staff_users(&self) -> Result<Vec<(i64, String, domain::model::Role)>, StoreError>;
    /// (id, name) of a department's members and its lead, by name: who an item can go to.
    async fn department_members(&self, department: i64) -> Result<Vec<(i64, String)>, StoreError>;
    /// Creates (`rule.id` 0) or replaces a rule; its id, or `None` when the rule is gone.
    async fn save_rule(&self, rule: &Rule, now: i64) -> Result<Option<i64>, StoreError>;
    async fn delete_rule(&self, id: i64) -> Result<bool, StoreError>;
    async fn save_routing_settings(
        &self,
        default_department: Option<i64>,
        policy: &CasePolicy,
    ) -> Result<(), StoreError>;
    /// What routing knows of the latest `limit` responses, newest first, with their text.
    async fn recent_facts(
        &self,
        limit: u32,
    ) -> Result<Vec<(i64, Option<String>, Facts)>, StoreError>;
    /// Routes these responses again (after a rule change): adds the items now due and removes
    /// untouched ones no longer due. Returns how many items were added.
    async fn reroute(&self, response_ids: &[i64], now: i64) -> Result<u64, StoreError>;
    /// The departments response `id` was routed to.
    async fn response_departments(&self, id: i64) -> Result<Vec<i64>, StoreError>;
    /// The departments a user is a member or the lead of.
    async fn user_departments(&self, user: i64) -> Result<Vec<i64>, StoreError>;
    /// Items of `departments` (all when `None`), newest first, and their total.
    async fn inbox(
        &self,
        departments: Option<&[i64]>,
        query: &InboxQuery,
    ) -> Result<(Vec<InboxItem>, u64), StoreError>;
    async fn inbox_item(&self, id: i64) -> Result<Option<ItemRecord>, StoreError>;
    async fn update_item(&self, id: i64, change: &ItemChange, now: i64)
        -> Result<bool, StoreError>;
    async fn add_note(
        &self,
        item: i64,
        author: i64,
        body: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Records a contact attempt; the first one sets the case's first contact (when the
    /// customer was reached or not: an attempt is what the deadline asks for). A reply by mail
    /// is written to the outbox in the same transaction.
    async fn add_contact(
        &self,
        contact: &NewContact,
        mail: Option<&crate::store::NewMail>,
    ) -> Result<bool, StoreError>;
    /// Closes an open case and marks its item handled with the root cause; with `followup`, the
    /// "is it solved now?" mail is written and its sending recorded, together.
    async fn close_case(
        &self,
        case_id: i64,
        outcome: Outcome,
        root_cause: &str,
        now: i64,
        followup: Option<&crate::store::NewMail>,
    ) -> Result<bool, StoreError>;
    /// Stores the answer to the follow-up question, once; false when none was asked or it
    /// was answered already.
    async fn answer_followup(&self, case_id: i64, score: u8, now: i64) -> Result<bool, StoreError>;
    /// Open cases past their deadline without contact and not yet escalated.
    async fn overdue_cases(&self, now: i64) -> Result<Vec<OverdueCase>, StoreError>;
    /// Flags a case escalated, assigns it to the lead and writes the lead's mail, together;
    /// false when it was escalated already.
    async fn escalate_case(
        &self,
        case: &OverdueCase,
        mail: Option<&crate::store::NewMail>,
        now: i64,
    ) -> Result<bool, StoreError>;
    async fn customer_cases(&self, customer_hash: &str) -> Result<Vec<CustomerCase>, StoreError>;
    /// Cases opened in `[from, to)` in `departments` (all when `None`) with the customer's next
    /// score, for the follow-up figures.
    async fn case_facts(
        &self,
        departments: Option<&[i64]>,
        from: i64,
        to: i64,
    ) -> Result<Vec<domain::inbox::CaseFact>, StoreError>;
}
