/**
 * Just enough of the protobuf wire format to walk an ONNX ModelProto without decoding its
 * weights: length-delimited fields are returned as views, never copied.
 */

/** One field of a protobuf message. */
export interface ProtoField {
  number: number;
  wireType: number;
  /** Varint value (wire type 0). */
  varint?: number;
  /** Payload (wire type 2). */
  bytes?: Uint8Array;
  /** The whole field as encoded (key included), for copying it unchanged. */
  raw: Uint8Array;
}

/** Thrown when bytes are not a well-formed protobuf message. */
export class ProtobufFormatError extends Error {
  override readonly name = "ProtobufFormatError";
}

/**
 * Iterates over the fields of one message.
 *
 * @example
 * for (const field of readFields(bytes)) if (field.number === 7) graph = field.bytes;
 */
export function* readFields(buffer: Uint8Array): Generator<ProtoField> {
  let offset = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (offset >= buffer.length) throw new ProtobufFormatError("truncated varint");
      const byte = buffer[offset++]!;
      // Multiplication instead of bit shifts keeps values above 2^31 exact (up to 2^53).
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new ProtobufFormatError("varint too long");
    }
  };
  while (offset < buffer.length) {
    const start = offset;
    const key = readVarint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) throw new ProtobufFormatError("field number 0");
    const field: Omit<ProtoField, "raw"> = { number, wireType };
    switch (wireType) {
      case 0:
        field.varint = readVarint();
        break;
      case 1:
        offset += 8;
        break;
      case 2: {
        const length = readVarint();
        if (offset + length > buffer.length) throw new ProtobufFormatError("truncated field");
        field.bytes = buffer.subarray(offset, offset + length);
        offset += length;
        break;
      }
      case 5:
        offset += 4;
        break;
      default:
        throw new ProtobufFormatError(`unsupported wire type ${wireType}`);
    }
    if (offset > buffer.length) throw new ProtobufFormatError("truncated field");
    yield { ...field, raw: buffer.subarray(start, offset) };
  }
}

/** Encodes a length-delimited field (wire type 2). */
export function encodeBytesField(number: number, payload: Uint8Array): Uint8Array {
  const key = encodeVarint(number * 8 + 2);
  const length = encodeVarint(payload.length);
  const out = new Uint8Array(key.length + length.length + payload.length);
  out.set(key, 0);
  out.set(length, key.length);
  out.set(payload, key.length + length.length);
  return out;
}

/** Encodes a varint field (wire type 0). */
export function encodeVarintField(number: number, value: number): Uint8Array {
  const key = encodeVarint(number * 8);
  const body = encodeVarint(value);
  const out = new Uint8Array(key.length + body.length);
  out.set(key, 0);
  out.set(body, key.length);
  return out;
}

function encodeVarint(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

/** Joins encoded fields into one message. */
export function concatFields(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
