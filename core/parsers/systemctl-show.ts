/**
 * `systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState <units>`: `Key=value` lines, a blank line
 * between units -> service facts (the Linux agent's units; no pasted parser claims this output).
 */
import type { ServiceFact, ServiceState } from '../model/facts';

/** systemctl show blocks (`Key=value` lines, a blank line between units) -> service facts. */
export function parseSystemctlShow(text: string): ServiceFact[] {
  const facts: ServiceFact[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const kv = new Map<string, string>();
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) kv.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
    const id = kv.get('Id');
    if (!id) continue;
    const name = id.replace(/\.service$/, '');
    const load = kv.get('LoadState');
    const active = kv.get('ActiveState') ?? '';
    const sub = kv.get('SubState') ?? '';
    let state: ServiceState;
    if (load === 'not-found') state = 'not_found';
    else if (active === 'active' || active === 'reloading') state = sub === 'running' || sub === 'exited' || active === 'reloading' ? 'running' : 'unknown';
    else if (active === 'activating') state = 'start_pending';
    else if (active === 'deactivating') state = 'stop_pending';
    else if (active === 'inactive' || active === 'failed') state = 'stopped';
    else state = 'unknown';
    const fact: ServiceFact = { name, state };
    const unit = kv.get('UnitFileState');
    const startType = unit === 'enabled' ? 'automatic' : unit === 'disabled' || unit === 'masked' ? 'disabled' : unit === 'static' || unit === 'indirect' ? 'manual' : undefined;
    if (startType) fact.startType = startType;
    facts.push(fact);
  }
  return facts;
}
