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
