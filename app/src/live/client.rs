//! The page's side of live tables: a version per topic that the live channel bumps, read by each
//! list's `Resource` so that it reads its table again. On the server (and before the WebAssembly
//! runs) the versions stay at zero: the page is rendered as it is.
use leptos::prelude::*;

use super::model::Topic;

/// A version per topic, provided by the signed-in layout.
#[derive(Debug, Clone, Copy)]
pub struct LiveVersions {
    versions: [RwSignal<u64>; Topic::ALL.len()],
}

impl LiveVersions {
    fn index(topic: Topic) -> usize {
        Topic::ALL.iter().position(|t| *t == topic).unwrap_or(0)
    }

    /// The topic's version, tracked.
    pub fn get(&self, topic: Topic) -> u64 {
        self.versions[Self::index(topic)].get()
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn bump(&self, topic: Topic) {
        self.versions[Self::index(topic)].update(|v| *v += 1);
    }

    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn bump_all(&self) {
        for topic in Topic::ALL {
            self.bump(topic);
        }
    }
}

/// The version of `topic` for a `Resource`'s source: it changes when the live channel says the
/// table changed. Zero outside the signed-in layout.
pub fn use_live(topic: Topic) -> u64 {
    use_context::<LiveVersions>().map_or(0, |v| v.get(topic))
}

/// What a list showed last, to tell which of its rows changed when it is read again.
pub type ShownRows<Q, R> = StoredValue<Option<(Q, Vec<R>)>>;

/// The ids of the rows that are new or different since the list was last shown for the same
/// query (search, sort, page): the page highlights them briefly (`class="changed"`). Nothing the
/// first time, so the server's page and the hydrated one agree, nor after the query changed:
/// another page shows other rows, not changed ones.
pub fn changed_rows<Q, R>(
    shown: ShownRows<Q, R>,
    query: Q,
    rows: &[R],
    id: impl Fn(&R) -> String,
) -> Vec<String>
where
    Q: PartialEq + Send + Sync + 'static,
    R: PartialEq + Clone + Send + Sync + 'static,
{
    let changed = shown.with_value(|last| match last {
        Some((q, before)) if *q == query => rows
            .iter()
            .filter(|row| !before.iter().any(|b| id(b) == id(row) && b == *row))
            .map(&id)
            .collect(),
        _ => Vec::new(),
    });
    shown.set_value(Some((query, rows.to_vec())));
    changed
}

/// The class of a row: "changed" when it is one of `changed`.
pub fn row_class(changed: &[String], id: &str) -> Option<&'static str> {
    changed.iter().any(|c| c == id).then_some("changed")
}

/// This page is about to change its own session (Log in to a managed account, Back to my
/// account, Log out): for the next few seconds an "ended" on the channel is the page's own doing,
/// and it goes where its action leads. Otherwise the channel's "ended" could beat the action's
/// answer (and its new cookie) and send the page to log in.
pub fn leaving() {
    #[cfg(feature = "hydrate")]
    browser::leaving();
}

/// Provides the versions and, in the browser, opens the live channel for as long as the
/// signed-in layout stays.
pub fn provide_live() {
    provide_versions().open_when(|| true);
}

/// Provides the versions, for a page outside the signed-in layout that opens the channel once
/// it knows someone is logged in (`LiveVersions::open_when`).
pub fn provide_versions() -> LiveVersions {
    let versions = LiveVersions {
        versions: std::array::from_fn(|_| RwSignal::new(0)),
    };
    provide_context(versions);
    versions
}

impl LiveVersions {
    /// In the browser, opens the live channel (once) as soon as `ready` says so: a page that
    /// anyone may open asks only when a session is there (the channel refuses others).
    pub fn open_when(self, ready: impl Fn() -> bool + 'static) {
        #[cfg(feature = "hydrate")]
        Effect::new(move |opened: Option<bool>| {
            if opened == Some(true) {
                return true;
            }
            let now = ready();
            if now {
                browser::open(self);
            }
            now
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = ready;
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::model::{Topic, ENDED, EVERYTHING, MOVED};
    use super::LiveVersions;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    fn listen(source: &web_sys::EventSource, name: &str, mut f: impl FnMut() + 'static) {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| f());
        let _ = source.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        // Lives as long as the page: the channel is the page's.
        callback.forget();
    }

    thread_local! {
        /// Until when (the page's clock, ms) an "ended" is the page's own doing.
        static LEAVING_UNTIL: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    }

    fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    }

    pub fn leaving() {
        LEAVING_UNTIL.with(|until| until.set(now() + 5000.0));
    }

    fn go(path: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(path);
        }
    }

    /// The browser's `EventSource` reconnects by itself after a dropped network or a server
    /// restart; once it is open again, every table is read again for what it missed.
    pub fn open(versions: LiveVersions) {
        let Ok(source) = web_sys::EventSource::new("/live") else {
            return;
        };
        for topic in Topic::ALL {
            listen(&source, topic.key(), move || versions.bump(topic));
        }
        listen(&source, EVERYTHING, move || versions.bump_all());
        // Home, which leads to log in when there is no session; not when the page itself is
        // changing its session (`leaving`).
        let ended_source = source.clone();
        listen(&source, ENDED, move || {
            ended_source.close();
            if LEAVING_UNTIL.with(|until| until.get()) < now() {
                go("/");
            }
        });
        let moved_source = source.clone();
        listen(&source, MOVED, move || {
            moved_source.close();
            go("/");
        });
        let lost = std::rc::Rc::new(std::cell::Cell::new(false));
        let on_error = lost.clone();
        let refused_source = source.clone();
        listen(&source, "error", move || {
            on_error.set(true);
            // Closed for good: the server refused the channel (no session: it ended before the
            // channel opened, so no "ended" will come). If the session is really gone, home,
            // which leads to log in; a refusal for another reason leaves the page as it is.
            if refused_source.ready_state() == web_sys::EventSource::CLOSED {
                leptos::task::spawn_local(async {
                    if matches!(
                        crate::identity::api::current_user().await,
                        Ok(None) | Err(crate::core::error::AppError::Unauthenticated)
                    ) {
                        go("/");
                    }
                });
            }
        });
        listen(&source, "open", move || {
            if lost.replace(false) {
                versions.bump_all();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Row {
        id: &'static str,
        state: &'static str,
    }

    #[test]
    fn only_rows_that_changed_under_the_same_query_are_marked() {
        let owner = Owner::new();
        owner.with(|| {
            let shown: ShownRows<i64, Row> = StoredValue::new(None);
            let a = Row {
                id: "a",
                state: "Pending",
            };
            let b = Row {
                id: "b",
                state: "Pending",
            };
            // The first showing marks nothing.
            assert!(changed_rows(shown, 0, &[a.clone(), b.clone()], |r| r.id.to_string()).is_empty());
            // b flips, c arrives: both are marked, a is not.
            let b2 = Row {
                id: "b",
                state: "Active",
            };
            let c = Row {
                id: "c",
                state: "Pending",
            };
            let changed = changed_rows(shown, 0, &[a.clone(), b2.clone(), c.clone()], |r| {
                r.id.to_string()
            });
            assert_eq!(changed, vec!["b".to_string(), "c".to_string()]);
            assert_eq!(row_class(&changed, "b"), Some("changed"));
            assert_eq!(row_class(&changed, "a"), None);
            // Read again with nothing new: nothing marked.
            assert!(changed_rows(shown, 0, &[a.clone(), b2.clone(), c.clone()], |r| r
                .id
                .to_string())
            .is_empty());
            // Another page: other rows, none of them "changed".
            assert!(changed_rows(
                shown,
                1,
                &[Row {
                    id: "d",
                    state: "Active"
                }],
                |r| r.id.to_string()
            )
            .is_empty());
        });
    }
}
