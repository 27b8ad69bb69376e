import { test, expect } from '@playwright/test';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { freshEmail, signUp, ready } from './helpers';

type Received = { headers: IncomingHttpHeaders; body: string };

// A receiver on 127.0.0.1, as an agency's system would be (the test server allows private
// addresses with STEWARD_WEBHOOKS_ALLOW_PRIVATE=true).
async function receiver() {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/steward`, got, close: () => server.close() };
}

test('add a webhook endpoint, see its deliveries signed and shown, pause and delete it', async ({ page }) => {
  const hooks = await receiver();
  try {
    const owner = freshEmail('hooks');
    await signUp(page, owner, 'Hooked Co');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await ready(page);
    await expect(page.getByText('No endpoints yet.')).toBeVisible();

    // Bad input says why and adds nothing.
    await page.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(page.getByText('The URL must start with https://.')).toBeVisible();
    await expect(page.getByText('No endpoints yet.')).toBeVisible();

    await page.getByLabel('Endpoint URL').fill(hooks.url);
    await page.getByLabel('Description').fill('Our CRM');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'is added' });
    await expect(notice).toHaveClass(/success/);
    const secret = await notice.getByRole('textbox').inputValue();
    expect(secret).toMatch(/^whsec_/);
    const endpoint = page.getByRole('table', { name: 'Webhook endpoints' }).getByRole('row').filter({ hasText: hooks.url });
    await expect(endpoint).toContainText('All events');
    await expect(endpoint).toContainText('Active');

    // An event: a user is added. It arrives signed, and the page shows it delivered.
    const roles = await (await page.request.post('/api/api_keys', { headers: { Accept: 'application/json' } })).json();
    const admin = roles.roles.find((r: { name: string }) => r.name === 'Admin').id;
    const added = await page.request.post('/api/save_user', {
      form: { first_name: 'Una', last_name: 'User', email: freshEmail('una'), password: 'una has a password', role: admin },
    });
    expect(added.ok()).toBe(true);
    await expect.poll(() => hooks.got.length, { timeout: 15_000 }).toBe(1);
    const [hit] = hooks.got;
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const signed = createHmac('sha256', key)
      .update(`${hit.headers['webhook-id']}.${hit.headers['webhook-timestamp']}.${hit.body}`)
      .digest('base64');
    expect(hit.headers['webhook-signature']).toBe(`v1,${signed}`);
    expect(JSON.parse(hit.body).type).toBe('user.added');

    const deliveries = page.getByRole('table', { name: 'Webhook deliveries' });
    // The table follows the delivery as the server sends it, with no reload.
    await expect(deliveries.getByRole('row').filter({ hasText: 'user.added' })).toContainText('Delivered', { timeout: 15_000 });
    const row = deliveries.getByRole('row').filter({ hasText: 'user.added' });
    await row.getByText('1 attempt').click();
    await expect(row).toContainText('HTTP 204');
    await page.screenshot({ path: test.info().outputPath('webhooks.png'), fullPage: true });

    // The secret can be shown again; pausing and resuming; deleting asks first.
    await endpoint.getByRole('button', { name: 'Show secret' }).click();
    await expect(endpoint.getByRole('textbox', { name: /Signing secret of/ })).toHaveValue(secret);
    await endpoint.getByRole('button', { name: 'Pause' }).click();
    await expect(endpoint).toContainText('Paused');
    await endpoint.getByRole('button', { name: 'Resume' }).click();
    await expect(endpoint).toContainText('Active');
    await endpoint.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete endpoint' });
    await expect(dialog).toContainText(hooks.url);
    await dialog.getByRole('button', { name: 'Delete endpoint' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText('No endpoints yet.')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'nothing more is sent to it' })).toBeVisible();
  } finally {
    hooks.close();
  }
});
