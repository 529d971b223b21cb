/**
 * agent-status: WAC connects through the agent, so the agent must be Connected and heartbeating.
 * The agent heartbeats every 5 minutes and shows Disconnected after 15-30 minutes without one.
 */
import { defineRule, fail, pass, warn, type RuleOptions } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

/** A Connected agent whose last heartbeat is older than this (before the report time) is suspicious. */
export const HEARTBEAT_STALE_MINUTES = 30;

/** `3 min`, `2 h 5 min`, `4 days`. */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * "3 h before the report time", or, when the report time is the newest time the inputs state (when they were
 * captured, not when the report was made), said so: "the newest time in the inputs" instead of "0 min before".
 */
export function ageBefore(ms: number, options: RuleOptions): string {
  if (options.nowFrom === 'inputs') return ms < 60_000 ? 'the newest time the inputs state' : `${formatAge(ms)} before the newest time the inputs state`;
  return `${formatAge(ms)} before the report time`;
}

export default defineRule({
  meta: {
    id: 'agent-status',
    title: 'The Connected Machine agent is Connected and heartbeating',
    category: 'agent',
    severity: 'fail',
    description: [
      'Windows Admin Center reaches the machine through the Connected Machine agent, so the agent must be `Connected`.',
      'The agent sends a heartbeat every 5 minutes; Azure marks it `Disconnected` after 15-30 minutes without one, and',
      '`Expired` after a long disconnection (45 days), when it must be reconnected.',
      '',
      '- **fail**: `Agent Status` is `Disconnected` or `Expired`.',
      `- **warn**: \`Connected\`, but the last heartbeat is more than ${HEARTBEAT_STALE_MINUTES} minutes older than the report time`,
      '  (the output is old, or the agent stopped heartbeating); or the status is not one of the documented values.',
      '- **pass**: `Connected` with a recent heartbeat (or none shown).',
      '',
      'Heartbeat ages are measured from the report time, and given in the message.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/overview',
      'https://learn.microsoft.com/azure/azure-arc/servers/azcmagent-show',
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard',
    ],
    requires: ['agent.status'],
    optional: ['agent.lastHeartbeat', 'machine.resourceId'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['reconnectAgent'],
  },
  check(ctx) {
    const status = ctx.get('agent.status')!.trim();
    const heartbeat = ctx.get('agent.lastHeartbeat')?.trim() || undefined;
    const now = ctx.options.now.getTime();
    const hbTime = heartbeat ? Date.parse(heartbeat) : NaN;
    const age = Number.isNaN(hbTime) ? undefined : now - hbTime;
    const hbText = heartbeat === undefined
      ? ''
      : age === undefined
        ? ` (last heartbeat "${heartbeat}" is not a readable time)`
        : age < 0
          ? ` (last heartbeat ${heartbeat} is after the report time; clocks may differ)`
          : ` (last heartbeat ${heartbeat}, ${ageBefore(age, ctx.options)})`;

    switch (status.toLowerCase()) {
      case 'connected':
        if (age !== undefined && age > HEARTBEAT_STALE_MINUTES * 60_000) {
          return warn(
            `Agent status is Connected, but the last heartbeat ${heartbeat} is ${ageBefore(age, ctx.options)}; the agent heartbeats every 5 minutes, so either this output is old or the agent has stopped heartbeating (Azure then shows it Disconnected).`,
            fixes.reconnectAgent(ctx.get('machine.resourceId')),
          );
        }
        return pass(`Agent status is Connected${hbText}.`);
      case 'disconnected':
        return fail(
          `Agent status is Disconnected${hbText}: Azure has had no heartbeat for 15-30 minutes or more, so Windows Admin Center cannot reach the machine.`,
          fixes.reconnectAgent(ctx.get('machine.resourceId')),
        );
      case 'expired':
        return fail(
          `Agent status is Expired${hbText}: the agent has been disconnected for a long time (machines may expire after 45 days without a heartbeat); it must be disconnected and connected again before Windows Admin Center can work.`,
          fixes.reconnectAgent(ctx.get('machine.resourceId')),
        );
      default:
        return warn(`Agent status is "${status}"${hbText}, not one of Connected, Disconnected or Expired.`);
    }
  },
});
