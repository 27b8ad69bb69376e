import { test, expect, Browser, Page } from '@playwright/test';
import { freshEmail, signUp, logIn, ready } from './helpers';

const USER_PASSWORD = 'a fine password';

async function addUser(page: Page, email: string, role = 'Admin') {
  await page.goto('/users');
  await ready(page);
  await page.getByRole('button', { name: 'Add new user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add new user' });
  await dialog.getByLabel('First name').fill('Una');
  await dialog.getByLabel('Last name').fill(email.split('@')[0]);
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Password').fill(USER_PASSWORD);
  await dialog.getByLabel('Role').selectOption({ label: role });
  await dialog.getByRole('button', { name: 'Save' }).click();
}

function rowOf(page: Page, email: string) {
  return page.getByRole('row').filter({ hasText: email });
}

async function otherBrowser(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await logIn(page, email, USER_PASSWORD);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  return page;
}

test('add a user, who logs in elsewhere and is forced out', async ({ page, browser }) => {
  await signUp(page, freshEmail('owner'), 'Portal Agency');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  const email = freshEmail('una');
  await addUser(page, email);
  await expect(rowOf(page, email)).toBeVisible();
  await expect(rowOf(page, email).getByRole('cell', { name: 'Admin', exact: true })).toBeVisible();

  const una = await otherBrowser(browser, email);
  await page.reload();
  await ready(page);
  await expect(rowOf(page, email).getByRole('cell', { name: '1', exact: true })).toBeVisible();

  await rowOf(page, email).getByRole('button', { name: 'Force logout' }).click();
  const dialog = page.getByRole('dialog', { name: 'Force logout' });
  await dialog.getByRole('button', { name: 'Force logout' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 user logged out.' })).toBeVisible();

  // Her open page lands on the log in page by itself (live tables, issue 13).
  await expect(una.getByRole('heading', { name: 'Log in' })).toBeVisible();
});

test('an email in use is refused, a +alias is welcome', async ({ page }) => {
  const taken = freshEmail('taken');
  const other = await (await page.context().browser()!.newContext()).newPage();
  await signUp(other, taken, 'Elsewhere');
  await signUp(page, freshEmail('owner'), 'Alias Agency');
  await addUser(page, taken.toUpperCase());
  const dialog = page.getByRole('dialog', { name: 'Add new user' });
  await expect(dialog.locator('#field-email-error')).toHaveText('User already exists.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  const alias = taken.replace('@', '+portal1@');
  await addUser(page, alias);
  await expect(rowOf(page, alias)).toBeVisible();
});

test('bulk delete of three users', async ({ page }) => {
  await signUp(page, freshEmail('owner'), 'Bulk Agency');
  const emails = [freshEmail('b1'), freshEmail('b2'), freshEmail('b3')];
  for (const e of emails) {
    await addUser(page, e);
    await expect(rowOf(page, e)).toBeVisible();
  }
  for (const e of emails) {
    await page.getByRole('checkbox', { name: `Check ${e}` }).check();
  }
  await page.locator('.toolbar').getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete users' });
  await expect(dialog).toContainText('Delete 3 checked users?');
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: '3 users deleted.' })).toBeVisible();
  for (const e of emails) {
    await expect(rowOf(page, e)).toHaveCount(0);
  }
});

test('the primary admin is protected from other admins', async ({ page, browser }) => {
  const ownerEmail = freshEmail('primary');
  await signUp(page, ownerEmail, 'Protected Agency');
  const email = freshEmail('admin2');
  await addUser(page, email);
  await expect(rowOf(page, email)).toBeVisible();
  const second = await otherBrowser(browser, email);
  await second.goto('/users');
  await ready(second);
  const primaryRow = rowOf(second, ownerEmail);
  await expect(primaryRow.getByText('Primary admin')).toBeVisible();
  for (const name of ['Edit', 'Force logout', 'Delete']) {
    await expect(primaryRow.getByRole('button', { name })).toHaveCount(0);
  }
  await expect(second.getByRole('checkbox', { name: `Check ${ownerEmail}` })).toHaveCount(0);
});

test('a Designer sees an empty Contacts list and no form', async ({ page, browser }) => {
  await signUp(page, freshEmail('owner'), 'Design Agency');
  await page.goto('/contacts');
  await ready(page);
  await page.getByLabel('First name').fill('Secret');
  await page.getByLabel('Last name').fill('Contact');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('row', { name: /Secret Contact/ })).toBeVisible();

  const email = freshEmail('designer');
  await addUser(page, email, 'Designer / Content writer');
  await expect(rowOf(page, email)).toBeVisible();
  const designer = await otherBrowser(browser, email);
  await designer.getByRole('link', { name: 'Contacts' }).click();
  await expect(designer.getByText('No contacts to show.')).toBeVisible();
  await expect(designer.getByRole('button', { name: 'Save contact' })).toHaveCount(0);
  await expect(designer.getByText('Secret')).toHaveCount(0);
  await expect(designer.getByRole('link', { name: 'Users' })).toHaveCount(0);
});

test('your sessions: see where you are logged in and end another one', async ({ page, browser }) => {
  const email = freshEmail('twice');
  await signUp(page, email, 'Sessions Agency');
  const elsewhere = await (await browser.newContext()).newPage();
  await logIn(elsewhere, email, 'correct horse battery');
  await expect(elsewhere.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await page.locator('.profile-menu summary').click();
  await page.getByRole('link', { name: 'Your sessions' }).click();
  const table = page.getByRole('table', { name: 'Your sessions' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByText('(this browser)')).toBeVisible();
  await table.getByRole('button', { name: 'End session' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);

  // The ended session's open page goes to log in by itself (live tables, issue 13).
  await expect(elsewhere.getByRole('heading', { name: 'Log in' })).toBeVisible();
});

test('the Users list searches, sorts and pages', async ({ page }) => {
  await signUp(page, freshEmail('owner'), 'Big Team Agency');
  await page.goto('/users');
  await ready(page);
  // The Builder role's id, from the form's choices.
  await page.getByRole('button', { name: 'Add new user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add new user' });
  const builder = (await dialog.getByLabel('Role').locator('option', { hasText: 'Builder' }).getAttribute('value'))!;
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  // 26 more users through the server function the form posts to.
  const stamp = Date.now();
  for (let i = 0; i < 26; i++) {
    const n = String(i).padStart(2, '0');
    const res = await page.request.post('/api/save_user', {
      form: {
        first_name: `Member${n}`,
        last_name: i < 13 ? `Alpha${n}` : `Zulu${n}`,
        email: `team${n}.${stamp}@example.com`,
        password: USER_PASSWORD,
        role: builder,
      },
    });
    expect(res.ok()).toBe(true);
  }
  await page.reload();
  await ready(page);
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText('Page 1 of 2 · 27 users');
  await expect(rowOf(page, `team00.${stamp}`)).toBeVisible();
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('Page 2 of 2');
  await expect(page.getByRole('table', { name: 'Users' }).getByRole('row')).toHaveCount(3); // header + 2
  await expect(rowOf(page, `team25.${stamp}`)).toBeVisible();

  // Sorted by email, descending: the last team member first.
  await page.getByRole('button', { name: 'Email', exact: true }).click();
  await page.getByRole('button', { name: 'Email', exact: true }).click();
  await expect(page.getByRole('columnheader', { name: 'Email' })).toHaveAttribute('aria-sort', 'descending');
  await expect(pager).toContainText('Page 1 of 2');
  await expect(page.getByRole('table', { name: 'Users' }).getByRole('row').nth(1)).toContainText(`team25.${stamp}`);

  // A search by the start of a last name.
  await page.getByLabel('Search').fill('zulu2');
  await expect(pager).toContainText('Page 1 of 1 · 6 users');
  await expect(rowOf(page, `team20.${stamp}`)).toBeVisible();
  await expect(rowOf(page, `team00.${stamp}`)).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('users-search.png'), fullPage: true });
});

test('a page whose session ended before its live channel opened goes to log in', async ({ page, browser }) => {
  const email = freshEmail('late');
  await signUp(page, email, 'Late Channel Agency');
  const elsewhere = await (await browser.newContext()).newPage();
  // Hold the other page's channel back until its session has ended (a busy machine does this).
  let release: () => void = () => {};
  const ended = new Promise<void>((resolve) => { release = resolve; });
  await elsewhere.route('**/live', async (route) => { await ended; await route.continue(); });
  await logIn(elsewhere, email, 'correct horse battery');
  await expect(elsewhere.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await page.goto('/sessions');
  await ready(page);
  const table = page.getByRole('table', { name: 'Your sessions' });
  await table.getByRole('button', { name: 'End session' }).click();
  await expect(table.getByRole('row')).toHaveCount(2);
  release();
  await expect(elsewhere.getByRole('heading', { name: 'Log in' })).toBeVisible();
});
