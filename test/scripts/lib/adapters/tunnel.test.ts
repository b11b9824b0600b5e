import { ConfigError, OperationError } from "../../../../scripts/lib/core/errors";
import { ngrokTunnel } from "../../../../scripts/lib/adapters/tunnel";

type NgrokModule = typeof import("@ngrok/ngrok");

function fakeNgrok(behaviour: { url?: string | null; fail?: Error }) {
  const calls: Record<string, unknown>[] = [];
  let closes = 0;
  const module = {
    forward: async (config: Record<string, unknown>) => {
      calls.push(config);
      if (behaviour.fail) throw behaviour.fail;
      return {
        url: () => (behaviour.url === undefined ? "https://abc123.ngrok-free.app" : behaviour.url),
        close: async () => void (closes += 1),
      };
    },
  } as unknown as NgrokModule;
  return { load: async () => module, calls, closes: () => closes };
}

describe("ngrokTunnel", () => {
  it("says where to get an authtoken when NGROK_AUTHTOKEN is missing, without loading ngrok", async () => {
    let loaded = false;
    const open = ngrokTunnel({}, async () => {
      loaded = true;
      throw new Error("must not load");
    });
    const error = await open(3000, "127.0.0.1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("NGROK_AUTHTOKEN is required for --tunnel");
    expect((error as Error).message).toContain("https://dashboard.ngrok.com/get-started/your-authtoken");
    expect(loaded).toBe(false);
  });

  it("forwards the port with the token and the reserved domain, and closes once", async () => {
    const ngrok = fakeNgrok({});
    const tunnel = await ngrokTunnel({ authtoken: "tok_123", domain: "jokebox.ngrok.app" }, ngrok.load)(
      3000,
      "0.0.0.0",
    );
    expect(ngrok.calls).toEqual([
      { addr: "127.0.0.1:3000", authtoken: "tok_123", domain: "jokebox.ngrok.app" },
    ]);
    expect(tunnel.url).toBe("https://abc123.ngrok-free.app");
    await tunnel.close();
    await tunnel.close();
    expect(ngrok.closes()).toBe(1);
  });

  it("reports ngrok's refusal without the token", async () => {
    const ngrok = fakeNgrok({ fail: new Error("authentication failed: ERR_NGROK_105") });
    const error = await ngrokTunnel({ authtoken: "tok_secret_value" }, ngrok.load)(3000, "127.0.0.1").catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OperationError);
    expect((error as Error).message).toContain("ERR_NGROK_105");
    expect((error as Error).message).toContain("NGROK_AUTHTOKEN");
    expect((error as Error).message).not.toContain("tok_secret_value");
  });

  it("refuses a tunnel without an https URL and closes it", async () => {
    const ngrok = fakeNgrok({ url: "tcp://1.tcp.ngrok.io:1234" });
    await expect(ngrokTunnel({ authtoken: "t" }, ngrok.load)(3000, "127.0.0.1")).rejects.toThrow(
      "Alexa needs https",
    );
    expect(ngrok.closes()).toBe(1);
  });
});
