//! Roles against a real SurrealDB: the permission matrix of `spec/roles.md` as an executable
//! table (every default role × every use case), and custom roles that take effect at once.

use crate::common::{account_settings, services, sign_up};

use app::audit::service as audit;
use app::contacts::csv as contacts_csv;
use app::contacts::fields::service as fields;
use app::contacts::notes::service as notes;
use app::contacts::service::{self as contacts, ContactInput};
use app::core::accounts::default_role_key;
use app::core::domain::DefaultRole;
use app::core::services::{Actor, ServiceError, Services};
use app::grants::service as grants;
use app::identity::service as identity;
use app::managed_accounts::service::{self as managed, NewClientAccount};
use app::messages::service::{self as messages, MessageInput};
use app::roles::service as roles;
use app::settings::admin_tools::service as admin_tools;
use app::settings::model::{BusinessInformation, Localization};
use app::settings::service as settings;
use app::templates::service as templates;
use app::users::service::{self as users, UserInput};

const PASSWORD: &str = "correct horse battery";

/// Adds a team user with the role and returns them logged in.
async fn member(s: &Services, admin: &Actor, email: &str, role_key: &str) -> Actor {
    users::add(
        s,
        admin,
        UserInput {
            first_name: "Team".into(),
            last_name: "Member".into(),
            email: email.into(),
            password: PASSWORD.into(),
            role_id: role_key.into(),
        },
    )
    .await
    .expect("add user");
    let token = identity::log_in(s, email, PASSWORD)
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    identity::actor_for_token(s, &token)
        .await
        .expect("lookup")
        .expect("actor")
}

fn contact(name: &str, tags: &str) -> ContactInput {
    ContactInput {
        first_name: name.into(),
        last_name: "Contact".into(),
        email: String::new(),
        phone: String::new(),
        tags: tags.into(),
        values: Vec::new(),
    }
}

fn message(name: &str) -> MessageInput {
    MessageInput {
        name: name.into(),
        subject: "Hello".into(),
        body: "Body".into(),
    }
}

/// Every use case the table checks. Each runs as the given actor; `Ok(true)` means the role was
/// allowed, `Ok(false)` that it was refused (or, for lists, shown nothing).
#[derive(Debug, Clone, Copy)]
enum UseCase {
    SeeContacts,
    CreateContact,
    EditContact,
    DeleteContact,
    TagWithNewTag,
    ManageFields,
    SeeNotes,
    AddNote,
    EditNote,
    ImportContacts,
    ExportContacts,
    SeeMessages,
    CreateMessage,
    EditMessage,
    DeleteMessage,
    SendTestMessage,
    ListUsers,
    AddUser,
    InviteManager,
    AccountSettings,
    ListRoles,
    CopyRole,
    ListManagedAccounts,
    CreateClientAccount,
    SeeTemplates,
    ReadAuditLog,
    BusinessInformation,
    Localization,
}

/// `spec/roles.md` read use case by use case: allowed for [Admin, Manager, Builder, Designer].
const TABLE: &[(UseCase, [bool; 4])] = &[
    (UseCase::SeeContacts, [true, true, true, false]),
    (UseCase::CreateContact, [true, true, true, false]),
    (UseCase::EditContact, [true, true, true, false]),
    (UseCase::DeleteContact, [true, true, false, false]),
    (UseCase::TagWithNewTag, [true, true, true, false]),
    (UseCase::ManageFields, [true, true, true, false]),
    (UseCase::SeeNotes, [true, true, true, false]),
    (UseCase::AddNote, [true, true, true, false]),
    (UseCase::EditNote, [true, true, true, false]),
    (UseCase::ImportContacts, [true, true, false, false]),
    (UseCase::ExportContacts, [true, true, false, false]),
    (UseCase::SeeMessages, [true, true, true, true]),
    (UseCase::CreateMessage, [true, true, true, true]),
    (UseCase::EditMessage, [true, true, true, true]),
    (UseCase::DeleteMessage, [true, true, true, true]),
    (UseCase::SendTestMessage, [true, true, true, true]),
    (UseCase::ListUsers, [true, false, false, false]),
    (UseCase::AddUser, [true, false, false, false]),
    (UseCase::InviteManager, [true, false, false, false]),
    (UseCase::AccountSettings, [true, false, false, false]),
    (UseCase::ListRoles, [true, false, false, false]),
    (UseCase::CopyRole, [true, false, false, false]),
    (UseCase::ListManagedAccounts, [true, true, false, false]),
    (UseCase::CreateClientAccount, [true, false, false, false]),
    (UseCase::SeeTemplates, [true, true, false, false]),
    (UseCase::ReadAuditLog, [true, false, false, false]),
    (UseCase::BusinessInformation, [true, true, true, false]),
    (UseCase::Localization, [true, true, true, false]),
];

fn verdict<T>(result: Result<T, ServiceError>) -> Result<bool, String> {
    match result {
        Ok(_) => Ok(true),
        Err(ServiceError::Forbidden(_)) => Ok(false),
        Err(other) => Err(format!("{other:?}")),
    }
}

async fn run(s: &Services, admin: &Actor, actor: &Actor, case: UseCase, n: usize) -> Result<bool, String> {
    let unique = format!("{n}-{}", actor.user_id);
    match case {
        UseCase::SeeContacts => Ok(!contacts::list(s, actor)
            .await
            .map_err(|e| format!("{e:?}"))?
            .contacts
            .is_empty()),
        UseCase::CreateContact => verdict(contacts::create(s, actor, contact(&unique, "")).await),
        UseCase::EditContact => {
            let id = contacts::create(s, admin, contact(&unique, ""))
                .await
                .expect("seed");
            verdict(contacts::update(s, actor, &id, contact("Edited", "")).await)
        }
        UseCase::DeleteContact => {
            let id = contacts::create(s, admin, contact(&unique, ""))
                .await
                .expect("seed");
            verdict(contacts::delete(s, actor, &id).await)
        }
        UseCase::TagWithNewTag => {
            verdict(contacts::create(s, actor, contact(&unique, &format!("tag {unique}"))).await)
        }
        UseCase::ManageFields => verdict(fields::create(s, actor, &format!("Field {unique}"), "text").await),
        UseCase::SeeNotes => {
            let id = contacts::create(s, admin, contact(&unique, ""))
                .await
                .expect("seed");
            notes::create(s, admin, &id, "seed note")
                .await
                .expect("seed note");
            verdict(notes::list(s, actor, &id).await)
        }
        UseCase::AddNote => {
            let id = contacts::create(s, admin, contact(&unique, ""))
                .await
                .expect("seed");
            verdict(notes::create(s, actor, &id, "a note").await)
        }
        UseCase::EditNote => {
            let id = contacts::create(s, admin, contact(&unique, ""))
                .await
                .expect("seed");
            let note = notes::create(s, admin, &id, "seed note")
                .await
                .expect("seed note");
            verdict(notes::update(s, actor, &note, "edited").await)
        }
        UseCase::ImportContacts => verdict(
            contacts_csv::import(s, actor, &format!("First name,Email\nImported,imp{n}@x.com\n")).await,
        ),
        UseCase::ExportContacts => verdict(contacts_csv::export(s, actor).await),
        UseCase::SeeMessages => Ok(!messages::list(s, actor)
            .await
            .map_err(|e| format!("{e:?}"))?
            .messages
            .is_empty()),
        UseCase::CreateMessage => verdict(messages::save(s, actor, "", message(&unique)).await),
        UseCase::EditMessage => {
            let id = messages::save(s, admin, "", message(&unique))
                .await
                .expect("seed");
            verdict(messages::save(s, actor, &id, message("Edited")).await)
        }
        UseCase::DeleteMessage => {
            let id = messages::save(s, admin, "", message(&unique))
                .await
                .expect("seed");
            verdict(messages::delete(s, actor, &id).await)
        }
        UseCase::SendTestMessage => {
            let id = messages::save(s, admin, "", message(&unique))
                .await
                .expect("seed");
            verdict(messages::send_test(s, actor, &id).await)
        }
        UseCase::ListUsers => verdict(users::list(s, actor).await),
        UseCase::AddUser => verdict(
            users::add(
                s,
                actor,
                UserInput {
                    first_name: "New".into(),
                    last_name: "User".into(),
                    email: format!("new{n}@acme.com"),
                    password: PASSWORD.into(),
                    role_id: String::new(),
                },
            )
            .await,
        ),
        UseCase::InviteManager => verdict(
            grants::invite(
                s,
                actor,
                &format!("manager{n}@agency.com"),
                &default_role_key(&actor.account_id, DefaultRole::Builder),
                "",
            )
            .await,
        ),
        UseCase::AccountSettings => {
            verdict(settings::save(s, actor, &account_settings(true, false, "each_time")).await)
        }
        UseCase::ListRoles => verdict(roles::list(s, actor).await),
        UseCase::CopyRole => verdict(
            roles::copy(
                s,
                actor,
                &default_role_key(&actor.account_id, DefaultRole::Builder),
            )
            .await,
        ),
        UseCase::ListManagedAccounts => verdict(managed::list(s, actor, "", "name", false, 0).await),
        UseCase::CreateClientAccount => verdict(
            managed::create_account(
                s,
                actor,
                NewClientAccount {
                    name: format!("Client {n}"),
                    level: "basic".into(),
                    cms_plan: "none".into(),
                    payer: "agency".into(),
                    login_email: format!("client{n}@clients.com"),
                    data: "blank".into(),
                    template: String::new(),
                    sandbox: false,
                },
            )
            .await,
        ),
        UseCase::SeeTemplates => verdict(templates::page(s, actor).await),
        UseCase::ReadAuditLog => verdict(audit::list(s, actor, &Default::default()).await),
        UseCase::BusinessInformation => verdict(
            admin_tools::save_business(
                s,
                actor,
                BusinessInformation {
                    business_name: "Acme Ltd".into(),
                    address: "1 Main St".into(),
                    time_zone: "Europe/Paris".into(),
                },
            )
            .await,
        ),
        UseCase::Localization => verdict(
            admin_tools::save_localization(
                s,
                actor,
                Localization {
                    language: "fr".into(),
                    date_format: "DD/MM/YYYY".into(),
                    currency: "EUR".into(),
                },
            )
            .await,
        ),
    }
}

#[tokio::test]
async fn every_default_role_is_allowed_exactly_what_roles_md_says() {
    let s = services().await;
    let (_, admin) = sign_up(&s, "ada@acme.com", "Acme").await;
    contacts::create(&s, &admin, contact("Seed", ""))
        .await
        .expect("seed contact");
    messages::save(&s, &admin, "", message("Seed"))
        .await
        .expect("seed message");
    let mut team = vec![admin.clone()];
    for (email, role) in [
        ("mia@acme.com", DefaultRole::Manager),
        ("bob@acme.com", DefaultRole::Builder),
        ("dee@acme.com", DefaultRole::Designer),
    ] {
        team.push(member(&s, &admin, email, &default_role_key(&admin.account_id, role)).await);
    }
    let mut wrong = Vec::new();
    let mut n = 0;
    for (case, expected) in TABLE {
        for (i, actor) in team.iter().enumerate() {
            n += 1;
            match run(&s, &admin, actor, *case, n).await {
                Ok(allowed) if allowed == expected[i] => {}
                Ok(allowed) => wrong.push(format!("{case:?} as {}: allowed={allowed}", actor.role_name)),
                Err(e) => wrong.push(format!("{case:?} as {}: unexpected error {e}", actor.role_name)),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "differences from roles.md:\n{}",
        wrong.join("\n")
    );
    assert_eq!(n, TABLE.len() * 4);
}

#[tokio::test]
async fn a_custom_role_takes_effect_at_the_next_request_and_is_guarded() {
    let s = services().await;
    let (_, admin) = sign_up(&s, "ada@acme.com", "Acme").await;
    let builder_key = default_role_key(&admin.account_id, DefaultRole::Builder);
    let custom = roles::copy(&s, &admin, &builder_key).await.expect("copy");
    let listed = roles::list(&s, &admin).await.expect("list");
    let role = listed.iter().find(|r| r.id == custom).expect("custom role");
    assert_eq!(role.name, "Copy of Builder");
    assert!(!role.is_default);

    // Default roles can't be changed or deleted.
    assert!(matches!(
        roles::save(&s, &admin, &builder_key, "Renamed", &[]).await,
        Err(ServiceError::Conflict(_))
    ));
    assert!(matches!(
        roles::delete(&s, &admin, &builder_key).await,
        Err(ServiceError::Conflict(_))
    ));
    // Unknown permissions and taken names are refused.
    assert!(matches!(
        roles::save(&s, &admin, &custom, "Editors", &["contacts.fly".to_string()]).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(matches!(
        roles::save(&s, &admin, &custom, "Builder", &[]).await,
        Err(ServiceError::Invalid(ref f)) if f[0].1 == "A role with this name already exists."
    ));

    let member = member(&s, &admin, "eve@acme.com", &custom).await;
    let id = contacts::create(&s, &member, contact("Kept", ""))
        .await
        .expect("create with builder rights");
    // Remove "Can view contacts" and add "Can delete contacts": the member's next request follows.
    let mut perms: Vec<String> = role
        .permissions
        .iter()
        .filter(|p| *p != "contacts" && !p.starts_with("contacts."))
        .cloned()
        .collect();
    perms.extend(
        app::core::domain::permissions::CATALOGUE
            .iter()
            .find(|a| a.key == "contacts")
            .expect("contacts")
            .items
            .iter()
            .filter(|i| **i != "view")
            .map(|i| format!("contacts.{i}")),
    );
    roles::save(&s, &admin, &custom, "Editors", &perms)
        .await
        .expect("save");
    let token = identity::log_in(&s, "eve@acme.com", PASSWORD)
        .await
        .expect("log in")
        .session()
        .expect("no two-factor step");
    let member_now = identity::actor_for_token(&s, &token)
        .await
        .expect("l")
        .expect("actor");
    assert_eq!(member_now.role_name, "Editors");
    assert!(contacts::list(&s, &member_now)
        .await
        .expect("list")
        .contacts
        .is_empty());
    contacts::delete(&s, &member_now, &id)
        .await
        .expect("now may delete");
    // The old session of the member reads the role again too.
    let again = identity::actor_for_token(&s, &token)
        .await
        .expect("l")
        .expect("actor");
    assert!(!again.can(app::core::domain::Permission::CONTACTS_VIEW));
    let _ = member;

    // A role in use can't be deleted, and the refusal says by whom.
    let err = roles::delete(&s, &admin, &custom).await.expect_err("in use");
    assert!(
        matches!(err, ServiceError::Conflict(ref m) if m.contains("eve@acme.com")),
        "{err:?}"
    );
    // Only manage_roles may change roles.
    let designer = member_for(&s, &admin).await;
    assert!(matches!(
        roles::copy(&s, &designer, &custom).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        roles::save(&s, &designer, &custom, "X", &[]).await,
        Err(ServiceError::Forbidden(_))
    ));
    assert!(matches!(
        roles::delete(&s, &designer, &custom).await,
        Err(ServiceError::Forbidden(_))
    ));

    // Unused, it goes.
    let spare = roles::copy(&s, &admin, &custom).await.expect("copy");
    roles::delete(&s, &admin, &spare).await.expect("delete unused");
    assert!(roles::list(&s, &admin)
        .await
        .expect("list")
        .iter()
        .all(|r| r.id != spare));
}

async fn member_for(s: &Services, admin: &Actor) -> Actor {
    member(
        s,
        admin,
        "dee@acme.com",
        &default_role_key(&admin.account_id, DefaultRole::Designer),
    )
    .await
}

#[tokio::test]
async fn roles_of_another_account_are_out_of_reach() {
    let s = services().await;
    let (_, acme) = sign_up(&s, "ada@acme.com", "Acme").await;
    let (_, other) = sign_up(&s, "olga@other.com", "Other").await;
    let custom = roles::copy(
        &s,
        &acme,
        &default_role_key(&acme.account_id, DefaultRole::Builder),
    )
    .await
    .expect("copy");
    assert!(matches!(
        roles::copy(&s, &other, &custom).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        roles::save(&s, &other, &custom, "Mine", &[]).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        roles::delete(&s, &other, &custom).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(roles::list(&s, &other)
        .await
        .expect("list")
        .iter()
        .all(|r| r.id != custom));
}

#[tokio::test]
async fn an_account_manager_on_a_custom_role_follows_its_changes_at_the_next_request() {
    let s = services().await;
    let (_, owner) = sign_up(&s, "olga@client.com", "Client Co").await;
    let (agency_token, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    contacts::create(&s, &owner, contact("Client's own", ""))
        .await
        .expect("contact");
    let custom = roles::copy(
        &s,
        &owner,
        &default_role_key(&owner.account_id, DefaultRole::Builder),
    )
    .await
    .expect("copy");
    let grant = grants::invite(&s, &owner, "pat@agency.com", &custom, "")
        .await
        .expect("invite");
    let links: Vec<Option<String>> =
        s.db.query("SELECT VALUE link FROM outbox WHERE to = 'pat@agency.com' AND link != NONE")
            .await
            .expect("q")
            .take(0)
            .expect("links");
    let link = links
        .into_iter()
        .flatten()
        .find(|l| l.contains("/invitations/"))
        .expect("link");
    let token = link.rsplit('/').next().expect("token").to_string();
    grants::answer_invitation(&s, &agency, &token, true)
        .await
        .expect("accept");

    let inside_token = managed::log_in_to(&s, &agency, &agency_token, &grant)
        .await
        .expect("log in");
    let inside = identity::actor_for_token(&s, &inside_token)
        .await
        .expect("l")
        .expect("actor");
    assert_eq!(inside.role_name, "Copy of Builder");
    assert_eq!(contacts::list(&s, &inside).await.expect("list").contacts.len(), 1);
    // The owner takes "Can view contacts" away: the manager's very next request sees nothing.
    let role = roles::list(&s, &owner)
        .await
        .expect("roles")
        .into_iter()
        .find(|r| r.id == custom)
        .expect("role");
    let without_view: Vec<String> = role
        .permissions
        .iter()
        .filter(|p| *p != "contacts.view")
        .cloned()
        .collect();
    roles::save(&s, &owner, &custom, "No contacts", &without_view)
        .await
        .expect("save");
    let inside = identity::actor_for_token(&s, &inside_token)
        .await
        .expect("l")
        .expect("actor");
    assert_eq!(inside.role_name, "No contacts");
    assert!(contacts::list(&s, &inside)
        .await
        .expect("list")
        .contacts
        .is_empty());
    // The grant holds the role: it can't be deleted while the grant exists.
    let err = roles::delete(&s, &owner, &custom).await.expect_err("in use");
    assert!(
        matches!(err, ServiceError::Conflict(ref m) if m.contains("pat@agency.com (account manager)")),
        "{err:?}"
    );
}
