//! The Dashboard page: each part links to the page where it is dealt with.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::billing::model::AccountStatus;
use crate::core::model::Me;
use crate::dashboard::api::dashboard;
use crate::dashboard::model::PENDING_CAP;
use crate::live::client::use_live;
use crate::live::model::Topic;
use crate::ui::denied::ErrorView;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = expect_context::<Me>();
    // Follows the grants and the audit log, as their own pages do.
    let data = Resource::new(
        move || (use_live(Topic::Grants), use_live(Topic::Audit)),
        |_| dashboard(),
    );
    view! {
        <Title text="Dashboard · Steward" />
        <h1>"Dashboard"</h1>
        <p>"Welcome, " {me.first_name.clone()} "."</p>
        <dl class="facts">
            <dt>"Account"</dt>
            <dd>{me.account_name.clone()}</dd>
            <dt>"Your role"</dt>
            <dd>{me.role_name.clone()}</dd>
        </dl>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(d) => {
                        let managed = d.managed.map(|m| {
                            let capped = |n: i64| if n >= PENDING_CAP { format!("{PENDING_CAP}+") } else { n.to_string() };
                            let (pending, ending) = (capped(m.pending), capped(m.trials_ending));
                            view! {
                                <section class="card" aria-labelledby="dash-managed">
                                    // Not "Managed accounts": the bar shown while managing is the "Managed account" region.
                                    <h2 id="dash-managed">"Client accounts"</h2>
                                    <dl class="facts">
                                        <dt>"In your Managed accounts list"</dt><dd>{m.total}</dd>
                                        <dt>"Waiting for an answer"</dt><dd>{pending}</dd>
                                        <dt>"Free trials ending within 3 days"</dt><dd>{ending}</dd>
                                        <dt>"Your agency pays per month"</dt><dd>{m.totals.pays_text(m.currency)}</dd>
                                        <dt>"Commission earned per month"</dt><dd>{m.totals.earns_text(m.currency)}</dd>
                                    </dl>
                                    <p><a href="/managed-accounts">"Go to Managed accounts"</a></p>
                                </section>
                            }
                        });
                        let invitations = (!d.invitations.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="dash-invitations">
                                <h2 id="dash-invitations">"Invitations for you"</h2>
                                <ul>
                                    {d.invitations.into_iter().map(|i| view! {
                                        <li>{format!("{} invites you to manage {} as {}.", i.invited_by, i.client_account, i.role_name)}</li>
                                    }).collect_view()}
                                </ul>
                                <p><a href="/managed-accounts">"Answer them in Managed accounts"</a></p>
                            </section>
                        });
                        let requests = (!d.requests.is_empty()).then(|| view! {
                            <section class="card" aria-labelledby="dash-requests">
                                <h2 id="dash-requests">"Requests to manage this account"</h2>
                                <ul>
                                    {d.requests.into_iter().map(|r| view! {
                                        <li>{format!("{} ({}) asks to manage this account as {}.", r.agency, r.requester, r.role_name)}</li>
                                    }).collect_view()}
                                </ul>
                                <p><a href="/account-managers">"Answer them in Account managers"</a></p>
                            </section>
                        });
                        let latest = d.latest.map(|entries| view! {
                            <section class="card" aria-labelledby="dash-audit">
                                <h2 id="dash-audit">"Latest in the audit log"</h2>
                                {if entries.is_empty() {
                                    view! { <p class="empty">"Nothing yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {entries.into_iter().map(|e| view! {
                                                <li><time>{e.at}</time>" · "{e.who}" · "{e.detail}</li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <p><a href="/audit-log">"Go to the Audit log"</a></p>
                            </section>
                        });
                        let billing = d.billing.map(|b| {
                            let (text, class) = match (b.status, &b.trial_ends_on) {
                                (AccountStatus::FreeTrial, Some(end)) => (format!("Free trial, ends on {end}"), "badge"),
                                (AccountStatus::TrialEnded, _) => ("Trial ended".to_string(), "badge warn"),
                                (status, _) => (status.label().to_string(), if status == AccountStatus::Active { "badge ok" } else { "badge" }),
                            };
                            view! {
                                <section class="card" aria-labelledby="dash-billing">
                                    <h2 id="dash-billing">"Subscription"</h2>
                                    <p>"Account status: "<span class=class>{text}</span></p>
                                    <p><a href="/billing">"Go to Billing"</a></p>
                                </section>
                            }
                        });
                        view! { {billing} {managed} {invitations} {requests} {latest} }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
