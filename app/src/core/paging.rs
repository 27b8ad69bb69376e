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
}
