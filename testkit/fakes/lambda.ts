// Over 350 lines on purpose: one model of Lambda's versioning semantics, whose parts (versions, aliases, routing,
// failure injection, regions) check each other; split, they would share most of their state.
/**
 * A small in-memory model of one Lambda function (its `$LATEST`, published versions and aliases) behind
 * aws-sdk-client-mock, so the real `createFunctionsPort` adapter runs against Lambda's semantics: `PublishVersion`
 * guarded by `CodeSha256` and `RevisionId` and returning the newest version when the code has not changed,
 * `UpdateAlias` guarded by `RevisionId` with weighted routing as Lambda checks it (one additional published
 * version, not the primary, not `$LATEST`, a weight from 0 to under 1; the routing kept when `RoutingConfig` is
 * left out, cleared by an empty one), paged `ListVersionsByFunction`, and Lambda's error names.
 * Failures can be injected per command (before or after the change is made) to test retries and interruptions.
 * One model is one AWS region's function: a stack with regional endpoints gets one model per region, each with a
 * client of its region (`region`), and versions numbered independently.
 */
import { randomUUID } from "node:crypto";
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  LambdaClient,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateAliasCommand,
} from "@aws-sdk/client-lambda";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";

/** A published version. */
export interface ModelVersion {
  version: string;
  codeSha256: string;
  description: string;
}

/** An alias. */
export interface ModelAlias {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  /** `RoutingConfig.AdditionalVersionWeights`; empty when all traffic goes to `functionVersion`. */
  weights: Record<string, number>;
}

/** The commands the model answers. */
export type LambdaCommandName =
  "GetFunctionConfiguration" | "PublishVersion" | "ListVersionsByFunction" | "GetAlias" | "UpdateAlias";

/** A failure to inject. */
export interface LambdaFailure {
  command: LambdaCommandName;
  /** Which matching call fails first, counted from now (1 = the next). Default 1. */
  nth?: number;
  /** How many calls fail from then on. Default 1. */
  times?: number;
  /** `before`: nothing changes; `after`: the change is made, then the call fails. Default `before`. */
  when?: "before" | "after";
  /** The error thrown: a 429 (`TooManyRequestsException`) by default, or a plain "interrupted" error. */
  error?: "throttle" | "interrupt";
  /** A throttle's `Retry-After` in seconds, as the SDK hands it over (`retryAfterSeconds`). */
  retryAfterSeconds?: string;
}

/** The model and its mock. */
export interface LambdaModel {
  functionName: string;
  /** The AWS region of the function (its client's, and its ARNs'). */
  region: string;
  latest: { codeSha256: string; revisionId: string };
  versions: ModelVersion[];
  aliases: Record<string, ModelAlias>;
  /** Every command received, in order: name and input. */
  calls: { command: LambdaCommandName; input: Record<string, unknown> }[];
  mock: AwsClientStub<LambdaClient>;
  client: LambdaClient;
  /** Deploys new code to `$LATEST` (what `pulumi up` does). */
  deploy(codeSha256: string): void;
  /** Changes an alias behind the engine's back (a concurrent change), its weighted routing too when given. */
  touchAlias(
    name: string,
    functionVersion: string,
    description?: string,
    weights?: Record<string, number>,
  ): void;
  fail(failure: LambdaFailure): void;
  /** Drops every failure still due (the service recovered). */
  heal(): void;
  /** Calls of one command. */
  count(command: LambdaCommandName): number;
  /** Answers one command as this function would (what {@link mockRegions} hands each region's calls to). */
  answer(command: LambdaCommandName, input: Record<string, unknown>): unknown;
  restore(): void;
}

const PAGE_SIZE = 2;

/** Creates the model of one function with aliases `blue` and `green` on version 1 (Pulumi's initial state). */
export function createLambdaModel(
  options: {
    functionName?: string;
    codeSha256?: string;
    aliases?: string[];
    /** Mock every LambdaClient (for tests that run the CLI, which makes its own client). */
    allInstances?: boolean;
    /** The AWS region of the function; default eu-west-1. */
    region?: string;
  } = {},
): LambdaModel {
  const functionName = options.functionName ?? "jokebox-prod";
  const code = options.codeSha256 ?? "initial-code=";
  const region = options.region ?? "eu-west-1";
  const client = new LambdaClient({
    region,
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
  const mock = options.allInstances === true ? mockClient(LambdaClient) : mockClient(client);
  const failures: (Required<Omit<LambdaFailure, "error" | "retryAfterSeconds">> & {
    error: LambdaFailure["error"];
    retryAfterSeconds?: string;
    seen: number;
  })[] = [];
  const model: LambdaModel = {
    functionName,
    region,
    latest: { codeSha256: code, revisionId: randomUUID() },
    versions: [{ version: "1", codeSha256: code, description: "created by pulumi" }],
    aliases: {},
    calls: [],
    mock,
    client,
    deploy(codeSha256) {
      model.latest = { codeSha256, revisionId: randomUUID() };
    },
    touchAlias(name, functionVersion, description = "changed by hand", weights) {
      const alias = model.aliases[name];
      model.aliases[name] = {
        ...alias,
        functionVersion,
        description,
        revisionId: randomUUID(),
        weights: { ...(weights ?? alias.weights) },
      };
    },
    fail(failure) {
      failures.push({
        command: failure.command,
        nth: failure.nth ?? 1,
        times: failure.times ?? 1,
        when: failure.when ?? "before",
        error: failure.error,
        ...(failure.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failure.retryAfterSeconds }),
        seen: 0,
      });
    },
    heal() {
      failures.length = 0;
    },
    answer() {
      throw new Error("not ready");
    },
    count(command) {
      return model.calls.filter((call) => call.command === command).length;
    },
    restore() {
      mock.restore();
    },
  };
  for (const name of options.aliases ?? ["blue", "green"]) {
    model.aliases[name] = {
      name,
      functionVersion: "1",
      description: "created by pulumi",
      revisionId: randomUUID(),
      weights: {},
    };
  }

  // Each command's answer, kept so that a mock of every client can hand a region's calls to its model.
  const answers = {} as Record<LambdaCommandName, (input: never) => unknown>;
  const answer = (
    name: LambdaCommandName,
    command: unknown,
    // The SDK mock hands each command's input untyped, as Lambda would receive it.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    fn: (input: any) => unknown,
  ): void => {
    answers[name] = fn as (input: never) => unknown;
    mock.on(command as never).callsFake(fn);
  };
  model.answer = (name, input) => answers[name](input as never);

  const checkName = (input: { FunctionName?: string }): void => {
    if (input.FunctionName !== functionName) {
      throw new ResourceNotFoundException({
        message: `Function not found: ${String(input.FunctionName)}`,
        $metadata: { httpStatusCode: 404 },
      });
    }
  };

  // Runs `act` as the command, applying any due failure before or after it.
  const handle = <T>(command: LambdaCommandName, input: Record<string, unknown>, act: () => T): T => {
    model.calls.push({ command, input });
    const due = failures.find((failure) => {
      if (failure.command !== command || failure.times <= 0) return false;
      failure.seen += 1;
      return failure.seen >= failure.nth;
    });
    const raise = (): never => {
      if (due === undefined) throw new Error("unreachable");
      due.times -= 1;
      if (due.error === "interrupt") {
        throw new Error(`interrupted during ${command}`);
      }
      throw new TooManyRequestsException({
        message: "Rate exceeded",
        $metadata: { httpStatusCode: 429 },
        Type: "User",
        Reason: "CallerRateLimitExceeded",
        ...(due.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: due.retryAfterSeconds }),
      });
    };
    if (due !== undefined && due.when === "before") raise();
    const result = act();
    if (due !== undefined && due.when === "after") raise();
    return result;
  };

  answer("GetFunctionConfiguration", GetFunctionConfigurationCommand, (input) =>
    handle("GetFunctionConfiguration", input, () => {
      checkName(input);
      return {
        FunctionName: functionName,
        Version: "$LATEST",
        CodeSha256: model.latest.codeSha256,
        RevisionId: model.latest.revisionId,
      };
    }),
  );

  answer("PublishVersion", PublishVersionCommand, (input) =>
    handle("PublishVersion", input, () => {
      checkName(input);
      if (input.RevisionId !== undefined && input.RevisionId !== model.latest.revisionId) {
        throw new PreconditionFailedException({
          message: "The Revision Id provided does not match the latest Revision Id.",
          $metadata: { httpStatusCode: 412 },
        });
      }
      if (input.CodeSha256 !== undefined && input.CodeSha256 !== model.latest.codeSha256) {
        throw new InvalidParameterValueException({
          message: `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${model.latest.codeSha256}). Please try again`,
          $metadata: { httpStatusCode: 400 },
        });
      }
      // Lambda publishes nothing when the code has not changed since the newest version: it returns that one.
      const newest = model.versions[model.versions.length - 1];
      if (newest !== undefined && newest.codeSha256 === model.latest.codeSha256) {
        return {
          FunctionName: functionName,
          Version: newest.version,
          CodeSha256: newest.codeSha256,
          Description: newest.description,
        };
      }
      const version = String(Number(newest?.version ?? "0") + 1);
      const published = {
        version,
        codeSha256: model.latest.codeSha256,
        description: input.Description ?? "",
      };
      model.versions.push(published);
      model.latest = { ...model.latest, revisionId: randomUUID() };
      return {
        FunctionName: functionName,
        Version: version,
        CodeSha256: published.codeSha256,
        Description: published.description,
      };
    }),
  );

  answer("ListVersionsByFunction", ListVersionsByFunctionCommand, (input) =>
    handle("ListVersionsByFunction", input, () => {
      checkName(input);
      const all = [
        { Version: "$LATEST", CodeSha256: model.latest.codeSha256, Description: "" },
        ...model.versions.map((v) => ({
          Version: v.version,
          CodeSha256: v.codeSha256,
          Description: v.description,
        })),
      ];
      const start = input.Marker === undefined ? 0 : Number(input.Marker);
      const page = all.slice(start, start + PAGE_SIZE);
      const next = start + PAGE_SIZE < all.length ? String(start + PAGE_SIZE) : undefined;
      return { Versions: page, ...(next === undefined ? {} : { NextMarker: next }) };
    }),
  );

  const aliasOut = (alias: ModelAlias) => ({
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RevisionId: alias.revisionId,
    AliasArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}:${alias.name}`,
    ...(Object.keys(alias.weights).length === 0
      ? {}
      : { RoutingConfig: { AdditionalVersionWeights: { ...alias.weights } } }),
  });

  const invalid = (message: string) =>
    new InvalidParameterValueException({ message, $metadata: { httpStatusCode: 400 } });

  // The weighted routing an UpdateAlias asks for, checked as Lambda checks it; undefined keeps the alias's own.
  const routingOf = (
    input: { RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> } },
    primary: string,
  ): Record<string, number> | undefined => {
    const weights = input.RoutingConfig?.AdditionalVersionWeights;
    if (weights === undefined) return undefined;
    const entries = Object.entries(weights);
    if (entries.length > 1) {
      throw invalid(
        "An alias can point to a maximum of two function versions (one additional version weight).",
      );
    }
    for (const [version, weight] of entries) {
      if (!/^[0-9]+$/.test(version)) {
        throw invalid(
          `1 validation error detected: Value '${version}' at 'routingConfig.additionalVersionWeights' failed to ` +
            "satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [0-9]+]",
        );
      }
      if (primary === "$LATEST") {
        throw invalid("$LATEST is not supported for an alias pointing to more than 1 version");
      }
      if (version === primary) {
        throw invalid(
          `Function version ${version} is already the alias's primary version; weight another version.`,
        );
      }
      if (!model.versions.some((v) => v.version === version)) {
        throw new ResourceNotFoundException({
          message: `Function not found: ${functionName}:${version}`,
          $metadata: { httpStatusCode: 404 },
        });
      }
      if (!(typeof weight === "number" && weight >= 0 && weight < 1)) {
        throw invalid(
          `Invalid weight ${weight} for version ${version}: weights are from 0.0 to less than 1.0`,
        );
      }
    }
    return { ...weights };
  };

  answer("GetAlias", GetAliasCommand, (input) =>
    handle("GetAlias", input, () => {
      checkName(input);
      const alias = model.aliases[input.Name ?? ""];
      if (alias === undefined) {
        throw new ResourceNotFoundException({
          message: `Alias not found: ${String(input.Name)}`,
          $metadata: { httpStatusCode: 404 },
        });
      }
      return aliasOut(alias);
    }),
  );

  answer("UpdateAlias", UpdateAliasCommand, (input) =>
    handle("UpdateAlias", input, () => {
      checkName(input);
      const alias = model.aliases[input.Name ?? ""];
      if (alias === undefined) {
        throw new ResourceNotFoundException({
          message: "Alias not found",
          $metadata: { httpStatusCode: 404 },
        });
      }
      if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId) {
        throw new PreconditionFailedException({
          message: "The Revision Id provided does not match the latest Revision Id.",
          $metadata: { httpStatusCode: 412 },
        });
      }
      const version = input.FunctionVersion ?? alias.functionVersion;
      if (!model.versions.some((v) => v.version === version)) {
        throw new ResourceNotFoundException({
          message: `Function version ${version} not found`,
          $metadata: { httpStatusCode: 404 },
        });
      }
      const weights = routingOf(input, version) ?? alias.weights;
      if (Object.keys(weights).includes(version)) {
        throw invalid(`Function version ${version} cannot be both the primary and the additional version.`);
      }
      const updated = {
        ...alias,
        functionVersion: version,
        description: input.Description ?? alias.description,
        revisionId: randomUUID(),
        weights,
      };
      model.aliases[alias.name] = updated;
      return aliasOut(updated);
    }),
  );

  return model;
}

/**
 * Mocks every LambdaClient (for tests that run the CLI, which makes one client per region of a stack with regional
 * endpoints) and hands each call to the model of the client's region. Returns what restores the clients.
 */
export function mockRegions(models: readonly LambdaModel[]): { restore(): void } {
  const byRegion = new Map(models.map((model) => [model.region, model]));
  const mock = mockClient(LambdaClient);
  const commands = {
    GetFunctionConfiguration: GetFunctionConfigurationCommand,
    PublishVersion: PublishVersionCommand,
    ListVersionsByFunction: ListVersionsByFunctionCommand,
    GetAlias: GetAliasCommand,
    UpdateAlias: UpdateAliasCommand,
  } as const;
  for (const [name, command] of Object.entries(commands) as [
    LambdaCommandName,
    (typeof commands)[LambdaCommandName],
  ][]) {
    mock
      .on(command as never)
      .callsFake(async (input: Record<string, unknown>, getClient: () => LambdaClient) => {
        const region = await getClient().config.region();
        const model = byRegion.get(region);
        if (model === undefined) throw new Error(`the test has no Lambda model for region ${region}`);
        return model.answer(name, input);
      });
  }
  return { restore: () => mock.restore() };
}
