import { test, expect, Page } from '@playwright/test';
import { MANAGER } from '../playwright.config';
import { logIn } from './session';

const unique = () => Math.random().toString(36).slice(2, 10);

async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

async function dashboardFigures(page: Page) {
  await page.goto('/dashboard');
  // The unrounded NPS: with a few hundred answers one more may not move the rounded figure.
  const nps = Number(await page.getByTestId('nps-value').getAttribute('data-exact'));
  const responses = Number(await page.getByTestId('responses-value').innerText());
  return { nps, responses };
}

test('a customer answers with JavaScript, without a page reload, and without console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/s/klantenservice?ch=app&tp=usage');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uw contact met de klantenservice');
  // Marks this document: a full reload would lose the mark.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  // A server-side validation error shows in place.
  await page.locator('#field-score label.nps-option', { hasText: /^8$/ }).click();
  await page.getByLabel('E-mailadres').fill('klant@example.nl');
  await page.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByRole('alert').getByText('Vink aan dat wij contact mogen opnemen')).toBeVisible();

  await page.getByLabel('E-mailadres').fill('');
  await page.getByLabel('Wat is de belangrijkste reden voor uw score?').fill('Snel geholpen via de app, prima.');
  await page.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByRole('heading', { name: 'Bedankt!' })).toBeVisible();
  await expect(page).toHaveURL(/\/s\/klantenservice\/thanks/);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  // The refused first attempt (HTTP 422) is logged by the browser; nothing else may be.
  expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a customer answers in English with a plain form post', async ({ page }) => {
    await page.goto('/s/webshop?ch=email&tp=purchase&lang=en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ordering in our web shop');
    await page.locator('#field-score label.nps-option', { hasText: /^10$/ }).click();
    await page.getByLabel('What is the main reason for your score?').fill('Next-day delivery, very happy.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect(page.getByRole('heading', { name: 'Thank you!' })).toBeVisible();
  });

  test('a mistake comes back with a message in Dutch and the text kept', async ({ page }) => {
    await page.goto('/s/winkel');
    await page.locator('#field-score label.nps-option', { hasText: /^4$/ }).click();
    await page.getByLabel('Wat is de belangrijkste reden voor uw score?').fill('Lang moeten wachten.');
    await page.getByLabel('E-mailadres').fill('klant@example.nl');
    await page.getByRole('button', { name: 'Versturen' }).click();
    await expect(page.getByRole('alert').getByText('Vink aan dat wij contact mogen opnemen')).toBeVisible();
    await expect(page.getByLabel('Wat is de belangrijkste reden voor uw score?')).toHaveValue('Lang moeten wachten.');
  });
});

test('a manager sees a new response and the changed NPS', async ({ page, browser }) => {
  await logIn(page, MANAGER, '/dashboard');
  const before = await dashboardFigures(page);

  const reason = `Drie keer gebeld en steeds opnieuw mijn verhaal moeten doen (${unique()})`;
  const customer = await browser.newContext({ javaScriptEnabled: false });
  const survey = await customer.newPage();
  await survey.goto('/s/klantenservice?ch=phone&tp=service');
  await survey.locator('label.nps-option', { hasText: /^0$/ }).click();
  await survey.getByLabel('Wat is de belangrijkste reden voor uw score?').fill(reason);
  await survey.getByRole('button', { name: 'Versturen' }).click();
  await expect(survey.getByRole('heading', { name: 'Bedankt!' })).toBeVisible();
  await customer.close();

  const after = await dashboardFigures(page);
  expect(after.responses).toBe(before.responses + 1);
  expect(after.nps).toBeLessThan(before.nps);
  const verbatim = page.getByTestId('verbatims').locator('li', { hasText: reason });
  await expect(verbatim).toBeVisible();
  await expect(verbatim).toContainText('Telefoon');
  await expect(verbatim).toContainText('nl');
  // Tagged automatically with the theme of having to repeat one's story.
  await expect(verbatim.getByRole('listitem').filter({ hasText: 'Informatie moeten herhalen' })).toBeVisible();
});

test('the dashboard sends visitors to the login page', async ({ page }) => {
  await page.goto('/dashboard');
  await expect(page).toHaveURL(/\/login\?next=\/dashboard/);
  await page.getByLabel('E-mailadres').fill(MANAGER.email);
  await page.getByLabel('Wachtwoord').fill('wrong password');
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page.getByRole('alert')).toContainText('E-mailadres of wachtwoord is onjuist.');
});
