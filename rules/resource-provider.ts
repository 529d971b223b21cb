/**
 * resource-provider: Microsoft.HybridConnectivity (which WAC's connections go through), and the Arc providers
 * Microsoft.HybridCompute and Microsoft.GuestConfiguration, must be registered on the subscription.
 */
import { defineRule, fail, pass, skip, warn } from '../core/engine/rule';
import { fixes, type KnownProvider } from '../core/catalog/fixes';
import type { SignatureHit } from '../core/model/facts';
import type { Fix } from '../core/model/types';

const PROVIDERS: readonly KnownProvider[] = ['Microsoft.HybridConnectivity', 'Microsoft.HybridCompute', 'Microsoft.GuestConfiguration'];
const SIGNATURES = ['missing-registration', 'no-registered-provider'];

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const canonical = (ns: string): KnownProvider | undefined => PROVIDERS.find((p) => p.toLowerCase() === ns.trim().toLowerCase());
const safeNamespace = (ns: string | undefined): string | undefined => (ns && /^[A-Za-z0-9]+(\.[A-Za-z0-9]+)+$/.test(ns.trim()) ? ns.trim() : undefined);

export default defineRule({
  meta: {
    id: 'resource-provider',
    title: 'The Azure resource providers WAC needs are registered',
    category: 'azure',
    severity: 'fail',
    description: [
      'Windows Admin Center connects through the `Microsoft.HybridConnectivity` resource provider, which must be',
      '`Registered` on the subscription (installing WAC tries to register it, which needs `*/register/action`).',
      'Arc-enabled servers also need `Microsoft.HybridCompute` and `Microsoft.GuestConfiguration`.',
      '',
      'Inputs: `az provider show -n <namespace>`, and log or error texts such as `The subscription isn\'t registered to',
      'use namespace \'...\'` or `NoRegisteredProviderFound`.',
      '',
      '- **fail**: a provider is `NotRegistered`, `Unregistered` or `Unregistering`, or an error text says one is not',
      '  registered and no current state contradicts it.',
      '- **warn**: a provider is `Registering`; or it is `Registered` now but an error text said it was not (if the',
      '  error continues, restart the agent, as documented for SSH through Arc).',
      '- **pass**: every provider seen is `Registered`; providers not seen are named.',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines#azure-account-with-an-active-subscription',
      'https://learn.microsoft.com/azure/azure-arc/servers/prerequisites#azure-resource-providers',
      'https://learn.microsoft.com/azure/azure-arc/servers/ssh-arc-troubleshoot',
    ],
    requires: [],
    anyOf: [['provider.microsoft.hybridconnectivity', 'provider.microsoft.hybridcompute', 'provider.microsoft.guestconfiguration', 'log.signatures']],
    optional: ['os'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['registerProvider', 'startService'],
  },
  check(ctx) {
    const states = new Map<KnownProvider, string>();
    for (const p of PROVIDERS) {
      const f = ctx.get(`provider.${p.toLowerCase()}`);
      if (f) states.set(p, f.registrationState.trim());
    }
    const hits: SignatureHit[] = (ctx.get('log.signatures') ?? []).filter((h) => SIGNATURES.includes(h.id));
    if (states.size === 0 && hits.length === 0) {
      return skip('Not checked: no resource provider state (az provider show -n Microsoft.HybridConnectivity -o json) and no registration errors in the logs or pasted text.');
    }

    /** Namespaces an error text says are not registered (known ones canonical, others as written if well formed). */
    const errored = new Map<string, SignatureHit>();
    let unnamed: SignatureHit | undefined;
    for (const h of hits) {
      const ns = safeNamespace(h.subject);
      if (!ns) {
        unnamed ??= h;
        continue;
      }
      const key = canonical(ns) ?? ns;
      if (!errored.has(key)) errored.set(key, h);
    }

    const failures: string[] = [];
    const warnings: string[] = [];
    const ok: string[] = [];
    const fixList: Fix[] = [];
    const when = (h: SignatureHit): string => (h.time ? ` at ${h.time}` : '');

    for (const p of PROVIDERS) {
      const state = states.get(p);
      const hit = errored.get(p);
      if (state === undefined) {
        if (hit) {
          failures.push(`an error${when(hit)} says the subscription is not registered for ${p}${p === 'Microsoft.HybridConnectivity' ? ', which Windows Admin Center connections go through' : ''}`);
          fixList.push(fixes.registerProvider(p));
        }
        continue;
      }
      const s = state.toLowerCase();
      if (s === 'registered') {
        if (hit) {
          warnings.push(`${p} is Registered now, but an error${when(hit)} said it was not registered; if that error continues, restart the agent`);
          fixList.push(fixes.startService(ctx.get('os')?.platform === 'linux' ? 'himdsd' : 'himds', true));
        } else ok.push(`${p} is Registered`);
      } else if (s === 'registering') {
        warnings.push(`${p} is still Registering; WAC can be installed and used once it is Registered`);
      } else if (s === 'notregistered' || s === 'unregistered' || s === 'unregistering') {
        failures.push(`${p} is ${state}${p === 'Microsoft.HybridConnectivity' ? ': Windows Admin Center connections go through it' : ''}`);
        fixList.push(fixes.registerProvider(p));
      } else {
        warnings.push(`${p} has registration state "${state}"`);
      }
    }
    for (const [ns, hit] of errored) {
      if (canonical(ns)) continue;
      failures.push(`an error${when(hit)} says the subscription is not registered for ${ns}`);
      fixList.push(fixes.manual(`Register the ${ns} resource provider on the subscription (Subscriptions > Resource providers), which needs */register/action.`));
    }
    if (unnamed && errored.size === 0) {
      failures.push(`an error${when(unnamed)} says a resource provider is not registered (the namespace was not named)`);
      fixList.push(fixes.registerProvider('Microsoft.HybridConnectivity'));
    }

    const unseen = PROVIDERS.filter((p) => !states.has(p) && !errored.has(p));
    const tail = unseen.length > 0 ? ` (state not seen: ${unseen.join(', ')})` : '';
    const fix = fixList.length === 0 ? undefined : fixList.length === 1 ? fixList[0] : fixes.combine(...fixList);
    if (failures.length > 0) return fail(cap(`${[...failures, ...warnings].join('; ')}${tail}.`), fix);
    if (warnings.length > 0) return warn(`${[...warnings, ...ok].join('; ')}${tail}.`, fix);
    return pass(`${ok.join('; ')}${tail}.`);
  },
});
