// One self-signed certificate per process for all sim listeners (127.0.0.1 and localhost), so
// clients trust a single PEM. Generating an RSA key takes a moment; later sims reuse it.
import { generate } from 'selfsigned';

export interface SimCertificate {
  key: string;
  cert: string;
}

let pending: Promise<SimCertificate> | null = null;

export function simCertificate(): Promise<SimCertificate> {
  pending ??= generate([{ name: 'commonName', value: 'expel-track simulated Microsoft cloud' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 24 * 3600_000),
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  pending.catch(() => {
    pending = null;
  });
  return pending;
}
