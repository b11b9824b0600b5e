/**
 * `skillship dev` as a whole: the project's skill built for a local run, the local endpoint (with the skill's
 * media folder), optionally a tunnel and the development stage linked to it, and a watcher that reloads the
 * skill while the server keeps listening. `close()` undoes everything in reverse order: endpoint restored,
 * tunnel closed, port freed.
 */
import { isIP } from "node:net";
import * as path from "node:path";
import { createRequestVerifier, type CertificateOptions } from "../../../../runtime/verify";
import { ConfigError } from "../../core/errors";
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
import { MAX_BODY_BYTES } from "./body";
import { startDevServer, type DevServer } from "./server";

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
  /** How certificate chains are fetched and trusted (tests serve their own chain on loopback). */
  certificates?: CertificateOptions;
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

/** True for the "every interface" addresses, which no client can connect to as such. */
function isWildcardHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "0.0.0.0" || bare === "::";
}

/**
 * Refuses a host other machines can reach unless a tunnel carries the traffic: Alexa calls only public HTTPS
 * endpoints and streams media only over HTTPS, so on a bare LAN address every launch would fail ("something went
 * wrong") however the server answered.
 */
function checkReachableHost(host: string, tunnel: boolean): void {
  if (tunnel || isLoopbackHost(host)) return;
  throw new ConfigError(
    `--host ${host} would serve the skill over plain HTTP on the network, but Alexa reaches a skill only through ` +
      "public HTTPS and plays media only from HTTPS URLs: add --tunnel (the endpoint and its media are then " +
      "served through the tunnel's HTTPS URL), or leave --host at 127.0.0.1",
  );
}

/**
 * The skill id requests must be addressed to: the linked skill's when `--link` points a stage here, else the
 * skill's own (SKILL_ID); the two must agree when both are given.
 */
function expectedSkillId(linked: string | undefined, configured: string | undefined): string | undefined {
  if (linked !== undefined && configured !== undefined && linked !== configured) {
    throw new ConfigError(
      `SKILL_ID is ${configured} but --link points the development stage of ${linked} here: the skill would ` +
        "refuse every request Alexa sends; unset SKILL_ID or link that skill",
    );
  }
  return linked ?? configured;
}

/** Starts the session. Whatever was opened before a failure is closed again before the error is thrown. */
export async function startDevSession(options: DevSessionOptions): Promise<DevSession> {
  const log = options.log ?? (() => undefined);
  const project = options.project;
  const root = project.root;
  const watched = project.paths.watch;
  checkReachableHost(options.host, options.tunnel !== undefined);
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
  const skillId = expectedSkillId(options.link?.skillId, first.skillId);

  // Only a tunnel makes the endpoint reachable from elsewhere (checkReachableHost refuses any other way).
  const verification =
    options.tunnel !== undefined
      ? { on: true, reason: "reachable through the tunnel" }
      : { on: false, reason: "loopback only: nothing outside this machine can reach it" };
  const server: DevServer = await startDevServer({
    host: options.host,
    port: options.port,
    skill: (): InvocableSkill => current,
    verifier: verification.on
      ? createRequestVerifier({
          ...(skillId === undefined ? {} : { skillId }),
          ...(options.certificates === undefined ? {} : { certificates: options.certificates }),
          maxBytes: MAX_BODY_BYTES,
        })
      : undefined,
    media: () => (current.mediaFolder === undefined ? undefined : { dir: current.mediaFolder, secret }),
    log,
  });
  // A wildcard bind answers on loopback too; a URL naming 0.0.0.0 is one no client can use.
  const localUrl = isWildcardHost(options.host) ? `http://127.0.0.1:${server.port}` : server.url;
  origin = localUrl;

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
      tunnel = await options.tunnel(server.port, isWildcardHost(options.host) ? "127.0.0.1" : options.host);
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
  if (verification.on && skillId === undefined) {
    warnings.push(
      "requests for any skill are accepted: set SKILL_ID, or --link a skill, to accept only yours",
    );
  }
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
    localUrl,
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
    localUrl,
    port: server.port,
    publicUrl: tunnel?.url,
    verification: verification.on,
    banner,
    reload,
    close,
  };
}
