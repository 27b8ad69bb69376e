//! What a searchable, sortable, paged list asks its server function for (Managed accounts,
//! Users, Account managers), with its sortable column headers and its pager.
use leptos::prelude::*;

/// The list's search, sort column and direction, and page (from 0), as signals.
#[derive(Debug, Clone, Copy)]
pub struct ListQuery {
    pub search: RwSignal<String>,
    pub sort: RwSignal<String>,
    pub descending: RwSignal<bool>,
    pub page: RwSignal<i64>,
    /// Where the page starts, from the page before or after it (`next`/`previous` of the list
    /// that offers them), so that the server reads it from there; empty: by its number.
    pub cursor: RwSignal<String>,
}

impl ListQuery {
    /// Sorted by `column` to start with, in that direction.
    pub fn new(column: &str, descending: bool) -> Self {
        Self {
            search: RwSignal::new(String::new()),
            sort: RwSignal::new(column.to_string()),
            descending: RwSignal::new(descending),
            page: RwSignal::new(0),
            cursor: RwSignal::new(String::new()),
        }
    }

    /// (search, sort, descending, page), tracked: a `Resource`'s source.
    pub fn get(self) -> (String, String, bool, i64) {
        (
            self.search.get(),
            self.sort.get(),
            self.descending.get(),
            self.page.get(),
        )
    }

    /// The same, untracked, with the page the list answered for: what a list's shown rows are
    /// compared under (`live::client::changed_rows`).
    pub fn shown(self, page: i64) -> (String, String, bool, i64) {
        (
            self.search.get_untracked(),
            self.sort.get_untracked(),
            self.descending.get_untracked(),
            page,
        )
    }

    /// A new search starts at the first page.
    pub fn search_for(self, text: String) {
        self.search.set(text);
        self.first_page();
    }

    /// A click on `column`'s header: sorted by it, or the other way round if it already was.
    pub fn sort_by(self, column: &'static str) {
        if self.sort.get_untracked() == column {
            self.descending.update(|d| *d = !*d);
        } else {
            self.sort.set(column.to_string());
            self.descending.set(false);
        }
        self.first_page();
    }

    fn first_page(self) {
        self.cursor.set(String::new());
        self.page.set(0);
    }

    /// Goes `by` pages on (-1 or 1), from `cursor` (the list's `previous` or `next`) when it
    /// has one; the first page is always read by its number.
    fn step(self, by: i64, cursor: Option<String>) {
        let page = self.page.get_untracked() + by;
        self.cursor.set(cursor.filter(|_| page > 0).unwrap_or_default());
        self.page.set(page);
    }

    /// A column header that sorts by `column`, saying how the list is sorted (`aria-sort`).
    pub fn header(self, label: &'static str, column: &'static str) -> impl IntoView {
        let state = move || match (self.sort.get() == column, self.descending.get()) {
            (true, true) => "descending",
            (true, false) => "ascending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=state>
                <button type="button" class="sort" on:click=move |_| self.sort_by(column)>{label}</button>
            </th>
        }
    }
}

/// "Previous", "Page 2 of 5 · 104 users", "Next".
#[component]
pub fn Pager(
    query: ListQuery,
    /// The page shown (from 0).
    page: i64,
    page_size: i64,
    total: i64,
    /// What the list counts: ("user", "users").
    noun: (&'static str, &'static str),
    /// Where the next page starts, for a list read from the page next to it.
    #[prop(default = None)]
    next: Option<String>,
    /// Where the previous page starts.
    #[prop(default = None)]
    previous: Option<String>,
) -> impl IntoView {
    let pages = ((total + page_size - 1) / page_size).max(1);
    let noun = if total == 1 { noun.0 } else { noun.1 };
    view! {
        <nav class="pager" aria-label="Pages">
            <button type="button" disabled={page == 0} on:click=move |_| query.step(-1, previous.clone())>"Previous"</button>
            <span>{format!("Page {} of {} · {} {}", page + 1, pages, total, noun)}</span>
            <button type="button" disabled={page + 1 >= pages} on:click=move |_| query.step(1, next.clone())>"Next"</button>
        </nav>
    }
}
