//! The dashboard's figures, read from rollups kept up to date at every write.

use crate::error::StoreError;
use async_trait::async_trait;
use domain::model::ResponseFilter;

#[async_trait]
pub trait ScoreStore: Send + Sync {
    /// Score counts (with CSAT/CES answers and negative theme mentions) of the responses matching
    /// `filter`, per group, in key order. Read from rollups kept up to date at every write when the
    /// filter allows (text search, a customer, or a theme together with a dimension read the
    /// responses themselves), so a dashboard over a million responses stays fast.
    async fn scores(
        &self,
        filter: &ResponseFilter,
        by: domain::model::Grouping,
    ) -> Result<Vec<domain::model::GroupScores>, StoreError>;

    /// Returning customers (more than one response) whose latest response matches `filter`:
    /// (score of their first response, score of the latest, how many customers).
    async fn customer_movement(
        &self,
        filter: &ResponseFilter,
    ) -> Result<Vec<(u8, u8, u64)>, StoreError>;

    /// Whether [`ScoreStore::scores`] may use the rollups (the default). Benchmarks and tests switch
    /// them off to compare with a plain scan of the responses.
    fn set_rollups(&self, enabled: bool);
}
