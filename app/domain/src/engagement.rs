//! The engagement ladder: of the recognised customers, who is satisfied, who is loyal and who is
//! engaged (contributed an idea, a vote or a comment too), and how customers moved between the
//! steps over a period.

use serde::{Deserialize, Serialize};

/// A step of the ladder, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Recognised, latest score 0–6.
    Unsatisfied,
    /// Latest score 7–8.
    Satisfied,
    /// A promoter (latest 9–10), or returning with a stable high score (first and latest ≥ 7).
    Loyal,
    /// Satisfied or loyal, and also contributed: an idea, a vote or a comment.
    Engaged,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::Unsatisfied,
        Step::Satisfied,
        Step::Loyal,
        Step::Engaged,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Unsatisfied => "unsatisfied",
            Step::Satisfied => "satisfied",
            Step::Loyal => "loyal",
            Step::Engaged => "engaged",
        }
    }
}

/// Where a customer stands at `t`, from their responses `(time, score)` in time order and when
/// they first contributed; `None` when they had not answered yet.
pub fn step_at(responses: &[(i64, u8)], contributed: Option<i64>, t: i64) -> Option<Step> {
    let before: Vec<u8> = responses
        .iter()
        .filter(|(at, _)| *at <= t)
        .map(|r| r.1)
        .collect();
    let (&first, &latest) = (before.first()?, before.last()?);
    let loyal = latest >= 9 || (before.len() > 1 && first >= 7 && latest >= 7);
    let step = if loyal {
        Step::Loyal
    } else if latest >= 7 {
        Step::Satisfied
    } else {
        Step::Unsatisfied
    };
    Some(
        if step >= Step::Satisfied && contributed.is_some_and(|c| c <= t) {
            Step::Engaged
        } else {
            step
        },
    )
}

/// The ladder now and how it moved since the period's start.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ladder {
    /// Customers per step now (by [`Step::index`]).
    pub now: [u64; 4],
    /// Customers per step at the period's start.
    pub before: [u64; 4],
    /// `moves[from][to]`: customers who stood on `from` at the start and on `to` now.
    pub moves: [[u64; 4]; 4],
    /// Customers recognised during the period, per step now.
    pub new: [u64; 4],
}

impl Ladder {
    /// The ladder of `customers` (each: responses in time order, first contribution) between
    /// `since` and `now`.
    pub fn of<'a>(
        customers: impl IntoIterator<Item = (&'a [(i64, u8)], Option<i64>)>,
        since: i64,
        now: i64,
    ) -> Ladder {
        let mut ladder = Ladder::default();
        for (responses, contributed) in customers {
            let Some(to) = step_at(responses, contributed, now) else {
                continue;
            };
            ladder.now[to.index()] += 1;
            match step_at(responses, contributed, since) {
                Some(from) => {
                    ladder.before[from.index()] += 1;
                    ladder.moves[from.index()][to.index()] += 1;
                }
                None => ladder.new[to.index()] += 1,
            }
        }
        ladder
    }

    pub fn recognised(&self) -> u64 {
        self.now.iter().sum()
    }

    /// Customers who stepped up (or down) the ladder during the period.
    pub fn moved_up(&self) -> u64 {
        (0..4)
            .flat_map(|f| (f + 1..4).map(move |t| (f, t)))
            .map(|(f, t)| self.moves[f][t])
            .sum()
    }

    pub fn moved_down(&self) -> u64 {
        (0..4)
            .flat_map(|f| (0..f).map(move |t| (f, t)))
            .map(|(f, t)| self.moves[f][t])
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_stand_on_the_step_their_answers_and_contributions_put_them() {
        assert_eq!(step_at(&[(10, 9)], None, 5), None);
        assert_eq!(step_at(&[(10, 3)], Some(1), 20), Some(Step::Unsatisfied));
        assert_eq!(step_at(&[(10, 8)], None, 20), Some(Step::Satisfied));
        assert_eq!(step_at(&[(10, 10)], None, 20), Some(Step::Loyal));
        // Returning with a stable high score is loyal too.
        assert_eq!(step_at(&[(10, 7), (15, 8)], None, 20), Some(Step::Loyal));
        assert_eq!(step_at(&[(10, 8)], Some(12), 20), Some(Step::Engaged));
        // A detractor who votes is not engaged yet.
        assert_eq!(step_at(&[(10, 2)], Some(12), 20), Some(Step::Unsatisfied));
    }

    #[test]
    fn the_ladder_counts_moves_between_the_start_and_now() {
        let a = [(10, 6), (30, 9)];
        let b = [(10, 8)];
        let c = [(25, 7)];
        let ladder = Ladder::of([(&a[..], None), (&b[..], Some(28)), (&c[..], None)], 20, 40);
        assert_eq!(ladder.now, [0, 1, 1, 1]);
        assert_eq!(ladder.before, [1, 1, 0, 0]);
        assert_eq!(ladder.moves[0][2], 1);
        assert_eq!(ladder.moves[1][3], 1);
        assert_eq!(ladder.new, [0, 1, 0, 0]);
        assert_eq!(
            (ladder.moved_up(), ladder.moved_down(), ladder.recognised()),
            (2, 0, 3)
        );
    }
}
