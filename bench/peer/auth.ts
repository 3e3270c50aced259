import { betterAuth } from 'better-auth';
import { organization } from 'better-auth/plugins';
import pg from 'pg';

/**
 * The peer: Better Auth 1.7 with its organization plugin, configured as its docs show,
 * on its own database with its own (generated) schema. Rate limiting and telemetry are
 * off so the numbers measure the request path, not the limiter.
 */
export function createPeerAuth(opts: { databaseUrl: string; baseURL: string; secret: string; poolSize?: number }) {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
  const auth = betterAuth({
    database: pool,
    baseURL: opts.baseURL,
    secret: opts.secret,
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    trustedOrigins: [opts.baseURL],
    plugins: [organization({ sendInvitationEmail: async () => { /* the bench sends no mail */ } })],
  });
  return { auth, pool };
}
