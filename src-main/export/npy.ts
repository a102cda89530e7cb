import { crc32 } from 'node:zlib';

/*
 * NumPy's .npy format (version 1.0), written directly: the magic "\x93NUMPY", version 1.0, a
 * little-endian uint16 header length, a Python dict literal padded with spaces to a multiple
 * of 64 bytes and ended by "\n", then the raw little-endian float64 data in C order.
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
export function npy(data: ArrayLike<number>, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new Error(`shape ${shape.join('×')} holds ${count}, not ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 6 + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(8 * count);
  for (let i = 0; i < count; i++) body.writeDoubleLE(data[i]!, 8 * i);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

/** A rows × columns matrix (array of rows) as one .npy. */
export function npyMatrix(rows: readonly (readonly number[])[]): Buffer {
  const columns = rows[0]?.length ?? 0;
  return npy(rows.flat(), [rows.length, columns]);
}

/**
 * An .npz: a zip of .npy members, stored uncompressed (numpy.savez's layout), so
 * `numpy.load('run.npz')['loss']` works. Local headers, data, central directory, end record.
 */
export function npz(members: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(members)) {
    const file = Buffer.from(`${name}.npy`, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(file.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(file.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, file, data);
    centrals.push(central, file);
    offset += local.length + file.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = Object.keys(members).length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
