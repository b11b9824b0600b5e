import { jsonLineLog } from "../../skill/log";

type Write = (fd: number, buffer: Uint8Array, offset: number) => number;

describe("the skill's JSON log line", () => {
  it("writes one JSON line to file descriptor 1", () => {
    const writes: string[] = [];
    const write: Write = (fd, buffer, offset) => {
      expect(fd).toBe(1);
      writes.push(Buffer.from(buffer.subarray(offset)).toString("utf8"));
      return buffer.length - offset;
    };

    jsonLineLog(write)({ level: "info", requestType: "LaunchRequest", speech: "line\nbreak" });

    expect(writes).toEqual(['{"level":"info","requestType":"LaunchRequest","speech":"line\\nbreak"}\n']);
  });

  it("writes the rest after a partial write", () => {
    const chunks: string[] = [];
    const write: Write = (_fd, buffer, offset) => {
      const length = Math.min(5, buffer.length - offset);
      chunks.push(Buffer.from(buffer.subarray(offset, offset + length)).toString("utf8"));
      return length;
    };

    jsonLineLog(write)({ requestId: "r-1" });

    expect(chunks.join("")).toBe('{"requestId":"r-1"}\n');
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("hands what is left to the fallback when the descriptor refuses a synchronous write", () => {
    let calls = 0;
    const write: Write = () => {
      calls += 1;
      if (calls > 1)
        throw Object.assign(new Error("EAGAIN: resource temporarily unavailable"), { code: "EAGAIN" });
      return 10;
    };
    const fallback = jest.fn();

    jsonLineLog(write, fallback)({ requestId: "r-2", locale: "de-DE" });

    expect(fallback).toHaveBeenCalledWith('d":"r-2","locale":"de-DE"}');
  });
});
