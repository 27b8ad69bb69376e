//! Managed accounts, the agency's side of grants: request access, create client accounts,
//! unlink, log in to a client account and back; and the owner's answer to a request.
use super::grants::{invitation_token, link_for, new_link, token_hash};
use super::identity::{self, SessionToken};
use super::{Actor, FieldErrors, ServiceError, Services};
use crate::domain::plans::{self, Payer};
use crate::domain::{
    AccountName, DefaultRole, Email, GrantEvent, GrantState, Initiator, Invalid, Permission,
};
use crate::model::{AccessRequestView, ManagedAccountRow, ManagedAccountsPage};
use crate::store::grants::{self as grant_store, ChangeExtras};
use crate::store::{self, accounts, managed, AuditEntry, Mail, StoreError, Tx};

pub const PAGE_SIZE: i64 = 25;

fn not_here(actor: &Actor) -> Result<(), ServiceError> {
    if actor.managing.is_some() {
        return Err(ServiceError::Conflict(
            "You are logged in to a managed account: go back to your account first.".into(),
        ));
    }
    Ok(())
}

/// The agency's list: search by name or owner email, sort by a column, one page at a time.
pub async fn list(
    services: &Services,
    actor: &Actor,
    search: &str,
    sort: &str,
    descending: bool,
    page: i64,
) -> Result<ManagedAccountsPage, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_VIEW)?;
    let page = page.max(0);
    let (rows, total) = managed::page(
        &services.db,
        &actor.account_id,
        search,
        sort,
        descending,
        page * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let state = GrantState::from_key(&r.state).unwrap_or(GrantState::Expired);
            let state = if state == GrantState::Pending && r.token_expired {
                GrantState::Expired
            } else {
                state
            };
            let invitation_link = match (state, &r.token_nonce) {
                (GrantState::Pending, Some(nonce)) => Some(link_for(
                    services,
                    &r.initiated_by,
                    &invitation_token(services, &r.id, nonce),
                )),
                _ => None,
            };
            ManagedAccountRow {
                id: r.id,
                name: r.client_name.unwrap_or_default(),
                owner_email: r.owner_email.unwrap_or_default(),
                role_name: r.role_name.unwrap_or_default(),
                access: state.label().into(),
                account_status: if r.account_status.as_deref() == Some("active") {
                    "Active".into()
                } else {
                    "Free trial".into()
                },
                invitation_link,
            }
        })
        .collect();
    Ok(ManagedAccountsPage {
        rows,
        total,
        page,
        page_size: PAGE_SIZE,
        can_add: actor.can(Permission::MANAGED_ACCOUNTS_ADD),
        can_update: actor.can(Permission::MANAGED_ACCOUNTS_UPDATE),
        can_log_in: actor.can(Permission::MANAGED_ACCOUNTS_LOG_IN),
    })
}

/// "Add an account to manage": asks the owner of the account behind `client_email`.
pub async fn request_access(
    services: &Services,
    actor: &Actor,
    client_email: &str,
    role_key: &str,
) -> Result<String, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_ADD)?;
    not_here(actor)?;
    let mut errors = FieldErrors::default();
    let email = errors.check("client_email", Email::parse(client_email));
    let role = errors.check(
        "role",
        DefaultRole::from_key(role_key).ok_or_else(|| Invalid("Choose a role.".into())),
    );
    errors.finish()?;
    let (Some(email), Some(role)) = (email, role) else {
        return Err(ServiceError::Internal("validated fields missing".into()));
    };
    let Some(client) = managed::account_of_email(&services.db, email.as_str()).await? else {
        return Err(ServiceError::field(
            "client_email",
            "No Steward account uses this email.",
        ));
    };
    if client.account == actor.account_id {
        return Err(ServiceError::field("client_email", "That is your own account."));
    }
    if !client.allow_manager_requests {
        return Err(ServiceError::field(
            "client_email",
            "This account does not accept account manager requests. Ask its owner to invite you.",
        ));
    }
    let grant_key = store::new_key() + &store::new_key();
    let (nonce, token, hash) = new_link(services, &grant_key);
    let mut tx = Tx::new();
    managed::create_request(
        &mut tx,
        managed::NewRequest {
            grant_key: grant_key.clone(),
            client_key: client.account.clone(),
            agency_key: actor.account_id.clone(),
            requester_email: actor.email.clone(),
            role_key: accounts::default_role_key(&client.account, role),
            token_nonce: nonce,
            token_hash: hash,
            token_ttl_secs: services.settings.invitation_ttl_secs,
            requested_by: actor.user_id.clone(),
        },
    );
    tx.audit(actor.audit(
        "grant.requested",
        format!("Asked to manage {} with the role {}", client.name, role.name()),
    ));
    tx.audit(AuditEntry {
        account: store::rid("account", &client.account),
        actor_user: Some(store::rid("user", &actor.user_id)),
        actor_name: actor.display_name(),
        via_account: Some(store::rid("account", &actor.account_id)),
        action: "grant.requested".into(),
        detail: format!(
            "{} asked to manage this account with the role {}",
            actor.account_name,
            role.name()
        ),
    });
    if let Some(owner) = &client.owner_email {
        tx.mail(Mail {
            to: owner.clone(),
            subject: format!("{} asks to manage your Steward account", actor.account_name),
            body: format!(
                "{} {} of {} asks to manage your account {} with the role {}.\nOpen the link to grant or deny access.\n",
                actor.first_name, actor.last_name, actor.account_name, client.name, role.name()
            ),
            link: Some(link_for(services, "agency", &token)),
        });
    }
    match tx.commit(&services.db).await {
        Ok(_) => {}
        Err(StoreError::Duplicate(index)) if index == "grant_live_key" => {
            return Err(ServiceError::field(
                "client_email",
                "You already manage or asked to manage this account.",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    services.outbox_wakeup.notify_one();
    Ok(grant_key)
}

const REQUEST_GONE: &str = "This request no longer exists.";

/// What the owner's link shows.
pub async fn view_request(
    services: &Services,
    actor: Option<&Actor>,
    token: &str,
) -> Result<AccessRequestView, ServiceError> {
    let row = grant_store::get_by_token_hash(&services.db, &token_hash(token))
        .await?
        .filter(|r| r.initiated_by == "agency")
        .ok_or_else(|| ServiceError::NotFound(REQUEST_GONE.into()))?;
    let mut state = GrantState::from_key(&row.state).unwrap_or(GrantState::Expired);
    if state == GrantState::Pending && row.token_expired {
        state = GrantState::Expired;
    }
    let blocked = match actor {
        Some(a) if a.account_id != row.client_account || !a.can(Permission::MANAGE_USERS) => Some(format!(
            "Only an admin of {} can answer this request. Log in with that account.",
            row.client_name
        )),
        _ if state != GrantState::Pending => Some(match state {
            GrantState::Active => "Access was granted.".to_string(),
            GrantState::Denied => "This request was denied.".to_string(),
            GrantState::Expired => "This request has expired.".to_string(),
            other => format!("This request is {}.", other.label().to_lowercase()),
        }),
        _ => None,
    };
    Ok(AccessRequestView {
        agency: row.managing_name.unwrap_or_default(),
        requester: row.manager_email,
        client_account: row.client_name,
        role_name: row.role_name,
        status: state.label().into(),
        blocked,
        needs_login: actor.is_none(),
    })
}

/// The owner grants (`true`) or denies (`false`) an agency's request; the requester is emailed.
pub async fn decide_request(
    services: &Services,
    actor: &Actor,
    token: &str,
    grant: bool,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGE_USERS)?;
    let row = grant_store::get_by_token_hash(&services.db, &token_hash(token))
        .await?
        .filter(|r| r.initiated_by == "agency" && r.client_account == actor.account_id)
        .ok_or_else(|| ServiceError::NotFound(REQUEST_GONE.into()))?;
    decide(services, actor, &row, grant).await
}

/// Grant or deny a pending agency request of the account acted in (from the link or the list).
pub async fn decide(
    services: &Services,
    actor: &Actor,
    row: &grant_store::GrantRow,
    grant: bool,
) -> Result<(), ServiceError> {
    let from = GrantState::from_key(&row.state).unwrap_or(GrantState::Expired);
    if from == GrantState::Pending && row.token_expired {
        return Err(ServiceError::Conflict("This request has expired.".into()));
    }
    let event = if grant {
        GrantEvent::Approve
    } else {
        GrantEvent::Deny
    };
    let to = from
        .apply(event, Initiator::Agency)
        .map_err(|r| ServiceError::Conflict(r.0))?;
    let mut tx = Tx::new();
    grant_store::change_state(
        &mut tx,
        &row.id,
        from,
        to,
        ChangeExtras {
            release_live_key: !grant,
            ..ChangeExtras::default()
        },
    );
    let verb = if grant { "granted" } else { "denied" };
    tx.audit(actor.audit(
        &format!("grant.request_{verb}"),
        format!(
            "{} the request of {}",
            if grant { "Granted" } else { "Denied" },
            row.manager_email
        ),
    ));
    tx.mail(Mail {
        to: row.manager_email.clone(),
        subject: format!("Your request to manage {} was {verb}", row.client_name),
        body: format!(
            "{} {verb} your request to manage the account {}.\n",
            actor.email, row.client_name
        ),
        link: Some(services.link("/managed-accounts")),
    });
    match tx.commit(&services.db).await {
        Ok(_) => {
            services.outbox_wakeup.notify_one();
            Ok(())
        }
        Err(e) if grant_store::is_changed_meanwhile(&e) => {
            Err(ServiceError::Conflict("This request changed meanwhile.".into()))
        }
        Err(e) => Err(e.into()),
    }
}

async fn own_grant(
    services: &Services,
    actor: &Actor,
    grant_id: &str,
) -> Result<grant_store::GrantRow, ServiceError> {
    grant_store::get_for_manager(&services.db, &actor.account_id, grant_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound("This managed account is no longer in your list.".into()))
}

/// Removes a managed account from the list (both sides); the owner is emailed.
pub async fn unlink(services: &Services, actor: &Actor, grant_id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_UPDATE)?;
    not_here(actor)?;
    let row = own_grant(services, actor, grant_id).await?;
    let mut tx = Tx::new();
    grant_store::delete(&mut tx, &row.client_account, &row.id);
    tx.audit(actor.audit("grant.unlinked", format!("Stopped managing {}", row.client_name)));
    tx.audit(AuditEntry {
        account: store::rid("account", &row.client_account),
        actor_user: Some(store::rid("user", &actor.user_id)),
        actor_name: actor.display_name(),
        via_account: Some(store::rid("account", &actor.account_id)),
        action: "grant.unlinked".into(),
        detail: format!("{} stopped managing this account", actor.account_name),
    });
    if let Some(owner) = &row.owner_email {
        tx.mail(Mail {
            to: owner.clone(),
            subject: format!("{} no longer manages your account", actor.account_name),
            body: format!(
                "{} removed the link to your account {}.\n",
                actor.account_name, row.client_name
            ),
            link: None,
        });
    }
    match tx.commit(&services.db).await {
        Ok(_) => {
            services.outbox_wakeup.notify_one();
            Ok(())
        }
        Err(e) if grant_store::is_changed_meanwhile(&e) => Err(ServiceError::NotFound(
            "This managed account is no longer in your list.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// "Log in": a new session acting in the client account with the grant's role.
pub async fn log_in_to(
    services: &Services,
    actor: &Actor,
    token: &SessionToken,
    grant_id: &str,
) -> Result<SessionToken, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_LOG_IN)?;
    not_here(actor)?;
    let row = own_grant(services, actor, grant_id).await?;
    if row.state != GrantState::Active.key() {
        return Err(ServiceError::Conflict(format!(
            "Access to {} is not active.",
            row.client_name
        )));
    }
    let mut tx = Tx::new();
    tx.audit(AuditEntry {
        account: store::rid("account", &row.client_account),
        actor_user: Some(store::rid("user", &actor.user_id)),
        actor_name: format!(
            "manager {} of agency {}",
            actor.display_name(),
            actor.account_name
        ),
        via_account: Some(store::rid("account", &actor.account_id)),
        action: "manager.logged_in".into(),
        detail: format!("Logged in with the role {}", row.role_name),
    });
    if managed::login_notify(&services.db, &row.client_account).await? == "each_time" {
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
    let new = identity::switch_session(
        services,
        token,
        &actor.user_id,
        &row.client_account,
        Some(&row.id),
        tx,
    )
    .await?;
    services.outbox_wakeup.notify_one();
    Ok(new)
}

/// "Back to my account": a new session at home.
pub async fn back_home(
    services: &Services,
    actor: &Actor,
    token: &SessionToken,
) -> Result<SessionToken, ServiceError> {
    identity::switch_session(
        services,
        token,
        &actor.user_id,
        &actor.home_account_id,
        None,
        Tx::new(),
    )
    .await
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

/// Creates a client account with a free trial, blank or copied from a template, in one
/// transaction; the agency holds an Active grant with the Admin role; the login email gets a
/// link to set a password.
pub async fn create_account(
    services: &Services,
    actor: &Actor,
    input: NewClientAccount,
) -> Result<String, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_ADD)?;
    not_here(actor)?;
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
    let from_template = match input.data.as_str() {
        "template" => true,
        "blank" | "" => false,
        _ => {
            errors.check::<()>("data", Err(Invalid("Choose Blank or Template.".into())));
            false
        }
    };
    if from_template && input.template.is_empty() {
        errors.check::<()>("template", Err(Invalid("Choose a template.".into())));
    }
    errors.finish()?;
    let template = if from_template {
        let template = super::templates::usable(services, actor, &input.template).await?;
        let content = crate::store::templates::read_content(&services.db, &template.content_account).await?;
        Some((template, content))
    } else {
        None
    };
    let (Some(name), Some(level), Some(cms), Some(payer), Some(email)) = (name, level, cms, payer, email)
    else {
        return Err(ServiceError::Internal("validated fields missing".into()));
    };
    let account_key = store::new_key();
    let user_key = store::new_key();
    let name = name.into_string();
    // Nobody knows this password: the owner sets one through the emailed link.
    let unusable = identity::hash_password(
        &crate::domain::Password::parse_new(&(store::new_key() + &store::new_key()), "")
            .map_err(|e| ServiceError::Internal(e.0))?,
    )
    .await?;
    let mut tx = Tx::new();
    accounts::create_account_with_admin(
        &mut tx,
        accounts::NewAccount {
            account_key: account_key.clone(),
            name: name.clone(),
            user_key: user_key.clone(),
            email: email.to_string(),
            first_name: name.clone(),
            last_name: "Owner".into(),
            password_hash: unusable,
        },
    );
    let (discount, commission) = payer.terms();
    managed::set_billing(
        &mut tx,
        &account_key,
        managed::Billing {
            level: level.key,
            cms_plan: cms.key,
            paid_by: payer.key(),
            discount_percent: discount,
            commission_percent: commission,
            agency_key: &actor.account_id,
            sandbox: input.sandbox,
        },
    );
    if let Some((_, content)) = &template {
        crate::store::templates::copy_content(&mut tx, content, &account_key);
    }
    let grant_key = store::new_key() + &store::new_key();
    managed::create_active_grant(
        &mut tx,
        &grant_key,
        &account_key,
        &actor.account_id,
        &actor.email,
        &accounts::default_role_key(&account_key, DefaultRole::Admin),
    );
    let password_token = SessionToken::new_random();
    managed::create_password_token(&mut tx, &user_key, &password_token.hash(), 7 * 24 * 3600);
    let terms = match payer {
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
        account: store::rid("account", &account_key),
        actor_user: Some(store::rid("user", &actor.user_id)),
        actor_name: actor.display_name(),
        via_account: Some(store::rid("account", &actor.account_id)),
        action: "account.created".into(),
        detail: format!(
            "{} created this account{}: {} level, {}, {terms}, {}-day free trial{}",
            actor.account_name,
            template
                .as_ref()
                .map(|(t, _)| format!(" from the template {}", t.name))
                .unwrap_or_default(),
            level.label,
            cms.label,
            plans::TRIAL_DAYS,
            if input.sandbox { ", sandbox" } else { "" }
        ),
    });
    tx.mail(Mail {
        to: email.to_string(),
        subject: format!("Your Steward account {name} is ready"),
        body: format!(
            "{} created the Steward account {name} for you. Set your password with the link below (it works for 7 days); your login is {email}.\n",
            actor.account_name
        ),
        link: Some(services.link(&format!("/set-password/{}", password_token.expose()))),
    });
    match tx.commit(&services.db).await {
        Ok(_) => {}
        Err(StoreError::Duplicate(index)) if index == "user_email" => {
            return Err(ServiceError::field("login_email", "User already exists."));
        }
        Err(e) => return Err(e.into()),
    }
    services.outbox_wakeup.notify_one();
    Ok(account_key)
}

/// Sets the password of the user a set-password link was made for; the link then stops working.
pub async fn set_password(services: &Services, token: &str, password: &str) -> Result<(), ServiceError> {
    let password =
        crate::domain::Password::parse_new(password, "").map_err(|e| ServiceError::field("password", e.0))?;
    let hash = identity::hash_password(&password).await?;
    if managed::use_password_token(&services.db, &token_hash(token), &hash).await? {
        Ok(())
    } else {
        Err(ServiceError::NotFound(
            "This link is no longer valid. Ask for a new one.".into(),
        ))
    }
}
