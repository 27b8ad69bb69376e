//! CSV export and import against a real SurrealDB.

use crate::common::{services, sign_up};

use app::contacts::csv as contacts_csv;
use app::contacts::service as contacts;
use app::contacts::service::PAGE_LIMIT;

#[tokio::test]
async fn an_export_holds_every_contact_not_only_one_page() {
    let s = services().await;
    let (_, admin) = sign_up(&s, "ann@acme.com", "Acme").await;
    let rows = PAGE_LIMIT as usize + 20;
    let mut csv = String::from("First name,Email\n");
    for i in 0..rows {
        csv.push_str(&format!("Person {i},person{i}@example.com\n"));
    }
    let outcome = contacts_csv::import(&s, &admin, &csv).await.expect("import");
    assert_eq!(outcome.created, rows);
    // The page shows the newest ones; the export has them all, plus its header.
    assert_eq!(
        contacts::list(&s, &admin).await.expect("list").contacts.len(),
        PAGE_LIMIT as usize
    );
    let exported = contacts_csv::export(&s, &admin).await.expect("export");
    assert_eq!(exported.lines().count(), rows + 1);
    assert!(exported.contains("Person 0,,person0@example.com"));
}

/// An import adds contacts, so it asks what adding one by hand asks: `create_edit`, and for
/// tags `manage_tags` (plus `create_delete_tags` for a tag the account doesn't have yet).
#[tokio::test]
async fn an_import_needs_the_rights_of_adding_those_contacts_by_hand() {
    use app::core::domain::permissions::PermissionSet;
    use app::core::services::ServiceError;
    let s = services().await;
    let (_, admin) = sign_up(&s, "ann@acme.com", "Acme").await;
    contacts_csv::import(&s, &admin, "First name,Tags\nKnown,existing\n")
        .await
        .expect("the admin brings the tag in");
    let with = |keys: &[&str]| {
        let mut actor = admin.clone();
        actor.permissions = PermissionSet::from_keys(keys.iter().copied());
        actor
    };
    let forbidden = |r: Result<app::contacts::model::ImportOutcome, ServiceError>| {
        matches!(r, Err(ServiceError::Forbidden(_)))
    };
    let import_only = with(&["contacts.view", "contacts.import_lists"]);
    assert!(forbidden(
        contacts_csv::import(&s, &import_only, "First name\nNo rights\n").await
    ));
    let no_tags = with(&["contacts.view", "contacts.import_lists", "contacts.create_edit"]);
    assert!(forbidden(
        contacts_csv::import(&s, &no_tags, "First name,Tags\nTagged,existing\n").await
    ));
    let old_tags = with(&[
        "contacts.view",
        "contacts.import_lists",
        "contacts.create_edit",
        "contacts.manage_tags",
    ]);
    assert!(forbidden(
        contacts_csv::import(&s, &old_tags, "First name,Tags\nTagged,brand new\n").await
    ));
    // Nothing of the refused files came in; what the rights allow does.
    let names: Vec<String> = contacts::list(&s, &admin)
        .await
        .expect("list")
        .contacts
        .into_iter()
        .map(|c| c.first_name)
        .collect();
    assert_eq!(names, vec!["Known".to_string()]);
    contacts_csv::import(&s, &no_tags, "First name\nPlain\n")
        .await
        .expect("no tags: create_edit is enough");
    contacts_csv::import(&s, &old_tags, "First name,Tags\nTagged,existing\n")
        .await
        .expect("an existing tag: manage_tags is enough");
}
