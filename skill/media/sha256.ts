/**
 * SHA-256 and HMAC-SHA256 for the SigV4 signatures of the S3 requests, with the compression function in WebAssembly
 * (`sha256.wat`, assembled into `sha256-wasm.ts`). A cold start signs its first stream URL with code that has never
 * run: SHA-256 in JavaScript runs in V8's interpreter then, about 4 ms for a signature that carries Lambda's session
 * token (some 20 blocks of canonical request), where the WebAssembly module compiles and runs in under 1 ms.
 * node:crypto would cost more than either just to load. Padding and HMAC stay here; they are a few lines.
 */
import { SHA256_WASM } from "./sha256-wasm";

// Node has the WebAssembly API as a global; neither the ES library nor @types/node declares the part used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { readonly exports: unknown };
};

interface Sha256Module {
  readonly memory: { readonly buffer: ArrayBuffer };
  /** Sets the state to SHA-256's initial hash value. */
  init(): void;
  /** Hashes `blocks` 64-byte blocks starting at `address` into the state. */
  compress(address: number, blocks: number): void;
}

/** Where the input blocks go in the module's memory (the state, constants and schedule come first). */
const INPUT = 1024;
/** Input bytes hashed per call: whole blocks, leaving room for the padding in the 64 KiB page. */
const CAPACITY = 64384;

let instance: Sha256Module | undefined;

function sha256Module(): Sha256Module {
  instance ??= new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(SHA256_WASM, "base64")))
    .exports as unknown as Sha256Module;
  return instance;
}

/** The SHA-256 digest of the parts, concatenated. */
export function sha256(...parts: readonly Uint8Array[]): Uint8Array {
  const wasm = sha256Module();
  const memory = new Uint8Array(wasm.memory.buffer);
  wasm.init();
  let pending = 0;
  let length = 0;
  for (const part of parts) {
    for (let offset = 0; offset < part.length; ) {
      const count = Math.min(part.length - offset, CAPACITY - pending);
      memory.set(part.subarray(offset, offset + count), INPUT + pending);
      offset += count;
      pending += count;
      length += count;
      if (pending === CAPACITY) {
        wasm.compress(INPUT, CAPACITY / 64);
        pending = 0;
      }
    }
  }
  // FIPS 180-4 padding: 0x80, zeros, and the length in bits as a 64-bit big-endian number.
  const padded = (pending + 9 + 63) & ~63;
  memory[INPUT + pending] = 0x80;
  memory.fill(0, INPUT + pending + 1, INPUT + padded - 8);
  const view = new DataView(wasm.memory.buffer);
  view.setUint32(INPUT + padded - 8, Math.floor(length / 0x20000000));
  view.setUint32(INPUT + padded - 4, (length * 8) >>> 0);
  wasm.compress(INPUT, padded / 64);
  const digest = new Uint8Array(32);
  const out = new DataView(digest.buffer);
  for (let word = 0; word < 8; word += 1) out.setUint32(word * 4, view.getUint32(word * 4, true));
  return digest;
}

/** HMAC-SHA256 (RFC 2104) of `data` under `key`. */
export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const inner = block.map((byte) => byte ^ 0x36);
  const outer = block.map((byte) => byte ^ 0x5c);
  return sha256(outer, sha256(inner, data));
}
