/**
 * Live-check benchmark: `check` with 10 endpoints of which 3 blackhole (accept TCP, never answer TLS), all on
 * loopback. Reports the wall time against the timeout (target: wall <= 1.2 x (timeout + 1 s)) and against running
 * the same probes one after another (the speed-up of running them concurrently).
 */
import { checkMachine } from '../core/sources/live/check';
import { RecordedRunner } from '../core/sources/live/command-runner';
import { Deadline } from '../core/sources/live/deadline';
import { probeEndpoint, type NetworkContext } from '../core/sources/live/network';
import { parseConnectTo } from '../core/sources/live/options';
import { Blackhole } from '../test/live/harness/servers';
import { LoopbackWorld } from '../test/live/harness/world';

export interface LiveBenchResult {
  timeoutMs: number;
  concurrentMs: number;
  sequentialMs: number;
  /** concurrentMs / (timeoutMs + 1000); target <= 1.2. */
  boundRatio: number;
  speedup: number;
  met: boolean;
}

const FAST = ['wac.azure.com', 'pas.windows.net', 'login.microsoftonline.com', 'management.azure.com', 'gbl.his.arc.azure.com', 'agentserviceapi.guestconfiguration.azure.com', 'guestnotificationservice.azure.com'];
const HOLES = ['hole1.example', 'hole2.example', 'hole3.example'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runLiveBench(opts: { timeoutMs?: number; runs?: number; out?: (line: string) => void } = {}): Promise<LiveBenchResult> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const runs = opts.runs ?? 3;
  const out = opts.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const world = await new LoopbackWorld().start();
  const hole = await new Blackhole().start();
  try {
    const connectTo = [...HOLES.map((h) => `${h}:443:127.0.0.1:${hole.port}`), `::127.0.0.1:${world.https.port}`];
    const options = world.options({
      timeoutMs, endpoints: [...FAST, ...HOLES], connectTo, runner: new RecordedRunner([]), platform: 'linux', localHttps: false,
    });

    const concurrent: number[] = [];
    await checkMachine(options); // warm-up: module loading, systeminformation
    for (let i = 0; i < runs; i++) {
      const t0 = Date.now();
      await checkMachine(options);
      concurrent.push(Date.now() - t0);
    }

    // The same probes one after another, each with the full timeout.
    const t0 = Date.now();
    for (const host of [...FAST, ...HOLES]) {
      const ctx: NetworkContext = {
        deadline: new Deadline(timeoutMs), resolvers: [{ address: '127.0.0.1', port: world.dns.port }], hosts: new Map(),
        overrides: connectTo.map(parseConnectTo), proxy: Promise.resolve(undefined), ca: [world.root.pem],
      };
      await probeEndpoint({ host, port: 443 }, ctx);
      ctx.deadline.dispose();
    }
    const sequentialMs = Date.now() - t0;

    const concurrentMs = median(concurrent);
    const boundRatio = concurrentMs / (timeoutMs + 1000);
    const speedup = sequentialMs / concurrentMs;
    const met = boundRatio <= 1.2;
    out(`live check, 10 endpoints (3 blackhole), timeout ${timeoutMs} ms, ${runs} runs, median`);
    out(`${'check (concurrent)'.padEnd(44)} ${concurrentMs.toFixed(0).padStart(7)} ms  vs timeout + 1 s ${(timeoutMs + 1000).toString().padStart(6)} ms  ratio ${boundRatio.toFixed(2)} (${(concurrentMs / timeoutMs).toFixed(2)} x timeout)`);
    out(`${'same probes one after another'.padEnd(44)} ${sequentialMs.toFixed(0).padStart(7)} ms  speed-up ${speedup.toFixed(1)}x`);
    out(`live bound target <= 1.2 x (timeout + 1 s): ${met ? 'met' : 'NOT met'}`);
    return { timeoutMs, concurrentMs, sequentialMs, boundRatio, speedup, met };
  } finally {
    await Promise.all([world.stop(), hole.stop()]);
  }
}

if (require.main === module) {
  runLiveBench().then((r) => { process.exitCode = r.met ? 0 : 1; }, (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
