import { test, expect } from '@playwright/test';
import { freshEmail, signUp, logIn, logOut, ready, PASSWORD, submitSignUp } from './helpers';

test('sign up, log out, log in @nojs', async ({ page }) => {
  const email = freshEmail('ann');
  await signUp(page, email, 'Ann Agency');
  await expect(page.getByText('Ann Agency').first()).toBeVisible();
  await expect(page.locator('dd', { hasText: 'Admin' })).toBeVisible();

  await logOut(page);
  // The old session is gone: a signed-in page sends us back to log in.
  await page.goto('/contacts');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  await logIn(page, email.toUpperCase());
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
});

test('a wrong password is refused with one clear message', async ({ page }) => {
  const email = freshEmail('bob');
  await signUp(page, email);
  await logOut(page);

  await logIn(page, email, 'not the right password');
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong email or password.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();

  await logIn(page, freshEmail('nobody'), PASSWORD);
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong email or password.' })).toBeVisible();
});

test('sign up shows what is wrong beside each field', async ({ page }) => {
  await page.goto('/signup');
  await ready(page);
  await submitSignUp(page, freshEmail('weak'), 'Acme', 'short');
  await expect(page.locator('#field-password-error')).toHaveText(/at least 10 characters/);
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
});

test('add, edit and delete a contact', async ({ page }) => {
  await signUp(page, freshEmail('carol'));
  await page.getByRole('link', { name: 'Contacts' }).click();
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await expect(page.getByText('No contacts to show.')).toBeVisible();
  // On a loaded machine the link may have been followed before the WebAssembly ran (a full page
  // load): Edit opens its form with the WebAssembly only.
  await ready(page);

  await page.getByLabel('First name').fill('Carl');
  await page.getByLabel('Last name').fill('Client');
  await page.getByLabel('Email').fill('carl@example.com');
  await page.getByLabel('Tags').fill('vip, lead');
  await page.getByRole('button', { name: 'Save contact' }).click();
  const row = page.getByRole('row', { name: /Carl Client/ });
  await expect(row).toBeVisible();
  await expect(row.getByText('vip')).toBeVisible();

  await row.getByRole('button', { name: 'Edit' }).click();
  await expect(page.getByRole('heading', { name: 'Edit contact' })).toBeVisible();
  await page.getByLabel('Phone').fill('555 0100');
  await page.getByRole('button', { name: 'Save contact' }).click();
  await expect(page.getByRole('row', { name: /Carl Client.*555 0100/ })).toBeVisible();

  await page.getByRole('row', { name: /Carl Client/ }).getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete contact' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByText('No contacts to show.')).toBeVisible();
});

test('the development Mailbox shows the welcome email', async ({ page }) => {
  const email = freshEmail('dora');
  await signUp(page, email);
  await page.goto('/mailbox');
  const row = page.locator('tr.mail', { hasText: email }).filter({ hasText: 'Welcome to Steward' });
  await expect(row).toBeVisible();
  await expect(row.locator('.mail-link')).toHaveAttribute('href', /\/login$/);
});

test('sign up with a taken email answers as any sign-up and tells the owner @nojs', async ({ page, browser }) => {
  const email = freshEmail('taken');
  await signUp(page, email, 'First Co');

  // Someone else, elsewhere, tries the same email.
  const js = test.info().project.use.javaScriptEnabled !== false;
  const other = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await other.goto('/signup');
  await ready(other);
  await other.getByLabel('First name').fill('Eve');
  await other.getByLabel('Last name').fill('Else');
  await other.getByLabel('Email').fill(email.toUpperCase());
  await other.getByLabel('Password').fill('another long password');
  await other.getByLabel('Account name').fill('Second Co');
  await other.getByRole('button', { name: 'Sign up' }).click();
  await expect(other.getByRole('status')).toHaveText('Check your email: we sent you a link to finish signing up. It works once, for 24 hours.');
  await other.screenshot({ path: test.info().outputPath('sign-up-sent.png'), fullPage: true });
  // No link reaches this browser: the one email goes to the owner, with no way in.
  await other.getByRole('link', { name: 'Mailbox' }).click();
  await expect(other.getByText('No emails yet.')).toBeVisible();

  await page.goto('/mailbox');
  const notice = page.locator('tr.mail').filter({ hasText: 'Someone tried to sign up with your email' });
  await expect(notice).toBeVisible();
  await expect(notice.locator('.mail-link')).toHaveAttribute('href', /\/login$/);
  // The other password made nothing.
  await logIn(other, email, 'another long password');
  await expect(other.getByRole('alert').filter({ hasText: 'Wrong email or password.' })).toBeVisible();
});

test('a sign-up link works once @nojs', async ({ page, browser }) => {
  const email = freshEmail('once');
  await page.goto('/signup?next=/contacts');
  await ready(page);
  await page.getByLabel('First name').fill('Una');
  await page.getByLabel('Last name').fill('Once');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Account name').fill('Once Co');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('status')).toContainText('Check your email');
  await page.getByRole('link', { name: 'Mailbox' }).click();
  const link = await page.locator('tr.mail').filter({ hasText: 'Finish signing up for Steward' }).locator('a.mail-link').getAttribute('href');
  await page.goto(link!);
  await ready(page);
  await expect(page.getByText(`Create the account Once Co for ${email}?`)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('sign-up-confirm.png'), fullPage: true });
  await page.getByRole('button', { name: 'Create my account' }).click();
  // Where the sign-up was headed.
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();

  const js = test.info().project.use.javaScriptEnabled !== false;
  const again = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await again.goto(link!);
  await ready(again);
  await expect(again.getByRole('alert')).toHaveText('This sign-up link is no longer valid: it was used, or it expired. Sign up again.');
  await expect(again.getByRole('button', { name: 'Create my account' })).toHaveCount(0);
  await expect(again.getByRole('link', { name: 'Log in' })).toBeVisible();
});

test('forgot password: a link by email sets a new one and logs out everywhere @nojs', async ({ page, browser }) => {
  const email = freshEmail('forgetful');
  await signUp(page, email, 'Forgetful Co');

  // Somewhere else, logged out, the user has forgotten the password.
  const elsewhere = await (await browser.newContext({ javaScriptEnabled: test.info().project.use.javaScriptEnabled !== false })).newPage();
  await elsewhere.goto('/login');
  await ready(elsewhere);
  await elsewhere.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(elsewhere.getByRole('heading', { name: 'Forgot your password?' })).toBeVisible();
  await ready(elsewhere);
  await elsewhere.getByLabel('Email').fill(email);
  await elsewhere.getByRole('button', { name: 'Email me a link' }).click();
  await expect(elsewhere.getByRole('status')).toContainText('a link to choose a new password is on its way');
  await elsewhere.screenshot({ path: test.info().outputPath('forgot-password-sent.png'), fullPage: true });

  // The Mailbox shows a user their own mail: read where the user is still logged in.
  await page.goto('/mailbox');
  const mail = page.locator('tr.mail', { hasText: email }).filter({ hasText: 'Choose a new Steward password' });
  const link = await mail.locator('a.mail-link').getAttribute('href');
  expect(link).toContain('/set-password/');
  await elsewhere.goto(link!);
  await ready(elsewhere);
  await elsewhere.getByLabel('Password').fill('a brand new password');
  await elsewhere.getByRole('button', { name: 'Set password' }).click();
  await expect(elsewhere.getByRole('status')).toHaveText('Your new password is set. Log in with it.');
  await elsewhere.screenshot({ path: test.info().outputPath('password-set.png'), fullPage: true });
  await logIn(elsewhere, email, 'a brand new password');
  await expect(elsewhere.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  // The session that was open before is over; the link is used up.
  await page.goto('/contacts');
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await elsewhere.goto(link!);
  await ready(elsewhere);
  await elsewhere.getByLabel('Password').fill('yet another password');
  await elsewhere.getByRole('button', { name: 'Set password' }).click();
  await expect(elsewhere.getByText('This link is no longer valid. Ask for a new one.')).toBeVisible();
  await logIn(elsewhere, email, 'yet another password');
  await expect(elsewhere.getByText('Wrong email or password.')).toBeVisible();
});
