import { test, expect } from '@playwright/test';
import { freshEmail, signUp, ready } from './helpers';

test('import contacts from a CSV file, export them, and keep notes on one', async ({ page }) => {
  await signUp(page, freshEmail('csvowner'), 'Csv Agency');
  await page.getByRole('link', { name: 'Contacts' }).click();
  await ready(page);

  // A file with a bad row is refused whole, with the row named.
  await page.getByText('Import contacts').click();
  await page.getByLabel('CSV file').setInputFiles({
    name: 'contacts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('First name,Last name,Email,Tags\nGil,Good,gil@example.com,vip\nBea,Bad,not-an-email,\n'),
  });
  await expect(page.getByLabel('CSV', { exact: true })).toHaveValue(/Gil,Good/);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText(/Nothing was imported\. Row 3/)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Contacts' })).toHaveCount(0);

  await page.getByLabel('CSV', { exact: true }).fill('First name,Last name,Email,Tags\nGil,Good,gil@example.com,vip\nBea,Better,bea@example.com,\n');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported 2 contacts.')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Gil Good' })).toContainText('vip');

  // Export is a plain download.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const text = await (await download.createReadStream()).toArray();
  const csv = Buffer.concat(text as Buffer[]).toString('utf8');
  expect(csv.split('\n')[0]).toBe('First name,Last name,Email,Phone,Tags');
  expect(csv).toContain('Bea,Better,bea@example.com,,');

  // Notes: add, edit, delete.
  await page.getByRole('row').filter({ hasText: 'Gil Good' }).getByRole('button', { name: 'Notes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Notes: Gil Good' });
  await expect(dialog.getByText('No notes yet.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Add note' }).click();
  await expect(dialog.getByText('Write the note first.')).toBeVisible();
  await dialog.getByLabel('Note').fill('Called about the spring offer');
  await dialog.getByRole('button', { name: 'Add note' }).click();
  await expect(dialog.getByText('Called about the spring offer')).toBeVisible();
  await dialog.getByRole('button', { name: 'Edit note' }).click();
  await dialog.getByLabel('Note').fill('Called twice about the spring offer');
  await dialog.getByRole('button', { name: 'Save note' }).click();
  await expect(dialog.getByText('Called twice about the spring offer')).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete note' }).click();
  await expect(dialog.getByText('No notes yet.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
});
