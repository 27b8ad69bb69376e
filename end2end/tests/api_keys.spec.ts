import { test, expect } from '@playwright/test';
import { freshEmail, signUp, ready } from './helpers';

test('make an API key, call the API with it, revoke it', async ({ page }) => {
  await signUp(page, freshEmail('owner'), 'Scripted Agency');
  await page.getByRole('link', { name: 'API manager' }).click();
  await expect(page.getByRole('heading', { name: 'API manager', level: 1 })).toBeVisible();
  await ready(page);
  await expect(page.getByText('No API keys yet.')).toBeVisible();

  // Bad input says why and makes nothing.
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.getByText('Enter a name for the key.').first()).toBeVisible();
  await expect(page.getByText('No API keys yet.')).toBeVisible();

  await page.getByLabel('Key name').fill('Onboarding script');
  await page.getByLabel('Role').selectOption({ label: 'Builder' });
  await page.getByLabel('Expires after').selectOption({ label: '30 days' });
  await page.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('status').filter({ hasText: 'it will not be shown again' });
  await expect(shown).toHaveClass(/success/);
  const key = await shown.getByRole('textbox').inputValue();
  expect(key).toMatch(/^stw_[0-9a-f]{40}$/);
  const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'Onboarding script' });
  await expect(row).toContainText('Builder');
  await expect(row).toContainText('Active');
  await expect(row).toContainText(key.slice(0, 10));
  await expect(row).not.toContainText(key);
  await page.screenshot({ path: test.info().outputPath('api-manager.png'), fullPage: true });

  // The key reads the API; a Builder may not see Managed accounts.
  const api = page.context().request;
  const denied = await api.get('/api/v1/managed_accounts', { headers: { Authorization: `Bearer ${key}` } });
  expect(denied.status()).toBe(403);
  expect((await denied.json()).error.code).toBe('role_does_not_allow');

  await row.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke API key' });
  await expect(dialog).toContainText('Onboarding script');
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  const after = await api.get('/api/v1/managed_accounts', { headers: { Authorization: `Bearer ${key}` } });
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe('invalid_api_key');
});

test('an Admin key lists the managed accounts page by page', async ({ page }) => {
  await signUp(page, freshEmail('agency'), 'Keyed Agency');
  const stamp = Date.now();
  for (let i = 0; i < 27; i++) {
    const n = String(i).padStart(2, '0');
    const res = await page.request.post('/api/create_client_account', {
      form: { name: `Keyed ${n}`, level: 'basic', cms_plan: 'none', payer: 'client', login_email: `keyed${n}.${stamp}@example.com`, data: 'blank' },
    });
    expect(res.ok()).toBe(true);
  }
  await page.goto('/api-manager');
  await ready(page);
  await page.getByLabel('Key name').fill('Reporting');
  await page.getByLabel('Role').selectOption({ label: 'Admin' });
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByRole('status').filter({ hasText: 'it will not be shown again' }).getByRole('textbox').inputValue();
  const headers = { Authorization: `Bearer ${key}` };
  const first = await (await page.request.get('/api/v1/managed_accounts', { headers })).json();
  expect(first.total).toBe(27);
  expect(first.data).toHaveLength(25);
  expect(first.data[0].name).toBe('Keyed 00');
  const second = await (await page.request.get(`/api/v1/managed_accounts?cursor=${encodeURIComponent(first.next_cursor)}`, { headers })).json();
  expect(second.data.map((r: { name: string }) => r.name)).toEqual(['Keyed 25', 'Keyed 26']);
  expect(second.next_cursor).toBeUndefined();
});

test('a key made before the WebAssembly loads is shown once @nojs', async ({ page }) => {
  await signUp(page, freshEmail('plain'), 'Plain Form Agency');
  await page.goto('/api-manager');
  await ready(page);
  await page.getByLabel('Key name').fill('Plain form key');
  await page.getByLabel('Role').selectOption({ label: 'Builder' });
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page).toHaveURL(/\/api-manager\??$/);
  const shown = page.getByRole('status').filter({ hasText: 'it will not be shown again' });
  await expect(shown).toContainText('Plain form key');
  await expect(shown).toHaveClass(/success/);
  const key = await shown.getByRole('textbox').inputValue();
  expect(key).toMatch(/^stw_[0-9a-f]{40}$/);
  const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'Plain form key' });
  await expect(row).toContainText('Active');
  await page.screenshot({ path: test.info().outputPath('api-manager-plain-form.png'), fullPage: true });
  // The key works, and it is shown this once: the page read again does not have it.
  const call = await page.context().request.get('/api/v1/users', { headers: { Authorization: `Bearer ${key}` } });
  expect(call.status()).toBe(403);
  expect((await call.json()).error.code).toBe('role_does_not_allow');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'API manager', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'it will not be shown again' })).toHaveCount(0);
  await expect(page.content()).resolves.not.toContain(key);
});
