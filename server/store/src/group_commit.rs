//! Group commit: survey answers arriving together are written by one writer in one transaction,
//! with one fsync, and each is acknowledged only after that transaction committed.
//!
//! SQLite lets one writer in at a time. With every request opening its own write transaction,
//! 16 concurrent respondents queued on the database lock (p99 850 ms) and some gave up with
//! "database is locked" — feedback lost. One writer taking whatever is waiting keeps the
//! guarantee of `synchronous = FULL` (an acknowledged answer survives power loss) while the fsync
//! is shared by the group. PostgreSQL takes concurrent writers, but every answer adds to the same
//! few dashboard rollup rows in its transaction, so concurrent answers queue on those row locks
//! instead: one writer per process spends them once per group there too.

use klantstem_core::store::{Inserted, NewResponse};
use klantstem_core::StoreError;
use std::future::Future;
use std::pin::Pin;
use tokio::sync::{mpsc, oneshot};

/// At most this many answers share one transaction: enough to spread an fsync thin, few enough
/// that the first of them does not wait long for the last.
pub(crate) const MAX_GROUP: usize = 64;

/// Answers waiting for the writer; a full queue makes new requests wait (back-pressure) instead
/// of growing without bound.
const QUEUE: usize = 1024;

type Reply = oneshot::Sender<Result<Inserted, StoreError>>;

type BatchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<Inserted>, StoreError>> + Send + 'a>>;

/// Writes a batch of responses in one transaction (all or none).
pub(crate) type WriteBatch<P> = for<'a> fn(&'a P, &'a [NewResponse]) -> BatchFuture<'a>;

/// The queue in front of the writer task.
pub(crate) struct GroupCommit {
    queue: mpsc::Sender<(NewResponse, Reply)>,
}

impl GroupCommit {
    /// Starts the writer on the current Tokio runtime. It stops when the store is dropped,
    /// after writing what was queued.
    pub(crate) fn start<P: Send + Sync + 'static>(pool: P, write: WriteBatch<P>) -> Self {
        let (queue, waiting) = mpsc::channel(QUEUE);
        tokio::spawn(writer(pool, waiting, write));
        GroupCommit { queue }
    }

    /// Queues one response and waits until the group that holds it has committed. `None` when
    /// the writer is gone (its runtime ended): the caller writes the response itself.
    pub(crate) async fn insert(
        &self,
        response: NewResponse,
    ) -> Option<Result<Inserted, StoreError>> {
        let (reply, answer) = oneshot::channel();
        self.queue.send((response, reply)).await.ok()?;
        answer.await.ok()
    }
}

async fn writer<P>(
    pool: P,
    mut waiting: mpsc::Receiver<(NewResponse, Reply)>,
    write: WriteBatch<P>,
) {
    let mut taken = Vec::with_capacity(MAX_GROUP);
    while waiting.recv_many(&mut taken, MAX_GROUP).await > 0 {
        let (group, replies): (Vec<NewResponse>, Vec<Reply>) = taken.drain(..).unzip();
        match write(&pool, &group).await {
            Ok(inserted) => {
                for (reply, one) in replies.into_iter().zip(inserted) {
                    let _ = reply.send(Ok(one));
                }
            }
            // One bad answer must not sink the others: write them one by one, so each gets its
            // own result.
            Err(e) if group.len() == 1 => {
                if let Some(reply) = replies.into_iter().next() {
                    let _ = reply.send(Err(e));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, size = group.len(), "group commit failed; writing its answers one by one");
                for (response, reply) in group.iter().zip(replies) {
                    let one =
                        write(&pool, std::slice::from_ref(response))
                            .await
                            .and_then(|mut v| {
                                v.pop().ok_or_else(|| {
                                    StoreError::Backend("insert returned nothing".into())
                                })
                            });
                    let _ = reply.send(one);
                }
            }
        }
    }
}
