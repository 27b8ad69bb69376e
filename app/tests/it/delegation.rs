//! Issue #12: delegated access never outlasts or exceeds what the owner granted. A manager logged
//! in to a client account can't create access of its own, and nobody hands out more than they hold.
use crate::common::{account_settings, actor, granted, last_link, services, sign_up};
use app::core::ids::{GrantId, RoleId};

use app::core::accounts::default_role_key;
use app::core::domain::DefaultRole;
use app::core::services::{Actor, ServiceError, Services};
use app::grants::service::{self as grants, OwnerAction};
use app::managed_accounts::service as managed;
use app::roles::service as roles;
use app::users::service::{self as users, UserInput};

/// The owner of Client Co, and Pat of Agency Inc logged in to it through a grant with `role`.
struct Managed {
    s: Services,
    owner: Actor,
    inside: Actor,
    grant_id: GrantId,
}

async fn managed_with(role: DefaultRole) -> Managed {
    let s = services().await;
    let (agency_token, agency, _, owner, grant_id) = granted(&s, role).await;
    let session = managed::log_in_to(&s, &agency, &agency_token, &grant_id)
        .await
        .expect("log in to the client account");
    let inside = actor(&s, &session).await;
    Managed {
        s,
        owner,
        inside,
        grant_id,
    }
}

fn user(email: &str, role_id: &str, password: &str) -> UserInput {
    UserInput {
        first_name: "Una".into(),
        last_name: "User".into(),
        email: email.into(),
        password: password.into(),
        role_id: role_id.into(),
    }
}

fn forbidden(result: Result<impl std::fmt::Debug, ServiceError>, says: &str) {
    match result {
        Err(ServiceError::Forbidden(m)) => assert!(m.contains(says), "{m}"),
        other => panic!("expected a refusal saying {says:?}, got {other:?}"),
    }
}

async fn emails(s: &Services) -> Vec<String> {
    users::list(s, &actor_of_owner(s).await)
        .await
        .expect("list")
        .users
        .into_iter()
        .map(|u| u.email)
        .collect()
}

async fn actor_of_owner(s: &Services) -> Actor {
    let token = app::identity::service::log_in(s, "olga@client.com", "correct horse battery")
        .await
        .expect("owner logs in")
        .session()
        .expect("no two-factor step");
    actor(s, &token).await
}

#[tokio::test]
async fn a_manager_cannot_plant_a_user_even_with_the_admin_role() {
    let m = managed_with(DefaultRole::Admin).await;
    let before = emails(&m.s).await;
    let admin_role = default_role_key(&m.inside.account_id, DefaultRole::Admin);
    forbidden(
        users::add(
            &m.s,
            &m.inside,
            user("mole@agency.com", &admin_role, "a fine password"),
        )
        .await,
        "Account managers can't add users",
    );
    assert_eq!(emails(&m.s).await, before, "nobody was added");
}

#[tokio::test]
async fn a_manager_cannot_take_over_a_user_by_email_or_password() {
    let m = managed_with(DefaultRole::Admin).await;
    let builder = default_role_key(&m.owner.account_id, DefaultRole::Builder);
    let una = users::add(
        &m.s,
        &m.owner,
        user("una@client.com", &builder, "una's own password"),
    )
    .await
    .expect("the owner adds Una");

    forbidden(
        users::edit(&m.s, &m.inside, &una, user("mole@agency.com", &builder, "")).await,
        "change a user's email or password",
    );
    forbidden(
        users::edit(
            &m.s,
            &m.inside,
            &una,
            user("una@client.com", &builder, "the mole's password"),
        )
        .await,
        "change a user's email or password",
    );
    assert!(
        app::identity::service::log_in(&m.s, "una@client.com", "una's own password")
            .await
            .is_ok(),
        "Una's email and password are unchanged"
    );
    // What creates no access of its own stays possible: a name.
    let mut renamed = user("una@client.com", &builder, "");
    renamed.first_name = "Unity".into();
    users::edit(&m.s, &m.inside, &una, renamed)
        .await
        .expect("a manager may fix a name");
}

#[tokio::test]
async fn a_manager_cannot_change_who_manages_the_account() {
    let m = managed_with(DefaultRole::Admin).await;
    let builder = default_role_key(&m.owner.account_id, DefaultRole::Builder);
    forbidden(
        grants::invite(&m.s, &m.inside, "friend@elsewhere.com", &builder, "").await,
        "change who manages this account",
    );
    // Another agency's request, and another agency's grant.
    let (_, rival) = sign_up(&m.s, "rita@rival.com", "Rival Ltd").await;
    managed::request_access(&m.s, &rival, "olga@client.com", "builder")
        .await
        .expect("rival asks");
    let token = last_link(&m.s, "olga@client.com", "/requests/").await;
    forbidden(
        managed::decide_request(&m.s, &m.inside, &token, false).await,
        "change who manages this account",
    );
    let rows = grants::list(&m.s, &m.owner).await.expect("list").rows;
    let rival_row = rows
        .iter()
        .find(|r| r.manager_email == "rita@rival.com")
        .expect("rival's row");
    assert_eq!(
        rival_row.status, "Pending",
        "the request is still the owner's to answer"
    );
    for action in [OwnerAction::Approve, OwnerAction::Deny] {
        forbidden(
            grants::owner_action(&m.s, &m.inside, &GrantId::new(&rival_row.id), action).await,
            "change who manages this account",
        );
    }
    forbidden(
        grants::owner_action(&m.s, &m.inside, &m.grant_id, OwnerAction::Revoke).await,
        "change who manages this account",
    );
    forbidden(
        grants::delete(&m.s, &m.inside, &GrantId::new(&rival_row.id)).await,
        "change who manages this account",
    );
    let after = grants::list(&m.s, &m.owner).await.expect("list").rows;
    assert_eq!(
        after
            .iter()
            .map(|r| (r.id.clone(), r.status.clone()))
            .collect::<Vec<_>>(),
        rows.iter()
            .map(|r| (r.id.clone(), r.status.clone()))
            .collect::<Vec<_>>(),
        "no grant changed"
    );
}

#[tokio::test]
async fn a_manager_cannot_hand_over_the_primary_admin() {
    let m = managed_with(DefaultRole::Admin).await;
    let admin_role = default_role_key(&m.owner.account_id, DefaultRole::Admin);
    let una = users::add(
        &m.s,
        &m.owner,
        user("una@client.com", &admin_role, "una's own password"),
    )
    .await
    .expect("the owner adds an admin");
    forbidden(
        users::make_primary_admin(&m.s, &m.inside, &una).await,
        "Account managers can't change the primary admin",
    );
}

/// A team user whose custom role holds the Builder's permissions plus managing users and roles.
async fn people_manager(s: &Services, owner: &Actor) -> (Actor, String) {
    let builder = default_role_key(&owner.account_id, DefaultRole::Builder);
    let role = roles::copy(s, owner, &builder).await.expect("copy");
    let mut permissions: Vec<String> = roles::list(s, owner)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.id == role)
        .expect("the copy")
        .permissions;
    permissions.extend([
        "admin_tools.manage_users".to_string(),
        "admin_tools.manage_roles".to_string(),
    ]);
    roles::save(s, owner, &role, "People", &permissions)
        .await
        .expect("save");
    users::add(s, owner, user("una@client.com", &role, "una's own password"))
        .await
        .expect("add Una");
    let token = app::identity::service::log_in(s, "una@client.com", "una's own password")
        .await
        .expect("Una logs in")
        .session()
        .expect("no two-factor step");
    (actor(s, &token).await, role.to_string())
}

#[tokio::test]
async fn nobody_hands_out_a_role_holding_more_than_their_own() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let (una, people) = people_manager(&s, &owner).await;
    let admin_role = default_role_key(&owner.account_id, DefaultRole::Admin);
    let builder = default_role_key(&owner.account_id, DefaultRole::Builder);

    forbidden(
        users::add(&s, &una, user("ivan@client.com", &admin_role, "a fine password")).await,
        "can't hand out more than your role",
    );
    forbidden(
        users::edit(&s, &una, &una.user_id, user("una@client.com", &admin_role, "")).await,
        "can't hand out more than your role",
    );
    forbidden(
        grants::invite(&s, &una, "pat@agency.com", &admin_role, "").await,
        "can't hand out more than your role",
    );
    // Within the ceiling it all works.
    users::add(&s, &una, user("ivan@client.com", &builder, "a fine password"))
        .await
        .expect("a Builder is within Una's role");
    let listed = users::list(&s, &owner).await.expect("list").users;
    assert_eq!(
        listed
            .iter()
            .find(|u| u.email == "una@client.com")
            .map(|u| u.role_id.as_str()),
        Some(people.as_str()),
        "Una still holds her own role"
    );
}

#[tokio::test]
async fn nobody_adds_to_a_role_a_permission_they_do_not_hold() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let (una, people) = people_manager(&s, &owner).await;
    let before = roles::list(&s, &owner)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.id == people)
        .expect("role")
        .permissions;

    let mut more = before.clone();
    more.push("managed_accounts".to_string());
    forbidden(
        roles::save(&s, &una, &RoleId::new(&people), "People", &more).await,
        "can't hand out more than your role",
    );
    let admin_role = default_role_key(&owner.account_id, DefaultRole::Admin);
    forbidden(
        roles::copy(&s, &una, &admin_role).await,
        "can't hand out more than your role",
    );
    let now = roles::list(&s, &owner)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.id == people)
        .expect("role")
        .permissions;
    assert_eq!(now, before, "the role is unchanged");

    // Taking a permission away is always allowed, and so is what she holds.
    let fewer: Vec<String> = before
        .iter()
        .filter(|p| p.as_str() != "admin_tools.manage_roles")
        .cloned()
        .collect();
    roles::save(&s, &una, &RoleId::new(&people), "People", &fewer)
        .await
        .expect("removing is allowed");
}

#[tokio::test]
async fn the_primary_admin_holds_everything() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let admin_role = default_role_key(&owner.account_id, DefaultRole::Admin);
    users::add(
        &s,
        &owner,
        user("ivan@client.com", &admin_role, "a fine password"),
    )
    .await
    .expect("the primary admin gives the Admin role");
    roles::copy(&s, &owner, &admin_role).await.expect("and copies it");
}

#[tokio::test]
async fn approve_and_deny_apply_only_to_an_agencys_request() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let builder = default_role_key(&owner.account_id, DefaultRole::Builder);
    let invitation = grants::invite(&s, &owner, "pat@agency.com", &builder, "")
        .await
        .expect("invite");
    for action in [OwnerAction::Approve, OwnerAction::Deny] {
        assert!(
            matches!(
                grants::owner_action(&s, &owner, &invitation, action).await,
                Err(ServiceError::Conflict(_))
            ),
            "{action:?} of the owner's own invitation"
        );
    }
    let rows = grants::list(&s, &owner).await.expect("list").rows;
    assert_eq!(
        rows.iter().map(|r| r.status.as_str()).collect::<Vec<_>>(),
        vec!["Pending"],
        "only the invited manager can accept it"
    );
}

#[tokio::test]
async fn back_to_my_account_needs_a_managed_session() {
    let s = services().await;
    let (token, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    assert!(matches!(
        managed::back_home(&s, &agency, &token).await,
        Err(ServiceError::Conflict(m)) if m.contains("already in your own account")
    ));
    assert!(
        app::identity::service::actor_for_token(&s, &token)
            .await
            .expect("lookup")
            .is_some(),
        "the session is untouched"
    );
}

#[tokio::test]
async fn a_switch_after_the_session_ended_leaves_no_session_behind() {
    let s = services().await;
    let (agency_token, agency, _, _, grant) = granted(&s, DefaultRole::Builder).await;
    // The session ends (log out, force logout) after the actor was resolved from it.
    app::identity::service::log_out(&s, &agency_token)
        .await
        .expect("log out");
    assert!(matches!(
        managed::log_in_to(&s, &agency, &agency_token, &grant).await,
        Err(ServiceError::Unauthenticated)
    ));
    let sessions: Option<i64> =
        s.db.query("RETURN count(SELECT * FROM session WHERE user = type::record('user', $u))")
            .bind(("u", agency.user_id.to_string()))
            .await
            .expect("q")
            .take(0)
            .expect("v");
    assert_eq!(sessions, Some(0), "no fresh session survived");
}

async fn alive(s: &Services, token: &app::identity::service::SessionToken) -> bool {
    app::identity::service::actor_for_token(s, token)
        .await
        .expect("lookup")
        .is_some()
}

#[tokio::test]
async fn a_new_password_or_email_ends_the_other_sessions() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    // An admin, so that she may change her own password too.
    let admin_role = default_role_key(&owner.account_id, DefaultRole::Admin);
    let una = users::add(
        &s,
        &owner,
        user("una@client.com", &admin_role, "una's own password"),
    )
    .await
    .expect("add Una");
    let log_in = |password: &'static str, email: &'static str| {
        let s = s.clone();
        async move {
            app::identity::service::log_in(&s, email, password)
                .await
                .expect("log in")
                .session()
                .expect("no two-factor step")
        }
    };
    // An admin sets a new password: every session of Una ends.
    let phone = log_in("una's own password", "una@client.com").await;
    users::edit(
        &s,
        &owner,
        &una,
        user("una@client.com", &admin_role, "a password from the admin"),
    )
    .await
    .expect("new password");
    assert!(!alive(&s, &phone).await, "Una's phone is logged out");

    // Una changes her own password: her other sessions end, the one she acts from stays.
    let laptop = log_in("a password from the admin", "una@client.com").await;
    let phone = log_in("a password from the admin", "una@client.com").await;
    let me = actor(&s, &laptop).await;
    users::edit(
        &s,
        &me,
        &una,
        user("una@client.com", &admin_role, "una's newest password"),
    )
    .await
    .expect("her own new password");
    assert!(alive(&s, &laptop).await, "the session she changed it from stays");
    assert!(!alive(&s, &phone).await, "her other session ends");

    // A new email does the same.
    let phone = log_in("una's newest password", "una@client.com").await;
    users::edit(&s, &owner, &una, user("una@new.example", &admin_role, ""))
        .await
        .expect("new email");
    assert!(!alive(&s, &phone).await, "the new email ends the session");
    assert!(!alive(&s, &laptop).await);
}

#[tokio::test]
async fn a_managed_session_ends_when_the_managers_own_role_loses_log_in() {
    let s = services().await;
    let (_, agency_admin, _, _, grant) = granted(&s, DefaultRole::Builder).await;

    // Max, of the agency, holds a copy of the Admin role, and logs in to the client account.
    let admin_role = default_role_key(&agency_admin.account_id, DefaultRole::Admin);
    let agents = roles::copy(&s, &agency_admin, &admin_role).await.expect("copy");
    users::add(
        &s,
        &agency_admin,
        user("max@agency.com", &agents, "max's own password"),
    )
    .await
    .expect("add Max");
    let home = app::identity::service::log_in(&s, "max@agency.com", "max's own password")
        .await
        .expect("Max logs in")
        .session()
        .expect("no two-factor step");
    let max = actor(&s, &home).await;
    let managing = managed::log_in_to(&s, &max, &home, &grant)
        .await
        .expect("Max logs in to Client Co");
    assert!(actor(&s, &managing).await.managing.is_some());

    // His agency takes "Log in to managed accounts" away from his role.
    let permissions: Vec<String> = roles::list(&s, &agency_admin)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.id == agents)
        .expect("the copy")
        .permissions
        .into_iter()
        .filter(|p| !p.starts_with("managed_accounts"))
        .chain(["managed_accounts.view".to_string()])
        .collect();
    roles::save(&s, &agency_admin, &agents, "Agents", &permissions)
        .await
        .expect("save");

    let next = actor(&s, &managing).await;
    assert!(next.managing.is_none(), "the managed session went home");
    assert_eq!(next.account_id, max.home_account_id);
}

/// The email of the account's primary admin (if it is a user that exists), and every member's
/// email and role name.
async fn primary_and_roles(s: &Services, account_id: &str) -> (Option<String>, Vec<(String, String)>) {
    let mut res = s
        .db
        .query(
            "RETURN type::record('account', $account).primary_admin.email;
             SELECT VALUE [user.email, role.name] FROM membership WHERE account = type::record('account', $account);",
        )
        .bind(("account", account_id.to_string()))
        .await
        .expect("q");
    let primary: Option<String> = res.take(0).expect("primary");
    let members: Vec<(String, String)> = res.take(1).expect("members");
    (primary, members)
}

#[tokio::test]
async fn the_primary_admin_rules_hold_when_two_admins_act_at_once() {
    let s = services().await;
    let (_, olga) = sign_up(&s, "olga@client.com", "Client Co").await;
    let admin_role = default_role_key(&olga.account_id, DefaultRole::Admin);
    let builder = default_role_key(&olga.account_id, DefaultRole::Builder);
    // A second admin who acts against the primary admin's hand-overs.
    users::add(
        &s,
        &olga,
        user("ada@client.com", &admin_role, "ada's own password"),
    )
    .await
    .expect("add Ada");
    let ada_token = app::identity::service::log_in(&s, "ada@client.com", "ada's own password")
        .await
        .expect("Ada logs in")
        .session()
        .expect("no two-factor step");
    let ada = actor(&s, &ada_token).await;

    for round in 0..12 {
        let email = format!("x{round}@client.com");
        let x = users::add(&s, &olga, user(&email, &admin_role, "a fine password"))
            .await
            .expect("add X");
        // Olga hands the primary admin role to X while Ada demotes X, or deletes X.
        let olga_now = actor(
            &s,
            &app::identity::service::log_in(&s, "olga@client.com", "correct horse battery")
                .await
                .expect("Olga logs in")
                .session()
                .expect("no two-factor step"),
        )
        .await;
        if !olga_now.is_primary_admin {
            break;
        }
        let (_, _) = tokio::join!(users::make_primary_admin(&s, &olga_now, &x), async {
            if round % 2 == 0 {
                let _ = users::edit(&s, &ada, &x, user(&email, &builder, "")).await;
            } else {
                let _ = users::act(&s, &ada, &x, app::users::service::UserAction::Delete).await;
            }
        });
        let (primary, members) = primary_and_roles(&s, &olga.account_id).await;
        let primary_email = primary.expect("the primary admin is a user that exists");
        let role = members
            .iter()
            .find(|(e, _)| *e == primary_email)
            .map(|(_, r)| r.clone())
            .expect("the primary admin is a member");
        assert_eq!(
            role, "Admin",
            "round {round}: the primary admin holds the Admin role"
        );
        if primary_email == email {
            // X became the primary admin: hand it back for the next round.
            let x_actor = actor(
                &s,
                &app::identity::service::log_in(&s, &email, "a fine password")
                    .await
                    .expect("X logs in")
                    .session()
                    .expect("no two-factor step"),
            )
            .await;
            users::make_primary_admin(&s, &x_actor, &olga.user_id)
                .await
                .expect("hand it back");
        }
    }
}

/// The owner turns on "Account managers may manage users" (a manager can't).
async fn let_managers_manage_users(m: &Managed) {
    forbidden(
        app::settings::service::save(&m.s, &m.inside, &account_settings(true, true, "each_time")).await,
        "Account managers can't change these settings",
    );
    app::settings::service::save(&m.s, &m.owner, &account_settings(true, true, "each_time"))
        .await
        .expect("the owner turns it on");
}

#[tokio::test]
async fn with_the_owners_consent_a_manager_adds_users_marked_with_who_added_them() {
    let m = managed_with(DefaultRole::Admin).await;
    let builder = default_role_key(&m.inside.account_id, DefaultRole::Builder);
    assert!(!users::list(&m.s, &m.inside).await.expect("list").may_add_users);
    let_managers_manage_users(&m).await;
    let page = users::list(&m.s, &m.inside).await.expect("list");
    assert!(page.may_add_users, "the page offers Add new user");
    let id = users::add(
        &m.s,
        &m.inside,
        user("helper@client.com", &builder, "a fine password"),
    )
    .await
    .expect("a manager adds a user");
    let owner_view = users::list(&m.s, &m.owner).await.expect("owner list");
    let added = owner_view
        .users
        .iter()
        .find(|u| u.id == *id)
        .expect("on the owner's list");
    assert_eq!(
        added.added_by.as_deref(),
        Some("manager Pat Person <pat@agency.com> of agency Agency Inc")
    );
    assert!(owner_view
        .users
        .iter()
        .filter(|u| u.id != *id)
        .all(|u| u.added_by.is_none()));
    // The owner is told.
    let subjects: Vec<String> =
        m.s.db
            .query("SELECT VALUE subject FROM outbox WHERE to = 'olga@client.com'")
            .await
            .expect("outbox")
            .take(0)
            .expect("subjects");
    assert!(
        subjects
            .iter()
            .any(|s| s == "Agency Inc added a user to Client Co"),
        "{subjects:?}"
    );
    // The owner's own users stay out of reach: their email and password can't be changed.
    let own = users::add(
        &m.s,
        &m.owner,
        user("own@client.com", &builder, "a fine password"),
    )
    .await
    .expect("the owner's own user");
    forbidden(
        users::edit(&m.s, &m.inside, &own, user("mole@agency.com", &builder, "")).await,
        "can't add users or change a user's email or password",
    );
    forbidden(
        users::edit(
            &m.s,
            &m.inside,
            &own,
            user("own@client.com", &builder, "a password of mine"),
        )
        .await,
        "can't add users or change a user's email or password",
    );
    let page = users::list(&m.s, &m.inside).await.expect("list");
    let editable = |email: &str| {
        page.users
            .iter()
            .find(|u| u.email == email)
            .expect("row")
            .credentials_editable
    };
    assert!(editable("helper@client.com") && !editable("own@client.com") && !editable("olga@client.com"));
    // A user the manager added may be changed by them.
    let mut fix = user("helper2@client.com", &builder, "another fine password");
    fix.first_name = "Helen".into();
    users::edit(&m.s, &m.inside, &id, fix)
        .await
        .expect("edit own addition");
}

#[tokio::test]
async fn consent_is_checked_again_when_the_owner_turns_it_off() {
    let m = managed_with(DefaultRole::Admin).await;
    let builder = default_role_key(&m.inside.account_id, DefaultRole::Builder);
    let_managers_manage_users(&m).await;
    let id = users::add(
        &m.s,
        &m.inside,
        user("helper@client.com", &builder, "a fine password"),
    )
    .await
    .expect("added");
    app::settings::service::save(&m.s, &m.owner, &account_settings(true, false, "each_time"))
        .await
        .expect("off again");
    forbidden(
        users::add(
            &m.s,
            &m.inside,
            user("second@client.com", &builder, "a fine password"),
        )
        .await,
        "can't add users",
    );
    forbidden(
        users::edit(&m.s, &m.inside, &id, user("moved@client.com", &builder, "")).await,
        "can't add users or change a user's email or password",
    );
    assert!(!users::list(&m.s, &m.inside).await.expect("list").may_add_users);
}

#[tokio::test]
async fn revoking_or_deleting_the_grant_removes_the_added_users_when_the_owner_says_so() {
    use app::grants::service::AddedUsers;
    let m = managed_with(DefaultRole::Admin).await;
    let builder = default_role_key(&m.inside.account_id, DefaultRole::Builder);
    let_managers_manage_users(&m).await;
    for email in ["one@client.com", "two@client.com"] {
        users::add(&m.s, &m.inside, user(email, &builder, "a fine password"))
            .await
            .expect("added");
    }
    let row = grants::list(&m.s, &m.owner).await.expect("managers").rows;
    assert_eq!(row[0].added_users, 2, "the owner's list counts them, to ask");
    // Revoke, keeping them.
    grants::owner_action_with(&m.s, &m.owner, &m.grant_id, OwnerAction::Revoke, AddedUsers::Keep)
        .await
        .expect("revoke");
    assert!(emails(&m.s).await.contains(&"one@client.com".to_string()));
    // Grant again, then delete the grant and remove them.
    grants::owner_action(&m.s, &m.owner, &m.grant_id, OwnerAction::GrantAgain)
        .await
        .expect("again");
    grants::delete_with(&m.s, &m.owner, &m.grant_id, AddedUsers::Remove)
        .await
        .expect("delete");
    let left = emails(&m.s).await;
    assert!(
        !left.contains(&"one@client.com".to_string()) && !left.contains(&"two@client.com".to_string()),
        "{left:?}"
    );
    assert!(
        left.contains(&"olga@client.com".to_string()),
        "the owner's own users stay"
    );
    // A revoke with Remove, on another grant, removes only that grant's users.
    let m2 = managed_with(DefaultRole::Admin).await;
    let builder = default_role_key(&m2.inside.account_id, DefaultRole::Builder);
    let_managers_manage_users(&m2).await;
    users::add(
        &m2.s,
        &m2.inside,
        user("three@client.com", &builder, "a fine password"),
    )
    .await
    .expect("added");
    users::add(
        &m2.s,
        &m2.owner,
        user("own@client.com", &builder, "a fine password"),
    )
    .await
    .expect("the owner's own");
    grants::owner_action_with(
        &m2.s,
        &m2.owner,
        &m2.grant_id,
        OwnerAction::Revoke,
        AddedUsers::Remove,
    )
    .await
    .expect("revoke and remove");
    let left = emails(&m2.s).await;
    assert!(!left.contains(&"three@client.com".to_string()), "{left:?}");
    assert!(left.contains(&"own@client.com".to_string()), "{left:?}");
}
