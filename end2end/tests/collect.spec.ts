import { test, expect, Page } from '@playwright/test';
import { MANAGER } from '../playwright.config';
import { logIn } from './session';

async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

test('a one-click e-mail score is recorded at once and the reason completes it', async ({ page, browser }) => {
  const word = `deuk${Math.random().toString(36).slice(2, 7)}`;
  await page.goto('/s/klantenservice/4?tp=service');
  await waitForHydration(page);
  await expect(page.getByTestId('score-recorded')).toBeVisible();
  await expect(page.locator('input[name="score"][value="4"]')).toBeChecked();
  await page.getByLabel('Wat is de belangrijkste reden voor uw score?').fill(`Het pakket had een ${word}.`);
  await page.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByRole('heading', { name: 'Bedankt!' })).toBeVisible();

  // A manager finds exactly one response for it: score, text and channel together.
  const staff = await browser.newPage();
  await logIn(staff, MANAGER, '/responses');
  await staff.getByLabel('Zoeken in tekst').fill(word);
  await staff.getByRole('button', { name: 'Filteren' }).click();
  const items = staff.getByTestId('responses').locator('li.verbatim');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText(word);
  await expect(items.first().locator('.score-badge')).toHaveText('4');
  await expect(items.first()).toContainText('E-mail');
  await staff.close();
});

test('a manager imports a CSV file with a preview, a report and a progress bar', async ({ page }) => {
  await logIn(page, MANAGER, '/admin/import');
  const csv = 'Klantnummer;Cijfer;Opmerking\nK-9;9;Prima geholpen aan de balie\nK-10;15;Cijfer klopt niet\nK-11;6;Lang gewacht bij de kassa\n';
  await page.getByLabel('Bestand').setInputFiles({ name: 'balie.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Uploaden en bekijken' }).click();
  await expect(page).toHaveURL(/\/admin\/import\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('balie.csv');
  await expect(page.getByTestId('import-check')).toHaveText('0 rijen in orde · 3 rijen met problemen');

  await page.getByLabel('Vragenlijst (als geen kolom die noemt)').selectOption('winkel');
  await page.getByLabel('Kanaal (als geen kolom dat noemt)').selectOption('store');
  await page.getByRole('button', { name: 'Opnieuw controleren' }).click();
  await expect(page.getByTestId('import-check')).toHaveText('2 rijen in orde · 1 rijen met problemen');
  await expect(page.getByTestId('import-problems')).toContainText('De score moet een heel getal van 0 tot en met 10 zijn.');

  await waitForHydration(page);
  await page.getByRole('button', { name: 'Importeren (2)' }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Import klaar: 2 nieuw, 0 al aanwezig, 1 overgeslagen.');
});
