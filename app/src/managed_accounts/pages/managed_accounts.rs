//! Managed accounts: the client accounts this agency manages or asked to manage.
use leptos::prelude::*;

use crate::live::client::{changed_rows, row_class, use_live, ShownRows};
use crate::live::model::Topic;

use crate::ui::denied::ErrorView;
use leptos_meta::Title;

use crate::core::domain::locale::Currency;
use crate::core::domain::DefaultRole;
use crate::grants::api::AnswerMyInvitation;
use crate::grants::model::InvitationForYou;
use crate::grants::state::GrantState;
use crate::managed_accounts::api::{
    list_managed_accounts, CreateClientAccount, LogInToManagedAccount, RequestAccess, ResendAccessRequest,
    ResendPasswordLink, UnlinkManagedAccount,
};
use crate::managed_accounts::model::ManagedAccountRow;
use crate::managed_accounts::plans::{Payer, Plan, ACCOUNT_LEVELS, CMS_PLANS};
use crate::templates::api::list_templates;
use crate::templates::model::TemplateView;
use crate::ui::confirm::ConfirmDialog;
use crate::ui::copy_link::CopyLink;
use crate::ui::field::{form_error, Field, FormMessage};
use crate::ui::list_query::{ListQuery, Pager};
use crate::ui::navigate::reload_to;

/// "Pro (€279.00 a month)": a plan in the New account dialog, priced in the agency's currency
/// (a new client account starts with it).
fn price_option(p: &Plan, currency: Currency) -> String {
    format!("{} ({} a month)", p.label, currency.format(p.price(currency)))
}

#[derive(Clone, Copy, PartialEq)]
enum Dialog {
    Menu,
    Existing,
    NewAccount,
}

#[component]
pub fn ManagedAccountsPage() -> impl IntoView {
    let request = ServerAction::<RequestAccess>::new();
    let create = ServerAction::<CreateClientAccount>::new();
    let unlink = ServerAction::<UnlinkManagedAccount>::new();
    let log_in = ServerAction::<LogInToManagedAccount>::new();
    let resend = ServerAction::<ResendPasswordLink>::new();
    let resend_request = ServerAction::<ResendAccessRequest>::new();
    let answer = ServerAction::<AnswerMyInvitation>::new();
    let query = ListQuery::new("name", false);
    let data = Resource::new(
        move || {
            (
                (query.get(), query.cursor.get()),
                request.version().get(),
                create.version().get(),
                unlink.version().get(),
                resend.version().get(),
                resend_request.version().get(),
                answer.version().get(),
                use_live(Topic::Grants),
            )
        },
        |(((q, s, d, p), cursor), ..)| list_managed_accounts(q, s, d, p, cursor),
    );
    // The dialog opens once the list is in: its prices are in the agency's currency.
    // A memo, so that the dialog's options do not copy the whole page each.
    let currency = Memo::new(move |_| {
        data.get()
            .and_then(Result::ok)
            .map(|list| list.currency)
            .unwrap_or_default()
    });
    let shown: ShownRows<(String, String, bool, i64), ManagedAccountRow> = StoredValue::new(None);
    let dialog = RwSignal::new(None::<Dialog>);
    let to_unlink = RwSignal::new(None::<ManagedAccountRow>);
    let request_error = form_error(request.value());
    let create_error = form_error(create.value());
    // "Blank" or "Template", and the template chosen, for the progress line while copying.
    let data_kind = RwSignal::new("blank".to_string());
    let chosen = RwSignal::new(String::new());
    let templates = Resource::new(
        move || (dialog.get() == Some(Dialog::NewAccount), create.version().get()),
        |(open, _)| async move {
            if open {
                list_templates()
                    .await
                    .map(|p| {
                        p.built_in
                            .into_iter()
                            .chain(p.mine)
                            .collect::<Vec<TemplateView>>()
                    })
                    .unwrap_or_default()
            } else {
                Vec::new()
            }
        },
    );
    Effect::new(move |_| {
        if matches!(request.value().get(), Some(Ok(()))) || matches!(create.value().get(), Some(Ok(()))) {
            dialog.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = unlink.value().get() {
            to_unlink.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = log_in.value().get() {
            reload_to("/");
        }
    });
    let payer = RwSignal::new("agency".to_string());

    view! {
        <Title text="Managed accounts · Steward" />
        <h1>"Managed accounts"</h1>
        <div class="toolbar">
            <div class="field inline">
                <label for="managed-search">"Search"</label>
                <input id="managed-search" type="search" placeholder="Account name or owner email"
                    on:input=move |ev| query.search_for(event_target_value(&ev)) />
            </div>
            // Only for roles with "Add managed accounts" (the server refuses the others too).
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    data.await.ok().filter(|list| list.can_add).map(|_| view! {
                        <button type="button" on:click=move |_| dialog.set(Some(Dialog::Menu))>"New managed account"</button>
                    })
                })}
            </Transition>
        </div>
        <p class="form-error" role="alert">
            {move || log_in.value().get().and_then(|r| r.err())
                .or_else(|| resend_request.value().get().and_then(|r| r.err()))
                .map(|e| e.to_string())}
        </p>
        {move || matches!(resend_request.value().get(), Some(Ok(()))).then(|| view! {
            <p role="status" class="success">"The request was sent again. The link sent before no longer works."</p>
        })}
        {move || (dialog.get() == Some(Dialog::Menu)).then(|| view! {
            <div class="card" role="menu" aria-label="New managed account">
                <button type="button" role="menuitem" on:click=move |_| dialog.set(Some(Dialog::Existing))>"Existing account"</button>
                <button type="button" role="menuitem" on:click=move |_| dialog.set(Some(Dialog::NewAccount))>"New account"</button>
                <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
            </div>
        })}
        {move || (dialog.get() == Some(Dialog::Existing)).then(|| view! {
            <div class="backdrop">
                <div role="dialog" aria-modal="true" aria-labelledby="existing-title" class="dialog wide-dialog">
                    <h2 id="existing-title">"Add an account to manage"</h2>
                    <ActionForm action=request>
                        <Field label="Client's email" name="client_email" kind="email" required=true error=request_error />
                        <div class="field">
                            <label for="field-role">"Role"</label>
                            <select id="field-role" name="role">
                                {DefaultRole::ALL.into_iter().map(|r| view! { <option value=r.key()>{r.name()}</option> }).collect_view()}
                            </select>
                        </div>
                        <FormMessage error=request_error />
                        <div class="dialog-actions">
                            <button type="submit" disabled=move || request.pending().get()>"Request access"</button>
                            <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
                        </div>
                    </ActionForm>
                </div>
            </div>
        })}
        {move || (dialog.get() == Some(Dialog::NewAccount)).then(|| view! {
            <div class="backdrop">
                <div role="dialog" aria-modal="true" aria-labelledby="new-title" class="dialog wide-dialog">
                    <h2 id="new-title">"New account"</h2>
                    <ActionForm action=create>
                        <Field label="Account name" name="name" required=true error=create_error />
                        <fieldset>
                            <legend>"Data"</legend>
                            <label><input type="radio" name="data" value="blank" checked=move || data_kind.get() == "blank"
                                on:change=move |_| data_kind.set("blank".into()) />" Blank"</label>
                            <label><input type="radio" name="data" value="template" checked=move || data_kind.get() == "template"
                                on:change=move |_| data_kind.set("template".into()) />" Template"</label>
                            <Show when=move || data_kind.get() == "template">
                                <div class="field">
                                    <label for="field-template">"Choose a template"</label>
                                    <Transition fallback=|| view! { <p class="loading">"Loading templates…"</p> }>
                                        {move || Suspend::new(async move {
                                            let list = templates.await;
                                            let (built_in, mine): (Vec<_>, Vec<_>) = list.into_iter().partition(|t| t.built_in);
                                            let option = |t: TemplateView| view! {
                                                <option value=t.id.clone()>{format!("{} ({} fields, {} contacts)", t.name, t.fields, t.contacts)}</option>
                                            };
                                            view! {
                                                <select id="field-template" name="template"
                                                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                                                    <option value="">"—"</option>
                                                    <optgroup label="Built-in templates">{built_in.into_iter().map(option).collect_view()}</optgroup>
                                                    <optgroup label="My templates">{mine.into_iter().map(option).collect_view()}</optgroup>
                                                </select>
                                            }
                                        })}
                                    </Transition>
                                    <p class="field-error" role="alert">
                                        {move || create_error.get().and_then(|e| e.for_field("template"))}
                                    </p>
                                </div>
                            </Show>
                            <label><input type="checkbox" name="sandbox" />" Sandbox account (to set up and convert into a template)"</label>
                        </fieldset>
                        <div class="row">
                            <div class="field">
                                <label for="field-level">"Account level"</label>
                                <select id="field-level" name="level">
                                    {ACCOUNT_LEVELS.iter().map(|p| view! { <option value=p.key>{move || price_option(p, currency.get())}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="field-cms_plan">"CMS plan"</label>
                                <select id="field-cms_plan" name="cms_plan">
                                    {CMS_PLANS.iter().map(|p| view! { <option value=p.key>{move || price_option(p, currency.get())}</option> }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <fieldset>
                            <legend>"Who pays"</legend>
                            <label><input type="radio" name="payer" value="agency" checked=true on:change=move |_| payer.set("agency".into()) />" My agency"</label>
                            <label><input type="radio" name="payer" value="client" on:change=move |_| payer.set("client".into()) />" My client"</label>
                            <p class="muted">{move || if payer.get() == "agency" {
                                "Your agency owns and pays for the account, with a 25% discount."
                            } else {
                                "Your client owns and pays for the account; your agency earns a 25% commission."
                            }}</p>
                        </fieldset>
                        {move || {
                            let label = if payer.get() == "agency" { "Login email" } else { "Client's email" };
                            view! { <Field label name="login_email" kind="email" required=true error=create_error /> }
                        }}
                        <FormMessage error=create_error />
                        <div class="dialog-actions">
                            <button type="submit" disabled=move || create.pending().get()>"Create account"</button>
                            <button type="button" on:click=move |_| dialog.set(None)>"Cancel"</button>
                        </div>
                        {move || create.pending().get().then(|| {
                            let copying = (data_kind.get_untracked() == "template")
                                .then(|| templates.get_untracked().unwrap_or_default().into_iter().find(|t| t.id == chosen.get_untracked()))
                                .flatten();
                            let text = match copying {
                                Some(t) => format!(
                                    "Copying the template {}: {} fields, {} tags, {} messages, {} contacts…",
                                    t.name, t.fields, t.tags, t.messages, t.contacts
                                ),
                                None => "Creating the account…".to_string(),
                            };
                            view! {
                                <div role="status" class="progress">
                                    <progress aria-label="Creating the account"></progress>
                                    <p class="loading">{text}</p>
                                </div>
                            }
                        })}
                    </ActionForm>
                </div>
            </div>
        })}
        {move || answer.value().get().map(|r| match r {
            Ok(()) => view! { <p role="status" class="success">"Your answer was sent to the account owner."</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
        })}
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorView error=e /> }.into_any(),
                    Ok(list) => {
                        let (can_update, can_log_in, can_add) = (list.can_update, list.can_log_in, list.can_add);
                        let changed = changed_rows(shown, query.shown(list.page), &list.rows, |r| r.id.clone());
                        view! {
                            <InvitationsForYou list=list.invitations answer />
                            <p class="totals" aria-label="Monthly totals">
                                {format!(
                                    "Running subscriptions: your agency pays {} a month after its discount, and earns {} a month in commission.",
                                    list.totals.pays_text(list.currency),
                                    list.totals.earns_text(list.currency)
                                )}
                            </p>
                            <table aria-label="Managed accounts">
                                <thead>
                                    <tr>
                                        {query.header("Account name", "name")}
                                        {query.header("Owner email", "owner_email")}
                                        {query.header("Role", "role_name")}
                                        {query.header("Account access", "state")}
                                        {query.header("Account status", "account_status")}
                                        <th scope="col">"Plan"</th>
                                        <th scope="col">"Invitation link"</th>
                                        <th scope="col">"Actions"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.rows.into_iter().map(|r| {
                                        let active = r.state == GrantState::Active;
                                        let id = r.id.clone();
                                        let resend_id = r.id.clone();
                                        let request_id = r.id.clone();
                                        let may_send_again = r.requested_by_agency
                                            && matches!(r.state, GrantState::Pending | GrantState::Expired);
                                        let for_unlink = r.clone();
                                        view! {
                                            <tr class=row_class(&changed, &r.id)>
                                                <td>{if r.name.is_empty() {
                                                    view! { <span class="muted" title="The account behind this email is shown once its owner grants access">"Hidden until granted"</span> }.into_any()
                                                } else {
                                                    r.name.clone().into_any()
                                                }}</td>
                                                <td class="email">{r.owner_email.clone()}</td>
                                                <td>{r.role_name.clone()}</td>
                                                <td><span class=format!("status status-{}", r.access.to_lowercase())>{r.access.clone()}</span></td>
                                                <td>{if r.account_status.is_empty() { "—".to_string() } else { r.account_status.clone() }}</td>
                                                <td class="plan">{r.billing.clone().map(|b| view! {
                                                    {b.plan}<br />
                                                    <span class="muted">{format!(
                                                        "{} · {} a month",
                                                        if b.payer == Payer::Agency { "My agency pays" } else { "My client pays" },
                                                        b.currency.format(b.monthly)
                                                    )}</span>
                                                }.into_any()).unwrap_or_else(|| "—".into_any())}</td>
                                                <td>{r.invitation_link.clone().map(|l| view! {
                                                    <CopyLink link=l label=format!("Invitation link for {}", r.label()) />
                                                })}</td>
                                                <td class="actions">
                                                    {(active && can_log_in).then(|| view! {
                                                        <ActionForm action=log_in>
                                                            <input type="hidden" name="id" value=id.clone() />
                                                            <button type="submit" on:click=|_| crate::live::client::leaving() disabled=move || log_in.pending().get()>"Log in"</button>
                                                        </ActionForm>
                                                    })}
                                                    {(r.password_not_set && can_add).then(|| view! {
                                                        <ActionForm action=resend>
                                                            <input type="hidden" name="id" value=resend_id.clone() />
                                                            <button type="submit" title="Send the owner a new link to set their password; the old one stops working" disabled=move || resend.pending().get()>"Resend link"</button>
                                                        </ActionForm>
                                                    })}
                                                    {(may_send_again && can_update).then(|| view! {
                                                        <ActionForm action=resend_request>
                                                            <input type="hidden" name="id" value=request_id.clone() />
                                                            <button type="submit" title="Send the owner a new link; the old one stops working" disabled=move || resend_request.pending().get()>"Resend request"</button>
                                                        </ActionForm>
                                                    })}
                                                    {can_update.then(|| view! {
                                                        <button type="button" class="danger" on:click=move |_| to_unlink.set(Some(for_unlink.clone()))>"Delete"</button>
                                                    })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            {(list.total == 0).then(|| view! { <p class="empty">"No managed accounts to show."</p> })}
                            <Pager query page=list.page page_size=list.page_size total=list.total noun=("account", "accounts")
                                next=list.next.clone() previous=list.previous.clone() />
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {move || to_unlink.get().map(|r| {
            let id = r.id.clone();
            view! {
                <ConfirmDialog
                    title="Delete managed account"
                    question=format!("Stop managing {}? The link is removed on both sides and the owner is emailed. The account itself is not deleted.", r.label())
                    confirm="Delete"
                    pending=unlink.pending()
                    error=Signal::derive(move || unlink.value().get().and_then(|r| r.err()).map(|e| e.to_string()))
                    on_confirm=Callback::new(move |_| { unlink.dispatch(UnlinkManagedAccount { id: id.clone() }); })
                    on_cancel=Callback::new(move |_| to_unlink.set(None))
                />
            }
        })}
    }
}

/// Owners' pending invitations to the viewer's email: "Accept" and "Reject" answer them as the
/// emailed link does. Nothing when there are none.
#[component]
fn InvitationsForYou(list: Vec<InvitationForYou>, answer: ServerAction<AnswerMyInvitation>) -> impl IntoView {
    (!list.is_empty()).then(|| {
        view! {
            <section class="card invitations" aria-labelledby="invitations-title">
                <h2 id="invitations-title">"Invitations for you"</h2>
                <table aria-label="Invitations for you">
                    <thead>
                        <tr>
                            <th scope="col">"Account name"</th>
                            <th scope="col">"Invited by"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Access until"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().map(|inv| {
                            let (accept_id, reject_id) = (inv.id.clone(), inv.id.clone());
                            let accept_label = format!("Accept the invitation to {}", inv.client_account);
                            let reject_label = format!("Reject the invitation to {}", inv.client_account);
                            view! {
                                <tr>
                                    <td>{inv.client_account}</td>
                                    <td>{inv.invited_by}</td>
                                    <td>{inv.role_name}</td>
                                    <td>{inv.access_until.unwrap_or_else(|| "No end date".into())}</td>
                                    <td class="actions">
                                        <ActionForm action=answer>
                                            <input type="hidden" name="id" value=accept_id />
                                            <input type="hidden" name="answer" value="accept" />
                                            <button type="submit" aria-label=accept_label
                                                disabled=move || answer.pending().get()>"Accept"</button>
                                        </ActionForm>
                                        <ActionForm action=answer>
                                            <input type="hidden" name="id" value=reject_id />
                                            <input type="hidden" name="answer" value="reject" />
                                            <button type="submit" class="danger" aria-label=reject_label
                                                disabled=move || answer.pending().get()>"Reject"</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    })
}
