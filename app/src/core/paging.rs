//! The lists that search, sort and page (Managed accounts, Users, Account managers): which rows
//! a page asks for, and how a search's matches are put in order and cut to a page.

/// Which rows of a list: what was searched, the sort column and direction, and `limit` rows
/// from `start` on.
#[derive(Debug, Clone, Copy)]
pub struct Window<'a> {
    pub search: &'a str,
    pub sort: &'a str,
    pub descending: bool,
    pub start: i64,
    pub limit: i64,
}

/// Where a page starts when it is reached from the page next to it: after that page's last row
/// or before its first, each named by its key in the list's order (the sort column, then the
/// id). A list read this way costs the same on its last page as on its first, where `start`
/// reads every row before the page. Sent by the browser as `after:<key>` or `before:<key>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageCursor {
    After(String),
    Before(String),
}

/// Longer than any key a list makes: the sort column's value and a record id.
const CURSOR_MAX: usize = 1024;

impl PageCursor {
    /// `None` for an empty parameter (the page is then read by its number).
    pub fn parse(text: &str) -> Result<Option<Self>, InvalidCursor> {
        if text.is_empty() {
            return Ok(None);
        }
        if text.len() > CURSOR_MAX {
            return Err(InvalidCursor);
        }
        match text.split_once(':') {
            Some(("after", key)) if !key.is_empty() => Ok(Some(Self::After(key.to_string()))),
            Some(("before", key)) if !key.is_empty() => Ok(Some(Self::Before(key.to_string()))),
            _ => Err(InvalidCursor),
        }
    }

    /// The parameter `parse` reads back.
    pub fn param(&self) -> String {
        match self {
            Self::After(key) => format!("after:{key}"),
            Self::Before(key) => format!("before:{key}"),
        }
    }
}

/// A cursor parameter that no list made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("This page link is not valid. Go back to the first page.")]
pub struct InvalidCursor;

/// A search's matches in the window's order (by `by`, the sort column, then by `id` so that
/// pages never overlap) and the window's page of them, with how many matched in all. Without a
/// search the lists read their page in index order instead.
pub fn sort_and_page<T>(
    mut rows: Vec<T>,
    window: &Window<'_>,
    by: impl Fn(&T, &T) -> std::cmp::Ordering,
    id: impl Fn(&T) -> &str,
) -> (Vec<T>, i64) {
    rows.sort_by(|a, b| {
        let order = by(a, b).then_with(|| id(a).cmp(id(b)));
        if window.descending {
            order.reverse()
        } else {
            order
        }
    });
    let total = rows.len() as i64;
    let page = rows
        .into_iter()
        .skip(usize::try_from(window.start).unwrap_or(0))
        .take(usize::try_from(window.limit).unwrap_or(0))
        .collect();
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_ordered_then_cut_to_the_page() {
        let window = |descending, start| Window {
            search: "x",
            sort: "",
            descending,
            start,
            limit: 2,
        };
        let rows = vec![("b", 1), ("a", 1), ("c", 0)];
        let (page, total) = sort_and_page(rows.clone(), &window(false, 0), |a, b| a.1.cmp(&b.1), |r| r.0);
        assert_eq!((page, total), (vec![("c", 0), ("a", 1)], 3));
        let (page, _) = sort_and_page(rows, &window(true, 2), |a, b| a.1.cmp(&b.1), |r| r.0);
        assert_eq!(page, vec![("c", 0)]);
    }

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_refuses_anything_else() {
        for cursor in [
            PageCursor::After("Acme\u{1}g1".into()),
            PageCursor::Before("b:c".into()),
        ] {
            assert_eq!(PageCursor::parse(&cursor.param()), Ok(Some(cursor)));
        }
        assert_eq!(PageCursor::parse(""), Ok(None));
        for bad in ["after:", "next:x", "x", "before"] {
            assert_eq!(PageCursor::parse(bad), Err(InvalidCursor), "{bad}");
        }
        assert_eq!(
            PageCursor::parse(&format!("after:{}", "x".repeat(2000))),
            Err(InvalidCursor)
        );
    }
}
