/**
 * clock-offset: a machine clock far from real time breaks TLS (certificate validity) and Entra ID tokens (not-before and
 * expiry checks), and so the agent's and WAC's connections. The limit used is 120 seconds, the figure issue 10 item 11
 * sets ("more than 120 s ... breaks TLS and tokens") [inferred: no Microsoft page for WAC in Azure states a number].
 * Inputs: `w32tm /query /status /verbose` (Phase Offset, Source) or `w32tm /stripchart` (offset samples)
 * (https://learn.microsoft.com/windows-server/networking/windows-time-service/windows-time-service-tools-and-settings).
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

export const MAX_OFFSET_SECONDS = 120;

const secs = (n: number): string => `${Math.abs(n) >= 10 ? Math.round(Math.abs(n)) : Math.abs(n).toFixed(3)} s`;

export default defineRule({
  meta: {
    id: 'clock-offset',
    title: 'The machine clock is within 120 seconds of its time source',
    category: 'requirements',
    severity: 'fail',
    description: [
      'TLS certificates and Microsoft Entra ID tokens carry validity times, so a clock far off breaks the agent\'s and',
      'WAC\'s connections. Inputs: `w32tm /stripchart /computer:time.windows.com /samples:3 /dataonly` (the offset is the',
      'median of the samples) or `w32tm /query /status /verbose` (`Phase Offset`, `Source`).',
      '',
      '- **pass**: the offset is at most 120 seconds.',
      '- **fail**: it is more than 120 seconds (fix: start Windows Time and resynchronize).',
      '- **warn**: the clock is not synchronized (`Source: Local CMOS Clock` or `Free-running System Clock`, or the',
      '  Windows Time service is not running) and no offset above the limit was measured.',
      '- **skip**: the output names a synchronized source but no offset.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/networking/windows-time-service/windows-time-service-tools-and-settings',
      'https://learn.microsoft.com/windows-server/networking/windows-time-service/windows-time-service-top',
    ],
    requires: ['clock'],
    appliesTo: ['pasted'],
    fixes: ['resyncClock'],
  },
  check(ctx) {
    const clock = ctx.get('clock')!;
    const from = clock.source ? ` (${clock.source})` : '';
    if (clock.offsetSeconds !== undefined && Number.isFinite(clock.offsetSeconds)) {
      if (Math.abs(clock.offsetSeconds) > MAX_OFFSET_SECONDS) {
        return fail(`The machine clock is ${secs(clock.offsetSeconds)} off its time source${from}, more than ${MAX_OFFSET_SECONDS} s: token and TLS time checks (not-before, expiry) can fail, and with them the agent's and WAC's connections.`, fixes.resyncClock());
      }
      if (clock.unsynchronized) return warn(`The clock is ${secs(clock.offsetSeconds)} off, but it is not synchronized${from}: it will drift.`, fixes.resyncClock());
      return pass(`The machine clock is ${secs(clock.offsetSeconds)} off its time source${from} (at most ${MAX_OFFSET_SECONDS} s is fine).`);
    }
    if (clock.unsynchronized) return warn(`The clock is not synchronized${from}, so it drifts; the offset was not shown (w32tm /stripchart /computer:time.windows.com /samples:3 /dataonly).`, fixes.resyncClock());
    return skip(`The clock synchronizes with ${clock.source ?? 'a time source'}, but the output shows no offset (w32tm /query /status /verbose, or w32tm /stripchart /computer:time.windows.com /samples:3 /dataonly).`);
  },
});
