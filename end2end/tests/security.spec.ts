import { test, expect, Page } from '@playwright/test';

async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

// A crafted link used to close the textarea and add a <meta refresh> that sent every respondent
// elsewhere. The text must stay text, in the page and in the browser, and the page must stay.
test('a crafted survey link neither injects markup nor navigates away', async ({ page }) => {
  const payload = '</textarea><meta http-equiv="refresh" content="0;url=/login"><b id="injected">x</b> & co';
  const url = `/s/klantenservice?error=score_missing&reason=${encodeURIComponent(payload)}`;
  await page.goto(url);
  await waitForHydration(page);
  await page.waitForTimeout(1500);
  await expect(page).toHaveURL(/\/s\/klantenservice\?/);
  await expect(page.locator('#injected')).toHaveCount(0);
  await expect(page.locator('meta[http-equiv="refresh"]')).toHaveCount(0);
  await expect(page.locator('textarea#reason')).toHaveValue(payload);
  // The form still works with the text in it.
  await page.locator('#field-score label.nps-option', { hasText: /^8$/ }).click();
  await page.getByRole('button', { name: 'Versturen' }).click();
  await expect(page.getByRole('heading', { name: 'Bedankt!' })).toBeVisible();
});
