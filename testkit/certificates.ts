/**
 * Self-made certificates for the signature checks: a signing chain as Alexa's (a root CA and a leaf for
 * echo-api.amazon.com) with the leaf's key to sign requests, flawed variants of it, and a TLS certificate for
 * s3.amazonaws.com so that a loopback server can stand in for the host Alexa's chains are downloaded from.
 */
import { createSign, generateKeyPairSync } from "node:crypto";
import { isIP } from "node:net";
import { md, pki } from "node-forge";

/** A URL of the shape Alexa sends in `SignatureCertChainUrl` (the verifier checks host, path and port). */
export const TEST_CERT_CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem";

/** A self-made signing chain: a root CA and a leaf for echo-api.amazon.com, with the leaf's private key. */
export interface TestSigningChain {
  /** Leaf then root, PEM, as Alexa's chain file is laid out. */
  readonly chainPem: string;
  /** The root alone: what a verifier must trust for the chain to be valid. */
  readonly rootPem: string;
  /** Signs a request body as Alexa does: base64 RSA-SHA256, for the `Signature-256` header. */
  sign(body: string): string;
}

/** How a chain departs from a good one (for the tests that must see it refused). */
export interface SigningChainOptions {
  /** The leaf's DNS name (default echo-api.amazon.com); null leaves the SAN extension out. */
  readonly leafName?: string | null;
  /** The leaf's validity (default: from an hour ago to a day ahead). */
  readonly leafValidity?: { notBefore: Date; notAfter: Date };
  /** Sign the leaf with its own key instead of the root's (it then chains to nothing). */
  readonly selfSignedLeaf?: boolean;
}

interface KeyPair {
  publicKey: string;
  privateKey: string;
}

function keyPair(): KeyPair {
  // node:crypto makes RSA keys in milliseconds where node-forge takes seconds.
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

const HOUR = 3_600_000;

function certificate(
  subject: string,
  publicKeyPem: string,
  issuer: string,
  issuerKeyPem: string,
  extensions: Array<Record<string, unknown>>,
  validity = { notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + 24 * HOUR) },
): string {
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  cert.setSubject([{ name: "commonName", value: subject }]);
  cert.setIssuer([{ name: "commonName", value: issuer }]);
  cert.setExtensions(extensions);
  cert.sign(pki.privateKeyFromPem(issuerKeyPem), md.sha256.create());
  return pki.certificateToPem(cert);
}

/** A root CA: its certificate and key. */
function rootAuthority(name: string): { pem: string; key: KeyPair } {
  const key = keyPair();
  const pem = certificate(name, key.publicKey, name, key.privateKey, [
    { name: "basicConstraints", cA: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true },
  ]);
  return { pem, key };
}

/** Creates a fresh signing chain with node-forge (a good one unless `options` says otherwise). */
export function createSigningChain(options: SigningChainOptions = {}): TestSigningChain {
  const root = rootAuthority("Jokebox Test Root CA");
  const leaf = keyPair();
  const name = options.leafName === undefined ? "echo-api.amazon.com" : options.leafName;
  const extensions: Array<Record<string, unknown>> = [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
  ];
  if (name !== null) extensions.push({ name: "subjectAltName", altNames: [{ type: 2, value: name }] });
  const leafPem = certificate(
    name ?? "echo-api.amazon.com",
    leaf.publicKey,
    options.selfSignedLeaf ? (name ?? "echo-api.amazon.com") : "Jokebox Test Root CA",
    options.selfSignedLeaf ? leaf.privateKey : root.key.privateKey,
    extensions,
    options.leafValidity,
  );
  return {
    chainPem: leafPem + root.pem,
    rootPem: root.pem,
    sign: (body) => createSign("RSA-SHA256").update(body, "utf8").sign(leaf.privateKey, "base64"),
  };
}

/** A TLS identity for a loopback server, and the CA a client must trust for it. */
export interface TlsIdentity {
  /** The server's certificate (PEM). */
  readonly cert: string;
  /** The server's private key (PEM). */
  readonly key: string;
  /** The CA certificate (PEM): for `NODE_EXTRA_CA_CERTS` or a client's `ca`. */
  readonly caPem: string;
}

/**
 * Creates a CA and a server certificate signed by it for `names`: host names (a stand-in for `s3.amazonaws.com`)
 * or IP addresses (`127.0.0.1`). The first name is the subject.
 */
export function createTlsIdentity(...names: [string, ...string[]]): TlsIdentity {
  const ca = rootAuthority("Skillship Test TLS CA");
  const server = keyPair();
  const cert = certificate(names[0], server.publicKey, "Skillship Test TLS CA", ca.key.privateKey, [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: names.map((name) => (isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name })),
    },
  ]);
  return { cert, key: server.privateKey, caPem: ca.pem };
}

/** A TLS identity for 127.0.0.1 and localhost. */
export function createLoopbackTls(): TlsIdentity {
  return createTlsIdentity("127.0.0.1", "localhost");
}
