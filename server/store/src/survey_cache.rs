//! The surveys and questions respondents read on every page view and answer, kept in memory.
//!
//! Every answer and every survey page read the survey by its slug and its questions; both change
//! only when staff edit them. A write through this store forgets everything at once; another
//! process's write (several servers on one PostgreSQL database) is seen within [`FRESH`].

use domain::model::Survey;
use domain::questions::Question;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a read stays good without this process writing.
pub(crate) const FRESH: Duration = Duration::from_secs(2);

/// More slugs than any installation has surveys: past it the cache starts over, so requests for
/// made-up slugs cannot grow it (unknown slugs are not kept anyway).
const MOST: usize = 1000;

#[derive(Default)]
pub(crate) struct SurveyCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Moves on every write, so a read that started before it is not kept after it.
    generation: u64,
    surveys: Kept<String, Survey>,
    questions: Kept<i64, Vec<Question>>,
}

/// Values with the moment they were read.
struct Kept<K, V>(HashMap<K, (Instant, V)>);

impl<K, V> Default for Kept<K, V> {
    fn default() -> Self {
        Kept(HashMap::new())
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> Kept<K, V> {
    fn fresh<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        let (at, value) = self.0.get(key)?;
        (at.elapsed() < FRESH).then(|| value.clone())
    }

    fn keep(&mut self, key: K, value: V) {
        if self.0.len() >= MOST {
            self.0.clear();
        }
        self.0.insert(key, (Instant::now(), value));
    }
}

impl SurveyCache {
    /// The generation to hand back with what a read finds.
    pub(crate) fn generation(&self) -> u64 {
        self.inner.lock().map_or(0, |i| i.generation)
    }

    pub(crate) fn survey(&self, slug: &str) -> Option<Survey> {
        self.inner.lock().ok()?.surveys.fresh(slug)
    }

    pub(crate) fn keep_survey(&self, generation: u64, survey: &Survey) {
        self.keep(generation, |i| {
            i.surveys.keep(survey.slug.clone(), survey.clone())
        });
    }

    pub(crate) fn questions(&self, survey_id: i64) -> Option<Vec<Question>> {
        self.inner.lock().ok()?.questions.fresh(&survey_id)
    }

    pub(crate) fn keep_questions(&self, generation: u64, survey_id: i64, questions: &[Question]) {
        self.keep(generation, |i| {
            i.questions.keep(survey_id, questions.to_vec())
        });
    }

    /// Keeps a read unless a write came after the read began.
    fn keep(&self, generation: u64, keep: impl FnOnce(&mut Inner)) {
        if let Ok(mut inner) = self.inner.lock() {
            if inner.generation == generation {
                keep(&mut inner);
            }
        }
    }

    /// After any write to surveys or questions.
    pub(crate) fn forget(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.generation += 1;
            inner.surveys = Kept::default();
            inner.questions = Kept::default();
        }
    }
}

/// Runs a write's body, then forgets what the cache holds (also when the write failed: it may
/// have changed something before it did).
macro_rules! changes_surveys {
    ($self:ident, $body:block) => {{
        let result = async $body.await;
        $self.surveys.forget();
        result
    }};
}
pub(crate) use changes_surveys;
