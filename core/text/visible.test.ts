import { strict as assert } from 'node:assert';
import { visible } from './visible';

describe('visible: input text made inert for a terminal, on one line', () => {
  it('shows escape sequences instead of passing them (clear screen, OSC 52 clipboard, 8-bit CSI)', () => {
    assert.equal(visible('a\u001b[2Jb'), 'a\\x1b[2Jb');
    assert.equal(visible('\u001b]52;c;ZXZpbA==\u0007'), '\\x1b]52;c;ZXZpbA==\\x07');
    assert.equal(visible('x\u009b31my'), 'x\\u009b31my');
    assert.equal(visible('del\u007f'), 'del\\x7f');
  });

  it('keeps a message on one line: newlines become ⏎, a lone CR is shown, separators too', () => {
    assert.equal(visible('one\ntwo\r\nthree'), 'one ⏎ two ⏎ three');
    assert.equal(visible('progress 10%\rFAKE'), 'progress 10%\\x0dFAKE');
    assert.equal(visible('a\u2028b\u2029c\u0085d'), 'a\\u2028b\\u2029c\\u0085d');
    assert.ok(!visible('\u0000\u0001\u001f\u000b\u000c').match(/[\u0000-\u001f]/));
  });

  it('shows bidirectional overrides (a line that reads differently from what it says), keeps ordinary text', () => {
    assert.equal(visible('evil\u202egol.exe'), 'evil\\u202egol.exe');
    assert.equal(visible('C:\\ProgramData\\AzureConnectedMachineAgent\tü 🙂'), 'C:\\ProgramData\\AzureConnectedMachineAgent ü 🙂');
  });
});
