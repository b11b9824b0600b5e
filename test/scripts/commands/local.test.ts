/** The local commands through the CLI: `say`, `dialog` and `dev`, in-process where they can be, else spawned. */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { run } from "../../../scripts/cli";
import { SimulatedDevice } from "../../../scripts/lib/local/dialog/device";
import { spawnCli as spawnProcess } from "../support/cli-process";
import { post, send } from "../support/http";

const ROOT = path.resolve(__dirname, "..", "..", "..");

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await run(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function spawnCli(args: string[], input?: string) {
  return spawnProcess(args, { cwd: ROOT, input });
}

// A spawned CLI starts cold (tsx compiles its sources): seconds on a starved CPU. The timeout of those tests is a
// guard against a hang, not a measurement: the tests wait for what the CLI prints and for its exit.
const SPAWNED_GUARD_MS = 60_000;

describe("skillship say", () => {
  it("prints what was heard, the speech and each directive with its stream URL and token", async () => {
    const { code, stdout } = await cli(["say", "--locale", "de-DE", "öffne witze kiste"]);
    expect(code).toBe(0);
    expect(stdout).toContain("→ LaunchRequest, new session");
    expect(stdout).toContain("speech:    Willkommen bei Witze Kiste!");
    expect(stdout).toMatch(
      /directive: AudioPlayer\.Play REPLACE_ALL\n\s+url\s+http:\/\/127\.0\.0\.1:3000\/media\/de\//,
    );
    expect(stdout).toMatch(/token [0-9a-z]{8}:de\//);
  });

  it("prints the raw response with --json", async () => {
    const { code, stdout } = await cli(["say", "--json", "ask", "joke", "box", "for", "help"]);
    expect(code).toBe(0);
    const response = JSON.parse(stdout) as { response: { shouldEndSession: boolean } };
    expect(response.response.shouldEndSession).toBe(false);
  });

  it("lists the locales there are for an unknown one (exit 2)", async () => {
    const { code, stderr } = await cli(["say", "--locale", "it-IT", "ciao"]);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown locale it-IT");
    expect(stderr).toContain("de-DE, en-GB, en-US, es-ES, fr-FR");
  });
});

describe("skillship dialog --replay", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "skillship-dialogs-"));
  });

  it("passes a shipped dialog file", async () => {
    const { code, stdout } = await cli([
      "dialog",
      "--replay",
      path.join(ROOT, "test", "dialogs", "en-US.yaml"),
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain("PASS");
  });

  it("exits 1 with a readable report when an expectation fails", async () => {
    const file = path.join(dir, "wrong.yaml");
    await writeFile(
      file,
      "locale: en-US\nturns:\n  - say: open joke box\n    expect: { speech: goodbye, sessionEnded: false }\n",
    );
    const { code, stdout, stderr } = await cli(["dialog", "--replay", file]);
    expect(code).toBe(1);
    expect(stdout).toContain("FAIL turn 1 (line 3): open joke box");
    expect(stdout).toMatch(/speech: expected "goodbye", got "Welcome to Joke Box/);
    expect(stdout).toContain("sessionEnded: expected false, got true");
    expect(stderr).toContain("1 of 1 turns of");
  });

  it("names file, line and field of a wrongly shaped file (exit 2)", async () => {
    const file = path.join(dir, "shape.yaml");
    await writeFile(
      file,
      "locale: en-US\nturns:\n  - say: open joke box\n    expect: { directives: AudioPlayer.Play }\n",
    );
    const { code, stderr } = await cli(["dialog", "--replay", file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:4: turns[0].expect.directives:`);
  });
});

describe("skillship dev", () => {
  it("refuses --link without --tunnel", async () => {
    const { code, stderr } = await cli(["dev", "--link"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--link points the development stage at the tunnel: add --tunnel");
  });

  it("refuses a port that is not one", async () => {
    const { code, stderr } = await cli(["dev", "--port", "http"]);
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a port number from 0 to 65535, got "http"');
  });

  it(
    "serves until Ctrl-C, then frees the port and exits 0",
    async () => {
      const dev = spawnCli(["dev", "--port", "0", "--no-watch"]);
      try {
        // The banner's last line: the server listens and Ctrl-C is handled from here on.
        await dev.printed(/Ctrl-C stops the server/);
        const origin = /Endpoint\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(dev.stdout())?.[1] as string;
        expect(dev.stdout()).toMatch(/Signatures\s+NOT checked \(loopback only/);
        const envelope = new SimulatedDevice().request(
          { requestType: "LaunchRequest", invoked: true },
          "fr-FR",
        );
        const answer = await post(origin, envelope);
        expect(answer.status).toBe(200);
        dev.child.kill("SIGINT");
        expect(await dev.closed).toBe(0);
        expect(dev.stdout()).toMatch(/Stopped: port \d+ freed\./);
        await expect(send(origin)).rejects.toThrow(/ECONNREFUSED/);
      } finally {
        dev.child.kill("SIGKILL");
      }
    },
    SPAWNED_GUARD_MS,
  );
});

describe("skillship dialog (interactive)", () => {
  it(
    "keeps the player's state between turns, so pause then resume plays the same clip",
    async () => {
      const dialog = spawnCli(
        ["dialog", "--locale", "es-ES"],
        "abre caja de chistes\n.state\npausa\ncontinúa\n.quit\n",
      );
      expect(await dialog.closed).toBe(0);
      const stdout = dialog.stdout();
      const tokens = [...stdout.matchAll(/token (\S+)/g)].map((match) => match[1]);
      expect(tokens).toHaveLength(3);
      expect(tokens[2]).toBe(tokens[0]);
      expect(stdout).toContain("AMAZON.PauseIntent");
      expect(stdout).toMatch(/AudioPlayer: PLAYING token \S+ at \d+ ms/);
      expect(stdout).toContain("AMAZON.ResumeIntent");
    },
    SPAWNED_GUARD_MS,
  );
});
