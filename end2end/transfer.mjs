// What a page transfers, as Chromium reports it: the document and every resource it loads, by
// kind, in bytes on the wire (compressed) and decoded. For the README's bundle figures.
//
//   node transfer.mjs http://127.0.0.1:3000/s/klantenservice http://127.0.0.1:3000/login
import { chromium } from '@playwright/test';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
for (const url of process.argv.slice(2)) {
  const context = await browser.newContext({ locale: 'nl-NL' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const sizes = new Map();
  const kinds = new Map();
  cdp.on('Network.responseReceived', (e) => kinds.set(e.requestId, [e.type, e.response.url]));
  cdp.on('Network.loadingFinished', (e) => sizes.set(e.requestId, e.encodedDataLength));
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.waitForTimeout(500);
  const rows = [];
  let total = 0;
  let code = 0;
  for (const [id, [type, resource]] of kinds) {
    const bytes = sizes.get(id) ?? 0;
    total += bytes;
    if (type === 'Script' || resource.endsWith('.wasm')) code += bytes;
    rows.push(`  ${type.padEnd(10)} ${String(bytes).padStart(9)}  ${resource}`);
  }
  console.log(`${url}\n${rows.join('\n')}\n  total ${total} bytes; JavaScript + WebAssembly ${code} bytes`);
  await context.close();
}
await browser.close();
