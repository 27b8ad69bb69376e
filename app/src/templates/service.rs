//! Account templates of an agency: sandboxes converted into templates, and the built-in ones.
//! Viewing follows `managed_accounts.view`; converting and refreshing `add`; renaming and
//! deleting `update`.
use super::store;
use crate::core::db::{self, Tx};
use crate::core::domain::Permission;
use crate::core::services::{Actor, FieldErrors, Refusal, RefusalKind, ServiceError, Services};
use crate::templates::built_in as rules;
use crate::templates::model::{SandboxView, TemplateView, TemplatesPage};

/// Writes the built-in templates the database lacks; run at start-up, after the migrations.
#[tracing::instrument(skip_all)]
pub async fn install_built_ins(db: &db::Db) -> Result<(), db::StoreError> {
    store::install_built_ins(db).await
}

// Creating a client account from a template copies its content in the same transaction.
pub use super::store::{copy_content, read_content, Content};

/// Why the templates use cases say no.
#[derive(Debug, thiserror::Error)]
pub enum TemplateRefusal {
    #[error("This sandbox is not one of your agency's sandbox accounts.")]
    NotYourSandbox,
    #[error("This template no longer exists.")]
    TemplateGone,
    #[error("The sandbox of this template is gone or no longer managed by your agency.")]
    SandboxGone,
}

impl Refusal for TemplateRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            Self::NotYourSandbox | Self::TemplateGone => RefusalKind::NotFound,
            Self::SandboxGone => RefusalKind::Conflict,
        }
    }
}

fn view(t: store::TemplateRow, dates: crate::core::domain::locale::DateStyle) -> TemplateView {
    TemplateView {
        id: t.id,
        name: t.name,
        description: t.description,
        built_in: t.built_in,
        source_name: t.source_name,
        updated_at: dates.moment_of(&t.updated_at),
        fields: t.fields,
        tags: t.tags,
        messages: t.messages,
        contacts: t.contacts,
    }
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id))]
pub async fn page(services: &Services, actor: &Actor) -> Result<TemplatesPage, ServiceError> {
    let (built_in, mine) = list(services, actor).await?.into_iter().partition(|t| t.built_in);
    let sandboxes = sandboxes(services, actor).await?;
    Ok(TemplatesPage {
        built_in,
        mine,
        sandboxes,
        can_add: actor.can(Permission::MANAGED_ACCOUNTS_ADD),
        can_update: actor.can(Permission::MANAGED_ACCOUNTS_UPDATE),
    })
}

/// The templates the agency may create accounts from: the built-in ones, then its own.
pub async fn list(services: &Services, actor: &Actor) -> Result<Vec<TemplateView>, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_VIEW)?;
    Ok(store::visible_to(&services.db, &actor.account_id)
        .await?
        .into_iter()
        .map(|t| view(t, actor.dates))
        .collect())
}

/// The agency's sandbox accounts, to convert into templates.
pub async fn sandboxes(services: &Services, actor: &Actor) -> Result<Vec<SandboxView>, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_VIEW)?;
    Ok(store::sandboxes(&services.db, &actor.account_id)
        .await?
        .into_iter()
        .map(|s| SandboxView {
            id: s.id,
            name: s.name,
            templates: s.templates,
        })
        .collect())
}

fn parse(name: &str, description: &str) -> Result<(String, String), ServiceError> {
    let mut errors = FieldErrors::default();
    let name = errors.check("name", rules::parse_name(name));
    let description = errors.check("description", rules::parse_description(description));
    errors.finish()?;
    Ok((name.unwrap_or_default(), description.unwrap_or_default()))
}

/// "Convert to template": the sandbox's data is copied into the new template in one
/// transaction; the sandbox stays as it is and can be changed and refreshed from later.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, sandbox_id = %sandbox_id))]
pub async fn convert(
    services: &Services,
    actor: &Actor,
    sandbox_id: &str,
    name: &str,
    description: &str,
) -> Result<String, ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_ADD)?;
    let (name, description) = parse(name, description)?;
    let Some(sandbox) = store::sandbox(&services.db, &actor.account_id, sandbox_id).await? else {
        return Err(TemplateRefusal::NotYourSandbox.into());
    };
    let content = store::read_content(&services.db, &sandbox.id).await?;
    let template_key = db::new_key();
    let content_key = db::new_key();
    let mut tx = Tx::new();
    store::create_from_sandbox(
        &mut tx,
        store::NewTemplate {
            template_key: &template_key,
            content_key: &content_key,
            owner_key: &actor.account_id,
            source_key: &sandbox.id,
            name: &name,
            description: &description,
        },
        &content,
    );
    tx.audit(actor.audit(
        "template.created",
        format!("Converted the sandbox {} into the template {name}", sandbox.name),
    ));
    tx.commit(&services.db).await?;
    Ok(template_key)
}

async fn owned(services: &Services, actor: &Actor, id: &str) -> Result<store::TemplateRef, ServiceError> {
    store::owned(&services.db, &actor.account_id, id)
        .await?
        .ok_or_else(|| TemplateRefusal::TemplateGone.into())
}

/// "Refresh from sandbox": the template's content becomes the sandbox's current data.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn refresh(services: &Services, actor: &Actor, id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_ADD)?;
    let template = owned(services, actor, id).await?;
    let sandbox = match &template.source_account {
        Some(source) => store::sandbox(&services.db, &actor.account_id, source).await?,
        None => None,
    };
    let Some(sandbox) = sandbox else {
        return Err(TemplateRefusal::SandboxGone.into());
    };
    let content = store::read_content(&services.db, &sandbox.id).await?;
    let mut tx = Tx::new();
    store::refresh(&mut tx, &template, &content);
    tx.audit(actor.audit(
        "template.refreshed",
        format!(
            "Refreshed the template {} from the sandbox {}",
            template.name, sandbox.name
        ),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn rename(
    services: &Services,
    actor: &Actor,
    id: &str,
    name: &str,
    description: &str,
) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_UPDATE)?;
    let (name, description) = parse(name, description)?;
    let template = owned(services, actor, id).await?;
    let mut tx = Tx::new();
    store::rename(&mut tx, &template.id, &name, &description);
    tx.audit(actor.audit(
        "template.renamed",
        format!("Renamed the template {} to {name}", template.name),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

/// Deleting a template leaves the accounts made from it as they are: they hold copies.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn delete(services: &Services, actor: &Actor, id: &str) -> Result<(), ServiceError> {
    actor.authorize(Permission::MANAGED_ACCOUNTS_UPDATE)?;
    let template = owned(services, actor, id).await?;
    let mut tx = Tx::new();
    store::delete(&mut tx, &template);
    tx.audit(actor.audit(
        "template.deleted",
        format!("Deleted the template {}", template.name),
    ));
    tx.commit(&services.db).await?;
    Ok(())
}

/// A template the agency may create an account from, or a field error for the form.
#[tracing::instrument(skip_all, fields(account = %actor.account_id, user = %actor.user_id, id = %id))]
pub async fn usable(
    services: &Services,
    actor: &Actor,
    id: &str,
) -> Result<store::TemplateRef, ServiceError> {
    store::usable(&services.db, &actor.account_id, id)
        .await?
        .ok_or_else(|| ServiceError::field("template", "Choose a template."))
}
