/**
 * The Node floor for bundle analysis, run as its own process by the bundle bench (`node floor.js <zip>`): what
 * any Node tool must do to look at every line of a bundle, and nothing more. yauzl opens the zip and inflates
 * each entry (zlib), the bytes are decoded as UTF-8, split into blocks of complete lines, and one candidate
 * regex (a union of short literals, as the tool's grammars use) is run over each block. Prints the match count.
 * The tool's time divided by this is the number to push toward 1.
 */
import { StringDecoder } from 'node:string_decoder';
import * as yauzl from 'yauzl';

const CANDIDATES = /level=[wefp]|\[ERROR\]|\[WARN|Error {2}|Warning {2}/g;

function scanEntries(path: string): Promise<number> {
  let hits = 0;
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no zip'));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error('no stream'));
          const decoder = new StringDecoder('utf8');
          let carry = '';
          const scan = (block: string): void => {
            CANDIDATES.lastIndex = 0;
            while (CANDIDATES.exec(block)) hits++;
          };
          stream.on('data', (chunk: Buffer) => {
            let text = decoder.write(chunk);
            if (carry) {
              // Only the carried line is joined, never the chunk (as the tool's block splitter does).
              const nl = text.indexOf('\n');
              if (nl < 0) {
                carry += text;
                return;
              }
              scan(carry + text.slice(0, nl + 1));
              text = text.slice(nl + 1);
            }
            const last = text.lastIndexOf('\n');
            carry = text.slice(last + 1);
            if (last >= 0) scan(text.slice(0, last + 1));
          });
          stream.on('end', () => {
            if (carry) scan(carry);
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(hits));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

if (require.main === module) {
  scanEntries(process.argv[2]!).then(
    (hits) => process.stdout.write(`${hits}\n`),
    (err: Error) => {
      process.stderr.write(`floor failed: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
