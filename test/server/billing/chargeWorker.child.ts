/**
 * A charge worker in its own process, for the crash test (crash.test.ts): it runs the payment
 * job (runPayments) once against DATABASE_URL or the PGlite directory PGLITE_DIR, with the clock
 * at NOW. With STOP_AFTER_CHARGE=<invoice number> it stops dead right after the provider charged
 * that invoice and before the result is committed: it prints "charged <idempotency key>" and
 * waits, so the parent can SIGKILL it at exactly that point.
 */
import pino from 'pino';
import { openDatabase } from '../../../src/server/db/client.js';
import { runPayments } from '../../../src/server/jobs/chargeInvoices.js';
import type { PaymentProvider } from '../../../src/server/modules/payments/provider.js';
import { createServices } from '../../../src/server/services.js';
import { testConfig } from '../../harness/testApp.js';

async function main() {
  const now = new Date(process.env.NOW!);
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || null, pgliteDir: process.env.PGLITE_DIR, noLock: true });
  const services = await createServices(testConfig(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}), {
    clock: { now: () => now }, log: pino({ level: 'silent' }), database, rateLimit: false,
  });
  const stopAfter = process.env.STOP_AFTER_CHARGE;
  const real = services.payments;
  const payments: PaymentProvider = Object.assign(Object.create(Object.getPrototypeOf(real)), real, {
    charge: async (request: Parameters<PaymentProvider['charge']>[0]) => {
      const result = await real.charge(request);
      if (stopAfter && request.description.includes(stopAfter)) {
        process.stdout.write(`charged ${request.idempotencyKey}\n`);
        await new Promise(() => {}); // killed here, between the charge and the commit of its result
      }
      return result;
    },
  });
  const done = await runPayments({ ...services, payments });
  process.stdout.write(`done ${JSON.stringify(done)}\n`);
  await services.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
