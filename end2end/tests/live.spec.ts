import { test, expect, Browser, Page } from '@playwright/test';
import { freshEmail, signUp, ready, logIn } from './helpers';

// Live tables (issue 13): two people side by side, and no reload anywhere after the first load.

async function person(browser: Browser, email: string, account: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, email, account);
  return page;
}

test('the owner sees a request arrive, grants it, and the agency sees its row turn Active', async ({ browser }) => {
  const agencyEmail = freshEmail('agency');
  const ownerEmail = freshEmail('client');
  const agency = await person(browser, agencyEmail, 'Live Agency');
  const owner = await person(browser, ownerEmail, 'Live Client');
  await owner.goto('/account-managers');
  await ready(owner);
  await expect(owner.getByRole('row').filter({ hasText: agencyEmail })).toHaveCount(0);

  await agency.goto('/managed-accounts');
  await ready(agency);
  await agency.getByRole('button', { name: 'New managed account' }).click();
  await agency.getByRole('menuitem', { name: 'Existing account' }).click();
  const dialog = agency.getByRole('dialog', { name: 'Add an account to manage' });
  await dialog.getByLabel("Client's email").fill(ownerEmail);
  await dialog.getByRole('button', { name: 'Request access' }).click();
  const row = agency.getByRole('row').filter({ hasText: ownerEmail });
  await expect(row.getByText('Pending')).toBeVisible();

  // The owner's open list shows the request by itself.
  const request = owner.getByRole('row').filter({ hasText: agencyEmail });
  await expect(request.getByText('Pending')).toBeVisible();
  await owner.screenshot({ path: test.info().outputPath('owner-sees-request.png'), fullPage: true });

  // Granted in another tab of the owner's, from the emailed link.
  const tab = await owner.context().newPage();
  await tab.goto('/mailbox');
  const link = await tab.locator('tr.mail').locator('a.mail-link[href*="/requests/"]').first().getAttribute('href');
  await tab.goto(link!);
  await ready(tab);
  await tab.getByRole('button', { name: 'Grant access' }).click();
  await expect(tab.locator('.status')).toHaveText('Active');

  // Both open lists follow, with no reload.
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  await expect(row.getByText('Live Client')).toBeVisible();
  await expect(request.getByText('Active', { exact: true })).toBeVisible();
  await agency.screenshot({ path: test.info().outputPath('agency-sees-active.png'), fullPage: true });
});

test('a force-logged-out user\'s open page lands on the log-in page by itself', async ({ browser }) => {
  const admin = await person(browser, freshEmail('admin'), 'Live Portal');
  const email = freshEmail('una');
  await admin.goto('/users');
  await ready(admin);
  await admin.getByRole('button', { name: 'Add new user' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Add new user' });
  await dialog.getByLabel('First name').fill('Una');
  await dialog.getByLabel('Last name').fill('Live');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Password').fill('a fine password');
  await dialog.getByLabel('Role').selectOption({ label: 'Admin' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  const row = admin.getByRole('row').filter({ hasText: email });
  await expect(row).toBeVisible();

  const una = await (await browser.newContext()).newPage();
  await logIn(una, email, 'a fine password');
  await expect(una.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await una.getByRole('link', { name: 'Contacts' }).click();
  await ready(una);

  // Her log-in shows in the admin's open list (open sessions), by itself.
  await expect(row.getByRole('cell', { name: '1', exact: true })).toBeVisible();

  await row.getByRole('button', { name: 'Force logout' }).click();
  await admin.getByRole('dialog', { name: 'Force logout' }).getByRole('button', { name: 'Force logout' }).click();
  await expect(admin.getByRole('status').filter({ hasText: '1 user logged out.' })).toBeVisible();

  // No click of hers: the page goes to log in.
  await expect(una.getByRole('heading', { name: 'Log in' })).toBeVisible();
});

test('the invited manager answers from their own list; the owner sees the row turn Active without losing what they type', async ({ browser }) => {
  const managerEmail = freshEmail('max');
  const ownerEmail = freshEmail('olga');
  const manager = await person(browser, managerEmail, 'Invited Agency');
  const owner = await person(browser, ownerEmail, 'Inviting Client');
  await manager.goto('/managed-accounts');
  await ready(manager);
  await expect(manager.getByRole('table', { name: 'Invitations for you' })).toHaveCount(0);

  await owner.goto('/account-managers');
  await ready(owner);
  await owner.getByRole('button', { name: 'New account manager' }).click();
  await owner.getByLabel('Email').fill(managerEmail);
  await owner.getByLabel('Role').selectOption({ label: 'Manager' });
  await owner.getByRole('button', { name: 'Invite account manager' }).click();
  const ownerRow = owner.getByRole('row').filter({ hasText: managerEmail });
  await expect(ownerRow.getByText('Pending')).toBeVisible();

  // The invitation shows in the manager's open list by itself.
  const invitations = manager.getByRole('table', { name: 'Invitations for you' });
  const invitation = invitations.getByRole('row').filter({ hasText: 'Inviting Client' });
  await expect(invitation).toContainText(ownerEmail);
  await expect(invitation).toContainText('Manager');
  await manager.screenshot({ path: test.info().outputPath('manager-sees-invitation.png'), fullPage: true });

  // The owner starts a second invitation and has not sent it when the answer arrives.
  await owner.getByRole('button', { name: 'New account manager' }).click();
  await owner.getByLabel('Email').fill('not-sent-yet@example.com');
  await owner.getByLabel('Role').selectOption({ label: 'Builder' });

  await invitation.getByRole('button', { name: 'Accept the invitation to Inviting Client' }).click();
  await expect(manager.getByRole('status').filter({ hasText: 'Your answer was sent to the account owner.' })).toBeVisible();
  await expect(invitations).toHaveCount(0);
  const managed = manager.getByRole('table', { name: 'Managed accounts' }).getByRole('row').filter({ hasText: 'Inviting Client' });
  await expect(managed.getByText('Active', { exact: true })).toBeVisible();
  await expect(managed.getByRole('button', { name: 'Log in' })).toBeVisible();

  // The owner's row flips and is marked as changed; the unsent form keeps what was typed.
  await expect(ownerRow.getByText('Active', { exact: true })).toBeVisible();
  await expect(ownerRow).toHaveClass(/changed/);
  await expect(owner.getByLabel('Email')).toHaveValue('not-sent-yet@example.com');
  await expect(owner.getByLabel('Role').locator('option:checked')).toHaveText('Builder');
  await owner.screenshot({ path: test.info().outputPath('owner-sees-active.png'), fullPage: true });
});
