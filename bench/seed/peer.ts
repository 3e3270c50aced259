import type pg from 'pg';
import { layout, MAIN_DEV, MAIN_DEV_COMPANIES, type Scale } from '../shape.js';

/**
 * Seeds Better Auth's schema (created by its own getMigrations) with the same shapes as
 * ours: the same Accounts (users), sessions with the same tokens, Companies as
 * organizations, the same memberships (collaborator and accountant become `member`), and
 * one pending invitation per accept-pool invitee. Apps have no counterpart in the peer.
 */
export function peerSeedStatements(s: Scale): { label: string; sql: string }[] {
  const l = layout(s);
  const C = s.companies;
  const collab = (j: string) => `'acc_' || (${l.baseMisc} + 1 + (${j} % ${l.misc}))`;
  const accountant = (j: string) => `'acc_' || (${l.baseMisc} + 1 + ((${j} * 7 + 3) % ${l.misc}))`;
  const member = (org: string, user: string, role: string) => `'m_' || ${org} || '_' || ${user}, ${org}, ${user}, ${role}`;
  return [
    {
      label: 'users',
      sql: `INSERT INTO "user" (id, name, email, "emailVerified", "createdAt", "updatedAt")
        SELECT 'acc_' || i, 'First' || i || ' Last' || i, 'u' || i || '@bench.test', true, now() - interval '90 days', now() - interval '90 days'
        FROM generate_series(1, ${s.accounts}) i`,
    },
    {
      label: 'sessions',
      sql: `INSERT INTO "session" (id, token, "userId", "expiresAt", "createdAt", "updatedAt")
        SELECT 'ses_' || i, md5('bench-session-' || i), 'acc_' || i, now() + interval '6 days', now(), now()
        FROM generate_series(1, ${s.accounts}) i`,
    },
    {
      label: 'organizations',
      sql: `INSERT INTO organization (id, name, slug, "createdAt") SELECT 'co_' || j, 'Company ' || j, 'company-' || j, now() - interval '60 days' FROM generate_series(1, ${C}) j`,
    },
    {
      label: 'members: owners',
      sql: `INSERT INTO member (id, "organizationId", "userId", role, "createdAt")
        SELECT ${member(`('co_' || j)`, `('acc_' || (${l.baseOwner} + j))`, `'owner'`)}, now() - interval '60 days' FROM generate_series(1, ${C}) j`,
    },
    {
      label: 'members: agency admins',
      sql: `INSERT INTO member (id, "organizationId", "userId", role, "createdAt")
        SELECT ${member(`('co_' || j)`, `'acc_${MAIN_DEV}'`, `'admin'`)}, now() - interval '59 days' FROM generate_series(1, ${MAIN_DEV_COMPANIES}) j
        UNION ALL
        SELECT ${member(`('co_' || ((((k - 2) * 397) + t) % ${C} + 1))`, `('acc_' || k)`, `'admin'`)}, now() - interval '59 days'
        FROM generate_series(2, ${s.agencyDevs}) k, LATERAL generate_series(0, 99 + ((k * 137) % 301)) t`,
    },
    {
      label: 'members: collaborators and accountants',
      sql: `INSERT INTO member (id, "organizationId", "userId", role, "createdAt")
        SELECT ${member(`('co_' || j)`, collab('j'), `'member'`)}, now() - interval '30 days' FROM generate_series(1, ${C}) j WHERE j % 3 = 0 OR j = 1
        ON CONFLICT DO NOTHING;
        INSERT INTO member (id, "organizationId", "userId", role, "createdAt")
        SELECT ${member(`('co_' || j)`, accountant('j'), `'member'`)}, now() - interval '30 days' FROM generate_series(1, ${C}) j WHERE j % 5 = 0 OR j = 1
        ON CONFLICT DO NOTHING`,
    },
    {
      // Invitee t is invited into organization ((t - 1) % C) + 1 by its owner.
      label: 'invitations: pending (accept pool)',
      sql: `INSERT INTO invitation (id, "organizationId", email, role, status, "expiresAt", "createdAt", "inviterId")
        SELECT 'inv_a_' || t, 'co_' || ((t - 1) % ${C} + 1), 'u' || (${l.baseInvitee} + t) || '@bench.test', 'member', 'pending',
          now() + interval '47 hours', now() - interval '1 hour', 'acc_' || (${l.baseOwner} + (t - 1) % ${C} + 1)
        FROM generate_series(1, ${s.acceptPool}) t`,
    },
  ];
}

export async function seedPeer(client: pg.ClientBase, s: Scale, log: (m: string) => void): Promise<Record<string, number>> {
  await client.query('SET synchronous_commit = off');
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const step of peerSeedStatements(s)) {
    const t0 = performance.now();
    await client.query(step.sql);
    log(`  peer: ${step.label} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  await client.query('VACUUM ANALYZE');
  // Flush the seed's dirty pages now, so no checkpoint competes with the measurements.
  await client.query('CHECKPOINT');
  const counts: Record<string, number> = {};
  for (const table of ['user', 'session', 'organization', 'member', 'invitation']) {
    const r = await client.query(`SELECT count(*)::int AS n FROM "${table}"`);
    counts[table] = r.rows[0].n;
  }
  return counts;
}
