import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { jargonIn } from '../../src/shared/i18n/jargon';
import { checkA11y, DESKTOP, PHONE, SCREENSHOT_DIR } from './helpers';

/**
 * Issue 17: what a client reads on a page, checked against the developer words of
 * src/shared/i18n/jargon.ts (the same list test/web/jargon.test.ts holds the catalogues to).
 * The whole rendered text counts: heading, body, navigation and footer, as the person sees it.
 */
export async function expectNoJargon(page: Page, name: string) {
  const text = await page.locator('body').innerText();
  expect(jargonIn(text), `developer words on ${name}`).toEqual([]);
}

/**
 * English words a German page should not hold: short function words that are not German too
 * ("will", "an", "so" and "was" are, so they are not here). A German page that shows one of
 * these has a sentence the catalogue does not translate, or an English answer of the server.
 */
const ENGLISH = ['the', 'and', 'your', 'you', 'with', 'this', 'that', 'for', 'is', 'are', 'of', 'please', 'has', 'have', 'from', 'here'];
const english = new RegExp(`(?<![\\p{L}\\p{N}@.-])(${ENGLISH.join('|')})(?![\\p{L}\\p{N}@.-])`, 'giu');

export function englishIn(text: string): string[] {
  return [...text.matchAll(english)].map((m) => m[1]);
}

export async function expectNoEnglish(page: Page, name: string) {
  // Lists of choices are names, not sentences: the country list has "Isle of Man" and "Island (IS)".
  const text = await page.locator('body').evaluate((body: HTMLElement) => {
    const options = new Set([...body.querySelectorAll('option')].map((o) => o.textContent?.trim()));
    return body.innerText.split('\n').filter((line: string) => !options.has(line.trim())).join('\n');
  });
  const found = englishIn(text);
  expect(found, `English words on ${name}: ${found.join(', ')}\n${found.length ? text : ''}`).toEqual([]);
}

/**
 * A client's page in German: axe at 1280 and at 375 px, nothing scrolls sideways on the
 * phone, no developer word, no English sentence; a full-page screenshot at both widths. The
 * page is left at the phone width, where the story walks.
 */
export async function lookAtGermanPage(page: Page, name: string, testInfo: TestInfo) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('h1')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  const fullPage = (await page.getByRole('dialog').or(page.getByRole('alertdialog')).count()) === 0;
  for (const [label, size] of [['desktop', DESKTOP], ['375', PHONE]] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    if (label === '375') {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      // Names what sticks out, so a failure says where to look.
      const wide = overflow > 0 ? await page.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(-5).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.textContent ?? '').slice(0, 40)}"`)) : [];
      expect(overflow, `${name} scrolls sideways at 375 px: ${wide.join('; ')}`).toBeLessThanOrEqual(0);
    }
    await checkA11y(page, `${name} (${label})`);
    const file = path.join(SCREENSHOT_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage });
    await testInfo.attach(`${name}-${label}`, { path: file, contentType: 'image/png' });
  }
  await expectNoJargon(page, name);
  await expectNoEnglish(page, name);
}
