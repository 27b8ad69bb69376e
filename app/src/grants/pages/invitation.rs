//! The invitation link: who invites, to which account, with which role; "Accept" / "Reject".
use leptos::prelude::*;

use crate::live::client::{provide_versions, use_live};
use crate::live::model::Topic;
use crate::ui::denied::ErrorView;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::grants::api::{invitation, AnswerInvitation};
use crate::grants::pages::LinkOutcomeView;
use crate::identity::pages::signup::encode;

#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let answer = ServerAction::<AnswerInvitation>::new();
    // Live once logged in: the owner revoking or deleting the invitation shows here at once.
    let live = provide_versions();
    let view_of = Resource::new(
        move || (token(), answer.version().get(), use_live(Topic::Grants)),
        |(t, ..)| invitation(t),
    );
    live.open_when(move || matches!(view_of.get(), Some(Ok(v)) if !v.needs_login));
    view! {
        <Title text="Invitation · Steward" />
        <main class="narrow">
            <h1>"Invitation"</h1>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let here = format!("/invitations/{}", token());
                    match view_of.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(inv) => {
                            let intro = format!(
                                "{} invites you to manage the account {} with the role {}.",
                                inv.invited_by, inv.client_account, inv.role_name
                            );
                            let status = inv.status.clone();
                            let body = if inv.needs_login {
                                let login = format!("/login?next={}", encode(&here));
                                let signup = format!("/signup?next={}&email={}", encode(&here), encode(&inv.manager_email));
                                view! {
                                    <p>{format!("Log in as {} to answer, or sign up with that email if you have no account yet.", inv.manager_email)}</p>
                                    <p class="actions">
                                        <a class="button" href=login>"Log in"</a>
                                        <a class="button" href=signup>"Sign up"</a>
                                    </p>
                                }.into_any()
                            } else if let Some(outcome) = inv.outcome.clone() {
                                view! { <LinkOutcomeView outcome /> }.into_any()
                            } else {
                                let token_value = token();
                                let token_value2 = token();
                                view! {
                                    <div class="actions">
                                        <ActionForm action=answer>
                                            <input type="hidden" name="token" value=token_value />
                                            <input type="hidden" name="answer" value="accept" />
                                            <button type="submit" disabled=move || answer.pending().get()>"Accept"</button>
                                        </ActionForm>
                                        <ActionForm action=answer>
                                            <input type="hidden" name="token" value=token_value2 />
                                            <input type="hidden" name="answer" value="reject" />
                                            <button type="submit" class="danger" disabled=move || answer.pending().get()>"Reject"</button>
                                        </ActionForm>
                                    </div>
                                }.into_any()
                            };
                            view! {
                                <p>{intro}</p>
                                <p>"Status: " <strong class="status">{status}</strong></p>
                                {body}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
            {move || answer.value().get().map(|r| match r {
                Ok(()) => view! { <p role="status" class="success">"Your answer was sent to the account owner."</p> }.into_any(),
                Err(e) => view! { <ErrorView error=e /> }.into_any(),
            })}
            <p><a href="/">"Back to Steward"</a></p>
        </main>
    }
}
