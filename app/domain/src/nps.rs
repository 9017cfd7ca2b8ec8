//! Net Promoter Score maths: scores, groups, the score and its margin of error.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An answer to the 0–10 recommendation question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct NpsScore(u8);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreError {
    Missing,
    NotANumber,
    OutOfRange,
}

impl NpsScore {
    pub const MAX: u8 = 10;

    pub fn new(value: i64) -> Result<Self, ScoreError> {
        if (0..=Self::MAX as i64).contains(&value) {
            Ok(NpsScore(value as u8))
        } else {
            Err(ScoreError::OutOfRange)
        }
    }

    /// Parses a form value. Only plain integers count: "7.5", "+7" or "07x" are refused.
    pub fn parse(raw: &str) -> Result<Self, ScoreError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ScoreError::Missing);
        }
        let digits = raw.strip_prefix('-').unwrap_or(raw);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ScoreError::NotANumber);
        }
        // Only overflow can fail here, and an overflowing number is out of range too.
        raw.parse::<i64>()
            .map_err(|_| ScoreError::OutOfRange)
            .and_then(Self::new)
    }

    pub fn value(self) -> u8 {
        self.0
    }

    pub fn group(self) -> ScoreGroup {
        match self.0 {
            0..=6 => ScoreGroup::Detractor,
            7 | 8 => ScoreGroup::Passive,
            _ => ScoreGroup::Promoter,
        }
    }
}

impl fmt::Display for NpsScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ScoreGroup {
    Detractor,
    Passive,
    Promoter,
}

/// How many responses gave each score 0..=10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ScoreDistribution(pub [u64; 11]);

impl ScoreDistribution {
    pub fn add(&mut self, score: NpsScore, count: u64) {
        self.0[score.value() as usize] += count;
    }

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    pub fn summary(&self) -> NpsSummary {
        let c = &self.0;
        NpsSummary::from_counts(c[9] + c[10], c[7] + c[8], c[..7].iter().sum())
    }
}

/// The NPS of a set of responses with what a manager needs to judge it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct NpsSummary {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

impl NpsSummary {
    pub fn from_counts(promoters: u64, passives: u64, detractors: u64) -> Self {
        NpsSummary {
            promoters,
            passives,
            detractors,
        }
    }

    pub fn total(&self) -> u64 {
        self.promoters + self.passives + self.detractors
    }

    fn shares(&self) -> Option<(f64, f64, f64)> {
        let n = self.total();
        (n > 0).then(|| {
            let n = n as f64;
            (
                self.promoters as f64 / n,
                self.passives as f64 / n,
                self.detractors as f64 / n,
            )
        })
    }

    /// Percentage of promoters, passives and detractors (0–100 each); `None` without responses.
    pub fn percentages(&self) -> Option<(f64, f64, f64)> {
        self.shares()
            .map(|(p, a, d)| (p * 100.0, a * 100.0, d * 100.0))
    }

    /// NPS from −100 to +100; `None` when there are no responses (not 0: "no data" is not "neutral").
    pub fn nps(&self) -> Option<f64> {
        self.shares().map(|(p, _, d)| (p - d) * 100.0)
    }

    /// Half-width of the 95% confidence interval of the NPS, in NPS points.
    ///
    /// Each respondent counts +1 (promoter), 0 (passive) or −1 (detractor); the NPS is the mean
    /// of that variable times 100, so its standard error is sqrt(var / n) with
    /// var = p + d − (p − d)². `None` below two responses, where no spread can be estimated.
    pub fn margin_of_error(&self) -> Option<f64> {
        let n = self.total();
        if n < 2 {
            return None;
        }
        let (p, _, d) = self.shares()?;
        let variance = p + d - (p - d).powi(2);
        Some(1.96 * (variance / n as f64).sqrt() * 100.0)
    }

    /// This period against an earlier one: the change in NPS points and whether it is larger
    /// than chance explains (two-sided z-test at 95%, independent samples). `None` when either
    /// period has fewer than two responses.
    pub fn compare(&self, earlier: &NpsSummary) -> Option<NpsChange> {
        let (now, before) = (self.nps()?, earlier.nps()?);
        let se = |s: &NpsSummary| s.margin_of_error().map(|m| m / 1.96);
        let (a, b) = (se(self)?, se(earlier)?);
        let combined = (a * a + b * b).sqrt();
        let change = now - before;
        Some(NpsChange {
            change,
            significant: if combined == 0.0 {
                change != 0.0
            } else {
                (change / combined).abs() > 1.96
            },
        })
    }
}

impl ScoreDistribution {
    /// The responses of `self` that are not in `part` (a subset of them).
    pub fn without(&self, part: &ScoreDistribution) -> ScoreDistribution {
        let mut rest = *self;
        for (r, p) in rest.0.iter_mut().zip(part.0.iter()) {
            *r = r.saturating_sub(*p);
        }
        rest
    }
}

/// What a theme does to the NPS: the NPS of the responses that mention it, and the overall NPS
/// minus the NPS of all the others (negative: the theme drags the score down).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    pub nps: Option<f64>,
    pub impact: Option<f64>,
}

pub fn driver(all: &ScoreDistribution, with_theme: &ScoreDistribution) -> Driver {
    let overall = all.summary().nps();
    let others = all.without(with_theme).summary().nps();
    Driver {
        nps: with_theme.summary().nps(),
        impact: overall.zip(others).map(|(o, w)| o - w),
    }
}

/// How recognised customers who answered more than once moved between their first and their
/// latest score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Movement {
    /// Customers with at least two responses.
    pub customers: u64,
    pub improved: u64,
    pub unchanged: u64,
    pub declined: u64,
    /// `groups[first][latest]`: customers per group (0 detractor, 1 passive, 2 promoter) at
    /// their first and at their latest response.
    pub groups: [[u64; 3]; 3],
}

impl Movement {
    /// From (first score, latest score, customers) counts.
    pub fn from_counts(pairs: impl IntoIterator<Item = (u8, u8, u64)>) -> Movement {
        let group = |s: u8| match s {
            0..=6 => 0,
            7 | 8 => 1,
            _ => 2,
        };
        let mut m = Movement::default();
        for (first, latest, n) in pairs {
            m.customers += n;
            match latest.cmp(&first) {
                std::cmp::Ordering::Greater => m.improved += n,
                std::cmp::Ordering::Equal => m.unchanged += n,
                std::cmp::Ordering::Less => m.declined += n,
            }
            m.groups[group(first)][group(latest)] += n;
        }
        m
    }

    /// The NPS of these customers at their first and at their latest response.
    pub fn nps_first_and_latest(&self) -> (Option<f64>, Option<f64>) {
        let g = &self.groups;
        let first =
            NpsSummary::from_counts(g[2].iter().sum(), g[1].iter().sum(), g[0].iter().sum());
        let latest = NpsSummary::from_counts(
            g.iter().map(|r| r[2]).sum(),
            g.iter().map(|r| r[1]).sum(),
            g.iter().map(|r| r[0]).sum(),
        );
        (first.nps(), latest.nps())
    }
}

/// How much the NPS moved between two periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NpsChange {
    pub change: f64,
    pub significant: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeat_customers_move_between_first_and_latest_score() {
        // (first, latest, customers): detractor → promoter; passive → passive; promoter →
        // detractor; promoter → promoter (10 after 9 counts as improved).
        let m = Movement::from_counts([(3, 9, 1), (8, 8, 1), (10, 6, 1), (9, 10, 1)]);
        assert_eq!(m.customers, 4);
        assert_eq!((m.improved, m.unchanged, m.declined), (2, 1, 1));
        assert_eq!(m.groups[0][2], 1);
        assert_eq!(m.groups[1][1], 1);
        assert_eq!(m.groups[2][0], 1);
        assert_eq!(m.groups[2][2], 1);
        // First: 1 detractor, 1 passive, 2 promoters → +25; latest: 1, 1, 2 → +25.
        assert_eq!(m.nps_first_and_latest(), (Some(25.0), Some(25.0)));
    }

    #[test]
    fn a_theme_drives_the_nps_by_what_the_others_score() {
        // 10 responses: 5 promoters, 2 passives, 3 detractors → NPS +20.
        let all = dist(&[(10, 5), (8, 2), (2, 3)]);
        // The theme is in 4 of them: 1 promoter, 3 detractors → its NPS −50. Without them:
        // 4 promoters, 2 passives → +66.7, so the theme costs 46.7 points.
        let theme = dist(&[(10, 1), (2, 3)]);
        let d = driver(&all, &theme);
        assert_eq!(d.nps, Some(-50.0));
        assert!((d.impact.unwrap() - (20.0 - 400.0 / 6.0)).abs() < 1e-9);
        // A theme in every response leaves nothing to compare with.
        assert_eq!(driver(&all, &all).impact, None);
    }

    #[test]
    fn a_change_is_significant_only_beyond_chance() {
        // 400 responses each: NPS +20 → +40 is significant (z ≈ 3.8); +20 → +25 is noise
        // (z ≈ 0.9). With 100 each even +20 → +40 is not (z ≈ 1.9).
        let a = NpsSummary::from_counts(160, 160, 80);
        let b = NpsSummary::from_counts(220, 120, 60);
        let c = NpsSummary::from_counts(180, 140, 80);
        assert!(
            !NpsSummary::from_counts(55, 30, 15)
                .compare(&NpsSummary::from_counts(40, 40, 20))
                .unwrap()
                .significant
        );
        let big = b.compare(&a).unwrap();
        assert!((big.change - 20.0).abs() < 1e-9);
        assert!(big.significant);
        let small = c.compare(&a).unwrap();
        assert!((small.change - 5.0).abs() < 1e-9);
        assert!(!small.significant);
        assert_eq!(a.compare(&NpsSummary::from_counts(1, 0, 0)), None);
    }

    fn dist(pairs: &[(u8, u64)]) -> ScoreDistribution {
        let mut d = ScoreDistribution::default();
        for &(s, c) in pairs {
            d.add(NpsScore::new(s as i64).unwrap(), c);
        }
        d
    }

    #[test]
    fn groups_follow_the_standard_cut_offs() {
        let g = |s| NpsScore::new(s).unwrap().group();
        assert_eq!(g(0), ScoreGroup::Detractor);
        assert_eq!(g(6), ScoreGroup::Detractor);
        assert_eq!(g(7), ScoreGroup::Passive);
        assert_eq!(g(8), ScoreGroup::Passive);
        assert_eq!(g(9), ScoreGroup::Promoter);
        assert_eq!(g(10), ScoreGroup::Promoter);
    }

    #[test]
    fn parse_accepts_only_whole_numbers_in_range() {
        assert_eq!(NpsScore::parse(" 7 ").unwrap().value(), 7);
        assert_eq!(NpsScore::parse("0").unwrap().value(), 0);
        assert_eq!(NpsScore::parse("10").unwrap().value(), 10);
        assert_eq!(NpsScore::parse("11"), Err(ScoreError::OutOfRange));
        assert_eq!(NpsScore::parse("-1"), Err(ScoreError::OutOfRange));
        assert_eq!(
            NpsScore::parse("99999999999999999999"),
            Err(ScoreError::OutOfRange)
        );
        assert_eq!(NpsScore::parse(""), Err(ScoreError::Missing));
        assert_eq!(NpsScore::parse("7.5"), Err(ScoreError::NotANumber));
        assert_eq!(NpsScore::parse("seven"), Err(ScoreError::NotANumber));
    }

    #[test]
    fn no_responses_means_no_score() {
        let s = ScoreDistribution::default().summary();
        assert_eq!(s.total(), 0);
        assert_eq!(s.nps(), None);
        assert_eq!(s.percentages(), None);
        assert_eq!(s.margin_of_error(), None);
    }

    #[test]
    fn all_passives_is_zero_with_no_spread() {
        let s = dist(&[(7, 10), (8, 5)]).summary();
        assert_eq!(s.nps(), Some(0.0));
        assert_eq!(s.margin_of_error(), Some(0.0));
        assert_eq!(s.percentages(), Some((0.0, 100.0, 0.0)));
    }

    #[test]
    fn extremes() {
        assert_eq!(dist(&[(10, 3), (9, 1)]).summary().nps(), Some(100.0));
        assert_eq!(dist(&[(0, 2), (6, 2)]).summary().nps(), Some(-100.0));
    }

    #[test]
    fn hand_computed_case() {
        // 50 promoters, 30 passives, 20 detractors: NPS 30.
        // var = 0.5 + 0.2 - 0.3² = 0.61; se = sqrt(0.61/100) = 0.0781; moe = 1.96·7.81 = 15.31
        let s = NpsSummary::from_counts(50, 30, 20);
        assert!((s.nps().unwrap() - 30.0).abs() < 1e-9);
        let moe = s.margin_of_error().unwrap();
        assert!((moe - 15.308).abs() < 0.01, "{moe}");
    }

    #[test]
    fn one_response_has_no_margin() {
        let s = NpsSummary::from_counts(1, 0, 0);
        assert_eq!(s.nps(), Some(100.0));
        assert_eq!(s.margin_of_error(), None);
    }
}
