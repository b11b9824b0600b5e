/** Loopback HTTP for the local endpoint's tests: raw paths (no URL normalisation) and raw bodies. */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";

/** A response as the tests look at it. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
}

/** Sends one request to `origin` with `path` exactly as given. */
export function send(
  origin: string,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string | number>;
    body?: string | Buffer;
  } = {},
): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            json: () => JSON.parse(body.toString("utf8")),
          });
        });
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** POSTs a JSON document. */
export function post(
  origin: string,
  document: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const body = typeof document === "string" ? document : JSON.stringify(document);
  return send(origin, { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });
}
