import { describe, expect, test } from "bun:test";
import { ReplayableBody } from "../../src/cluster/replayable-body.ts";

function source(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]!));
      else controller.close();
    },
  });
}

const text = (stream: ReadableStream<Uint8Array> | null) => new Response(stream).text();

describe("ReplayableBody", () => {
  test("a second attempt gets the whole body again, after the first read all of it", async () => {
    const body = new ReplayableBody(source(["ab", "cd", "ef"]), 1024);
    expect(await text(body.stream())).toBe("abcdef");
    expect(body.replayable).toBe(true);
    expect(await text(body.stream())).toBe("abcdef");
  });

  test("a second attempt after a first that gave up half-way gets what was read, then the rest", async () => {
    const body = new ReplayableBody(source(["ab", "cd", "ef"]), 1024);
    const reader = body.stream()!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("ab");
    await reader.cancel();
    expect(await text(body.stream())).toBe("abcdef");
  });

  test("past the limit the body still streams through, but cannot be sent again", async () => {
    const body = new ReplayableBody(source(["12345", "67890", "abc"]), 8);
    expect(await text(body.stream())).toBe("1234567890abc");
    expect(body.replayable).toBe(false);
    expect(() => body.stream()).toThrow("too large");
  });

  test("no body: null streams", () => {
    const body = new ReplayableBody(null, 8);
    expect(body.empty).toBe(true);
    expect(body.stream()).toBeNull();
  });
});
