//! Administration → Billing: the account's plan, price, payer and subscription, and what the
//! viewer may do about them. Every form posts without WebAssembly too.
use leptos::prelude::*;
use leptos_meta::Title;

use crate::billing::api::{billing, ChangePlan, HandOverPayment, StartSubscription, TakeOverPayment};
use crate::billing::model::{AccountStatus, BillingView};
use crate::core::error::AppError;
use crate::live::client::use_live;
use crate::live::model::Topic;
use crate::managed_accounts::plans::{Payer, ACCOUNT_LEVELS, CMS_PLANS};
use crate::ui::denied::ErrorView;
use crate::ui::field::{successes, FormMessage};

#[component]
pub fn BillingPage() -> impl IntoView {
    let start = ServerAction::<StartSubscription>::new();
    let change = ServerAction::<ChangePlan>::new();
    let hand_over = ServerAction::<HandOverPayment>::new();
    let take_over = ServerAction::<TakeOverPayment>::new();
    let (started, changed, offered, taken) = (
        successes(start.value()),
        successes(change.value()),
        successes(hand_over.value()),
        successes(take_over.value()),
    );
    // The other side's changes arrive through the account's grants and audit log.
    let data = Resource::new(
        move || {
            (
                started.get(),
                changed.get(),
                offered.get(),
                taken.get(),
                use_live(Topic::Grants),
                use_live(Topic::Audit),
            )
        },
        |_| billing(),
    );
    // What the latest answer said: a success, or why it was refused.
    let notice = RwSignal::new(None::<&'static str>);
    let refusal = RwSignal::new(None::<AppError>);
    let follow = move |value: Signal<Option<Result<(), AppError>>>, text: &'static str| {
        Effect::new(move |_| match value.get() {
            Some(Ok(())) => {
                notice.set(Some(text));
                refusal.set(None);
            }
            Some(Err(e)) => {
                notice.set(None);
                refusal.set(Some(e));
            }
            None => {}
        });
    };
    follow(start.value().into(), "The subscription has started.");
    follow(change.value().into(), "The plan has changed.");
    follow(
        hand_over.value().into(),
        "Your client has been asked to take over the payment.",
    );
    follow(take_over.value().into(), "You now pay for this account.");
    let error: Signal<Option<AppError>> = refusal.into();
    view! {
        <Title text="Billing · Steward" />
        <h1>"Billing"</h1>
        {move || notice.get().map(|text| view! { <p class="success" role="status">{text}</p> })}
        <FormMessage error />
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(b) => view! {
                        <Facts b=b.clone() />
                        <Actions b start change hand_over take_over error />
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

fn status_text(b: &BillingView) -> String {
    match (b.status, &b.trial_ends_on, &b.subscribed_on) {
        (AccountStatus::Active, _, Some(since)) => format!("Active since {since}"),
        (AccountStatus::FreeTrial, Some(end), _) => format!("Free trial, ends on {end}"),
        (AccountStatus::TrialEnded, Some(end), _) => format!("Trial ended on {end}"),
        (status, _, _) => status.label().to_string(),
    }
}

/// Who pays, in the viewer's words: "My agency" / "My client" for the agency (the seed's
/// labels), the agency's name / "This account" for the account's own users.
fn payer_text(b: &BillingView) -> String {
    let agency = b.agency_name.clone().unwrap_or_default();
    let dollars = |amount| b.currency.format(amount);
    match (b.payer, b.viewer_is_agency, b.agency_name.is_some()) {
        (Payer::Agency, true, _) => format!(
            "My agency, with a {}% discount: {} a month",
            b.discount_percent,
            dollars(b.charged)
        ),
        (Payer::Agency, false, _) => format!(
            "{agency} (agency), with a {}% discount: {} a month",
            b.discount_percent,
            dollars(b.charged)
        ),
        (Payer::Client, true, _) => format!("My client: {} a month", dollars(b.charged)),
        (Payer::Client, false, _) => format!("This account: {} a month", dollars(b.charged)),
    }
}

/// Which currency the amounts are in, and why: it follows the payer's Localization until the
/// subscription starts, and stays then.
fn currency_text(b: &BillingView) -> String {
    let code = b.currency.code();
    if b.currency_fixed {
        format!("{code}, the subscription's currency since it started")
    } else if b.viewer_is_agency == (b.payer == Payer::Agency) {
        format!("{code}, from your Localization settings, until the subscription starts")
    } else {
        format!("{code}, from the payer's Localization settings, until the subscription starts")
    }
}

#[component]
fn Facts(b: BillingView) -> impl IntoView {
    let level = ACCOUNT_LEVELS
        .iter()
        .find(|p| p.key == b.level)
        .map_or(b.level.clone(), |p| p.label.to_string());
    let cms = CMS_PLANS
        .iter()
        .find(|p| p.key == b.cms_plan)
        .map_or(b.cms_plan.clone(), |p| p.label.to_string());
    let commission = (b.commission_amount > 0).then(|| {
        let who = if b.viewer_is_agency {
            "My agency".to_string()
        } else {
            b.agency_name.clone().unwrap_or_default()
        };
        view! {
            <dt>"Commission"</dt>
            <dd>{format!("{who} earns a {}% commission: {} a month", b.commission_percent, b.currency.format(b.commission_amount))}</dd>
        }
    });
    let status_class = match b.status {
        AccountStatus::Active => "badge ok",
        AccountStatus::FreeTrial => "badge",
        AccountStatus::TrialEnded => "badge warn",
    };
    view! {
        <dl class="facts">
            <dt>"Account"</dt>
            <dd>{b.account_name.clone()}</dd>
            <dt>"Account status"</dt>
            <dd><span class=status_class>{status_text(&b)}</span></dd>
            <dt>"Account level"</dt>
            <dd>{level}</dd>
            <dt>"Dynamic CMS plan"</dt>
            <dd>{cms}</dd>
            <dt>"Monthly price"</dt>
            <dd>{b.currency.format(b.monthly)}</dd>
            <dt>"Currency"</dt>
            <dd>{currency_text(&b)}</dd>
            <dt>"Who pays"</dt>
            <dd>{payer_text(&b)}</dd>
            {commission}
        </dl>
    }
}

#[component]
fn Actions(
    b: BillingView,
    start: ServerAction<StartSubscription>,
    change: ServerAction<ChangePlan>,
    hand_over: ServerAction<HandOverPayment>,
    take_over: ServerAction<TakeOverPayment>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let field_error = move |name: &'static str| error.get().and_then(|e| e.for_field(name));
    let currency = b.currency;
    let dollars = move |amount| currency.format(amount);
    let start_form = (b.is_payer && b.status != AccountStatus::Active).then(|| view! {
        <section class="card" aria-labelledby="billing-start">
            <h2 id="billing-start">"Subscription"</h2>
            <p>{format!("The paid subscription costs {} a month from the day it starts.", dollars(b.charged))}</p>
            <ActionForm action=start>
                <button type="submit" disabled=move || start.pending().get()>"Start subscription"</button>
            </ActionForm>
        </section>
    });
    let plan_form = b.is_payer.then(|| {
        let (level, cms) = (b.level.clone(), b.cms_plan.clone());
        view! {
            <section class="card" aria-labelledby="billing-plan">
                <h2 id="billing-plan">"Plan"</h2>
                <ActionForm action=change>
                    <div class="field">
                        <label for="field-level">"Account level"</label>
                        <select id="field-level" name="level" aria-describedby="field-level-error">
                            {ACCOUNT_LEVELS.iter().map(|p| view! {
                                <option value=p.key selected=p.key == level>{format!("{} ({} a month)", p.label, dollars(p.price(currency)))}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-error" id="field-level-error" role="alert">{move || field_error("level")}</p>
                    </div>
                    <div class="field">
                        <label for="field-cms_plan">"Dynamic CMS plan"</label>
                        <select id="field-cms_plan" name="cms_plan" aria-describedby="field-cms_plan-error">
                            {CMS_PLANS.iter().map(|p| view! {
                                <option value=p.key selected=p.key == cms>{format!("{} ({} a month)", p.label, dollars(p.price(currency)))}</option>
                            }).collect_view()}
                        </select>
                        <p class="field-error" id="field-cms_plan-error" role="alert">{move || field_error("cms_plan")}</p>
                    </div>
                    <button type="submit" disabled=move || change.pending().get()>"Change plan"</button>
                </ActionForm>
            </section>
        }
    });
    let agency = b.agency_name.clone().unwrap_or_default();
    let payment = if b.can_hand_over {
        Some(view! {
            <section class="card" aria-labelledby="billing-payment">
                <h2 id="billing-payment">"Payment"</h2>
                <p>"Your agency pays for this account. Ask your client to take the payment over: they pay from the day they confirm, and your agency earns its commission."</p>
                <ActionForm action=hand_over>
                    <button type="submit" disabled=move || hand_over.pending().get()>"Hand over payment"</button>
                </ActionForm>
            </section>
        }.into_any())
    } else if b.can_take_over {
        let asked = b
            .handover_offered_on
            .clone()
            .map(|on| format!("{agency} asked you on {on} to take over the payment of this account."));
        Some(view! {
            <section class="card" aria-labelledby="billing-payment">
                <h2 id="billing-payment">"Payment"</h2>
                <p>{asked.unwrap_or_else(|| format!("{agency} pays for this account. You can take the payment over."))}</p>
                <p>{format!("You would pay {} a month.", b.client_currency.format(b.client_price))}</p>
                <ActionForm action=take_over>
                    <button type="submit" disabled=move || take_over.pending().get()>"Take over payment"</button>
                </ActionForm>
            </section>
        }.into_any())
    } else if b.viewer_is_agency && b.payer == Payer::Agency {
        b.handover_offered_on.clone().map(|on| {
            view! {
                <p class="muted">{format!("You asked your client on {on} to take over the payment.")}</p>
            }
            .into_any()
        })
    } else {
        None
    };
    let who_may = (!b.is_payer).then(|| {
        let text = match b.payer {
            Payer::Agency => format!("{agency} pays for this account: its managers change the subscription."),
            Payer::Client if b.viewer_is_agency => {
                "Your client pays for this account: only its own users change the subscription.".to_string()
            }
            Payer::Client => "Only this account's own users change the subscription.".to_string(),
        };
        view! { <p class="muted">{text}</p> }
    });
    view! { {start_form} {plan_form} {payment} {who_may} }
}
