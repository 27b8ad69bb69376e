import { test, expect, Page } from '@playwright/test';
import { freshEmail, logIn, logOut, ready, signUp, totp } from './helpers';

/** The set-up's secret and first recovery code, as the page shows them. */
async function setUpShown(page: Page): Promise<{ secret: string; recovery: string }> {
  await expect(page.getByRole('img', { name: 'QR code of your two-factor secret' })).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const recovery = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').first().textContent())?.trim() ?? '';
  expect(recovery).toMatch(/^[a-z2-7]{7}(-[a-z2-7]{7}){3}$/);
  return { secret, recovery };
}

test('two-factor: turn it on with the shown secret, log in with a code, then with a recovery code @nojs', async ({ page }) => {
  const email = freshEmail('twofa');
  await signUp(page, email);
  await page.locator('.profile-menu summary').click();
  await page.getByRole('link', { name: 'Two-factor authentication' }).click();
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await ready(page);
  const { secret, recovery } = await setUpShown(page);

  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong code' })).toBeVisible();

  const setUpTime = Date.now() / 1000;
  await page.getByLabel('Authentication code').fill(totp(secret, setUpTime));
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Two-factor authentication is on' })).toBeVisible();
  await expect(page.getByText('Recovery codes left: 8')).toBeVisible();
  await expect(page.getByTestId('totp-secret')).toHaveCount(0);

  await logOut(page);
  await logIn(page, email);
  await expect(page.getByRole('heading', { name: 'Two-factor authentication' })).toBeVisible();
  await expect(page).toHaveURL(/\/login\/code/);
  await ready(page);
  await page.getByLabel('Authentication code').fill('123456');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong code' })).toBeVisible();
  // The set-up's code was used; the app's next one works (one step of drift is allowed).
  await page.getByLabel('Authentication code').fill(totp(secret, setUpTime + 30));
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();

  await logOut(page);
  await logIn(page, email);
  await expect(page).toHaveURL(/\/login\/code/);
  await ready(page);
  await page.getByLabel('Authentication code').fill(recovery);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto('/two-factor');
  await expect(page.getByText('Recovery codes left: 7')).toBeVisible();
});

test('an account that requires two-factor has its users set it up at log in', async ({ page }) => {
  const email = freshEmail('required');
  await signUp(page, email);
  await page.goto('/settings');
  await ready(page);
  await page.getByLabel('Require two-factor for everyone who logs in to this account').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();

  await logOut(page);
  await logIn(page, email);
  await expect(page.getByText('Your account requires two-factor authentication. Set it up to finish logging in.')).toBeVisible();
  await ready(page);
  const { secret } = await setUpShown(page);
  await page.getByLabel('Authentication code').fill(totp(secret));
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.goto('/two-factor');
  await expect(page.getByText("Your account requires it for everyone who logs in, so it can't be turned off.")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Turn off two-factor authentication' })).toHaveCount(0);
});

test('a log-in step that expired (or never was) leads back to log in @nojs', async ({ page }) => {
  await page.goto('/login/code');
  await expect(page.getByRole('alert').filter({ hasText: 'This log-in has expired. Log in again.' })).toBeVisible();
  await page.getByRole('link', { name: 'Log in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
});
