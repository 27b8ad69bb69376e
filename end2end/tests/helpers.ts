import { Page, expect, test } from '@playwright/test';
import { createHmac } from 'crypto';

let counter = 0;
/** An email nobody used yet in this run. */
export function freshEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${counter}@example.com`;
}

export const PASSWORD = 'correct horse battery';

/** What each page logged as an error since the test first waited on it. */
const pageErrors = new WeakMap<Page, string[]>();

function watch(page: Page): string[] {
  let seen = pageErrors.get(page);
  if (!seen) {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    pageErrors.set(page, errors);
    seen = errors;
  }
  return seen;
}

/** Waits until the page is interactive (hydrated) when JavaScript runs. When it never gets there,
 * the failure says why: the page's errors (a hydration panic shows here) and how the bundle loaded. */
export async function ready(page: Page) {
  const js = test.info().project.use.javaScriptEnabled !== false;
  const errors = watch(page);
  if (js) {
    try {
      await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
    } catch (e) {
      const bundle = await page
        .evaluate(() => performance.getEntriesByType('resource')
          .filter((r) => r.name.includes('/pkg/'))
          .map((r) => `${r.name} ${Math.round(r.duration)} ms`))
        .catch(() => []);
      throw new Error(`${page.url()} did not hydrate.\nErrors: ${errors.join('\n') || 'none'}\n` +
        `Bundle: ${bundle.join(', ') || 'not requested'}\n${e}`);
    }
  } else {
    await page.waitForLoadState('load');
  }
}

export async function signUp(page: Page, email: string, account = 'Acme Agency') {
  await page.goto('/signup');
  await ready(page);
  await submitSignUp(page, email, account);
  await finishSignUp(page);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
}

/** Fills the sign-up form on the page as Ann Owner and sends it. */
export async function submitSignUp(page: Page, email: string, account: string, password = PASSWORD) {
  await page.getByLabel('First name').fill('Ann');
  await page.getByLabel('Last name').fill('Owner');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByLabel('Account name').fill(account);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

/** After "Sign up": the page says to check the email; the development Mailbox shows this
 * browser its link, which creates the account and logs in. */
export async function finishSignUp(page: Page) {
  await expect(page.getByRole('status')).toContainText('Check your email');
  await page.getByRole('link', { name: 'Mailbox' }).click();
  const link = page.locator('tr.mail').filter({ hasText: 'Finish signing up for Steward' }).locator('a.mail-link').first();
  await expect(link).toHaveAttribute('href', /\/signup\/confirm\//);
  await page.goto((await link.getAttribute('href'))!);
  await ready(page);
  await expect(page.getByRole('heading', { name: 'Finish signing up' })).toBeVisible();
  await page.getByRole('button', { name: 'Create my account' }).click();
}

export async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await ready(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOut(page: Page) {
  await page.locator('.profile-menu summary').click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
}

/** The 6-digit code an authenticator app shows for `secret` (base32, as the set-up page shows
 * it) at `time` (Unix seconds): RFC 6238 with SHA-1 and 30-second steps. */
export function totp(secret: string, time = Date.now() / 1000): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) key.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30)));
  const h = createHmac('sha1', Buffer.from(key)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return (n % 1_000_000).toString().padStart(6, '0');
}
