/**
 * A public HTTPS address for the local endpoint, so Alexa can reach it. `adapters/tunnel.ts` opens one with ngrok;
 * the dev server's wiring is tested with a fake.
 */

/** An open tunnel. */
export interface Tunnel {
  /** The public HTTPS origin, e.g. `https://abc123.ngrok-free.app`. */
  readonly url: string;
  /** Closes the tunnel; safe to call twice. */
  close(): Promise<void>;
}

/** Opens a tunnel to `host:port` on this machine. */
export type OpenTunnel = (port: number, host: string) => Promise<Tunnel>;

/**
 * The SSL certificate type to choose for a tunnel URL in the developer console or the manifest: tunnel services
 * serve their URLs under a wildcard certificate.
 */
export const TUNNEL_CERTIFICATE_TYPE = "Wildcard";
