import { test, expect, Page } from '@playwright/test';
import { freshEmail, signUp, ready, submitSignUp } from './helpers';

/** The pages whose own WebAssembly chunk (`split___<page>_route_view_…`) this page fetched. */
function pageChunks(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (r) => {
    const m = r.url().match(/\/pkg\/split___(\w+?)_route_view_/);
    if (m && r.ok()) seen.push(m[1]);
  });
  return seen;
}

// Each page is its own chunk (app/src/lib.rs, `lazy_page!`): the first page loads the shared code
// and itself only, and a page opened later loads its own code then.
test('a page downloads its own code, and the next page its own when it is opened', async ({ page }) => {
  const chunks = pageChunks(page);
  await page.goto('/login');
  await ready(page);
  expect(chunks).toEqual(['log_in']);

  // Client-side navigation: the sign-up page's code arrives and the page works.
  await page.getByRole('link', { name: 'Sign up' }).click();
  await expect(page.getByRole('heading', { name: 'Sign up' })).toBeVisible();
  await expect.poll(() => chunks).toEqual(['log_in', 'sign_up']);
  await submitSignUp(page, freshEmail('split'), 'Acme', 'short');
  await expect(page.locator('#field-password-error')).toHaveText(/at least 10 characters/);
});

test('a signed-in page loads its own chunk, and the frame lives in the shared code', async ({ page }) => {
  const chunks = pageChunks(page);
  await signUp(page, freshEmail('chunks'), 'Chunky Agency');
  await page.goto('/users');
  await ready(page);
  expect(chunks.filter((c) => c !== 'sign_up' && c !== 'sign_up_confirm' && c !== 'mailbox' && c !== 'dashboard')).toEqual(['users']);
  // The navigation of the frame, from the shared code, opens another page and its chunk.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
  await expect(page.getByRole('heading', { name: 'Contacts', level: 1 })).toBeVisible();
  await expect.poll(() => chunks.includes('contacts')).toBe(true);
  expect(chunks.filter((c) => c === 'managed_accounts')).toEqual([]);
});
