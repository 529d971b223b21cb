/** The analysed targets, newest first; re-analysing a target replaces it in place. */
import type { AnalysisTarget } from './target';

export class TargetStore {
  private items: AnalysisTarget[] = [];
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
    return this.items.find((t) => t.id === id);
  }

  upsert(...targets: AnalysisTarget[]): void {
    for (const t of targets) {
      const i = this.items.findIndex((x) => x.id === t.id);
      if (i >= 0) this.items[i] = t;
      else this.items.unshift(t);
    }
    this.changed();
  }

  remove(id: string): void {
    const before = this.items.length;
    this.items = this.items.filter((t) => t.id !== id);
    if (this.items.length !== before) this.changed();
  }

  clear(): void {
    if (this.items.length === 0) return;
    this.items = [];
    this.changed();
  }
}
