/**
 * Test PKI generated at test time with the openssl CLI (Debian package `openssl`): node cannot create X.509
 * certificates itself. A trusted test root, an "inspection" root standing for a re-signing proxy, and leaves signed
 * by either, valid or expired, for any names.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Leaf {
  key: string;
  cert: string;
}

export interface Authority {
  name: string;
  pem: string;
  issue(commonName: string, names: string[], validity?: { start: Date; end: Date }): Promise<Leaf>;
}

const CA_CONFIG = `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = policy_any
copy_extensions = copy
unique_subject = no
[ policy_any ]
commonName = supplied
`;

const stamp = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('the openssl CLI is needed to create test certificates (Debian: apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

export class TestPki {
  private counter = 0;

  private constructor(readonly dir: string) {}

  static async create(): Promise<TestPki> {
    return new TestPki(await mkdtemp(join(tmpdir(), 'wac-doctor-pki-')));
  }

  async authority(name: string): Promise<Authority> {
    const dir = join(this.dir, `ca${++this.counter}`);
    await mkdir(dir);
    await writeFile(join(dir, 'ca.cnf'), CA_CONFIG);
    await writeFile(join(dir, 'index.txt'), '');
    await writeFile(join(dir, 'serial'), `${(1000 + this.counter).toString(16).padStart(4, '0')}\n`);
    await openssl(dir, [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
      '-subj', `/CN=${name}`, '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const pem = await readFile(join(dir, 'ca.pem'), 'utf8');
    let n = 0;
    // `openssl ca` rewrites its serial and index files: one issuance at a time per authority.
    let queue: Promise<unknown> = Promise.resolve();
    const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
      const next = queue.then(fn, fn);
      queue = next.catch(() => undefined);
      return next;
    };
    return {
      name,
      pem,
      issue: (commonName, names, validity) => serialized(async () => {
        const id = `leaf${++n}`;
        const start = validity?.start ?? new Date(Date.now() - 86_400_000);
        const end = validity?.end ?? new Date(Date.now() + 30 * 86_400_000);
        await openssl(dir, [
          'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`,
          '-subj', `/CN=${commonName}`, '-addext', `subjectAltName=${names.map((x) => `DNS:${x}`).join(',')}`,
        ]);
        await openssl(dir, [
          'ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${id}.csr`, '-out', `${id}.pem`,
          '-startdate', stamp(start), '-enddate', stamp(end), '-notext',
        ]);
        return { key: await readFile(join(dir, `${id}.key`), 'utf8'), cert: await readFile(join(dir, `${id}.pem`), 'utf8') };
      }),
    };
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
