/**
 * Certificates for tests, made by the `openssl` command line (OpenSSL 3.0 on Debian 12) in a
 * temporary folder: a CA and the leaves it signs (any validity window, past ones included, through
 * `openssl ca -startdate/-enddate`, since `req -x509 -days` cannot go back in time and `x509
 * -not_before` only exists from OpenSSL 3.4), and self-signed leaves. EC P-256 keys: fast to make.
 * Not imported by production code.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  /** PEM. */
  cert: string;
  /** PEM, unencrypted. */
  key: string;
}

export interface IssueOptions {
  commonName: string;
  /** `DNS:localhost`, `IP:127.0.0.1`… */
  altNames?: string[];
  /** Defaults to one hour ago. */
  notBefore?: Date;
  /** Defaults to 30 days from now. */
  notAfter?: Date;
}

export interface TestCa extends TestCert {
  commonName: string;
  /** A leaf (CA:FALSE, serverAuth) signed by this CA. */
  issue(opts: IssueOptions): TestCert;
}

const OPENSSL = process.env['OPENSSL'] ?? 'openssl';

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'marketdesk-pki-'));
  private count = 0;

  /** A self-signed root CA. */
  createCa(commonName: string): TestCa {
    const dir = this.subdir('ca');
    mkdirSync(join(dir, 'db'));
    writeFileSync(join(dir, 'db', 'index.txt'), '');
    writeFileSync(join(dir, 'db', 'serial'), `${randomSerial()}\n`);
    writeFileSync(
      join(dir, 'ca.cnf'),
      [
        '[ ca ]',
        'default_ca = test_ca',
        '[ test_ca ]',
        `database = ${join(dir, 'db', 'index.txt')}`,
        `serial = ${join(dir, 'db', 'serial')}`,
        `new_certs_dir = ${join(dir, 'db')}`,
        'default_md = sha256',
        'policy = any_policy',
        'unique_subject = no',
        'copy_extensions = none',
        '[ any_policy ]',
        'commonName = supplied',
        'organizationName = optional',
        '',
      ].join('\n'),
    );
    openssl(dir, [
      'req',
      '-x509',
      ...newKey('ca.key'),
      '-out',
      'ca.crt',
      '-days',
      '30',
      '-subj',
      `/CN=${commonName}/O=Marketdesk tests`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    const ca: TestCa = {
      commonName,
      cert: readFileSync(join(dir, 'ca.crt'), 'utf8'),
      key: readFileSync(join(dir, 'ca.key'), 'utf8'),
      issue: (opts) => {
        const leaf = this.subdir('leaf');
        openssl(leaf, ['req', ...newKey('leaf.key'), '-out', 'leaf.csr', '-subj', `/CN=${opts.commonName}`]);
        writeFileSync(join(leaf, 'ext.cnf'), `[ leaf ]\n${leafExtensions(opts.altNames)}`);
        const notBefore = opts.notBefore ?? new Date(Date.now() - 3_600_000);
        const notAfter = opts.notAfter ?? new Date(Date.now() + 30 * 86_400_000);
        openssl(leaf, [
          'ca',
          '-batch',
          '-notext',
          '-config',
          join(dir, 'ca.cnf'),
          '-cert',
          join(dir, 'ca.crt'),
          '-keyfile',
          join(dir, 'ca.key'),
          '-in',
          'leaf.csr',
          '-out',
          'leaf.crt',
          '-startdate',
          asn1Time(notBefore),
          '-enddate',
          asn1Time(notAfter),
          '-extfile',
          'ext.cnf',
          '-extensions',
          'leaf',
        ]);
        return {
          cert: readFileSync(join(leaf, 'leaf.crt'), 'utf8'),
          key: readFileSync(join(leaf, 'leaf.key'), 'utf8'),
        };
      },
    };
    return ca;
  }

  /** A self-signed leaf, valid for 30 days. */
  selfSigned(commonName: string, altNames?: string[]): TestCert {
    const dir = this.subdir('self');
    writeFileSync(
      join(dir, 'req.cnf'),
      `[ req ]\nprompt = no\ndistinguished_name = dn\nx509_extensions = leaf\n[ dn ]\nCN = ${commonName}\n[ leaf ]\n${leafExtensions(altNames)}`,
    );
    openssl(dir, ['req', '-x509', '-config', 'req.cnf', ...newKey('leaf.key'), '-out', 'leaf.crt', '-days', '30']);
    return { cert: readFileSync(join(dir, 'leaf.crt'), 'utf8'), key: readFileSync(join(dir, 'leaf.key'), 'utf8') };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private subdir(prefix: string): string {
    const dir = join(this.dir, `${prefix}-${++this.count}`);
    mkdirSync(dir);
    return dir;
  }
}

/**
 * A self-signed root written into `dir` as `corp-root.pem` and as `corp-root.der` (the same
 * certificate in DER, which a PEM reader must refuse): what an admin exports from a corporate CA.
 */
export function writeRootCaFiles(dir: string, subject: string): { pem: string; der: string } {
  const pem = join(dir, 'corp-root.pem');
  const der = join(dir, 'corp-root.der');
  openssl(dir, ['req', '-x509', ...newKey('corp-root.key'), '-out', pem, '-days', '2', '-subj', subject]);
  openssl(dir, ['x509', '-in', pem, '-outform', 'DER', '-out', der]);
  return { pem, der };
}

function openssl(cwd: string, args: string[]): void {
  try {
    execFileSync(OPENSSL, args, { cwd, stdio: 'pipe', timeout: 20_000 });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr || String(err)}`);
  }
}

function newKey(file: string): string[] {
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file];
}

function leafExtensions(altNames: string[] = []): string {
  const lines = [
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature',
    'extendedKeyUsage = serverAuth',
  ];
  if (altNames.length > 0) lines.push(`subjectAltName = ${altNames.join(',')}`);
  return `${lines.join('\n')}\n`;
}

/** `YYYYMMDDHHMMSSZ`, as `openssl ca -startdate/-enddate` take it. */
function asn1Time(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

function randomSerial(): string {
  let hex = '';
  for (let i = 0; i < 15; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `1${hex}`;
}
