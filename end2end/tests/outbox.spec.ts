import { test, expect, Page } from '@playwright/test';
import { ADMIN, SINK } from '../playwright.config';
import { logIn } from './session';

test('an admin sends a test mail and sees it delivered through the outbox', async ({ page, request }) => {
  await logIn(page, ADMIN, '/admin/outbox');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uitgaande mail');
  // The test server delivers to an SMTP sink (smtp-sink.mjs).
  await expect(page.getByText('Er is geen mailserver ingesteld')).toHaveCount(0);

  await page.getByLabel('Testbericht naar').fill('geen adres');
  // The browser itself refuses a malformed address before anything is sent.
  await page.getByRole('button', { name: 'Testbericht versturen' }).click();
  await expect(page.getByTestId('outbox').locator('tr', { hasText: 'geen adres' })).toHaveCount(0);

  await page.getByLabel('Testbericht naar').fill('beheer@example.nl');
  await page.getByRole('button', { name: 'Testbericht versturen' }).click();
  await expect(page.getByText('Het testbericht staat in de uitgaande mail.')).toBeVisible();
  const row = page.getByTestId('outbox').locator('tr', { hasText: 'beheer@example.nl' });
  await expect(row).toContainText('Testbericht van Klantstem');
  // Written first, then delivered by the worker: the sink has it, and the list says so.
  await expect(async () => {
    const mails: { to: string[]; text: string }[] = await (await request.get(`${SINK}/messages`)).json();
    expect(mails.some((m) => m.to.includes('beheer@example.nl') && m.text.includes('Testbericht van Klantstem'))).toBe(true);
  }).toPass({ timeout: 20_000 });
  await page.reload();
  await expect(page.getByTestId('outbox').locator('tr', { hasText: 'beheer@example.nl' })).toHaveAttribute('data-status', 'sent');
});
