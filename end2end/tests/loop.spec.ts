import { test, expect, Page } from '@playwright/test';
import { MANAGER, SINK } from '../playwright.config';
import { logIn } from './session';

// The department member of the demo (seed-demo --password via KLANTSTEM_DEMO_PASSWORD).
const SERVICE = { email: 'service@klantstem.local', password: 'e2e-demo-password' };

// Several logins per test, each of which may wait for a slow first hydration (below).
test.describe.configure({ timeout: 180_000 });

// A debug build's 20 MB bundle is compressed per request: on a busy two-core machine the first
// page of a fresh browser can take well over the usual 15 s to become interactive.
const HYDRATED_MS = 45_000;
const HYDRATED = { timeout: HYDRATED_MS };

test('a detractor is called back, the cause is fixed, and the customer hears "je zei, wij deden"', async ({ page, browser, request }) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const address = `wachter-${tag}@example.nl`;
  const reason = `Een half uur in de wacht gestaan voor een simpele vraag (${tag}).`;

  // 1. A customer answers on the survey page without JavaScript: a detractor who may be called.
  const customer = await browser.newContext({ javaScriptEnabled: false });
  const survey = await customer.newPage();
  await survey.goto('/s/klantenservice?ch=web&tp=service');
  await survey.locator('#field-score label.nps-option', { hasText: /^2$/ }).click();
  await survey.getByLabel('Wat is de belangrijkste reden voor uw score?').fill(reason);
  await survey.getByLabel('E-mailadres').fill(address);
  await survey.getByLabel('U mag contact met mij opnemen over mijn antwoord.').check();
  await survey.getByRole('button', { name: 'Versturen' }).click();
  await expect(survey.getByRole('heading', { name: 'Bedankt!' })).toBeVisible();
  await customer.close();

  // 2. It is in Klantenservice's inbox with a case; the member cannot close it without a call.
  await logIn(page, SERVICE, '/inbox?cases=1', HYDRATED_MS);
  await page.getByRole('link', { name: new RegExp(tag) }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Feedback voor Klantenservice');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByTestId('case-state')).toContainText('Contact opnemen vóór');
  const close = page.locator('form.case-close');
  await close.getByLabel('Uitkomst').selectOption('resolved');
  await close.getByLabel('Grondoorzaak').fill('te weinig bezetting');
  await close.getByRole('button', { name: 'Zaak sluiten' }).click();
  await expect(page.getByRole('alert')).toContainText('Leg eerst een contactpoging vast');

  const contact = page.locator('form.case-contact');
  await contact.getByLabel('Klant bereikt').check();
  await contact.getByLabel('Wat is er besproken?').fill(`Teruggebeld en excuses gemaakt (${tag}).`);
  await contact.getByRole('button', { name: 'Vastleggen' }).click();
  await expect(page.locator('ol.contacts')).toContainText(`Teruggebeld en excuses gemaakt (${tag}).`);
  await close.getByLabel('Uitkomst').selectOption('resolved');
  await close.getByLabel('Grondoorzaak').fill('te weinig bezetting');
  await close.getByRole('button', { name: 'Zaak sluiten' }).click();
  await expect(page.getByTestId('case-state')).toContainText('Gesloten: Opgelost');

  // 3. A manager turns the theme into an action from the dashboard and completes it.
  const manager = await browser.newPage();
  await logIn(manager, MANAGER, '/dashboard', HYDRATED_MS);
  await manager.locator('tr[data-theme="waiting_time"]').getByTestId('theme-action').click();
  await expect(manager).toHaveURL(/\/actions\?theme=waiting_time/);
  await expect(manager.getByLabel('Titel')).toHaveValue('Wachttijd en bereikbaarheid');
  await manager.getByLabel('Titel').fill(`Terugbellen bij drukte (${tag})`);
  await manager.getByRole('button', { name: 'Actie aanmaken' }).click();
  await expect(manager).toHaveURL(/\/actions\/\d+$/);
  await expect(manager.getByRole('heading', { level: 1 })).toHaveText(`Terugbellen bij drukte (${tag})`);
  await expect(manager.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await manager.getByLabel('Status').selectOption('done');
  await manager.getByLabel('Bericht aan klanten als de actie klaar is').fill(`Bij drukte bellen we u nu terug (${tag}).`);
  await manager.getByRole('button', { name: 'Opslaan' }).click();
  await expect(manager.getByTestId('told')).toContainText('klanten krijgen bericht');

  // 4. The customer's "je zei, wij deden" mail went through the outbox to the mail server.
  await expect(async () => {
    const mails: { to: string[]; subject: string; text: string }[] = await (await request.get(`${SINK}/messages`)).json();
    const mine = mails.filter((m) => m.to.includes(address));
    // Once: "you said, we did"; and, from closing the case, the question whether it is solved.
    expect(mine.filter((m) => m.text.includes(`Bij drukte bellen we u nu terug (${tag}).`)).length).toBe(1);
    expect(mine.filter((m) => m.text.includes('Is het nu opgelost?')).length).toBe(1);
  }).toPass({ timeout: 20_000 });
  // And the improvement is on the public changelog.
  await page.goto('/changelog');
  await expect(page.getByTestId('improvements')).toContainText(`Bij drukte bellen we u nu terug (${tag}).`);
  await manager.close();
});

test('a complaint without a score is entered at the counter: in the volume and the themes, not in the NPS', async ({ page }) => {
  const tag = Math.random().toString(36).slice(2, 7);
  await logIn(page, MANAGER, '/dashboard', HYDRATED_MS);
  const volume = Number(await page.getByTestId('responses-value').textContent());
  const basis = await page.getByTestId('nps-basis').textContent();

  await page.goto('/responses/new');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Kanaal').selectOption('store');
  await page.getByLabel('Wat de klant zei').fill(`Lang in de rij gestaan bij de kassa, klacht nummer ${tag}.`);
  // No score and no stars: open feedback.
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByTestId('entry-saved')).toContainText('Opgeslagen. U kunt de volgende invoeren.');
  // A fresh form for the next customer, whose feedback is not taken for a double submit.
  await expect(page.getByLabel('Wat de klant zei')).toHaveValue('');
  await page.getByLabel('Wat de klant zei').fill(`Verkeerde maat meegekregen (${tag}-2).`);
  await page.getByLabel('Of een beoordeling (sterren)').selectOption('2');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page.getByTestId('entry-saved')).toBeVisible();
  await expect(page.getByLabel('Wat de klant zei')).toHaveValue('');

  await page.goto('/dashboard');
  await expect(page.getByTestId('responses-value')).toHaveText(String(volume + 2));
  await expect(page.getByTestId('nps-basis')).toHaveText(basis!);
  await expect(page.getByTestId('responses-split')).toContainText('zonder');

  await page.goto('/responses?group=none');
  const item = page.locator('li.verbatim', { hasText: `klacht nummer ${tag}` });
  await expect(item).toHaveCount(1);
  await expect(item.getByLabel('Zonder score')).toHaveText('–');
  const rated = page.locator('li.verbatim', { hasText: `${tag}-2` });
  await expect(rated.getByLabel('Beoordeling 2 van 5 sterren')).toHaveText('2★');
});

test('a manager labels the texts the lexicon is least sure of in the review queue', async ({ page }) => {
  await logIn(page, MANAGER, '/review', HYDRATED_MS);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teksten labelen');
  const stats = page.getByTestId('review-stats');
  const before = Number((await stats.textContent())!.match(/(\d+) teksten gelabeld/)![1]);
  const first = page.locator('ol.review-list > li').first();
  const id = await first.getAttribute('data-response');
  await first.getByRole('button', { name: 'positief' }).click();
  // The labelled text leaves the queue and counts.
  await expect(page.locator(`ol.review-list > li[data-response="${id}"]`)).toHaveCount(0);
  await expect(stats).toContainText(`${before + 1} teksten gelabeld.`);
  // Its page shows the label, which stays through every retagging.
  await page.goto(`/responses/${id}`);
  await expect(page.getByTestId('sentiment-label-status')).toHaveText('Gelabeld: positief');
  await expect(page.locator('.label-form button[aria-pressed="true"]')).toHaveText('positief');
});

test('a manager says how a text speaks of a theme, and the dashboard\'s negative share counts it', async ({ page, browser }) => {
  const tag = Math.random().toString(36).slice(2, 7);
  // No opinion words: the lexicon cannot tell, so the mention does not count in the figures yet.
  const reason = `Ik heb drie kwartier in de wacht gestaan (${tag}).`;
  const customer = await browser.newContext({ javaScriptEnabled: false });
  const survey = await customer.newPage();
  await survey.goto('/s/klantenservice?ch=web&tp=service');
  await survey.locator('#field-score label.nps-option', { hasText: /^3$/ }).click();
  await survey.getByLabel('Wat is de belangrijkste reden voor uw score?').fill(reason);
  await survey.getByRole('button', { name: 'Versturen' }).click();
  await expect(survey.getByRole('heading', { name: 'Bedankt!' })).toBeVisible();
  await customer.close();

  await logIn(page, MANAGER, '/dashboard', HYDRATED_MS);
  const cell = page.locator('tr[data-theme="waiting_time"]').getByTestId('theme-negative');
  const figures = async () => {
    const text = (await cell.textContent())!;
    return { share: text.match(/^(\d+%|–)/)![1], basis: Number(text.match(/\(op (\d+)\)/)![1]) };
  };
  const before = await figures();

  await page.goto(`/responses?q=${tag}`);
  await page.locator('li.verbatim', { hasText: tag }).getByRole('link', { name: 'Details' }).click();
  await expect(page).toHaveURL(/\/responses\/\d+$/);
  const theme = page.locator('li[data-theme="waiting_time"]');
  await expect(theme).toContainText('te onzeker om mee te tellen in sentimentcijfers');
  await theme.getByRole('button', { name: 'negatief' }).click();
  await expect(theme.locator('button[aria-pressed="true"]')).toHaveText('negatief');
  await expect(theme).toContainText('gelabeld door een mens');

  // Certain now: one more mention counts, a negative one.
  await page.goto('/dashboard');
  await expect(cell).toContainText(`(op ${before.basis + 1})`);
  const after = await figures();
  expect(after.share).not.toBe('–');
  if (before.share !== '–') {
    expect(parseInt(after.share)).toBeGreaterThanOrEqual(parseInt(before.share));
  }
});
