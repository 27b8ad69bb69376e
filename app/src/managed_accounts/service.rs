//! Managed accounts, the agency's side of grants: the list, creating client accounts, logging in
//! to a client account and back, and the client's first password.
use super::store;
use crate::billing::model::AccountStatus;
use crate::core::accounts;
use crate::core::db::{self, AuditEntry, Event, Mail, Tx};
use crate::core::domain::events::EventType;
use crate::core::domain::{AccountName, DefaultRole, Email, Invalid, Permission};
use crate::core::ids::{AccountId, GrantId};
use crate::core::services::{Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};
use crate::grants::service::{invitation_token, link_for, token_hash};
use crate::grants::state::{GrantState, Initiator};
use crate::identity::service::{self as identity, SessionToken};
use crate::managed_accounts::model::{ManagedAccountRow, ManagedAccountsPage, SwitchTarget};
use crate::managed_accounts::plans::{self, Payer, Plan};

// Asking for access, the owner's answer and unlinking change a grant, so grants owns them; they
// are part of what an agency does with its managed accounts.
pub use crate::grants::agency::{decide_request, request_access, resend_request, unlink, view_request};

/// Why the agency's own use cases (log in, back, a client's set-password link) say no.
#[derive(Debug, thiserror::Error)]
pub enum ManagedRefusal {
    #[error("Access to {0} is not active.")]
    AccessNotActive(String),
    #[error("You are already in your own account.")]
    AlreadyHome,
    #[error("This link is no longer valid. Ask for a new one.")]
    PasswordLinkUsed,
    #[error("The owner of {0} has already set a password.")]
    PasswordAlreadySet(String),
    #[error("{0} requires two-factor authentication: turn it on for your log-in first (Two-factor authentication, in your profile menu).")]
    TwoFactorRequired(String),
}

impl Refusal for ManagedRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::AccessNotActive(_) | Self::AlreadyHome => RefusalKind::Conflict,
            Self::PasswordLinkUsed => RefusalKind::NotFound,
            Self::PasswordAlreadySet(_) => RefusalKind::Conflict,
            Self::TwoFactorRequired(_) => RefusalKind::Forbidden,
        }
    }
}

pub const PAGE_SIZE: i64 = 25;

/// The agency's list: search by name or owner email, sort by a column, one page at a time,
/// the page read by its number.
pub async fn list(
    services: &Services,
    actor: &Actor,
    search: &str,
    sort: &str,
    descending: bool,
    page: i64,
) -> Result<ManagedAccountsPage, ServiceError> {
    list_from(services, actor, search, sort, descending, page, "").await
}

/// The same, with the page reached from the one next to it through `cursor` (the `next` or
/// `previous` of that page, empty for none), `page` being its number.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list_from(
    services: &Services,
    actor: &Actor,
    search: &str,
    sort: &str,
    descending: bool,
    page: i64,
    cursor: &str,
) -> Result<ManagedAccountsPage, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_VIEW)?;
    let page = page.max(0);
    let cursor = store::PageCursor::parse(cursor)
        .map_err(|e| ServiceError::Invalid(vec![("cursor".into(), e.to_string())]))?;
    // Invitations to the viewer's own email show at home only: inside a client account they are
    // not that account's to answer.
    let invited = actor.managing.is_none().then_some(actor.email.as_str());
    let store::Page {
        rows,
        total,
        next,
        previous,
        invitations,
        totals,
    } = store::page(
        &services.db,
        (&actor.account_id, actor.currency),
        store::Window {
            search,
            sort,
            descending,
            start: page * PAGE_SIZE,
            limit: PAGE_SIZE,
        },
        cursor.as_ref(),
        invited,
    )
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let state = r.effective_state();
            // The plan, payer and trial of an account this agency made, kept on the grant.
            let made = r.billing.as_ref();
            // While pending, the link the other side was sent; on a client account whose owner
            // has not set a password yet, the set-password link.
            let password_link = r.password_link_nonce.as_ref().map(|nonce| {
                services.link(&format!(
                    "/set-password/{}",
                    set_password_token(services, &r.id, nonce)
                ))
            });
            let invitation_link = match (state, &r.token_nonce) {
                (GrantState::Pending, Some(nonce)) => Some(link_for(
                    services,
                    r.initiator,
                    &invitation_token(services, &r.id, nonce),
                )),
                _ => password_link.clone(),
            };
            ManagedAccountRow {
                id: r.id,
                name: r.client_name.unwrap_or_default(),
                owner_email: r.owner_email.unwrap_or_default(),
                role_name: r.role_name.unwrap_or_default(),
                access: state.label().into(),
                state,
                // None until the owner grants access (migration 0022): the page says so.
                account_status: match (r.account_status.as_deref(), made) {
                    (None, _) => String::new(),
                    (Some(_), Some(b)) => crate::billing::service::status_now(b).label().into(),
                    (Some(key), None) => AccountStatus::from_key(key)
                        .map_or("Free trial", AccountStatus::label)
                        .into(),
                },
                billing: made.map(crate::billing::service::row_billing),
                invitation_link,
                password_not_set: password_link.is_some(),
                requested_by_agency: r.initiator == Initiator::Agency,
            }
        })
        .collect();
    Ok(ManagedAccountsPage {
        rows,
        total,
        page,
        page_size: PAGE_SIZE,
        next: next.map(|c| c.param()),
        previous: previous.map(|c| c.param()),
        can_add: actor.can(Permission::MANAGED_ACCOUNTS_ADD),
        can_update: actor.can(Permission::MANAGED_ACCOUNTS_UPDATE),
        can_log_in: actor.can(Permission::MANAGED_ACCOUNTS_LOG_IN),
        totals,
        currency: actor.currency,
        invitations: if invitations {
            crate::grants::service::invitations_for_me(services, actor).await?
        } else {
            Vec::new()
        },
    })
}

/// "Log in": a new session acting in the client account with the grant's role.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id))]
pub async fn log_in_to(
    services: &Services,
    actor: &Actor,
    token: &SessionToken,
    grant_id: &GrantId,
) -> Result<SessionToken, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_LOG_IN)?;
    actor.require_home_account()?;
    // A key would act in the client account without anyone logged in to Steward.
    actor.require_person()?;
    let row = crate::grants::agency::own_grant(services, actor, grant_id).await?;
    // An Active grant always has its client account; a request that went to none never is.
    let client = match (&row.state, &row.client_account) {
        (GrantState::Active, Some(client)) => client.clone(),
        _ => return Err(ManagedRefusal::AccessNotActive(row.client_for_agency()).into()),
    };
    let rules = store::login_rules(&services.db, &client).await?;
    if rules.require_two_factor == Some(true)
        && !identity::two_factor_enabled(services, &actor.user_id).await?
    {
        return Err(ManagedRefusal::TwoFactorRequired(row.client_name).into());
    }
    let mut tx = Tx::new();
    tx.audit(AuditEntry {
        account: db::rid("account", &client),
        actor_user: Some(db::rid("user", &actor.user_id)),
        actor_name: format!(
            "manager {} of agency {}",
            actor.display_name(),
            actor.account_name
        ),
        via_account: Some(db::rid("account", &actor.account_id)),
        action: "manager.logged_in".into(),
        detail: format!("Logged in with the role {}", row.role_name),
    });
    tx.event(manager_event(
        EventType::ManagerLoggedIn,
        actor,
        (&client, &row.client_name),
        &row.role_name,
        &actor.account_name,
    ));
    if rules.login_notify.as_deref().unwrap_or("each_time") == "each_time" {
        if let Some(owner) = &row.owner_email {
            tx.mail(Mail {
                to: owner.clone(),
                subject: format!(
                    "{} of {} logged in to your account",
                    actor.email, actor.account_name
                ),
                body: format!(
                    "{} {} of {} logged in to {} with the role {}.\n",
                    actor.first_name, actor.last_name, actor.account_name, row.client_name, row.role_name
                ),
                link: Some(services.link("/account-managers")),
            });
        }
    }
    // The new session, its audit entry and the owner's email: one transaction.
    let new = identity::switch_session(services, token, &actor.user_id, &client, Some(&row.id), tx).await?;
    Ok(new)
}

/// The webhook event of a manager going in to or out of `client`: heard by the client account
/// and by the manager's agency.
fn manager_event(
    kind: EventType,
    actor: &Actor,
    (client, client_name): (&str, &str),
    role: &str,
    agency_name: &str,
) -> Event {
    Event::new(
        kind,
        serde_json::json!({
            "manager": {
                "user_id": actor.user_id.to_string(),
                "email": actor.email,
                "role": role,
                "client_account": { "id": client, "name": client_name },
                "agency_account": { "id": actor.home_account_id.to_string(), "name": agency_name },
            }
        }),
    )
    .to(Some(client))
    .to(Some(&actor.home_account_id))
}

/// "Back to my account": a new session at home.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn back_home(
    services: &Services,
    actor: &Actor,
    token: &SessionToken,
) -> Result<SessionToken, ServiceError> {
    let Some(managing) = &actor.managing else {
        return Err(ManagedRefusal::AlreadyHome.into());
    };
    let mut tx = Tx::new();
    tx.audit(actor.audit("manager.back_home", "Went back to their own account"));
    tx.event(manager_event(
        EventType::ManagerBackHome,
        actor,
        (&actor.account_id, &actor.account_name),
        &actor.role_name,
        &managing.agency_name,
    ));
    identity::switch_session(services, token, &actor.user_id, &actor.home_account_id, None, tx).await
}

/// The other client accounts the bar offers while managing one (none at home).
pub async fn switch_targets(services: &Services, actor: &Actor) -> Result<Vec<SwitchTarget>, ServiceError> {
    let Some(managing) = &actor.managing else {
        return Ok(Vec::new());
    };
    Ok(store::switch_targets(
        &services.db,
        &actor.user_id,
        &actor.home_account_id,
        managing.grant_id.as_ref(),
        SWITCH_TARGETS,
    )
    .await?
    .into_iter()
    .map(|(id, name)| SwitchTarget { id, name })
    .collect())
}

/// How many other client accounts the bar lists.
const SWITCH_TARGETS: i64 = 50;

/// Where "Switch" left the session.
pub enum Switched {
    /// In the other client account.
    In(SessionToken),
    /// At home: the way in was refused (the grant ended meanwhile, two-factor required, ...).
    Home { token: SessionToken, why: ServiceError },
}

/// From one client account straight to another ("Switch" in the bar): back home, then in, as
/// "Back to my account" and "Log in" do, each with a new session and audited in its client
/// account. The way in is checked as "Log in" checks it, with the home role.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id))]
pub async fn switch_to(
    services: &Services,
    actor: &Actor,
    token: &SessionToken,
    grant_id: &GrantId,
) -> Result<Switched, ServiceError> {
    let Some(managing) = &actor.managing else {
        return Err(ManagedRefusal::AlreadyHome.into());
    };
    if managing.grant_id == *grant_id {
        return Err(ServiceError::Conflict(
            format!("You are in {} already.", actor.account_name).into(),
        ));
    }
    // What is already certain is refused before leaving: the session stays where it is.
    let row = crate::grants::store::get_for_manager(&services.db, &actor.home_account_id, grant_id)
        .await?
        .ok_or(crate::grants::refusal::GrantRefusal::NotInYourList)?;
    if row.state != GrantState::Active {
        return Err(ManagedRefusal::AccessNotActive(row.client_for_agency()).into());
    }
    let home = back_home(services, actor, token).await?;
    let at_home = identity::actor_for_token(services, &home)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    Ok(match log_in_to(services, &at_home, &home, grant_id).await {
        Ok(token) => Switched::In(token),
        Err(why) => Switched::Home { token: home, why },
    })
}

/// What the New account form holds.
pub struct NewClientAccount {
    pub name: String,
    pub level: String,
    pub cms_plan: String,
    pub payer: String,
    pub login_email: String,
    /// `blank` or `template`.
    pub data: String,
    /// The template to copy when `data` is `template`.
    pub template: String,
    /// A sandbox account, to be set up and converted into a template.
    pub sandbox: bool,
}

/// The New account form read into domain types: every field checked, every error reported at once.
struct ClientAccountPlan {
    name: AccountName,
    level: &'static Plan,
    cms: &'static Plan,
    payer: Payer,
    email: Email,
    /// The template to copy; `None` for a blank account.
    template: Option<String>,
    sandbox: bool,
}

impl TryFrom<NewClientAccount> for ClientAccountPlan {
    type Error = ServiceError;

    fn try_from(input: NewClientAccount) -> Result<Self, ServiceError> {
        let mut errors = FieldErrors::default();
        let name = errors.check("name", AccountName::parse(&input.name));
        let level = errors.check(
            "level",
            plans::level(&input.level).ok_or_else(|| Invalid("Choose an account level.".into())),
        );
        let cms = errors.check(
            "cms_plan",
            plans::cms_plan(&input.cms_plan).ok_or_else(|| Invalid("Choose a CMS plan.".into())),
        );
        let payer = errors.check(
            "payer",
            Payer::parse(&input.payer).ok_or_else(|| Invalid("Choose who pays.".into())),
        );
        let email = errors.check("login_email", Email::parse(&input.login_email));
        let template = match input.data.as_str() {
            "template" if input.template.is_empty() => {
                errors.check::<()>("template", Err(Invalid("Choose a template.".into())));
                None
            }
            "template" => Some(input.template),
            "blank" | "" => None,
            _ => {
                errors.check::<()>("data", Err(Invalid("Choose Blank or Template.".into())));
                None
            }
        };
        errors.finish()?;
        let (Some(name), Some(level), Some(cms), Some(payer), Some(email)) = (name, level, cms, payer, email)
        else {
            return Err(ServiceError::Internal("validated fields missing".into()));
        };
        Ok(Self {
            name,
            level,
            cms,
            payer,
            email,
            template,
            sandbox: input.sandbox,
        })
    }
}

/// The keys a new client account is written under.
struct ClientAccountKeys {
    account: String,
    user: String,
    grant: String,
}

/// Creates a client account with a free trial, blank or copied from a template, in one
/// transaction; the agency holds an Active grant with the Admin role; the login email gets a
/// link to set a password.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn create_account(
    services: &Services,
    actor: &Actor,
    input: NewClientAccount,
) -> Result<AccountId, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_ADD)?;
    actor.require_home_account()?;
    let plan = ClientAccountPlan::try_from(input)?;
    let template = match &plan.template {
        Some(id) => {
            let template = crate::templates::service::usable(services, actor, id).await?;
            let content =
                crate::templates::service::read_content(&services.db, &template.content_account).await?;
            Some((template.name, content))
        }
        None => None,
    };
    // Nobody knows this password: the owner sets one through the emailed link.
    let unusable = identity::hash_password(
        &crate::core::domain::Password::parse_new(&(db::new_key() + &db::new_key()), "")
            .map_err(|e| ServiceError::Internal(e.0))?,
    )
    .await?;
    let keys = ClientAccountKeys {
        account: db::new_key(),
        user: db::new_key(),
        grant: db::new_key() + &db::new_key(),
    };
    let nonce = crate::core::services::random_hex(16);
    let password_token = set_password_token(services, &keys.grant, &nonce);
    let mut tx = Tx::new();
    write_client_account(
        &mut tx,
        services,
        actor,
        &plan,
        &keys,
        unusable,
        template.as_ref().map(|(_, c)| c),
    );
    identity::add_password_link(
        &mut tx,
        &keys.user,
        &token_hash(&password_token),
        PASSWORD_LINK_TTL_SECS,
        Some((&keys.grant, &nonce)),
    );
    tx.event(
        Event::new(
            EventType::ManagedAccountCreated,
            serde_json::json!({
                "managed_account": {
                    "id": keys.account,
                    "name": plan.name.as_str(),
                    "grant_id": keys.grant,
                    "login_email": plan.email.as_str(),
                    "level": plan.level.key,
                    "cms_plan": plan.cms.key,
                    "paid_by": plan.payer.key(),
                    "template": template.as_ref().map(|(name, _)| name.as_str()),
                    "sandbox": plan.sandbox,
                }
            }),
        )
        .to(Some(&actor.account_id)),
    );
    report_client_account(
        &mut tx,
        services,
        actor,
        &plan,
        &keys.account,
        template.as_ref().map(|(name, _)| name.as_str()),
        &password_token,
    );
    services
        .commit(tx)
        .await
        .map_err(|e| ServiceError::unique(e, "user_email", "login_email", "User already exists."))?;
    Ok(keys.account.into())
}

/// Adds to `tx` the account with its admin, its billing, the template's content and the agency's
/// Active grant with the Admin role.
fn write_client_account(
    tx: &mut Tx,
    services: &Services,
    actor: &Actor,
    plan: &ClientAccountPlan,
    keys: &ClientAccountKeys,
    password_hash: String,
    content: Option<&std::sync::Arc<crate::templates::service::Content>>,
) {
    let name = plan.name.as_str().to_string();
    accounts::create_account_with_admin(
        tx,
        accounts::NewAccount {
            account_key: keys.account.clone(),
            name: name.clone(),
            user_key: keys.user.clone(),
            email: plan.email.to_string(),
            first_name: name,
            last_name: "Owner".into(),
            password_hash,
            trial_secs: services.settings.trial_secs,
        },
    );
    if let Some(content) = content {
        crate::templates::service::copy_content(tx, content, &keys.account);
    }
    // After the template's settings: the account is billed in the agency's currency.
    let (discount, commission) = plan.payer.terms();
    store::set_billing(
        tx,
        &keys.account,
        store::Billing {
            level: plan.level.key,
            cms_plan: plan.cms.key,
            paid_by: plan.payer.key(),
            discount_percent: discount,
            commission_percent: commission,
            agency_key: &actor.account_id,
            sandbox: plan.sandbox,
            currency: actor.currency,
        },
    );
    crate::grants::agency::add_active_grant(
        tx,
        &keys.grant,
        &keys.account,
        &actor.account_id,
        &actor.email,
        &accounts::default_role_key(&keys.account, DefaultRole::Admin),
    );
}

/// Adds to `tx` the audit entries of both accounts and the owner's set-password email.
fn report_client_account(
    tx: &mut Tx,
    services: &Services,
    actor: &Actor,
    plan: &ClientAccountPlan,
    account_key: &str,
    template_name: Option<&str>,
    password_token: &str,
) {
    let name = plan.name.as_str();
    let (discount, commission) = plan.payer.terms();
    let terms = match plan.payer {
        Payer::Agency => format!("{} pays for it, with a {discount}% discount", actor.account_name),
        Payer::Client => format!(
            "the client pays for it; {} earns a {commission}% commission",
            actor.account_name
        ),
    };
    tx.audit(actor.audit(
        "account.created_for_client",
        format!("Created the account {name} ({terms})"),
    ));
    tx.audit(AuditEntry {
        account: db::rid("account", account_key),
        actor_user: Some(db::rid("user", &actor.user_id)),
        actor_name: actor.display_name(),
        via_account: Some(db::rid("account", &actor.account_id)),
        action: "account.created".into(),
        detail: format!(
            "{} created this account{}: {} level, {}, {terms}, free trial until {}{}",
            actor.account_name,
            template_name
                .map(|t| format!(" from the template {t}"))
                .unwrap_or_default(),
            plan.level.label,
            plan.cms.label,
            (chrono::Utc::now() + chrono::Duration::seconds(services.settings.trial_secs)).format("%Y-%m-%d"),
            if plan.sandbox { ", sandbox" } else { "" }
        ),
    });
    tx.mail(Mail {
        to: plan.email.to_string(),
        subject: format!("Your Steward account {name} is ready"),
        body: format!(
            "{} created the Steward account {name} for you. Set your password with the link below (it works for 7 days); your login is {}.\n",
            actor.account_name, plan.email
        ),
        link: Some(services.link(&format!("/set-password/{password_token}"))),
    });
}

/// How long a new client account's set-password link works.
pub const PASSWORD_LINK_TTL_SECS: i64 = 7 * 24 * 3600;

/// The token of a new client account's set-password link: derived from the server secret, the
/// agency's grant and a nonce kept on the grant, so the agency's list can show the link again
/// (as invitation links) while only the token's hash is stored.
fn set_password_token(services: &Services, grant_key: &str, nonce: &str) -> String {
    services.derived_token("set-password", grant_key, nonce)
}

/// Sends a client account's owner a new set-password link; the old one stops working. Only
/// while the owner has not set a password, by the agency that created the account.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id))]
pub async fn resend_password_link(
    services: &Services,
    actor: &Actor,
    grant_id: &GrantId,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_ADD)?;
    actor.require_home_account()?;
    let row = crate::grants::agency::own_grant(services, actor, grant_id).await?;
    let owner_email = row.owner_email.clone().unwrap_or_default();
    let owner = match store::password_link_nonce(&services.db, &row.id).await? {
        Some(_) => accounts::find_login(&services.db, &owner_email).await?,
        None => None,
    };
    let Some(owner) = owner else {
        return Err(ManagedRefusal::PasswordAlreadySet(row.client_name).into());
    };
    let nonce = crate::core::services::random_hex(16);
    let token = set_password_token(services, &row.id, &nonce);
    let mut tx = Tx::new();
    crate::core::quota::take_outside_email(services, &mut tx, &actor.account_id, "id").await?;
    identity::add_password_link(
        &mut tx,
        &owner.id,
        &token_hash(&token),
        PASSWORD_LINK_TTL_SECS,
        Some((&row.id, &nonce)),
    );
    tx.audit(actor.audit(
        "client.password_link_resent",
        format!(
            "Sent {owner_email} a new link to set the password of {}",
            row.client_name
        ),
    ));
    tx.mail(Mail {
        to: owner_email.clone(),
        subject: format!("Your {} account on Steward: set your password", row.client_name),
        body: format!(
            "Hello,\n\n{} sent you a new link to set the password of your Steward account {}.\n\
             Earlier links no longer work. This one works once, for 7 days.",
            actor.account_name, row.client_name
        ),
        link: Some(services.link(&format!("/set-password/{token}"))),
    });
    services.commit(tx).await?;
    Ok(())
}

/// Sets the password of the user a set-password link was made for; the link then stops working.
#[tracing::instrument(skip_all)]
pub async fn set_password(services: &Services, token: &str, password: &str) -> Result<(), ServiceError> {
    if identity::set_password_from_link(services, token, password).await? {
        Ok(())
    } else {
        Err(ManagedRefusal::PasswordLinkUsed.into())
    }
}
