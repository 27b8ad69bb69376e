//! API manager (`admin_tools.api_manager`): the keys people of an account make for its scripts,
//! and who a call with a key acts as.
use crate::api_keys::model::{ApiKeyRow, ApiKeysPage, NewApiKey, EXPIRY_CHOICES};
use crate::api_keys::store;
use crate::core::accounts;
use crate::core::actor::{ApiKeyRef, OwnerOnly};
use crate::core::db::Tx;
use crate::core::domain::names::text;
use crate::core::domain::{Invalid, Permission, PermissionSet};
use crate::core::ids::RoleId;
use crate::core::services::{random_hex, Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};
use crate::roles::model::RoleOption;

/// What every key starts with, so that a leaked one is easy to recognise (and to scan for).
pub const KEY_PREFIX: &str = "stw_";

/// A key as its maker is shown it, once. Never stored, never logged: only its hash is.
pub struct ApiKeySecret(String);

impl ApiKeySecret {
    /// 160 random bits after the prefix.
    fn generate() -> Self {
        Self(format!("{KEY_PREFIX}{}", random_hex(20)))
    }

    pub fn from_header(value: &str) -> Self {
        Self(value.trim().to_string())
    }

    fn hash(&self) -> String {
        crate::identity::service::token_hash(&self.0)
    }

    /// The first characters people tell their keys apart by.
    fn prefix(&self) -> String {
        self.0.chars().take(KEY_PREFIX.len() + 6).collect()
    }
}

/// Why a key can't be changed.
#[derive(Debug, thiserror::Error)]
pub enum ApiKeyRefusal {
    #[error("This API key no longer exists.")]
    NotFound,
    #[error("The API key \"{0}\" is already revoked.")]
    AlreadyRevoked(String),
}

impl Refusal for ApiKeyRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::NotFound => RefusalKind::NotFound,
            Self::AlreadyRevoked(_) => RefusalKind::Conflict,
        }
    }
}

/// The page: the account's keys, newest first, and the roles a key may have.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn page(services: &Services, actor: &Actor) -> Result<ApiKeysPage, ServiceError> {
    actor.authorize(Permission::API_MANAGER)?;
    let keys = store::list(&services.db, &actor.account_id, None).await?;
    let roles = accounts::roles(&services.db, &actor.account_id).await?;
    let now = chrono::Utc::now();
    Ok(ApiKeysPage {
        keys: keys
            .into_iter()
            .map(|k| {
                let expired = k.expires_at.as_ref().is_some_and(|t| **t <= now);
                let status = match (k.revoked_at.is_some(), expired) {
                    (true, _) => "Revoked",
                    (false, true) => "Expired",
                    (false, false) => "Active",
                };
                ApiKeyRow {
                    id: k.id,
                    name: k.name,
                    prefix: k.prefix,
                    role_name: k.role_name.unwrap_or_else(|| "(role deleted)".into()),
                    made_by: k.made_by.unwrap_or_default(),
                    created: actor.dates.day_of(&k.created_at.to_string()),
                    expires: k
                        .expires_at
                        .map_or_else(|| "Never".to_string(), |t| actor.dates.day_of(&t.to_string())),
                    status: status.into(),
                    revocable: k.revoked_at.is_none(),
                }
            })
            .collect(),
        roles: roles
            .into_iter()
            .map(|r| RoleOption {
                id: r.id,
                name: r.name,
            })
            .collect(),
        just_made: None,
    })
}

/// "Create key": a key with `role` (never more than the maker's own) lasting `days` (0: until
/// revoked). A person of the account makes it, in their own account: a key made through a
/// grant would outlast the grant.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn create(
    services: &Services,
    actor: &Actor,
    name: &str,
    role: &RoleId,
    days: i64,
) -> Result<NewApiKey, ServiceError> {
    actor.authorize_owner(Permission::API_MANAGER, OwnerOnly::ApiKeys)?;
    actor.require_person()?;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", text(name, "name for the key", 1, 60));
    let lasts = errors.check(
        "expires",
        EXPIRY_CHOICES
            .iter()
            .find(|(d, _)| *d == days)
            .map(|(d, label)| ((*d > 0).then_some(d * 86_400), *label))
            .ok_or_else(|| Invalid("Choose how long the key lasts.".into())),
    );
    let permissions = crate::roles::service::permissions_of(services, &actor.account_id, role).await?;
    let permissions = errors.check(
        "role",
        permissions.ok_or_else(|| Invalid("Choose a role of this account.".into())),
    );
    errors.finish()?;
    let (Some(name), Some((lasts_secs, lasts_label)), Some(permissions)) = (name, lasts, permissions) else {
        return Err(ServiceError::Internal("checked fields missing".into()));
    };
    let role_name = role_name(services, actor, role).await?;
    actor.may_hand_out(&permissions, &format!("the key's role ({role_name})"))?;
    let secret = ApiKeySecret::generate();
    let id = crate::core::db::new_key();
    let mut tx = Tx::new();
    store::create(
        &mut tx,
        store::NewKey {
            id: &id,
            account: &actor.account_id,
            user: &actor.user_id,
            name: &name,
            role: role.as_ref(),
            hash: &secret.hash(),
            prefix: &secret.prefix(),
            lasts_secs,
        },
    );
    tx.audit(actor.audit(
        "api_key.created",
        format!(
            "Made the API key \"{name}\" ({}…) with the role {role_name}, lasting {}",
            secret.prefix(),
            lasts_label.to_lowercase()
        ),
    ));
    tx.commit(&services.db).await?;
    Ok(NewApiKey { name, key: secret.0 })
}

async fn role_name(services: &Services, actor: &Actor, role: &RoleId) -> Result<String, ServiceError> {
    Ok(accounts::roles(&services.db, &actor.account_id)
        .await?
        .into_iter()
        .find(|r| r.id == role.as_ref())
        .map(|r| r.name)
        .unwrap_or_default())
}

/// "Revoke": the key stops working at its next call.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn revoke(services: &Services, actor: &Actor, id: &str) -> Result<(), ServiceError> {
    actor.authorize_owner(Permission::API_MANAGER, OwnerOnly::ApiKeys)?;
    actor.require_person()?;
    let Some(key) = store::list(&services.db, &actor.account_id, Some(id))
        .await?
        .into_iter()
        .next()
    else {
        return Err(ApiKeyRefusal::NotFound.into());
    };
    if key.revoked_at.is_some() {
        return Err(ApiKeyRefusal::AlreadyRevoked(key.name).into());
    }
    let mut tx = Tx::new();
    store::revoke(&mut tx, &actor.account_id, &key.id);
    tx.audit(actor.audit(
        "api_key.revoked",
        format!("Revoked the API key \"{}\" ({}…)", key.name, key.prefix),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

/// Who a call with `key` acts as: the key's maker in the key's account, with the key's role
/// within the maker's role of today; `None` for a key that is unknown, revoked or expired, or
/// whose maker left the account. Read at every call, so a revoke takes effect at the next one.
#[tracing::instrument(name = "api_key", skip_all)]
pub async fn actor_for_key(services: &Services, key: &ApiKeySecret) -> Result<Option<Actor>, ServiceError> {
    if !key.0.starts_with(KEY_PREFIX) {
        return Ok(None);
    }
    let Some(k) = store::holder(&services.db, &key.hash()).await? else {
        return Ok(None);
    };
    if !k.usable {
        return Ok(None);
    }
    let (Some(role_name), Some(key_permissions), Some(maker_permissions)) =
        (k.role_name, k.key_permissions, k.maker_permissions)
    else {
        return Ok(None);
    };
    let permissions =
        PermissionSet::from_keys(key_permissions).within(&PermissionSet::from_keys(maker_permissions));
    Ok(Some(Actor {
        session_id: format!("api_key:{}", k.id),
        user_id: k.user.into(),
        email: k.email,
        first_name: k.first_name,
        last_name: k.last_name,
        account_id: k.account.clone().into(),
        account_name: k.account_name,
        home_account_id: k.account.into(),
        role_name,
        permissions,
        // A key never holds the primary admin's privileges, whoever made it.
        is_primary_admin: false,
        managing: None,
        dates: crate::core::domain::locale::DateStyle::new(
            k.date_format.as_deref().unwrap_or_default(),
            k.time_zone.as_deref().unwrap_or_default(),
        ),
        currency: crate::core::domain::locale::Currency::of_stored(k.currency.as_deref()),
        api_key: Some(ApiKeyRef {
            id: k.id,
            name: k.name,
        }),
    }))
}
