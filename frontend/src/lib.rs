//! The browser entry: hydrates the server-rendered page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Each page's code is its own chunk (app's `lazy_page!`): hydration waits for the page's chunk
    // to arrive, so it is asynchronous.
    wasm_bindgen_futures::spawn_local(async {
        leptos::mount::hydrate_from_async(leptos::prelude::document().body().expect("a body"), app::App)
            .await
            .forget();
        // Lets tests (and anyone curious) know the page is interactive now.
        if let Some(body) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
        {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
