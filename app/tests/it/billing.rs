//! Billing (issue 14): who may start and change a subscription, what it does to the agency's
//! totals, the payment passing from agency to client, and trials that end — against a real
//! SurrealDB.

use crate::common::{actor, granted, last_link, services, sign_up, subjects};
use app::billing::model::{AccountStatus, AgencyTotals, Currency};
use app::billing::service as billing;
use app::core::domain::DefaultRole;
use app::core::ids::GrantId;
use app::core::services::{Actor, ServiceError, Services, Settings};
use app::identity::service::{self as identity, SessionToken};
use app::managed_accounts::plans::Payer;
use app::managed_accounts::service::{self as managed, NewClientAccount};

/// An agency with one client account it made (Pro with Starter CMS: $328 a month), paid by
/// `payer`. Returns the agency's token and actor, the agency acting in the client account, and
/// the client's owner in their own account.
async fn agency_with_client(s: &Services, payer: &str) -> (SessionToken, Actor, Actor, Actor) {
    let (agency_token, agency) = sign_up(s, "pat@agency.com", "Agency Inc").await;
    let client = client_of(s, &agency_token, &agency, payer).await;
    (agency_token, agency, client.managing, client.owner)
}

/// Both sides of a client account "Bakery" the agency makes.
struct Client {
    /// The agency's session, moved into the account by "Log in".
    managing_token: SessionToken,
    managing: Actor,
    owner_token: SessionToken,
    owner: Actor,
}

/// The agency makes a client account (Pro with Starter CMS) paid by `payer`, its owner sets a
/// password and logs in, and the agency logs in to it with `agency_token`.
async fn client_of(s: &Services, agency_token: &SessionToken, agency: &Actor, payer: &str) -> Client {
    managed::create_account(
        s,
        agency,
        NewClientAccount {
            name: "Bakery".into(),
            level: "pro".into(),
            cms_plan: "starter".into(),
            payer: payer.into(),
            login_email: "olga@bakery.com".into(),
            data: "blank".into(),
            template: String::new(),
            sandbox: false,
        },
    )
    .await
    .expect("create");
    let token = last_link(s, "olga@bakery.com", "/set-password/").await;
    managed::set_password(s, &token, "the client's own password")
        .await
        .expect("set password");
    let owner_token = identity::log_in(s, "olga@bakery.com", "the client's own password")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor");
    let owner = actor(s, &owner_token).await;
    let list = managed::list(s, agency, "", "name", false, 0)
        .await
        .expect("list");
    let managing_token = managed::log_in_to(s, agency, agency_token, &GrantId::new(&list.rows[0].id))
        .await
        .expect("log in to the client account");
    let managing = actor(s, &managing_token).await;
    Client {
        managing_token,
        managing,
        owner_token,
        owner,
    }
}

async fn row(s: &Services, agency: &Actor) -> (String, Option<(String, Payer, i64)>, (i64, i64)) {
    let list = managed::list(s, agency, "", "name", false, 0)
        .await
        .expect("list");
    let r = &list.rows[0];
    (
        r.account_status.clone(),
        r.billing.clone().map(|b| {
            assert_eq!(b.currency, Currency::Usd, "priced in the agency's dollars");
            (b.plan, b.payer, b.monthly)
        }),
        dollars(&list.totals),
    )
}

/// The agency's totals in US dollars (pays, earns), checking there are no others.
fn dollars(totals: &AgencyTotals) -> (i64, i64) {
    assert!(
        totals.by_currency.iter().all(|t| t.currency == Currency::Usd),
        "{totals:?}"
    );
    totals.by_currency.first().map_or((0, 0), |t| (t.pays, t.earns))
}

async fn audit_actions(s: &Services, account: &str) -> Vec<String> {
    s.db.query("SELECT VALUE action FROM audit WHERE account = type::record('account', $a) ORDER BY at")
        .bind(("a", account.to_string()))
        .await
        .expect("q")
        .take(0)
        .expect("v")
}

#[tokio::test]
async fn the_agency_starts_the_subscription_of_an_account_it_pays_for() {
    let s = services().await;
    let (_, agency, managing, owner) = agency_with_client(&s, "agency").await;

    let seen = billing::view(&s, &managing).await.expect("view");
    assert_eq!(seen.status, AccountStatus::FreeTrial);
    assert_eq!(
        (seen.payer, seen.viewer_is_agency, seen.is_payer),
        (Payer::Agency, true, true)
    );
    assert_eq!(
        (seen.monthly, seen.charged, seen.currency),
        (32_800, 24_600, Currency::Usd),
        "25% off $328"
    );
    assert!(seen.can_hand_over && !seen.can_take_over);
    assert_eq!(
        row(&s, &agency).await,
        (
            "Free trial".into(),
            Some(("Pro · Starter CMS".into(), Payer::Agency, 24_600)),
            (0, 0)
        ),
        "a trial costs nothing yet"
    );

    // The owner sees it, and may not start what the agency pays for.
    let theirs = billing::view(&s, &owner).await.expect("owner's view");
    assert!(!theirs.is_payer && theirs.can_take_over);
    let refused = billing::start_subscription(&s, &owner)
        .await
        .expect_err("not the payer");
    assert!(
        matches!(refused, ServiceError::Forbidden(ref m) if m.contains("Agency Inc pays")),
        "{refused:?}"
    );
    assert_eq!(
        billing::view(&s, &owner).await.expect("view").status,
        AccountStatus::FreeTrial
    );

    billing::start_subscription(&s, &managing).await.expect("start");
    let after = billing::view(&s, &owner).await.expect("view");
    assert_eq!(after.status, AccountStatus::Active);
    assert!(after.subscribed_on.is_some());
    assert!(matches!(
        billing::start_subscription(&s, &managing).await,
        Err(ServiceError::Conflict(_))
    ));
    assert_eq!(
        row(&s, &agency).await,
        (
            "Active".into(),
            Some(("Pro · Starter CMS".into(), Payer::Agency, 24_600)),
            (24_600, 0)
        )
    );
    assert!(audit_actions(&s, &owner.account_id)
        .await
        .contains(&"billing.subscription_started".to_string()));
    assert!(subjects(&s, "olga@bakery.com")
        .await
        .contains(&"The subscription of Bakery has started".to_string()));

    // Another plan: the price and the agency's total follow; bad input changes nothing.
    let bad = billing::change_plan(&s, &managing, "gold", "nothing")
        .await
        .expect_err("bad");
    assert!(matches!(bad, ServiceError::Invalid(ref f) if f.len() == 2));
    let same = billing::change_plan(&s, &managing, "pro", "starter")
        .await
        .expect_err("same");
    assert!(matches!(same, ServiceError::Invalid(_)));
    assert!(matches!(
        billing::change_plan(&s, &owner, "basic", "none").await,
        Err(ServiceError::Forbidden(_))
    ));
    billing::change_plan(&s, &managing, "enterprise", "business")
        .await
        .expect("change");
    // Enterprise 499 + Business CMS 79 = 578, less 25%.
    assert_eq!(
        row(&s, &agency).await,
        (
            "Active".into(),
            Some(("Enterprise · Business CMS".into(), Payer::Agency, 43_350)),
            (43_350, 0)
        )
    );
    assert!(audit_actions(&s, &owner.account_id)
        .await
        .contains(&"billing.plan_changed".to_string()));
}

#[tokio::test]
async fn the_client_takes_over_the_payment_when_the_agency_asks() {
    let s = services().await;
    let (_, agency, managing, owner) = agency_with_client(&s, "agency").await;
    billing::start_subscription(&s, &managing).await.expect("start");

    // Only the agency acting in the account may ask; once.
    assert!(matches!(
        billing::hand_over(&s, &owner).await,
        Err(ServiceError::Forbidden(_))
    ));
    billing::hand_over(&s, &managing).await.expect("ask the client");
    assert!(matches!(
        billing::hand_over(&s, &managing).await,
        Err(ServiceError::Conflict(_))
    ));
    assert!(subjects(&s, "olga@bakery.com")
        .await
        .contains(&"Agency Inc asks you to take over the payment of Bakery".to_string()));
    let theirs = billing::view(&s, &owner).await.expect("view");
    assert!(theirs.can_take_over && theirs.handover_offered_on.is_some());
    // Still the agency's to pay until the client confirms.
    assert_eq!(row(&s, &agency).await.2, (24_600, 0));
    // The agency can't take it over in the client's name.
    assert!(matches!(
        billing::take_over(&s, &managing).await,
        Err(ServiceError::Forbidden(_))
    ));

    billing::take_over(&s, &owner).await.expect("take over");
    let now = billing::view(&s, &owner).await.expect("view");
    assert_eq!(
        (now.payer, now.is_payer, now.can_take_over),
        (Payer::Client, true, false)
    );
    assert_eq!((now.charged, now.commission_amount), (32_800, 8_200));
    assert_eq!(now.handover_offered_on, None);
    assert_eq!(
        row(&s, &agency).await,
        (
            "Active".into(),
            Some(("Pro · Starter CMS".into(), Payer::Client, 32_800)),
            (0, 8_200)
        ),
        "the agency pays nothing and earns 25%"
    );
    assert!(audit_actions(&s, &agency.account_id)
        .await
        .contains(&"billing.payment_taken_over".to_string()));
    assert!(subjects(&s, "pat@agency.com")
        .await
        .iter()
        .any(|t| t.contains("now pays for Bakery")));
    // The plan is the client's to change now, not the agency's.
    assert!(matches!(
        billing::change_plan(&s, &managing, "basic", "none").await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        billing::take_over(&s, &owner).await,
        Err(ServiceError::Conflict(_))
    ));
    billing::change_plan(&s, &owner, "basic", "none")
        .await
        .expect("the client changes");
    assert_eq!(row(&s, &agency).await.2, (0, 2_475), "25% of $99");
}

#[tokio::test]
async fn an_account_its_client_pays_for_is_started_by_the_client_only() {
    let s = services().await;
    let (_, agency, managing, owner) = agency_with_client(&s, "client").await;
    let seen = billing::view(&s, &managing).await.expect("view");
    assert!(!seen.is_payer && !seen.can_hand_over);
    assert!(matches!(
        billing::start_subscription(&s, &managing).await,
        Err(ServiceError::Forbidden(_))
    ));
    billing::start_subscription(&s, &owner).await.expect("start");
    assert_eq!(row(&s, &agency).await.2, (0, 8_200));
    assert!(subjects(&s, "pat@agency.com")
        .await
        .contains(&"The subscription of Bakery has started".to_string()));
    // A sign-up pays for itself: no agency, no totals.
    let own = billing::view(&s, &agency)
        .await
        .expect("the agency's own billing");
    assert_eq!(
        (own.payer, own.agency_name.clone(), own.is_payer),
        (Payer::Client, None, true)
    );
    billing::start_subscription(&s, &agency)
        .await
        .expect("its own subscription");
    assert_eq!(row(&s, &agency).await.2, (0, 8_200));
}

#[tokio::test]
async fn billing_is_for_administrators() {
    let s = services().await;
    let (agency_token, agency, _, _, grant) = granted(&s, DefaultRole::Manager).await;
    let managing = actor(
        &s,
        &managed::log_in_to(&s, &agency, &agency_token, &grant)
            .await
            .expect("log in"),
    )
    .await;
    for refused in [
        billing::view(&s, &managing).await.map(|_| ()),
        billing::start_subscription(&s, &managing).await,
        billing::change_plan(&s, &managing, "pro", "none").await,
    ] {
        assert!(matches!(refused, Err(ServiceError::Forbidden(_))), "{refused:?}");
    }
}

#[tokio::test]
async fn a_trial_ends_with_the_sweep_and_its_owner_hears_three_days_before() {
    // Trials of two days: inside the three days' notice from the start.
    let s = Services::new(
        crate::common::fresh_db().await,
        Settings {
            dev_mode: true,
            trial_secs: 2 * 24 * 3600,
            ..Settings::default()
        },
    );
    let (_, _, _, owner) = agency_with_client(&s, "agency").await;
    let (ended, reminded) = billing::sweep(&s).await.expect("sweep");
    assert_eq!((ended, reminded), (0, 2), "the agency's and the client's trial");
    for to in ["olga@bakery.com", "pat@agency.com"] {
        assert!(
            subjects(&s, to)
                .await
                .contains(&"The free trial of Bakery ends soon".to_string()),
            "{to} is told: the owner, and the agency that pays"
        );
    }
    assert_eq!(billing::sweep(&s).await.expect("sweep"), (0, 0), "told once");

    // The end passes: the page says so at once, the sweep records it and tells both sides.
    s.db.query("UPDATE account SET trial_ends_at = time::now() - 1m WHERE trial_ends_at != NONE")
        .await
        .expect("q")
        .check()
        .expect("the trials end");
    assert_eq!(
        billing::view(&s, &owner).await.expect("view").status,
        AccountStatus::TrialEnded
    );
    let (ended, _) = billing::sweep(&s).await.expect("sweep");
    assert_eq!(ended, 2);
    let stored: Vec<String> =
        s.db.query("SELECT VALUE status FROM account WHERE name = 'Bakery'")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(stored, vec!["trial_ended".to_string()]);
    for to in ["olga@bakery.com", "pat@agency.com"] {
        assert!(
            subjects(&s, to)
                .await
                .contains(&"The free trial of Bakery has ended".to_string()),
            "{to} is told"
        );
    }
    assert!(audit_actions(&s, &owner.account_id)
        .await
        .contains(&"billing.trial_ended".to_string()));
    assert_eq!(billing::sweep(&s).await.expect("sweep").0, 0, "ended once");
}

#[tokio::test]
async fn an_ended_trial_shows_on_the_agencys_row_and_can_still_be_subscribed() {
    let s = services().await;
    let (_, agency, managing, _) = agency_with_client(&s, "agency").await;
    s.db.query("UPDATE account SET trial_ends_at = time::now() - 1s WHERE name = 'Bakery'")
        .await
        .expect("q")
        .check()
        .expect("ends");
    // Before the sweep: read as ended.
    assert_eq!(row(&s, &agency).await.0, "Trial ended");
    billing::sweep(&s).await.expect("sweep");
    assert_eq!(row(&s, &agency).await.0, "Trial ended");
    billing::start_subscription(&s, &managing)
        .await
        .expect("start after the trial");
    assert_eq!(
        row(&s, &agency).await,
        (
            "Active".into(),
            Some(("Pro · Starter CMS".into(), Payer::Agency, 24_600)),
            (24_600, 0)
        )
    );
}

/// Issue 14: pages write dates as the account's Localization says, in its time zone, from the
/// next request after the setting changes (the cached session follows).
#[tokio::test]
async fn dates_follow_the_accounts_localization_from_the_next_request() {
    use app::settings::admin_tools::service as admin_tools;
    use app::settings::model::{BusinessInformation, Localization};
    let s = services().await;
    let (token, owner) = sign_up(&s, "olga@shop.com", "Shop").await;
    let iso = billing::view(&s, &owner)
        .await
        .expect("view")
        .trial_ends_on
        .expect("a trial end");
    assert!(
        iso.len() == 10 && iso.as_bytes()[4] == b'-',
        "YYYY-MM-DD by default: {iso}"
    );
    admin_tools::save_localization(
        &s,
        &owner,
        Localization {
            language: "en".into(),
            date_format: "DD/MM/YYYY".into(),
            currency: "USD".into(),
        },
    )
    .await
    .expect("save localization");
    admin_tools::save_business(
        &s,
        &owner,
        BusinessInformation {
            business_name: "Shop".into(),
            address: String::new(),
            time_zone: "Asia/Tokyo".into(),
        },
    )
    .await
    .expect("save business information");
    let again = actor(&s, &token).await;
    let shown = billing::view(&s, &again)
        .await
        .expect("view")
        .trial_ends_on
        .expect("a trial end");
    assert!(
        shown.len() == 10 && shown.as_bytes()[2] == b'/',
        "DD/MM/YYYY now: {shown}"
    );
    // The same day, written the other way round (or the next one in Tokyo).
    let (d, m, y) = (&shown[0..2], &shown[3..5], &shown[6..10]);
    assert_eq!((y, m), (&iso[0..4], &iso[5..7]));
    let (iso_day, day): (u32, u32) = (iso[8..10].parse().expect("day"), d.parse().expect("day"));
    assert!(
        day == iso_day || day == iso_day + 1 || day == 1,
        "{shown} vs {iso}"
    );
}

#[tokio::test]
async fn an_agency_removes_an_account_it_pays_for_only_after_handing_the_payment_over() {
    let s = services().await;
    let (_, agency, managing, owner) = agency_with_client(&s, "agency").await;
    billing::start_subscription(&s, &managing).await.expect("start");
    let grant = GrantId::new(
        &managed::list(&s, &agency, "", "name", false, 0)
            .await
            .expect("list")
            .rows[0]
            .id,
    );
    let refused = managed::unlink(&s, &agency, &grant)
        .await
        .expect_err("the agency still pays");
    assert!(
        matches!(refused, ServiceError::Conflict(ref m) if m.contains("hand its payment over")),
        "{refused:?}"
    );
    assert_eq!(
        managed::list(&s, &agency, "", "name", false, 0)
            .await
            .expect("list")
            .total,
        1,
        "nothing changed"
    );
    billing::take_over(&s, &owner).await.expect("the client pays");
    managed::unlink(&s, &agency, &grant).await.expect("now it may go");
    assert_eq!(
        managed::list(&s, &agency, "", "name", false, 0)
            .await
            .expect("list")
            .total,
        0
    );
}

/// Saves `currency` as the account's Localization currency and returns the actor's next
/// request (the session follows at once).
async fn set_currency(s: &Services, token: &SessionToken, who: &Actor, currency: &str) -> Actor {
    use app::settings::admin_tools::service as admin_tools;
    use app::settings::model::Localization;
    admin_tools::save_localization(
        s,
        who,
        Localization {
            language: "en".into(),
            date_format: "YYYY-MM-DD".into(),
            currency: currency.into(),
        },
    )
    .await
    .expect("save localization");
    actor(s, token).await
}

/// Money in the account's currency: a bill is in its payer's Localization currency, priced from
/// that currency's list, until the subscription starts; a running subscription keeps its
/// currency, until the client takes the payment over and pays in theirs. The agency's totals
/// keep each currency apart.
#[tokio::test]
async fn a_bill_is_in_its_payers_currency_and_a_running_one_keeps_it() {
    let s = services().await;
    let (agency_token, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let agency = set_currency(&s, &agency_token, &agency, "EUR").await;
    assert_eq!(agency.currency, Currency::Eur);
    let Client {
        managing_token,
        managing,
        owner_token,
        owner,
    } = client_of(&s, &agency_token, &agency, "agency").await;
    assert_eq!(
        owner.currency,
        Currency::Eur,
        "a client account starts in its agency's currency"
    );
    // "Log in" moved that session into the client account: the agency at home is a second one.
    let agency_token = identity::log_in(&s, "pat@agency.com", "correct horse battery")
        .await
        .expect("log in")
        .session()
        .expect("no two-factor");

    // Pro €279 + Starter CMS €27 = €306 a month, 25% off: €229.50.
    let seen = billing::view(&s, &managing).await.expect("view");
    assert_eq!(
        (seen.currency, seen.monthly, seen.charged, seen.currency_fixed),
        (Currency::Eur, 30_600, 22_950, false)
    );
    let r = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list");
    let b = r.rows[0].billing.clone().expect("its billing");
    assert_eq!((b.currency, b.monthly), (Currency::Eur, 22_950));

    // The owner's own currency is not the agency's bill; it is what they would pay in.
    let owner = set_currency(&s, &owner_token, &owner, "GBP").await;
    let theirs = billing::view(&s, &owner).await.expect("view");
    assert_eq!((theirs.currency, theirs.charged), (Currency::Eur, 22_950));
    // Pro £239 + Starter CMS £23.
    assert_eq!(
        (theirs.client_currency, theirs.client_price),
        (Currency::Gbp, 26_200)
    );

    // During the trial the bill follows the payer's Localization.
    let agency = set_currency(&s, &agency_token, &agency, "JPY").await;
    let managing = actor(&s, &managing_token).await;
    let seen = billing::view(&s, &managing).await.expect("view");
    // ¥44,900 + ¥4,500 = ¥49,400, 25% off.
    assert_eq!((seen.currency, seen.charged), (Currency::Jpy, 37_050));
    let agency = set_currency(&s, &agency_token, &agency, "EUR").await;
    let managing = actor(&s, &managing_token).await;

    billing::start_subscription(&s, &managing).await.expect("start");
    let totals = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list")
        .totals;
    assert_eq!(totals.pays_text(Currency::Usd), "€229.50");
    assert!(audit_actions(&s, &managing.account_id)
        .await
        .contains(&"billing.subscription_started".to_string()));

    // Running: a new Localization currency no longer changes the bill.
    let agency = set_currency(&s, &agency_token, &agency, "USD").await;
    let managing = actor(&s, &managing_token).await;
    let seen = billing::view(&s, &managing).await.expect("view");
    assert_eq!(
        (seen.currency, seen.charged, seen.currency_fixed),
        (Currency::Eur, 22_950, true)
    );
    billing::change_plan(&s, &managing, "basic", "none")
        .await
        .expect("change plan");
    let seen = billing::view(&s, &managing).await.expect("view");
    assert_eq!(
        (seen.currency, seen.monthly),
        (Currency::Eur, 9_500),
        "Basic: €95"
    );
    let list = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list");
    assert_eq!(list.totals.pays_text(Currency::Usd), "€71.25");
    assert_eq!(
        list.totals.earns_text(Currency::Usd),
        "$0.00",
        "nothing: the agency's currency"
    );

    // The client takes the payment over: the subscription goes on in pounds, and the agency's
    // euros go to zero while it earns 25% of £79.
    billing::take_over(&s, &owner).await.expect("take over");
    let now = billing::view(&s, &owner).await.expect("view");
    assert_eq!(
        (now.currency, now.charged, now.commission_amount),
        (Currency::Gbp, 7_900, 1_975)
    );
    let list = managed::list(&s, &agency, "", "name", false, 0)
        .await
        .expect("list");
    assert_eq!(
        list.totals.by_currency,
        vec![app::billing::model::CurrencyTotals {
            currency: Currency::Gbp,
            pays: 0,
            earns: 1_975
        }]
    );
    let b = list.rows[0].billing.clone().expect("its billing");
    assert_eq!(
        (b.currency, b.monthly, b.payer),
        (Currency::Gbp, 7_900, Payer::Client)
    );
    let details: Vec<String> = s
        .db
        .query("SELECT VALUE detail FROM audit WHERE action = 'billing.payment_taken_over' AND account = type::record('account', $a)")
        .bind(("a", owner.account_id.to_string()))
        .await
        .expect("q")
        .take(0)
        .expect("v");
    assert!(details.iter().any(|d| d.contains("£79.00")), "{details:?}");
}

/// Migration 0032: totals kept before currencies were US dollars, and so is a subscription that
/// was running.
#[tokio::test]
async fn totals_and_subscriptions_from_before_currencies_are_in_dollars() {
    let db = surrealdb::engine::any::connect("mem://").await.expect("db");
    db.use_ns("steward").use_db("steward").await.expect("ns");
    app::core::db::migrate_up_to(&db, 31)
        .await
        .expect("schema of 0031");
    db.query(
        "CREATE account:agency SET name = 'Agency', level = 'agency', status = 'active';
         CREATE billing_total:agency SET pays_cents = 24600, earns_cents = 8200;",
    )
    .await
    .expect("write")
    .check()
    .expect("old records");
    app::core::db::migrate_up_to(&db, i64::MAX)
        .await
        .expect("the rest");
    let s = Services::new(db, Settings::default());
    // Where the Managed accounts page reads them: the agency's US dollar record.
    let moved: Vec<(String, i64, i64)> =
        s.db.query("SELECT VALUE [currency, pays_cents, earns_cents] FROM billing_total:⟨agency-USD⟩")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(moved, vec![("USD".to_string(), 24_600, 8_200)]);
    let left: Vec<surrealdb::types::RecordId> =
        s.db.query("SELECT VALUE id FROM billing_total")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(left.len(), 1, "the old record moved: {left:?}");
    let currency: Option<String> =
        s.db.query("SELECT VALUE subscription_currency FROM ONLY account:agency")
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(currency.as_deref(), Some("USD"));
}
