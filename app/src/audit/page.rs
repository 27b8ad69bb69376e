//! Administration → Audit log: who did what in this account, newest first.
use leptos::prelude::*;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::audit::api::audit_log;

#[component]
pub fn AuditPage() -> impl IntoView {
    let page = RwSignal::new(0_i64);
    let entries = Resource::new(move || page.get(), audit_log);
    view! {
        <Title text="Audit log · Steward" />
        <h1>"Audit log"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(list) => {
                        let full = list.len() as i64 >= 50;
                        view! {
                            <table aria-label="Audit log">
                                <thead>
                                    <tr><th scope="col">"When (UTC)"</th><th scope="col">"Who"</th><th scope="col">"What"</th><th scope="col">"Details"</th></tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{e.at}</td>
                                            <td>{e.who}{e.via.map(|v| format!(" (from {v})"))}</td>
                                            <td>{e.action}</td>
                                            <td>{e.detail}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <nav class="pager" aria-label="Pages">
                                <button type="button" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p -= 1)>"Newer"</button>
                                <button type="button" disabled=!full on:click=move |_| page.update(|p| *p += 1)>"Older"</button>
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
