//! The owner's link for an agency's request: "Grant access" / "Deny".
use leptos::prelude::*;

use crate::live::client::{provide_versions, use_live};
use crate::live::model::Topic;
use crate::ui::denied::ErrorView;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::grants::pages::LinkOutcomeView;
use crate::identity::pages::signup::encode;
use crate::managed_accounts::api::{access_request, AnswerAccessRequest};

#[component]
pub fn AccessRequestPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let answer = ServerAction::<AnswerAccessRequest>::new();
    // Live once logged in: the agency withdrawing, or another admin answering, shows at once.
    let live = provide_versions();
    let request = Resource::new(
        move || (token(), answer.version().get(), use_live(Topic::Grants)),
        |(t, ..)| access_request(t),
    );
    live.open_when(move || matches!(request.get(), Some(Ok(r)) if !r.needs_login));
    view! {
        <Title text="Access request · Steward" />
        <main class="narrow">
            <h1>"Access request"</h1>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let here = format!("/requests/{}", token());
                    match request.await {
                        Err(e) => view! { <ErrorView error=e /> }.into_any(),
                        Ok(r) => {
                            let intro = format!(
                                "{} ({}) asks to manage the account {} with the role {}.",
                                r.agency, r.requester, r.client_account, r.role_name
                            );
                            let body = if r.needs_login {
                                view! { <p><a class="button" href=format!("/login?next={}", encode(&here))>"Log in"</a>" to answer."</p> }.into_any()
                            } else if let Some(outcome) = r.outcome.clone() {
                                view! { <LinkOutcomeView outcome /> }.into_any()
                            } else {
                                let (t1, t2) = (token(), token());
                                view! {
                                    <div class="actions">
                                        <ActionForm action=answer>
                                            <input type="hidden" name="token" value=t1 />
                                            <input type="hidden" name="answer" value="grant" />
                                            <button type="submit" disabled=move || answer.pending().get()>"Grant access"</button>
                                        </ActionForm>
                                        <ActionForm action=answer>
                                            <input type="hidden" name="token" value=t2 />
                                            <input type="hidden" name="answer" value="deny" />
                                            <button type="submit" class="danger" disabled=move || answer.pending().get()>"Deny"</button>
                                        </ActionForm>
                                    </div>
                                }.into_any()
                            };
                            view! {
                                <p>{intro}</p>
                                <p>"Status: " <strong class="status">{r.status.clone()}</strong></p>
                                {body}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
            {move || answer.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <p><a href="/">"Back to Steward"</a></p>
        </main>
    }
}
