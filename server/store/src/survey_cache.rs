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
    surveys: HashMap<String, (Instant, Survey)>,
    questions: HashMap<i64, (Instant, Vec<Question>)>,
}

impl SurveyCache {
    /// The generation to hand back with what a read finds.
    pub(crate) fn generation(&self) -> u64 {
        self.inner.lock().map_or(0, |i| i.generation)
    }

    pub(crate) fn survey(&self, slug: &str) -> Option<Survey> {
        let inner = self.inner.lock().ok()?;
        let (at, survey) = inner.surveys.get(slug)?;
        (at.elapsed() < FRESH).then(|| survey.clone())
    }

    pub(crate) fn keep_survey(&self, generation: u64, survey: &Survey) {
        if let Ok(mut inner) = self.inner.lock() {
            if inner.generation == generation {
                if inner.surveys.len() >= MOST {
                    inner.surveys.clear();
                }
                inner
                    .surveys
                    .insert(survey.slug.clone(), (Instant::now(), survey.clone()));
            }
        }
    }

    pub(crate) fn questions(&self, survey_id: i64) -> Option<Vec<Question>> {
        let inner = self.inner.lock().ok()?;
        let (at, questions) = inner.questions.get(&survey_id)?;
        (at.elapsed() < FRESH).then(|| questions.clone())
    }

    pub(crate) fn keep_questions(&self, generation: u64, survey_id: i64, questions: &[Question]) {
        if let Ok(mut inner) = self.inner.lock() {
            if inner.generation == generation {
                if inner.questions.len() >= MOST {
                    inner.questions.clear();
                }
                inner
                    .questions
                    .insert(survey_id, (Instant::now(), questions.to_vec()));
            }
        }
    }

    /// After any write to surveys or questions.
    pub(crate) fn forget(&self) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.generation += 1;
            inner.surveys.clear();
            inner.questions.clear();
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
