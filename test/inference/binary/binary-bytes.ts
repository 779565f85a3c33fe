/**
 * Binary-extension requests built byte by byte from the protocol's description, independent of
 * the code under test: little-endian numbers written with DataView, BYTES elements as a 4-byte
 * little-endian length and the UTF-8 bytes, and the JSON's length in the header.
 */

/** Little-endian bytes of numbers, written one by one with DataView. */
export function le(kind: "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64", values: number[]): Uint8Array {
  const size = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8 }[kind];
  const view = new DataView(new ArrayBuffer(values.length * size));
  values.forEach((value, i) => {
    const at = i * size;
    if (kind === "u8") view.setUint8(at, value);
    else if (kind === "i8") view.setInt8(at, value);
    else if (kind === "u16") view.setUint16(at, value, true);
    else if (kind === "i16") view.setInt16(at, value, true);
    else if (kind === "u32") view.setUint32(at, value, true);
    else if (kind === "i32") view.setInt32(at, value, true);
    else if (kind === "f32") view.setFloat32(at, value, true);
    else view.setFloat64(at, value, true);
  });
  return new Uint8Array(view.buffer);
}

/** Little-endian bytes of 64-bit integers. */
export function le64(kind: "u64" | "i64", values: bigint[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(values.length * 8));
  values.forEach((value, i) => (kind === "u64" ? view.setBigUint64(i * 8, value, true) : view.setBigInt64(i * 8, value, true)));
  return new Uint8Array(view.buffer);
}

/** BYTES elements: a 4-byte little-endian length, then the bytes. */
export function bytesElements(elements: (string | Uint8Array)[]): Uint8Array {
  return concat(
    elements.flatMap((element) => {
      const bytes = typeof element === "string" ? new TextEncoder().encode(element) : element;
      return [le("u32", [bytes.byteLength]), bytes];
    }),
  );
}

/** Joins byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** A whole binary-extension body: the JSON, then the tensors' bytes; and the header value. */
export function binaryBody(json: unknown, ...tensors: Uint8Array[]): { body: Uint8Array; headerLength: string } {
  const head = new TextEncoder().encode(JSON.stringify(json));
  return { body: concat([head, ...tensors]), headerLength: String(head.byteLength) };
}

/** Splits a binary-extension response into its JSON and the bytes after it. */
export async function readBinaryResponse(response: Response): Promise<{ json: any; binary: Uint8Array }> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const header = response.headers.get("inference-header-content-length");
  const length = header === null ? bytes.byteLength : Number(header);
  return { json: JSON.parse(new TextDecoder().decode(bytes.subarray(0, length))), binary: bytes.subarray(length) };
}
