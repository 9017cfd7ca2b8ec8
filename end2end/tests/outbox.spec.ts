import { test, expect, Page } from '@playwright/test';
import { ADMIN } from '../playwright.config';

async function loginAsAdmin(page: Page, next: string) {
  await page.goto(`/login?next=${next}`);
  await page.getByLabel('E-mailadres').fill(ADMIN.email);
  await page.getByLabel('Wachtwoord').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page).toHaveURL(new RegExp(`${next}$`));
}

test('an admin sends a test mail and finds it waiting in the outbox', async ({ page }) => {
  await loginAsAdmin(page, '/admin/outbox');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uitgaande mail');
  // The test server has no mail server: mails wait, and the page says why.
  await expect(page.getByText('Er is geen mailserver ingesteld')).toBeVisible();

  await page.getByLabel('Testbericht naar').fill('geen adres');
  // The browser itself refuses a malformed address before anything is sent.
  await page.getByRole('button', { name: 'Testbericht versturen' }).click();
  await expect(page.getByTestId('outbox').locator('tr', { hasText: 'geen adres' })).toHaveCount(0);

  await page.getByLabel('Testbericht naar').fill('beheer@example.nl');
  await page.getByRole('button', { name: 'Testbericht versturen' }).click();
  await expect(page.getByText('Het testbericht staat in de uitgaande mail.')).toBeVisible();
  const row = page.getByTestId('outbox').locator('tr', { hasText: 'beheer@example.nl' });
  await expect(row).toHaveAttribute('data-status', 'pending');
  await expect(row).toContainText('Testbericht van Klantstem');
  await expect(row).toContainText('wacht');
});
