import { test, expect, Browser, Page } from '@playwright/test';
import { freshEmail, signUp, ready, logIn } from './helpers';

async function person(browser: Browser, email: string, account: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, email, account);
  return page;
}

async function linkFor(page: Page, email: string, part: string): Promise<string> {
  await page.goto('/mailbox');
  const link = page.locator('tr.mail', { hasText: email }).locator(`a.mail-link[href*="${part}"]`).first();
  await expect(link).toBeVisible();
  return (await link.getAttribute('href'))!;
}

async function openManaged(page: Page) {
  await page.goto('/managed-accounts');
  await ready(page);
}

/** The agency user opens the invitation in their Mailbox and accepts it. */
async function acceptInvitation(agency: Page, agencyEmail: string) {
  const invitation = await linkFor(agency, agencyEmail, '/invitations/');
  await agency.goto(invitation);
  await agency.getByRole('button', { name: 'Accept' }).click();
  await expect(agency.locator('.status')).toHaveText('Active');
  await expect(agency.getByRole('status').filter({ hasText: 'This invitation was accepted' })).toHaveClass(/success/);
  await expect(agency.getByRole('link', { name: 'Go to Managed accounts' })).toHaveAttribute('href', '/managed-accounts');
}

/** The owner invites `agencyEmail` with the Admin role and the agency accepts from the link. */
async function inviteAsAdmin(owner: Page, agency: Page, agencyEmail: string) {
  await owner.goto('/account-managers');
  await ready(owner);
  await owner.getByRole('button', { name: 'New account manager' }).click();
  await owner.getByLabel('Email').fill(agencyEmail);
  await owner.getByLabel('Role').selectOption({ label: 'Admin' });
  await owner.getByRole('button', { name: 'Invite account manager' }).click();
  await expect(owner.getByRole('row').filter({ hasText: agencyEmail }).getByText('Pending')).toBeVisible();
  await acceptInvitation(agency, agencyEmail);
}

/** The agency logs in to the client account `client` from its Managed accounts list. */
async function logInTo(agency: Page, client: string) {
  await openManaged(agency);
  await agency.getByRole('row').filter({ hasText: client }).getByRole('button', { name: 'Log in' }).click();
  await expect(agency.getByRole('region', { name: 'Managed account' })).toContainText('Admin');
}

/** `inviteAsAdmin`, then the agency logs in to `client`. */
async function adminGrantFor(owner: Page, agency: Page, agencyEmail: string, client: string) {
  await inviteAsAdmin(owner, agency, agencyEmail);
  await logInTo(agency, client);
}

/** "New managed account" → "New account": a blank account named `name`, owned by `email`. */
async function createBlank(page: Page, name: string, email: string) {
  await page.getByRole('button', { name: 'New managed account' }).click();
  await page.getByRole('menuitem', { name: 'New account' }).click();
  const dialog = page.getByRole('dialog', { name: 'New account' });
  await dialog.getByLabel('Account name').fill(name);
  await dialog.getByLabel('Login email').fill(email);
  await dialog.getByRole('button', { name: 'Create account' }).click();
}

test('request access, owner grants it, log in as Builder, add a contact, back to my account', async ({ browser }) => {
  const agencyEmail = freshEmail('agency');
  const ownerEmail = freshEmail('client');
  const agency = await person(browser, agencyEmail, 'Agency Inc');
  const owner = await person(browser, ownerEmail, 'Client Co');

  await agency.getByRole('link', { name: 'Managed accounts', exact: true }).click();
  await ready(agency);
  await agency.getByRole('button', { name: 'New managed account' }).click();
  await agency.getByRole('menuitem', { name: 'Existing account' }).click();
  const dialog = agency.getByRole('dialog', { name: 'Add an account to manage' });
  await dialog.getByLabel("Client's email").fill(ownerEmail);
  await dialog.getByLabel('Role').selectOption({ label: 'Builder' });
  await dialog.getByRole('button', { name: 'Request access' }).click();
  // Until the owner answers, the row shows the email typed, not the account behind it.
  const pending = agency.getByRole('row').filter({ hasText: ownerEmail });
  await expect(pending.getByText('Pending')).toBeVisible();
  await expect(pending.getByText('Hidden until granted')).toBeVisible();
  await expect(agency.getByRole('row').filter({ hasText: 'Client Co' })).toHaveCount(0);
  await expect(pending.getByRole('textbox', { name: /Invitation link/ })).toHaveValue(/\/requests\//);
  // The agency sends it again: a new link, the first one stops working.
  const firstLink = await pending.getByRole('textbox', { name: /Invitation link/ }).inputValue();
  await pending.getByRole('button', { name: 'Resend request' }).click();
  await expect(agency.getByRole('status').filter({ hasText: 'The request was sent again.' })).toBeVisible();
  await expect(pending.getByRole('textbox', { name: /Invitation link/ })).not.toHaveValue(firstLink);
  await agency.screenshot({ path: test.info().outputPath('request-resent.png'), fullPage: true });
  await owner.goto(new URL(firstLink).pathname);
  await expect(owner.getByText(/no longer exists/)).toBeVisible();
  const row = agency.getByRole('row').filter({ hasText: 'Client Co' });

  const link = await linkFor(owner, ownerEmail, '/requests/');
  await owner.goto(link);
  await expect(owner.getByText(/asks to manage the account Client Co with the role Builder/)).toBeVisible();
  await owner.getByRole('button', { name: 'Grant access' }).click();
  await expect(owner.locator('.status')).toHaveText('Active');
  // The answer reads as a success, and the page leads on to the owner's list.
  const granted = owner.getByRole('status').filter({ hasText: 'Access was granted.' });
  await expect(granted).toHaveClass(/success/);
  await expect(owner.getByRole('alert').filter({ hasText: 'Access was granted.' })).toHaveCount(0);
  await owner.screenshot({ path: test.info().outputPath('request-granted.png'), fullPage: true });
  await owner.getByRole('link', { name: 'Go to Account managers' }).click();
  await expect(owner.getByRole('heading', { name: 'Account managers', level: 1 })).toBeVisible();
  await expect(owner.getByRole('row').filter({ hasText: agencyEmail }).getByText('Active')).toBeVisible();

  await openManaged(agency);
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  await row.getByRole('button', { name: 'Log in' }).click();
  const bar = agency.getByRole('region', { name: 'Managed account' });
  await expect(bar).toContainText('You are in Client Co');
  await expect(bar).toContainText('Agency Inc');
  await expect(bar).toContainText('Builder');

  await agency.getByRole('link', { name: 'Contacts' }).click();
  await ready(agency);
  await agency.getByLabel('First name').fill('Managed');
  await agency.getByLabel('Last name').fill('Contact');
  await agency.getByRole('button', { name: 'Save contact' }).click();
  await expect(agency.getByRole('row', { name: /Managed Contact/ })).toBeVisible();
  await expect(agency.getByRole('row', { name: /Managed Contact/ }).getByRole('button', { name: 'Delete' })).toHaveCount(0);

  await bar.getByRole('button', { name: 'Back to my account' }).click();
  await expect(agency.getByRole('heading', { name: 'Managed accounts', level: 1 })).toBeVisible();
  await expect(agency.getByRole('region', { name: 'Managed account' })).toHaveCount(0);

  // The owner sees the contact the manager added, in their own account, and who added it.
  await owner.goto('/contacts');
  await expect(owner.getByRole('row', { name: /Managed Contact/ })).toBeVisible();
  await owner.getByRole('link', { name: 'Audit log' }).click();
  await expect(
    owner.getByRole('row').filter({ hasText: 'contact.created' }).filter({ hasText: `${agencyEmail}> of agency Agency Inc` }),
  ).toBeVisible();
});

for (const [payer, label, fieldLabel] of [['agency', 'My agency', 'Login email'], ['client', 'My client', "Client's email"]]) {
  test(`create a blank client account paid by ${payer}`, async ({ browser }) => {
    const agency = await person(browser, freshEmail('agency'), 'Creator Agency');
    await openManaged(agency);
    await agency.getByRole('button', { name: 'New managed account' }).click();
    await agency.getByRole('menuitem', { name: 'New account' }).click();
    const dialog = agency.getByRole('dialog', { name: 'New account' });
    const name = `Blank ${payer} ${Date.now()}`;
    const loginEmail = freshEmail('newclient');
    await dialog.getByLabel('Account name').fill(name);
    await dialog.getByLabel('Account level').selectOption('pro');
    await dialog.getByLabel('CMS plan').selectOption('starter');
    await dialog.getByLabel(label).check();
    await dialog.getByLabel(fieldLabel).fill(loginEmail);
    // The dialog fits the 1280×720 window and its fields stay inside it.
    const box = (await dialog.boundingBox())!;
    const viewport = agency.viewportSize()!;
    expect(box.y >= 0 && box.y + box.height <= viewport.height && box.x + box.width <= viewport.width).toBe(true);
    for (const field of ['Account name', 'Account level', 'CMS plan', fieldLabel]) {
      const f = (await dialog.getByLabel(field).boundingBox())!;
      expect(f.x >= box.x && f.x + f.width <= box.x + box.width, `${field} inside the dialog`).toBe(true);
    }
    await agency.screenshot({ path: test.info().outputPath('new-account-dialog.png') });
    await dialog.getByRole('button', { name: 'Create account' }).click();
    const row = agency.getByRole('row').filter({ hasText: name });
    await expect(row.getByText('Active', { exact: true })).toBeVisible();
    await expect(row.getByText('Free trial')).toBeVisible();
    await expect(row.getByText('Admin')).toBeVisible();

    // Until the owner sets a password, the row shows the link emailed to them, and the agency
    // can send a new one (the old one stops working).
    // (The new owner can't log in to read their Mailbox yet: the row's link is the one emailed.)
    await openManaged(agency);
    const linkField = agency.getByRole('textbox', { name: `Invitation link for ${name}` });
    const emailed = await linkField.inputValue();
    expect(emailed).toContain('/set-password/');
    await agency.getByRole('row').filter({ hasText: name }).getByRole('button', { name: 'Resend link' }).click();
    await expect(linkField).not.toHaveValue(emailed);
    const link = await linkField.inputValue();
    await agency.screenshot({ path: test.info().outputPath('managed-resend-link.png'), fullPage: true });
    const client = await (await browser.newContext()).newPage();
    await client.goto(emailed);
    await ready(client);
    await client.getByLabel('Password').fill('my own good password');
    await client.getByRole('button', { name: 'Set password' }).click();
    await expect(client.getByText('This link is no longer valid. Ask for a new one.')).toBeVisible();

    // The new owner sets a password from the new link and logs in.
    await client.goto(link);
    await ready(client);
    await client.getByLabel('Password').fill('my own good password');
    await client.getByRole('button', { name: 'Set password' }).click();
    await expect(client.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await logIn(client, loginEmail, 'my own good password');
    await expect(client.getByText(name).first()).toBeVisible();

    // The row no longer offers the link.
    await openManaged(agency);
    await expect(agency.getByRole('row').filter({ hasText: name }).getByRole('button', { name: 'Resend link' })).toHaveCount(0);
    await expect(linkField).toHaveCount(0);
  });
}

test('search the list by account name and by owner email', async ({ browser }) => {
  const agency = await person(browser, freshEmail('agency'), 'Searching Agency');
  await openManaged(agency);
  const stamp = Date.now();
  const owners: string[] = [];
  for (const name of [`Bakery ${stamp}`, `Barber ${stamp}`, `Cafe ${stamp}`]) {
    const email = freshEmail(`owner${owners.length}`);
    owners.push(email);
    await createBlank(agency, name, email);
    await expect(agency.getByRole('row').filter({ hasText: name })).toBeVisible();
  }
  await expect(agency.getByText('Page 1 of 1 · 3 accounts')).toBeVisible();

  const search = agency.getByLabel('Search');
  await search.fill('ba');
  await expect(agency.getByText('Page 1 of 1 · 2 accounts')).toBeVisible();
  await expect(agency.getByRole('row').filter({ hasText: `Cafe ${stamp}` })).toHaveCount(0);
  await agency.screenshot({ path: 'test-results/managed-accounts-search.png', fullPage: true });

  await search.fill(owners[2].toUpperCase());
  await expect(agency.getByText('Page 1 of 1 · 1 account', { exact: true })).toBeVisible();
  await expect(agency.getByRole('row').filter({ hasText: `Cafe ${stamp}` })).toBeVisible();

  await search.fill('nothing like it');
  await expect(agency.getByText('No managed accounts to show.')).toBeVisible();
});

test('the pager reads the next and the previous page from the page shown', async ({ browser }) => {
  const agency = await person(browser, freshEmail('agency'), 'Paging Agency');
  await openManaged(agency);
  const stamp = Date.now();
  // 55 client accounts through the server function the New account dialog posts to.
  for (let i = 0; i < 55; i++) {
    const n = String(i).padStart(2, '0');
    const res = await agency.request.post('/api/create_client_account', {
      form: {
        name: `Paged ${n}`, level: 'basic', cms_plan: 'none', payer: 'client',
        login_email: `paged${n}.${stamp}@example.com`, data: 'blank',
      },
    });
    expect(res.ok()).toBe(true);
  }
  await agency.reload();
  await ready(agency);
  const pager = agency.getByRole('navigation', { name: 'Pages' });
  const table = agency.getByRole('table', { name: 'Managed accounts' });
  const rows = table.getByRole('row');
  await expect(pager).toContainText('Page 1 of 3 · 55 accounts');
  await expect(rows.nth(1)).toContainText('Paged 00');
  // Next and Previous ask for the page after the last row shown, or before the first.
  const asked = (from: string) => agency.waitForRequest(
    (r) => r.url().endsWith('/api/managed_accounts') && (r.postData() ?? '').includes(`cursor=${from}`));
  let request = asked('after');
  await pager.getByRole('button', { name: 'Next' }).click();
  await request;
  await expect(pager).toContainText('Page 2 of 3');
  await expect(rows.nth(1)).toContainText('Paged 25');
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('Page 3 of 3');
  await expect(rows).toHaveCount(6); // header + 5
  await expect(rows.nth(1)).toContainText('Paged 50');
  await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
  request = asked('before');
  await pager.getByRole('button', { name: 'Previous' }).click();
  await request;
  await expect(pager).toContainText('Page 2 of 3');
  await expect(rows).toHaveCount(26);
  await expect(rows.nth(1)).toContainText('Paged 25');
  await expect(rows.nth(25)).toContainText('Paged 49');
  await agency.screenshot({ path: test.info().outputPath('managed-accounts-page-2.png'), fullPage: true });
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText('Page 1 of 3');
  await expect(rows.nth(1)).toContainText('Paged 00');
  await expect(pager.getByRole('button', { name: 'Previous' })).toBeDisabled();
});

test('a Manager of the agency may log in to its clients but not add to the list', async ({ browser }) => {
  const agency = await person(browser, freshEmail('agency'), 'Roles Agency');
  await openManaged(agency);
  const name = `Managed by roles ${Date.now()}`;
  await createBlank(agency, name, freshEmail('rolesclient'));
  await expect(agency.getByRole('row').filter({ hasText: name })).toBeVisible();

  // The owner adds a team user with the Manager role ("Managed accounts": view and log in only).
  const managerEmail = freshEmail('teammanager');
  await agency.goto('/users');
  await ready(agency);
  await agency.getByRole('button', { name: 'Add new user' }).click();
  const add = agency.getByRole('dialog', { name: 'Add new user' });
  await add.getByLabel('First name').fill('Mia');
  await add.getByLabel('Last name').fill('Manager');
  await add.getByLabel('Email').fill(managerEmail);
  await add.getByLabel('Password').fill('a fine password');
  await add.getByLabel('Role').selectOption({ label: 'Manager' });
  await add.getByRole('button', { name: 'Save' }).click();
  await expect(agency.getByRole('row').filter({ hasText: managerEmail })).toBeVisible();

  const mia = await (await browser.newContext()).newPage();
  await logIn(mia, managerEmail, 'a fine password');
  await expect(mia.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await openManaged(mia);
  const row = mia.getByRole('row').filter({ hasText: name });
  await expect(row.getByRole('button', { name: 'Log in' })).toBeVisible();
  await expect(mia.getByRole('button', { name: 'New managed account' })).toHaveCount(0);
  await mia.screenshot({ path: test.info().outputPath('managed-accounts-as-manager.png'), fullPage: true });
  // The owner, an Admin, has it.
  await openManaged(agency);
  await expect(agency.getByRole('button', { name: 'New managed account' })).toBeVisible();
  // And Mia's Log in works.
  await row.getByRole('button', { name: 'Log in' }).click();
  await expect(mia.getByRole('region', { name: 'Managed account' })).toContainText(name);
});

test('delete a managed account row', async ({ browser }) => {
  const agency = await person(browser, freshEmail('agency'), 'Deleting Agency');
  await openManaged(agency);
  const name = `Short lived ${Date.now()}`;
  await createBlank(agency, name, freshEmail('shortlived'));
  const row = agency.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: 'Delete' }).click();
  const confirm = agency.getByRole('dialog', { name: 'Delete managed account' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  await expect(agency.getByText('No managed accounts to show.')).toBeVisible();
});

test('the owner revokes while the manager is logged in, then refuses new requests', async ({ browser }) => {
  const agencyEmail = freshEmail('agency');
  const ownerEmail = freshEmail('client');
  const agency = await person(browser, agencyEmail, 'Watched Agency');
  const owner = await person(browser, ownerEmail, 'Careful Client');

  // The owner invites the agency's user, who accepts.
  await owner.goto('/account-managers');
  await ready(owner);
  await owner.getByRole('button', { name: 'New account manager' }).click();
  await owner.getByLabel('Email').fill(agencyEmail);
  await owner.getByRole('button', { name: 'Invite account manager' }).click();
  await expect(owner.getByRole('row').filter({ hasText: agencyEmail }).getByText('Pending')).toBeVisible();
  await acceptInvitation(agency, agencyEmail);

  await openManaged(agency);
  await agency.getByRole('row').filter({ hasText: 'Careful Client' }).getByRole('button', { name: 'Log in' }).click();
  await expect(agency.getByRole('region', { name: 'Managed account' })).toContainText('Careful Client');

  await owner.goto('/account-managers');
  await ready(owner);
  const row = owner.getByRole('row').filter({ hasText: agencyEmail });
  await row.getByRole('button', { name: 'Revoke access' }).click();
  await owner.getByRole('dialog', { name: 'Revoke access' }).getByRole('button', { name: 'Revoke access' }).click();
  await expect(row.getByText('Revoked')).toBeVisible();

  // The manager's open page goes back home by itself, with a message (live tables, issue 13).
  await expect(agency.getByRole('status').filter({ hasText: 'Your access to Careful Client has ended.' })).toBeVisible();
  await expect(agency.getByRole('region', { name: 'Managed account' })).toHaveCount(0);

  // The owner stops accepting requests.
  await owner.getByRole('link', { name: 'Account settings' }).click();
  await ready(owner);
  await owner.getByLabel('Allow account manager requests').uncheck();
  await owner.getByLabel('Daily summary').check();
  await owner.getByRole('button', { name: 'Save settings' }).click();
  await expect(owner.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await owner.reload();
  await ready(owner);
  await expect(owner.getByLabel('Allow account manager requests')).not.toBeChecked();
  await expect(owner.getByLabel('Daily summary')).toBeChecked();
  await owner.goto('/account-managers');
  await ready(owner);
  await row.getByRole('button', { name: 'Delete' }).click();
  await owner.getByRole('dialog', { name: 'Delete account manager' }).getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);

  await openManaged(agency);
  await agency.getByRole('button', { name: 'New managed account' }).click();
  await agency.getByRole('menuitem', { name: 'Existing account' }).click();
  const dialog = agency.getByRole('dialog', { name: 'Add an account to manage' });
  await dialog.getByLabel("Client's email").fill(ownerEmail);
  await dialog.getByRole('button', { name: 'Request access' }).click();
  // The answer is the one any request gets, so that it tells a stranger nothing; the request
  // reaches nobody. An email no account uses answers the same.
  await expect(dialog).toHaveCount(0);
  const nobody = freshEmail('nobody');
  await agency.getByRole('button', { name: 'New managed account' }).click();
  await agency.getByRole('menuitem', { name: 'Existing account' }).click();
  await dialog.getByLabel("Client's email").fill(nobody);
  await dialog.getByRole('button', { name: 'Request access' }).click();
  await expect(dialog).toHaveCount(0);
  for (const email of [ownerEmail, nobody]) {
    const asked = agency.getByRole('row').filter({ hasText: email });
    await expect(asked.getByText('Pending')).toBeVisible();
    await expect(asked.getByText('Hidden until granted')).toBeVisible();
  }
  await agency.screenshot({ path: test.info().outputPath('requests-to-closed-and-unknown.png'), fullPage: true });
  await owner.reload();
  await ready(owner);
  await expect(owner.getByRole('row').filter({ hasText: agencyEmail })).toHaveCount(0);
});

test('a manager with the Admin role sees no way to add users or change grants, and a forged request is refused', async ({ browser }) => {
  const agencyEmail = freshEmail('agency');
  const ownerEmail = freshEmail('client');
  const agency = await person(browser, agencyEmail, 'Eager Agency');
  const owner = await person(browser, ownerEmail, 'Guarded Client');

  await adminGrantFor(owner, agency, agencyEmail, 'Guarded Client');

  await agency.getByRole('link', { name: 'Users' }).click();
  await ready(agency);
  await expect(agency.getByRole('row').filter({ hasText: ownerEmail })).toBeVisible();
  await expect(agency.getByRole('button', { name: 'Add new user' })).toHaveCount(0);

  await agency.getByRole('link', { name: 'Account managers' }).click();
  await ready(agency);
  await expect(agency.getByRole('row').filter({ hasText: agencyEmail })).toBeVisible();
  await expect(agency.getByRole('button', { name: 'New account manager' })).toHaveCount(0);
  await expect(agency.getByRole('button', { name: 'Revoke access' })).toHaveCount(0);
  await expect(agency.getByText(/Only the account's own users invite/)).toBeVisible();

  await agency.getByRole('link', { name: 'Account settings' }).click();
  await ready(agency);
  await expect(agency.getByRole('button', { name: 'Save settings' })).toHaveCount(0);

  // The button is gone, and the server function refuses the request the button would have sent.
  const status = await agency.evaluate(async () => {
    const body = new URLSearchParams({ first_name: 'Mole', last_name: 'Planted', email: 'mole@example.com', password: 'a planted password' });
    const res = await fetch('/api/save_user', { method: 'POST', body, headers: { Accept: 'application/json' } });
    return res.status;
  });
  expect(status).toBe(403);
  await owner.goto('/users');
  await ready(owner);
  await expect(owner.getByRole('row').filter({ hasText: 'mole@example.com' })).toHaveCount(0);
});

test('with "Account managers may manage users" on, a manager adds a user the owner sees and removes with the grant', async ({ browser }) => {
  const agencyEmail = freshEmail('agency');
  const ownerEmail = freshEmail('client');
  const helperEmail = freshEmail('helper');
  const agency = await person(browser, agencyEmail, 'Staffing Agency');
  const owner = await person(browser, ownerEmail, 'Trusting Client');

  await inviteAsAdmin(owner, agency, agencyEmail);

  await owner.goto('/settings');
  await ready(owner);
  await owner.getByLabel('Account managers may manage users').check();
  await owner.getByRole('button', { name: 'Save settings' }).click();
  await expect(owner.getByRole('status')).toHaveText('Settings saved.');

  await logInTo(agency, 'Trusting Client');
  await agency.getByRole('link', { name: 'Users' }).click();
  await ready(agency);
  await agency.getByRole('button', { name: 'Add new user' }).click();
  const form = agency.getByRole('dialog', { name: 'Add new user' });
  await form.getByLabel('First name').fill('Hana');
  await form.getByLabel('Last name').fill('Helper');
  await form.getByLabel('Email').fill(helperEmail);
  await form.getByLabel('Password').fill('a helper password');
  await form.getByLabel('Role').selectOption({ label: 'Builder' });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(agency.getByRole('row').filter({ hasText: helperEmail })).toBeVisible();

  await owner.goto('/users');
  await ready(owner);
  const helperRow = owner.getByRole('row').filter({ hasText: helperEmail });
  await expect(helperRow).toContainText(`Added by manager Ann Owner <${agencyEmail}> of agency Staffing Agency`);
  await owner.screenshot({ path: test.info().outputPath('users-added-by-manager.png'), fullPage: true });
  await expect(owner.getByRole('row').filter({ hasText: ownerEmail })).not.toContainText('Added by');

  await owner.goto('/account-managers');
  await ready(owner);
  await owner.getByRole('row').filter({ hasText: agencyEmail }).getByRole('button', { name: 'Delete' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Delete account manager' });
  await expect(dialog).toContainText('Staffing Agency added 1 user to this account. What happens to them?');
  await dialog.getByLabel('Remove them too').check();
  await owner.screenshot({ path: test.info().outputPath('delete-grant-asks-about-users.png') });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(owner.getByRole('row').filter({ hasText: agencyEmail })).toHaveCount(0);
  await owner.goto('/users');
  await ready(owner);
  await expect(owner.getByRole('row').filter({ hasText: ownerEmail })).toBeVisible();
  await expect(owner.getByRole('row').filter({ hasText: helperEmail })).toHaveCount(0);

  // The manager's open page goes home by itself, with a message (live tables, issue 13).
  await expect(agency.getByRole('status').filter({ hasText: 'Your access to Trusting Client has ended.' })).toBeVisible();
  await expect(agency.getByRole('region', { name: 'Managed account' })).toHaveCount(0);
});

test('a manager switches from one client account straight to another from the bar', async ({ browser }) => {
  const agencyEmail = freshEmail('switcher');
  const agency = await person(browser, agencyEmail, 'Switching Agency');
  const first = await person(browser, freshEmail('firstowner'), 'First Client');
  const second = await person(browser, freshEmail('secondowner'), 'Second Client');
  await inviteAsAdmin(first, agency, agencyEmail);
  await inviteAsAdmin(second, agency, agencyEmail);
  await logInTo(agency, 'First Client');
  const bar = agency.getByRole('region', { name: 'Managed account' });
  await expect(bar).toContainText('You are in First Client');
  const to = bar.getByLabel('Switch to');
  await expect(to.locator('option')).toHaveText(['Second Client']);
  await agency.screenshot({ path: test.info().outputPath('managing-bar-switch.png') });
  await bar.getByRole('button', { name: 'Switch' }).click();
  await expect(bar).toContainText('You are in Second Client');
  await expect(bar.getByLabel('Switch to').locator('option')).toHaveText(['First Client']);
});
