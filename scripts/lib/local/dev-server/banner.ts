/** The banner `skillship dev` prints once it listens: where it is, what it serves, and what to try next. */
import type { LocalSkillFact } from "../skill";

/** What the banner shows. */
export interface BannerInfo {
  localUrl: string;
  /** The tunnel's HTTPS URL, when one is open. */
  publicUrl?: string;
  /** Whether signatures and timestamps are checked, and why. */
  verification: { on: boolean; reason: string };
  /** Each locale with its invocation name. */
  locales: { locale: string; invocationName?: string }[];
  /** The folder served under `/media/`, when the skill has one. */
  mediaFolder?: string;
  /** What the skill says about itself (`describe()` of a local factory): banner lines and warnings. */
  facts?: readonly LocalSkillFact[];
  /** The folders watched for changes, as people read them; none when reloading is off. */
  watching?: readonly string[];
  /** The skill whose development stage was pointed at the tunnel. */
  linked?: { skillId: string; previousUri?: string };
  /** Problems worth knowing that do not stop the server (an unreadable skill package, an empty media folder). */
  warnings?: string[];
}

/** The banner text (no colour: it must read the same in a log file). */
export function formatBanner(info: BannerInfo): string {
  const lines: string[] = ["", "Skillship local endpoint: the skill, as Alexa talks to it", ""];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(14)}${value}`);
  row("Endpoint", `${info.localUrl}/  (POST Alexa request envelopes)`);
  if (info.publicUrl !== undefined) {
    row("Public URL", `${info.publicUrl}/`);
    row("", "SSL certificate type: wildcard");
    if (info.linked !== undefined) {
      row(
        "Linked",
        `development stage of ${info.linked.skillId} points here; ${info.linked.previousUri ?? "no endpoint"} is put back on exit`,
      );
    } else {
      row("", "paste it as the skill's HTTPS endpoint (developer console → Build → Endpoint → HTTPS),");
      row(
        "",
        'choosing "My development endpoint is a sub-domain of a domain that has a wildcard certificate"',
      );
    }
  }
  row(
    "Locales",
    info.locales
      .map((entry) => (entry.invocationName ? `${entry.locale} "${entry.invocationName}"` : entry.locale))
      .join(", ") || "none (no interaction models in skill-package/)",
  );
  if (info.mediaFolder !== undefined) {
    row(
      "Media",
      `${info.mediaFolder}, served at ${info.publicUrl ?? info.localUrl}/media/ (signed, expiring URLs)`,
    );
  }
  for (const fact of info.facts ?? []) {
    if ("label" in fact) row(fact.label, fact.value);
  }
  row(
    "Signatures",
    info.verification.on
      ? `checked (${info.verification.reason})`
      : `NOT checked (${info.verification.reason})`,
  );
  row("Reload", info.watching === undefined ? "off" : `on changes in ${info.watching.join(", ")}`);
  const warnings = [
    ...(info.warnings ?? []),
    ...(info.facts ?? []).flatMap((fact) => ("warning" in fact ? [fact.warning] : [])),
  ];
  for (const warning of warnings) row("Warning", warning);
  lines.push("");
  const first = info.locales.find((entry) => entry.locale === "en-US") ?? info.locales[0];
  const open = first?.invocationName ? `open ${first.invocationName}` : "open the skill";
  lines.push("  Next, in another terminal:");
  lines.push(
    `    npx skillship say "${open}"${first && first.locale !== "en-US" ? ` --locale ${first.locale}` : ""}`,
  );
  lines.push(
    `    npx skillship dialog${first && first.locale !== "en-US" ? ` --locale ${first.locale}` : ""}`,
  );
  if (info.publicUrl === undefined)
    lines.push("    npx skillship dev --tunnel   (reachable by Alexa; needs NGROK_AUTHTOKEN)");
  lines.push("");
  lines.push("  Ctrl-C stops the server" + (info.publicUrl === undefined ? "." : " and closes the tunnel."));
  lines.push("");
  return lines.join("\n");
}
