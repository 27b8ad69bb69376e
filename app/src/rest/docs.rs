//! The OpenAPI document as JSON, and a page that reads it for people (no script, nothing from
//! elsewhere: Steward runs on its own).
use std::fmt::Write;
use std::sync::OnceLock;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use utoipa::openapi::path::Operation;
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::OpenApi;

use super::ApiDoc;

fn document() -> &'static (Document, String) {
    static DOC: OnceLock<(Document, String)> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = ApiDoc::openapi();
        let json = doc.to_pretty_json().unwrap_or_else(|e| {
            tracing::error!(error = %e, "the OpenAPI document does not serialise");
            "{}".into()
        });
        (doc, json)
    })
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], document().1.clone()).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn operation(html: &mut String, method: &str, path: &str, op: &Operation) {
    let _ = write!(
        html,
        "<section class=\"endpoint\"><h3><code>{} {}</code></h3>",
        method.to_uppercase(),
        escape(path)
    );
    for text in [&op.summary, &op.description].into_iter().flatten() {
        let _ = write!(html, "<p>{}</p>", escape(text));
    }
    if let Some(params) = op.parameters.as_ref().filter(|p| !p.is_empty()) {
        html.push_str("<h4>Parameters</h4><ul>");
        for p in params {
            let place = serde_json::to_value(&p.parameter_in)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = write!(
                html,
                "<li><code>{}</code> ({place}){}</li>",
                escape(&p.name),
                p.description
                    .as_deref()
                    .map(|d| format!(": {}", escape(d)))
                    .unwrap_or_default()
            );
        }
        html.push_str("</ul>");
    }
    if let Some(body) = &op.request_body {
        let schemas: Vec<String> = body
            .content
            .values()
            .filter_map(|c| match &c.schema {
                Some(RefOr::Ref(r)) => {
                    Some(r.ref_location.rsplit('/').next().unwrap_or_default().to_string())
                }
                _ => None,
            })
            .collect();
        let _ = write!(
            html,
            "<h4>Body</h4><p>JSON: <a href=\"#schema-{0}\">{0}</a></p>",
            escape(&schemas.join(", "))
        );
    }
    html.push_str("<h4>Answers</h4><ul>");
    for (status, response) in &op.responses.responses {
        let text = match response {
            RefOr::T(r) if r.description.is_empty() && !status.starts_with('2') => {
                "an error (ErrorBody)".to_string()
            }
            RefOr::T(r) => r.description.clone(),
            RefOr::Ref(r) => r.ref_location.clone(),
        };
        let _ = write!(html, "<li><code>{}</code> {}</li>", escape(status), escape(&text));
    }
    html.push_str("</ul></section>");
}

/// `GET /api/docs`.
pub async fn page() -> Html<String> {
    let (doc, _) = document();
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Steward API</title><link rel=\"stylesheet\" href=\"/pkg/steward.css\"></head>\
         <body><main class=\"api-docs\">",
    );
    let _ = write!(
        html,
        "<h1>{}</h1><p>{}</p><p>The machine-readable document: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1).</p>",
        escape(&doc.info.title),
        escape(doc.info.description.as_deref().unwrap_or_default())
    );
    html.push_str("<h2>Errors</h2><p>Every refusal is JSON: <code>{\"error\": {\"code\": \"...\", \"message\": \"...\", \"fields\": [...]}}</code>, with the status its code documents (see ApiError below).</p><h2>Endpoints</h2>");
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("get", &item.get),
            ("post", &item.post),
            ("put", &item.put),
            ("patch", &item.patch),
            ("delete", &item.delete),
        ] {
            if let Some(op) = op {
                operation(&mut html, method, path, op);
            }
        }
    }
    html.push_str("<h2>Types</h2>");
    if let Some(components) = &doc.components {
        for (name, schema) in &components.schemas {
            let _ = write!(
                html,
                "<section id=\"schema-{0}\"><h3>{0}</h3><pre>{1}</pre></section>",
                escape(name),
                escape(&serde_json::to_string_pretty(schema).unwrap_or_default())
            );
        }
    }
    html.push_str("</main></body></html>");
    Html(html)
}
