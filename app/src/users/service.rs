//! The users of an account: add, edit, force logout, delete (one or in bulk), hand over the
//! primary admin role, and each user's own sessions.
use super::store::{self, UserChanges, UserRow};
use crate::core::accounts;
use crate::core::actor::OwnerOnly;
use crate::core::db::{self, Event, Mail, StoreError, Tx};
use crate::core::domain::events::EventType;
use crate::core::domain::{DefaultRole, Email, Invalid, Password, Permission, PersonName};
use crate::core::ids::{RoleId, UserId};
use crate::core::services::{Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};
use crate::identity::service::hash_password;
use crate::roles::model::RoleOption;
use crate::users::model::{BulkOutcome, SessionView, UserView, UsersPageData, UsersQuery, USERS_PAGE_SIZE};

const USER_EXISTS: &str = "User already exists.";

/// Why the users use cases say no.
#[derive(Debug, thiserror::Error)]
pub enum UserRefusal {
    #[error("This user no longer exists.")]
    UserGone,
    #[error("The primary admin can't be edited by other users.")]
    PrimaryAdminEditedByOthers,
    #[error("The primary admin can't be logged out by other users.")]
    PrimaryAdminLoggedOutByOthers,
    #[error("The primary admin can't be deleted.")]
    PrimaryAdminProtected,
    #[error("You can't delete yourself.")]
    DeletingYourself,
    #[error("Only the primary admin can hand over the role.")]
    NotThePrimaryAdmin,
    #[error("Only a user with the Admin role can become the primary admin.")]
    PrimaryAdminNeedsAdminRole,
    #[error("Someone else changed the primary admin meanwhile.")]
    PrimaryAdminChangedMeanwhile,
    #[error("This session has already ended.")]
    SessionEnded,
}

impl Refusal for UserRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::UserGone | Self::SessionEnded => RefusalKind::NotFound,
            Self::PrimaryAdminEditedByOthers
            | Self::PrimaryAdminLoggedOutByOthers
            | Self::PrimaryAdminProtected
            | Self::DeletingYourself
            | Self::NotThePrimaryAdmin => RefusalKind::Forbidden,
            Self::PrimaryAdminNeedsAdminRole | Self::PrimaryAdminChangedMeanwhile => RefusalKind::Conflict,
        }
    }
}

fn gone() -> ServiceError {
    UserRefusal::UserGone.into()
}

/// What a refused write of a user means, said so that a person can act on it.
fn refusal(e: StoreError) -> ServiceError {
    match e {
        StoreError::Duplicate(index) if index == "user_email" => ServiceError::field("email", USER_EXISTS),
        StoreError::Db(ref inner) if inner.to_string().contains("user not in account") => gone(),
        StoreError::Db(ref inner) if inner.to_string().contains("managers may not manage users") => {
            crate::core::actor::AccessRefusal::OwnerOnly(OwnerOnly::TeamAccess).into()
        }
        StoreError::Db(ref inner) if inner.to_string().contains("role not in account") => {
            ServiceError::field("role", "Choose a role of this account.")
        }
        // The rules below were checked before; these are the same rules met again in the
        // transaction, because another admin acted in between.
        StoreError::Db(ref inner) if inner.to_string().contains("primary admin keeps admin") => ServiceError::field(
            "role",
            "The primary admin always holds the Admin role: hand the primary admin role to another admin first.",
        ),
        StoreError::Db(ref inner) if inner.to_string().contains("primary admin protected") => {
            UserRefusal::PrimaryAdminProtected.into()
        }
        StoreError::Db(ref inner) if inner.to_string().contains("primary admin changed") => {
            UserRefusal::PrimaryAdminChangedMeanwhile.into()
        }
        StoreError::Db(ref inner) if inner.to_string().contains("not an admin") => {
            UserRefusal::PrimaryAdminNeedsAdminRole.into()
        }
        other => other.into(),
    }
}

/// Team access (adding users, another user's email or password) for the actor. While managing it
/// needs the owner's consent, read from the account; returns it (`None` at home).
async fn authorize_team_access(
    services: &Services,
    actor: &Actor,
) -> Result<Option<accounts::TeamConsent>, ServiceError> {
    if actor.managing.is_none() {
        actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::TeamAccess)?;
        return Ok(None);
    }
    actor.authorize(Permission::MANAGE_USERS)?;
    let consent = accounts::team_consent(&services.db, &actor.account_id).await?;
    actor.authorize_owner_unless(
        Permission::MANAGE_USERS,
        OwnerOnly::TeamAccess,
        consent.managers_manage_users == Some(true),
    )?;
    Ok(Some(consent))
}

/// The first page of the list, by name.
pub async fn list(services: &Services, actor: &Actor) -> Result<UsersPageData, ServiceError> {
    list_page(services, actor, &UsersQuery::default()).await
}

/// One page of the list: searched by first name, last name or email, sorted by a column.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list_page(
    services: &Services,
    actor: &Actor,
    query: &UsersQuery,
) -> Result<UsersPageData, ServiceError> {
    actor.authorize(Permission::MANAGE_USERS)?;
    let may_add_users = authorize_team_access(services, actor).await.is_ok();
    let page = query.page.max(0);
    let (rows, total) = store::page(
        &services.db,
        &actor.account_id,
        store::Window {
            search: &query.search,
            sort: &query.sort,
            descending: query.descending,
            start: page * USERS_PAGE_SIZE,
            limit: USERS_PAGE_SIZE,
        },
    )
    .await?;
    let roles = accounts::roles(&services.db, &actor.account_id).await?;
    Ok(UsersPageData {
        total,
        page,
        page_size: USERS_PAGE_SIZE,
        users: rows
            .into_iter()
            .map(|u| UserView {
                is_you: u.id == actor.user_id,
                id: u.id,
                first_name: u.first_name,
                last_name: u.last_name,
                email: u.email,
                role_id: u.role_id,
                role_name: u.role_name,
                last_active: u.last_active.map(|d| actor.dates.moment_of(&d)),
                sessions: u.sessions,
                is_primary_admin: u.is_primary_admin,
                credentials_editable: match &actor.managing {
                    None => true,
                    Some(m) => may_add_users && u.added_by_grant.as_deref() == Some(m.grant_id.as_ref()),
                },
                added_by: u.added_by,
            })
            .collect(),
        roles: roles
            .into_iter()
            .map(|r| RoleOption {
                id: r.id,
                name: r.name,
            })
            .collect(),
        you_are_primary_admin: actor.is_primary_admin,
        may_add_users,
    })
}

/// What the user form holds.
pub struct UserInput {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Empty when editing means: keep the password.
    pub password: String,
    /// Empty means the Admin role.
    pub role_id: String,
}

struct ParsedUser {
    first_name: PersonName,
    last_name: PersonName,
    email: Email,
    password: Option<Password>,
    role_key: RoleId,
}

async fn parse_user(
    services: &Services,
    actor: &Actor,
    input: &UserInput,
    password_required: bool,
) -> Result<ParsedUser, ServiceError> {
    let mut errors = FieldErrors::default();
    let first_name = errors.check("first_name", PersonName::parse(&input.first_name, "first name"));
    let last_name = errors.check("last_name", PersonName::parse(&input.last_name, "last name"));
    let email = errors.check("email", Email::parse(&input.email));
    let password = if input.password.is_empty() && !password_required {
        Some(None)
    } else {
        errors
            .check(
                "password",
                Password::parse_new(&input.password, email.as_ref().map_or("", Email::as_str)),
            )
            .map(Some)
    };
    let role_key = if input.role_id.is_empty() {
        accounts::default_role_key(&actor.account_id, DefaultRole::Admin)
    } else {
        RoleId::new(&input.role_id)
    };
    let roles = accounts::roles(&services.db, &actor.account_id).await?;
    if !roles.iter().any(|r| r.id == *role_key) {
        errors.check::<()>("role", Err(Invalid("Choose a role of this account.".into())));
    }
    errors.finish()?;
    match (first_name, last_name, email, password) {
        (Some(first_name), Some(last_name), Some(email), Some(password)) => Ok(ParsedUser {
            first_name,
            last_name,
            email,
            password,
            role_key,
        }),
        _ => Err(ServiceError::Internal("validated fields missing".into())),
    }
}

/// The privilege ceiling on a role being given to someone: it holds nothing the actor lacks.
async fn may_give_role(services: &Services, actor: &Actor, role_key: &RoleId) -> Result<(), ServiceError> {
    match crate::roles::service::permissions_of(services, &actor.account_id, role_key).await? {
        Some(permissions) => actor.may_hand_out(&permissions, "The chosen role"),
        None => Err(ServiceError::field("role", "Choose a role of this account.")),
    }
}

/// Adds a user to the account acted in, with a welcome email. A manager may when the owner lets
/// account managers manage users: the user is then marked with who added them, and the owner
/// is emailed.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn add(services: &Services, actor: &Actor, input: UserInput) -> Result<UserId, ServiceError> {
    let consent = authorize_team_access(services, actor).await?;
    let user = parse_user(services, actor, &input, true).await?;
    may_give_role(services, actor, &user.role_key).await?;
    let Some(password) = user.password else {
        return Err(ServiceError::field("password", "Enter a password."));
    };
    let user_key = db::new_key();
    let hash = hash_password(&password).await?;
    let mut tx = Tx::new();
    accounts::add_team_user(
        &mut tx,
        accounts::NewTeamUser {
            account_key: actor.account_id.to_string(),
            user_key: user_key.clone(),
            role_key: user.role_key,
            email: user.email.to_string(),
            first_name: user.first_name.as_str().to_string(),
            last_name: user.last_name.as_str().to_string(),
            password_hash: hash,
        },
    );
    if let (Some(managing), Some(consent)) = (&actor.managing, &consent) {
        store::mark_added_by_manager(&mut tx, &managing.grant_id, &actor.audit_name());
        if let Some(owner) = &consent.owner_email {
            tx.mail(Mail {
                to: owner.clone(),
                subject: format!("{} added a user to {}", managing.agency_name, actor.account_name),
                body: format!(
                    "{} added {} {} <{}> as a user of {}. Ending {}'s access lets you remove the users they added.\n",
                    actor.audit_name(),
                    user.first_name.as_str(),
                    user.last_name.as_str(),
                    user.email,
                    actor.account_name,
                    managing.agency_name,
                ),
                link: Some(services.link("/users")),
            });
        }
    }
    tx.audit(actor.audit("user.added", format!("Added the user {}", user.email)));
    tx.event(user_event(
        EventType::UserAdded,
        actor,
        (&user_key, user.email.as_str()),
        (user.first_name.as_str(), user.last_name.as_str()),
    ));
    tx.mail(Mail {
        to: user.email.to_string(),
        subject: format!("Welcome to {} on Steward", actor.account_name),
        body: format!(
            "Hello {},\n\n{} {} added you as a user of {}. Log in with this email and the password they give you.\n",
            user.first_name.as_str(),
            actor.first_name,
            actor.last_name,
            actor.account_name
        ),
        link: Some(services.link("/login")),
    });
    services.commit(tx).await.map_err(refusal)?;
    Ok(user_key.into())
}

async fn member(services: &Services, actor: &Actor, user_id: &str) -> Result<UserRow, ServiceError> {
    store::get(&services.db, &actor.account_id, user_id)
        .await?
        .ok_or_else(gone)
}

/// Edits a user. The primary admin can be edited only by themself, and keeps the Admin role.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, user_id = %user_id))]
pub async fn edit(
    services: &Services,
    actor: &Actor,
    user_id: &UserId,
    input: UserInput,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGE_USERS)?;
    let target = member(services, actor, user_id).await?;
    if target.is_primary_admin && target.id != actor.user_id {
        return Err(UserRefusal::PrimaryAdminEditedByOthers.into());
    }
    let user = parse_user(services, actor, &input, false).await?;
    // A manager could otherwise take over a user of the account, and keep them after the grant:
    // only with the owner's consent, and only for users added through the same grant.
    if let Some(managing) = &actor.managing {
        if user.email.as_str() != target.email || user.password.is_some() {
            let own = target.added_by_grant.as_deref() == Some(managing.grant_id.as_ref());
            actor.authorize_owner_unless(
                Permission::MANAGE_USERS,
                OwnerOnly::TeamAccess,
                own && authorize_team_access(services, actor).await.is_ok(),
            )?;
        }
    }
    if *user.role_key != target.role_id {
        may_give_role(services, actor, &user.role_key).await?;
    }
    if target.is_primary_admin
        && user.role_key != accounts::default_role_key(&actor.account_id, DefaultRole::Admin)
    {
        return Err(ServiceError::field(
            "role",
            "The primary admin always holds the Admin role: hand the primary admin role to another admin first.",
        ));
    }
    // The same password typed again changes nothing; a different one, or a new email, does.
    let new_password = match &user.password {
        Some(p) => !crate::identity::service::is_current_password(services, &target.email, p).await?,
        None => false,
    };
    let credentials_changed = new_password || user.email.as_str() != target.email;
    let password_hash = match &user.password {
        Some(p) => Some(hash_password(p).await?),
        None => None,
    };
    let mut tx = Tx::new();
    store::update(
        &mut tx,
        &actor.account_id,
        &target.id,
        UserChanges {
            first_name: user.first_name.into_string(),
            last_name: user.last_name.into_string(),
            email: user.email.to_string(),
            password_hash,
            role_key: user.role_key,
        },
    );
    // A new password or email locks out whoever held the old ones; the user's own session stays.
    if credentials_changed {
        if target.id == actor.user_id {
            store::end_other_sessions(&mut tx, &target.id, &actor.session_id, "edited_user");
        } else {
            store::end_sessions(&mut tx, &target.id, "edited_user");
        }
    }
    tx.audit(actor.audit("user.edited", format!("Edited the user {}", target.email)));
    tx.commit(&services.db).await.map_err(refusal)?;
    Ok(())
}

/// How many users account managers added through each grant of the account acted in (for the
/// Account managers list, which asks whether to remove them with the grant).
pub async fn added_through_grants(
    services: &Services,
    actor: &Actor,
) -> Result<std::collections::HashMap<String, i64>, ServiceError> {
    let mut counts = std::collections::HashMap::new();
    for u in store::list(&services.db, &actor.account_id).await? {
        if let Some(grant) = u.added_by_grant {
            *counts.entry(grant).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

/// Adds to `tx` the deletion of every user a manager added through `grant_id`, each audited,
/// when the owner ends that grant and chooses to remove them too; returns how many.
pub async fn remove_added_through(
    services: &Services,
    actor: &Actor,
    tx: &mut Tx,
    grant_id: &crate::core::ids::GrantId,
) -> Result<usize, ServiceError> {
    let added: Vec<UserRow> = store::list(&services.db, &actor.account_id)
        .await?
        .into_iter()
        .filter(|u| u.added_by_grant.as_deref() == Some(grant_id.as_ref()) && !u.is_primary_admin)
        .collect();
    for (i, u) in added.iter().enumerate() {
        store::delete(tx, &actor.account_id, &u.id, &format!("rm_added_{i}"));
        tx.event(user_event(
            EventType::UserDeleted,
            actor,
            (&u.id, &u.email),
            (&u.first_name, &u.last_name),
        ));
        tx.audit(actor.audit(
            "user.deleted",
            format!(
                "Deleted the user {} (added by {}) with the account manager's access",
                u.email,
                u.added_by.as_deref().unwrap_or("an account manager")
            ),
        ));
    }
    Ok(added.len())
}

/// The webhook event of a change to a user of the account acted in, and who made it.
fn user_event(
    kind: EventType,
    actor: &Actor,
    (id, email): (&str, &str),
    (first, last): (&str, &str),
) -> Event {
    Event::new(
        kind,
        serde_json::json!({
            "user": { "id": id, "email": email, "first_name": first, "last_name": last },
            "account_id": actor.account_id.to_string(),
            "by": actor.audit_name(),
        }),
    )
    .to(Some(&actor.account_id))
}

/// Why an action on `target` is refused, if it is.
fn protected(actor: &Actor, target: &UserRow, action: UserAction) -> Option<UserRefusal> {
    match action {
        UserAction::ForceLogout if target.is_primary_admin && target.id != actor.user_id => {
            Some(UserRefusal::PrimaryAdminLoggedOutByOthers)
        }
        UserAction::Delete if target.is_primary_admin => Some(UserRefusal::PrimaryAdminProtected),
        UserAction::Delete if target.id == actor.user_id => Some(UserRefusal::DeletingYourself),
        _ => None,
    }
}

pub use crate::users::model::UserAction;

/// Ends every session of a user at once, or deletes the user (their audit entries stay).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, user_id = %user_id, action = ?action))]
pub async fn act(
    services: &Services,
    actor: &Actor,
    user_id: &UserId,
    action: UserAction,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGE_USERS)?;
    let target = member(services, actor, user_id).await?;
    if let Some(refusal) = protected(actor, &target, action) {
        return Err(refusal.into());
    }
    let mut tx = Tx::new();
    match action {
        UserAction::ForceLogout => {
            store::end_sessions(&mut tx, &target.id, "fl_user");
            tx.audit(actor.audit(
                "user.force_logout",
                format!("Logged out {} everywhere", target.email),
            ));
            tx.event(user_event(
                EventType::UserForcedOut,
                actor,
                (&target.id, &target.email),
                (&target.first_name, &target.last_name),
            ));
        }
        UserAction::Delete => {
            store::delete(&mut tx, &actor.account_id, &target.id, "del_user");
            tx.audit(actor.audit("user.deleted", format!("Deleted the user {}", target.email)));
            tx.event(user_event(
                EventType::UserDeleted,
                actor,
                (&target.id, &target.email),
                (&target.first_name, &target.last_name),
            ));
        }
    }
    services.commit(tx).await.map_err(refusal)?;
    Ok(())
}

/// The same action for every checked user; each one succeeds or says why not.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, action = ?action))]
pub async fn act_in_bulk(
    services: &Services,
    actor: &Actor,
    user_ids: &[UserId],
    action: UserAction,
) -> Result<BulkOutcome, ServiceError> {
    actor.authorize(Permission::MANAGE_USERS)?;
    let mut outcome = BulkOutcome::default();
    for id in user_ids {
        match act(services, actor, id, action).await {
            Ok(()) => outcome.succeeded += 1,
            Err(e) => {
                let reason = e.into_refusal_message()?;
                let who = store::get(&services.db, &actor.account_id, id)
                    .await?
                    .map_or_else(|| id.to_string(), |u| u.email);
                outcome.failed.push((who, reason));
            }
        }
    }
    Ok(outcome)
}

/// The primary admin hands the role to another user holding the Admin role.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, user_id = %user_id))]
pub async fn make_primary_admin(
    services: &Services,
    actor: &Actor,
    user_id: &UserId,
) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::MANAGE_USERS, OwnerOnly::PrimaryAdmin)?;
    if !actor.is_primary_admin {
        return Err(UserRefusal::NotThePrimaryAdmin.into());
    }
    let target = member(services, actor, user_id).await?;
    if target.role_id != accounts::default_role_key(&actor.account_id, DefaultRole::Admin) {
        return Err(UserRefusal::PrimaryAdminNeedsAdminRole.into());
    }
    let mut tx = Tx::new();
    store::set_primary_admin(&mut tx, &actor.account_id, &actor.user_id, &target.id);
    tx.audit(actor.audit(
        "user.primary_admin",
        format!("Made {} the primary admin", target.email),
    ));
    tx.commit(&services.db).await.map_err(refusal)?;
    Ok(())
}

/// "Your sessions": every session of the acting user.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn my_sessions(services: &Services, actor: &Actor) -> Result<Vec<SessionView>, ServiceError> {
    Ok(store::sessions_of(&services.db, &actor.user_id)
        .await?
        .into_iter()
        .map(|s| SessionView {
            current: s.id == actor.session_id,
            id: s.id,
            created_at: actor.dates.moment_of(&s.created_at),
            last_seen_at: actor.dates.moment_of(&s.last_seen_at),
            expires_at: actor.dates.day_of(&s.expires_at),
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, session_id = %session_id))]
pub async fn end_my_session(
    services: &Services,
    actor: &Actor,
    session_id: &str,
) -> Result<(), ServiceError> {
    if store::end_own_session(&services.db, &actor.user_id, session_id).await? {
        Ok(())
    } else {
        Err(UserRefusal::SessionEnded.into())
    }
}
