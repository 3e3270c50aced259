import { loadConfig, type Config } from './config.js';
import { exitOnError } from './exitCodes.js';
import { buildApp } from './http/app.js';
import { startJobs } from './jobs/runner.js';
import { createLogger, createServices } from './services.js';
import { startSshServer } from './ssh/server.js';
import { checkListen, describeListenError, ListenError } from './startupChecks.js';
import { buildWeb, WebBuildError, webBuildState } from './webBuild.js';

/**
 * Composition root: config -> port -> web build -> database -> services -> http -> listen.
 * Everything an operator can get wrong ends in one sentence and an exit code
 * (docs/configuration.md): 2 configuration, 3 DATA_DIR in use, 4 the port, 5 the database, 6 the web build.
 */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, config.logFormat);
  // Before anything slow: a taken port is found in a second, not after migrating.
  await checkListen(config.host, config.port);

  if (!config.skipWebBuild) {
    const web = webBuildState();
    if (web.state === 'fresh') {
      log.info({ webBuild: web.hash }, 'web app is up to date with its sources');
    } else {
      log.info({ webBuild: web.hash }, web.state === 'missing'
        ? 'building the web app (first start)… this takes about 20 seconds'
        : 'the web app sources changed since the last build: building the web app again…');
      await new Promise((resolve) => setTimeout(resolve, 50)); // lets the log line out before vite's own output
      await buildWeb(web.hash);
      log.info('web app built');
    }
  }

  const services = await createServices(config, { log });
  try {
    await services.database.migrate();
  } catch (err) {
    await services.close().catch(() => {});
    throw err;
  }
  log.info({ database: services.database.kind }, 'database migrated');
  const app = await buildApp(services);
  const jobs = startJobs(services);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await jobs.stop();
    await services.close().catch(() => {});
    const message = describeListenError(err as NodeJS.ErrnoException, config.host, config.port);
    throw message ? new ListenError(message) : err;
  }
  // Git over SSH (SPEC 4.9) in the same process, on the same address; SSH_PORT=0 turns it off.
  const ssh = config.sshPort === 0 ? null : await startSshServer(services, { port: config.sshPort, host: config.host });
  if (ssh) {
    services.ssh.port = ssh.port;
    log.info(`git over SSH on port ${ssh.port} (host key ${services.ssh.hostKey().fingerprint})`);
  }
  log.info(readyLine(config));

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

function readyLine(config: Config): string {
  const where = config.host === '127.0.0.1' || config.host === 'localhost' || config.host === '::1'
    ? '' : ` (listening on ${config.host}:${config.port})`;
  const mail = config.smtpUrl ? '' : ` (no SMTP_URL: mails at ${config.publicUrl}/dev/mailbox, from this machine only)`;
  return `Dashboard ready at ${config.publicUrl}${where}${mail} · stop with Ctrl-C`;
}

/** Known failures print a sentence for a person, not a stack trace (src/server/exitCodes.ts). */
const exitFor = exitOnError({
  lockedHint: 'Only one process can use it: stop the other one, or set DATABASE_URL to use PostgreSQL for several processes.',
  known: [{ is: (err) => err instanceof ListenError, code: 4 }, { is: (err) => err instanceof WebBuildError, code: 6 }],
});

main().catch(exitFor);
