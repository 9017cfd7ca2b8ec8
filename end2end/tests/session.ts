import { expect, Page } from '@playwright/test';

export type Who = { email: string; password: string };

/** Signs in through the login form and waits until `next` (path and query) is open. The login
 * page's own address ends with `next` too, so a URL pattern would match before the login is done.
 * With `hydrated`, the form is used once the application runs (the next page then comes without
 * loading the bundle again), waiting up to that many milliseconds before and after. */
export async function logIn(page: Page, who: Who, next: string, hydrated?: number) {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  if (hydrated) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: hydrated });
  }
  await page.getByLabel('E-mailadres').fill(who.email);
  await page.getByLabel('Wachtwoord').fill(who.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((url) => url.pathname + url.search === next);
  if (hydrated) {
    await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1, { timeout: hydrated });
  }
}
