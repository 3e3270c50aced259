import pg from 'pg';

/** The same PostgreSQL server as DATABASE_URL, another database. */
export function urlFor(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Drops and creates a database (the bench owns bench_* databases only). */
export async function recreateDatabase(base: string, database: string): Promise<string> {
  if (!/^bench_[a-z0-9_]+$/.test(database)) throw new Error(`refusing to recreate ${database}: not a bench_ database`);
  const admin = new pg.Client({ connectionString: urlFor(base, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return urlFor(base, database);
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
