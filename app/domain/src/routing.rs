//! Routing: which departments a piece of feedback belongs to.
//!
//! A rule has conditions that must all hold and conditions of which at least one must hold
//! ("all of … and any of …"); each condition names a field of the feedback and the values that
//! satisfy it. Every enabled rule that matches sends the feedback to its departments; feedback no
//! rule matches goes to the default department. Rules are evaluated when feedback arrives and
//! again after it is retagged, in the store's write transaction.

use crate::nps::{NpsScore, ScoreGroup};
use serde::{Deserialize, Serialize};

/// Longest department or rule name, in characters.
pub const NAME_MAX_CHARS: usize = 80;
/// At most this many conditions in one rule (each with at most [`VALUES_MAX`] values).
pub const CONDITIONS_MAX: usize = 12;
pub const VALUES_MAX: usize = 40;

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Theme,
    Channel,
    Phase,
    Survey,
    ScoreGroup,
    Sentiment,
    Language,
}

impl Field {
    pub const ALL: [Field; 7] = [
        Field::Theme,
        Field::Channel,
        Field::Phase,
        Field::Survey,
        Field::ScoreGroup,
        Field::Sentiment,
        Field::Language,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Theme => "theme",
            Field::Channel => "channel",
            Field::Phase => "phase",
            Field::Survey => "survey",
            Field::ScoreGroup => "score_group",
            Field::Sentiment => "sentiment",
            Field::Language => "language",
        }
    }

    pub fn parse(raw: &str) -> Option<Field> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw.trim())
    }
}

/// `field` is one of `values` (for themes: the feedback has one of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub field: Field,
    pub values: Vec<String>,
}

/// What routing knows of one piece of feedback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// The survey's slug.
    pub survey: String,
    pub score: Option<u8>,
    pub channel: Option<String>,
    pub phase: Option<String>,
    /// "negative", "neutral" or "positive".
    pub sentiment: Option<String>,
    pub language: Option<String>,
    /// Theme keys with the sentiment of the sentences that mention them.
    pub themes: Vec<(String, Option<String>)>,
    /// The customer agreed to be contacted (left an address with consent).
    pub consent: bool,
}

/// The score group's name in rules: "detractor", "passive", "promoter", or "none" without a
/// score.
pub fn score_group_name(score: Option<u8>) -> &'static str {
    match score
        .and_then(|s| NpsScore::new(s.into()).ok())
        .map(NpsScore::group)
    {
        Some(ScoreGroup::Detractor) => "detractor",
        Some(ScoreGroup::Passive) => "passive",
        Some(ScoreGroup::Promoter) => "promoter",
        None => "none",
    }
}

impl Condition {
    pub fn holds(&self, f: &Facts) -> bool {
        let is = |v: Option<&str>| v.is_some_and(|v| self.values.iter().any(|x| x == v));
        match self.field {
            Field::Theme => f.themes.iter().any(|(k, _)| is(Some(k))),
            Field::Channel => is(f.channel.as_deref()),
            Field::Phase => is(f.phase.as_deref()),
            Field::Survey => is(Some(&f.survey)),
            Field::ScoreGroup => is(Some(score_group_name(f.score))),
            Field::Sentiment => is(f.sentiment.as_deref()),
            Field::Language => is(f.language.as_deref()),
        }
    }
}

/// A routing rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: i64,
    pub name: String,
    /// Rules are listed (and tested) in this order.
    pub position: i64,
    pub enabled: bool,
    /// Every one of these must hold.
    pub all: Vec<Condition>,
    /// At least one of these must hold (when there are any).
    pub any: Vec<Condition>,
    /// The departments that receive what it matches.
    pub targets: Vec<i64>,
}

impl Rule {
    pub fn matches(&self, f: &Facts) -> bool {
        self.enabled
            && self.all.iter().all(|c| c.holds(f))
            && (self.any.is_empty() || self.any.iter().any(|c| c.holds(f)))
    }
}

/// One department a piece of feedback goes to, and the rule that sent it (`None`: the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub department: i64,
    pub rule: Option<i64>,
}

/// The departments `facts` go to: the targets of every matching rule in rule order, each once;
/// the default department when no rule matches.
pub fn route(rules: &[Rule], default: Option<i64>, facts: &Facts) -> Vec<Route> {
    let mut out: Vec<Route> = Vec::new();
    let mut ordered: Vec<&Rule> = rules.iter().collect();
    ordered.sort_by_key(|r| (r.position, r.id));
    for rule in ordered.into_iter().filter(|r| r.matches(facts)) {
        for &department in &rule.targets {
            if !out.iter().any(|r| r.department == department) {
                out.push(Route {
                    department,
                    rule: Some(rule.id),
                });
            }
        }
    }
    if out.is_empty() {
        out.extend(default.map(|department| Route {
            department,
            rule: None,
        }));
    }
    out
}

/// A department with its lead and members (user ids).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub name: String,
    pub lead: Option<i64>,
    pub members: Vec<i64>,
}

/// How many of a sample of recent feedback a rule would route ("which of the last 1,000
/// responses would this rule route?").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleTest {
    pub sample: u32,
    pub matched: u32,
    /// The first few matches: (response id, score, text).
    pub examples: Vec<(i64, Option<u8>, Option<String>)>,
}

/// Why a rule, department or policy form was refused. Codes, worded by the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoutingError {
    NameMissing,
    NameTooLong,
    NameTaken,
    NoConditions,
    UnknownField,
    EmptyCondition,
    TooManyConditions,
    NoTargets,
    UnknownDepartment,
    BadHours,
}

impl RoutingError {
    pub fn code(self) -> &'static str {
        match self {
            RoutingError::NameMissing => "routing_name_missing",
            RoutingError::NameTooLong => "routing_name_too_long",
            RoutingError::NameTaken => "routing_name_taken",
            RoutingError::NoConditions => "routing_no_conditions",
            RoutingError::UnknownField => "routing_unknown_field",
            RoutingError::EmptyCondition => "routing_empty_condition",
            RoutingError::TooManyConditions => "routing_too_many_conditions",
            RoutingError::NoTargets => "routing_no_targets",
            RoutingError::UnknownDepartment => "routing_unknown_department",
            RoutingError::BadHours => "routing_bad_hours",
        }
    }

    pub const ALL: [RoutingError; 10] = [
        RoutingError::NameMissing,
        RoutingError::NameTooLong,
        RoutingError::NameTaken,
        RoutingError::NoConditions,
        RoutingError::UnknownField,
        RoutingError::EmptyCondition,
        RoutingError::TooManyConditions,
        RoutingError::NoTargets,
        RoutingError::UnknownDepartment,
        RoutingError::BadHours,
    ];

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// A checked name (department or rule).
pub fn name(raw: &str) -> Result<String, RoutingError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err(RoutingError::NameMissing)
    } else if name.chars().count() > NAME_MAX_CHARS {
        Err(RoutingError::NameTooLong)
    } else {
        Ok(name)
    }
}

/// The rule editor as posted: conditions as lines `field: value, value`, so one textarea per
/// list works without JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RuleForm {
    /// Numbers arrive as text: a flattened form cannot read them as numbers.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub position: Option<String>,
    /// "on" when the checkbox is ticked.
    #[serde(default)]
    pub enabled: Option<String>,
    #[serde(default)]
    pub all: String,
    #[serde(default)]
    pub any: String,
    /// Up to three target departments (ids), one select each: a form without JavaScript
    /// posts them as separate fields.
    #[serde(default)]
    pub target_1: Option<String>,
    #[serde(default)]
    pub target_2: Option<String>,
    #[serde(default)]
    pub target_3: Option<String>,
}

/// `field: a, b` per line into conditions.
pub fn parse_conditions(text: &str) -> Result<Vec<Condition>, RoutingError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (field, values) = line.split_once(':').ok_or(RoutingError::UnknownField)?;
        let field = Field::parse(&field.trim().to_ascii_lowercase().replace(' ', "_"))
            .ok_or(RoutingError::UnknownField)?;
        let mut list: Vec<String> = Vec::new();
        for v in values
            .split(',')
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
        {
            let v = if field == Field::Survey || field == Field::Theme {
                v.to_string()
            } else {
                v.to_ascii_lowercase()
            };
            if !list.contains(&v) {
                list.push(v);
            }
        }
        if list.is_empty() {
            return Err(RoutingError::EmptyCondition);
        }
        if list.len() > VALUES_MAX {
            return Err(RoutingError::TooManyConditions);
        }
        out.push(Condition {
            field,
            values: list,
        });
    }
    if out.len() > CONDITIONS_MAX {
        return Err(RoutingError::TooManyConditions);
    }
    Ok(out)
}

/// Conditions back into the editor's lines.
pub fn conditions_text(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(|c| format!("{}: {}", c.field.as_str(), c.values.join(", ")))
        .collect::<Vec<_>>()
        .join("\n")
}

impl RuleForm {
    /// A checked rule; `departments` are the ids that exist.
    pub fn parse(&self, departments: &[i64]) -> Result<Rule, RoutingError> {
        let name = name(&self.name)?;
        let all = parse_conditions(&self.all)?;
        let any = parse_conditions(&self.any)?;
        if all.is_empty() && any.is_empty() {
            return Err(RoutingError::NoConditions);
        }
        let mut targets = Vec::new();
        for t in [&self.target_1, &self.target_2, &self.target_3]
            .into_iter()
            .flatten()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
        {
            let id: i64 = t.parse().map_err(|_| RoutingError::UnknownDepartment)?;
            if !departments.contains(&id) {
                return Err(RoutingError::UnknownDepartment);
            }
            if !targets.contains(&id) {
                targets.push(id);
            }
        }
        if targets.is_empty() {
            return Err(RoutingError::NoTargets);
        }
        let number = |v: &Option<String>| v.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
        Ok(Rule {
            id: number(&self.id).unwrap_or(0),
            name,
            position: number(&self.position).unwrap_or(100).clamp(0, 10_000),
            enabled: self.enabled.as_deref().is_some_and(|v| !v.is_empty()),
            all,
            any,
            targets,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            survey: "klantenservice".into(),
            score: Some(3),
            channel: Some("phone".into()),
            phase: Some("service".into()),
            sentiment: Some("negative".into()),
            language: Some("nl".into()),
            themes: vec![("wachttijd".into(), Some("negative".into()))],
            consent: true,
        }
    }

    fn rule(id: i64, all: &str, any: &str, targets: Vec<i64>) -> Rule {
        Rule {
            id,
            name: format!("r{id}"),
            position: id,
            enabled: true,
            all: parse_conditions(all).unwrap(),
            any: parse_conditions(any).unwrap(),
            targets,
        }
    }

    #[test]
    fn all_and_any_combine() {
        let f = facts();
        assert!(rule(1, "theme: wachttijd\nscore_group: detractor", "", vec![1]).matches(&f));
        assert!(!rule(1, "theme: wachttijd\nscore_group: promoter", "", vec![1]).matches(&f));
        // All hold, and one of the "any" list.
        assert!(rule(
            1,
            "channel: phone",
            "language: en\nsentiment: negative",
            vec![1]
        )
        .matches(&f));
        assert!(!rule(
            1,
            "channel: phone",
            "language: en\nsentiment: positive",
            vec![1]
        )
        .matches(&f));
        // Only an "any" list.
        assert!(rule(1, "", "phase: purchase, service", vec![1]).matches(&f));
        let mut off = rule(1, "channel: phone", "", vec![1]);
        off.enabled = false;
        assert!(!off.matches(&f));
    }

    #[test]
    fn every_matching_rule_routes_once_in_order_else_default() {
        let f = facts();
        let rules = vec![
            rule(2, "channel: phone", "", vec![3, 1]),
            rule(1, "theme: wachttijd", "", vec![1, 2]),
            rule(3, "language: de", "", vec![9]),
        ];
        let routes = route(&rules, Some(7), &f);
        assert_eq!(
            routes,
            vec![
                Route {
                    department: 1,
                    rule: Some(1)
                },
                Route {
                    department: 2,
                    rule: Some(1)
                },
                Route {
                    department: 3,
                    rule: Some(2)
                },
            ]
        );
        let none = Facts {
            channel: Some("web".into()),
            themes: vec![],
            ..f
        };
        assert_eq!(
            route(&rules, Some(7), &none),
            vec![Route {
                department: 7,
                rule: None
            }]
        );
        assert_eq!(route(&rules, None, &none), vec![]);
    }

    #[test]
    fn score_groups_include_feedback_without_a_score() {
        assert_eq!(score_group_name(Some(6)), "detractor");
        assert_eq!(score_group_name(Some(8)), "passive");
        assert_eq!(score_group_name(Some(10)), "promoter");
        assert_eq!(score_group_name(None), "none");
        let f = Facts {
            score: None,
            ..facts()
        };
        assert!(rule(1, "score_group: none", "", vec![1]).matches(&f));
    }

    #[test]
    fn the_form_is_checked() {
        let form = RuleForm {
            name: "  Wachttijd  naar klantenservice ".into(),
            enabled: Some("on".into()),
            all: "Theme: wachttijd, wachttijd\nscore group: Detractor".into(),
            target_1: Some("1".into()),
            target_2: Some("2".into()),
            target_3: Some("1".into()),
            ..Default::default()
        };
        let rule = form.parse(&[1, 2]).unwrap();
        assert_eq!(rule.name, "Wachttijd naar klantenservice");
        assert_eq!(rule.all[0].values, vec!["wachttijd".to_string()]);
        assert_eq!(rule.all[1].values, vec!["detractor".to_string()]);
        assert_eq!(rule.targets, vec![1, 2]);
        assert!(rule.enabled);
        assert_eq!(
            conditions_text(&rule.all),
            "theme: wachttijd\nscore_group: detractor"
        );
        let bad = |f: RuleForm| f.parse(&[1, 2]).unwrap_err();
        assert_eq!(
            bad(RuleForm {
                name: String::new(),
                ..form.clone()
            }),
            RoutingError::NameMissing
        );
        assert_eq!(
            bad(RuleForm {
                all: "colour: red".into(),
                ..form.clone()
            }),
            RoutingError::UnknownField
        );
        assert_eq!(
            bad(RuleForm {
                all: "theme: ,".into(),
                ..form.clone()
            }),
            RoutingError::EmptyCondition
        );
        assert_eq!(
            bad(RuleForm {
                all: String::new(),
                ..form.clone()
            }),
            RoutingError::NoConditions
        );
        assert_eq!(
            bad(RuleForm {
                target_1: None,
                target_2: Some(" ".into()),
                target_3: None,
                ..form.clone()
            }),
            RoutingError::NoTargets
        );
        assert_eq!(
            bad(RuleForm {
                target_1: Some("3".into()),
                ..form.clone()
            }),
            RoutingError::UnknownDepartment
        );
        assert_eq!(
            bad(RuleForm {
                name: "x".repeat(81),
                ..form
            }),
            RoutingError::NameTooLong
        );
    }
}
