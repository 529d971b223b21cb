import { strict as assert } from 'node:assert';
import { PASTED_PARSERS } from '../parsers';
import { FILE_PARSERS } from '../parsers/files';
import { WINDOWS_COMMANDS } from '../sources/live/collector-spec';
import { BUNDLE_FILES, bundleFileSpec, liveCommand, specTable, textParser } from '.';

describe('specs: which file or command feeds which parser', () => {
  it('every live command names a parser that exists (or none), and resolves to it', () => {
    for (const c of WINDOWS_COMMANDS) {
      if (c.parser === 'none') assert.equal(liveCommand(c.id).textParser, undefined);
      else assert.equal(liveCommand(c.id).textParser?.id, c.parser, c.id);
    }
    assert.throws(() => liveCommand('no-such-command'), /no command spec/);
    assert.throws(() => textParser('no-such-parser'), /no parser/);
  });

  it('every bundle file spec has its parser; paths claim the layouts bundles have', () => {
    for (const s of BUNDLE_FILES) assert.ok(s.parser === 'snapshot-manifest' || FILE_PARSERS[s.parser], s.id);
    const claims = (p: string): string | undefined => bundleFileSpec(p)?.parser;
    assert.equal(claims('Packages/Plugins/Microsoft.AdminCenter.AdminCenter/0.31.0.0/Status/3.STATUS'), 'extension-status');
    assert.equal(claims('ProgramData/GuestConfig/extension_reports/Microsoft.AdminCenter.AdminCenter_report.txt'), 'extension-report');
    assert.equal(claims('ProgramData/AzureConnectedMachineAgent/Config/agentconfig.json'), 'agent-config');
    assert.equal(claims('etc/azcmagent/config.json'), 'local-config');
    assert.equal(claims('wac-doctor-snapshot.json'), 'snapshot-manifest');
    assert.equal(claims('ProgramData/AzureConnectedMachineAgent/Log/himds.log'), undefined);
  });

  it('the table: the .status format arrives by bundle path, by content and from the live collector alike', () => {
    const table = specTable();
    const status = table.find((s) => s.parser === 'extension-status')!;
    assert.ok(status.bundle.length > 0 && status.pasted);
    const show = table.find((s) => s.parser === 'azcmagent-show-json')!;
    assert.deepEqual([show.live, show.pasted], [['azcmagent-show'], true]);
    // Every pasted parser is in the table once.
    assert.equal(table.filter((s) => s.pasted).length, PASTED_PARSERS.length);
  });
});
