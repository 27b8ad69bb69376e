//! The browser entry: hydrates the server-rendered page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(body) = leptos::prelude::document().body() else {
        return;
    };
    // Each page's code is its own chunk (app's `lazy_page!`): hydration waits for the page's chunk
    // to arrive, so it is asynchronous.
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        // Lets tests (and anyone curious) know the page is interactive now.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
