/*
 * TensorBoard event files (tfevents): a sequence of records, each
 *   uint64 length · uint32 masked_crc32c(length) · data · uint32 masked_crc32c(data)
 * (little-endian), whose data is a protobuf `Event`: wall_time (1, double), step (2, int64),
 * file_version (3, string) or summary (5, Summary { repeated Value value = 1 }), Value { tag = 1
 * (string), simple_value = 2 (float) }. `tensorboard --logdir` reads the files this writes.
 */

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), table-driven. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) c = TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's mask: rotate right by 15, add 0xa282ead8 (mod 2³²). */
export function maskedCrc(data: Uint8Array): number {
  const c = crc32c(data);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
  return out;
}

const key = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, data: Uint8Array) => [
  ...key(field, 2),
  ...varint(data.length),
  ...data,
];

function doubleBytes(v: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...b];
}

function floatBytes(v: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(v);
  return [...b];
}

export interface ScalarEvent {
  readonly step: number;
  readonly wallTime: number;
  readonly values: Record<string, number>;
}

function eventBytes(wallTime: number, step: number, body: number[]): Uint8Array {
  return Uint8Array.from([
    ...key(1, 1),
    ...doubleBytes(wallTime),
    ...key(2, 0),
    ...varint(step),
    ...body,
  ]);
}

function scalarEvent(e: ScalarEvent): Uint8Array {
  const values = Object.entries(e.values).flatMap(([tag, v]) =>
    bytesField(
      1,
      Uint8Array.from([...bytesField(1, Buffer.from(tag, 'utf8')), ...key(2, 5), ...floatBytes(v)]),
    ),
  );
  return eventBytes(e.wallTime, e.step, bytesField(5, Uint8Array.from(values)));
}

function record(data: Uint8Array): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(maskedCrc(length));
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(maskedCrc(data));
  return Buffer.concat([length, head, Buffer.from(data), tail]);
}

/** A whole event file: the version record, then one record per step. */
export function tfevents(events: readonly ScalarEvent[], startTime: number): Buffer {
  const version = eventBytes(startTime, 0, bytesField(3, Buffer.from('brain.Event:2', 'utf8')));
  return Buffer.concat([record(version), ...events.map((e) => record(scalarEvent(e)))]);
}

/** The conventional file name TensorBoard looks for. */
export const tfeventsName = (startTime: number, host: string) =>
  `events.out.tfevents.${Math.floor(startTime)}.${host}`;
