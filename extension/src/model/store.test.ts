import { strict as assert } from 'node:assert';
import { TargetStore } from './store';
import { editorTarget } from './testing';

describe('extension target store', () => {
  it('puts new targets first, replaces re-analysed ones in place, and tells listeners', () => {
    const store = new TargetStore();
    let changes = 0;
    const sub = store.onDidChange(() => changes++);
    const a = editorTarget('Untitled-1', 'x');
    const b = editorTarget('Untitled-2', 'y');
    store.upsert(a);
    store.upsert(b);
    assert.deepEqual(store.list().map((t) => t.label), ['Untitled-2', 'Untitled-1']);
    const a2 = { ...editorTarget('Untitled-1', 'z') };
    store.upsert(a2);
    assert.deepEqual(store.list().map((t) => t.label), ['Untitled-2', 'Untitled-1']);
    assert.equal(store.get(a.id), a2);
    store.remove('nothing');
    store.remove(b.id);
    assert.equal(changes, 4, 'removing an unknown id is no change');
    sub.dispose();
    store.clear();
    assert.equal(changes, 4);
    assert.equal(store.list().length, 0);
  });

  it('adds a batch (a fleet) as one change, in the order one-by-one upserts would give, replacing known ones in place', () => {
    const [a, b, c, d] = ['Untitled-1', 'Untitled-2', 'Untitled-3', 'Untitled-4'].map((n) => editorTarget(n, n));
    const single = new TargetStore();
    for (const t of [a!, b!, c!]) single.upsert(t);
    const batch = new TargetStore();
    let changes = 0;
    batch.onDidChange(() => changes++);
    batch.upsert(a!, b!, c!);
    assert.deepEqual(batch.list().map((t) => t.label), single.list().map((t) => t.label));
    assert.equal(changes, 1);
    const b2 = editorTarget('Untitled-2', 'changed');
    batch.upsert(d!, b2);
    assert.deepEqual(batch.list().map((t) => t.label), ['Untitled-4', 'Untitled-3', 'Untitled-2', 'Untitled-1']);
    assert.equal(batch.get(b!.id), b2);
    assert.equal(batch.list()[2], b2);
    batch.remove(c!.id);
    assert.equal(batch.get(c!.id), undefined);
    assert.equal(batch.list().length, 3);
  });
});
