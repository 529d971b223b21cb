/**
 * memory: the WAC doc asks for at least 3 GiB of memory ("3 GB of RAM or more").
 */
import { defineRule, fail, pass, warn } from '../core/engine/rule';
import { fixes } from '../core/catalog/fixes';

const GIB = 1024 ** 3;
export const MIN_MEMORY_BYTES = 3 * GIB;
/**
 * The OS reports installed memory minus what firmware or the hypervisor reserves, so a machine sold or sized as
 * "3 GB" can show slightly under 3 GiB. Within 2% of the minimum is a warning, not a failure.
 */
export const MEMORY_TOLERANCE_BYTES = Math.round(MIN_MEMORY_BYTES * 0.98);

/** One decimal, rounded down so a value under the minimum never prints as "3.0". */
const gib = (bytes: number, digits = 1): string => {
  const f = 10 ** digits;
  return (Math.floor((bytes / GIB) * f) / f).toFixed(digits);
};

export default defineRule({
  meta: {
    id: 'memory',
    title: 'The machine has at least 3 GiB of memory',
    category: 'requirements',
    severity: 'fail',
    description: [
      'Windows Admin Center in the Azure portal needs at least 3 GiB (3 x 1024^3 bytes) of physical memory on the machine.',
      '',
      '- **pass**: total physical memory is 3 GiB or more.',
      '- **warn**: it is just under 3 GiB (within 2%): the OS reports installed memory minus firmware or hypervisor',
      '  reservations, so this is most likely a machine sized at 3 GB, right at the limit.',
      '- **fail**: it is less than that. The message gives the amount in GiB, rounded down to one decimal.',
    ].join('\n'),
    references: ['https://learn.microsoft.com/windows-server/manage/windows-admin-center/azure/manage-arc-hybrid-machines'],
    requires: ['memory.totalBytes'],
    appliesTo: ['pasted', 'bundle', 'live'],
  },
  check(ctx) {
    const bytes = ctx.get('memory.totalBytes')!;
    if (!Number.isFinite(bytes) || bytes <= 0) {
      return warn(`The reported physical memory (${String(bytes)} bytes) is not a usable amount, so the 3 GiB minimum could not be checked.`);
    }
    if (bytes >= MIN_MEMORY_BYTES) return pass(`The machine has ${gib(bytes)} GiB of physical memory (at least 3 GiB is needed).`);
    const add = fixes.manual('Give the machine at least 3 GiB of memory (for a VM, raise its memory assignment), then retry Windows Admin Center.');
    if (bytes >= MEMORY_TOLERANCE_BYTES) {
      return warn(
        `The machine reports ${gib(bytes, 2)} GiB of physical memory, just under the 3 GiB minimum; this is likely a 3 GB machine minus reserved memory, right at the limit.`,
        add,
      );
    }
    return fail(`The machine has ${gib(bytes)} GiB of physical memory; Windows Admin Center needs at least 3 GiB.`, add);
  },
});
