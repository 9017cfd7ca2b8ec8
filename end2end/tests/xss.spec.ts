import { test, expect, Page } from '@playwright/test';
import { ADMIN, VOTERS } from '../playwright.config';
import { logIn } from './session';

// Markup that would run or render if any page wrote it raw: a script, an event handler, an
// element with an id the test looks for.
// Short enough for a department's name.
const P = `<img src=x onerror=alert(1)><b id="xss">x</b>`;
const LONG = `${P}<script>alert('xss')</script>"'>`;

// The first visible element with `text` (names are also in hidden <option>s).
function shown(page: Page, text: string) {
  return page.getByText(text).and(page.locator(':visible')).first();
}

async function post(page: Page, path: string, form: Record<string, string>) {
  const res = await page.request.post(path, { form, maxRedirects: 0 });
  expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(400);
}

test('markup typed into answers, ideas, names and titles stays text wherever it is read', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });

  // A respondent's answer, a customer's idea and comment.
  await post(page, '/api/survey/submit', {
    slug: 'klantenservice', score: '2', reason: `Slecht geholpen ${LONG}`, ch: 'web', lang: 'nl',
    token: 'xssprobe000000000000000000000000',
  });
  await logIn(page, VOTERS[0], '/ideas');
  await post(page, '/api/ideas/submit', {
    board: 'app', title: `Opmaak in een idee ${P}`, body: `Uitleg met opmaak ${LONG}`, confirmed: '1',
  });

  // Staff: a department and an improvement action.
  await page.context().clearCookies();
  await logIn(page, ADMIN, '/admin/departments');
  await post(page, '/api/departments/save', { name: `Afdeling ${P}` });
  await post(page, '/api/actions/create', { title: `Actie ${P}`, themes: 'waiting_time', status: 'proposed' });

  // Every page that shows them, hydrated where the page hydrates.
  for (const path of ['/responses', '/dashboard', '/admin/departments', '/actions', '/admin/ideas', '/ideas/app', '/inbox']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await expect(page.locator('#xss'), path).toHaveCount(0);
    await expect(page.locator('img[src="x"]'), path).toHaveCount(0);
  }
  // The text reads as it was typed.
  await page.goto('/admin/departments');
  // A department's name is edited in place: it is the value of its name field.
  const names = await page.locator('input[name="name"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  expect(names).toContain(`Afdeling ${P}`);
  await page.goto('/actions');
  await expect(shown(page, `Actie ${P}`)).toBeVisible();
  await page.goto('/admin/ideas');
  await expect(shown(page, `Opmaak in een idee ${P}`)).toBeVisible();
  expect(dialogs).toEqual([]);
});
