/**
 * The tunnel port over ngrok, in-process through `@ngrok/ngrok` (no ngrok binary, no second terminal).
 */
import { ConfigError, OperationError } from "../core/errors";
import type { OpenTunnel } from "../ports";

/** ngrok's settings: the account's authtoken and, optionally, a reserved domain for a stable URL. */
export interface NgrokSettings {
  authtoken?: string;
  domain?: string;
}

type NgrokModule = typeof import("@ngrok/ngrok");

/**
 * The ngrok tunnel opener. Without an authtoken it throws a {@link ConfigError} saying where to get one; a token
 * ngrok refuses, or a domain not reserved on that account, is an {@link OperationError} with ngrok's reason.
 */
export function ngrokTunnel(
  settings: NgrokSettings,
  load: () => Promise<NgrokModule> = () => import("@ngrok/ngrok"),
): OpenTunnel {
  return async (port, host) => {
    if (settings.authtoken === undefined) {
      throw new ConfigError(
        "Environment variable NGROK_AUTHTOKEN is required for --tunnel: sign in at https://dashboard.ngrok.com " +
          "(a free account does), copy your authtoken from https://dashboard.ngrok.com/get-started/your-authtoken " +
          "and export NGROK_AUTHTOKEN=<token>. Set NGROK_DOMAIN to a domain reserved there " +
          "(https://dashboard.ngrok.com/domains) to keep the same URL across restarts.",
      );
    }
    // The native module is loaded only when a tunnel is asked for: `npm start` without --tunnel never pays for it.
    const ngrok = await load();
    let listener: Awaited<ReturnType<NgrokModule["forward"]>>;
    try {
      listener = await ngrok.forward({
        addr: `${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${port}`,
        authtoken: settings.authtoken,
        ...(settings.domain === undefined ? {} : { domain: settings.domain }),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const domainHint =
        settings.domain === undefined
          ? ""
          : ` and that NGROK_DOMAIN (${settings.domain}) is a domain reserved on that account`;
      throw new OperationError(
        `ngrok refused the tunnel: ${reason}. Check that NGROK_AUTHTOKEN is your current authtoken${domainHint}.`,
        { cause: error },
      );
    }
    const url = listener.url();
    if (url === null || !url.startsWith("https://")) {
      await listener.close();
      throw new OperationError(
        `ngrok opened a tunnel without an https URL (${String(url)}); Alexa needs https`,
      );
    }
    let closed = false;
    return {
      url: url.replace(/\/+$/, ""),
      async close() {
        if (closed) return;
        closed = true;
        await listener.close();
      },
    };
  };
}
