// node-forge ships no types and @types/node-forge is not installed: just what the certificate helper uses.
declare module "node-forge" {
  interface ForgeKey {
    readonly n?: unknown;
  }
  interface CertificateAttribute {
    readonly name?: string;
    readonly shortName?: string;
    readonly value: string;
  }
  interface Certificate {
    publicKey: ForgeKey;
    serialNumber: string;
    readonly validity: { notBefore: Date; notAfter: Date };
    setSubject(attributes: CertificateAttribute[]): void;
    setIssuer(attributes: CertificateAttribute[]): void;
    setExtensions(extensions: Array<Record<string, unknown>>): void;
    sign(key: ForgeKey, digest: unknown): void;
  }
  export const pki: {
    privateKeyFromPem(pem: string): ForgeKey;
    publicKeyFromPem(pem: string): ForgeKey;
    createCertificate(): Certificate;
    certificateToPem(certificate: Certificate): string;
  };
  export const md: { sha256: { create(): unknown } };
}
