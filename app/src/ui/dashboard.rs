use leptos::prelude::*;

use crate::core::model::Me;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let me = expect_context::<Me>();
    view! {
        <h1>"Dashboard"</h1>
        <p>"Welcome, " {me.first_name.clone()} "."</p>
        <dl class="facts">
            <dt>"Account"</dt>
            <dd>{me.account_name.clone()}</dd>
            <dt>"Your role"</dt>
            <dd>{me.role_name.clone()}</dd>
        </dl>
    }
}
