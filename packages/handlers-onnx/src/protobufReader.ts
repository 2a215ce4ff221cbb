// A minimal protocol-buffers wire-format reader: just enough to walk an ONNX
// ModelProto's header (versions, opsets, graph inputs and outputs) without a
// protobuf library or onnxruntime. Fields are visited in file order.

/** One field of a message: its number and its value (varint or bytes). */
export type WireField = { field: number; wire: 0; value: bigint } | { field: number; wire: 2; bytes: Uint8Array } | { field: number; wire: 1 | 5 };

/** The wire data is not a valid protobuf message. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

/** Decode the fields of one message; throws {@link WireFormatError} when the bytes do not parse. */
export function readFields(buf: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (pos >= buf.length) throw new WireFormatError(`truncated varint at byte ${pos}`);
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new WireFormatError(`varint longer than 10 bytes at byte ${pos}`);
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field === 0) throw new WireFormatError(`field number 0 at byte ${pos}`);
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = Number(varint());
      if (pos + len > buf.length) throw new WireFormatError(`field ${field} claims ${len} bytes at byte ${pos}, past the end (${buf.length})`);
      out.push({ field, wire, bytes: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > buf.length) throw new WireFormatError(`truncated fixed-width field ${field}`);
      out.push({ field, wire });
    } else throw new WireFormatError(`unsupported wire type ${wire} (field ${field}) at byte ${pos}`);
  }
  return out;
}

const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Text of a length-delimited field. */
export function text(f: WireField): string {
  return f.wire === 2 ? utf8.decode(f.bytes) : "";
}
