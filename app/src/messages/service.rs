//! Messages (email templates) of the account acted in, governed by the `*_messages` items.
use super::store;
use super::store::MessageFields;
use crate::core::db::{self, Mail, StoreError, Tx};
use crate::core::domain::names::text;
use crate::core::domain::Permission;
use crate::core::services::{Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};

/// A message that is gone, or not of the account acted in.
#[derive(Debug, thiserror::Error)]
#[error("This message no longer exists.")]
pub struct MessageGone;

impl Refusal for MessageGone {
    fn kind(&self) -> RefusalKind {
        RefusalKind::NotFound
    }
}
use crate::messages::model::{MessageList, MessageView};
use crate::templates::built_in::placeholders;

pub struct MessageInput {
    pub name: String,
    pub subject: String,
    pub body: String,
}

fn view(m: store::MessageRow) -> MessageView {
    MessageView {
        id: m.id,
        name: m.name,
        subject: m.subject,
        body: m.body,
        fields: m.fields,
    }
}

/// Without `use_messages` the list is empty.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn list(services: &Services, actor: &Actor) -> Result<MessageList, ServiceError> {
    let can_use = actor.can(Permission::USE_MESSAGES);
    let list = if can_use {
        store::list(&services.db, &actor.account_id)
            .await?
            .into_iter()
            .map(view)
            .collect()
    } else {
        Vec::new()
    };
    Ok(MessageList {
        messages: list,
        can_use,
        can_create: actor.can(Permission::CREATE_COPY_MESSAGES),
        can_edit_delete: actor.can(Permission::EDIT_DELETE_MESSAGES),
    })
}

/// Checks the input and links the custom fields its `{{Name}}` placeholders name.
async fn parse(
    services: &Services,
    actor: &Actor,
    input: &MessageInput,
) -> Result<MessageFields, ServiceError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", text(&input.name, "message name", 1, 100));
    let subject = errors.check("subject", text(&input.subject, "subject", 1, 200));
    let body = errors.check("body", text(&input.body, "message", 1, 20_000));
    errors.finish()?;
    let (Some(name), Some(subject), Some(body)) = (name, subject, body) else {
        return Err(ServiceError::Internal("validated fields missing".into()));
    };
    let known = crate::contacts::fields::service::list(&services.db, &actor.account_id).await?;
    let fields = placeholders(&format!("{subject}\n{body}"))
        .iter()
        .filter_map(|n| known.iter().find(|f| &f.name == n))
        .map(|f| db::rid("custom_field", &f.id))
        .collect();
    Ok(MessageFields {
        name,
        subject,
        body,
        fields,
    })
}

fn gone(e: StoreError) -> ServiceError {
    match e {
        StoreError::Db(ref inner) if inner.to_string().contains("message not found") => MessageGone.into(),
        other => other.into(),
    }
}

/// Saves a new message (`id` empty: `create_copy_messages`) or edits one (`edit_delete_messages`).
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn save(
    services: &Services,
    actor: &Actor,
    id: &str,
    input: MessageInput,
) -> Result<String, ServiceError> {
    let existing = !id.is_empty();
    actor.authorize(if existing {
        Permission::EDIT_DELETE_MESSAGES
    } else {
        Permission::CREATE_COPY_MESSAGES
    })?;
    let fields = parse(services, actor, &input).await?;
    let key = if existing { id.to_string() } else { db::new_key() };
    let detail = format!(
        "{} the message {}",
        if existing { "Edited" } else { "Created" },
        fields.name
    );
    let mut tx = Tx::new();
    store::save(&mut tx, &actor.account_id, &key, existing, fields);
    tx.audit(actor.audit(
        if existing {
            "message.updated"
        } else {
            "message.created"
        },
        detail,
    ));
    tx.commit(&services.db).await.map_err(gone)?;
    Ok(key)
}

/// "Copy": a new message with the same content, named "Copy of …".
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn copy(services: &Services, actor: &Actor, id: &str) -> Result<String, ServiceError> {
    actor.authorize(Permission::CREATE_COPY_MESSAGES)?;
    let Some(m) = store::get(&services.db, &actor.account_id, id).await? else {
        return Err(MessageGone.into());
    };
    let name: String = format!("Copy of {}", m.name).chars().take(100).collect();
    save(
        services,
        actor,
        "",
        MessageInput {
            name,
            subject: m.subject,
            body: m.body,
        },
    )
    .await
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn delete(services: &Services, actor: &Actor, id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::EDIT_DELETE_MESSAGES)?;
    let mut tx = Tx::new();
    store::delete(&mut tx, &actor.account_id, id);
    tx.audit(actor.audit("message.deleted", format!("Deleted the message {id}")));
    tx.commit(&services.db).await.map_err(gone)?;
    Ok(())
}

/// "Send a test": the message goes to the acting user, placeholders shown by name.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn send_test(services: &Services, actor: &Actor, id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::USE_MESSAGES)?;
    let Some(m) = store::get(&services.db, &actor.account_id, id).await? else {
        return Err(MessageGone.into());
    };
    let fill = |s: &str| s.replace("{{First name}}", &actor.first_name);
    let mut tx = Tx::new();
    tx.mail(Mail {
        to: actor.email.clone(),
        subject: format!("[Test] {}", fill(&m.subject)),
        body: fill(&m.body),
        link: None,
    });
    tx.audit(actor.audit(
        "message.test_sent",
        format!("Sent a test of the message {} to {}", m.name, actor.email),
    ));
    services.commit(tx).await?;
    Ok(())
}
