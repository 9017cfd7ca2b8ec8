//! The questions a survey asks after the NPS question: CSAT (1–5), CES (1–7), single choice,
//! multiple choice and open text, each with its texts per language. Plain Rust: what a question
//! is, how an answer to it is read from a form, and what is wrong with one.

use crate::locale::Locale;
use crate::survey::{clean_text, REASON_MAX_CHARS};
use serde::{Deserialize, Serialize};

pub const MAX_QUESTIONS: usize = 30;
pub const MAX_OPTIONS: usize = 20;
pub const LABEL_MAX_CHARS: usize = 300;
pub const OPTION_MAX_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    /// Customer satisfaction, 1 (very dissatisfied) to 5 (very satisfied).
    Csat,
    /// Customer effort, 1 (very difficult) to 7 (very easy).
    Ces,
    Single,
    Multiple,
    Text,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 5] = [
        QuestionKind::Csat,
        QuestionKind::Ces,
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Csat => "csat",
            QuestionKind::Ces => "ces",
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Text => "text",
        }
    }

    pub fn parse(raw: &str) -> Option<QuestionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }

    /// The range of a scale question.
    pub fn scale(self) -> Option<(u8, u8)> {
        match self {
            QuestionKind::Csat => Some((1, 5)),
            QuestionKind::Ces => Some((1, 7)),
            _ => None,
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, QuestionKind::Single | QuestionKind::Multiple)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub kind: QuestionKind,
    pub required: bool,
    pub texts: QuestionTexts,
    /// Hidden from the form; its answers stay.
    pub retired: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionTexts {
    pub label_nl: String,
    pub label_en: String,
    /// Choice options; an option has the same place in both languages.
    pub options_nl: Vec<String>,
    pub options_en: Vec<String>,
}

impl QuestionTexts {
    /// Texts as a manager typed them: labels trimmed, options one per line (only for choices).
    pub fn from_form(
        kind: QuestionKind,
        label_nl: &str,
        label_en: &str,
        options_nl: &str,
        options_en: &str,
    ) -> Self {
        let lines = |v: &str| -> Vec<String> {
            if !kind.has_options() {
                return Vec::new();
            }
            v.lines()
                .map(clean_text)
                .filter(|l| !l.is_empty())
                .collect()
        };
        QuestionTexts {
            label_nl: clean_text(label_nl),
            label_en: clean_text(label_en),
            options_nl: lines(options_nl),
            options_en: lines(options_en),
        }
    }
}

impl Question {
    pub fn label(&self, locale: Locale) -> &str {
        crate::locale::pick(&self.texts.label_nl, &self.texts.label_en, locale).unwrap_or("")
    }

    /// The options in `locale`, each falling back to the other language.
    pub fn options(&self, locale: Locale) -> Vec<&str> {
        let n = self.texts.options_nl.len().max(self.texts.options_en.len());
        (0..n)
            .map(|i| {
                let nl = self
                    .texts
                    .options_nl
                    .get(i)
                    .map(String::as_str)
                    .unwrap_or("");
                let en = self
                    .texts
                    .options_en
                    .get(i)
                    .map(String::as_str)
                    .unwrap_or("");
                crate::locale::pick(nl, en, locale).unwrap_or("")
            })
            .collect()
    }

    /// The form field of this question (`q12`); a multiple-choice option is `q12_3`.
    pub fn field(&self) -> String {
        format!("q{}", self.id)
    }
}

/// An answer as stored: a number, or text (multiple choice: option numbers, comma-separated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub question_id: i64,
    pub value: Option<i64>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionError {
    /// A required question without an answer.
    Missing(i64),
    /// Out of range, an unknown option, or text too long.
    Invalid(i64),
}

impl QuestionError {
    pub fn question(self) -> i64 {
        match self {
            QuestionError::Missing(q) | QuestionError::Invalid(q) => q,
        }
    }
}

/// Reads the answers to `questions` from form fields (`q12` = value, `q12_3` = option 3 chosen).
/// Retired questions are skipped; every problem is reported.
pub fn read_answers(
    questions: &[Question],
    fields: &[(String, String)],
) -> Result<Vec<Answer>, Vec<QuestionError>> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for q in questions.iter().filter(|q| !q.retired) {
        let field = q.field();
        let answer = match q.kind {
            QuestionKind::Csat | QuestionKind::Ces => match get(&field) {
                None => None,
                Some(raw) => {
                    let (lo, hi) = q.kind.scale().unwrap_or((1, 5));
                    match raw.parse::<u8>() {
                        Ok(v) if (lo..=hi).contains(&v) => Some((Some(i64::from(v)), None)),
                        _ => {
                            errors.push(QuestionError::Invalid(q.id));
                            continue;
                        }
                    }
                }
            },
            QuestionKind::Single => match get(&field) {
                None => None,
                Some(raw) => match raw.parse::<usize>() {
                    Ok(i) if i < q.options(Locale::Nl).len() => Some((Some(i as i64), None)),
                    _ => {
                        errors.push(QuestionError::Invalid(q.id));
                        continue;
                    }
                },
            },
            QuestionKind::Multiple => {
                let chosen: Vec<String> = (0..q.options(Locale::Nl).len())
                    .filter(|i| get(&format!("{field}_{i}")).is_some())
                    .map(|i| i.to_string())
                    .collect();
                (!chosen.is_empty()).then(|| (None, Some(chosen.join(","))))
            }
            QuestionKind::Text => match get(&field).map(clean_text) {
                None => None,
                Some(t) if t.chars().count() > REASON_MAX_CHARS => {
                    errors.push(QuestionError::Invalid(q.id));
                    continue;
                }
                Some(t) => Some((None, Some(t))),
            },
        };
        match answer {
            Some((value, text)) => answers.push(Answer {
                question_id: q.id,
                value,
                text,
            }),
            None if q.required => errors.push(QuestionError::Missing(q.id)),
            None => {}
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// An answer as a person reads it, in `locale`.
pub fn describe(q: &Question, a: &Answer, locale: Locale) -> String {
    let options = q.options(locale);
    match q.kind {
        QuestionKind::Csat | QuestionKind::Ces => {
            let (_, hi) = q.kind.scale().unwrap_or((1, 5));
            format!("{} / {hi}", a.value.unwrap_or(0))
        }
        QuestionKind::Single => a
            .value
            .and_then(|i| options.get(i as usize).copied())
            .unwrap_or("?")
            .to_string(),
        QuestionKind::Multiple => a
            .text
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|i| i.parse::<usize>().ok())
            .filter_map(|i| options.get(i).copied())
            .collect::<Vec<_>>()
            .join(", "),
        QuestionKind::Text => a.text.clone().unwrap_or_default(),
    }
}

/// Whether new options keep the meaning of answers given to the old ones: the same options in
/// the same places (text fixes allowed only when nothing was answered), new ones at the end.
pub fn options_keep_meaning(old: &QuestionTexts, new: &QuestionTexts) -> bool {
    let same_prefix =
        |a: &[String], b: &[String]| b.len() >= a.len() && a.iter().zip(b).all(|(x, y)| x == y);
    same_prefix(&old.options_nl, &new.options_nl) && same_prefix(&old.options_en, &new.options_en)
}

/// What can be wrong with a question a manager adds or changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionEditError {
    LabelMissing,
    LabelTooLong,
    /// Choice questions have 2 to [`MAX_OPTIONS`] options of at most [`OPTION_MAX_CHARS`].
    Options,
    KindUnknown,
    TooMany,
    /// The change would take away options that answers already chose.
    Frozen,
}

impl QuestionEditError {
    pub const ALL: [QuestionEditError; 6] = [
        QuestionEditError::LabelMissing,
        QuestionEditError::LabelTooLong,
        QuestionEditError::Options,
        QuestionEditError::KindUnknown,
        QuestionEditError::TooMany,
        QuestionEditError::Frozen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QuestionEditError::LabelMissing => "question_label_missing",
            QuestionEditError::LabelTooLong => "question_label_too_long",
            QuestionEditError::Options => "question_options",
            QuestionEditError::KindUnknown => "question_kind",
            QuestionEditError::TooMany => "question_too_many",
            QuestionEditError::Frozen => "question_frozen",
        }
    }

    pub fn from_code(code: &str) -> Option<QuestionEditError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// Problems with a question as a manager entered it.
pub fn check_question(kind: QuestionKind, texts: &QuestionTexts) -> Result<(), QuestionEditError> {
    if texts.label_nl.trim().is_empty() && texts.label_en.trim().is_empty() {
        return Err(QuestionEditError::LabelMissing);
    }
    if texts.label_nl.chars().count() > LABEL_MAX_CHARS
        || texts.label_en.chars().count() > LABEL_MAX_CHARS
    {
        return Err(QuestionEditError::LabelTooLong);
    }
    let n = texts.options_nl.len().max(texts.options_en.len());
    if kind.has_options() && !(2..=MAX_OPTIONS).contains(&n) {
        return Err(QuestionEditError::Options);
    }
    if texts
        .options_nl
        .iter()
        .chain(&texts.options_en)
        .any(|o| o.chars().count() > OPTION_MAX_CHARS)
    {
        return Err(QuestionEditError::Options);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: i64, kind: QuestionKind, required: bool) -> Question {
        Question {
            id,
            kind,
            required,
            texts: QuestionTexts {
                label_nl: "Vraag".into(),
                label_en: String::new(),
                options_nl: vec!["Prijs".into(), "Service".into(), "Snelheid".into()],
                options_en: vec!["Price".into()],
            },
            retired: false,
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn answers_are_read_per_kind() {
        let qs = [
            q(1, QuestionKind::Csat, true),
            q(2, QuestionKind::Ces, false),
            q(3, QuestionKind::Single, false),
            q(4, QuestionKind::Multiple, false),
            q(5, QuestionKind::Text, false),
        ];
        let a = read_answers(
            &qs,
            &fields(&[
                ("q1", "4"),
                ("q3", "2"),
                ("q4_0", "on"),
                ("q4_2", "on"),
                ("q5", " Goed "),
            ]),
        )
        .unwrap();
        assert_eq!(a.len(), 4, "unanswered optional questions are skipped");
        assert_eq!(a[0].value, Some(4));
        assert_eq!(a[1].value, Some(2));
        assert_eq!(a[2].text.as_deref(), Some("0,2"));
        assert_eq!(a[3].text.as_deref(), Some("Goed"));
        assert_eq!(
            describe(&qs[3], &a[2], Locale::En),
            "Price, Snelheid",
            "per-option fallback"
        );
        assert_eq!(describe(&qs[0], &a[0], Locale::Nl), "4 / 5");
    }

    #[test]
    fn bad_and_missing_answers_are_reported() {
        let qs = [
            q(1, QuestionKind::Csat, true),
            q(2, QuestionKind::Ces, false),
            q(3, QuestionKind::Single, false),
        ];
        let e = read_answers(&qs, &fields(&[("q2", "8"), ("q3", "7")])).unwrap_err();
        assert_eq!(
            e,
            [
                QuestionError::Missing(1),
                QuestionError::Invalid(2),
                QuestionError::Invalid(3)
            ]
        );
        let mut retired = q(9, QuestionKind::Csat, true);
        retired.retired = true;
        assert_eq!(read_answers(&[retired], &[]), Ok(vec![]));
    }

    #[test]
    fn questions_need_a_label_and_choices_options() {
        let mut t = QuestionTexts {
            label_nl: "Hoe tevreden bent u?".into(),
            ..Default::default()
        };
        assert!(check_question(QuestionKind::Csat, &t).is_ok());
        assert_eq!(
            check_question(QuestionKind::Single, &t),
            Err(QuestionEditError::Options)
        );
        t.options_nl = vec!["a".into(), "b".into()];
        assert!(check_question(QuestionKind::Single, &t).is_ok());
        t.label_nl.clear();
        assert_eq!(
            check_question(QuestionKind::Csat, &t),
            Err(QuestionEditError::LabelMissing)
        );
    }
}
