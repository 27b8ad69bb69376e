//! Issue 17: API keys. A key acts as its maker with its own role, never beyond the maker's role
//! of the day; it is kept only as a hash, stops at its revoke, its expiry or its maker's
//! removal, and can never log in to a managed account, make keys, or be made through a grant.
use crate::common::{actor, granted, services, sign_up};
use app::api_keys::service::{self as keys, ApiKeySecret};
use app::core::accounts::default_role_key;
use app::core::domain::{DefaultRole, Permission};
use app::core::services::{Actor, ServiceError, Services};
use app::managed_accounts::service as managed;
use app::roles::service as roles;
use app::users::service::{self as users, UserAction, UserInput};

async fn key_actor(s: &Services, key: &str) -> Option<Actor> {
    keys::actor_for_key(s, &ApiKeySecret::from_header(key))
        .await
        .expect("lookup")
}

fn refused(result: Result<impl std::fmt::Debug, ServiceError>, says: &str) {
    match result {
        Err(ServiceError::Forbidden(m)) => assert!(m.contains(says), "{m}"),
        other => panic!("expected a refusal saying {says:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn a_key_acts_with_its_role_until_revoked_and_is_kept_only_as_a_hash() {
    let s = services().await;
    let (agency_token, agency, _, _, grant) = granted(&s, DefaultRole::Admin).await;
    let builder = default_role_key(&agency.account_id, DefaultRole::Builder);
    let made = keys::create(&s, &agency, "  Onboarding script ", &builder, 30)
        .await
        .expect("make a key");
    assert_eq!(made.name, "Onboarding script");
    assert!(
        made.key.starts_with("stw_") && made.key.len() == 44,
        "{}",
        made.key
    );

    // Only the hash is stored.
    let stored: Vec<serde_json::Value> =
        s.db.query("SELECT * FROM api_key")
            .await
            .expect("read")
            .take(0)
            .expect("rows");
    let stored = serde_json::to_string(&stored).expect("json");
    assert!(!stored.contains(&made.key[4..]), "the key itself was stored");
    assert!(stored.contains(&app::identity::service::token_hash(&made.key)));

    // It acts as Pat, in the agency, with the Builder's permissions and nothing of the owner's.
    let by_key = key_actor(&s, &made.key).await.expect("the key works");
    assert_eq!(
        (by_key.user_id.as_ref(), by_key.account_id.as_ref()),
        (agency.user_id.as_ref(), agency.account_id.as_ref())
    );
    assert_eq!(by_key.role_name, "Builder");
    assert_eq!(by_key.permissions, DefaultRole::Builder.permissions());
    assert!(!by_key.is_primary_admin);
    assert!(by_key.api_key.is_some());
    assert!(key_actor(&s, "stw_0000000000000000000000000000000000000000")
        .await
        .is_none());
    assert!(key_actor(&s, "").await.is_none());

    // What a key may never do, whatever its role: log in to a managed account, make or revoke keys.
    let admin = default_role_key(&agency.account_id, DefaultRole::Admin);
    let admin_key = keys::create(&s, &agency, "Admin script", &admin, 0)
        .await
        .expect("an Admin key");
    let by_admin_key = key_actor(&s, &admin_key.key).await.expect("works");
    assert!(by_admin_key.can(Permission::MANAGED_ACCOUNTS_LOG_IN));
    refused(
        managed::log_in_to(&s, &by_admin_key, &agency_token, &grant).await,
        "An API key can't",
    );
    refused(
        keys::create(&s, &by_admin_key, "Another", &admin, 30).await,
        "An API key can't",
    );
    // Through the key the list is the agency's own.
    let list = managed::list(&s, &by_admin_key, "", "name", false, 0)
        .await
        .expect("list");
    assert_eq!(list.total, 1);

    // The page lists both, newest first, never with the key.
    let page = keys::page(&s, &agency).await.expect("page");
    let names: Vec<&str> = page.keys.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, vec!["Admin script", "Onboarding script"]);
    assert!(made.key.starts_with(&page.keys[1].prefix));
    assert_eq!(page.keys[1].status, "Active");
    assert_eq!(page.keys[0].expires, "Never");
    assert_eq!(page.keys[1].made_by, "pat@agency.com");

    // Revoked: refused at the next call; a second revoke says why not.
    let id = page.keys[1].id.clone();
    keys::revoke(&s, &agency, &id).await.expect("revoke");
    assert!(key_actor(&s, &made.key).await.is_none());
    assert!(matches!(
        keys::revoke(&s, &agency, &id).await,
        Err(ServiceError::Conflict(_))
    ));
    let page = keys::page(&s, &agency).await.expect("page");
    assert_eq!(
        (page.keys[1].status.as_str(), page.keys[1].revocable),
        ("Revoked", false)
    );
    assert!(
        key_actor(&s, &admin_key.key).await.is_some(),
        "the other key still works"
    );

    // Expired: refused.
    s.db.query("UPDATE api_key SET expires_at = time::now() - 1s WHERE name = 'Admin script'")
        .await
        .expect("expire")
        .check()
        .expect("expired");
    assert!(key_actor(&s, &admin_key.key).await.is_none());
    assert_eq!(
        keys::page(&s, &agency).await.expect("page").keys[0].status,
        "Expired"
    );
}

#[tokio::test]
async fn bad_input_makes_no_key_and_says_why() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let builder = default_role_key(&owner.account_id, DefaultRole::Builder);
    for (name, role, days, field) in [
        ("", builder.clone(), 30, "name"),
        ("Fine", builder.clone(), 7, "expires"),
        ("Fine", "role_of_nobody".into(), 30, "role"),
    ] {
        match keys::create(&s, &owner, name, &role, days).await {
            Err(ServiceError::Invalid(fields)) => {
                assert!(fields.iter().any(|(f, _)| f == field), "{field}: {fields:?}")
            }
            other => panic!("{field}: {other:?}"),
        }
    }
    // Another account's role is not one of this account's.
    let (_, other) = sign_up(&s, "zed@else.com", "Else Co").await;
    let theirs = default_role_key(&other.account_id, DefaultRole::Builder);
    assert!(matches!(
        keys::create(&s, &owner, "Theirs", &theirs, 30).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(keys::page(&s, &owner).await.expect("page").keys.is_empty());
    assert!(matches!(
        keys::revoke(&s, &owner, "nothing").await,
        Err(ServiceError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_key_never_acts_beyond_its_makers_role_nor_is_made_through_a_grant() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    // Una's role: the Builder's permissions and the API manager.
    let builder = default_role_key(&owner.account_id, DefaultRole::Builder);
    let role = roles::copy(&s, &owner, &builder).await.expect("copy");
    let mut permissions = roles::list(&s, &owner)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.id == role)
        .expect("the copy")
        .permissions;
    permissions.push("admin_tools.api_manager".into());
    roles::save(&s, &owner, &role, "Scripts", &permissions)
        .await
        .expect("save");
    let una_id = users::add(
        &s,
        &owner,
        UserInput {
            first_name: "Una".into(),
            last_name: "User".into(),
            email: "una@client.com".into(),
            password: "una's own password".into(),
            role_id: role.to_string(),
        },
    )
    .await
    .expect("add Una");
    let token = app::identity::service::log_in(&s, "una@client.com", "una's own password")
        .await
        .expect("log in")
        .session()
        .expect("no second step");
    let una = actor(&s, &token).await;

    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    refused(
        keys::create(&s, &una, "Too much", &admin, 30).await,
        "can't hand out more than your role",
    );
    let key = keys::create(&s, &una, "Mine", &role, 30)
        .await
        .expect("within her role");
    assert!(key_actor(&s, &key.key)
        .await
        .expect("works")
        .can(Permission::API_MANAGER));

    // Una becomes a Builder: her key keeps her role's name but acts within the Builder's.
    users::edit(
        &s,
        &owner,
        &una_id,
        UserInput {
            first_name: "Una".into(),
            last_name: "User".into(),
            email: "una@client.com".into(),
            password: String::new(),
            role_id: builder.to_string(),
        },
    )
    .await
    .expect("demote");
    let by_key = key_actor(&s, &key.key).await.expect("still works");
    assert!(!by_key.can(Permission::API_MANAGER));
    assert_eq!(by_key.permissions, DefaultRole::Builder.permissions());

    // Una leaves: her keys stop.
    users::act(&s, &owner, &una_id, UserAction::Delete)
        .await
        .expect("delete Una");
    assert!(key_actor(&s, &key.key).await.is_none());
}

#[tokio::test]
async fn a_manager_inside_a_client_account_makes_no_key() {
    let s = services().await;
    let (agency_token, agency, _, owner, grant) = granted(&s, DefaultRole::Admin).await;
    let inside = managed::log_in_to(&s, &agency, &agency_token, &grant)
        .await
        .expect("log in to the client");
    let inside = actor(&s, &inside).await;
    assert!(inside.managing.is_some());
    let admin = default_role_key(&owner.account_id, DefaultRole::Admin);
    refused(
        keys::create(&s, &inside, "Backdoor", &admin, 0).await,
        "Account managers can't make or revoke API keys",
    );
    assert!(keys::page(&s, &owner).await.expect("page").keys.is_empty());
}
