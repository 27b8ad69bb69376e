import { test, expect } from '@playwright/test';
import { freshEmail, signUp, ready } from './helpers';

test('the audit log filters by action and day and exports what it shows @nojs', async ({ page }) => {
  const email = freshEmail('audited');
  await signUp(page, email, 'Audited Co');
  // A second kind of entry: the owner saves the account settings.
  await page.goto('/settings');
  await ready(page);
  await page.getByRole('button', { name: 'Save settings' }).click();
  if (test.info().project.use.javaScriptEnabled !== false) {
    await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  } else {
    await page.waitForLoadState('load');
  }
  await page.goto('/audit-log');
  await ready(page);
  const log = page.getByRole('table', { name: 'Audit log' });
  await expect(log.getByRole('row').filter({ hasText: 'account.created' })).toBeVisible();
  await expect(log.getByRole('row').filter({ hasText: 'account.settings' })).toBeVisible();

  // The filters are a plain form: the address carries them.
  await page.getByLabel('Action').selectOption('account.settings');
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('From').fill(today);
  await page.getByLabel('To').fill(today);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=account.settings/);
  await ready(page);
  await expect(log.getByRole('row').filter({ hasText: 'account.settings' })).toBeVisible();
  await expect(log.getByRole('row').filter({ hasText: 'account.created' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('audit-log-filtered.png'), fullPage: true });

  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain('action=account.settings');
  const csv = await (await page.request.get(href!)).text();
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('When (UTC),Who,From agency,What,Details,Entry,Hash');
  expect(lines.length).toBe(2);
  expect(lines[1]).toContain('account.settings');

  // A day with nothing logged says so, and leads back to the whole log.
  await page.goto('/audit-log?from=2001-01-01&to=2001-01-02');
  await ready(page);
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByRole('link', { name: 'Clear filters' }).click();
  await ready(page);
  await expect(log.getByRole('row').filter({ hasText: 'account.created' })).toBeVisible();
});
