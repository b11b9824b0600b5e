/**
 * `skillship dev` as a whole: the skill built from `skill/` with its media, the local endpoint, optionally a
 * tunnel and the development stage linked to it, and a watcher that reloads the skill while the server keeps
 * listening. `close()` undoes everything in reverse order: endpoint restored, tunnel closed, port freed.
 */
import { isIP } from "node:net";
import * as path from "node:path";
import { createRequestVerifier, type CertificateOptions } from "../../../../skill/verify";
import { ConfigError } from "../../core/errors";
import { invocationName, packageLocales, readSkillPackage } from "../../package/skill-package";
import type { SkillsPort } from "../../ports";
import type { OpenTunnel, Tunnel } from "../../ports";
import { MAX_BODY_BYTES } from "./body";
import { formatBanner, type BannerInfo } from "./banner";
import { linkDevelopmentEndpoint, type EndpointLink, type LinkWaitOptions } from "./link";
import { compactSkillLog, loadedSkillModules, localMedia, type SkillModules } from "../skill";
import { createModuleReloader, watchFolders, type StopWatching, type WatchFolders } from "./reload";
import { localMediaSecret } from "../media-secret";
import { startDevServer, type DevServer } from "./server";
import type { InvocableSkill } from "../skill";

type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link startDevSession}. */
export interface DevSessionOptions {
  /** Project root (holds `skill/`, `skill-package/`, `media/`). */
  root: string;
  host: string;
  port: number;
  /** Opens the tunnel (`--tunnel`). */
  tunnel?: OpenTunnel;
  /** Points the development stage at the tunnel (`--link`); needs `tunnel`. */
  link?: { skills: SkillsPort; skillId: string; wait?: LinkWaitOptions };
  /**
   * Loads the skill's modules; called again on every reload. Default: `skill/` through Node's require with its
   * cache dropped first. Tests pass the statically imported modules.
   */
  loadModules?: () => SkillModules;
  /** Watches for changes; `false` turns reloading off. Default: chokidar. */
  watch?: WatchFolders | false;
  /** The skill's environment (default the process's). */
  env?: Env;
  /** Where certificate chains come from and which roots they must lead to (tests serve their own on loopback). */
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
 * The skill id requests must be addressed to: the linked skill's when `--link` points a stage here, else
 * SKILL_ID; the two must agree when both are given.
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
  const root = path.resolve(options.root);
  const watched = [path.join(root, "skill"), path.join(root, "skill-package")];
  const loadModules = options.loadModules ?? defaultModuleLoader(root, watched);
  checkReachableHost(options.host, options.tunnel !== undefined);
  const secret = await localMediaSecret(root);
  let origin = `http://${options.host}:${options.port}`;
  let skillId: string | undefined;
  const build = (modules: SkillModules) => {
    const media = localMedia({ root, baseUrl: () => origin, secret, env: options.env }, modules);
    skillId = expectedSkillId(options.link?.skillId, media.skillId);
    const skill = modules.createSkill({ media: media.library, skillId, log: compactSkillLog(log) });
    return { media, skill };
  };
  let current = build(loadModules());
  const { media } = current;

  // Only a tunnel makes the endpoint reachable from elsewhere (checkReachableHost refuses any other way).
  const verification =
    options.tunnel !== undefined
      ? { on: true, reason: "reachable through the tunnel" }
      : { on: false, reason: "loopback only: nothing outside this machine can reach it" };
  const server: DevServer = await startDevServer({
    host: options.host,
    port: options.port,
    skill: (): InvocableSkill => current.skill,
    verifier: verification.on
      ? createRequestVerifier({
          ...(skillId === undefined ? {} : { skillId }),
          ...(options.certificates === undefined ? {} : { certificates: options.certificates }),
          maxBytes: MAX_BODY_BYTES,
        })
      : undefined,
    media: media.source.kind === "local" ? { dir: media.source.dir, secret } : undefined,
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
      current = build(loadModules());
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
    const pkg = await readSkillPackage(path.join(root, "skill-package"));
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
  let clips: number | undefined;
  if (media.source.kind === "local") {
    try {
      clips = (await media.library.listClips()).length;
      if (clips === 0)
        warnings.push(`no clips in ${media.source.dir}: the skill will apologise instead of playing`);
    } catch (error) {
      warnings.push(error instanceof Error ? error.message : String(error));
    }
  }
  const banner = formatBanner({
    localUrl,
    publicUrl: tunnel?.url,
    verification,
    locales,
    media: media.source,
    clips,
    watching: options.watch !== false,
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

function defaultModuleLoader(root: string, watched: string[]): () => SkillModules {
  const reloader = createModuleReloader(watched);
  let first = true;
  return () => {
    // The first build uses the modules this process already loaded; every later one drops them and reloads.
    if (first) {
      first = false;
      return loadedSkillModules;
    }
    reloader.invalidate();
    const skill = reloader.load<typeof import("../../../../skill")>(path.join(root, "skill", "index.ts"));
    const local = reloader.load<typeof import("../../../../skill/media/local")>(
      path.join(root, "skill", "media", "local.ts"),
    );
    const s3 = reloader.load<typeof import("../../../../skill/media/s3")>(
      path.join(root, "skill", "media", "s3.ts"),
    );
    return {
      createSkill: skill.createSkill,
      createLocalMediaLibrary: local.createLocalMediaLibrary,
      createS3MediaLibrary: s3.createS3MediaLibrary,
    };
  };
}
