//! Evaluations of the text analysis on real data in `../shared/data` (never copied into the
//! repository): language detection, themes and sentiment against gold labels. One test binary.

mod data;

mod language_eval;
mod learning_eval;
mod sentiment_eval;
mod theme_eval;
mod theme_learning_eval;
