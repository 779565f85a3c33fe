/**
 * A request body that can be sent more than once while it is read only once: the first attempt
 * streams it through as it arrives, and every chunk is kept (up to `limit` bytes) so that a
 * later attempt — the first holder died, or had just dropped the model — replays the chunks
 * already read, then goes on with the rest. Attempts must run one after another.
 *
 * @example
 * const body = new ReplayableBody(request.body, 8 << 20);
 * await fetch(first, { method: "POST", body: body.stream(), duplex: "half" }).catch(() =>
 *   body.replayable ? fetch(second, { method: "POST", body: body.stream(), duplex: "half" }) : undefined);
 */
export class ReplayableBody {
  private readonly chunks: Uint8Array[] = [];
  private kept = 0;
  private overflow = false;
  private done = false;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** Reads from the source one at a time, so that two attempts never race for a chunk. */
  private reading: Promise<void> = Promise.resolve();
  private streams = 0;

  constructor(
    source: ReadableStream<Uint8Array> | null,
    private readonly limit: number,
  ) {
    if (source === null) this.done = true;
    else this.reader = source.getReader();
  }

  /** Whether another attempt can still send the whole body (it was not larger than `limit`). */
  get replayable(): boolean {
    return !this.overflow;
  }

  /** True when the request has no body at all. */
  get empty(): boolean {
    return this.reader === undefined;
  }

  /** A fresh stream of the whole body, for one attempt; `null` for a request without a body. */
  stream(): ReadableStream<Uint8Array> | null {
    if (this.reader === undefined) return null;
    if (this.streams++ > 0 && this.overflow) throw new Error("The request body was too large to be sent again");
    let index = 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        while (index >= this.chunks.length && !this.done && !this.overflow) await this.readMore();
        if (index < this.chunks.length) controller.enqueue(this.chunks[index++]!);
        else if (this.done) controller.close();
        else controller.enqueue(await this.readUnkept());
      },
      // An attempt that gives up leaves the source to the next one.
    });
  }

  /** Reads one more chunk from the source into the kept chunks. */
  private readMore(): Promise<void> {
    this.reading = this.reading.then(async () => {
      if (this.done || this.overflow) return;
      const { value, done } = await this.reader!.read();
      if (done) {
        this.done = true;
        return;
      }
      if (this.kept + value.byteLength > this.limit) {
        // Past the limit the body is streamed without a copy: no attempt after this one.
        this.overflow = true;
        this.pending = value;
        return;
      }
      this.chunks.push(value);
      this.kept += value.byteLength;
    });
    return this.reading;
  }

  private pending: Uint8Array | undefined;

  /** Past the limit: the chunk that overflowed, then the rest of the source as it comes. */
  private async readUnkept(): Promise<Uint8Array> {
    if (this.pending !== undefined) {
      const chunk = this.pending;
      this.pending = undefined;
      return chunk;
    }
    const { value, done } = await this.reader!.read();
    if (done) {
      this.done = true;
      return new Uint8Array(0);
    }
    return value;
  }
}
