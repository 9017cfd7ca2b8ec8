import { test, expect, Page } from '@playwright/test';
import { ADMIN } from '../playwright.config';
import { logIn } from './session';

test('an admin finds a customer by address, erases them, and the audit log says so without the address', async ({ page }) => {
  await logIn(page, ADMIN, '/admin/privacy');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Privacy: de gegevens van een klant');

  // A demo customer who left an address with consent.
  const refs = page.getByLabel('E-mailadres en/of klantnummer');
  await refs.fill('klant3@example.nl');
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await expect(page).toHaveURL(/refs=klant3%40example.nl/);
  await expect(page.getByTestId('privacy-counts')).toContainText('Antwoorden');
  await expect(page.getByText('Ik heb drie kwartier in de wacht gestaan')).toBeVisible();
  await expect(page.getByTestId('privacy-consents')).toContainText('U mag contact met mij opnemen over mijn antwoord.');

  // Erasing waits for the box to be ticked.
  const erase = page.getByRole('button', { name: 'Wissen', exact: true });
  await erase.click();
  await expect(page.getByTestId('privacy-erased')).toHaveCount(0);
  await page.getByLabel('Ik begrijp dat dit niet ongedaan kan worden.').check();
  await erase.click();
  await expect(page.getByTestId('privacy-erased')).toBeVisible();
  const log = page.getByTestId('audit-log');
  await expect(log).toContainText('gewist');
  await expect(log).toContainText('k…@example.nl');
  await expect(log).not.toContainText('klant3@example.nl');

  // Nothing is left under that address.
  await page.getByLabel('E-mailadres en/of klantnummer').fill('klant3@example.nl');
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await expect(page.getByTestId('privacy-nothing')).toBeVisible();
});
