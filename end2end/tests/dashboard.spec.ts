import { test, expect } from '@playwright/test';
import { MANAGER } from '../playwright.config';

test('a manager filters the dashboard by channel and drills down from a bar to its responses', async ({ page }) => {
  await page.goto('/login?next=/dashboard');
  await page.getByLabel('E-mailadres').fill(MANAGER.email);
  await page.getByLabel('Wachtwoord').fill(MANAGER.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const total = Number(await page.getByTestId('responses-value').innerText());
  // The demo responses span months: the trend shows, with a table behind the chart.
  await expect(page.getByTestId('trend').locator('svg polyline')).toHaveCount(1);

  // The channel breakdown shows every channel; filtering on one narrows the figures.
  const channels = page.locator('figure[data-dimension="channel"]');
  await expect(channels).toBeVisible();
  const phoneRow = channels.locator('tr[data-key="phone"]');
  const phoneCount = Number(await phoneRow.locator('td').first().innerText());
  await page.getByLabel('Kanaal').selectOption('phone');
  await page.getByRole('button', { name: 'Filteren' }).click();
  await expect(page).toHaveURL(/channel=phone/);
  await expect(page.getByTestId('responses-value')).toHaveText(String(phoneCount));
  expect(phoneCount).toBeLessThan(total);
  await expect(page.locator('figure[data-dimension="channel"]')).toHaveCount(0);

  // A survey's bar leads to exactly the responses behind it.
  const surveys = page.locator('figure[data-dimension="survey"] tbody tr');
  const first = surveys.first();
  const count = Number(await first.locator('td').first().innerText());
  await first.getByRole('link').click();
  await expect(page).toHaveURL(/\/responses\?channel=phone&survey=/);
  const items = page.getByTestId('responses').locator('li.verbatim');
  await expect(items.first()).toBeVisible();
  expect(await items.count()).toBe(Math.min(count, 25));
});
