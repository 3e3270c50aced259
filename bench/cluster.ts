import cluster from 'node:cluster';

/**
 * `--processes N`: our server as N processes behind Node's cluster module, all on one
 * PostgreSQL (SPEC section 6). The primary only forks and forwards connections.
 */
const processes = Math.max(1, Number(process.env.BENCH_PROCESSES ?? 2));

if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === processes) console.log(`cluster ready: ${processes} processes`);
  });
  cluster.on('exit', (worker, code) => {
    if (!shuttingDown) console.error(`worker ${worker.process.pid} exited with ${code}`);
  });
  let shuttingDown = false;
  process.on('SIGTERM', () => {
    shuttingDown = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 3000).unref();
    cluster.on('exit', () => { if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0); });
  });
  for (let i = 0; i < processes; i++) cluster.fork();
} else {
  await import('../src/server/main.js');
}
