import { test, expect, Page } from '@playwright/test';
import { ADMIN } from '../playwright.config';
import { logIn } from './session';

async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

test('an admin adds a theme, watches the retagging finish, and corrects a tag', async ({ page }) => {
  // A customer mentions something no theme covers yet.
  const word = `retourlabel`;
  await page.goto('/s/webshop?ch=web&tp=service');
  await page.locator('#field-score label.nps-option', { hasText: /^3$/ }).click();
  await page.getByLabel('Wat is de belangrijkste reden voor uw score?').fill(`Het ${word} ontbrak in de doos.`);
  await page.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByRole('heading', { name: 'Bedankt!' })).toBeVisible();

  await logIn(page, ADMIN, '/admin/themes');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Nieuw thema' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nieuw thema');
  await waitForHydration(page);
  await page.getByLabel('Sleutel').fill('return_labels');
  await page.getByLabel('Naam in het Nederlands').fill('Retourlabels');
  await page.getByLabel('Naam in het Engels').fill('Return labels');
  await page.getByLabel('Afdeling').fill('Logistiek');
  await page.getByLabel('Trefwoorden (nl)').fill(`${word}\nverzendlabel`);
  await page.getByRole('button', { name: 'Opslaan' }).click();

  await expect(page).toHaveURL(/\/admin\/themes\?saved=1$/);
  await expect(page.getByText('Opgeslagen. Alle teksten worden nu opnieuw getagd.')).toBeVisible();
  // The progress bar (or, when already done, the finished state) shows; it ends finished.
  await expect(page.getByTestId('retag')).toHaveAttribute('data-running', 'false');
  await expect(page.getByText('Alle teksten zijn getagd met de huidige thema\'s.', { exact: false })).toBeVisible();
  await expect(page.getByTestId('themes').locator('tr[data-theme="return_labels"]')).toContainText('Retourlabels');

  // The verbatim now carries the theme; its detail page lets a manager correct it.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  const verbatim = page.getByTestId('verbatims').locator('li.verbatim', { hasText: word }).first();
  await expect(verbatim.locator('[data-theme="return_labels"]')).toHaveText(/Retourlabels/);
  await verbatim.getByRole('link', { name: 'Details' }).click();
  await expect(page).toHaveURL(/\/responses\/\d+$/);
  await waitForHydration(page);
  const tags = page.getByTestId('response-themes');
  await expect(tags.locator('li[data-theme="return_labels"]')).toBeVisible();

  await page.getByRole('button', { name: 'Verwijderen: Retourlabels' }).click();
  await expect(page.locator('li[data-theme="return_labels"]')).toHaveCount(0);
  await page.getByLabel('Thema toevoegen').selectOption({ label: 'Prijs en facturatie' });
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  const manual = page.locator('li[data-theme="price_billing"]');
  await expect(manual).toHaveAttribute('data-manual', 'true');
  await expect(manual).toContainText('handmatig');

  // The correction is stored: it is still there after a reload.
  await page.reload();
  await expect(page.locator('li[data-theme="price_billing"]')).toHaveAttribute('data-manual', 'true');
  await expect(page.locator('li[data-theme="return_labels"]')).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a bad theme comes back with the error in Dutch', async ({ page }) => {
    await logIn(page, ADMIN, '/admin/themes/new');
    await page.getByLabel('Sleutel').fill('wachttijd');
    await page.getByLabel('Naam in het Nederlands').fill('Wachttijd');
    await page.getByLabel('Naam in het Engels').fill('Waiting');
    await page.getByRole('button', { name: 'Opslaan' }).click();
    await expect(page).toHaveURL(/error=theme_keywords_missing/);
    await expect(page.getByRole('alert')).toContainText('Geef minstens één trefwoord op');
    // What the admin typed is still there.
    await expect(page.getByLabel('Naam in het Nederlands')).toHaveValue('Wachttijd');
    await expect(page.getByLabel('Sleutel')).toHaveValue('wachttijd');
  });
});
