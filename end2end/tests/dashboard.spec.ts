import { test, expect } from '@playwright/test';
import { MANAGER } from '../playwright.config';
import { logIn } from './session';

test('a manager filters the dashboard by channel and drills down from a bar to its responses', async ({ page }) => {
  await logIn(page, MANAGER, '/dashboard');
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

test('a manager filters by channel, sees the charts change, and clicks a theme bar to its verbatims', async ({ page }) => {
  await logIn(page, MANAGER, '/dashboard');

  // The busiest channel, so the filtered view has themes to show.
  const rows = page.locator('figure[data-dimension="channel"] tbody tr');
  await expect(rows.first()).toBeVisible();
  let busiest = '';
  let most = -1;
  for (const row of await rows.all()) {
    const n = Number(await row.locator('td').first().innerText());
    if (n > most) {
      most = n;
      busiest = (await row.getAttribute('data-key')) ?? '';
    }
  }
  const scoreChart = page.locator('svg.bar-chart');
  const groupBar = page.locator('svg.stacked-bar').first();
  const chartBefore = await scoreChart.innerHTML();
  const barBefore = await groupBar.innerHTML();

  await page.getByLabel('Kanaal').selectOption(busiest);
  await page.getByRole('button', { name: 'Filteren' }).click();
  await expect(page).toHaveURL(new RegExp(`channel=${busiest}`));
  await expect(page.getByTestId('responses-value')).toHaveText(String(most));
  // The charts are redrawn for the channel's responses only.
  expect(await scoreChart.innerHTML()).not.toEqual(chartBefore);
  expect(await groupBar.innerHTML()).not.toEqual(barBefore);

  // The theme drivers keep the filter: a theme's bar leads to its verbatims in that channel.
  const driver = page.getByTestId('drivers').locator('tbody tr').first();
  const theme = await driver.getAttribute('data-theme');
  const mentions = Number(await driver.locator('td').first().innerText());
  expect(theme).toBeTruthy();
  await driver.getByTestId('theme-bar').click();
  await expect(page).toHaveURL(new RegExp(`/responses\\?channel=${busiest}&theme=${theme}`));
  const items = page.getByTestId('responses').locator('li.verbatim');
  await expect(items.first()).toBeVisible();
  expect(await items.count()).toBe(Math.min(mentions, 25));
  for (const item of await items.all()) {
    await expect(item.locator(`.theme-tags li[data-theme="${theme}"]`)).toHaveCount(1);
  }
});
