//! Account templates against a real SurrealDB: built-ins, sandbox → template, copies that are
//! equal record for record with fresh ids, all-or-nothing, concurrent, and scoped to the agency.

use crate::common::{services, sign_up};
use app::core::ids::GrantId;
use surrealdb::types::{RecordId, SurrealValue};

use app::contacts::fields::service as fields;
use app::contacts::service::{self as contacts, ContactInput};
use app::core::db::{self, Tx};
use app::core::services::{Actor, ServiceError, Services};
use app::identity::service::{self as identity, SessionToken};
use app::managed_accounts::service::{self as managed, NewClientAccount};
use app::messages::service as messages;
use app::templates::service as templates;

fn new_account(name: &str, email: &str, data: &str, template: &str, sandbox: bool) -> NewClientAccount {
    NewClientAccount {
        name: name.into(),
        level: "basic".into(),
        cms_plan: "none".into(),
        payer: "agency".into(),
        login_email: email.into(),
        data: data.into(),
        template: template.into(),
        sandbox,
    }
}

/// Everything a copy must reproduce, in a form that ignores record keys.
#[derive(Debug, Clone, PartialEq, SurrealValue)]
struct Snapshot {
    fields: Vec<String>,
    tags: Vec<String>,
    messages: Vec<String>,
    contacts: Vec<String>,
    roles: Vec<String>,
    notes: Vec<String>,
    login_notify: String,
    localization: String,
}

async fn snapshot(s: &Services, account_key: &str) -> Snapshot {
    let mut res = s
        .db
        .query(
            "RETURN {
                fields: (SELECT VALUE name + '/' + kind FROM custom_field WHERE account = $a ORDER BY name),
                tags: (SELECT VALUE name FROM tag WHERE account = $a ORDER BY name),
                messages: (SELECT VALUE name + '|' + subject + '|' + body + '|' + fields.map(|$f| $f.name).join(',')
                           FROM message WHERE account = $a ORDER BY name),
                contacts: (SELECT VALUE first_name + ' ' + last_name + ' ' + email + ' [' +
                               tags.map(|$t| $t.name).sort().join(',') + '] {' +
                               fields.map(|$f| $f.field.name + '=' + $f.value).sort().join(',') + '}'
                           FROM contact WHERE account = $a ORDER BY first_name, last_name, email),
                roles: (SELECT VALUE name + ':' + permissions.join(',') FROM role
                        WHERE account = $a AND default_key = NONE ORDER BY name),
                notes: (SELECT VALUE contact.first_name + ': ' + body FROM note WHERE account = $a ORDER BY body),
                login_notify: $a.login_notify,
                localization: $a.time_zone + ' ' + $a.language + ' ' + $a.date_format + ' ' + $a.currency,
            }",
        )
        .bind(("a", db::rid("account", account_key)))
        .await
        .expect("query")
        .check()
        .expect("ok");
    let snap: Option<Snapshot> = res.take(0).expect("take");
    snap.expect("snapshot")
}

/// Keys of every business record of an account.
async fn keys(s: &Services, account_key: &str) -> Vec<RecordId> {
    let mut res =
        s.db.query(
            "array::flatten([
                (SELECT VALUE id FROM custom_field WHERE account = $a),
                (SELECT VALUE id FROM tag WHERE account = $a),
                (SELECT VALUE id FROM message WHERE account = $a),
                (SELECT VALUE id FROM contact WHERE account = $a)])",
        )
        .bind(("a", db::rid("account", account_key)))
        .await
        .expect("query");
    res.take(0).expect("take")
}

/// References of the account's records that point outside it (must be none).
async fn foreign_references(s: &Services, account_key: &str) -> i64 {
    let mut res = s
        .db
        .query(
            "RETURN array::len(array::flatten((SELECT VALUE tags.filter(|$t| $t.account != $a) FROM contact WHERE account = $a)))
                + array::len(array::flatten((SELECT VALUE fields.filter(|$f| $f.field.account != $a) FROM contact WHERE account = $a)))
                + array::len(array::flatten((SELECT VALUE fields.filter(|$f| $f.account != $a) FROM message WHERE account = $a)))
                + count(SELECT id FROM note WHERE account = $a AND contact.account != $a)",
        )
        .bind(("a", db::rid("account", account_key)))
        .await
        .expect("query");
    let n: Option<i64> = res.take(0).expect("take");
    n.expect("count")
}

async fn actor(s: &Services, token: &SessionToken) -> Actor {
    identity::actor_for_token(s, token)
        .await
        .expect("lookup")
        .expect("actor")
}

/// The grant id of the agency's row for an account it created.
async fn grant_of(s: &Services, agency: &Actor, account_name: &str) -> String {
    let page = managed::list(s, agency, account_name, "name", false, 0)
        .await
        .expect("list");
    page.rows
        .into_iter()
        .find(|r| r.name == account_name)
        .expect("row")
        .id
}

fn contact(first: &str, tags: &str, values: Vec<(String, String)>) -> ContactInput {
    ContactInput {
        first_name: first.into(),
        last_name: "Sample".into(),
        email: String::new(),
        phone: String::new(),
        tags: tags.into(),
        values,
    }
}

#[tokio::test]
async fn built_in_templates_are_there_and_an_account_copies_one_exactly() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let page = templates::page(&s, &agency).await.expect("page");
    let names: Vec<&str> = page.built_in.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains(&"Coach") && names.contains(&"Agency client"),
        "{names:?}"
    );
    let coach = page.built_in.iter().find(|t| t.name == "Coach").expect("coach");
    assert!(coach.fields >= 5 && coach.tags >= 5 && coach.messages >= 3 && coach.contacts >= 2);

    let key = managed::create_account(
        &s,
        &agency,
        new_account("Coach Client", "coachy@client.com", "template", &coach.id, false),
    )
    .await
    .expect("create");

    let template = snapshot(&s, "builtin_coach").await;
    let copy = snapshot(&s, &key).await;
    assert_eq!(copy, template);
    assert!(!copy.contacts.is_empty() && copy.messages.iter().any(|m| m.ends_with("|Goal")));
    let copied = keys(&s, &key).await;
    let original = keys(&s, "builtin_coach").await;
    assert_eq!(copied.len(), original.len());
    assert!(copied.iter().all(|k| !original.contains(k)), "fresh ids");
    assert_eq!(foreign_references(&s, &key).await, 0);
    // A tag made in the copy later is the same tag, as for any account.
    let tag_key = contacts::tag_id(&key, "Client");
    assert!(copied.contains(&tag_key));
    // The template itself is unchanged.
    assert_eq!(snapshot(&s, "builtin_coach").await, template);
}

#[tokio::test]
async fn a_sandbox_becomes_a_template_that_new_accounts_copy() {
    let s = services().await;
    let (agency_token, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    managed::create_account(
        &s,
        &agency,
        new_account("Sandbox", "sandbox@agency.com", "blank", "", true),
    )
    .await
    .expect("sandbox");
    let grant = grant_of(&s, &agency, "Sandbox").await;
    let inside_token = managed::log_in_to(&s, &agency, &agency_token, &GrantId::new(&grant))
        .await
        .expect("log in");
    let inside = actor(&s, &inside_token).await;
    let field = fields::create(&s, &inside, "Favourite colour", "text")
        .await
        .expect("field");
    let ann = contacts::create(
        &s,
        &inside,
        contact("Ann", "vip, lead", vec![(field.clone(), "green".into())]),
    )
    .await
    .expect("contact");
    app::contacts::notes::service::create(&s, &inside, &ann, "Met at the fair")
        .await
        .expect("note");
    messages::save(
        &s,
        &inside,
        "",
        messages::MessageInput {
            name: "Hello".into(),
            subject: "Hi {{First name}}".into(),
            body: "Your colour: {{Favourite colour}}".into(),
        },
    )
    .await
    .expect("message");
    let home_token = managed::back_home(&s, &inside, &inside_token)
        .await
        .expect("back");
    let agency = actor(&s, &home_token).await;

    let page = templates::page(&s, &agency).await.expect("page");
    assert_eq!(page.sandboxes.len(), 1);
    let sandbox_key = page.sandboxes[0].id.clone();
    let bad = templates::convert(&s, &agency, &sandbox_key, " ", "")
        .await
        .expect_err("name");
    assert!(matches!(bad, ServiceError::Invalid(ref f) if f[0].0 == "name"));
    let tpl = templates::convert(&s, &agency, &sandbox_key, "My CRM", "Our set-up")
        .await
        .expect("convert");
    let page = templates::page(&s, &agency).await.expect("page");
    let mine = &page.mine[0];
    assert_eq!(
        (
            mine.name.as_str(),
            mine.fields,
            mine.tags,
            mine.messages,
            mine.contacts
        ),
        ("My CRM", 1, 2, 1, 1)
    );

    let key = managed::create_account(
        &s,
        &agency,
        new_account("Client From Mine", "client@mine.com", "template", &tpl, false),
    )
    .await
    .expect("create");
    let copy = snapshot(&s, &key).await;
    assert_eq!(copy, snapshot(&s, &sandbox_key).await);
    assert_eq!(
        copy.contacts,
        vec!["Ann Sample  [lead,vip] {Favourite colour=green}".to_string()]
    );
    assert_eq!(
        copy.messages,
        vec!["Hello|Hi {{First name}}|Your colour: {{Favourite colour}}|Favourite colour".to_string()]
    );
    assert_eq!(copy.notes, vec!["Ann: Met at the fair".to_string()]);
    assert_eq!(foreign_references(&s, &key).await, 0);

    // Refresh picks up the sandbox's changes; accounts made before keep their copy.
    let inside_token = managed::log_in_to(&s, &agency, &home_token, &GrantId::new(&grant))
        .await
        .expect("log in");
    let inside = actor(&s, &inside_token).await;
    contacts::create(&s, &inside, contact("Bob", "", vec![]))
        .await
        .expect("contact");
    let home_token = managed::back_home(&s, &inside, &inside_token)
        .await
        .expect("back");
    let agency = actor(&s, &home_token).await;
    templates::refresh(&s, &agency, &tpl).await.expect("refresh");
    assert_eq!(
        templates::page(&s, &agency).await.expect("page").mine[0].contacts,
        2
    );
    assert_eq!(snapshot(&s, &key).await.contacts.len(), 1);

    templates::rename(&s, &agency, &tpl, "CRM v2", "")
        .await
        .expect("rename");
    templates::delete(&s, &agency, &tpl).await.expect("delete");
    assert!(templates::page(&s, &agency).await.expect("page").mine.is_empty());
    assert_eq!(
        snapshot(&s, &key).await,
        copy,
        "accounts made from it keep their data"
    );
    let gone = managed::create_account(
        &s,
        &agency,
        new_account("Late", "late@x.com", "template", &tpl, false),
    )
    .await
    .expect_err("deleted template");
    assert!(matches!(gone, ServiceError::Invalid(ref f) if f[0].0 == "template"));
}

#[tokio::test]
async fn templates_belong_to_their_agency() {
    let s = services().await;
    let (agency_token, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (_, other) = sign_up(&s, "olga@other.com", "Other Agency").await;
    managed::create_account(
        &s,
        &agency,
        new_account("Sandbox", "sandbox@agency.com", "blank", "", true),
    )
    .await
    .expect("sandbox");
    let sandbox_key = templates::page(&s, &agency).await.expect("page").sandboxes[0]
        .id
        .clone();
    // Another agency can neither convert this sandbox nor see or use the template.
    assert!(matches!(
        templates::convert(&s, &other, &sandbox_key, "Stolen", "").await,
        Err(ServiceError::NotFound(_))
    ));
    let tpl = templates::convert(&s, &agency, &sandbox_key, "Mine", "")
        .await
        .expect("convert");
    let theirs = templates::page(&s, &other).await.expect("page");
    assert!(theirs.mine.is_empty() && theirs.sandboxes.is_empty());
    assert!(
        managed::create_account(&s, &other, new_account("X", "x@x.com", "template", &tpl, false))
            .await
            .is_err()
    );
    assert!(matches!(
        templates::delete(&s, &other, &tpl).await,
        Err(ServiceError::NotFound(_))
    ));
    assert!(matches!(
        templates::rename(&s, &other, &tpl, "Hijacked", "").await,
        Err(ServiceError::NotFound(_))
    ));
    // A built-in template can't be deleted by anyone.
    assert!(matches!(
        templates::delete(&s, &agency, "coach").await,
        Err(ServiceError::NotFound(_))
    ));
    // A non-sandbox account is no template source.
    managed::create_account(
        &s,
        &agency,
        new_account("Real", "real@client.com", "blank", "", false),
    )
    .await
    .expect("real");
    let real =
        s.db.query("SELECT VALUE record::id(id) FROM account WHERE name = 'Real'")
            .await
            .expect("q")
            .take::<Vec<String>>(0)
            .expect("t");
    assert!(templates::convert(&s, &agency, &real[0], "Nope", "")
        .await
        .is_err());
    let _ = agency_token;
}

const BUSINESS_RECORDS: &str = "RETURN count(SELECT * FROM contact) + count(SELECT * FROM tag)
    + count(SELECT * FROM message) + count(SELECT * FROM custom_field)";

async fn count(s: &Services, sql: &str) -> Option<i64> {
    s.db.query(sql).await.expect("q").take(0).expect("t")
}

#[tokio::test]
async fn a_failure_half_way_leaves_nothing_behind() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let before = count(&s, BUSINESS_RECORDS).await;
    // The copy statements, then a failure: the transaction must leave no trace.
    let mut tx = Tx::new();
    tx.bind("dst", db::rid("account", "halfway"));
    tx.push("CREATE $dst SET name = 'Half way', status = 'free_trial'");
    let content = templates::read_content(&s.db, "builtin_coach")
        .await
        .expect("read");
    assert!(content.contacts() > 0);
    templates::copy_content(&mut tx, &content, "halfway");
    tx.push("THROW 'injected failure'");
    let err = tx.commit(&s.db).await.expect_err("fails");
    assert!(err.to_string().contains("injected failure"), "{err}");
    let after = count(&s, BUSINESS_RECORDS).await;
    assert_eq!(after, before);
    assert!(keys(&s, "halfway").await.is_empty());

    // Through the service: the login email is taken, so nothing of the account survives.
    let err = managed::create_account(
        &s,
        &agency,
        new_account("Taken", "pat@agency.com", "template", "coach", false),
    )
    .await
    .expect_err("email taken");
    assert!(matches!(err, ServiceError::Invalid(ref f) if f[0].1 == "User already exists."));
    let n = count(&s, "RETURN count(SELECT * FROM account WHERE name = 'Taken')").await;
    assert_eq!(n, Some(0));
}

#[tokio::test]
async fn two_copies_at_once_from_one_template_both_succeed() {
    let s = services().await;
    let (_, agency) = sign_up(&s, "pat@agency.com", "Agency Inc").await;
    let (a, b) = tokio::join!(
        managed::create_account(
            &s,
            &agency,
            new_account("Twin A", "a@twins.com", "template", "coach", false)
        ),
        managed::create_account(
            &s,
            &agency,
            new_account("Twin B", "b@twins.com", "template", "coach", false)
        ),
    );
    let (a, b) = (a.expect("a"), b.expect("b"));
    let template = snapshot(&s, "builtin_coach").await;
    assert_eq!(snapshot(&s, &a).await, template);
    assert_eq!(snapshot(&s, &b).await, template);
}
