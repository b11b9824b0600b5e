/** Runs every dialog file of test/dialogs offline, one test per file, and checks they cover the whole skill. */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { readDialogFile } from "../../scripts/lib/local/dialog/format";
import { createOfflineExecutor } from "../../scripts/lib/local/dialog/offline";
import { formatDialogReport, runDialog } from "../../scripts/lib/local/dialog/runner";
import { readProject } from "../../scripts/lib/project";

const ROOT = path.resolve(__dirname, "..", "..");
const DIALOGS = path.join(ROOT, "test", "dialogs");
const files = readdirSync(DIALOGS)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

describe("dialog files", () => {
  it.each(files)("%s", async (name) => {
    const dialog = await readDialogFile(path.join("test", "dialogs", name));
    const { executor } = await createOfflineExecutor({ project: readProject({ cwd: ROOT }), env: {} });
    const report = await runDialog(dialog, executor);
    if (!report.passed) throw new Error(formatDialogReport(report));
    expect(report.turns).toHaveLength(dialog.turns.length);
  });

  it("cover launch, play, pause/resume, next, help, stop and a fallback in all five locales", async () => {
    const covered = new Map<string, Set<string>>();
    for (const name of files) {
      const dialog = await readDialogFile(path.join(DIALOGS, name));
      const intents = covered.get(dialog.locale) ?? new Set<string>();
      for (const turn of dialog.turns) if (turn.expect.intent) intents.add(turn.expect.intent);
      covered.set(dialog.locale, intents);
    }
    expect([...covered.keys()].sort()).toEqual(["de-DE", "en-GB", "en-US", "es-ES", "fr-FR"]);
    for (const [locale, intents] of covered) {
      expect({ locale, intents: [...intents].sort() }).toEqual({
        locale,
        intents: expect.arrayContaining([
          "LaunchRequest",
          "PlayClipIntent",
          "AMAZON.PauseIntent",
          "AMAZON.ResumeIntent",
          "AMAZON.NextIntent",
          "AMAZON.HelpIntent",
          "AMAZON.StopIntent",
          "AMAZON.FallbackIntent",
        ]),
      });
    }
  });
});
