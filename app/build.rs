//! Turns the interface catalogues (`locales/<language>.toml`, one `key = "text"` per line) into
//! the `Texts` struct and one static per language. Dutch is the reference: a catalogue that lacks
//! one of its keys, or has one it does not, fails the build with the key's name.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

fn parse(path: &Path) -> Vec<(String, String)> {
    let content = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut entries: Vec<(String, String)> = Vec::new();
    for (n, line) in content.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(" = ")
            .unwrap_or_else(|| panic!("{}:{}: expected `key = \"text\"`", path.display(), n + 1));
        let value = value.trim();
        let key_ok = key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !key_ok || value.len() < 2 || !value.starts_with('"') || !value.ends_with('"') {
            panic!("{}:{}: expected `key = \"text\"`", path.display(), n + 1);
        }
        if entries.iter().any(|(k, _)| k == key) {
            panic!("{}:{}: `{key}` appears twice", path.display(), n + 1);
        }
        entries.push((key.to_string(), value.to_string()));
    }
    entries
}

fn main() {
    let dir = Path::new("locales");
    println!("cargo::rerun-if-changed=locales");
    let reference = parse(&dir.join("nl.toml"));
    let keys: BTreeSet<&str> = reference.iter().map(|(k, _)| k.as_str()).collect();
    let mut languages: Vec<String> = std::fs::read_dir(dir)
        .expect("locales/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(".toml").map(String::from))
        .collect();
    languages.sort();
    let mut out = String::from("/// The interface texts of one language (generated from `locales/`).\npub struct Texts {\n");
    for (key, _) in &reference {
        writeln!(out, "    pub {key}: &'static str,").unwrap();
    }
    out.push_str("}\n");
    for language in &languages {
        let path = dir.join(format!("{language}.toml"));
        let entries = if language == "nl" {
            reference.clone()
        } else {
            parse(&path)
        };
        let have: BTreeSet<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        if let Some(missing) = keys.difference(&have).next() {
            panic!(
                "{} lacks `{missing}` (every key of nl.toml is needed)",
                path.display()
            );
        }
        if let Some(extra) = have.difference(&keys).next() {
            panic!("{} has `{extra}`, which nl.toml does not", path.display());
        }
        writeln!(
            out,
            "pub static {}: Texts = Texts {{",
            language.to_uppercase()
        )
        .unwrap();
        for (key, value) in &entries {
            writeln!(out, "    {key}: {value},").unwrap();
        }
        out.push_str("};\n");
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("texts.rs");
    std::fs::write(target, out).expect("write texts.rs");
}
