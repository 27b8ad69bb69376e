//! Account managers, the owner's side of grants: invite, resend, revoke, grant again, delete;
//! and the invited manager's answer through the invitation link.

use super::store::{self, ChangeExtras, GrantRow, NewInvitation};
use crate::core::accounts;
use crate::core::actor::OwnerOnly;
use crate::core::db::{self, Event, Mail, Tx};
use crate::core::domain::events::EventType;
use crate::core::domain::{Email, Invalid, Permission};
use crate::core::ids::{GrantId, RoleId};
use crate::core::services::{Actor, FieldErrors, ServiceError, Services};
use crate::grants::model::{
    AccountManagerRow, AccountManagers, InvitationForYou, InvitationView, LinkOutcome, ManagersQuery,
    NextPage, MANAGERS_PAGE_SIZE,
};
use crate::grants::refusal::GrantRefusal;
use crate::grants::state::{GrantEvent, GrantState, Initiator};
use crate::roles::model::RoleOption;

/// The link token for one issue (`nonce`) of a grant's invitation: derived with the server secret,
/// so the owner can copy it again while only its hash is stored.
pub fn invitation_token(services: &Services, grant_key: &str, nonce: &str) -> String {
    services.derived_token("invitation", grant_key, nonce)
}

pub use crate::identity::service::token_hash;

/// A fresh nonce (128 random bits), its token and the token's hash.
pub fn new_link(services: &Services, grant_key: &str) -> (String, String, String) {
    let nonce = crate::core::services::random_hex(16);
    let token = invitation_token(services, grant_key, &nonce);
    let hash = token_hash(&token);
    (nonce, token, hash)
}

fn invitation_url(services: &Services, token: &str) -> String {
    services.link(&format!("/invitations/{token}"))
}

/// The link a pending grant's other side answers: invitations go to managers, requests to owners.
pub fn link_for(services: &Services, initiator: Initiator, token: &str) -> String {
    if initiator == Initiator::Agency {
        services.link(&format!("/requests/{token}"))
    } else {
        invitation_url(services, token)
    }
}

fn ttl_words(services: &Services) -> String {
    let secs = services.settings.invitation_ttl_secs;
    match secs {
        s if s % 86_400 == 0 => format!("{} day{}", s / 86_400, if s == 86_400 { "" } else { "s" }),
        s if s % 3_600 == 0 => format!("{} hour{}", s / 3_600, if s == 3_600 { "" } else { "s" }),
        s => format!("{s} seconds"),
    }
}

/// The email that carries an invitation link to a manager.
fn invitation_mail(
    services: &Services,
    actor: &Actor,
    to: &str,
    account: &str,
    role: &str,
    token: &str,
) -> Mail {
    Mail {
        to: to.to_string(),
        subject: format!("{account} invites you to manage their Steward account"),
        body: format!(
            "{} {} invites you to manage the account {account} with the role {role}.\n\
             Open the link to accept or reject the invitation. It works for {}.\n",
            actor.first_name,
            actor.last_name,
            ttl_words(services)
        ),
        link: Some(invitation_url(services, token)),
    }
}

fn gone() -> ServiceError {
    GrantRefusal::ManagerGone.into()
}

/// Administration → User management → Account managers: the first page, newest first.
pub async fn list(services: &Services, actor: &Actor) -> Result<AccountManagers, ServiceError> {
    list_page(services, actor, &ManagersQuery::default()).await
}

/// One page of Account managers: searched by the start of the manager's email, sorted by a
/// column.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list_page(
    services: &Services,
    actor: &Actor,
    query: &ManagersQuery,
) -> Result<AccountManagers, ServiceError> {
    actor.authorize(Permission::MANAGE_USERS)?;
    let page = query.page.max(0);
    let (rows, total) = store::page_for_client(
        &services.db,
        &actor.account_id,
        crate::core::paging::Window {
            search: &query.search,
            sort: &query.sort,
            descending: query.descending,
            start: page * MANAGERS_PAGE_SIZE,
            limit: MANAGERS_PAGE_SIZE,
        },
    )
    .await?;
    let roles = accounts::roles(&services.db, &actor.account_id).await?;
    let added = crate::users::service::added_through_grants(services, actor).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let state = row.effective_state();
        let invitation_link = match (state, &row.token_nonce) {
            (GrantState::Pending, Some(nonce)) if row.initiator == Initiator::Owner => Some(invitation_url(
                services,
                &invitation_token(services, &row.id, nonce),
            )),
            _ => None,
        };
        out.push(AccountManagerRow {
            manager_email: row.manager_email,
            managing_account: row.managing_name,
            role_id: row.role_id,
            role_name: row.role_name,
            status: state.label().to_string(),
            state,
            invitation_link,
            requested_by_agency: row.initiator == Initiator::Agency,
            access_until_shown: row.access_until.as_deref().map(|d| actor.dates.day_of(d)),
            // The date field of "Edit" takes the day as YYYY-MM-DD.
            access_until: row.access_until.map(|d| d.chars().take(10).collect()),
            created_at: actor.dates.day_of(&row.created_at),
            updated_at: actor.dates.day_of(&row.updated_at),
            added_users: added.get(&row.id).copied().unwrap_or(0),
            id: row.id,
        });
    }
    Ok(AccountManagers {
        rows: out,
        total,
        page,
        page_size: MANAGERS_PAGE_SIZE,
        roles: roles
            .into_iter()
            .map(|r| RoleOption {
                id: r.id,
                name: r.name,
            })
            .collect(),
    })
}

fn parse_access_until(raw: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date = chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| Invalid("Enter a date like 2027-01-31.".into()))?;
    if date <= chrono::Utc::now().date_naive() {
        return Err(Invalid("Choose a date after today.".into()));
    }
    // Access lasts through the chosen day.
    let end = date.and_hms_opt(23, 59, 59).map(|t| t.and_utc());
    Ok(end)
}

/// The role `role_id` of the account acted in; otherwise `None`, with the reason beside the
/// form's role field.
async fn role_of_account(
    services: &Services,
    actor: &Actor,
    role_id: &RoleId,
    errors: &mut FieldErrors,
) -> Result<Option<accounts::RoleRow>, ServiceError> {
    let role = accounts::roles(&services.db, &actor.account_id)
        .await?
        .into_iter()
        .find(|r| r.id == **role_id);
    if role.is_none() {
        errors.check::<()>("role", Err(Invalid("Choose a role of this account.".into())));
    }
    Ok(role)
}

/// Refuses a role that holds more than the actor may give away.
async fn may_hand_out(
    services: &Services,
    actor: &Actor,
    role: &accounts::RoleRow,
) -> Result<(), ServiceError> {
    if let Some(permissions) =
        crate::roles::service::permissions_of(services, &actor.account_id, &role.id.clone().into()).await?
    {
        actor.may_hand_out(&permissions, &format!("The role {}", role.name))?;
    }
    Ok(())
}

/// Invites a manager by email with a role of this account. Returns the grant's id.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, role_id = %role_id))]
pub async fn invite(
    services: &Services,
    actor: &Actor,
    email: &str,
    role_id: &RoleId,
    access_until: &str,
) -> Result<GrantId, ServiceError> {
    actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::Grants)?;
    let mut errors = FieldErrors::default();
    let email = errors.check("email", Email::parse(email));
    let until = errors.check("access_until", parse_access_until(access_until));
    let role = role_of_account(services, actor, role_id, &mut errors).await?;
    errors.finish()?;
    let (Some(email), Some(until), Some(role)) = (email, until, role) else {
        return Err(ServiceError::Internal("validated fields missing".into()));
    };
    may_hand_out(services, actor, &role).await?;
    if accounts::has_member_email(&services.db, &actor.account_id, email.as_str()).await? {
        return Err(ServiceError::field(
            "email",
            "That is a user of this account: you can't invite your own account.",
        ));
    }
    let grant_key = db::new_key() + &db::new_key();
    let (nonce, token, hash) = new_link(services, &grant_key);
    let mut tx = Tx::new();
    crate::core::quota::take_outside_email(services, &mut tx, &actor.account_id, "email").await?;
    store::create_invitation(
        &mut tx,
        NewInvitation {
            grant_key: grant_key.clone(),
            client_key: actor.account_id.to_string(),
            email: email.to_string(),
            role_key: role.id.clone(),
            token_nonce: nonce,
            token_hash: hash,
            token_ttl_secs: services.settings.invitation_ttl_secs,
            access_until: until,
            created_by: actor.user_id.to_string(),
        },
    );
    tx.audit(actor.audit(
        "grant.invited",
        format!("Invited {email} as account manager with the role {}", role.name),
    ));
    tx.event(
        Event::new(
            EventType::GrantInvited,
            serde_json::json!({
                "grant": {
                    "id": grant_key,
                    "state": GrantState::Pending.key(),
                    "initiator": Initiator::Owner.key(),
                    "role": role.name,
                    "manager_email": email.as_str(),
                    "client_account": { "id": actor.account_id.to_string(), "name": actor.account_name },
                    "requested_email": null,
                    "agency_account": null,
                }
            }),
        )
        .to(Some(&actor.account_id)),
    );
    tx.mail(invitation_mail(
        services,
        actor,
        email.as_str(),
        &actor.account_name,
        &role.name,
        &token,
    ));
    services.commit(tx).await.map_err(|e| {
        ServiceError::unique(
            e,
            "grant_live_key",
            "email",
            "This email already has an invitation or access to this account.",
        )
    })?;
    Ok(grant_key.into())
}

pub use super::model::{AddedUsers, OwnerAction};

/// Applies an owner action to a grant of the account acted in, with its audit entry and email.
pub async fn owner_action(
    services: &Services,
    actor: &Actor,
    grant_id: &GrantId,
    action: OwnerAction,
) -> Result<(), ServiceError> {
    owner_action_with(services, actor, grant_id, action, AddedUsers::Keep).await
}

/// `owner_action`; a revoke also removes the users the agency added when the owner says so.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id, action = ?action, added_users = ?added_users))]
pub async fn owner_action_with(
    services: &Services,
    actor: &Actor,
    grant_id: &GrantId,
    action: OwnerAction,
    added_users: AddedUsers,
) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::Grants)?;
    // One retry: if the grant moved meanwhile, the decision is made again on what it is now.
    for _ in 0..2 {
        let row = store::get_for_client(&services.db, &actor.account_id, grant_id)
            .await?
            .ok_or_else(gone)?;
        let change = match action {
            OwnerAction::Revoke => OwnerChange::Revoke,
            OwnerAction::GrantAgain => OwnerChange::GrantAgain,
            OwnerAction::Resend => OwnerChange::Resend,
            OwnerAction::Approve | OwnerAction::Deny => {
                return super::agency::decide(services, actor, &row, action == OwnerAction::Approve).await;
            }
        };
        let to = row.state.apply(change.event(), row.initiator)?;
        let mut tx = owner_change(services, actor, &row, change, to);
        if matches!(change, OwnerChange::Resend) {
            crate::core::quota::take_outside_email(services, &mut tx, &actor.account_id, "email").await?;
        }
        if matches!(change, OwnerChange::Revoke) && added_users == AddedUsers::Remove {
            crate::users::service::remove_added_through(services, actor, &mut tx, grant_id).await?;
        }
        match services.commit(tx).await {
            Ok(()) => return Ok(()),
            Err(e) if store::is_changed_meanwhile(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(GrantRefusal::ManagerChangedMeanwhile.into())
}

/// The owner changes an Active or Pending grant's role and end date ("Edit" on the row). The
/// manager is emailed; a session logged in through the grant acts with the new role from its
/// next request (the grant's change makes it stale, migration 0006).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id, role_id = %role_id))]
pub async fn change_terms(
    services: &Services,
    actor: &Actor,
    grant_id: &GrantId,
    role_id: &RoleId,
    access_until: &str,
) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::Grants)?;
    let mut errors = FieldErrors::default();
    let until = errors.check("access_until", parse_access_until(access_until));
    let role = role_of_account(services, actor, role_id, &mut errors).await?;
    errors.finish()?;
    let (Some(until), Some(role)) = (until, role) else {
        return Err(ServiceError::Internal("validated fields missing".into()));
    };
    may_hand_out(services, actor, &role).await?;
    let row = store::get_for_client(&services.db, &actor.account_id, grant_id)
        .await?
        .ok_or_else(gone)?;
    let state = row.effective_state();
    if !matches!(state, GrantState::Active | GrantState::Pending) {
        return Err(ServiceError::Conflict(
            format!(
                "Only an active or pending account manager can be changed: this one is {}.",
                state.label().to_lowercase()
            )
            .into(),
        ));
    }
    let until_day = until.map(|d| d.format("%Y-%m-%d").to_string());
    let was_until = row
        .access_until
        .as_deref()
        .map(|d| d.chars().take(10).collect::<String>());
    if row.role_id.as_deref() == Some(role.id.as_str()) && was_until == until_day {
        return Ok(());
    }
    let ends = until_day
        .clone()
        .map_or_else(|| "no end date".to_string(), |d| format!("access until {d}"));
    let mut tx = Tx::new();
    store::change_terms(&mut tx, &actor.account_id, &row.id, row.state, &role.id, until);
    tx.audit(actor.audit(
        "grant.changed",
        format!(
            "Changed the access of {}: role {} (was {}), {ends}",
            row.manager_email, role.name, row.role_name
        ),
    ));
    tx.mail(Mail {
        to: row.manager_email.clone(),
        subject: format!("Your access to {} changed", row.client_name),
        body: format!(
            "{} changed your access to the account {}: the role is now {}, with {ends}.\n",
            actor.first_name, row.client_name, role.name
        ),
        link: Some(services.link("/managed-accounts")),
    });
    match services.commit(tx).await {
        Ok(()) => Ok(()),
        Err(e) if store::is_changed_meanwhile(&e) => Err(GrantRefusal::ManagerChangedMeanwhile.into()),
        Err(e) => Err(e.into()),
    }
}

/// What an owner changes on a grant themselves (an agency's request is decided in `agency.rs`).
#[derive(Debug, Clone, Copy)]
enum OwnerChange {
    Revoke,
    GrantAgain,
    Resend,
}

impl OwnerChange {
    fn event(self) -> GrantEvent {
        match self {
            Self::Revoke => GrantEvent::Revoke,
            Self::GrantAgain => GrantEvent::GrantAgain,
            Self::Resend => GrantEvent::Resend,
        }
    }
}

/// The transaction of an owner's change: the new state, its audit entry and the manager's email.
/// Sessions logged in through the grant go back home at their next request.
fn owner_change(
    services: &Services,
    actor: &Actor,
    row: &GrantRow,
    change: OwnerChange,
    to: GrantState,
) -> Tx {
    let mut extras = ChangeExtras::default();
    let (audit_action, audit_detail, mail) = match change {
        OwnerChange::Revoke => (
            "grant.revoked",
            format!("Revoked the access of {}", row.manager_email),
            Mail {
                to: row.manager_email.clone(),
                subject: format!("Your access to {} was revoked", row.client_name),
                body: format!(
                    "{} revoked your access to the account {}.\n",
                    actor.first_name, row.client_name
                ),
                link: None,
            },
        ),
        OwnerChange::GrantAgain => (
            "grant.granted_again",
            format!("Granted access again to {}", row.manager_email),
            Mail {
                to: row.manager_email.clone(),
                subject: format!("You can manage {} again", row.client_name),
                body: format!(
                    "{} granted you access to the account {} again, with the role {}.\n",
                    actor.first_name, row.client_name, row.role_name
                ),
                link: Some(services.link("/managed-accounts")),
            },
        ),
        OwnerChange::Resend => {
            let (nonce, token, hash) = new_link(services, &row.id);
            extras.new_token = Some((nonce, hash, services.settings.invitation_ttl_secs));
            (
                "grant.resent",
                format!("Sent a new invitation link to {}", row.manager_email),
                invitation_mail(
                    services,
                    actor,
                    &row.manager_email,
                    &row.client_name,
                    &row.role_name,
                    &token,
                ),
            )
        }
    };
    let mut tx = Tx::new();
    store::change_state(&mut tx, &row.id, row.state, to, extras);
    tx.audit(actor.audit(audit_action, audit_detail));
    tx.mail(mail);
    let event = match change {
        OwnerChange::Revoke => Some(EventType::GrantRevoked),
        OwnerChange::GrantAgain => Some(EventType::GrantGranted),
        OwnerChange::Resend => None,
    };
    if let Some(kind) = event {
        tx.event(grant_event(kind, row, to));
    }
    tx
}

/// Deletes a grant of the account acted in: access ends at once and the manager is emailed.
pub async fn delete(services: &Services, actor: &Actor, grant_id: &GrantId) -> Result<(), ServiceError> {
    delete_with(services, actor, grant_id, AddedUsers::Keep).await
}

/// `delete`; also removes the users the agency added when the owner says so.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, grant_id = %grant_id, added_users = ?added_users))]
pub async fn delete_with(
    services: &Services,
    actor: &Actor,
    grant_id: &GrantId,
    added_users: AddedUsers,
) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::Grants)?;
    let row = store::get_for_client(&services.db, &actor.account_id, grant_id)
        .await?
        .ok_or_else(gone)?;
    let mut tx = Tx::new();
    store::delete(&mut tx, &actor.account_id, &row.id);
    if added_users == AddedUsers::Remove {
        crate::users::service::remove_added_through(services, actor, &mut tx, grant_id).await?;
    }
    tx.audit(actor.audit(
        "grant.deleted",
        format!("Deleted the account manager {}", row.manager_email),
    ));
    tx.event(grant_event(EventType::GrantDeleted, &row, row.state));
    tx.mail(Mail {
        to: row.manager_email.clone(),
        subject: format!("You no longer manage {}", row.client_name),
        body: format!(
            "{} removed you as account manager of {}.\n",
            actor.first_name, row.client_name
        ),
        link: None,
    });
    match services.commit(tx).await {
        Ok(()) => Ok(()),
        Err(e) if store::is_changed_meanwhile(&e) => Err(gone()),
        Err(e) => Err(e.into()),
    }
}

/// What the invitation link shows to whoever opened it.
#[tracing::instrument(skip_all)]
pub async fn view_invitation(
    services: &Services,
    actor: Option<&Actor>,
    token: &str,
) -> Result<InvitationView, ServiceError> {
    let row = store::get_by_token_hash(&services.db, &token_hash(token))
        .await?
        .ok_or(GrantRefusal::InvitationGone)?;
    let state = row.effective_state();
    let outcome = match actor {
        Some(a) if a.email != row.manager_email => Some(LinkOutcome::Blocked(format!(
            "This invitation is for {}. You are logged in as {}: log out and log in with the invited email.",
            row.manager_email, a.email
        ))),
        _ if state == GrantState::Active => Some(LinkOutcome::Answered {
            message: format!(
                "This invitation was accepted: {} is managed by {}.",
                row.client_name,
                row.managing_name
                    .clone()
                    .unwrap_or_else(|| row.manager_email.clone())
            ),
            next: NextPage::ManagedAccounts,
        }),
        _ if state == GrantState::Rejected => Some(LinkOutcome::Answered {
            message: "This invitation was rejected.".into(),
            next: NextPage::ManagedAccounts,
        }),
        _ if state != GrantState::Pending => Some(LinkOutcome::Blocked(
            state
                .apply(GrantEvent::Accept, Initiator::Owner)
                .err()
                .map(|r| r.message)
                .unwrap_or_else(|| "This invitation can no longer be answered.".into()),
        )),
        _ => None,
    };
    Ok(InvitationView {
        client_account: row.client_name,
        invited_by: row.owner_email.unwrap_or_default(),
        manager_email: row.manager_email,
        role_name: row.role_name,
        status: state.label().to_string(),
        outcome,
        needs_login: actor.is_none(),
    })
}

/// Agencies asking to manage the account acted in, for the Dashboard of those who answer them
/// (the account's own admins); empty for anyone else.
pub async fn requests_waiting(
    services: &Services,
    actor: &Actor,
    limit: i64,
) -> Result<Vec<crate::grants::model::WaitingRequest>, ServiceError> {
    if actor
        .authorize_owner(Permission::MANAGE_USERS, OwnerOnly::Grants)
        .is_err()
    {
        return Ok(Vec::new());
    }
    Ok(store::requests_to(&services.db, &actor.account_id, limit)
        .await?
        .into_iter()
        .filter(|r| r.effective_state() == GrantState::Pending)
        .map(|r| crate::grants::model::WaitingRequest {
            agency: r.managing_name.unwrap_or_default(),
            requester: r.manager_email,
            role_name: r.role_name,
        })
        .collect())
}

/// The pending invitations to the email of the person acting, for their own Managed accounts
/// list (none while they act in a client account: those are not that account's to answer).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn invitations_for_me(
    services: &Services,
    actor: &Actor,
) -> Result<Vec<InvitationForYou>, ServiceError> {
    if actor.managing.is_some() {
        return Ok(Vec::new());
    }
    let rows = store::invitations_for(&services.db, &actor.email).await?;
    Ok(rows
        .into_iter()
        .filter(|r| r.effective_state() == GrantState::Pending)
        .map(|r| InvitationForYou {
            id: r.id,
            client_account: r.client_name,
            invited_by: r.owner_email.unwrap_or_default(),
            role_name: r.role_name,
            access_until: r.access_until.map(|d| actor.dates.day_of(&d)),
        })
        .collect())
}

/// Which invitation is answered: the one behind an emailed link, or one of the invitations the
/// person's own Managed accounts list shows (by its id, only if it was sent to their email).
#[derive(Debug, Clone, Copy)]
pub enum Invitation<'a> {
    Link(&'a str),
    Listed(&'a GrantId),
}

/// The invited manager accepts (`true`) or rejects (`false`) through the link.
pub async fn answer_invitation(
    services: &Services,
    actor: &Actor,
    token: &str,
    accept: bool,
) -> Result<(), ServiceError> {
    answer(services, actor, Invitation::Link(token), accept).await
}

/// The invited manager accepts (`true`) or rejects (`false`) an invitation.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn answer(
    services: &Services,
    actor: &Actor,
    invitation: Invitation<'_>,
    accept: bool,
) -> Result<(), ServiceError> {
    for _ in 0..2 {
        let row = match invitation {
            Invitation::Link(token) => store::get_by_token_hash(&services.db, &token_hash(token)).await?,
            Invitation::Listed(id) => store::get_for_email(&services.db, &actor.email, id.as_str()).await?,
        }
        .ok_or(GrantRefusal::InvitationGone)?;
        // Only an owner's invitation is answered here (an agency's request is the owner's).
        if row.initiator != Initiator::Owner {
            return Err(GrantRefusal::InvitationGone.into());
        }
        // An owner's invitation always names its account.
        let Some(client) = row.client_account.clone() else {
            return Err(GrantRefusal::InvitationGone.into());
        };
        if actor.email != row.manager_email {
            return Err(GrantRefusal::InvitationForSomeoneElse(row.manager_email).into());
        }
        if actor.home_account_id == client {
            return Err(GrantRefusal::OwnAccount.into());
        }
        let from = row.state;
        if from == GrantState::Pending && row.token_expired {
            return Err(GrantRefusal::InvitationExpired.into());
        }
        let event = if accept {
            GrantEvent::Accept
        } else {
            GrantEvent::Reject
        };
        let to = from.apply(event, row.initiator)?;
        let mut tx = Tx::new();
        store::change_state(
            &mut tx,
            &row.id,
            from,
            to,
            // The link keeps showing the outcome to the invited manager; it can't act again
            // because only a pending grant can be answered.
            ChangeExtras {
                managing_account: accept.then(|| actor.home_account_id.to_string()),
                release_live_key: !accept,
                ..ChangeExtras::default()
            },
        );
        let verb = if accept { "accepted" } else { "rejected" };
        tx.audit(db::AuditEntry {
            account: db::rid("account", &client),
            actor_user: Some(db::rid("user", &actor.user_id)),
            actor_name: actor.display_name(),
            via_account: Some(db::rid("account", &actor.home_account_id)),
            action: format!("grant.{verb}"),
            detail: format!("{} {verb} the invitation to manage this account", actor.email),
        });
        tx.event(grant_event(
            if accept {
                EventType::GrantAccepted
            } else {
                EventType::GrantRejected
            },
            &GrantRow {
                managing_account: Some(actor.home_account_id.to_string()),
                managing_name: Some(actor.account_name.clone()),
                ..row.clone()
            },
            to,
        ));
        if let Some(owner) = &row.owner_email {
            tx.mail(Mail {
                to: owner.clone(),
                subject: format!("{} {verb} your invitation", actor.email),
                body: format!(
                    "{} {} ({}) {verb} your invitation to manage {} with the role {}.\n",
                    actor.first_name, actor.last_name, actor.account_name, row.client_name, row.role_name
                ),
                link: Some(services.link("/account-managers")),
            });
        }
        match services.commit(tx).await {
            Ok(()) => return Ok(()),
            Err(e) if store::is_changed_meanwhile(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(GrantRefusal::InvitationChangedMeanwhile.into())
}

/// Expires what is due and sends the end-of-access reminders; run every minute by the server.
/// Returns how many grants it expired and how many reminders it sent.
#[tracing::instrument(skip_all)]
pub async fn sweep(services: &Services) -> Result<(usize, usize), ServiceError> {
    let expired = expire_due(services).await?;
    let mut reminded = 0;
    for days in [7, 1] {
        reminded += remind_due(services, days).await?;
    }
    if expired + reminded > 0 {
        services.outbox_wakeup.notify_one();
    }
    Ok((expired, reminded))
}

/// Expires the grants that are due; a grant another server changed meanwhile is left to it.
async fn expire_due(services: &Services) -> Result<usize, ServiceError> {
    let mut expired = 0;
    for row in store::due_for_expiry(&services.db).await? {
        let Ok(to) = row.state.apply(GrantEvent::Expire, row.initiator) else {
            continue;
        };
        match expiry(&row, to).commit(&services.db).await {
            Ok(_) => expired += 1,
            Err(e) if store::is_changed_meanwhile(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(expired)
}

/// The expiry of one grant: its new state, the audit entry, and when access ended, both sides told.
fn expiry(row: &GrantRow, to: GrantState) -> Tx {
    let mut tx = Tx::new();
    store::change_state(&mut tx, &row.id, row.state, to, ChangeExtras::default());
    let was_active = row.state == GrantState::Active;
    let what = if was_active { "access" } else { "invitation" };
    // A request that went to no account expires with no account to tell.
    if let Some(client) = &row.client_account {
        tx.audit(db::AuditEntry {
            account: db::rid("account", client),
            actor_user: None,
            actor_name: "Steward".into(),
            via_account: None,
            action: "grant.expired".into(),
            detail: format!("The {what} of {} expired", row.manager_email),
        });
    }
    tx.event(grant_event(EventType::GrantExpired, row, to));
    if was_active {
        for to in both_sides(row) {
            tx.mail(Mail {
                to,
                subject: format!("Account manager access to {} has ended", row.client_name),
                body: format!(
                    "The access of {} to the account {} reached its end date.\n",
                    row.manager_email, row.client_name
                ),
                link: None,
            });
        }
    }
    tx
}

/// Sends the reminders due `days` before an access ends, once each.
async fn remind_due(services: &Services, days: i64) -> Result<usize, ServiceError> {
    let mut reminded = 0;
    for row in store::due_for_reminder(&services.db, days).await? {
        match reminder(&row, days).commit(&services.db).await {
            Ok(_) => reminded += 1,
            Err(e) if store::is_changed_meanwhile(&e) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(reminded)
}

fn reminder(row: &GrantRow, days: i64) -> Tx {
    let mut tx = Tx::new();
    store::mark_reminded(&mut tx, &row.id, days);
    let when = if days == 1 { "tomorrow" } else { "in 7 days" };
    let end: String = row
        .access_until
        .clone()
        .unwrap_or_default()
        .chars()
        .take(10)
        .collect();
    for to in both_sides(row) {
        tx.mail(Mail {
            to,
            subject: format!("Account manager access to {} ends {when}", row.client_name),
            body: format!(
                "The access of {} to the account {} ends {when} ({end}).\n",
                row.manager_email, row.client_name
            ),
            link: None,
        });
    }
    tx
}

/// The manager and, when the account has one, its owner.
fn both_sides(row: &GrantRow) -> impl Iterator<Item = String> {
    [Some(row.manager_email.clone()), row.owner_email.clone()]
        .into_iter()
        .flatten()
}

/// The webhook event of a change of `row`, which is now `state`: heard by the client account and
/// by the agency. The agency is shown the client account only once it may know it (the owner
/// invited it, or granted its request): before that, only the email it typed.
pub(crate) fn grant_event(kind: EventType, row: &GrantRow, state: GrantState) -> Event {
    let client_known = row.initiator == Initiator::Owner || row.was_active || state == GrantState::Active;
    Event::new(
        kind,
        serde_json::json!({
            "grant": {
                "id": row.id,
                "state": state.key(),
                "initiator": row.initiator.key(),
                "role": row.role_name,
                "manager_email": row.manager_email,
                "client_account": match (&row.client_account, client_known) {
                    (Some(id), true) => serde_json::json!({ "id": id, "name": row.client_name }),
                    _ => serde_json::Value::Null,
                },
                "requested_email": row.requested_email,
                "agency_account": row.managing_account.as_ref().map(|id| serde_json::json!({
                    "id": id,
                    "name": row.managing_name,
                })),
            }
        }),
    )
    .to(row.client_account.as_deref())
    .to(row.managing_account.as_deref())
}
