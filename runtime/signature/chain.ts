/**
 * Validation of a downloaded certificate chain, with Node's own X.509 support: every certificate within its
 * validity dates, each one issued and signed by the next (a CA), the last one a trusted root or signed by one, and
 * `echo-api.amazon.com` among the leaf's subject alternative names.
 */
import { X509Certificate, createHash, type KeyObject } from "node:crypto";
import { rootCertificates } from "node:tls";

/** The name Alexa's signing certificate carries. */
export const SIGNING_CERT_NAME = "echo-api.amazon.com";

/** A validated chain: the key requests are signed with and the time span it may be used in. */
export interface ValidChain {
  readonly publicKey: KeyObject;
  /** Epoch milliseconds: the latest `notBefore` and the earliest `notAfter` of the chain. */
  readonly validFrom: number;
  readonly validTo: number;
}

/** The chain, or why it is refused. */
export type ChainCheck = { ok: true; chain: ValidChain } | { ok: false; reason: string };

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

interface RootEntry {
  readonly pem: string;
  readonly der: Buffer;
  readonly fingerprint: Buffer;
  parsed?: X509Certificate | null;
}

const sha256 = (data: Buffer): Buffer => createHash("sha256").update(data).digest();

/**
 * Trusted roots, Node's bundled Mozilla roots by default. Parsing all of them costs a few hundred milliseconds on a
 * small Lambda, so they are indexed by the sha256 of their DER (cheap), and only the candidates for an anchor are
 * parsed: the root itself when a chain includes it, else the roots whose DER holds the issuer's common name.
 */
export class TrustStore {
  private entries: RootEntry[] | undefined;

  constructor(private readonly pems: readonly string[] = rootCertificates) {}

  private index(): RootEntry[] {
    this.entries ??= this.pems.map((pem) => {
      const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
      return { pem, der, fingerprint: sha256(der) };
    });
    return this.entries;
  }

  private parse(entry: RootEntry): X509Certificate | undefined {
    if (entry.parsed === undefined) {
      try {
        entry.parsed = new X509Certificate(entry.pem);
      } catch {
        // A root Node cannot parse can anchor nothing; the others still serve.
        entry.parsed = null;
      }
    }
    return entry.parsed ?? undefined;
  }

  /** The trusted root that is `cert` itself, if any. */
  same(cert: X509Certificate): X509Certificate | undefined {
    const fingerprint = sha256(cert.raw);
    const entry = this.index().find((candidate) => candidate.fingerprint.equals(fingerprint));
    return entry === undefined ? undefined : this.parse(entry);
  }

  /** The trusted roots that issued and signed `cert`. */
  issuersOf(cert: X509Certificate): X509Certificate[] {
    const commonName = /(?:^|\n)CN=([^\n]+)/.exec(cert.issuer)?.[1];
    const named =
      commonName === undefined
        ? []
        : this.index().filter((entry) => entry.der.includes(Buffer.from(commonName, "utf8")));
    const candidates = named.length > 0 ? named : this.index();
    return candidates
      .map((entry) => this.parse(entry))
      .filter(
        (root): root is X509Certificate =>
          root !== undefined && root.ca && cert.checkIssued(root) && cert.verify(root.publicKey),
      );
  }
}

function validity(cert: X509Certificate): [number, number] {
  return [Date.parse(cert.validFrom), Date.parse(cert.validTo)];
}

function describe(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ", ");
}

/** Validates `text` (PEM certificates, leaf first) at time `now`. */
export function checkChain(text: string, trust: TrustStore, now: number): ChainCheck {
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) return { ok: false, reason: "the chain holds no PEM certificate" };
  const certs: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      certs.push(new X509Certificate(block));
    } catch (error) {
      return { ok: false, reason: `certificate ${index + 1} of the chain does not parse: ${String(error)}` };
    }
  }
  const leaf = certs[0]!;
  const names = (leaf.subjectAltName ?? "").split(/,\s*/);
  if (!names.includes(`DNS:${SIGNING_CERT_NAME}`)) {
    return { ok: false, reason: `the signing certificate does not name ${SIGNING_CERT_NAME} in its SAN` };
  }
  let validFrom = -Infinity;
  let validTo = Infinity;
  for (const cert of certs) {
    const [from, to] = validity(cert);
    if (!(now >= from && now <= to)) {
      return {
        ok: false,
        reason: `certificate ${describe(cert)} is valid from ${cert.validFrom} to ${cert.validTo}, not now`,
      };
    }
    validFrom = Math.max(validFrom, from);
    validTo = Math.min(validTo, to);
  }
  for (let index = 0; index + 1 < certs.length; index += 1) {
    const cert = certs[index]!;
    const issuer = certs[index + 1]!;
    if (!issuer.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
      return {
        ok: false,
        reason: `certificate ${describe(cert)} is not signed by the next one of the chain`,
      };
    }
  }
  const last = certs[certs.length - 1]!;
  if (trust.same(last) === undefined) {
    const [anchor] = trust.issuersOf(last);
    if (anchor === undefined) {
      return {
        ok: false,
        reason: `the chain does not lead to a trusted root (it ends at ${describe(last)})`,
      };
    }
    const [from, to] = validity(anchor);
    if (!(now >= from && now <= to))
      return { ok: false, reason: `root ${describe(anchor)} is not valid now` };
    validFrom = Math.max(validFrom, from);
    validTo = Math.min(validTo, to);
  }
  return { ok: true, chain: { publicKey: leaf.publicKey, validFrom, validTo } };
}
