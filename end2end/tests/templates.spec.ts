import { test, expect, Browser, Page } from '@playwright/test';
import { freshEmail, signUp, ready } from './helpers';

async function person(browser: Browser, email: string, account: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, email, account);
  return page;
}

async function newAccount(
  page: Page,
  name: string,
  fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
  emailLabel = 'Login email',
) {
  await page.goto('/managed-accounts');
  await ready(page);
  await page.getByRole('button', { name: 'New managed account' }).click();
  await page.getByRole('menuitem', { name: 'New account' }).click();
  const dialog = page.getByRole('dialog', { name: 'New account' });
  await dialog.getByLabel('Account name').fill(name);
  await fill(dialog);
  await dialog.getByLabel(emailLabel).fill(freshEmail('login'));
  await dialog.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('row').filter({ hasText: name }).getByText('Active', { exact: true })).toBeVisible();
}

async function logInTo(page: Page, name: string) {
  await page.getByRole('row').filter({ hasText: name }).getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('region', { name: 'Managed account' })).toContainText(name);
}

async function backHome(page: Page) {
  await page.locator('.managing-bar').getByRole('button', { name: 'Back to my account' }).click();
  await expect(page.getByRole('heading', { name: 'Managed accounts' })).toBeVisible();
}

test('sandbox → add a field and a contact → convert → new client account has them', async ({ browser }) => {
  const agency = await person(browser, freshEmail('tplagency'), 'Template Agency');
  const sandbox = `Sandbox ${Date.now()}`;
  await newAccount(agency, sandbox, async (dialog) => {
    await dialog.getByLabel('Sandbox account').check();
  });

  // Set the sandbox up: a custom field and a contact using it.
  await logInTo(agency, sandbox);
  await agency.getByRole('link', { name: 'Contacts' }).click();
  await ready(agency);
  await agency.getByLabel('Field name').fill('Shoe size');
  await agency.getByLabel('Field type').selectOption('number');
  await agency.getByRole('button', { name: 'Add field' }).click();
  await expect(agency.getByLabel('Shoe size', { exact: true })).toBeVisible();
  // A field name can be used once.
  await agency.getByLabel('Field name').fill('Shoe size');
  await agency.getByRole('button', { name: 'Add field' }).click();
  await expect(agency.getByText('A field with this name already exists.')).toBeVisible();
  await agency.getByLabel('First name').fill('Tess');
  await agency.getByLabel('Last name').fill('Template');
  await agency.getByLabel('Tags').fill('runner');
  await agency.getByLabel('Shoe size', { exact: true }).fill('42');
  await agency.getByRole('button', { name: 'Save contact' }).click();
  await expect(agency.getByRole('row').filter({ hasText: 'Tess Template' })).toContainText('Shoe size: 42');
  await backHome(agency);

  // Convert it.
  await agency.getByRole('link', { name: 'Account templates' }).click();
  await ready(agency);
  await agency.getByRole('row').filter({ hasText: sandbox }).getByRole('button', { name: 'Convert to template' }).click();
  const convert = agency.getByRole('dialog', { name: 'Convert to template' });
  const templateName = `Runners ${Date.now()}`;
  await convert.getByLabel('Name').fill(templateName);
  await convert.getByLabel('Description').fill('For running clubs');
  await convert.getByRole('button', { name: 'Convert to template' }).click();
  const mine = agency.getByRole('table', { name: 'My templates' }).getByRole('row').filter({ hasText: templateName });
  await expect(mine).toContainText('1 fields, 1 tags, 0 messages, 1 contacts');

  // A client account from it has the field and the contact.
  const client = `Club ${Date.now()}`;
  await newAccount(agency, client, async (dialog) => {
    await dialog.getByLabel('Template', { exact: true }).check();
    await dialog.getByLabel('Choose a template').selectOption({ label: `${templateName} (1 fields, 1 contacts)` });
  });
  await logInTo(agency, client);
  await agency.getByRole('link', { name: 'Contacts' }).click();
  await ready(agency);
  const row = agency.getByRole('row').filter({ hasText: 'Tess Template' });
  await expect(row).toContainText('Shoe size: 42');
  await expect(row).toContainText('runner');
  await expect(agency.getByLabel('Shoe size', { exact: true })).toBeVisible();
  await backHome(agency);

  // Deleting the template leaves the client account as it is.
  await agency.goto('/templates');
  await ready(agency);
  await mine.getByRole('button', { name: 'Delete' }).click();
  await agency.getByRole('dialog', { name: 'Delete template' }).getByRole('button', { name: 'Delete' }).click();
  await expect(agency.getByText('No templates of your own yet.')).toBeVisible();
});

test('a client account from the built-in Coach template, with its messages', async ({ browser }) => {
  const agency = await person(browser, freshEmail('coachagency'), 'Coach Agency');
  const client = `Coached ${Date.now()}`;
  await newAccount(agency, client, async (dialog) => {
    await dialog.getByLabel('Template', { exact: true }).check();
    const select = dialog.getByLabel('Choose a template');
    const coach = select.locator('option', { hasText: /^Coach \(/ });
    await select.selectOption({ label: (await coach.textContent())! });
    await dialog.getByLabel('My client').check();
  }, "Client's email");
  await logInTo(agency, client);
  await agency.getByRole('link', { name: 'Contacts' }).click();
  await ready(agency);
  await expect(agency.getByRole('row').filter({ hasText: 'Sample Client' })).toContainText('Goal: Run a marathon');

  // Messages: the template's, then a copy, an edit and a test send.
  await agency.getByRole('link', { name: 'Messages' }).click();
  await ready(agency);
  const welcome = agency.getByRole('row').filter({ hasText: 'Welcome aboard' });
  await expect(welcome).toContainText('Goal');
  await welcome.getByRole('button', { name: 'Copy' }).click();
  const copy = agency.getByRole('row').filter({ hasText: 'Copy of Welcome' });
  await expect(copy).toBeVisible();
  await copy.getByRole('button', { name: 'Edit' }).click();
  await agency.getByLabel('Message name').fill('Welcome, short');
  await agency.getByLabel('Subject').fill('   ');
  await agency.getByRole('button', { name: 'Save message' }).click();
  await expect(agency.getByText('Enter a subject.')).toBeVisible();
  await agency.getByLabel('Subject').fill('Hello {{First name}} about {{Course}}');
  await agency.getByRole('button', { name: 'Save message' }).click();
  const edited = agency.getByRole('row').filter({ hasText: 'Welcome, short' });
  await expect(edited).toContainText('Course, Goal');
  await edited.getByRole('button', { name: 'Send a test' }).click();
  await expect(agency.getByText('Test sent to your email address.')).toBeVisible();
  await edited.getByRole('button', { name: 'Delete' }).click();
  await agency.getByRole('dialog', { name: 'Delete message' }).getByRole('button', { name: 'Delete' }).click();
  await expect(edited).toHaveCount(0);
});
