import { expect, test } from '@playwright/test';
import { newPassword, signUpAndVerify, uniqueEmail, visit } from './helpers';

/**
 * Issue 15 ("every place that takes a card": adding a billing contact): an owner adds a second
 * billing contact with its own card on the Company's Billing section (sandbox card fields here;
 * with PAYMENT_PROVIDER=stripe the same form shows Stripe's Payment Element, ADR 0085).
 */
test('an owner adds a second billing contact with its own card', async ({ page }, testInfo) => {
  await signUpAndVerify(page, { email: uniqueEmail('owner'), password: newPassword(), first: 'Olga', last: 'Owner' });
  await page.goto('/companies/new');
  const companyName = `Contacts ${Date.now().toString(36)}`;
  await page.getByLabel('Company name').fill(companyName);
  await page.getByLabel('Name on invoices').fill('Bakery Schmidt GmbH');
  await page.getByLabel('Street and number').fill('Hauptstraße 1');
  await page.getByLabel('Postal code').fill('10115');
  await page.getByLabel('City').fill('Berlin');
  await page.getByLabel('Country').selectOption('DE');
  await page.getByLabel('E-mail for invoices').fill('billing@bakery.example');
  await page.getByLabel('Card number').fill('4242 4242 4242 4242');
  await page.getByLabel('Expiry date').fill('12/34');
  await page.getByLabel('Security code (CVC)').fill('123');
  await page.getByRole('button', { name: 'Set up Company' }).click();
  await expect(page.getByRole('heading', { level: 1, name: companyName })).toBeVisible();

  const billing = page.getByRole('region', { name: 'Billing', exact: true });
  // The section has loaded all its parts (on a busy machine they arrive one by one and move the button).
  await expect(billing.getByText('Current card: Visa ending in 4242, expires 12/2034')).toBeVisible();
  await expect(billing.getByText(/No invoices yet/)).toBeVisible();
  await billing.getByRole('button', { name: 'Add a billing contact' }).click();
  const form = billing.getByRole('form', { name: 'A new billing contact' });
  await expect(form).toBeVisible();
  // Nothing filled in: each missing field says so, nothing is sent.
  await form.getByRole('button', { name: 'Add the billing contact' }).click();
  await expect(form.getByLabel('Name on invoices')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Card number')).toHaveAttribute('aria-invalid', 'true');
  await visit(page, 'billing-contact-add-errors', testInfo);

  await form.getByLabel('Name on invoices').fill('Schmidt Catering KG');
  await form.getByLabel('Street and number').fill('Marktplatz 2');
  await form.getByLabel('Postal code').fill('80331');
  await form.getByLabel('City').fill('München');
  await form.getByLabel('Country').selectOption('DE');
  await form.getByLabel('E-mail for invoices').fill('catering@bakery.example');
  // A declined card is refused in plain words, and the contact is not added.
  await form.getByLabel('Card number').fill('4000 0000 0000 0002');
  await form.getByLabel('Expiry date').fill('11/33');
  await form.getByLabel('Security code (CVC)').fill('321');
  await form.getByRole('button', { name: 'Add the billing contact' }).click();
  await expect(form.getByRole('alert').filter({ hasText: /declined/i }).first()).toBeVisible();
  await form.getByLabel('Card number').fill('5555 5555 5555 4444');
  await form.getByRole('button', { name: 'Add the billing contact' }).click();

  await expect(billing.getByText('The billing contact Schmidt Catering KG is added.')).toBeVisible();
  const contacts = page.getByRole('list', { name: 'Billing contacts' });
  await expect(contacts).toContainText('Schmidt Catering KG');
  await expect(contacts).toContainText('Mastercard ending in 4444, expires 11/2033');
  await expect(billing.getByText('Current card: Mastercard ending in 4444')).toBeVisible();
  await visit(page, 'billing-contact-added', testInfo);
});
