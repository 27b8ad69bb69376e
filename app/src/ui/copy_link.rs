//! A link to copy and paste (the sources tell users to send the invitation link themselves): the
//! address in a read-only field anyone can select, and "Copy link" once the page runs.
use leptos::prelude::*;

#[component]
pub fn CopyLink(
    link: String,
    label: String,
    /// The button's text: what is copied.
    #[prop(default = "Copy link")]
    button: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    // The button works only with the page's code running: before that, the field is the way.
    let running = RwSignal::new(false);
    Effect::new(move |_| running.set(true));
    let value = StoredValue::new(link.clone());
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let promise = window.navigator().clipboard().write_text(&value.get_value());
            leptos::task::spawn_local(async move {
                copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = value;
    };
    view! {
        <span class="copy-link">
            <input class="link" type="text" readonly value=link aria-label=label />
            {move || running.get().then(|| view! {
                <button type="button" on:click=copy>{button}</button>
            })}
            <span role="status" class="copied">{move || copied.get().then_some("Copied")}</span>
        </span>
    }
    // Erased: inside a table row its type would nest past the compiler's depth limit.
    .into_any()
}
