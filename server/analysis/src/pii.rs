//! Finding and masking personal data in free text: e-mail addresses, phone numbers and IBANs.
//! Hand-written scanners (no regex engine): one pass each, linear in the text.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PiiKind {
    Email,
    Phone,
    Iban,
}

impl PiiKind {
    /// The placeholder that replaces the data; readable in Dutch and English alike.
    pub fn mask(self) -> &'static str {
        match self {
            PiiKind::Email => "[e-mail]",
            PiiKind::Phone => "[tel]",
            PiiKind::Iban => "[IBAN]",
        }
    }
}

/// Byte ranges of personal data in `text`, in order, not overlapping.
pub fn find(text: &str) -> Vec<(Range<usize>, PiiKind)> {
    let mut found: Vec<(Range<usize>, PiiKind)> = Vec::new();
    found.extend(emails(text).into_iter().map(|r| (r, PiiKind::Email)));
    for r in ibans(text) {
        if !overlaps(&found, &r) {
            found.push((r, PiiKind::Iban));
        }
    }
    for r in phones(text) {
        if !overlaps(&found, &r) {
            found.push((r, PiiKind::Phone));
        }
    }
    found.sort_by_key(|(r, _)| r.start);
    found
}

/// `text` with every e-mail address, phone number and IBAN replaced by a placeholder.
pub fn mask(text: &str) -> String {
    let found = find(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, kind) in found {
        out.push_str(&text[at..range.start]);
        out.push_str(kind.mask());
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

fn overlaps(found: &[(Range<usize>, PiiKind)], r: &Range<usize>) -> bool {
    found
        .iter()
        .any(|(f, _)| f.start < r.end && r.start < f.end)
}

fn emails(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'-';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'@' {
            let mut s = i;
            while s > 0 && local(b[s - 1]) {
                s -= 1;
            }
            let mut e = i + 1;
            while e < b.len() && domain(b[e]) {
                e += 1;
            }
            // A trailing dot ends the sentence, not the address.
            while e > i + 1 && b[e - 1] == b'.' {
                e -= 1;
            }
            let dom = &text[i + 1..e];
            if s < i && dom.contains('.') && !dom.starts_with('.') {
                out.push(s..e);
                i = e;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// IBAN: country code, two check digits, 11–30 letters/digits, optionally in groups of four;
/// only strings that pass the ISO 13616 mod-97 check count.
fn ibans(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if boundary
            && b[i].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit()
        {
            let mut chars: Vec<u8> = b[i..i + 4].iter().map(u8::to_ascii_uppercase).collect();
            let mut e = i + 4;
            let mut last_good = None;
            while e < b.len() && chars.len() < 34 {
                if b[e].is_ascii_alphanumeric() {
                    chars.push(b[e].to_ascii_uppercase());
                    e += 1;
                } else if b[e] == b' ' && e + 1 < b.len() && b[e + 1].is_ascii_alphanumeric() {
                    e += 1;
                    continue;
                } else {
                    break;
                }
                let at_boundary = e == b.len() || !b[e].is_ascii_alphanumeric();
                if chars.len() >= 15 && at_boundary && iban_checksum_ok(&chars) {
                    last_good = Some(e);
                }
            }
            if let Some(end) = last_good {
                out.push(i..end);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn iban_checksum_ok(iban: &[u8]) -> bool {
    let rearranged = iban[4..].iter().chain(&iban[..4]);
    let mut rem: u32 = 0;
    for &c in rearranged {
        let v = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// Phone numbers: an optional `+`, then digits with spaces, dashes, dots, slashes or brackets
/// between them, 9 to 15 digits in all (shorter runs are dates, amounts, house numbers).
fn phones(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric());
        let starts = b[i] == b'+' || b[i] == b'(' || b[i].is_ascii_digit();
        if boundary && starts {
            let mut e = i;
            let mut digits = 0;
            let mut last_digit_end = i;
            while e < b.len() {
                let c = b[e];
                if c.is_ascii_digit() {
                    digits += 1;
                    last_digit_end = e + 1;
                } else if (c == b'+' && e == i) || b" -./()".contains(&c) {
                    // Separators only between digits (a lone space before a word ends it).
                    if c == b' '
                        && !(e + 1 < b.len() && (b[e + 1].is_ascii_digit() || b[e + 1] == b'('))
                    {
                        break;
                    }
                } else {
                    break;
                }
                e += 1;
            }
            let followed_by_word =
                last_digit_end < b.len() && b[last_digit_end].is_ascii_alphabetic();
            if (9..=15).contains(&digits) && !followed_by_word {
                out.push(i..last_digit_end);
                i = last_digit_end;
                continue;
            }
            i = e.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_emails() {
        assert_eq!(
            mask("Mail me: jan.de-vries+x@example.co.uk."),
            "Mail me: [e-mail]."
        );
        assert_eq!(
            mask("op@ is geen adres, a@b ook niet"),
            "op@ is geen adres, a@b ook niet"
        );
    }

    #[test]
    fn masks_dutch_and_international_phone_numbers() {
        for (input, want) in [
            ("Bel 06-12345678 terug", "Bel [tel] terug"),
            ("bel me op +31 6 1234 5678.", "bel me op [tel]."),
            ("(020) 123-4567 of 020 123 4567", "[tel] of [tel]"),
            ("tel: 0031612345678", "tel: [tel]"),
        ] {
            assert_eq!(mask(input), want, "{input}");
        }
    }

    #[test]
    fn leaves_dates_amounts_and_codes_alone() {
        for input in [
            "Op 2026-11-24 besteld",
            "€ 1.234,56 betaald",
            "huisnummer 12, 1234 AB",
            "order 12345678",
            "3 keer gebeld",
        ] {
            assert_eq!(mask(input), input);
        }
    }

    #[test]
    fn masks_valid_ibans_only() {
        assert_eq!(
            mask("Rekening NL91ABNA0417164300 graag"),
            "Rekening [IBAN] graag"
        );
        assert_eq!(mask("IBAN: NL91 ABNA 0417 1643 00."), "IBAN: [IBAN].");
        assert_eq!(mask("GB82 WEST 1234 5698 7654 32"), "[IBAN]");
        // Wrong check digits: not an IBAN (and too few digits for a phone number).
        assert_eq!(mask("NL00ABNA0417164300"), "NL00ABNA0417164300");
    }

    #[test]
    fn finds_several_kinds_in_order() {
        let kinds: Vec<_> = find("a@b.nl, 0612345678, NL91ABNA0417164300")
            .into_iter()
            .map(|(_, k)| k)
            .collect();
        assert_eq!(kinds, vec![PiiKind::Email, PiiKind::Phone, PiiKind::Iban]);
    }
}
