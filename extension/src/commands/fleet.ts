/** The Fleet view's own commands: its grouping and the next page of a capped list. */
import type { FleetNode } from '../tree/fleetNodes';
import type { FleetTree } from '../tree/fleetTree';

export async function groupFleet(fleet: FleetTree, grouping: 'rule' | 'machine'): Promise<void> {
  fleet.setGrouping(grouping);
}

export async function showMoreFleet(fleet: FleetTree, arg: unknown): Promise<void> {
  const node = arg as Partial<FleetNode> | undefined;
  if (node && typeof node === 'object' && node.kind === 'more' && node.more) fleet.showMore(node as FleetNode);
}
