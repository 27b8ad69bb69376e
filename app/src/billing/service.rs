//! Billing use cases: the Billing page, starting the subscription, changing the plan, the
//! payment passing from the agency to its client, and the sweep that ends trials.
//!
//! Who may change what: the payer. An account an agency pays for is changed by that agency's
//! managers acting in it through a grant; any other account by its own users. Reading and
//! changing need Admin tools → "Administrator tools" in the role acted with.
use crate::billing::model::{monthly_price, AccountStatus, BillingView, RowBilling, Terms};
use crate::billing::provider::PaymentChange;
use crate::billing::store::{self, Billing, Change, Handover, TotalsDelta};
use crate::core::actor::AccessRefusal;
use crate::core::db::{self, AuditEntry, Mail, Tx};
use crate::core::domain::{Invalid, Permission};
use crate::core::services::{Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};
use crate::managed_accounts::plans::{self, Payer};

/// Why a billing change is refused.
#[derive(Debug, thiserror::Error)]
pub enum BillingRefusal {
    #[error("{0} pays for this account: only its managers can change the subscription.")]
    AgencyPays(String),
    #[error("This account pays for itself: only its own users can change the subscription.")]
    ClientPays,
    #[error("The subscription is already active.")]
    AlreadyActive,
    #[error("Only the agency that pays for this account can hand its payment over.")]
    NotTheAgency,
    #[error("The agency does not pay for this account.")]
    AgencyDoesNotPay,
    #[error("The client has already been asked to take over the payment.")]
    AlreadyOffered,
    #[error("The billing of this account changed meanwhile. Look at it again.")]
    ChangedMeanwhile,
    #[error("{0}")]
    Provider(String),
    #[error("Your agency pays for the subscription of {0}: hand its payment over to the client (Billing, in the account) before you remove it.")]
    AgencyStillPays(String),
}

impl Refusal for BillingRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::AgencyPays(_) | Self::ClientPays | Self::NotTheAgency => RefusalKind::Forbidden,
            _ => RefusalKind::Conflict,
        }
    }
}

/// Days before a trial's end when its owner is told.
pub const TRIAL_REMINDER_DAYS: i64 = 3;

async fn billing_of(services: &Services, actor: &Actor) -> Result<Billing, ServiceError> {
    actor.authorize(Permission::ADMINISTRATOR_TOOLS)?;
    store::read(&services.db, &actor.account_id)
        .await?
        .ok_or_else(|| AccessRefusal::AccountGone.into())
}

fn terms(b: &Billing) -> Terms {
    let currency = b.currency();
    Terms {
        monthly: monthly_price(&b.level, &b.cms_plan, currency).unwrap_or(0),
        currency,
        payer: b.payer,
        has_agency: b.agency_key.is_some(),
        discount_percent: b.discount_percent,
        commission_percent: b.commission_percent,
    }
}

/// The status as people should see it: a trial past its end is over.
pub(crate) fn status_now(b: &Billing) -> AccountStatus {
    b.status
        .effective(b.trial_ends_at.is_some_and(|t| t <= chrono::Utc::now()))
}

/// Whether the actor's agency is the one that made the account, acting in it through a grant.
fn is_its_agency(actor: &Actor, b: &Billing) -> bool {
    actor.managing.is_some() && b.agency_key.as_deref() == Some(actor.home_account_id.as_str())
}

fn is_payer(actor: &Actor, b: &Billing) -> bool {
    match b.payer {
        Payer::Agency => is_its_agency(actor, b),
        Payer::Client => actor.managing.is_none(),
    }
}

fn require_payer(actor: &Actor, b: &Billing) -> Result<(), ServiceError> {
    if is_payer(actor, b) {
        return Ok(());
    }
    Err(match b.payer {
        Payer::Agency => BillingRefusal::AgencyPays(b.agency_name.clone().unwrap_or_default()),
        Payer::Client => BillingRefusal::ClientPays,
    }
    .into())
}

/// A Managed accounts row's plan, payer and monthly amount.
pub(crate) fn row_billing(b: &Billing) -> RowBilling {
    RowBilling {
        plan: plan_label(&b.level, &b.cms_plan),
        payer: b.payer,
        monthly: terms(b).charged(),
        currency: b.currency(),
    }
}

fn day(t: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    t.map(|t| t.format("%Y-%m-%d").to_string())
}

fn plan_label(level: &str, cms: &str) -> String {
    let level = plans::level(level).map_or(level, |p| p.label);
    let cms = plans::cms_plan(cms).map_or(cms, |p| p.label);
    format!("{level} · {cms}")
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn view(services: &Services, actor: &Actor) -> Result<BillingView, ServiceError> {
    let b = billing_of(services, actor).await?;
    let t = terms(&b);
    Ok(BillingView {
        account_name: b.name.clone(),
        level: b.level.clone(),
        cms_plan: b.cms_plan.clone(),
        status: status_now(&b),
        trial_ends_on: b.trial_ends_at.map(|t| actor.dates.day(t)),
        subscribed_on: b.subscribed_at.map(|t| actor.dates.day(t)),
        currency: t.currency,
        currency_fixed: b.subscription_currency.is_some(),
        monthly: t.monthly,
        payer: b.payer,
        agency_name: b.agency_name.clone(),
        discount_percent: b.discount_percent,
        commission_percent: b.commission_percent,
        charged: t.charged(),
        commission_amount: t.commission(),
        viewer_is_agency: is_its_agency(actor, &b),
        is_payer: is_payer(actor, &b),
        can_hand_over: b.payer == Payer::Agency
            && is_its_agency(actor, &b)
            && b.handover_offered_at.is_none(),
        can_take_over: b.payer == Payer::Agency && actor.managing.is_none(),
        handover_offered_on: b.handover_offered_at.map(|t| actor.dates.day(t)),
        client_price: client_price(&b),
        client_currency: b.own_currency,
    })
}

/// The change `to` of `from`, with what it does to the agency's totals, told to the provider
/// first and then recorded with its audit entries and emails in one transaction.
async fn record(
    services: &Services,
    from: &Billing,
    to: Change<'_>,
    payment: Option<PaymentChange>,
    report: impl FnOnce(&mut Tx),
) -> Result<(), ServiceError> {
    let (before_currency, after_currency) = (
        from.currency(),
        to.subscription_currency
            .unwrap_or_else(|| from.payer_currency(to.payer)),
    );
    let before = terms(from).agency_share(from.status);
    let after_terms = Terms {
        monthly: monthly_price(to.level, to.cms_plan, after_currency).unwrap_or(0),
        currency: after_currency,
        payer: to.payer,
        has_agency: from.agency_key.is_some(),
        discount_percent: to.discount_percent,
        commission_percent: to.commission_percent,
    };
    let after = after_terms.agency_share(to.status);
    if let Some(change) = &payment {
        services
            .payments
            .apply(&from.account_key, &from.name, change)
            .await
            .map_err(|e| BillingRefusal::Provider(e.to_string()))?;
    }
    let mut tx = Tx::new();
    let deltas: Vec<TotalsDelta> = if before_currency == after_currency {
        vec![(after_currency, after.0 - before.0, after.1 - before.1)]
    } else {
        vec![
            (before_currency, -before.0, -before.1),
            (after_currency, after.0, after.1),
        ]
    };
    store::change(&mut tx, from, &to, &deltas);
    report(&mut tx);
    match services.commit(tx).await {
        Ok(()) => Ok(()),
        Err(e) if store::is_changed_meanwhile(&e) => Err(BillingRefusal::ChangedMeanwhile.into()),
        Err(e) => Err(e.into()),
    }
}

fn unchanged(b: &Billing) -> Change<'_> {
    Change {
        // A trial past its end is recorded as ended by any change.
        status: status_now(b),
        level: &b.level,
        cms_plan: &b.cms_plan,
        payer: b.payer,
        discount_percent: b.discount_percent,
        commission_percent: b.commission_percent,
        subscribing: false,
        handover: Handover::Keep,
        subscription_currency: b.subscription_currency,
    }
}

/// Emails the side that did not act: the agency's primary admin when the client acted, the
/// owner when the agency did.
fn tell_the_other_side(
    tx: &mut Tx,
    services: &Services,
    actor: &Actor,
    b: &Billing,
    subject: &str,
    body: String,
) {
    let to = if actor.managing.is_some() {
        b.owner_email.clone()
    } else if b.agency_key.is_some() {
        b.agency_email.clone()
    } else {
        None
    };
    if let Some(to) = to {
        tx.mail(Mail {
            to,
            subject: subject.to_string(),
            body,
            link: Some(services.link("/billing")),
        });
    }
}

/// The agency's own audit log hears of what changes its bill, acted from either side.
fn audit_for_agency(tx: &mut Tx, actor: &Actor, b: &Billing, action: &str, detail: &str) {
    if let Some(agency) = &b.agency_key {
        tx.audit(AuditEntry {
            account: db::rid("account", agency),
            actor_user: Some(db::rid("user", &actor.user_id)),
            actor_name: actor.audit_name(),
            via_account: Some(db::rid("account", &b.account_key)),
            action: action.into(),
            detail: format!("{} ({}): {detail}", b.name, "client account"),
        });
    }
}

/// "Start subscription": the payer starts paying; the account is Active from today.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn start_subscription(services: &Services, actor: &Actor) -> Result<(), ServiceError> {
    let b = billing_of(services, actor).await?;
    require_payer(actor, &b)?;
    if !status_now(&b).can_start() {
        return Err(BillingRefusal::AlreadyActive.into());
    }
    let t = terms(&b);
    let to = Change {
        status: AccountStatus::Active,
        subscribing: true,
        // The payer's currency today: the subscription keeps it.
        subscription_currency: Some(t.currency),
        ..unchanged(&b)
    };
    let detail = format!(
        "Started the subscription: {}, {} a month",
        plan_label(&b.level, &b.cms_plan),
        t.currency.format(t.charged())
    );
    record(
        services,
        &b,
        to,
        Some(PaymentChange::Start {
            monthly: t.charged(),
            currency: t.currency,
        }),
        |tx| {
            tx.audit(actor.audit("billing.subscription_started", detail.clone()));
            if actor.managing.is_none() {
                audit_for_agency(tx, actor, &b, "billing.subscription_started", &detail);
            }
            tell_the_other_side(
                tx,
                services,
                actor,
                &b,
                &format!("The subscription of {} has started", b.name),
                format!(
                    "{} started the paid subscription of {}: {}.\n",
                    actor.audit_name(),
                    b.name,
                    detail
                ),
            );
        },
    )
    .await
}

/// Another account level or CMS plan: the price follows.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn change_plan(
    services: &Services,
    actor: &Actor,
    level: &str,
    cms_plan: &str,
) -> Result<(), ServiceError> {
    let mut errors = FieldErrors::default();
    let new_level = errors.check(
        "level",
        plans::level(level).ok_or_else(|| Invalid("Choose an account level.".into())),
    );
    let new_cms = errors.check(
        "cms_plan",
        plans::cms_plan(cms_plan).ok_or_else(|| Invalid("Choose a Dynamic CMS plan.".into())),
    );
    errors.finish()?;
    let (Some(new_level), Some(new_cms)) = (new_level, new_cms) else {
        return Err(ServiceError::Internal("plan checked above".into()));
    };
    let b = billing_of(services, actor).await?;
    require_payer(actor, &b)?;
    if new_level.key == b.level && new_cms.key == b.cms_plan {
        return Err(ServiceError::field(
            "level",
            "This is already the account's plan.",
        ));
    }
    let before = terms(&b);
    let after = Terms {
        monthly: new_level.price(before.currency) + new_cms.price(before.currency),
        ..before
    };
    let money = |amount| before.currency.format(amount);
    let to = Change {
        level: new_level.key,
        cms_plan: new_cms.key,
        ..unchanged(&b)
    };
    let detail = format!(
        "Changed the plan from {} ({} a month) to {} ({} a month)",
        plan_label(&b.level, &b.cms_plan),
        money(before.charged()),
        plan_label(new_level.key, new_cms.key),
        money(after.charged()),
    );
    let payment = (status_now(&b) == AccountStatus::Active).then(|| PaymentChange::Reprice {
        monthly: after.charged(),
        currency: after.currency,
    });
    record(services, &b, to, payment, |tx| {
        tx.audit(actor.audit("billing.plan_changed", detail.clone()));
        if actor.managing.is_none() {
            audit_for_agency(tx, actor, &b, "billing.plan_changed", &detail);
        }
        tell_the_other_side(
            tx,
            services,
            actor,
            &b,
            &format!("The plan of {} has changed", b.name),
            format!("{}: {}.\n", actor.audit_name(), detail),
        );
    })
    .await
}

/// The agency asks its client to take over the payment of an account it pays for; the client
/// confirms with "Take over payment" (from the email's link), and pays from then on.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn hand_over(services: &Services, actor: &Actor) -> Result<(), ServiceError> {
    let b = billing_of(services, actor).await?;
    if b.payer != Payer::Agency {
        return Err(BillingRefusal::AgencyDoesNotPay.into());
    }
    if !is_its_agency(actor, &b) {
        return Err(BillingRefusal::NotTheAgency.into());
    }
    if b.handover_offered_at.is_some() {
        return Err(BillingRefusal::AlreadyOffered.into());
    }
    // What the client would pay: the full price, in their own currency.
    let price = client_price(&b);
    let to = Change {
        handover: Handover::Offer,
        ..unchanged(&b)
    };
    let agency = b.agency_name.clone().unwrap_or_default();
    record(services, &b, to, None, |tx| {
        tx.audit(actor.audit(
            "billing.handover_offered",
            format!("{agency} asked the account's owner to take over its payment"),
        ));
        if let Some(owner) = &b.owner_email {
            tx.mail(Mail {
                to: owner.clone(),
                subject: format!("{agency} asks you to take over the payment of {}", b.name),
                body: format!(
                    "{agency} has paid for your account {} so far and asks you to take its payment over: {}, {} a month, paid by you from the day you confirm. Confirm with \"Take over payment\" on the account's Billing page.\n",
                    b.name,
                    plan_label(&b.level, &b.cms_plan),
                    b.own_currency.format(price)
                ),
                link: Some(services.link("/billing")),
            });
        }
    })
    .await
}

/// The full price in the client's own currency: what they pay once the payment is theirs.
fn client_price(b: &Billing) -> i64 {
    monthly_price(&b.level, &b.cms_plan, b.own_currency).unwrap_or(0)
}

/// "Take over payment": the client pays from now on (whether or not the agency asked); the
/// agency earns its commission instead of paying.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn take_over(services: &Services, actor: &Actor) -> Result<(), ServiceError> {
    let b = billing_of(services, actor).await?;
    if b.payer != Payer::Agency {
        return Err(BillingRefusal::AgencyDoesNotPay.into());
    }
    if actor.managing.is_some() {
        return Err(BillingRefusal::ClientPays.into());
    }
    let (discount, commission) = Payer::Client.terms();
    let to = Change {
        payer: Payer::Client,
        discount_percent: discount,
        commission_percent: commission,
        handover: Handover::Clear,
        // A running subscription goes on in the client's currency, as a new payer's would.
        subscription_currency: b.subscription_currency.map(|_| b.own_currency),
        ..unchanged(&b)
    };
    let price = client_price(&b);
    let agency = b.agency_name.clone().unwrap_or_default();
    let detail = format!(
        "The account's owner took over its payment from {agency}: {}, {} a month",
        plan_label(&b.level, &b.cms_plan),
        b.own_currency.format(price)
    );
    let payment = Some(PaymentChange::ChangePayer {
        payer: Payer::Client,
        monthly: price,
        currency: b.own_currency,
    });
    record(services, &b, to, payment, |tx| {
        tx.audit(actor.audit("billing.payment_taken_over", detail.clone()));
        audit_for_agency(tx, actor, &b, "billing.payment_taken_over", &detail);
        tell_the_other_side(
            tx,
            services,
            actor,
            &b,
            &format!("{} now pays for {}", actor.display_name(), b.name),
            format!("{detail}. Your agency earns a {commission}% commission on it.\n"),
        );
    })
    .await
}

/// Ends the trials past their end and tells owners whose trial ends within three days; run
/// every minute by the server, a bounded batch each time. Returns (ended, reminded).
#[tracing::instrument(skip_all)]
pub async fn sweep(services: &Services) -> Result<(usize, usize), ServiceError> {
    const BATCH: i64 = 200;
    let mut ended = 0;
    for b in store::trials_ended(&services.db, BATCH).await? {
        let mut tx = Tx::new();
        store::end_trial(&mut tx, &b.account_key);
        tx.audit(AuditEntry {
            account: db::rid("account", &b.account_key),
            actor_user: None,
            actor_name: "Steward".into(),
            via_account: None,
            action: "billing.trial_ended".into(),
            detail: "The free trial ended without a subscription".into(),
        });
        let payer_is_agency = b.payer == Payer::Agency;
        for to in [
            b.owner_email.clone(),
            b.agency_email.clone().filter(|_| b.agency_key.is_some()),
        ]
        .into_iter()
        .flatten()
        {
            tx.mail(Mail {
                to,
                subject: format!("The free trial of {} has ended", b.name),
                body: format!(
                    "The free trial of {} ended{}. {} can start the subscription on the account's Billing page.\n",
                    b.name,
                    day(b.trial_ends_at).map(|d| format!(" on {d}")).unwrap_or_default(),
                    if payer_is_agency { b.agency_name.clone().unwrap_or_default() } else { "Its owner".into() },
                ),
                link: Some(services.link("/billing")),
            });
        }
        match services.commit(tx).await {
            Ok(()) => ended += 1,
            Err(e) if store::is_changed_meanwhile(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let mut reminded = 0;
    for b in store::trials_to_remind(&services.db, TRIAL_REMINDER_DAYS, BATCH).await? {
        let mut tx = Tx::new();
        store::mark_trial_reminded(&mut tx, &b.account_key);
        // The owner, and the agency when it is the one that would pay.
        let agency = b.agency_email.clone().filter(|_| b.payer == Payer::Agency);
        for to in [b.owner_email.clone(), agency].into_iter().flatten() {
            tx.mail(Mail {
                to,
                subject: format!("The free trial of {} ends soon", b.name),
                body: format!(
                    "The free trial of {} ends on {}. Start the subscription on the account's Billing page to keep it running.\n",
                    b.name,
                    day(b.trial_ends_at).unwrap_or_default()
                ),
                link: Some(services.link("/billing")),
            });
        }
        match services.commit(tx).await {
            Ok(()) => reminded += 1,
            Err(e) if store::is_changed_meanwhile(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((ended, reminded))
}
