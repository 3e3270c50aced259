import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS } from '../../../src/server/jobs/runner.js';
import { runTrialExpiry } from '../../../src/server/jobs/trialExpiry.js';
import { as, createTestApp, mailsTo, signUpVerified, type TestApp } from '../../harness/testApp.js';
import { bookApp, createCompany, createTrial } from '../../harness/factories.js';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t?.close(); });

const DAY = 86_400_000;

describe('trial expiry job (SPEC 4.7)', () => {
  it('is one of the background jobs', () => {
    expect(JOBS.map((j) => j.name)).toContain('trial-expiry');
  });

  it('warns once 24 hours before the end, then deletes the trial App at the end; booked Apps are untouched', async () => {
    const dev = await signUpVerified(t, { firstName: 'Tina' });
    const name = await createTrial(t, dev);
    const company = await createCompany(t, dev);
    const booked = await bookApp(t, dev, company);
    try {
      t.clock.advance(5 * DAY);
      expect(await runTrialExpiry(t.services)).toEqual({ warned: 0, deleted: 0 });
      t.clock.advance(DAY + 60 * 60_000);
      // Several processes may run the job at once: each App is warned exactly once.
      const runs = await Promise.all([runTrialExpiry(t.services), runTrialExpiry(t.services), runTrialExpiry(t.services)]);
      expect(runs.reduce((n, r) => n + r.warned, 0)).toBe(1);
      const warnings = await mailsTo(t.services.db, dev.email, 'trial-ending');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].subject).toContain(name);
      expect(warnings[0].textBody).toContain(`http://dashboard.test/apps/${name}`);
      expect((await as(t, dev).get(`/api/v1/apps/${name}`)).statusCode).toBe(200);

      t.clock.advance(DAY);
      const ends = await Promise.all([runTrialExpiry(t.services), runTrialExpiry(t.services)]);
      expect(ends.reduce((n, r) => n + r.deleted, 0)).toBe(1);
      expect(await mailsTo(t.services.db, dev.email, 'trial-expired')).toHaveLength(1);
      expect((await as(t, dev).get(`/api/v1/apps/${name}`)).statusCode).toBe(404);
      expect((await as(t, dev).get(`/api/v1/apps/${booked}`)).statusCode).toBe(200);
      const events = await t.services.db.execute(sql`SELECT action, actor_id FROM activity_events WHERE app_name = ${name} ORDER BY id`);
      expect(events.rows).toEqual([{ action: 'app.trial_created', actor_id: dev.id }, { action: 'app.trial_expired', actor_id: null }]);
      // The name is reserved; a new trial may start.
      const other = await signUpVerified(t);
      expect((await as(t, other).post('/api/v1/apps', { name, region: 'eu1', trial: true })).json().code).toBe('app_name_taken');
      expect((await as(t, dev).post('/api/v1/apps', { name: `${name}-2`, region: 'eu1', trial: true })).statusCode).toBe(201);
      expect(await runTrialExpiry(t.services)).toEqual({ warned: 0, deleted: 0 });
    } finally {
      t.clock.reset();
    }
  });

  it('deletes a trial that ended while no job ran, without a late warning', async () => {
    const dev = await signUpVerified(t);
    const name = await createTrial(t, dev);
    try {
      t.clock.advance(8 * DAY);
      expect(await runTrialExpiry(t.services)).toMatchObject({ warned: 0 });
      expect(await mailsTo(t.services.db, dev.email, 'trial-ending')).toHaveLength(0);
      expect((await as(t, dev).get(`/api/v1/apps/${name}`)).statusCode).toBe(404);
    } finally {
      t.clock.reset();
    }
  });
});
