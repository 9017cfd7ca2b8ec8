//! Channel switches: recognised customers who contacted the company on one channel and then on
//! another within a window (web → phone within 7 days): where the online channel fails and the
//! customer has to call. The flows between channels, the NPS of the answers after a switch
//! against recognised customers' other answers, and the themes of the contact before the switch.

use crate::nps::ScoreDistribution;
use serde::{Deserialize, Serialize};

/// A recognised customer's answer, with the one before it (if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub channel: Option<String>,
    /// `None` for feedback without a score (a mail, a chat): a contact all the same.
    pub score: Option<u8>,
    pub at: i64,
    /// (id, channel, at) of the customer's previous answer.
    pub previous: Option<(i64, Option<String>, i64)>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SwitchReport {
    pub window_days: i64,
    /// Most frequent first.
    pub flows: Vec<Flow>,
    /// Answers given right after a switch.
    pub after_switch: ScoreDistribution,
    /// Recognised customers' other answers.
    pub others: ScoreDistribution,
    /// (theme key, share of pre-switch contacts that mention it in %, share among all
    /// recognised contacts in %), the biggest lift first.
    pub drivers: Vec<(String, f64, f64)>,
}

/// The switches among `contacts` (each with its previous answer) within `window_days`;
/// `themes` gives the theme keys of an answer.
pub fn switches(
    contacts: &[Contact],
    themes: &dyn Fn(i64) -> Vec<String>,
    window_days: i64,
) -> SwitchReport {
    let window = window_days.clamp(1, 90) * 86_400;
    let mut report = SwitchReport {
        window_days: window_days.clamp(1, 90),
        ..SwitchReport::default()
    };
    let mut before_switch: Vec<i64> = Vec::new();
    for c in contacts {
        let switched = match (&c.previous, &c.channel) {
            (Some((prev, Some(from), at)), Some(to)) if from != to && c.at - at <= window => {
                match report
                    .flows
                    .iter_mut()
                    .find(|f| &f.from == from && &f.to == to)
                {
                    Some(f) => f.count += 1,
                    None => report.flows.push(Flow {
                        from: from.clone(),
                        to: to.clone(),
                        count: 1,
                    }),
                }
                before_switch.push(*prev);
                true
            }
            _ => false,
        };
        let dist = if switched {
            &mut report.after_switch
        } else {
            &mut report.others
        };
        // Feedback without a score is a contact, but not part of the NPS comparison.
        if let Some(score) = c.score {
            dist.0[usize::from(score.min(10))] += 1;
        }
    }
    report
        .flows
        .sort_by(|a, b| b.count.cmp(&a.count).then(a.from.cmp(&b.from)));
    // Themes of the contacts before a switch against all contacts.
    let count = |ids: &mut dyn Iterator<Item = i64>| {
        let mut counts: Vec<(String, u64)> = Vec::new();
        let mut n = 0u64;
        for id in ids {
            n += 1;
            for key in themes(id) {
                match counts.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, c)) => *c += 1,
                    None => counts.push((key, 1)),
                }
            }
        }
        (counts, n)
    };
    let (switch_counts, switch_n) = count(&mut before_switch.iter().copied());
    let (all_counts, all_n) = count(&mut contacts.iter().map(|c| c.id));
    let share = |c: u64, n: u64| {
        if n == 0 {
            0.0
        } else {
            c as f64 / n as f64 * 100.0
        }
    };
    report.drivers = switch_counts
        .into_iter()
        .map(|(key, c)| {
            let overall = all_counts
                .iter()
                .find(|(k, _)| *k == key)
                .map_or(0, |x| x.1);
            (key, share(c, switch_n), share(overall, all_n))
        })
        .collect();
    report
        .drivers
        .sort_by(|a, b| (b.1 - b.2).total_cmp(&(a.1 - a.2)).then(a.0.cmp(&b.0)));
    report.drivers.truncate(8);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(
        id: i64,
        channel: &str,
        score: u8,
        at_days: i64,
        previous: Option<(i64, &str, i64)>,
    ) -> Contact {
        Contact {
            id,
            channel: Some(channel.into()),
            score: Some(score),
            at: at_days * 86_400,
            previous: previous.map(|(p, ch, at)| (p, Some(ch.to_string()), at * 86_400)),
        }
    }

    #[test]
    fn web_then_phone_within_a_week_is_a_switch() {
        let contacts = vec![
            contact(1, "web", 6, 0, None),
            contact(2, "phone", 3, 2, Some((1, "web", 0))),
            contact(3, "web", 7, 0, None),
            contact(4, "phone", 5, 20, Some((3, "web", 0))),
            contact(5, "app", 9, 1, None),
            contact(6, "app", 10, 3, Some((5, "app", 1))),
            contact(7, "web", 4, 4, None),
            contact(8, "phone", 2, 5, Some((7, "web", 4))),
            contact(9, "phone", 8, 6, Some((8, "phone", 5))),
        ];
        let themes = |id: i64| match id {
            1 | 7 => vec!["digital".to_string()],
            3 => vec!["price_billing".to_string()],
            _ => vec![],
        };
        let r = switches(&contacts, &themes, 7);
        assert_eq!(
            r.flows,
            vec![Flow {
                from: "web".into(),
                to: "phone".into(),
                count: 2
            }]
        );
        assert_eq!(r.after_switch.total(), 2);
        assert_eq!(r.after_switch.summary().nps(), Some(-100.0));
        assert_eq!(r.others.total(), 7);
        // "digital" is in both contacts before a switch (100 %) against 2 of 9 overall.
        assert_eq!(r.drivers[0].0, "digital");
        assert_eq!(r.drivers[0].1.round(), 100.0);
        assert_eq!(r.drivers[0].2.round(), 22.0);
        assert!(switches(&[], &themes, 7).flows.is_empty());
    }
}
