/**
 * The WAC port, from the most to the least authoritative source:
 * --port, the extension's settings, SmePort, the modern gateway's appsettings.json, then 6516 (the default).
 */
import { observe, type Observation } from '../model/facts';
import type { FactStore } from '../engine/fact-store';

export function combineWacPort(facts: FactStore, optionPort?: number): Observation<'wac.port'> {
  if (optionPort !== undefined) return observe('wac.port', { port: optionPort, source: 'option' }, []);
  const ext = facts.resolve('extension.adminCenter');
  if (ext?.value.settingsPort !== undefined) {
    const portLines = ext.evidence.filter((e) => /"?port"?\s*[:=]/i.test(e.excerpt ?? ''));
    return observe('wac.port', { port: ext.value.settingsPort, source: 'extension' }, portLines.length ? portLines : ext.evidence);
  }
  const reg = facts.resolve('registry.serverManagementGateway');
  if (reg?.value.smePort !== undefined) return observe('wac.port', { port: reg.value.smePort, source: 'SmePort' }, reg.evidence);
  const app = facts.resolve('wac.appsettingsPort');
  if (app) return observe('wac.port', { port: app.value, source: 'appsettings' }, app.evidence);
  return observe('wac.port', { port: 6516, source: 'default' }, []);
}
