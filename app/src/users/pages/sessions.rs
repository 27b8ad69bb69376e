//! "Your sessions": where the acting user is logged in, with a way to end each session.
use leptos::prelude::*;

use crate::live::client::{changed_rows, row_class, use_live, ShownRows};
use crate::live::model::Topic;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::users::api::{my_sessions, EndSession};
use crate::users::model::SessionView;

#[component]
pub fn SessionsPage() -> impl IntoView {
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(
        move || (end.version().get(), use_live(Topic::Sessions)),
        |_| my_sessions(),
    );
    let shown: ShownRows<(), SessionView> = StoredValue::new(None);
    view! {
        <Title text="Your sessions · Steward" />
        <h1>"Your sessions"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match sessions.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(list) => {
                        let changed = changed_rows(shown, (), &list, |s| s.id.clone());
                        view! {
                        <table aria-label="Your sessions">
                            <thead><tr><th scope="col">"Started"</th><th scope="col">"Last active"</th><th scope="col">"Ends"</th><th scope="col">"Actions"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|s| {
                                    let id = s.id.clone();
                                    view! {
                                        <tr class=row_class(&changed, &s.id)>
                                            <td>{s.created_at}{s.current.then_some(" (this browser)")}</td>
                                            <td>{s.last_seen_at}</td>
                                            <td>{s.expires_at}</td>
                                            <td>{(!s.current).then(|| view! {
                                                <button type="button" on:click=move |_| { end.dispatch(EndSession { id: id.clone() }); }>"End session"</button>
                                            })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
