import type { Locator, Page } from '@playwright/test';

/** The Loaded table's row of a slot: "Default", or a named slot's name (its profile's). */
export function slotRow(page: Page, slot: string): Locator {
  return page
    .getByRole('row')
    .filter({ has: page.locator('.slot-name').getByText(slot, { exact: true }) });
}
