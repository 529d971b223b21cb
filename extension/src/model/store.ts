/** The analysed targets, newest first; re-analysing a target replaces it in place. Indexed by id: a fleet export adds thousands at once. */
import type { AnalysisTarget } from './target';

export class TargetStore {
  private items: AnalysisTarget[] = [];
  private byId = new Map<string, AnalysisTarget>();
  private listeners: Array<() => void> = [];

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  list(): readonly AnalysisTarget[] {
    return this.items;
  }

  get(id: string): AnalysisTarget | undefined {
    return this.byId.get(id);
  }

  upsert(...targets: AnalysisTarget[]): void {
    const fresh = new Map<string, AnalysisTarget>();
    for (const t of targets) {
      if (this.byId.has(t.id)) this.byId.set(t.id, t);
      else fresh.set(t.id, t);
    }
    // As if each new one were put first in turn: the last new one leads.
    this.items = [...[...fresh.values()].reverse(), ...this.items.map((t) => this.byId.get(t.id)!)];
    for (const [id, t] of fresh) this.byId.set(id, t);
    this.changed();
  }

  remove(id: string): void {
    if (!this.byId.delete(id)) return;
    this.items = this.items.filter((t) => t.id !== id);
    this.changed();
  }

  /** Removes every target matching, as one change (a fleet's machines that are gone from its export). */
  removeWhere(match: (t: AnalysisTarget) => boolean): void {
    const gone = this.items.filter(match);
    if (!gone.length) return;
    for (const t of gone) this.byId.delete(t.id);
    this.items = this.items.filter((t) => this.byId.has(t.id));
    this.changed();
  }

  clear(): void {
    if (this.items.length === 0) return;
    this.items = [];
    this.byId.clear();
    this.changed();
  }
}
