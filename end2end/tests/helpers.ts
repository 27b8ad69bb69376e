import { Page, expect, test } from '@playwright/test';

let counter = 0;
/** An email nobody used yet in this run. */
export function freshEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}.${Date.now()}.${counter}@example.com`;
}

export const PASSWORD = 'correct horse battery';

/** Waits until the page is interactive (hydrated) when JavaScript runs. */
export async function ready(page: Page) {
  const js = test.info().project.use.javaScriptEnabled !== false;
  if (js) {
    await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  } else {
    await page.waitForLoadState('load');
  }
}

export async function signUp(page: Page, email: string, account = 'Acme Agency') {
  await page.goto('/signup');
  await ready(page);
  await page.getByLabel('First name').fill('Ann');
  await page.getByLabel('Last name').fill('Owner');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Account name').fill(account);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
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
