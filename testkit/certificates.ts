import { createSign, generateKeyPairSync } from "node:crypto";
import { md, pki } from "node-forge";

/** A URL of the shape Alexa sends in `SignatureCertChainUrl` (the verifier checks host, path and port). */
export const TEST_CERT_CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem";

/** A self-made signing chain: a root CA and a leaf for echo-api.amazon.com, with the leaf's private key. */
export interface TestSigningChain {
  /** Leaf then root, PEM, as Alexa's chain file is laid out. */
  readonly chainPem: string;
  /** Signs a request body as Alexa does: base64 RSA-SHA256, for the `Signature-256` header. */
  sign(body: string): string;
}

function keyPair() {
  // node:crypto makes RSA keys in milliseconds where node-forge takes seconds.
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

function certificate(
  subject: string,
  publicKeyPem: string,
  issuer: string,
  issuerKeyPem: string,
  extensions: Array<Record<string, unknown>>,
) {
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3_600_000);
  cert.setSubject([{ name: "commonName", value: subject }]);
  cert.setIssuer([{ name: "commonName", value: issuer }]);
  cert.setExtensions(extensions);
  cert.sign(pki.privateKeyFromPem(issuerKeyPem), md.sha256.create());
  return pki.certificateToPem(cert);
}

/** Creates a fresh signing chain with node-forge. */
export function createSigningChain(): TestSigningChain {
  const root = keyPair();
  const leaf = keyPair();
  const rootPem = certificate(
    "Jokebox Test Root CA",
    root.publicKey,
    "Jokebox Test Root CA",
    root.privateKey,
    [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true },
    ],
  );
  const leafPem = certificate(
    "echo-api.amazon.com",
    leaf.publicKey,
    "Jokebox Test Root CA",
    root.privateKey,
    [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: "echo-api.amazon.com" }] },
    ],
  );
  return {
    chainPem: leafPem + rootPem,
    sign: (body) => createSign("RSA-SHA256").update(body, "utf8").sign(leaf.privateKey, "base64"),
  };
}

/** A TLS server certificate for loopback, issued by a self-made CA that a client can be told to trust. */
export interface LoopbackTls {
  /** The CA certificate (PEM): for `NODE_EXTRA_CA_CERTS` or a client's `ca`. */
  readonly caPem: string;
  /** The server's certificate (PEM), for 127.0.0.1 and localhost. */
  readonly certPem: string;
  /** The server's private key (PEM). */
  readonly keyPem: string;
}

/** Creates a CA and a server certificate for 127.0.0.1 and localhost, valid for a day. */
export function createLoopbackTls(): LoopbackTls {
  const ca = keyPair();
  const server = keyPair();
  const caPem = certificate(
    "Skillship Test Loopback CA",
    ca.publicKey,
    "Skillship Test Loopback CA",
    ca.privateKey,
    [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true },
    ],
  );
  const certPem = certificate("127.0.0.1", server.publicKey, "Skillship Test Loopback CA", ca.privateKey, [
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" },
        { type: 2, value: "localhost" },
      ],
    },
  ]);
  return { caPem, certPem, keyPem: server.privateKey };
}
