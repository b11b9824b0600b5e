import { createHash, createHmac, randomBytes } from "node:crypto";
import { hmacSha256, sha256 } from "../../../skill/media/sha256";
import { SHA256_WASM } from "../../../skill/media/sha256-wasm";
import { assembleWat, SHA256_WAT } from "../../../testkit/wasm";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const text = (value: string) => Buffer.from(value, "utf8");

describe("SHA-256 (WebAssembly compression, for SigV4)", () => {
  it("gives the digests of FIPS 180-4's examples", () => {
    expect(hex(sha256(text("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hex(sha256(new Uint8Array(0)))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(hex(sha256(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(hex(sha256(text("a".repeat(1_000_000))))).toBe(
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    );
  });

  it("agrees with node:crypto at every padding and buffer boundary, whole or in parts", () => {
    const lengths = [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1337, 64383, 64384, 64385, 64447, 64449, 140_000];
    for (const length of lengths) {
      const data = randomBytes(length);
      const expected = createHash("sha256").update(data).digest("hex");
      expect([length, hex(sha256(data))]).toEqual([length, expected]);
      const cut = Math.floor(length / 3);
      expect([length, hex(sha256(data.subarray(0, cut), data.subarray(cut)))]).toEqual([length, expected]);
    }
  });

  it("gives RFC 4231's HMAC-SHA256 results, long keys included", () => {
    const key20 = Buffer.alloc(20, 0x0b);
    expect(hex(hmacSha256(key20, text("Hi There")))).toBe(
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    );
    expect(hex(hmacSha256(text("Jefe"), text("what do ya want for nothing?")))).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
    const key131 = Buffer.alloc(131, 0xaa);
    expect(hex(hmacSha256(key131, text("Test Using Larger Than Block-Size Key - Hash Key First")))).toBe(
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    );
    for (const keyLength of [0, 63, 64, 65, 200]) {
      const key = randomBytes(keyLength);
      const data = randomBytes(300);
      expect(hex(hmacSha256(key, data))).toBe(createHmac("sha256", key).update(data).digest("hex"));
    }
  });

  it("loads the module assembled from sha256.wat (run `npm run wasm` after changing the text)", async () => {
    const assembled = await assembleWat(SHA256_WAT);
    expect(Buffer.from(SHA256_WASM, "base64").equals(Buffer.from(assembled))).toBe(true);
  });
});
