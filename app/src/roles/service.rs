//! Team roles of the account acted in. Only `admin_tools.manage_roles` may see or change them.
use super::store;
use crate::core::db::{self, StoreError, Tx};
use crate::core::domain::permissions::is_known;
use crate::core::domain::{Invalid, Permission, PermissionSet};
use crate::core::ids::{AccountId, RoleId};
use crate::core::services::{Actor, Refusal, RefusalKind, ServiceError, Services};
use crate::roles::model::RoleView;

/// Why the roles use cases say no.
#[derive(Debug, thiserror::Error)]
pub enum RoleRefusal {
    #[error("This role no longer exists.")]
    RoleGone,
    #[error("Default roles can't be changed. Copy it to make a role you can edit.")]
    DefaultRoleFixed,
    #[error("Default roles can't be deleted.")]
    DefaultRoleKept,
    #[error("This role was just given to someone; it can't be deleted.")]
    JustGiven,
    #[error("The role {role} is still used by {}. Give them another role first.", .holders.join(", "))]
    InUse { role: String, holders: Vec<String> },
}

impl Refusal for RoleRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::RoleGone => RefusalKind::NotFound,
            Self::DefaultRoleFixed | Self::DefaultRoleKept | Self::JustGiven | Self::InUse { .. } => {
                RefusalKind::Conflict
            }
        }
    }
}

/// The permissions of a role of the account, for the features that hand roles out; `None` when
/// the account has no such role.
pub async fn permissions_of(
    services: &Services,
    account_id: &AccountId,
    role_id: &RoleId,
) -> Result<Option<PermissionSet>, ServiceError> {
    Ok(store::permissions_of(&services.db, account_id, role_id)
        .await?
        .map(PermissionSet::from_keys))
}

fn view(r: store::RoleSummary) -> RoleView {
    RoleView {
        id: r.id,
        name: r.name,
        is_default: r.default_key.is_some(),
        permissions: PermissionSet::from_keys(&r.permissions)
            .keys()
            .map(str::to_string)
            .collect(),
        users: r.users,
        grants: r.grants,
    }
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list(services: &Services, actor: &Actor) -> Result<Vec<RoleView>, ServiceError> {
    actor.authorize(Permission::MANAGE_ROLES)?;
    Ok(store::list(&services.db, &actor.account_id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

fn parse_name(raw: &str) -> Result<String, Invalid> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Invalid("Enter a role name.".into()));
    }
    if name.chars().count() > 60 {
        return Err(Invalid("A role name can be at most 60 characters.".into()));
    }
    Ok(name.to_string())
}

fn taken(e: StoreError) -> ServiceError {
    match e {
        StoreError::Duplicate(index) if index == "role_account_name" => {
            ServiceError::field("name", "A role with this name already exists.")
        }
        StoreError::Db(ref inner) if inner.to_string().contains("role not editable") => {
            RoleRefusal::DefaultRoleFixed.into()
        }
        StoreError::Db(ref inner) if inner.to_string().contains("role in use") => {
            RoleRefusal::JustGiven.into()
        }
        other => other.into(),
    }
}

/// "Copy": a custom role with the same permissions, named "Copy of …" (numbered if taken).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, role_id = %role_id))]
pub async fn copy(services: &Services, actor: &Actor, role_id: &RoleId) -> Result<RoleId, ServiceError> {
    actor.authorize(Permission::MANAGE_ROLES)?;
    let all = store::list(&services.db, &actor.account_id).await?;
    let Some(source) = all.iter().find(|r| r.id == **role_id) else {
        return Err(RoleRefusal::RoleGone.into());
    };
    actor.may_hand_out(
        &PermissionSet::from_keys(&source.permissions),
        &format!("The role {}", source.name),
    )?;
    let base = format!("Copy of {}", source.name);
    let name = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base} ({n})")
            }
        })
        .find(|candidate| !all.iter().any(|r| &r.name == candidate))
        .unwrap_or(base);
    let key = db::new_key();
    let mut tx = Tx::new();
    store::create(
        &mut tx,
        &actor.account_id,
        &key,
        &name,
        source.permissions.clone(),
    );
    tx.audit(actor.audit(
        "role.created",
        format!("Copied the role {} into {name}", source.name),
    ));
    tx.commit(&services.db).await.map_err(taken)?;
    Ok(key.into())
}

/// Saves a custom role's name and permissions. Takes effect at the next request of everyone
/// holding it: sessions read the role's permissions on every request.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, role_id = %role_id))]
pub async fn save(
    services: &Services,
    actor: &Actor,
    role_id: &RoleId,
    name: &str,
    permissions: &[String],
) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGE_ROLES)?;
    let name = parse_name(name).map_err(|e| ServiceError::field("name", e.0))?;
    if let Some(unknown) = permissions.iter().find(|p| !is_known(p)) {
        return Err(ServiceError::field(
            "permissions",
            format!("Unknown permission {unknown}."),
        ));
    }
    let Some(before) = store::get(&services.db, &actor.account_id, role_id).await? else {
        return Err(RoleRefusal::RoleGone.into());
    };
    if before.default_key.is_some() {
        return Err(RoleRefusal::DefaultRoleFixed.into());
    }
    let wanted = PermissionSet::from_keys(permissions);
    // Removing is always allowed; only what the change adds must be held by the actor.
    actor.may_hand_out(
        &wanted.added_to(&PermissionSet::from_keys(&before.permissions)),
        &format!("The role {name}"),
    )?;
    let set: Vec<String> = wanted.keys().map(str::to_string).collect();
    let mut tx = Tx::new();
    store::update(&mut tx, &actor.account_id, role_id, &name, set.clone());
    tx.audit(actor.audit(
        "role.updated",
        format!(
            "Changed the role {} (now {name}): {}",
            before.name,
            set.join(", ")
        ),
    ));
    tx.commit(&services.db).await.map_err(taken)?;
    Ok(())
}

/// Deletes a custom role nobody holds; otherwise says who holds it.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, role_id = %role_id))]
pub async fn delete(services: &Services, actor: &Actor, role_id: &RoleId) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGE_ROLES)?;
    let Some(role) = store::get(&services.db, &actor.account_id, role_id).await? else {
        return Err(RoleRefusal::RoleGone.into());
    };
    if role.default_key.is_some() {
        return Err(RoleRefusal::DefaultRoleKept.into());
    }
    let holders = store::holders(&services.db, role_id).await?;
    if !holders.is_empty() {
        return Err(RoleRefusal::InUse {
            role: role.name,
            holders,
        }
        .into());
    }
    let mut tx = Tx::new();
    store::delete(&mut tx, &actor.account_id, role_id);
    tx.audit(actor.audit("role.deleted", format!("Deleted the role {}", role.name)));
    tx.commit(&services.db).await.map_err(taken)?;
    Ok(())
}
