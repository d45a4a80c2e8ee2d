import { parseArgs } from 'node:util';
import { startServerProcess } from '../src/testing/server-process.ts';
import { measure } from './measure.ts';
import { prepareScenario } from './scenarios.ts';
import { processCpuMs, startTarget } from './setup.ts';

/*
 * Does checkin.scan's own route (TRPC_SCAN_ROUTE, src/server/plugins/trpc.ts) earn its place? Two server
 * processes on one database, one with the route and one leaving checkin.scan to the stock tRPC plugin,
 * take turns under the same check-in load (short alternating rounds, order swapped each round), so that
 * whatever else the machine is doing falls on both alike. Compared: server CPU per scan and scans/s.
 *
 *   node --import tsx loadtest/scan-route-bench.ts [--rounds 6] [--seconds 3] [--connections 50]
 */
const { values: args } = parseArgs({ options: { rounds: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' } } });
const rounds = Number(args.rounds ?? 6);
const seconds = Number(args.seconds ?? 3);
const connections = Number(args.connections ?? 50);

const direct = await startTarget({ TRPC_SCAN_ROUTE: 'true' });
const stock = await startServerProcess(
  { DATABASE_URL: direct.database.url!, DATABASE_POOL_SIZE: '10', LOADTEST: 'true', TRPC_SCAN_ROUTE: 'false', RATE_LIMIT_ORDERS_PER_MINUTE: '0' },
  60_000,
);
try {
  const scenario = await prepareScenario('checkin', direct, { seconds: rounds * seconds * 2 });
  const sides = [
    { name: 'own route (createCaller)', url: direct.url, pid: direct.server.child.pid!, requests: 0, cpuMs: 0, seconds: 0, p99: [] as number[] },
    { name: 'stock tRPC plugin', url: stock.url, pid: stock.child.pid!, requests: 0, cpuMs: 0, seconds: 0, p99: [] as number[] },
  ];
  // Warm both (JIT, the event's key, prepared statements) before counting.
  for (const side of sides) await measure({ url: side.url, title: 'warm-up', seconds: 2, connections, requests: scenario.requests });
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const cpu = processCpuMs(side.pid);
      const m = await measure({ url: side.url, title: side.name, seconds, connections, requests: scenario.requests });
      if (m.errors || m.non2xx) throw new Error(`${side.name}: ${m.errors} errors, ${m.non2xx} non-2xx`);
      side.cpuMs += processCpuMs(side.pid) - cpu;
      side.requests += m.requests;
      side.seconds += m.seconds;
      side.p99.push(m.p99Ms);
    }
  }
  const rows = sides.map((s) => ({
    side: s.name,
    scansPerSec: Math.round(s.requests / s.seconds),
    serverCpuMsPerScan: Math.round((s.cpuMs / s.requests) * 1000) / 1000,
    p99MsPerRound: s.p99,
  }));
  console.table(rows);
  const [own, plugin] = rows as [(typeof rows)[0], (typeof rows)[0]];
  console.log(
    JSON.stringify({ rounds, seconds, connections, rows, cpuRatioStockToOwn: Math.round((plugin.serverCpuMsPerScan / own.serverCpuMsPerScan) * 100) / 100 }, null, 2),
  );
} finally {
  await stock.stop();
  await direct.close();
}
