import { test, expect, Browser, Page } from '@playwright/test';
import { freshEmail, signUp, finishSignUp, ready, PASSWORD } from './helpers';

/** A new browser context (its own cookies) with a signed-up user. */
async function person(browser: Browser, email: string, account: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, email, account);
  return page;
}

/** The newest invitation link emailed to the user `page` is logged in as, read from their
 * development Mailbox (which shows each user their own mail only). */
async function invitationLinkFor(page: Page, email: string): Promise<string> {
  await page.goto('/mailbox');
  const link = page.locator('tr.mail', { hasText: email }).locator('a.mail-link[href*="/invitations/"]').first();
  await expect(link).toBeVisible();
  return (await link.getAttribute('href'))!;
}

/** The invitation link the owner's Account managers row shows for `email`. */
async function linkInRow(owner: Page, email: string): Promise<string> {
  await owner.goto('/account-managers');
  await ready(owner);
  return rowOf(owner, email).getByRole('textbox', { name: /Invitation link/ }).inputValue();
}

async function invite(owner: Page, email: string, role: string) {
  await owner.goto('/account-managers');
  await ready(owner);
  await owner.getByRole('button', { name: 'New account manager' }).click();
  await owner.getByLabel('Email').fill(email);
  await owner.getByLabel('Role').selectOption({ label: role });
  await owner.getByRole('button', { name: 'Invite account manager' }).click();
}

function rowOf(owner: Page, email: string) {
  return owner.getByRole('row', { name: new RegExp(email.replace(/[.+]/g, '\\$&')) });
}

test('invite, accept, revoke, grant again, delete', async ({ browser }) => {
  const ownerEmail = freshEmail('owner');
  const managerEmail = freshEmail('manager');
  const owner = await person(browser, ownerEmail, 'Client Co');
  const manager = await person(browser, managerEmail, 'Agency Inc');

  await owner.getByRole('link', { name: 'Account managers' }).click();
  await expect(owner.getByRole('heading', { name: 'Account managers', level: 1 })).toBeVisible();
  await invite(owner, managerEmail, 'Builder');
  const row = rowOf(owner, managerEmail);
  await expect(row.getByText('Pending')).toBeVisible();
  const shown = await row.getByRole('textbox', { name: /Invitation link/ }).inputValue();
  // "Copy link" puts it on the clipboard, to paste into the owner's own email.
  await owner.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await row.getByRole('button', { name: 'Copy link' }).click();
  await expect(row.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  expect(await owner.evaluate(() => navigator.clipboard.readText())).toBe(shown);
  await owner.screenshot({ path: test.info().outputPath('account-managers-copied.png'), fullPage: true });

  const link = await invitationLinkFor(manager, managerEmail);
  expect(shown).toBe(link);
  // The owner's Mailbox shows the owner's mail only, not the invitation.
  await owner.goto('/mailbox');
  await expect(owner.locator('tr.mail .mail-to', { hasText: managerEmail })).toHaveCount(0);
  await expect(owner.locator('tr.mail .mail-to', { hasText: ownerEmail }).first()).toBeVisible();

  await manager.goto(link);
  await expect(manager.getByText(/invites you to manage the account Client Co with the role Builder/)).toBeVisible();
  await manager.getByRole('button', { name: 'Accept' }).click();
  await expect(manager.locator('.status')).toHaveText('Active');

  await owner.goto('/account-managers');
  await ready(owner);
  await expect(row.getByText('Active')).toBeVisible();
  await expect(row.getByText('Agency Inc')).toBeVisible();

  // "Edit": another role and an end date; a date in the past is refused beside its field.
  await row.getByRole('button', { name: 'Edit' }).click();
  const edit = owner.getByRole('dialog', { name: 'Edit account manager' });
  await expect(edit.getByLabel('Role')).toHaveValue(/.+/);
  await edit.getByLabel('Role').selectOption({ label: 'Manager' });
  await edit.getByLabel('Access until (optional)').fill('2020-01-01');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit.getByText('Choose a date after today.')).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Builder', exact: true })).toBeVisible();
  const end = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await edit.getByLabel('Access until (optional)').fill(end);
  await owner.screenshot({ path: test.info().outputPath('account-managers-edit.png'), fullPage: true });
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(row.getByRole('cell', { name: 'Manager', exact: true })).toBeVisible();
  await expect(row.getByRole('cell', { name: end, exact: true })).toBeVisible();

  await row.getByRole('button', { name: 'Revoke access' }).click();
  const revoke = owner.getByRole('dialog', { name: 'Revoke access' });
  await expect(revoke).toBeVisible();
  await revoke.getByRole('button', { name: 'Revoke access' }).click();
  await expect(row.getByText('Revoked')).toBeVisible();
  await expect(revoke).toBeHidden();

  await row.getByRole('button', { name: 'Grant access' }).click();
  await expect(row.getByText('Active')).toBeVisible();

  await row.getByRole('button', { name: 'Delete' }).click();
  const del = owner.getByRole('dialog', { name: 'Delete account manager' });
  await del.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  await expect(owner.getByText('No account managers yet.')).toBeVisible();

  // The manager was told at each step.
  await manager.goto('/mailbox');
  for (const subject of ['changed', 'was revoked', 'again', 'no longer manage']) {
    await expect(manager.locator('tr.mail', { hasText: managerEmail }).filter({ hasText: subject }).first()).toBeVisible();
  }
});

test('a manager rejects the invitation', async ({ browser }) => {
  const managerEmail = freshEmail('rejecter');
  const owner = await person(browser, freshEmail('owner'), 'Client Two');
  const manager = await person(browser, managerEmail, 'Agency Two');
  await invite(owner, managerEmail, 'Manager');
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();
  const link = await invitationLinkFor(manager, managerEmail);
  await manager.goto(link);
  await manager.getByRole('button', { name: 'Reject' }).click();
  await expect(manager.locator('.status')).toHaveText('Rejected');
  await owner.goto('/account-managers');
  await ready(owner);
  await expect(rowOf(owner, managerEmail).getByText('Rejected')).toBeVisible();
});

test('a link opened by another user changes nothing', async ({ browser }) => {
  const managerEmail = freshEmail('invited');
  const owner = await person(browser, freshEmail('owner'), 'Client Three');
  const intruder = await person(browser, freshEmail('intruder'), 'Other Agency');
  await invite(owner, managerEmail, 'Builder');
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();
  const link = await linkInRow(owner, managerEmail);
  await intruder.goto(link);
  await expect(intruder.getByRole('alert').filter({ hasText: `This invitation is for ${managerEmail}` })).toBeVisible();
  await expect(intruder.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await owner.goto('/account-managers');
  await ready(owner);
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();
});

test('an invited manager without an account signs up from the link and accepts', async ({ browser }) => {
  const managerEmail = freshEmail('newcomer');
  const owner = await person(browser, freshEmail('owner'), 'Client Four');
  await invite(owner, managerEmail, 'Designer / Content writer');
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();
  const link = await linkInRow(owner, managerEmail);

  const page = await (await browser.newContext()).newPage();
  await page.goto(link);
  await page.getByRole('link', { name: 'Sign up' }).click();
  await ready(page);
  await expect(page.getByLabel('Email')).toHaveValue(managerEmail);
  await page.getByLabel('First name').fill('New');
  await page.getByLabel('Last name').fill('Comer');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByLabel('Account name').fill('Newcomer Agency');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await finishSignUp(page);
  await expect(page.getByRole('button', { name: 'Accept' })).toBeVisible();
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.locator('.status')).toHaveText('Active');
});

test('an expired link says so and changes nothing', async ({ browser }) => {
  const base = process.env.SHORT_TTL_BASE_URL;
  test.skip(!base, 'needs the short-expiry server that scripts/test.sh starts');
  const context = await browser.newContext({ baseURL: base });
  const owner = await context.newPage();
  await signUp(owner, freshEmail('owner'), 'Client Five');
  const managerEmail = freshEmail('late');
  await invite(owner, managerEmail, 'Builder');
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();
  const link = await linkInRow(owner, managerEmail);
  // This server's links work for 3 seconds.
  await owner.waitForTimeout(3500);
  const manager = await (await browser.newContext({ baseURL: base })).newPage();
  await signUp(manager, managerEmail, 'Late Agency');
  await manager.goto(link);
  await expect(manager.getByRole('alert').filter({ hasText: 'This invitation has expired.' })).toBeVisible();
  await expect(manager.getByRole('button', { name: 'Accept' })).toHaveCount(0);
  await owner.goto('/account-managers');
  await ready(owner);
  await expect(rowOf(owner, managerEmail).getByText('Expired')).toBeVisible();
  await expect(rowOf(owner, managerEmail).getByRole('button', { name: 'Resend' })).toBeVisible();
});

test('an invitation answered before the WebAssembly runs shows its answer on its page', async ({ browser }) => {
  const managerEmail = freshEmail('plain');
  // The owner's side runs with JavaScript; the manager's pages never load the WebAssembly.
  const owner = await person(browser, freshEmail('owner'), 'Client Plain');
  await invite(owner, managerEmail, 'Builder');
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();
  const link = await linkInRow(owner, managerEmail);

  await person(browser, managerEmail, 'Plain Agency');
  const plain = await browser.newContext({ javaScriptEnabled: false });
  const manager = await plain.newPage();
  await manager.goto('/login');
  await manager.getByLabel('Email').fill(managerEmail);
  await manager.getByLabel('Password').fill(PASSWORD);
  await manager.getByRole('button', { name: 'Log in' }).click();
  await expect(manager.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  // A second tab keeps the form as it was before the answer.
  const stale = await plain.newPage();
  await stale.goto(link);
  await expect(stale.getByRole('button', { name: 'Accept' })).toBeVisible();

  await manager.goto(link);
  await manager.getByRole('button', { name: 'Accept' }).click();
  // Back on the invitation page (its address is sent to nobody, so not by the referrer).
  await expect(manager).toHaveURL(link);
  await expect(manager.locator('.status')).toHaveText('Active');
  await manager.screenshot({ path: test.info().outputPath('invitation-accepted-without-js.png'), fullPage: true });

  // The stale form's answer is refused, and the refusal shows on the invitation page.
  await stale.getByRole('button', { name: 'Accept' }).click();
  await expect(stale).toHaveURL(/\/invitations\/[0-9a-f]+\?__path=/);
  await expect(stale.locator('.status')).toHaveText('Active');
  // The page says it was accepted (news, not an error), and the refused answer is the one alert.
  await expect(stale.getByRole('status').filter({ hasText: 'This invitation was accepted' })).toBeVisible();
  await expect(stale.getByRole('alert')).toHaveCount(1);
  await expect(stale.getByRole('link', { name: 'Go to Managed accounts' })).toBeVisible();
  await stale.screenshot({ path: test.info().outputPath('invitation-refused-without-js.png'), fullPage: true });
});

test('the invitation is accepted from the Managed accounts list before the WebAssembly runs', async ({ browser }) => {
  const managerEmail = freshEmail('listed');
  const owner = await person(browser, freshEmail('owner'), 'Client Listed');
  await invite(owner, managerEmail, 'Designer / Content writer');
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();

  await person(browser, managerEmail, 'Listed Agency');
  const manager = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await manager.goto('/login');
  await manager.getByLabel('Email').fill(managerEmail);
  await manager.getByLabel('Password').fill(PASSWORD);
  await manager.getByRole('button', { name: 'Log in' }).click();
  await manager.goto('/managed-accounts');
  const invitation = manager.getByRole('table', { name: 'Invitations for you' }).getByRole('row').filter({ hasText: 'Client Listed' });
  await expect(invitation).toContainText('Designer / Content writer');
  await invitation.getByRole('button', { name: 'Accept the invitation to Client Listed' }).click();
  // Back on the list, which now holds the account, Active.
  await expect(manager).toHaveURL(/\/managed-accounts\??$/);
  await expect(manager.getByRole('table', { name: 'Invitations for you' })).toHaveCount(0);
  const row = manager.getByRole('table', { name: 'Managed accounts' }).getByRole('row').filter({ hasText: 'Client Listed' });
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  await manager.screenshot({ path: test.info().outputPath('accepted-from-the-list-without-js.png'), fullPage: true });
  await owner.reload();
  await expect(rowOf(owner, managerEmail).getByText('Active', { exact: true })).toBeVisible();
});

test('the Dashboard shows what waits for each side and leads to it', async ({ browser }) => {
  const managerEmail = freshEmail('dashmanager');
  const owner = await person(browser, freshEmail('dashowner'), 'Dashboard Client');
  const manager = await person(browser, managerEmail, 'Dashboard Agency');
  await invite(owner, managerEmail, 'Builder');
  await expect(rowOf(owner, managerEmail).getByText('Pending')).toBeVisible();

  // The owner's Dashboard: the latest audit entries, leading to the log.
  await owner.getByRole('link', { name: 'Dashboard' }).click();
  const log = owner.getByRole('region', { name: 'Latest in the audit log' });
  await expect(log).toContainText(`Invited ${managerEmail}`);
  await owner.screenshot({ path: test.info().outputPath('dashboard-owner.png'), fullPage: true });
  await log.getByRole('link', { name: 'Go to the Audit log' }).click();
  await expect(owner.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();

  // The invited manager's Dashboard: the invitation, leading to where it is answered.
  await manager.goto('/');
  await ready(manager);
  const waiting = manager.getByRole('region', { name: 'Invitations for you' });
  await expect(waiting).toContainText('invites you to manage Dashboard Client as Builder.');
  await expect(manager.getByRole('region', { name: 'Client accounts' })).toContainText('In your Managed accounts list');
  await manager.screenshot({ path: test.info().outputPath('dashboard-manager.png'), fullPage: true });
  await waiting.getByRole('link', { name: 'Answer them in Managed accounts' }).click();
  await expect(manager.getByRole('heading', { name: 'Managed accounts', level: 1 })).toBeVisible();
  await expect(manager.getByRole('button', { name: 'Accept' })).toBeVisible();
});

test('Account managers searches, sorts and pages', async ({ browser }) => {
  const owner = await person(browser, freshEmail('owner'), 'Popular Client');
  await owner.goto('/account-managers');
  await ready(owner);
  await owner.getByRole('button', { name: 'New account manager' }).click();
  const builder = (await owner.getByLabel('Role').locator('option', { hasText: 'Builder' }).getAttribute('value'))!;
  // 26 invitations through the server function the form posts to.
  const stamp = Date.now();
  for (let i = 0; i < 26; i++) {
    const n = String(i).padStart(2, '0');
    const res = await owner.request.post('/api/invite_account_manager', {
      form: { email: `mgr${n}.${stamp}@example.com`, role: builder },
    });
    expect(res.ok()).toBe(true);
  }
  await owner.reload();
  await ready(owner);
  const pager = owner.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText('Page 1 of 2 · 26 account managers');
  // Newest first: the last invitation heads the list.
  const table = owner.getByRole('table', { name: 'Account managers' });
  await expect(table.getByRole('row').nth(1)).toContainText(`mgr25.${stamp}`);
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('Page 2 of 2');
  await expect(table.getByRole('row')).toHaveCount(2); // header + 1

  await table.getByRole('button', { name: 'Email', exact: true }).click();
  await expect(owner.getByRole('columnheader', { name: 'Email' })).toHaveAttribute('aria-sort', 'ascending');
  await expect(pager).toContainText('Page 1 of 2');
  await expect(table.getByRole('row').nth(1)).toContainText(`mgr00.${stamp}`);

  await owner.getByLabel('Search').fill('MGR1');
  await expect(pager).toContainText('Page 1 of 1 · 10 account managers');
  await expect(rowOf(owner, `mgr19.${stamp}`)).toBeVisible();
  await expect(rowOf(owner, `mgr20.${stamp}`)).toHaveCount(0);
  await owner.screenshot({ path: test.info().outputPath('account-managers-search.png'), fullPage: true });
});
