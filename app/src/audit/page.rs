//! Administration → Audit log: who did what in this account, newest first, filtered by user,
//! action and dates, exported as CSV. The filters live in the address (a GET form), so the page
//! works before the WebAssembly loads and a filtered view can be bookmarked.
use leptos::prelude::*;

use crate::live::client::{changed_rows, row_class, use_live, ShownRows};
use crate::live::model::Topic;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::audit::api::audit_log;
use crate::audit::model::{AuditEntryView, AuditQuery};
use crate::ui::denied::ErrorView;

#[component]
pub fn AuditPage() -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| AuditQuery {
            user: p.get("user").unwrap_or_default(),
            action: p.get("action").unwrap_or_default(),
            from: p.get("from").unwrap_or_default(),
            to: p.get("to").unwrap_or_default(),
            page: p.get("page").and_then(|v| v.parse().ok()).unwrap_or(0),
        })
    });
    // The page as the filters ask for it: the form and the entries first shown.
    let filtered_log = Resource::new(move || query.get(), audit_log);
    // The entries read again when the log grows, apart from the form, so that filters chosen
    // but not applied yet stay as they are. Nothing to read until the first change.
    let newer_log = Resource::new(
        move || (query.get(), use_live(Topic::Audit)),
        |(q, version)| async move {
            if version == 0 {
                Ok(None)
            } else {
                audit_log(q).await.map(Some)
            }
        },
    );
    let shown: ShownRows<AuditQuery, AuditEntryView> = StoredValue::new(None);
    view! {
        <Title text="Audit log · Steward" />
        <h1>"Audit log"</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                filtered_log.await.ok().map(|log| {
                        let csv = format!("/audit-log.csv?{}", q.to_query_string(None));
                        let filtered = q != AuditQuery { page: q.page, ..AuditQuery::default() };
                        view! {
                            <Form method="GET" action="/audit-log" attr:class="filters" attr:aria-label="Filter the log">
                                <div class="filter">
                                    <label for="audit-user">"User"</label>
                                    <select id="audit-user" name="user">
                                        <option value="" selected=q.user.is_empty()>"Anyone"</option>
                                        {log.users.into_iter().map(|c| {
                                            let selected = c.value == q.user;
                                            view! { <option value=c.value selected=selected>{c.label}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="filter">
                                    <label for="audit-action">"Action"</label>
                                    <select id="audit-action" name="action">
                                        <option value="" selected=q.action.is_empty()>"Any action"</option>
                                        {log.actions.into_iter().map(|c| {
                                            let selected = c.value == q.action;
                                            view! { <option value=c.value selected=selected>{c.label}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="filter">
                                    <label for="audit-from">"From"</label>
                                    <input id="audit-from" name="from" type="date" value=q.from.clone() />
                                </div>
                                <div class="filter">
                                    <label for="audit-to">"To"</label>
                                    <input id="audit-to" name="to" type="date" value=q.to.clone() />
                                </div>
                                <div class="filter-actions">
                                    <button type="submit">"Filter"</button>
                                    {filtered.then(|| view! { <a href="/audit-log">"Clear filters"</a> })}
                                    <a href=csv download="audit-log.csv">"Export CSV"</a>
                                </div>
                            </Form>
                        }
                })
            })}
        </Transition>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let q = query.get_untracked();
                let log = match newer_log.await {
                    Ok(Some(log)) => Ok(log),
                    Ok(None) => filtered_log.await,
                    Err(e) => Err(e),
                };
                match log {
                    Err(e) => view! {
                        <ErrorView error=e />
                        <p><a href="/audit-log">"Show the whole log"</a></p>
                    }.into_any(),
                    Ok(log) => {
                        let page = q.page.max(0);
                        let newer = (page > 0).then(|| format!("/audit-log?{}", q.to_query_string(Some(page - 1))));
                        let older = log.more.then(|| format!("/audit-log?{}", q.to_query_string(Some(page + 1))));
                        let filtered = q != AuditQuery { page: q.page, ..AuditQuery::default() };
                        let empty = log.entries.is_empty();
                        let key = |e: &AuditEntryView| format!("{}|{}|{}|{}", e.at, e.who, e.action, e.detail);
                        let changed = changed_rows(shown, q.clone(), &log.entries, key);
                        view! {
                            {if empty {
                                view! { <p class="empty">{if filtered { "No entry matches these filters." } else { "Nothing has been logged yet." }}</p> }.into_any()
                            } else {
                                view! {
                                    <table aria-label="Audit log">
                                        <thead>
                                            <tr><th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Details"</th></tr>
                                        </thead>
                                        <tbody>
                                            {log.entries.into_iter().map(|e| { let class = row_class(&changed, &key(&e)); view! {
                                                <tr class=class>
                                                    <td>{e.at}</td>
                                                    <td>{e.who}{e.via.map(|v| format!(" (from {v})"))}</td>
                                                    <td>{e.action}</td>
                                                    <td>{e.detail}</td>
                                                </tr>
                                            }}).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <nav class="pager" aria-label="Pages">
                                {match newer {
                                    Some(href) => view! { <a href=href rel="prev">"Newer"</a> }.into_any(),
                                    None => view! { <span aria-disabled="true">"Newer"</span> }.into_any(),
                                }}
                                {match older {
                                    Some(href) => view! { <a href=href rel="next">"Older"</a> }.into_any(),
                                    None => view! { <span aria-disabled="true">"Older"</span> }.into_any(),
                                }}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
