import { defineConfig } from '@playwright/test';

// Debian's chromium, never a downloaded browser. The server is started by scripts/test.sh.
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://localhost:3000',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'with-js', use: { javaScriptEnabled: true } },
    // Forms are server-rendered: the main flows must work before (or without) the WebAssembly.
    { name: 'without-js', use: { javaScriptEnabled: false }, grep: /@nojs/ },
  ],
});
