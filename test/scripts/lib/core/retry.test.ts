import { isTransient, withRetries } from "../../../../scripts/lib/core/retry";

const fast = { attempts: 4, initialDelayMs: 1, maxDelayMs: 2 };

describe("withRetries", () => {
  it("retries a 429 until the call succeeds", async () => {
    // prepare
    let calls = 0;
    const call = async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error("slow down"), { statusCode: 429 });
      return "done";
    };
    // act
    const result = await withRetries(call, fast);
    // assert
    expect(result).toBe("done");
    expect(calls).toBe(3);
  });

  it("gives up after the bound and rethrows the last error", async () => {
    let calls = 0;
    const call = async () => {
      calls += 1;
      throw Object.assign(new Error(`busy ${calls}`), { $metadata: { httpStatusCode: 503 } });
    };
    await expect(withRetries(call, fast)).rejects.toThrow("busy 4");
    expect(calls).toBe(4);
  });

  it("never retries a client error", async () => {
    let calls = 0;
    const call = async () => {
      calls += 1;
      throw Object.assign(new Error("precondition failed"), { statusCode: 412 });
    };
    await expect(withRetries(call, fast)).rejects.toThrow("precondition failed");
    expect(calls).toBe(1);
  });
});

describe("isTransient", () => {
  it("recognises Lambda's ResourceConflictException and 5xx, not 4xx", () => {
    expect(isTransient(Object.assign(new Error("x"), { name: "ResourceConflictException" }))).toBe(true);
    expect(isTransient({ status: 500 })).toBe(true);
    expect(isTransient({ statusCode: 404 })).toBe(false);
    expect(isTransient("boom")).toBe(false);
  });
});
