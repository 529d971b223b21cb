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
});
