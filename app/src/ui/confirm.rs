//! A confirmation asked in a modal dialog before an action that is hard to undo.
use leptos::prelude::*;

#[component]
pub fn ConfirmDialog(
    /// The dialog's title, also its accessible name.
    #[prop(into)]
    title: String,
    /// What will happen.
    #[prop(into)]
    question: String,
    /// The label of the confirming button.
    #[prop(into)]
    confirm: String,
    /// While the action runs the button is disabled and a progress line shows.
    #[prop(into)]
    pending: Signal<bool>,
    /// Why the action failed, if it did.
    #[prop(into)]
    error: Signal<Option<String>>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    /// A choice that goes with the action, shown under the question.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="backdrop">
            <div role="dialog" aria-modal="true" aria-labelledby="confirm-title" class="dialog">
                <h2 id="confirm-title">{title}</h2>
                <p>{question}</p>
                {children.map(|c| c())}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <div class="dialog-actions">
                    <button type="button" class="danger" disabled=move || pending.get() on:click=move |_| on_confirm.run(())>
                        {confirm}
                    </button>
                    <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </div>
                {move || pending.get().then(|| view! { <p class="loading" role="status">"Working…"</p> })}
            </div>
        </div>
    }
}
