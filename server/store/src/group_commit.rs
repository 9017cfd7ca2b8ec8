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
use sqlx::pool::PoolConnection;
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

/// Writes a batch of responses in one transaction (all or none) on a connection.
pub(crate) type WriteBatch<C> = for<'a> fn(&'a mut C, &'a [NewResponse]) -> BatchFuture<'a>;

/// The queue in front of the writer task.
pub(crate) struct GroupCommit {
    queue: mpsc::Sender<(NewResponse, Reply)>,
}

impl GroupCommit {
    /// Starts the writer on a thread of its own. It stops when the store is dropped, after
    /// writing what was queued.
    ///
    /// Not a task on the server's runtime: a group is many statements in a row, and after each
    /// one the writer waits to be woken. Among the request handlers (each analysing its text) a
    /// woken task may queue behind dozens of others; groups took ~80 ms while both cores were
    /// 40 % idle. On its own runtime it is polled as soon as it is woken.
    pub(crate) fn start<DB: sqlx::Database>(
        pool: sqlx::Pool<DB>,
        write: WriteBatch<DB::Connection>,
    ) -> Self {
        let (queue, waiting) = mpsc::channel(QUEUE);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        match runtime {
            Ok(runtime) => {
                let spawned = std::thread::Builder::new()
                    .name("group-commit".into())
                    .spawn(move || runtime.block_on(writer(pool, waiting, write)));
                if let Err(e) = spawned {
                    // Without a writer every answer is written by its own request (see
                    // `insert`): slower, never lost.
                    tracing::error!(error = %e, "no thread for the group commit writer");
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "no runtime for the group commit writer");
                drop(waiting);
            }
        }
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

/// The writer keeps one connection of the pool: on SQLite a connection throws its page cache away
/// whenever another one has written, so taking any connection of the pool per group started
/// every group with a cold cache (the rollup and index pages read again from the file).
async fn writer<DB: sqlx::Database>(
    pool: sqlx::Pool<DB>,
    mut waiting: mpsc::Receiver<(NewResponse, Reply)>,
    write: WriteBatch<DB::Connection>,
) {
    let mut taken = Vec::with_capacity(MAX_GROUP);
    let mut kept: Option<PoolConnection<DB>> = None;
    while waiting.recv_many(&mut taken, MAX_GROUP).await > 0 {
        let (group, replies): (Vec<NewResponse>, Vec<Reply>) = taken.drain(..).unzip();
        let conn = match kept.take() {
            Some(conn) => conn,
            None => match pool.acquire().await {
                Ok(conn) => conn,
                Err(e) => {
                    let e = StoreError::from(e);
                    for reply in replies {
                        let _ = reply.send(Err(StoreError::Backend(e.to_string().into())));
                    }
                    continue;
                }
            },
        };
        let conn = kept.insert(conn);
        let started = std::time::Instant::now();
        let written = write(conn, &group).await;
        tracing::debug!(
            size = group.len(),
            micros = started.elapsed().as_micros() as u64,
            "group written"
        );
        if written.is_err() {
            // The next group starts on a fresh connection, in case this one broke.
            kept = None;
        }
        match written {
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
                    let one = match pool.acquire().await {
                        Ok(mut conn) => write(&mut conn, std::slice::from_ref(response)).await,
                        Err(e) => Err(e.into()),
                    };
                    let one = one.and_then(|mut v| {
                        v.pop()
                            .ok_or_else(|| StoreError::Backend("insert returned nothing".into()))
                    });
                    let _ = reply.send(one);
                }
            }
        }
    }
}
