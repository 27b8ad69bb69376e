//! The agency's side of a grant: asking an owner for access, the owner's answer to that request,
//! and unlinking. Managed accounts builds on these; the owner's side is in `service.rs`.
use super::refusal::GrantRefusal;
use super::service::{grant_event, link_for, new_link, token_hash};
use super::state::{GrantEvent, GrantState, Initiator};
use super::store::{self, ChangeExtras};
use crate::core::accounts;
use crate::core::actor::OwnerOnly;
use crate::core::db::{self, AuditEntry, Event, Mail, Tx};
use crate::core::domain::events::EventType;
use crate::core::domain::{DefaultRole, Email, Invalid, Permission};
use crate::core::ids::GrantId;
use crate::core::services::{Actor, FieldErrors, ServiceError, Services};
use crate::grants::model::{AccessRequestView, LinkOutcome, NextPage};

/// "Add an account to manage": asks the owner of the account behind `client_email`.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn request_access(
    services: &Services,
    actor: &Actor,
    client_email: &str,
    role_key: &str,
) -> Result<GrantId, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_ADD)?;
    actor.require_home_account()?;
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
    // An unknown email, or an account that refuses requests, answers as a known one does: the
    // request is kept (Pending, then Expired) but mailed to nobody. Only the agency's own
    // account is refused, which tells it nothing new.
    let client = accounts::account_of_email(&services.db, email.as_str()).await?;
    if client.as_ref().is_some_and(|c| c.account == actor.account_id) {
        return Err(ServiceError::field("client_email", "That is your own account."));
    }
    let client = client.filter(|c| c.allow_manager_requests);
    let grant_key = db::new_key() + &db::new_key();
    let (nonce, token, hash) = new_link(services, &grant_key);
    let mut tx = Tx::new();
    crate::core::quota::take_outside_email(services, &mut tx, &actor.account_id, "client_email").await?;
    store::create_request(
        &mut tx,
        store::NewRequest {
            grant_key: grant_key.clone(),
            to: match &client {
                Some(c) => store::RequestTo::Account {
                    client_key: c.account.clone(),
                    role_key: accounts::default_role_key(&c.account, role).into(),
                },
                None => store::RequestTo::Nobody {
                    role_name: role.name().into(),
                },
            },
            agency_key: actor.account_id.to_string(),
            requester_email: actor.email.clone(),
            requested_email: email.as_str().to_string(),
            token_nonce: nonce,
            token_hash: hash,
            token_ttl_secs: services.settings.invitation_ttl_secs,
            requested_by: actor.user_id.to_string(),
        },
    );
    tx.audit(actor.audit(
        "grant.requested",
        format!(
            "Asked to manage the account of {} with the role {}",
            email,
            role.name()
        ),
    ));
    // The agency is shown only the email it typed, whether an account answers to it or not.
    tx.event(
        Event::new(
            EventType::GrantRequested,
            serde_json::json!({
                "grant": {
                    "id": grant_key,
                    "state": GrantState::Pending.key(),
                    "initiator": Initiator::Agency.key(),
                    "role": role.name(),
                    "manager_email": actor.email,
                    "client_account": null,
                    "requested_email": email.as_str(),
                    "agency_account": { "id": actor.account_id.to_string(), "name": actor.account_name },
                }
            }),
        )
        .to(Some(&actor.account_id))
        .to(client.as_ref().map(|c| c.account.as_str())),
    );
    if let Some(client) = &client {
        tell_the_owner(&mut tx, services, actor, client, role.name(), &token, false);
    }
    services.commit(tx).await.map_err(|e| {
        ServiceError::unique(
            e,
            "grant_live_key",
            "client_email",
            "You already manage or asked to manage this account.",
        )
    })?;
    Ok(grant_key.into())
}

/// The agency sends its pending or expired request again ("Resend request"): a new link to the
/// owner (the old one stops working), and the request is Pending again. A request that goes to
/// no account, or to one that no longer accepts requests, is renewed but mailed to nobody, as
/// when it was first sent.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id))]
pub async fn resend_request(
    services: &Services,
    actor: &Actor,
    grant_id: &GrantId,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_UPDATE)?;
    actor.require_home_account()?;
    let row = own_grant(services, actor, grant_id).await?;
    if row.initiator != Initiator::Agency {
        return Err(ServiceError::Conflict(
            "This is the owner's invitation: only they can send it again.".into(),
        ));
    }
    let to = row.state.apply(GrantEvent::Resend, row.initiator)?;
    let client = match &row.requested_email {
        Some(email) => accounts::account_of_email(&services.db, email)
            .await?
            .filter(|c| {
                c.allow_manager_requests && row.client_account.as_deref() == Some(c.account.as_str())
            }),
        None => None,
    };
    let (nonce, token, hash) = new_link(services, &row.id);
    let mut tx = Tx::new();
    crate::core::quota::take_outside_email(services, &mut tx, &actor.account_id, "client_email").await?;
    store::change_state(
        &mut tx,
        &row.id,
        row.state,
        to,
        ChangeExtras {
            new_token: Some((nonce, hash, services.settings.invitation_ttl_secs)),
            ..ChangeExtras::default()
        },
    );
    tx.audit(actor.audit(
        "grant.resent",
        format!("Sent the request to manage {} again", row.client_for_agency()),
    ));
    if let Some(client) = &client {
        tell_the_owner(&mut tx, services, actor, client, &row.role_name, &token, true);
    }
    match services.commit(tx).await {
        Ok(()) => Ok(()),
        Err(e) if store::is_changed_meanwhile(&e) => Err(GrantRefusal::RequestChangedMeanwhile.into()),
        Err(e) => Err(e.into()),
    }
}

/// Adds to `tx` what an agency's request (`again`: sent anew) tells the client account: an entry
/// in its audit log and, when it has an owner to write to, the email with the link to answer.
fn tell_the_owner(
    tx: &mut Tx,
    services: &Services,
    actor: &Actor,
    client: &accounts::AccountOfEmail,
    role_name: &str,
    token: &str,
    again: bool,
) {
    let (action, asks) = if again {
        ("grant.resent", "asked again")
    } else {
        ("grant.requested", "asked")
    };
    tx.audit(AuditEntry {
        account: db::rid("account", &client.account),
        actor_user: Some(db::rid("user", &actor.user_id)),
        actor_name: actor.display_name(),
        via_account: Some(db::rid("account", &actor.account_id)),
        action: action.into(),
        detail: format!(
            "{} {asks} to manage this account with the role {role_name}",
            actor.account_name
        ),
    });
    if let Some(owner) = &client.owner_email {
        let (verb, earlier) = if again {
            ("asks again", " An earlier link for this request no longer works.")
        } else {
            ("asks", "")
        };
        tx.mail(Mail {
            to: owner.clone(),
            subject: format!("{} asks to manage your Steward account", actor.account_name),
            body: format!(
                "{} {} of {} {verb} to manage your account {} with the role {role_name}.\nOpen the link to grant or deny access.{earlier}\n",
                actor.first_name, actor.last_name, actor.account_name, client.name
            ),
            link: Some(link_for(services, Initiator::Agency, token)),
        });
    }
}

/// What the owner's link shows.
#[tracing::instrument(skip_all)]
pub async fn view_request(
    services: &Services,
    actor: Option<&Actor>,
    token: &str,
) -> Result<AccessRequestView, ServiceError> {
    let row = store::get_by_token_hash(&services.db, &token_hash(token))
        .await?
        .filter(|r| r.initiator == Initiator::Agency)
        .ok_or(GrantRefusal::RequestGone)?;
    let state = row.effective_state();
    // The link is the agency's too (its list shows it): only an admin of the account learns
    // which account it is; anyone else sees the email the agency typed (issue 15).
    let admin = actor.is_some_and(|a| {
        row.client_account.as_deref() == Some(a.account_id.as_str()) && a.can(Permission::MANAGE_USERS)
    });
    let account = if admin {
        row.client_name.clone()
    } else {
        row.requested_email
            .clone()
            .unwrap_or_else(|| row.client_for_agency())
    };
    let answered = |message: &str| {
        Some(LinkOutcome::Answered {
            message: message.into(),
            next: NextPage::AccountManagers,
        })
    };
    let outcome = match actor {
        Some(_) if !admin => Some(LinkOutcome::Blocked(format!(
            "Only an admin of the account of {account} can answer this request. Log in with that account."
        ))),
        _ => match state {
            GrantState::Pending => None,
            GrantState::Active => answered("Access was granted."),
            GrantState::Denied => answered("This request was denied."),
            GrantState::Expired => Some(LinkOutcome::Blocked("This request has expired.".into())),
            other => Some(LinkOutcome::Blocked(format!(
                "This request is {}.",
                other.label().to_lowercase()
            ))),
        },
    };
    Ok(AccessRequestView {
        agency: row.managing_name.unwrap_or_default(),
        requester: row.manager_email,
        client_account: account,
        role_name: row.role_name,
        status: state.label().into(),
        outcome,
        needs_login: actor.is_none(),
    })
}

/// The owner grants (`true`) or denies (`false`) an agency's request; the requester is emailed.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn decide_request(
    services: &Services,
    actor: &Actor,
    token: &str,
    grant: bool,
) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::Grants)?;
    let row = store::get_by_token_hash(&services.db, &token_hash(token))
        .await?
        .filter(|r| {
            r.initiator == Initiator::Agency && r.client_account.as_deref() == Some(actor.account_id.as_str())
        })
        .ok_or(GrantRefusal::RequestGone)?;
    decide(services, actor, &row, grant).await
}

/// Grant or deny a pending agency request of the account acted in (from the link or the list).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn decide(
    services: &Services,
    actor: &Actor,
    row: &store::GrantRow,
    grant: bool,
) -> Result<(), ServiceError> {
    // The initiator is the grant's own: an owner's invitation is answered by the invited manager only.
    let from = row.state;
    if from == GrantState::Pending && row.token_expired {
        return Err(GrantRefusal::RequestExpired.into());
    }
    let event = if grant {
        GrantEvent::Approve
    } else {
        GrantEvent::Deny
    };
    let to = from.apply(event, row.initiator)?;
    let mut tx = Tx::new();
    store::change_state(
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
    tx.event(grant_event(
        if grant {
            EventType::GrantGranted
        } else {
            EventType::GrantDenied
        },
        row,
        to,
    ));
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
        subject: format!("Your request to manage {} was {verb}", row.client_for_agency()),
        body: format!(
            "{} {verb} your request to manage the account {}.\n",
            actor.email,
            if grant {
                row.client_name.clone()
            } else {
                row.client_for_agency()
            }
        ),
        link: Some(services.link("/managed-accounts")),
    });
    match services.commit(tx).await {
        Ok(()) => Ok(()),
        Err(e) if store::is_changed_meanwhile(&e) => Err(GrantRefusal::RequestChangedMeanwhile.into()),
        Err(e) => Err(e.into()),
    }
}

/// A grant of the acting agency, by id.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id))]
pub async fn own_grant(
    services: &Services,
    actor: &Actor,
    grant_id: &GrantId,
) -> Result<store::GrantRow, ServiceError> {
    store::get_for_manager(&services.db, &actor.account_id, grant_id)
        .await?
        .ok_or_else(|| GrantRefusal::NotInYourList.into())
}

/// Removes a managed account from the list (both sides); the owner is emailed.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id))]
pub async fn unlink(services: &Services, actor: &Actor, grant_id: &GrantId) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_UPDATE)?;
    actor.require_home_account()?;
    let row = own_grant(services, actor, grant_id).await?;
    let mut tx = Tx::new();
    if let Some(client) = &row.client_account {
        crate::billing::store::refuse_if_agency_pays(&mut tx, client, &actor.account_id);
    }
    store::delete_for_agency(&mut tx, &actor.account_id, &row.id);
    tx.audit(actor.audit(
        "grant.unlinked",
        format!("Stopped managing {}", row.client_for_agency()),
    ));
    tx.event(grant_event(EventType::ManagedAccountUnlinked, &row, row.state));
    // A request that went to no account has no owner to tell.
    if let Some(client) = &row.client_account {
        tx.audit(AuditEntry {
            account: db::rid("account", client),
            actor_user: Some(db::rid("user", &actor.user_id)),
            actor_name: actor.display_name(),
            via_account: Some(db::rid("account", &actor.account_id)),
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
    }
    match services.commit(tx).await {
        Ok(()) => Ok(()),
        Err(e) if store::is_changed_meanwhile(&e) => Err(GrantRefusal::NotInYourList.into()),
        Err(e) if crate::billing::store::is_agency_paying(&e) => {
            Err(crate::billing::service::BillingRefusal::AgencyStillPays(row.client_name.clone()).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds to `tx` the agency's Active grant with the Admin role on a client account it creates in
/// the same transaction.
pub fn add_active_grant(
    tx: &mut Tx,
    grant_key: &str,
    client_key: &str,
    agency_key: &str,
    email: &str,
    role_key: &str,
) {
    store::create_active_grant(tx, grant_key, client_key, agency_key, email, role_key);
}
