//! `/api/v1/templates` and `/api/v1/sandboxes`: the agency's account templates, as the Templates
//! page manages them. Reading needs `managed_accounts.view`; converting and refreshing `add`;
//! renaming and deleting `update`.
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{key_actor, ApiError, ChangeErrors, CommonErrors, Created};
use crate::core::services::Services;
use crate::templates::model::{SandboxView, TemplateView};
use crate::templates::service as templates;

/// A template client accounts can be created from (`template` of `POST /api/v1/managed_accounts`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Template {
    pub id: String,
    pub name: String,
    pub description: String,
    /// One of Steward's own templates, which every agency may use and none may change.
    pub built_in: bool,
    /// The sandbox it was converted from, while the agency still manages it.
    pub source_name: Option<String>,
    /// When its content last changed, as the account writes dates and times.
    pub updated_at: String,
    pub fields: i64,
    pub tags: i64,
    pub messages: i64,
    pub contacts: i64,
}

impl From<TemplateView> for Template {
    fn from(t: TemplateView) -> Self {
        Self {
            id: t.id,
            name: t.name,
            description: t.description,
            built_in: t.built_in,
            source_name: t.source_name,
            updated_at: t.updated_at,
            fields: t.fields,
            tags: t.tags,
            messages: t.messages,
            contacts: t.contacts,
        }
    }
}

/// Every template the agency may use, in one page: the built-in ones, then its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    pub data: Vec<Template>,
    pub total: i64,
}

/// The templates the agency may create accounts from.
#[utoipa::path(
    get, path = "/api/v1/templates", operation_id = "list_templates", tag = "Templates",
    security(("api_key" = [])),
    responses((status = 200, body = TemplateList), CommonErrors)
)]
pub async fn list(
    State(services): State<Services>,
    headers: HeaderMap,
) -> Result<Json<TemplateList>, ApiError> {
    let actor = key_actor(&services, &headers).await?;
    let data: Vec<Template> = templates::list(&services, &actor)
        .await?
        .into_iter()
        .map(Template::from)
        .collect();
    Ok(Json(TemplateList {
        total: data.len() as i64,
        data,
    }))
}

/// A sandbox account of the agency, to build a template in.
#[derive(Debug, Serialize, ToSchema)]
pub struct Sandbox {
    /// The sandbox account's id (`sandbox` of `POST /api/v1/templates`).
    pub id: String,
    pub name: String,
    /// How many templates were converted from it.
    pub templates: i64,
}

impl From<SandboxView> for Sandbox {
    fn from(s: SandboxView) -> Self {
        Self {
            id: s.id,
            name: s.name,
            templates: s.templates,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SandboxList {
    pub data: Vec<Sandbox>,
    pub total: i64,
}

/// The agency's sandbox accounts.
#[utoipa::path(
    get, path = "/api/v1/sandboxes", operation_id = "list_sandboxes", tag = "Templates",
    security(("api_key" = [])),
    responses((status = 200, body = SandboxList), CommonErrors)
)]
pub async fn sandboxes(
    State(services): State<Services>,
    headers: HeaderMap,
) -> Result<Json<SandboxList>, ApiError> {
    let actor = key_actor(&services, &headers).await?;
    let data: Vec<Sandbox> = templates::sandboxes(&services, &actor)
        .await?
        .into_iter()
        .map(Sandbox::from)
        .collect();
    Ok(Json(SandboxList {
        total: data.len() as i64,
        data,
    }))
}

/// "Convert to template": a sandbox's data becomes a new template, all of it or nothing.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Conversion {
    /// The sandbox account's id.
    pub sandbox: String,
    /// 2 to 80 characters.
    #[schema(min_length = 2)]
    pub name: String,
    /// At most 500 characters.
    #[serde(default)]
    pub description: String,
}

#[utoipa::path(
    post, path = "/api/v1/templates", operation_id = "convert_to_template", tag = "Templates",
    request_body = Conversion,
    security(("api_key" = [])),
    responses((status = 201, description = "The new template's id", body = Created), CommonErrors, ChangeErrors)
)]
pub async fn convert(
    State(services): State<Services>,
    headers: HeaderMap,
    body: Result<Json<Conversion>, JsonRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let Json(input) = body?;
    let actor = key_actor(&services, &headers).await?;
    let id = templates::convert(&services, &actor, &input.sandbox, &input.name, &input.description).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// "Refresh from sandbox": the template's content becomes its sandbox's current data.
#[utoipa::path(
    post, path = "/api/v1/templates/{id}/refresh", operation_id = "refresh_template", tag = "Templates",
    params(("id" = String, Path, description = "The template's id")),
    security(("api_key" = [])),
    responses((status = 204, description = "Refreshed"), CommonErrors, ChangeErrors)
)]
pub async fn refresh(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let actor = key_actor(&services, &headers).await?;
    templates::refresh(&services, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A template's new name and description.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TemplateNaming {
    /// 2 to 80 characters.
    #[schema(min_length = 2)]
    pub name: String,
    /// At most 500 characters.
    #[serde(default)]
    pub description: String,
}

/// "Rename" one of the agency's templates.
#[utoipa::path(
    put, path = "/api/v1/templates/{id}", operation_id = "rename_template", tag = "Templates",
    params(("id" = String, Path, description = "The template's id")),
    request_body = TemplateNaming,
    security(("api_key" = [])),
    responses((status = 204, description = "Saved"), CommonErrors, ChangeErrors)
)]
pub async fn rename(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    body: Result<Json<TemplateNaming>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let Json(input) = body?;
    let actor = key_actor(&services, &headers).await?;
    templates::rename(&services, &actor, &id, &input.name, &input.description).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Delete" one of the agency's templates; accounts made from it keep their copies.
#[utoipa::path(
    delete, path = "/api/v1/templates/{id}", operation_id = "delete_template", tag = "Templates",
    params(("id" = String, Path, description = "The template's id")),
    security(("api_key" = [])),
    responses((status = 204, description = "Deleted"), CommonErrors, ChangeErrors)
)]
pub async fn delete(
    State(services): State<Services>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Path(id) = id?;
    let actor = key_actor(&services, &headers).await?;
    templates::delete(&services, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
