// The methods of `@libsql/hrana-client`'s protobuf MessageWriter (encoding/protobuf/encode.js),
// re-done to write a whole request into one buffer. The library's writer gives every nested
// message (each statement, each argument) its own growing ArrayBuffer and copies it into its
// parent's: a 17 KB body is copied and re-allocated at each of the six levels of a pipeline request.
// Here the writer notes each field and each nested message's length as the library's encoders call
// it, then writes every byte once, into one buffer of the exact size. The bytes are the same.

const VARINT = 0;
const FIXED_64 = 1;
const LENGTH_DELIMITED = 2;

const OP_VARINT = 0;
const OP_VARINT_BIG = 1;
const OP_DOUBLE = 2;
const OP_BYTES = 3;
const OP_STRING = 4;
const OP_MESSAGE = 5;

/** What the library's encoders call on a writer. */
export interface ProtobufWriter {
  bytes(tag: number, value: Uint8Array): void;
  string(tag: number, value: string): void;
  message<T>(tag: number, value: T, fun: (w: ProtobufWriter, value: T) => void): void;
  int32(tag: number, value: number): void;
  uint32(tag: number, value: number): void;
  bool(tag: number, value: boolean): void;
  sint64(tag: number, value: bigint): void;
  double(tag: number, value: number): void;
  data(): Uint8Array;
}

/** One request's fields in the order written: kind, tag, value (a nested message's: its length). */
type Ops = { kinds: number[]; tags: number[]; values: unknown[]; lengths: number[]; size: number };

const OPS = Symbol("leanProtobufOps");
const encoder = new TextEncoder();

type Holder = { [OPS]?: Ops };
const opsOf = (w: Holder): Ops => (w[OPS] ??= { kinds: [], tags: [], values: [], lengths: [], size: 0 });

/** The bytes of `value` as the library's varint writes them (`0 | value`, then 7 bits at a time). */
function varintLength(value: number): number {
  let v = (0 | value) >>> 0;
  let n = 1;
  while ((v >>>= 7) !== 0) n++;
  return n;
}

function varintBigLength(value: bigint): number {
  let v = value & 0xffffffffffffffffn;
  let n = 1;
  while ((v >>= 7n) !== 0n) n++;
  return n;
}

/** UTF-8 length of a string, as TextEncoder would encode it (a lone surrogate becomes U+FFFD). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 4 bytes for 2 UTF-16 units
      i++;
    } else n += 2;
  }
  return n;
}

function push(ops: Ops, kind: number, tag: number, value: unknown, length: number, size: number): void {
  ops.kinds.push(kind);
  ops.tags.push(tag);
  ops.values.push(value);
  ops.lengths.push(length);
  ops.size += size;
}

/** The writer's methods, to be set on the library's MessageWriter.prototype (see lean-hrana-encoding.ts). */
export const leanWriterMethods: ProtobufWriter = {
  bytes(this: Holder, tag, value) {
    const n = value.byteLength;
    push(opsOf(this), OP_BYTES, tag, value, n, varintLength((tag << 3) | LENGTH_DELIMITED) + varintLength(n) + n);
  },
  string(this: Holder, tag, value) {
    const n = utf8Length(value);
    push(opsOf(this), OP_STRING, tag, value, n, varintLength((tag << 3) | LENGTH_DELIMITED) + varintLength(n) + n);
  },
  message(this: Holder & ProtobufWriter, tag, value, fun) {
    const ops = opsOf(this);
    const at = ops.kinds.length;
    push(ops, OP_MESSAGE, tag, undefined, 0, 0);
    const before = ops.size;
    fun(this, value);
    const n = ops.size - before;
    ops.lengths[at] = n;
    ops.size += varintLength((tag << 3) | LENGTH_DELIMITED) + varintLength(n);
  },
  int32(this: Holder, tag, value) {
    push(opsOf(this), OP_VARINT, tag, value, 0, varintLength((tag << 3) | VARINT) + varintLength(value));
  },
  uint32(tag, value) {
    this.int32(tag, value);
  },
  bool(tag, value) {
    this.int32(tag, value ? 1 : 0);
  },
  sint64(this: Holder, tag, value) {
    const zigzag = (value << 1n) ^ (value >> 63n);
    push(opsOf(this), OP_VARINT_BIG, tag, zigzag, 0, varintLength((tag << 3) | VARINT) + varintBigLength(zigzag));
  },
  double(this: Holder, tag, value) {
    push(opsOf(this), OP_DOUBLE, tag, value, 0, varintLength((tag << 3) | FIXED_64) + 8);
  },
  data(this: Holder) {
    const ops = opsOf(this);
    delete this[OPS];
    return writeAll(ops);
  },
};

/** Every noted field into one buffer of `ops.size` bytes. */
function writeAll(ops: Ops): Uint8Array {
  const out = new Uint8Array(ops.size);
  const view = new DataView(out.buffer);
  let pos = 0;
  const varint = (value: number) => {
    let v = 0 | value;
    do {
      let byte = v & 0x7f;
      v >>>= 7;
      byte |= v ? 0x80 : 0;
      out[pos++] = byte;
    } while (v);
  };
  const { kinds, tags, values, lengths } = ops;
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!;
    const tag = tags[i]!;
    if (kind === OP_VARINT) {
      varint((tag << 3) | VARINT);
      varint(values[i] as number);
    } else if (kind === OP_VARINT_BIG) {
      varint((tag << 3) | VARINT);
      let v = (values[i] as bigint) & 0xffffffffffffffffn;
      do {
        let byte = Number(v & 0x7fn);
        v >>= 7n;
        byte |= v ? 0x80 : 0;
        out[pos++] = byte;
      } while (v);
    } else if (kind === OP_DOUBLE) {
      varint((tag << 3) | FIXED_64);
      view.setFloat64(pos, values[i] as number, true);
      pos += 8;
    } else {
      const n = lengths[i]!;
      varint((tag << 3) | LENGTH_DELIMITED);
      varint(n);
      if (kind === OP_BYTES) {
        out.set(values[i] as Uint8Array, pos);
        pos += n;
      } else if (kind === OP_STRING) {
        pos += encoder.encodeInto(values[i] as string, out.subarray(pos, pos + n)).written;
      }
      // OP_MESSAGE: its fields follow as the next ops.
    }
  }
  if (pos !== out.length) throw new Error(`lean protobuf writer: wrote ${pos} of ${out.length} bytes`);
  return out;
}
