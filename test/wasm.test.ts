import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { compileByteKeys, moduleText, MODULE } from '../scripts/build-wasm';

describe('the WebAssembly module (wasm/byte-keys.ts)', () => {
  it('committed in core/parsers/logs/byte-keys.wasm.ts is what its source compiles to (npm run build:wasm)', function () {
    this.timeout(120_000);
    assert.equal(readFileSync(MODULE, 'utf8'), moduleText(compileByteKeys()));
  });
});
