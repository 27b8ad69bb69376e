//! CSV cells and spreadsheets: a cell that starts like a formula is exported as text, and read
//! back as it was.

/// What makes a spreadsheet read a cell as a formula (or a DDE call), OWASP's list.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell a spreadsheet would run as a formula is written with a leading apostrophe, which shows
/// it as text. Phone numbers such as `+1 555 0100` get one too: that is the price of the rule.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(FORMULA_START) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The value behind a cell `cell` wrote: its apostrophe comes off, so an export imports back
/// unchanged. Any other cell is kept as it is.
pub fn uncell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text_and_read_back_as_they_were() {
        for text in [
            "=HYPERLINK(\"http://x\")",
            "+1 555 0100",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let written = cell(text);
            assert!(written.starts_with('\''), "{text:?} -> {written:?}");
            assert_eq!(uncell(&written), text);
        }
        for text in ["Ann", "", "'quoted'", "a=b", "'plain"] {
            assert_eq!(cell(text), text);
            assert_eq!(uncell(text), text);
        }
    }
}
