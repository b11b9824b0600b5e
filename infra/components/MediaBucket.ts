import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as synced from "@pulumi/synced-folder";
import * as fs from "node:fs";
import * as path from "node:path";
import { tlsOnlyBucketPolicy } from "../iam/documents";

/**
 * File extensions of the audio Alexa's AudioPlayer streams (AAC/MP4, MP3, HLS playlists): the clips the function
 * is told about (MEDIA_CLIPS). The skill's own list must agree (test/infra/contracts.test.ts joins them).
 */
export const AUDIO_EXTENSIONS: readonly string[] = [".mp3", ".aac", ".m4a", ".mp4", ".m3u8"];

function isAudioKey(key: string): boolean {
  const lower = key.toLowerCase();
  return AUDIO_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** The audio files of a media folder as the bucket's keys: paths relative to it, `/` separators, sorted. */
export function audioKeysOf(folder: string): string[] {
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter(isAudioKey)
    .sort();
}

/** Arguments of {@link MediaBucket}. */
export interface MediaBucketArgs {
  /** A local folder of clips (per-language subfolders) to upload; none when the bucket is filled otherwise. */
  folder?: string;
}

/**
 * The private media bucket: all four public-access blocks, owner-enforced object ownership (no ACLs),
 * server-side encryption, versioning and a policy refusing any request not made over TLS. Optionally the media
 * folder is uploaded with `@pulumi/synced-folder`, one managed object per file.
 */
export class MediaBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  public readonly policy: aws.s3.BucketPolicy;
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** The audio clips the folder uploads, by key; none when no folder is given. */
  public readonly clipKeys?: readonly string[];

  constructor(name: string, args: MediaBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("skillship:index:MediaBucket", name, {}, opts);
    this.bucket = new aws.s3.Bucket(name, { forceDestroy: false }, { parent: this });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;

    this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent: this },
    );
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
      },
      { parent: this },
    );
    new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
      { parent: this },
    );
    this.policy = new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: this.bucket.id,
        policy: this.bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))),
      },
      { parent: this, dependsOn: [this.publicAccessBlock] },
    );

    if (args.folder !== undefined) {
      this.clipKeys = audioKeysOf(args.folder);
      new synced.S3BucketFolder(
        `${name}-files`,
        {
          path: args.folder,
          bucketName: this.bucket.bucket,
          // The only canned ACL an owner-enforced bucket accepts.
          acl: "bucket-owner-full-control",
          managedObjects: true,
        },
        { parent: this, dependsOn: [this.publicAccessBlock, ownership, this.policy] },
      );
    }

    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}
