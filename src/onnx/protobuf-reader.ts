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
    const key = readVarint();
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) throw new ProtobufFormatError("field number 0");
    switch (wireType) {
      case 0:
        yield { number, wireType, varint: readVarint() };
        break;
      case 1:
        offset += 8;
        yield { number, wireType };
        break;
      case 2: {
        const length = readVarint();
        if (offset + length > buffer.length) throw new ProtobufFormatError("truncated field");
        yield { number, wireType, bytes: buffer.subarray(offset, offset + length) };
        offset += length;
        break;
      }
      case 5:
        offset += 4;
        yield { number, wireType };
        break;
      default:
        throw new ProtobufFormatError(`unsupported wire type ${wireType}`);
    }
    if (offset > buffer.length) throw new ProtobufFormatError("truncated field");
  }
}
