import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/lock.js';
import { buildApp, WEB_DIST } from './http/app.js';
import { startJobs } from './jobs/runner.js';
import { createLogger, createServices } from './services.js';
import { startSshServer } from './ssh/server.js';

/** Composition root: config -> database -> services -> http -> listen. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel, config.logFormat);
  if (!existsSync(path.join(WEB_DIST, 'index.html')) && !config.skipWebBuild) {
    log.info('building the web app (first start)…');
    const result = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('The web app build failed; see the output above.');
  }
  let services;
  try {
    services = await createServices(config, { log });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      console.error(err.message);
      process.exit(3);
    }
    throw err;
  }
  await services.database.migrate();
  log.info({ database: services.database.kind }, 'database migrated');
  const app = await buildApp(services);
  const jobs = startJobs(services);
  await app.listen({ port: config.port, host: config.host });
  // Git over SSH (SPEC 4.9) in the same process, on the same address; SSH_PORT=0 turns it off.
  const ssh = config.sshPort === 0 ? null : await startSshServer(services, { port: config.sshPort, host: config.host });
  if (ssh) {
    services.ssh.port = ssh.port;
    log.info(`git over SSH on port ${ssh.port} (host key ${services.ssh.hostKey().fingerprint})`);
  }
  log.info(`Dashboard ready at ${config.publicUrl}${config.smtpUrl ? '' : ` (no SMTP_URL: mails at ${config.publicUrl}/dev/mailbox)`}`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    await app.close();
    await ssh?.close();
    await jobs.stop();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
