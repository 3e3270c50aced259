import type pg from 'pg';
import { layout, MAIN_DEV, MAIN_DEV_COMPANIES, PAID_PLAN, TRIAL_PLAN, type Scale } from '../shape.js';

/**
 * Seeds our schema (already migrated) with `generate_series` statements run inside
 * PostgreSQL: no rows cross the wire, so 1M Accounts take seconds, not minutes. Ids,
 * e-mails, session tokens and invitation token hashes follow bench/shape.ts.
 */
export function oursSeedStatements(s: Scale): { label: string; sql: string }[] {
  const l = layout(s);
  const C = s.companies;
  const trial = `'${JSON.stringify(TRIAL_PLAN)}'::jsonb`;
  const paid = `'${JSON.stringify(PAID_PLAN)}'::jsonb`;
  // Misc developer for Company j (collaborator) and a different one (accountant).
  const collab = (j: string) => `'acc_' || (${l.baseMisc} + 1 + (${j} % ${l.misc}))`;
  const accountant = (j: string) => `'acc_' || (${l.baseMisc} + 1 + ((${j} * 7 + 3) % ${l.misc}))`;
  const clientRange = `(i > ${l.baseInvitee} AND i <= ${l.baseMisc})`;
  return [
    {
      label: 'accounts',
      sql: `INSERT INTO accounts (id, email, name, email_verified, first_name, last_name, account_type, newsletter, created_at, updated_at)
        SELECT 'acc_' || i, 'u' || i || '@bench.test', 'First' || i || ' Last' || i, true, 'First' || i, 'Last' || i,
          CASE WHEN ${clientRange} THEN 'client' ELSE 'developer' END, false, now() - interval '90 days', now() - interval '90 days'
        FROM generate_series(1, ${s.accounts}) i`,
    },
    {
      label: 'sessions',
      sql: `INSERT INTO sessions (id, token, account_id, expires_at, created_at, updated_at)
        SELECT 'ses_' || i, md5('bench-session-' || i), 'acc_' || i, now() + interval '13 days', now(), now()
        FROM generate_series(1, ${s.accounts}) i`,
    },
    {
      label: 'companies',
      sql: `INSERT INTO companies (id, name, created_at) SELECT 'co_' || j, 'Company ' || j, now() - interval '60 days' FROM generate_series(1, ${C}) j`,
    },
    {
      label: 'memberships: owners',
      sql: `INSERT INTO memberships (company_id, account_id, role, created_at)
        SELECT 'co_' || j, 'acc_' || (${l.baseOwner} + j), 'owner', now() - interval '60 days' FROM generate_series(1, ${C}) j`,
    },
    {
      label: 'memberships: agency admins',
      sql: `INSERT INTO memberships (company_id, account_id, role, created_at)
        SELECT 'co_' || j, 'acc_${MAIN_DEV}', 'admin', now() - interval '59 days' FROM generate_series(1, ${MAIN_DEV_COMPANIES}) j
        UNION ALL
        SELECT 'co_' || ((((k - 2) * 397) + t) % ${C} + 1), 'acc_' || k, 'admin', now() - interval '59 days'
        FROM generate_series(2, ${s.agencyDevs}) k, LATERAL generate_series(0, 99 + ((k * 137) % 301)) t`,
    },
    {
      label: 'memberships: collaborators and accountants',
      sql: `INSERT INTO memberships (company_id, account_id, role, created_at)
        SELECT 'co_' || j, ${collab('j')}, 'collaborator', now() - interval '30 days' FROM generate_series(1, ${C}) j WHERE j % 3 = 0 OR j = 1
        ON CONFLICT DO NOTHING;
        INSERT INTO memberships (company_id, account_id, role, created_at)
        SELECT 'co_' || j, ${accountant('j')}, 'accountant', now() - interval '30 days' FROM generate_series(1, ${C}) j WHERE j % 5 = 0 OR j = 1
        ON CONFLICT DO NOTHING`,
    },
    {
      label: 'billing contacts',
      sql: `INSERT INTO billing_contacts (id, company_id, name, line1, postal_code, city, country, invoice_email, currency, pm_type, pm_brand, pm_last4, pm_exp_month, pm_exp_year, pm_reference, created_at)
        SELECT 'bc_' || j, 'co_' || j, 'Company ' || j, 'Street ' || j, '10115', 'Berlin', 'DE', 'billing' || j || '@bench.test', 'EUR', 'card', 'visa', '4242', 12, 2030, 'pm_bench_' || j, now() - interval '60 days'
        FROM generate_series(1, ${C}) j`,
    },
    {
      label: 'apps: Company Apps',
      sql: `INSERT INTO apps (id, name, region, status, company_id, billing_contact_id, created_by, plan, created_at)
        SELECT 'app_' || n, 'app-' || n, CASE WHEN n % 4 = 0 THEN 'us1' ELSE 'eu1' END, 'active', 'co_' || ((n - 1) % ${C} + 1), 'bc_' || ((n - 1) % ${C} + 1),
          'acc_' || (${l.baseOwner} + (n - 1) % ${C} + 1), ${paid}, now() - interval '50 days'
        FROM generate_series(1, ${l.companyApps}) n`,
    },
    {
      label: 'apps: trial Apps (invite and accept pools)',
      sql: `INSERT INTO apps (id, name, region, status, trial_account_id, created_by, plan, trial_ends_at, created_at)
        SELECT 'app_ti_' || t, 'trial-i-' || t, 'eu1', 'trial', 'acc_' || (${l.baseInvite} + t), 'acc_' || (${l.baseInvite} + t), ${trial}, now() + interval '6 days', now() - interval '1 day'
        FROM generate_series(1, ${s.invitePool}) t
        UNION ALL
        SELECT 'app_ta_' || t, 'trial-a-' || t, 'eu1', 'trial', 'acc_' || (${l.baseInviter} + t), 'acc_' || (${l.baseInviter} + t), ${trial}, now() + interval '6 days', now() - interval '1 day'
        FROM generate_series(1, ${s.acceptPool}) t`,
    },
    { label: 'app names', sql: `INSERT INTO app_names (name, app_id) SELECT name, id FROM apps` },
    {
      label: 'collaborator Apps',
      sql: `INSERT INTO collaborator_apps (company_id, account_id, app_id)
        SELECT m.company_id, m.account_id, 'app_' || substr(m.company_id, 4) FROM memberships m WHERE m.role = 'collaborator'
        AND substr(m.company_id, 4)::int <= ${l.companyApps}`,
    },
    {
      label: 'billing periods',
      sql: `INSERT INTO billing_periods (app_id, billing_contact_id, plan, monthly_price_cents, currency, from_day)
        SELECT id, billing_contact_id, plan, 2900, 'EUR', current_date - 50 FROM apps WHERE status = 'active'`,
    },
    {
      label: 'invitations: pending (accept pool)',
      sql: `INSERT INTO invitations (id, kind, token_hash, state, email, inviter_id, app_id, plan, expires_at, created_at)
        SELECT 'inv_a_' || t, 'client', encode(sha256(convert_to('bench-accept-' || t, 'UTF8')), 'hex'), 'pending',
          'u' || (${l.baseInvitee} + t) || '@bench.test', 'acc_' || (${l.baseInviter} + t), 'app_ta_' || t, ${paid}, now() + interval '71 hours', now() - interval '1 hour'
        FROM generate_series(1, ${s.acceptPool}) t`,
    },
    {
      label: 'invitations: history (accepted and revoked)',
      sql: `INSERT INTO invitations (id, kind, token_hash, state, email, inviter_id, company_id, app_id, plan, expires_at, created_at, decided_at)
        SELECT 'inv_h_' || n, 'client', encode(sha256(convert_to('bench-history-' || n, 'UTF8')), 'hex'), CASE WHEN n % 3 = 0 THEN 'revoked' ELSE 'accepted' END,
          'u' || (${l.baseOwner} + (n - 1) % ${C} + 1) || '@bench.test', 'acc_' || (${l.baseOwner} + (n - 1) % ${C} + 1), 'co_' || ((n - 1) % ${C} + 1), 'app_' || n, ${paid},
          now() - interval '40 days', now() - interval '43 days', now() - interval '42 days'
        FROM generate_series(1, ${Math.floor(l.companyApps / 5)}) n`,
    },
    {
      label: 'sandbox payment tokens (pre-authorised)',
      sql: `INSERT INTO sandbox_payment_tokens (token, brand, last4, exp_month, exp_year, outcome, created_at, used_at, used_for)
        SELECT 'tok_bench_a_' || t, 'visa', '4242', 12, 2030, 'ok', now(), now(), 'handover:inv_a_' || t FROM generate_series(1, ${s.acceptPool}) t`,
    },
    {
      label: 'activity events',
      sql: `INSERT INTO activity_events (at, actor_id, actor_name, company_id, app_id, app_name, action, category, details)
        SELECT now() - interval '50 days', created_by, 'Bench', company_id, id, name, 'app.created', 'app', '{}'::jsonb FROM apps WHERE status = 'active'`,
    },
  ];
}

export async function seedOurs(client: pg.ClientBase, s: Scale, log: (m: string) => void): Promise<Record<string, number>> {
  await client.query('SET synchronous_commit = off');
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const step of oursSeedStatements(s)) {
    const t0 = performance.now();
    await client.query(step.sql);
    log(`  ours: ${step.label} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  await client.query('VACUUM ANALYZE');
  // Flush the seed's dirty pages now, so no checkpoint competes with the measurements.
  await client.query('CHECKPOINT');
  const counts: Record<string, number> = {};
  for (const table of ['accounts', 'sessions', 'companies', 'memberships', 'apps', 'invitations', 'billing_contacts']) {
    const r = await client.query(`SELECT count(*)::int AS n FROM ${table}`);
    counts[table] = r.rows[0].n;
  }
  return counts;
}
