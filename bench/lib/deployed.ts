/**
 * The environment a deployed skill function starts with: the variables the stack sets
 * (`infra/components/SkillFunction.ts`; test/infra/contracts.test.ts fails when these drift from it) and those
 * Lambda adds to every Node.js function, the role's session credentials among them. The cold-start figures run the
 * bundle in it, so that what they measure is what a user's first request meets.
 */
import { TEST_SKILL_ID } from "../../testkit/envelopes";

/**
 * NODE_OPTIONS exactly as the stack sets it: none. The bundle links no source map, so `--enable-source-maps` would
 * map nothing; skill/stack.ts maps a stack when an error is reported.
 */
export const STACK_NODE_OPTIONS: string = "";

/** The variables the stack sets on the function (MEDIA_PREFIX only when configured, MEDIA_CLIPS when it fits). */
export const STACK_VARIABLES = ["SKILL_ID", "MEDIA_BUCKET", "MEDIA_PREFIX", "MEDIA_CLIPS"] as const;

/** The bucket, region and fake credentials of the benchmark's S3 (the test suite's fake, on loopback). */
export const BENCH_BUCKET = "bench-media";
export const BENCH_REGION = "us-east-1";
export const BENCH_CREDENTIALS = {
  accessKeyId: "ASIABENCHFAKE0000000",
  secretAccessKey: "bench-fake-secret-key-not-a-real-one-000",
  // Lambda's role credentials are temporary: their session token, about 1,100 characters, is signed into every
  // presigned URL and so weighs on the first request's signature.
  sessionToken: `IQoJb3JpZ2luX2VjE${"bench0fake0session0token0".repeat(44)}`,
} as const;

/** Options of {@link deployedEnv}. */
export interface DeployedEnvOptions {
  /** The S3 endpoint on loopback (`https://127.0.0.1:PORT` as real S3 speaks TLS). */
  readonly s3Url: string;
  /** MEDIA_CLIPS as the stack writes it; left out, the function lists the bucket on its first request. */
  readonly knownClips?: readonly string[];
  /** A CA certificate file the process trusts besides Node's own (the loopback S3's). */
  readonly extraCaCerts?: string;
  /** NODE_OPTIONS to use instead of the stack's (a figure showing another configuration). */
  readonly nodeOptions?: string;
}

/** The environment of a deployed function, version 7 behind its alias, with its media on the loopback S3. */
export function deployedEnv(options: DeployedEnvOptions): NodeJS.ProcessEnv {
  const nodeOptions = options.nodeOptions ?? STACK_NODE_OPTIONS;
  return {
    PATH: process.env.PATH,
    // What the stack sets.
    SKILL_ID: TEST_SKILL_ID,
    MEDIA_BUCKET: BENCH_BUCKET,
    ...(nodeOptions === "" ? {} : { NODE_OPTIONS: nodeOptions }),
    ...(options.knownClips === undefined ? {} : { MEDIA_CLIPS: JSON.stringify(options.knownClips) }),
    // What Lambda sets.
    AWS_REGION: BENCH_REGION,
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: BENCH_CREDENTIALS.sessionToken,
    AWS_LAMBDA_FUNCTION_NAME: "jokebox-prod-skill",
    AWS_LAMBDA_FUNCTION_VERSION: "7",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
    AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/jokebox-prod-skill",
    AWS_LAMBDA_LOG_STREAM_NAME: "2026/11/30/[7]0123456789abcdef0123456789abcdef",
    AWS_LAMBDA_LOG_FORMAT: "JSON",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    _HANDLER: "index.handler",
    TZ: ":UTC",
    LANG: "en_US.UTF-8",
    // Not on Lambda: the loopback S3 stands in for the regional endpoint.
    AWS_ENDPOINT_URL_S3: options.s3Url,
    ...(options.extraCaCerts === undefined ? {} : { NODE_EXTRA_CA_CERTS: options.extraCaCerts }),
  };
}
