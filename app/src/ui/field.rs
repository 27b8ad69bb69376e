//! A labelled input with its validation message beside it.
use leptos::prelude::*;

use crate::core::error::AppError;

/// The last error of an action, as a signal the form fields read.
pub type FormError = Signal<Option<AppError>>;

/// Reads the error out of an action's value.
pub fn form_error<T, S>(value: S) -> FormError
where
    T: 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

#[component]
pub fn Field(
    /// The visible label, also the input's accessible name.
    label: &'static str,
    /// The form field name (the server function argument).
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(default = false)] required: bool,
    error: FormError,
) -> impl IntoView {
    let id = format!("field-{name}");
    let message_id = format!("{id}-error");
    let message = move || error.get().and_then(|e| e.for_field(name));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=move || message().map(|_| "true")
                aria-describedby=message_id.clone()
            />
            <p class="field-error" id=message_id role="alert">
                {message}
            </p>
        </div>
    }
}

/// The error of a form that is not about one field.
#[component]
pub fn FormMessage(error: FormError) -> impl IntoView {
    let text = move || {
        error.get().and_then(|e| match &e {
            AppError::Invalid { fields, .. } if !fields.is_empty() => None,
            other => Some(other.to_string()),
        })
    };
    view! {
        <Show when=move || text().is_some()>
            <p class="form-error" role="alert">
                {text}
            </p>
        </Show>
    }
}

/// Counts an action's successful completions. A list that reloads on this (not on every
/// dispatch) keeps a refused form as the person typed it.
pub fn successes<T, S>(value: S) -> ReadSignal<usize>
where
    T: 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    let (count, set_count) = signal(0usize);
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            set_count.update(|c| *c += 1);
        }
    });
    count
}
