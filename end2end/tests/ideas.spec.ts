import { test, expect, Page, Browser, APIRequestContext } from '@playwright/test';
import { SINK, TEAM, VOTERS } from '../playwright.config';
import { logIn } from './session';

type Mail = { to: string[]; text: string };

/** The newest mail to `to` that `matches`, waiting for the outbox worker to deliver it. */
async function mailTo(request: APIRequestContext, to: string, matches: RegExp): Promise<string> {
  let found: string | undefined;
  await expect(async () => {
    const mails: Mail[] = await (await request.get(`${SINK}/messages`)).json();
    found = mails.reverse().find((m) => m.to.includes(to) && matches.test(m.text))?.text;
    expect(found).toBeTruthy();
  }).toPass({ timeout: 20_000 });
  return found!;
}

async function logInServed(page: Page, email: string, password: string, next: string) {
  await logIn(page, { email, password }, next);
  await servedInFull(page);
}

/** The hydrated login page navigates to a public idea page, which then loads from the server
 * (without the application bundle, with its own script): wait until it has. */
async function servedInFull(page: Page) {
  await expect(page.locator('script[src="/ideas.js"]')).toHaveCount(1);
  await page.waitForLoadState('load');
}

async function asUser(browser: Browser, email: string, password: string, next: string) {
  const context = await browser.newContext({ locale: 'nl-NL' });
  const page = await context.newPage();
  await logInServed(page, email, password, next);
  return page;
}

test('a customer registers, shares an idea after seeing a similar one, others vote, the team merges and finishes it, and voters hear back', async ({ page, browser, request }) => {
  // Register: the verification mail is read from the SMTP sink.
  await page.goto('/ideas');
  await page.getByRole('link', { name: 'Account aanmaken' }).first().click();
  await page.getByLabel('Naam (zichtbaar bij je ideeën)').fill('Eva');
  await page.getByLabel('E-mailadres').fill('eva@example.nl');
  await page.getByLabel('Wachtwoord').fill('eva-e2e-password');
  await page.getByRole('button', { name: 'Account aanmaken' }).click();
  await expect(page.getByTestId('register-done')).toContainText('we hebben je een e-mail gestuurd');
  const mail = await mailTo(request, 'eva@example.nl', /Bevestig je e-mailadres/);
  const link = mail.match(/http:\/\/\S+\/account\/verify\?token=[0-9a-f]+/)![0];
  await page.goto(link);
  await page.getByRole('button', { name: 'Bevestig mijn adres' }).click();
  await expect(page.getByText('Je adres is bevestigd.')).toBeVisible();
  await page.getByLabel('E-mailadres').fill('eva@example.nl');
  await page.getByLabel('Wachtwoord').fill('eva-e2e-password');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((url) => url.pathname === '/ideas');
  await servedInFull(page);

  // Submit an idea: while the title is typed, the similar demo idea is offered.
  await page.getByRole('link', { name: 'De app' }).click();
  await page.getByLabel('Titel').pressSequentially('Een donkere modus voor de app', { delay: 20 });
  const offered = page.locator('#similar-live');
  await expect(offered).toBeVisible();
  await expect(offered.getByRole('link', { name: 'Donkere modus in de app' })).toBeVisible();
  const originalHref = await offered.getByRole('link', { name: 'Donkere modus in de app' }).getAttribute('href');
  await page.getByLabel('Toelichting').fill('Fijner om s avonds te lezen.');
  await page.getByRole('button', { name: 'Idee plaatsen' }).click();
  await expect(page.getByTestId('idea-title')).toHaveText('Een donkere modus voor de app');
  const duplicatePath = new URL(page.url()).pathname;

  // Two other customers vote for it.
  for (const voter of VOTERS) {
    const p = await asUser(browser, voter.email, voter.password, '/ideas');
    await p.goto(duplicatePath);
    await p.getByRole('button', { name: 'Stem', exact: true }).click();
    await expect(p.getByRole('button', { name: 'Stem intrekken' })).toBeVisible();
    await p.context().close();
  }
  await page.reload();
  await expect(page.getByTestId('vote-count')).toHaveText('3');

  // The product team merges the duplicate into the original and finishes the original.
  const team = await asUser(browser, TEAM.email, TEAM.password, '/ideas');
  await team.goto(duplicatePath);
  await team.getByLabel('Samenvoegen met (nummer of adres van het oorspronkelijke idee)').fill(originalHref!);
  await team.getByRole('button', { name: 'Samenvoegen', exact: true }).click();
  await expect(team.getByText('Dit idee is samengevoegd met:')).toBeVisible();
  await team.goto(originalHref!);
  await team.getByLabel('Status', { exact: true }).selectOption('done');
  await team.getByLabel('Bericht bij de statuswijziging (openbaar)').fill('De donkere modus staat nu in de app.');
  await team.getByRole('button', { name: 'Status wijzigen' }).click();
  await expect(team.getByTestId('status-message')).toContainText('De donkere modus staat nu in de app.');
  await team.context().close();

  // A voter finds the notification, the mail and the changelog entry.
  const voter = await asUser(browser, VOTERS[0].email, VOTERS[0].password, '/ideas');
  await voter.goto('/account/notifications');
  await expect(voter.getByText("De status van 'Donkere modus in de app' is nu: Gedaan")).toBeVisible();
  const statusMail = await mailTo(request, VOTERS[0].email, /is nu: Gedaan/);
  expect(statusMail).toContain('De donkere modus staat nu in de app.');
  expect(statusMail).toContain('Geen mails meer over dit idee:');
  await voter.goto('/changelog');
  const entry = voter.locator('.changelog-entry', { hasText: 'Donkere modus in de app' });
  await expect(entry).toContainText('De donkere modus staat nu in de app.');
  await voter.context().close();

  // Eva, whose idea was merged, is told as well.
  await page.goto('/account/notifications');
  await expect(page.getByText("Je idee 'Een donkere modus voor de app' is samengevoegd")).toBeVisible();
});

test('idea pages work without JavaScript and load no application bundle', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
  const page = await context.newPage();
  const wasm: string[] = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url()); });
  await page.goto('/ideas/app?sort=top');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('De app');
  await expect(page.locator('.idea-row').first()).toContainText('Verbruik per dag in een grafiek');
  await page.getByLabel('Zoeken').fill('factuur');
  await page.getByLabel('Sorteren').selectOption('new');
  await page.getByRole('button', { name: 'Toon' }).click();
  await expect(page).toHaveURL(/q=factuur/);
  await expect(page.getByTestId('idea-count')).toHaveText('0 ideeën');
  await page.goto('/roadmap');
  await expect(page.getByRole('heading', { name: /Mee bezig/ })).toBeVisible();
  expect(wasm).toEqual([]);
  await context.close();
});
