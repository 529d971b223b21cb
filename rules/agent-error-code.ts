/**
 * agent-error-code: any AZCM error code the agent reported (azcmagent show "Agent Error Code", logs, pasted
 * errors), each explained from the documented catalog in core/catalog/azcm-codes.ts.
 */
import { clipText } from './support/text';
import { defineRule, fail, pass } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';
import { AZCM_HELP_URL, azcmCode, normalizeAzcmCode, type AzcmCode } from '../core/catalog/azcm-codes';
import type { AgentErrorFact } from '../core/model/facts';
import type { Fix } from '../core/model/types';

const MAX_DETAILS = 200;


interface Seen {
  code: string;
  entry?: AzcmCode;
  details?: string;
}

export default defineRule({
  meta: {
    id: 'agent-error-code',
    title: 'The agent reports no AZCM error code',
    category: 'agent',
    severity: 'fail',
    description: [
      'The Connected Machine agent reports failures as `AZCMnnnn` codes (`Agent Error Code` in `azcmagent show`, the',
      '`azcmagent` output and logs); the same number is the command exit code. Each code has a documented cause and',
      `remedy (${AZCM_HELP_URL}).`,
      '',
      '- **fail**: any error code was seen. Each is listed with its documented meaning; a code not in the catalog is',
      `  listed as unknown, with the help link. Codes that mean the agent service is not responding (AZCM0061, 0064-0066, 0070)`,
      '  come with a restart of `himds`. Where the page\'s separate exit-code table states a code differently (41, 44, 65-67,',
      '  70, 81, 82), that wording is given too.',
      '- **pass**: the error code is empty, the list of codes is empty, or the only code is AZCM0000 (success).',
    ].join('\n'),
    references: [
      'https://learn.microsoft.com/azure/azure-arc/servers/troubleshoot-agent-onboard',
      AZCM_HELP_URL,
    ],
    requires: [],
    anyOf: [['agent.errorCodes', 'agent.error']],
    optional: ['os'],
    appliesTo: ['pasted', 'bundle', 'live'],
    fixes: ['startService'],
  },
  check(ctx) {
    const list: AgentErrorFact[] = [...(ctx.get('agent.errorCodes') ?? [])];
    const single = ctx.get('agent.error');
    if (single) list.push(single);

    const seen: Seen[] = [];
    for (const e of list) {
      const raw = (e.code ?? '').trim();
      if (!raw) continue;
      const code = normalizeAzcmCode(raw) ?? clipText(raw, 40);
      const entry = azcmCode(raw);
      if (entry?.success) continue;
      const existing = seen.find((s) => s.code === code);
      const details = e.details?.trim() ? clipText(e.details, MAX_DETAILS) : undefined;
      if (existing) {
        if (!existing.details && details) existing.details = details;
        continue;
      }
      seen.push({ code, ...(entry ? { entry } : {}), ...(details ? { details } : {}) });
    }

    if (seen.length === 0) {
      const where = single && !single.code?.trim() ? 'azcmagent show reports an empty agent error code' : 'no AZCM error code was found in the inputs';
      return pass(`No agent error: ${where}.`);
    }

    const described = seen.map((s) => {
      const exit = s.entry?.exitMeaning ? `; as exit code ${Number(s.code.slice(4))}, the exit-code table says: ${s.entry.exitMeaning}` : '';
      const meaning = s.entry ? `${s.entry.meaning}${exit}` : `unknown code, see ${AZCM_HELP_URL}`;
      return `${s.code} (${meaning})${s.details ? `: "${s.details}"` : ''}`;
    });
    const remedies = seen.map((s) => `${s.code}: ${s.entry ? s.entry.remedy : 'not in the documented list; look it up.'}`);
    const fixList: Fix[] = [fixes.manual(`${remedies.join(' ')} Details for each code: ${AZCM_HELP_URL}`)];
    if (seen.some((s) => s.entry?.restartService === 'himds')) {
      fixList.push(fixes.startService(ctx.get('os')?.platform === 'linux' ? 'himdsd' : 'himds', true));
    }
    const noun = seen.length === 1 ? 'error code' : 'error codes';
    return fail(`The agent reported ${noun} ${described.join('; ')}.`, fixes.combine(...fixList));
  },
});
