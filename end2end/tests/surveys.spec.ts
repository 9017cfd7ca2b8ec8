import { test, expect, Page } from '@playwright/test';
import http from 'node:http';
import { MANAGER } from '../playwright.config';
import { logIn } from './session';

async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

test('a manager builds a bilingual survey; customers answer by e-mail link and by the embedded widget', async ({ page, browser, baseURL }) => {
  const slug = `proef-${Math.random().toString(36).slice(2, 7)}`;
  const partner = 'http://localhost:4999';

  // Build and open the survey.
  await logIn(page, MANAGER, '/admin/surveys');
  await page.getByRole('link', { name: 'Nieuwe vragenlijst' }).click();
  await waitForHydration(page);
  await page.getByLabel('Korte naam in de link').fill(slug);
  await page.getByLabel('Titel (NL)').fill('Uw ervaring met de proefles');
  await page.getByLabel('Titel (EN)').fill('Your trial lesson');
  await page.getByLabel('Vervolgvraag bij 0–6 (NL)').fill('Wat ging er mis?');
  await page.getByLabel('Vervolgvraag bij 0–6 (EN)').fill('What went wrong?');
  await page.getByLabel('Vervolgvraag bij 9–10 (NL)').fill('Wat vond u het beste?');
  await page.getByLabel('Bedanktekst (NL)').fill('Dank u wel, we gaan ermee aan de slag.');
  await page.getByLabel('Websites die de vragenlijst mogen insluiten').fill(partner);
  await page.getByRole('button', { name: 'Opslaan' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/surveys\\?saved=${slug}$`));
  await page.getByRole('button', { name: `Openen: ${slug}` }).click();
  await expect(page.locator(`tr[data-survey="${slug}"]`)).toContainText('open');

  // A required satisfaction question after the NPS question.
  await page.goto(`/admin/surveys/${slug}`);
  await waitForHydration(page);
  await page.getByLabel('Soort vraag').selectOption('csat');
  await page.getByLabel('Verplicht').check();
  await page.getByLabel('Vraag (NL)').fill('Hoe tevreden bent u over de docent?');
  await page.getByLabel('Vraag (EN)').fill('How satisfied are you with the teacher?');
  await page.getByRole('button', { name: 'Vraag toevoegen' }).click();
  await expect(page.getByTestId('questions')).toContainText('Hoe tevreden bent u over de docent?');

  // A customer clicks score 3 in an e-mail: recorded at once, follow-up for detractors.
  const mail = await browser.newPage();
  await mail.goto(`${baseURL}/s/${slug}/3`);
  await waitForHydration(mail);
  await expect(mail.getByTestId('score-recorded')).toBeVisible();
  await expect(mail.getByTestId('followup')).toHaveText('Wat ging er mis?');
  await mail.getByLabel('Wat ging er mis?').fill('De les begon een half uur te laat.');
  await mail.locator('fieldset.question label.nps-option', { hasText: /^2$/ }).click();
  await mail.getByRole('button', { name: 'Versturen' }).click();
  await expect(mail.getByText('Dank u wel, we gaan ermee aan de slag.')).toBeVisible();
  await mail.close();

  // Another customer answers in the widget on the partner's site.
  // The partner's site is a real server of its own (another origin on this machine).
  const partnerSite = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="nl"><body><h1>Partner</h1>
      <script src="${baseURL}/embed.js" data-survey="${slug}" data-channel="web"></script></body></html>`);
  });
  await new Promise<void>((resolve) => partnerSite.listen(4999, '127.0.0.1', resolve));
  const site = await browser.newPage();
  await site.goto(`${partner}/aanmelden`);
  const widget = site.frameLocator('iframe');
  await expect(widget.getByRole('heading', { level: 1 })).toHaveText('Uw ervaring met de proefles');
  await expect(widget.locator('header.site-header')).toHaveCount(0);
  await expect(widget.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await widget.locator('label.nps-option', { hasText: /^9$/ }).click();
  await expect(widget.getByTestId('followup')).toHaveText('Wat vond u het beste?');
  await widget.getByLabel('Wat vond u het beste?').fill('Een enthousiaste docent.');
  await widget.locator('fieldset.question label.nps-option', { hasText: /^5$/ }).click();
  await widget.getByRole('button', { name: 'Versturen' }).click();
  await expect(widget.getByText('Dank u wel, we gaan ermee aan de slag.')).toBeVisible();
  await site.close();
  partnerSite.close();

  // Both answers are in the responses list, each with its channel.
  await page.goto(`/responses?survey=${slug}`);
  const items = page.getByTestId('responses').locator('li.verbatim');
  await expect(items).toHaveCount(2);
  await expect(items.filter({ hasText: 'half uur te laat' })).toContainText('E-mail');
  await expect(items.filter({ hasText: 'enthousiaste docent' })).toContainText('Website');
  // The detail page shows the answer to the extra question.
  await items.filter({ hasText: 'half uur te laat' }).getByRole('link', { name: 'Details' }).click();
  await expect(page.getByTestId('answers')).toContainText('2 / 5');
});
