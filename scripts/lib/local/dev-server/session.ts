/**
 * `skillship dev` as a whole: the project's skill built for a local run, the local endpoint (with the skill's
 * media folder), optionally a tunnel and the development stage linked to it, and a watcher that reloads the
 * skill while the server keeps listening. `close()` undoes everything in reverse order: endpoint restored,
 * tunnel closed, port freed.
 */
import { isIP } from "node:net";
import * as path from "node:path";
import { invocationName, packageLocales, readSkillPackage } from "../../package/skill-package";
import { requireProjectModule } from "../../project/code";
import { displayPath, type Project } from "../../project/read";
import type { SkillsPort } from "../../ports";
import type { OpenTunnel, Tunnel } from "../../ports";
import { formatBanner, type BannerInfo } from "./banner";
import { linkDevelopmentEndpoint, type EndpointLink, type LinkWaitOptions } from "./link";
import { compactSkillLog, loadLocalSkill, type InvocableSkill, type LocalSkill } from "../skill";
import { createModuleReloader, watchFolders, type StopWatching, type WatchFolders } from "./reload";
import { localMediaSecret } from "../media-secret";
import { startDevServer, type DevServer } from "./server";
import { createRequestVerifier } from "./verify";

type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link startDevSession}. */
export interface DevSessionOptions {
  /** The project whose skill is served. */
  project: Project;
  host: string;
  port: number;
  /** Opens the tunnel (`--tunnel`). */
  tunnel?: OpenTunnel;
  /** Points the development stage at the tunnel (`--link`); needs `tunnel`. */
  link?: { skills: SkillsPort; skillId: string; wait?: LinkWaitOptions };
  /**
   * Loads one of the project's modules. Default: Node's require, whose cache of the watched folders is dropped
   * before every reload.
   */
  load?: (file: string, setting: string) => Record<string, unknown>;
  /** Watches for changes; `false` turns reloading off. Default: chokidar. */
  watch?: WatchFolders | false;
  /** The skill's environment (default the process's). */
  env?: Env;
  /** Certificate chains trusted as they are (tests sign requests with their own chain). */
  trustedCertificates?: ReadonlyMap<string, string>;
  /** Request and reload lines. */
  log?: (line: string) => void;
}

/** A running session. */
export interface DevSession {
  readonly localUrl: string;
  readonly port: number;
  readonly publicUrl?: string;
  readonly verification: boolean;
  readonly banner: string;
  /** Rebuilds the skill from freshly loaded modules (what a file change triggers). */
  reload(): Promise<boolean>;
  /** Stops everything; safe to call twice. */
  close(): Promise<void>;
}

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

/** Starts the session. Whatever was opened before a failure is closed again before the error is thrown. */
export async function startDevSession(options: DevSessionOptions): Promise<DevSession> {
  const log = options.log ?? (() => undefined);
  const project = options.project;
  const root = project.root;
  const watched = project.paths.watch;
  const reloader = createModuleReloader(watched);
  const load =
    options.load ?? ((file: string, setting: string) => requireProjectModule(project, file, setting));
  const secret = await localMediaSecret(root);
  let origin = `http://${options.host}:${options.port}`;
  const build = (): Promise<LocalSkill> =>
    loadLocalSkill(project, {
      env: options.env ?? {},
      origin: () => origin,
      secret,
      log: compactSkillLog(log),
      load,
    });
  let current = await build();
  const first = current;

  const reachable = options.tunnel !== undefined || !isLoopbackHost(options.host);
  const verification = reachable
    ? {
        on: true,
        reason:
          options.tunnel !== undefined
            ? "reachable through the tunnel"
            : `--host ${options.host} is reachable from other machines`,
      }
    : { on: false, reason: "loopback only: nothing outside this machine can reach it" };
  const server: DevServer = await startDevServer({
    host: options.host,
    port: options.port,
    skill: (): InvocableSkill => current,
    verifier: verification.on
      ? createRequestVerifier({ skillId: first.skillId, trustedCertificates: options.trustedCertificates })
      : undefined,
    media: () => (current.mediaFolder === undefined ? undefined : { dir: current.mediaFolder, secret }),
    log,
  });
  origin = server.url;

  let tunnel: Tunnel | undefined;
  let link: EndpointLink | undefined;
  let stopWatching: StopWatching | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    const problems: unknown[] = [];
    for (const step of [
      () => stopWatching?.(),
      () => link?.restore(),
      () => tunnel?.close(),
      () => server.close(),
    ]) {
      try {
        await step();
      } catch (error) {
        problems.push(error);
      }
    }
    if (problems.length > 0) throw problems[0];
  };

  try {
    if (options.tunnel !== undefined) {
      tunnel = await options.tunnel(server.port, options.host);
      origin = tunnel.url;
    }
    if (options.link !== undefined) {
      if (tunnel === undefined) throw new Error("link needs a tunnel");
      link = await linkDevelopmentEndpoint(
        options.link.skills,
        options.link.skillId,
        tunnel.url,
        options.link.wait,
      );
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }

  const reload = async (): Promise<boolean> => {
    try {
      reloader.invalidate();
      current = await build();
      return true;
    } catch (error) {
      log(
        `reload failed, the previous skill keeps answering: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  };
  if (options.watch !== false) {
    stopWatching = (options.watch ?? watchFolders)(watched, (changed) => {
      void reload().then((ok) => {
        if (ok)
          log(`reloaded the skill (${changed.map((file) => path.relative(root, file)).join(", ")} changed)`);
      });
    });
  }

  const warnings: string[] = [];
  const locales: BannerInfo["locales"] = [];
  try {
    const pkg = await readSkillPackage(project.paths.skillPackage);
    for (const locale of packageLocales(pkg)) {
      let name: string | undefined;
      try {
        name = invocationName(pkg, locale);
      } catch {
        name = undefined;
      }
      locales.push({ locale, invocationName: name });
    }
  } catch (error) {
    warnings.push(`skill package unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const facts =
    (await first.describe?.().catch((error: unknown) => [
      {
        warning: `the skill could not describe itself: ${error instanceof Error ? error.message : String(error)}`,
      },
    ])) ?? [];
  const banner = formatBanner({
    localUrl: server.url,
    publicUrl: tunnel?.url,
    verification,
    locales,
    mediaFolder: first.mediaFolder === undefined ? undefined : displayPath(first.mediaFolder),
    facts,
    watching: options.watch === false ? undefined : watched.map(displayPath),
    linked:
      link === undefined || options.link === undefined
        ? undefined
        : { skillId: options.link.skillId, previousUri: link.previousUri },
    warnings,
  });

  return {
    localUrl: server.url,
    port: server.port,
    publicUrl: tunnel?.url,
    verification: verification.on,
    banner,
    reload,
    close,
  };
}
