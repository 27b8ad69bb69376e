//! The permission catalogue and the four default roles, exactly as `spec/roles.md` says.
//!
//! A permission is `area` or `area.item`. Holding an area means holding all its items.
use std::collections::BTreeSet;

/// One area of the catalogue with its items (empty: the area is all-or-nothing).
pub struct Area {
    pub key: &'static str,
    pub label: &'static str,
    pub items: &'static [&'static str],
}

const MESSAGE_ITEMS: &[&str] = &["use_messages", "create_copy_messages", "edit_delete_messages"];

pub const CATALOGUE: &[Area] = &[
    Area {
        key: "account_management",
        label: "Account management",
        items: &[],
    },
    Area {
        key: "dashboard",
        label: "Dashboard",
        items: &[],
    },
    Area {
        key: "contacts",
        label: "Contacts",
        items: &[
            "view",
            "create_edit",
            "delete",
            "set_tasks",
            "manage_tags",
            "create_delete_tags",
            "export_lists",
            "import_lists",
            "manage_smartforms",
            "view_owner",
            "send_postcards",
            "manage_fields",
            "merge",
            "use_sequences",
            "create_copy_sequences",
            "manage_sequences",
            "edit_delete_sequences",
            "split_test_sequences",
            "use_automations",
            "create_copy_automations",
            "manage_automations",
            "edit_delete_automations",
            "use_messages",
            "create_copy_messages",
            "edit_delete_messages",
            "send_emails",
            "broadcast_emails",
            "broadcast_sms",
            "use_rules",
            "fulfillment_manager",
            "log_transaction",
            "view_transaction_log",
            "manage_credit_card",
            "notes",
            "create_notes",
            "edit_delete_notes",
        ],
    },
    Area {
        key: "task_manager",
        label: "Task manager",
        items: &[],
    },
    Area {
        key: "calendar",
        label: "Calendar",
        items: &[],
    },
    Area {
        key: "tracking",
        label: "Tracking",
        items: &[],
    },
    Area {
        key: "admin_tools",
        label: "Admin tools",
        items: &[
            "administrator_tools",
            "lead_scoring",
            "email_from_setup",
            "manage_users",
            "manage_roles",
            "lead_routing",
            "manage_user_fields",
            "api_manager",
            "shopping_cart_sync",
            "ultracart",
            "facebook_integration",
            "email_sync",
            "clickbank",
            "localization",
            "business_information",
            "unsubscribe_footer",
        ],
    },
    Area {
        key: "systems",
        label: "Systems",
        items: &[],
    },
    Area {
        key: "sites",
        label: "Sites",
        items: &[],
    },
    Area {
        key: "partners",
        label: "Partners",
        items: &[],
    },
    Area {
        key: "sales",
        label: "Sales",
        items: &[],
    },
    Area {
        key: "videos",
        label: "Videos",
        items: &[],
    },
    Area {
        key: "filebox",
        label: "Filebox",
        items: &[],
    },
    Area {
        key: "security",
        label: "Security",
        items: &[],
    },
    Area {
        key: "legacy_advanced",
        label: "Legacy and advanced features",
        items: &[],
    },
    Area {
        key: "deals",
        label: "Deals",
        items: MESSAGE_ITEMS,
    },
    Area {
        key: "companies",
        label: "Companies",
        items: MESSAGE_ITEMS,
    },
    Area {
        key: "virtual_events",
        label: "Virtual events",
        items: &["use_messages", "edit_delete_messages"],
    },
    Area {
        key: "surveys",
        label: "Surveys",
        items: MESSAGE_ITEMS,
    },
    Area {
        key: "custom_objects",
        label: "Custom objects",
        items: MESSAGE_ITEMS,
    },
    Area {
        key: "managed_accounts",
        label: "Managed accounts",
        items: &["view", "add", "update", "log_in"],
    },
];

/// What a check box of the role editor says for an item of an area.
/// The label of one permission key (`area` or `area.item`).
fn label_of(key: &str) -> String {
    match key.split_once('.') {
        Some((area, item)) => item_label(area, item),
        None => CATALOGUE
            .iter()
            .find(|a| a.key == key)
            .map_or_else(|| key.to_string(), |a| a.label.to_string()),
    }
}

/// The seed's own words for each item (the role lists of `spec/sources/000_*.txt`), with the
/// product's name dropped ("Ontraport API manager" is "API manager"); the Managed accounts items
/// are the names the sources give them (`001_*.txt`).
pub fn item_label(area: &str, item: &str) -> String {
    let label = match (area, item) {
        ("managed_accounts", "view") => "Managed accounts",
        ("managed_accounts", "add") => "Add managed accounts",
        ("managed_accounts", "update") => "Update managed accounts",
        ("managed_accounts", "log_in") => "Log in to managed accounts",
        (_, "view") => "Can view contacts",
        (_, "create_edit") => "Can create/edit contacts",
        (_, "delete") => "Can delete contacts",
        (_, "set_tasks") => "Can set tasks",
        (_, "manage_tags") => "Can manage tags",
        (_, "create_delete_tags") => "Can create/delete tags",
        (_, "export_lists") => "Can export lists",
        (_, "import_lists") => "Can import lists",
        (_, "manage_smartforms") => "Manage SmartForms",
        (_, "view_owner") => "Can view contact owner",
        (_, "send_postcards") => "Can send postcards",
        (_, "manage_fields") => "Manage fields",
        (_, "merge") => "Can merge contacts",
        (_, "use_sequences") => "Can use sequences",
        (_, "create_copy_sequences") => "Create/copy sequences",
        (_, "manage_sequences") => "Can manage sequences",
        (_, "edit_delete_sequences") => "Edit/delete sequences",
        (_, "split_test_sequences") => "Enable split tests for sequences",
        (_, "use_automations") => "Can use automations",
        (_, "create_copy_automations") => "Create/copy automations",
        (_, "manage_automations") => "Can manage automations",
        (_, "edit_delete_automations") => "Edit/delete automations",
        (_, "use_messages") => "Can use messages",
        (_, "create_copy_messages") => "Create/copy messages",
        (_, "edit_delete_messages") => "Edit/delete messages",
        (_, "send_emails") => "Can send emails",
        (_, "broadcast_emails") => "Can broadcast emails",
        (_, "broadcast_sms") => "Can broadcast SMS messages",
        (_, "use_rules") => "Can use rules",
        (_, "fulfillment_manager") => "Fulfillment manager",
        (_, "log_transaction") => "Log transaction",
        (_, "view_transaction_log") => "View transaction log",
        (_, "manage_credit_card") => "Manage credit card",
        (_, "notes") => "Notes",
        (_, "create_notes") => "Create notes",
        (_, "edit_delete_notes") => "Edit/delete notes",
        (_, "administrator_tools") => "Administrator tools",
        (_, "lead_scoring") => "Manage lead scoring",
        (_, "email_from_setup") => "Email \u{2018}FROM\u{2019} address setup",
        (_, "manage_users") => "Manage users",
        (_, "manage_roles") => "Manage roles",
        (_, "lead_routing") => "Lead routing",
        (_, "manage_user_fields") => "Manage user fields",
        (_, "api_manager") => "API manager",
        (_, "shopping_cart_sync") => "1ShoppingCart.com sync",
        (_, "ultracart") => "UltraCart",
        (_, "facebook_integration") => "Facebook integration",
        (_, "email_sync") => "Email sync",
        (_, "clickbank") => "ClickBank",
        (_, "localization") => "Localization",
        (_, "business_information") => "Business information",
        (_, "unsubscribe_footer") => "Unsubscribe footer",
        _ => return item.replace('_', " "),
    };
    label.to_string()
}

/// A permission the code asks for. Kept as constants so a typo is a compile error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission(pub &'static str);

impl Permission {
    pub const DASHBOARD: Self = Self("dashboard");
    pub const CONTACTS_VIEW: Self = Self("contacts.view");
    pub const CONTACTS_CREATE_EDIT: Self = Self("contacts.create_edit");
    pub const CONTACTS_DELETE: Self = Self("contacts.delete");
    pub const CONTACTS_MANAGE_TAGS: Self = Self("contacts.manage_tags");
    pub const CONTACTS_CREATE_DELETE_TAGS: Self = Self("contacts.create_delete_tags");
    pub const CONTACTS_MANAGE_FIELDS: Self = Self("contacts.manage_fields");
    pub const CONTACTS_EXPORT: Self = Self("contacts.export_lists");
    pub const CONTACTS_IMPORT: Self = Self("contacts.import_lists");
    pub const CONTACTS_NOTES: Self = Self("contacts.notes");
    pub const CONTACTS_CREATE_NOTES: Self = Self("contacts.create_notes");
    pub const CONTACTS_EDIT_DELETE_NOTES: Self = Self("contacts.edit_delete_notes");
    pub const USE_MESSAGES: Self = Self("contacts.use_messages");
    pub const CREATE_COPY_MESSAGES: Self = Self("contacts.create_copy_messages");
    pub const EDIT_DELETE_MESSAGES: Self = Self("contacts.edit_delete_messages");
    pub const BUSINESS_INFORMATION: Self = Self("admin_tools.business_information");
    pub const LOCALIZATION: Self = Self("admin_tools.localization");
    pub const MANAGE_USERS: Self = Self("admin_tools.manage_users");
    pub const MANAGE_ROLES: Self = Self("admin_tools.manage_roles");
    pub const ADMINISTRATOR_TOOLS: Self = Self("admin_tools.administrator_tools");
    pub const API_MANAGER: Self = Self("admin_tools.api_manager");
    pub const MANAGED_ACCOUNTS_VIEW: Self = Self("managed_accounts.view");
    pub const MANAGED_ACCOUNTS_ADD: Self = Self("managed_accounts.add");
    pub const MANAGED_ACCOUNTS_UPDATE: Self = Self("managed_accounts.update");
    pub const MANAGED_ACCOUNTS_LOG_IN: Self = Self("managed_accounts.log_in");

    pub fn key(self) -> &'static str {
        self.0
    }

    /// The area part of `area.item`.
    pub fn area(self) -> &'static str {
        self.0.split_once('.').map_or(self.0, |(area, _)| area)
    }
}

/// Is `key` a permission of the catalogue (an area, or an item of one)?
pub fn is_known(key: &str) -> bool {
    let (area, item) = match key.split_once('.') {
        Some((a, i)) => (a, Some(i)),
        None => (key, None),
    };
    CATALOGUE
        .iter()
        .any(|a| a.key == area && item.is_none_or(|i| a.items.contains(&i)))
}

/// The set of permissions a role holds, normalised so that a full area is stored as its key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionSet(BTreeSet<String>);

impl PermissionSet {
    /// Builds a set from stored keys, dropping any the catalogue does not know.
    pub fn from_keys<I, S>(keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut set = BTreeSet::new();
        for key in keys {
            let key = key.as_ref();
            if is_known(key) {
                set.insert(key.to_string());
            }
        }
        Self(set).normalised()
    }

    /// Replaces a complete list of items by the area key, and drops items of held areas.
    fn normalised(self) -> Self {
        let mut out = BTreeSet::new();
        for area in CATALOGUE {
            let full = self.0.contains(area.key)
                || (!area.items.is_empty()
                    && area
                        .items
                        .iter()
                        .all(|i| self.0.contains(&format!("{}.{}", area.key, i))));
            if full {
                out.insert(area.key.to_string());
            } else {
                for item in area.items {
                    let key = format!("{}.{}", area.key, item);
                    if self.0.contains(&key) {
                        out.insert(key);
                    }
                }
            }
        }
        Self(out)
    }

    /// Every single permission the set grants: a full area counts as each of its items.
    fn atoms(&self) -> BTreeSet<String> {
        let mut atoms = BTreeSet::new();
        for area in CATALOGUE {
            if area.items.is_empty() {
                if self.0.contains(area.key) {
                    atoms.insert(area.key.to_string());
                }
                continue;
            }
            for item in area.items {
                let key = format!("{}.{}", area.key, item);
                if self.0.contains(area.key) || self.0.contains(&key) {
                    atoms.insert(key);
                }
            }
        }
        atoms
    }

    /// What this set grants that `holder` does not hold, as labels a person reads.
    pub fn beyond(&self, holder: &PermissionSet) -> Vec<String> {
        let held = holder.atoms();
        self.atoms()
            .into_iter()
            .filter(|atom| !held.contains(atom))
            .map(|atom| label_of(&atom))
            .collect()
    }

    /// What this set grants that `holder` holds too: an API key acts with its role, never
    /// beyond its maker's.
    pub fn within(&self, holder: &PermissionSet) -> PermissionSet {
        let held = holder.atoms();
        PermissionSet::from_keys(self.atoms().into_iter().filter(|atom| held.contains(atom)))
    }

    /// What this set grants that `before` did not.
    pub fn added_to(&self, before: &PermissionSet) -> PermissionSet {
        let had = before.atoms();
        PermissionSet::from_keys(self.atoms().into_iter().filter(|atom| !had.contains(atom)))
    }

    pub fn allows(&self, permission: Permission) -> bool {
        self.0.contains(permission.key()) || self.0.contains(permission.area())
    }

    /// Does the role hold anything at all in this area (full or limited)?
    pub fn touches_area(&self, area: &str) -> bool {
        self.0
            .iter()
            .any(|k| k == area || k.split_once('.').is_some_and(|(a, _)| a == area))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// The four roles every account starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultRole {
    Admin,
    Manager,
    Builder,
    Designer,
}

impl DefaultRole {
    pub const ALL: [Self; 4] = [Self::Admin, Self::Manager, Self::Builder, Self::Designer];

    pub fn key(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Builder => "builder",
            Self::Designer => "designer",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Admin => "Admin",
            Self::Manager => "Manager",
            Self::Builder => "Builder",
            Self::Designer => "Designer / Content writer",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    /// The matrix of `spec/roles.md`, row by row.
    pub fn permissions(self) -> PermissionSet {
        let mut keys: Vec<String> = Vec::new();
        let full = |areas: &[&str], keys: &mut Vec<String>| {
            keys.extend(areas.iter().map(|a| (*a).to_string()));
        };
        let items = |area: &str, items: &[&str]| -> Vec<String> {
            items.iter().map(|i| format!("{area}.{i}")).collect()
        };
        let all_but = |area: &str, except: &[&str]| -> Vec<String> {
            let a = CATALOGUE
                .iter()
                .find(|a| a.key == area)
                .map_or(&[][..], |a| a.items);
            a.iter()
                .filter(|i| !except.contains(i))
                .map(|i| format!("{area}.{i}"))
                .collect()
        };
        const MESSAGE_AREAS: [&str; 5] = [
            "deals",
            "companies",
            "virtual_events",
            "surveys",
            "custom_objects",
        ];
        full(&["account_management", "dashboard"], &mut keys);
        match self {
            Self::Admin => {
                full(&CATALOGUE.iter().map(|a| a.key).collect::<Vec<_>>(), &mut keys);
            }
            Self::Manager => {
                full(
                    &[
                        "contacts",
                        "task_manager",
                        "calendar",
                        "tracking",
                        "systems",
                        "sites",
                        "partners",
                        "sales",
                        "videos",
                        "filebox",
                        "security",
                        "legacy_advanced",
                    ],
                    &mut keys,
                );
                full(&MESSAGE_AREAS, &mut keys);
                keys.extend(all_but(
                    "admin_tools",
                    &[
                        "administrator_tools",
                        "manage_users",
                        "manage_roles",
                        "api_manager",
                    ],
                ));
                keys.extend(items("managed_accounts", &["view", "log_in"]));
            }
            Self::Builder => {
                keys.extend(all_but(
                    "contacts",
                    &[
                        "delete",
                        "export_lists",
                        "import_lists",
                        "merge",
                        "fulfillment_manager",
                        "log_transaction",
                        "manage_credit_card",
                    ],
                ));
                full(
                    &[
                        "task_manager",
                        "calendar",
                        "tracking",
                        "systems",
                        "sites",
                        "partners",
                        "sales",
                        "videos",
                        "filebox",
                    ],
                    &mut keys,
                );
                full(&MESSAGE_AREAS, &mut keys);
                keys.extend(items(
                    "admin_tools",
                    &[
                        "lead_scoring",
                        "manage_user_fields",
                        "localization",
                        "business_information",
                        "unsubscribe_footer",
                    ],
                ));
            }
            Self::Designer => {
                keys.extend(items("contacts", MESSAGE_ITEMS));
                full(&["sites", "videos", "filebox"], &mut keys);
                for area in MESSAGE_AREAS {
                    let a = CATALOGUE
                        .iter()
                        .find(|a| a.key == area)
                        .map_or(&[][..], |a| a.items);
                    keys.extend(items(area, a));
                }
            }
        }
        PermissionSet::from_keys(keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_holds_every_area() {
        let admin = DefaultRole::Admin.permissions();
        for area in CATALOGUE {
            assert!(admin.keys().any(|k| k == area.key), "admin lacks {}", area.key);
        }
        assert!(admin.allows(Permission::MANAGE_USERS));
        assert!(admin.allows(Permission::MANAGED_ACCOUNTS_LOG_IN));
    }

    #[test]
    fn a_set_within_another_keeps_only_what_both_hold() {
        let admin = DefaultRole::Admin.permissions();
        let manager = DefaultRole::Manager.permissions();
        assert_eq!(admin.within(&manager), manager);
        assert_eq!(manager.within(&admin), manager);
        let limited =
            PermissionSet::from_keys(["contacts.view", "contacts.delete", "admin_tools.api_manager"]);
        let within = limited.within(&manager);
        assert!(within.allows(Permission::CONTACTS_DELETE));
        assert!(!within.allows(Permission::API_MANAGER));
    }

    #[test]
    fn manager_row_matches_the_spec() {
        let m = DefaultRole::Manager.permissions();
        assert!(m.allows(Permission::CONTACTS_DELETE));
        assert!(!m.allows(Permission::MANAGE_USERS));
        assert!(!m.allows(Permission::MANAGE_ROLES));
        assert!(!m.allows(Permission("admin_tools.api_manager")));
        assert!(m.allows(Permission("admin_tools.lead_scoring")));
        assert!(m.allows(Permission::MANAGED_ACCOUNTS_VIEW));
        assert!(m.allows(Permission::MANAGED_ACCOUNTS_LOG_IN));
        assert!(!m.allows(Permission::MANAGED_ACCOUNTS_ADD));
        assert!(!m.allows(Permission::MANAGED_ACCOUNTS_UPDATE));
        assert!(m.allows(Permission("security")));
    }

    #[test]
    fn builder_row_matches_the_spec() {
        let b = DefaultRole::Builder.permissions();
        assert!(b.allows(Permission::CONTACTS_VIEW));
        assert!(b.allows(Permission::CONTACTS_CREATE_EDIT));
        for denied in [
            "delete",
            "export_lists",
            "import_lists",
            "merge",
            "fulfillment_manager",
            "log_transaction",
            "manage_credit_card",
        ] {
            assert!(!b.allows(Permission(Box::leak(
                format!("contacts.{denied}").into_boxed_str()
            ))));
        }
        assert!(b.allows(Permission("admin_tools.localization")));
        assert!(!b.allows(Permission::MANAGE_USERS));
        assert!(!b.allows(Permission("security")));
        assert!(!b.allows(Permission("legacy_advanced")));
        assert!(!b.allows(Permission::MANAGED_ACCOUNTS_VIEW));
        assert!(b.allows(Permission("deals.use_messages")));
    }

    #[test]
    fn designer_row_matches_the_spec() {
        let d = DefaultRole::Designer.permissions();
        assert!(!d.allows(Permission::CONTACTS_VIEW));
        assert!(!d.allows(Permission::CONTACTS_CREATE_EDIT));
        assert!(d.allows(Permission("contacts.use_messages")));
        assert!(d.allows(Permission("sites")));
        assert!(d.allows(Permission("videos")));
        assert!(d.allows(Permission("filebox")));
        assert!(!d.allows(Permission("systems")));
        assert!(!d.allows(Permission("task_manager")));
        assert!(!d.allows(Permission("admin_tools.localization")));
        assert!(d.allows(Permission::DASHBOARD));
        assert!(d.allows(Permission("virtual_events.edit_delete_messages")));
        assert!(!d.allows(Permission::MANAGED_ACCOUNTS_VIEW));
    }

    #[test]
    fn a_complete_item_list_reads_as_the_full_area() {
        let set = PermissionSet::from_keys([
            "managed_accounts.view",
            "managed_accounts.add",
            "managed_accounts.update",
            "managed_accounts.log_in",
            "bogus.key",
            "contacts.nope",
        ]);
        assert_eq!(set.keys().collect::<Vec<_>>(), vec!["managed_accounts"]);
    }
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn every_item_of_the_catalogue_has_a_label_and_labels_of_an_area_differ() {
        for area in CATALOGUE {
            let labels: Vec<String> = area.items.iter().map(|i| item_label(area.key, i)).collect();
            assert!(labels.iter().all(|l| !l.is_empty()), "{}", area.key);
            let mut unique = labels.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), labels.len(), "{}: {labels:?}", area.key);
        }
        assert_eq!(item_label("contacts", "delete"), "Can delete contacts");
        assert_eq!(
            item_label("managed_accounts", "log_in"),
            "Log in to managed accounts"
        );
    }

    /// Every label, word for word: the areas as `spec/roles.md` names them, the items as the
    /// seed's role lists do (`spec/sources/000_*.txt`, the Manager's Admin tools and the Builder's
    /// Contacts lists, in that order; "Ontraport API manager" without the product's name) and the
    /// Managed accounts items as `spec/sources/001_*.txt` lists them.
    #[test]
    fn labels_are_the_seeds_words() {
        let areas: Vec<&str> = CATALOGUE.iter().map(|a| a.label).collect();
        assert_eq!(
            areas,
            [
                "Account management",
                "Dashboard",
                "Contacts",
                "Task manager",
                "Calendar",
                "Tracking",
                "Admin tools",
                "Systems",
                "Sites",
                "Partners",
                "Sales",
                "Videos",
                "Filebox",
                "Security",
                "Legacy and advanced features",
                "Deals",
                "Companies",
                "Virtual events",
                "Surveys",
                "Custom objects",
                "Managed accounts",
            ]
        );
        let items = |key: &str| -> Vec<String> {
            let area = CATALOGUE.iter().find(|a| a.key == key).expect("area");
            area.items.iter().map(|i| item_label(key, i)).collect()
        };
        assert_eq!(
            items("contacts"),
            [
                "Can view contacts",
                "Can create/edit contacts",
                "Can delete contacts",
                "Can set tasks",
                "Can manage tags",
                "Can create/delete tags",
                "Can export lists",
                "Can import lists",
                "Manage SmartForms",
                "Can view contact owner",
                "Can send postcards",
                "Manage fields",
                "Can merge contacts",
                "Can use sequences",
                "Create/copy sequences",
                "Can manage sequences",
                "Edit/delete sequences",
                "Enable split tests for sequences",
                "Can use automations",
                "Create/copy automations",
                "Can manage automations",
                "Edit/delete automations",
                "Can use messages",
                "Create/copy messages",
                "Edit/delete messages",
                "Can send emails",
                "Can broadcast emails",
                "Can broadcast SMS messages",
                "Can use rules",
                "Fulfillment manager",
                "Log transaction",
                "View transaction log",
                "Manage credit card",
                "Notes",
                "Create notes",
                "Edit/delete notes",
            ]
        );
        assert_eq!(
            items("admin_tools"),
            [
                "Administrator tools",
                "Manage lead scoring",
                "Email \u{2018}FROM\u{2019} address setup",
                "Manage users",
                "Manage roles",
                "Lead routing",
                "Manage user fields",
                "API manager",
                "1ShoppingCart.com sync",
                "UltraCart",
                "Facebook integration",
                "Email sync",
                "ClickBank",
                "Localization",
                "Business information",
                "Unsubscribe footer",
            ]
        );
        assert_eq!(
            items("managed_accounts"),
            [
                "Managed accounts",
                "Add managed accounts",
                "Update managed accounts",
                "Log in to managed accounts",
            ]
        );
        for area in ["deals", "companies", "surveys", "custom_objects"] {
            assert_eq!(
                items(area),
                ["Can use messages", "Create/copy messages", "Edit/delete messages"]
            );
        }
        assert_eq!(
            items("virtual_events"),
            ["Can use messages", "Edit/delete messages"]
        );
    }
}
