//! Development only: the emails Steward would have sent, with their links.
use leptos::prelude::*;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::core::error::AppError;
use crate::mailbox::api::mailbox;

#[component]
pub fn MailboxPage() -> impl IntoView {
    let mails = Resource::new(|| (), |_| mailbox());
    view! {
        <Title text="Mailbox · Steward" />
        <main class="wide">
            <h1>"Mailbox"</h1>
            <p class="muted">"Development mode: emails stay in the outbox. Here are the ones sent to you; log in as someone else to read theirs. Before you log in, it shows the link of the sign-up you started in this browser."</p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match mails.await {
                        Ok(mails) if mails.is_empty() => view! { <p>"No emails yet."</p> }.into_any(),
                        Ok(mails) => view! {
                            <table>
                                <thead>
                                    <tr><th>"To"</th><th>"Subject"</th><th>"Message"</th><th>"Link"</th><th>"Status"</th><th>"Created"</th></tr>
                                </thead>
                                <tbody>
                                    {mails.into_iter().map(|m| view! {
                                        <tr class="mail">
                                            <td class="mail-to">{m.to}</td>
                                            <td class="mail-subject">{m.subject}</td>
                                            <td><pre>{m.body}</pre></td>
                                            <td>{m.link.map(|l| view! { <a class="mail-link" href=l.clone()>{l.clone()}</a> })}</td>
                                            <td>{m.status}</td>
                                            <td>{m.created_at}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(AppError::Unauthenticated) => view! {
                            <p>"The Mailbox shows the emails sent to you. "
                                <a href="/login?next=/mailbox">"Log in"</a>" to read yours."</p>
                        }.into_any(),
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/">"Back to Steward"</a></p>
        </main>
    }
}
