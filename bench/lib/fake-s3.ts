/**
 * A loopback stand-in for S3's ListObjectsV2, so a cold start can list its media library with no network.
 * It answers every GET with one page of the given keys; the skill signs the request, nothing checks it here.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A running listing server. */
export interface ListingServer {
  url: string;
  close(): Promise<void>;
}

function listingXml(bucket: string, keys: readonly string[]): string {
  const contents = keys
    .map(
      (key) => `<Contents><Key>${key}</Key><Size>1024</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix></Prefix>` +
    `<KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}` +
    `</ListBucketResult>`
  );
}

/** Starts the listing server on 127.0.0.1 with the given keys. */
export async function startListingServer(bucket: string, keys: readonly string[]): Promise<ListingServer> {
  const body = listingXml(bucket, keys);
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/xml" }).end(body);
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
