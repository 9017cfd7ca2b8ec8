//! The two elements whose content Leptos' server-side renderer writes unescaped: `<textarea>`
//! (its children are treated as raw text in this Leptos version) and the `<title>` that
//! `leptos_meta` puts in the head. Every page renders them through these components, so no
//! caller can forget to escape: a typed `</textarea>` or a survey titled `</title><meta …>`
//! stays text. A unit test keeps the raw elements out of every other file.

use leptos::prelude::*;

/// Text as it may stand inside an element: `&`, `<` and `>` escaped (the escaping Leptos uses
/// for ordinary text).
pub fn escape_text(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// A `<textarea>` holding `value`, escaped. Attributes go on with `attr:` or `{..}`:
/// `<TextArea value=text attr:name="reason" attr:rows="5"/>`.
#[component]
pub fn TextArea(#[prop(into, optional)] value: String) -> impl IntoView {
    // The HTML parser drops one newline right after `<textarea>`: keep a leading one.
    let lead = if value.starts_with('\n') { "\n" } else { "" };
    let content = format!("{lead}{}", escape_text(&value));
    // Set as inner HTML: on the server it is written as it is (escaped above); in the browser
    // the textarea parses it as text, so entities become the characters again.
    view! { <textarea inner_html=content></textarea> }
}

/// The page's `<title>`. On the server the text is escaped for the head; in the browser it is
/// set as `document.title`, which takes plain text.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let text = if cfg!(feature = "ssr") {
        escape_text(&text)
    } else {
        text
    };
    view! { <leptos_meta::Title text=text/> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_stays_text() {
        assert_eq!(
            escape_text("</textarea><b>x</b> & </title>"),
            "&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt; &amp; &lt;/title&gt;"
        );
    }

    /// Every `<textarea>` and `<title>` goes through this module; a raw one elsewhere would be
    /// written unescaped.
    #[test]
    fn no_page_writes_a_raw_textarea_or_title() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut offenders = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("html_text.rs")
                {
                    let source = std::fs::read_to_string(&path).unwrap();
                    if source.contains("<textarea") || source.contains("<Title") {
                        offenders.push(path.display().to_string());
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "use TextArea / PageTitle: {offenders:?}"
        );
    }
}
