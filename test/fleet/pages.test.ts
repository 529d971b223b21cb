/** Export pages: each documented shape streamed row by row, and malformed pages as one clear error each. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPage, type PageResult } from '../../core/fleet/pages';
import { looksLikeFleetExport, sniffFleetExport } from '../../core/fleet/sniff';
import { classifyInput } from '../../core/sources/targets';
import { CLASSES } from '../../scripts/fleet-fixtures';
import { fixtureDir } from './support';

async function rows(path: string): Promise<{ page: PageResult; rows: Array<{ where: string; row: unknown }> }> {
  const out: Array<{ where: string; row: unknown }> = [];
  const page = await readPage(path, (row, where) => { out.push({ where, row }); });
  return { page, rows: out };
}

describe('fleet export pages', function () {
  const fx = fixtureDir();
  after(fx.cleanup);

  it('reads the az graph query, REST, Search-AzGraph and array shapes with their row paths and paging fields', async function () {
    const cases = [
      { file: 'query-az.json', shape: 'az-graph-query', first: 'data[0]' },
      { file: 'query-rest.json', shape: 'rest', first: 'data[0]' },
      { file: 'query-search-azgraph.json', shape: 'search-azgraph', first: 'Data[0]' },
      { file: 'query-array.json', shape: 'array', first: '[0]' },
    ] as const;
    for (const c of cases) {
      const { page, rows: got } = await rows(fx.file(c.file));
      assert.equal(page.error, undefined, c.file);
      assert.equal(page.shape, c.shape, c.file);
      assert.equal(got.length, CLASSES.length, c.file);
      assert.equal(got[0]!.where, c.first);
      assert.equal((got[3]!.row as { name: string }).name, `srv-${CLASSES[3]}`);
    }
    const paged = await rows(fx.file('paged-query-1.json'));
    assert.ok(paged.page.skipToken && paged.page.skipToken.length > 10);
    assert.equal(paged.page.totalRecords, CLASSES.length);
    assert.equal((await rows(fx.file('paged-query-2.json'))).page.skipToken, undefined);
    assert.equal((await rows(fx.file('paged-plain-1.json'))).page.skipToken, 'dG9rZW4tMQ==');
  });

  it('reads UTF-16 (PowerShell 5.1 `>`) and UTF-8 with a BOM', async function () {
    const text = readFileSync(fx.file('query-az.json'), 'utf8');
    const u16 = join(fx.dir, 'utf16.json');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const bom = join(fx.dir, 'bom.json');
    writeFileSync(bom, `\uFEFF${text}`);
    for (const p of [u16, bom]) {
      const { page, rows: got } = await rows(p);
      assert.equal(page.error, undefined);
      assert.equal(got.length, CLASSES.length);
      assert.equal(await classifyInput(p), 'fleet');
    }
  });

  it('a page cut in transfer: one line naming the file, the complete rows before the cut still handed on', async function () {
    const { page, rows: got } = await rows(fx.file('bad-truncated.json'));
    assert.match(page.error!, /bad-truncated\.json: is not complete JSON .* after \d+ complete rows? \(those were analyzed\)/);
    assert.ok(!page.error!.includes('\n'));
    assert.ok(got.length >= 1 && got.length < 3, `rows before the cut: ${got.length}`);
  });

  it('a page without data, an empty file and a scalar: errors naming the file', async function () {
    assert.match((await rows(fx.file('bad-no-data.json'))).page.error!, /bad-no-data\.json: no "data" array of rows/);
    const empty = join(fx.dir, 'empty.json');
    writeFileSync(empty, '');
    assert.match((await rows(empty)).page.error!, /empty\.json: is not complete JSON/);
    const missing = join(fx.dir, 'missing.json');
    assert.match((await rows(missing)).page.error!, /missing\.json: no such file/);
  });

  it('sniffs exports by content, not by name: wrappers, row arrays; not one machine, not a snapshot document', async function () {
    for (const f of ['query-az.json', 'query-rest.json', 'query-search-azgraph.json', 'query-array.json', 'plain-array.json', 'bad-truncated.json', 'bad-no-data.json']) {
      assert.equal(await sniffFleetExport(fx.file(f)), true, f);
    }
    const named = join(fx.dir, 'notes.txt');
    writeFileSync(named, readFileSync(fx.file('query-rest.json')));
    assert.equal(await classifyInput(named), 'fleet');
    const one = JSON.stringify([{ id: '/subscriptions/x/resourceGroups/r/providers/Microsoft.HybridCompute/machines/m', type: 'Microsoft.HybridCompute/machines', properties: { agentVersion: '1.50' } }]);
    assert.equal(looksLikeFleetExport(one), false, 'a one-machine list stays the az-machine parser\'s');
    assert.equal(looksLikeFleetExport(JSON.stringify({ id: 'x', type: 'Microsoft.HybridCompute/machines', properties: {} })), false);
    const extensionList = JSON.stringify([{ id: 'x/extensions/AdminCenter', type: 'Microsoft.HybridCompute/machines/extensions', properties: {} }, { id: 'x/extensions/AMA', type: 'Microsoft.HybridCompute/machines/extensions', properties: {} }]);
    assert.equal(looksLikeFleetExport(extensionList), false, 'az connectedmachine extension list stays the az-extension parser\'s');
    assert.equal(looksLikeFleetExport(JSON.stringify({ wacDoctorSnapshot: 1, data: [] })), false);
    assert.equal(looksLikeFleetExport('Agent Status : Connected'), false);
  });
});
