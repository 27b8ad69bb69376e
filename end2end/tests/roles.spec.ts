import { test, expect, Page } from '@playwright/test';
import { freshEmail, signUp, logIn, ready } from './helpers';

const USER_PASSWORD = 'a fine password';

async function addUser(page: Page, email: string, role: string) {
  await page.goto('/users');
  await ready(page);
  await page.getByRole('button', { name: 'Add new user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add new user' });
  await dialog.getByLabel('First name').fill('Rita');
  await dialog.getByLabel('Last name').fill('Role');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Password').fill(USER_PASSWORD);
  await dialog.getByLabel('Role').selectOption({ label: role });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('row').filter({ hasText: email })).toBeVisible();
}

test('a custom role without "Can delete contacts": no Delete button, and the server refuses a forged delete', async ({ page, browser }) => {
  await signUp(page, freshEmail('roleowner'), 'Role Agency');
  // A contact to try to delete.
  await page.getByRole('link', { name: 'Contacts' }).click();
  await ready(page);
  await page.getByLabel('First name').fill('Dora');
  await page.getByLabel('Last name').fill('Deletable');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Dora Deletable' })).toBeVisible();

  // Copy Manager into a custom role and take "Can delete contacts" away.
  await page.getByRole('link', { name: 'Team roles and permission management' }).click();
  await ready(page);
  const roles = page.getByRole('table', { name: 'Roles' });
  await expect(roles.getByRole('row').filter({ hasText: 'Designer / Content writer' })).toContainText('Default');
  await roles.getByRole('row').filter({ hasText: /^Manager/ }).getByRole('button', { name: 'Copy' }).click();
  await expect(page.getByRole('heading', { name: 'Role: Copy of Manager' })).toBeVisible();
  await page.getByLabel('Role name').fill('Careful manager');
  // The seed's words (issue 14): a Manager holds these admin tools but not the API manager.
  await expect(page.getByLabel('Manage lead scoring')).toBeChecked();
  await expect(page.getByLabel('Email \u2018FROM\u2019 address setup')).toBeChecked();
  await expect(page.getByLabel('API manager', { exact: true })).not.toBeChecked();
  await expect(page.getByLabel('Log in to managed accounts')).toBeChecked();
  await expect(page.getByLabel('Add managed accounts')).not.toBeChecked();
  await page.screenshot({ path: test.info().outputPath('role-editor.png'), fullPage: true });
  await expect(page.getByLabel('Can delete contacts')).toBeChecked();
  await page.getByLabel('Can delete contacts').uncheck();
  await page.getByRole('button', { name: 'Save role' }).click();
  await expect(page.getByText('Role saved.')).toBeVisible();
  const custom = roles.getByRole('row').filter({ hasText: 'Careful manager' });
  await expect(custom).toContainText('Custom');
  await expect(page.locator('fieldset', { hasText: 'Contacts' }).first().locator('.badge')).toHaveText('Limited');

  // A default role is shown read-only.
  await roles.getByRole('row').filter({ hasText: /^Builder/ }).getByRole('link', { name: 'View' }).click();
  await expect(page.getByLabel('Can view contacts')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save role' })).toHaveCount(0);

  // Give it to a user.
  const email = freshEmail('careful');
  await addUser(page, email, 'Careful manager');
  await page.goto('/roles');
  await ready(page);
  await expect(custom.getByRole('cell').nth(2)).toHaveText('1');

  // Deleting a role in use is refused and says by whom.
  await custom.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete role' });
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog.getByRole('alert')).toContainText(email);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  const user = await (await browser.newContext()).newPage();
  await logIn(user, email, USER_PASSWORD);
  await user.getByRole('link', { name: 'Contacts' }).click();
  await ready(user);
  const row = user.getByRole('row').filter({ hasText: 'Dora Deletable' });
  await expect(row.getByRole('button', { name: 'Edit' })).toBeVisible();
  await expect(row.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  // No "Team roles" for this user, and the roles page by URL says so.
  await expect(user.getByRole('link', { name: 'Team roles and permission management' })).toHaveCount(0);
  await user.goto('/roles');
  await ready(user);
  await expect(user.getByRole('heading', { name: "You don't have access" })).toBeVisible();

  // A forged call to the server function is refused, and the contact stays.
  await user.goto('/contacts');
  await ready(user);
  const id = await page.evaluate(async () => {
    const res = await fetch('/api/list_contacts', { method: 'POST' });
    return (await res.json()).contacts[0].id as string;
  });
  const status = await user.evaluate(async (contactId) => {
    const res = await fetch('/api/delete_contact', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `id=${encodeURIComponent(contactId)}`,
    });
    return { status: res.status, text: await res.text() };
  }, id);
  expect(status.status).toBeGreaterThanOrEqual(400);
  expect(status.text).toContain('does not allow');
  await user.reload();
  await ready(user);
  await expect(user.getByRole('row').filter({ hasText: 'Dora Deletable' })).toBeVisible();
});

test('business information and localization are saved', async ({ page }) => {
  await signUp(page, freshEmail('bizowner'), 'Biz Agency');
  await page.getByRole('link', { name: 'Business information' }).click();
  await ready(page);
  await page.getByLabel('Business name').fill('Biz Agency Ltd');
  await page.getByLabel('Address').fill('1 Main Street');
  await page.getByLabel('Time zone').selectOption('Europe/Paris');
  await page.getByRole('button', { name: 'Save business information' }).click();
  await expect(page.getByText('Business information saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Localization' }).click();
  await ready(page);
  await page.getByLabel('Language').selectOption('fr');
  await page.getByLabel('Currency').selectOption('EUR');
  await page.getByRole('button', { name: 'Save localization' }).click();
  await expect(page.getByText('Localization saved.')).toBeVisible();
  await page.goto('/business-information');
  await ready(page);
  await expect(page.getByLabel('Business name')).toHaveValue('Biz Agency Ltd');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Paris');
});

test('roles open, copy and save before the WebAssembly runs @nojs', async ({ page }) => {
  await signUp(page, freshEmail('nojsroles'), 'Plain Agency');
  await page.goto('/roles');
  await ready(page);
  const roles = page.getByRole('table', { name: 'Roles' });
  await roles.getByRole('row').filter({ hasText: /^Builder/ }).getByRole('button', { name: 'Copy' }).click();
  const copy = roles.getByRole('row').filter({ hasText: 'Copy of Builder' });
  await expect(copy).toContainText('Custom');
  await copy.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByRole('heading', { name: 'Role: Copy of Builder' })).toBeVisible();
  await expect(page.getByLabel('Can view contacts')).toBeChecked();
  await page.getByLabel('Can view contacts').uncheck();
  await page.getByRole('button', { name: 'Save role' }).click();
  await copy.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Can view contacts')).not.toBeChecked();
  await expect(page.getByLabel('Can create/edit contacts')).toBeChecked();
});
