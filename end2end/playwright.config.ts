import { defineConfig } from '@playwright/test';

// The server under test is started here, on its own port with a fresh data directory, from the
// binary and site that `./dev test` has just built.
const port = Number(process.env.E2E_PORT ?? 3100);
const bin = process.env.E2E_SERVER_BIN ?? '../target/debug/server';
const dataDir = `.data/e2e`;
export const MANAGER = { email: 'manager@example.nl', password: 'e2e-manager-password' };
export const ADMIN = { email: 'admin@example.nl', password: 'e2e-admin-password' };
export const TEAM = { email: 'product@example.nl', password: 'e2e-product-password' };
export const VOTERS = [
  { email: 'jan@example.nl', password: 'e2e-jan-password' },
  { email: 'piet@example.nl', password: 'e2e-piet-password' },
];
// The SMTP sink the app delivers its mail to (smtp-sink.mjs); tests read it over HTTP.
const sinkSmtp = Number(process.env.E2E_SINK_SMTP_PORT ?? 2525);
const sinkHttp = Number(process.env.E2E_SINK_HTTP_PORT ?? 2580);
export const SINK = `http://127.0.0.1:${sinkHttp}`;

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // Our first users are Dutch: browsers here ask for Dutch unless a test says otherwise.
    locale: 'nl-NL',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  webServer: [{
    command: `SINK_SMTP_PORT=${sinkSmtp} SINK_HTTP_PORT=${sinkHttp} exec node smtp-sink.mjs`,
    url: `${SINK}/healthz`,
    reuseExistingServer: false,
    timeout: 30_000,
  }, {
    command: [
      `rm -rf .data`,
      `KLANTSTEM_DEMO_PASSWORD=e2e-demo-password ${bin} --data-dir ${dataDir} seed-demo --responses 60`,
      `KLANTSTEM_NEW_PASSWORD=${MANAGER.password} ${bin} --data-dir ${dataDir} create-user --email ${MANAGER.email} --name "Mila Manager" --role manager`,
      `KLANTSTEM_NEW_PASSWORD=${ADMIN.password} ${bin} --data-dir ${dataDir} create-user --email ${ADMIN.email} --name "Ada Admin" --role admin`,
      `KLANTSTEM_NEW_PASSWORD=${TEAM.password} ${bin} --data-dir ${dataDir} create-user --email ${TEAM.email} --name "Pim Product" --role product_team`,
      ...VOTERS.map((v, i) => `KLANTSTEM_NEW_PASSWORD=${v.password} ${bin} --data-dir ${dataDir} create-user --email ${v.email} --name "Stemmer ${i + 1}" --role customer`),
      `exec ${bin} --data-dir ${dataDir} serve --addr 127.0.0.1:${port} --site-root ../target/site --no-demo ` +
        `--public-url http://127.0.0.1:${port} --smtp-host 127.0.0.1 --smtp-port ${sinkSmtp} --smtp-tls none`,
    ].join(' && '),
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  }],
});
