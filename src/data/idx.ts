/**
 * The IDX file format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/):
 * a big-endian header (0, 0, type code, number of dimensions, then one uint32 per dimension)
 * followed by the values. We only need unsigned bytes (type code 0x08), optionally gzipped.
 */
import * as zlib from 'zlib';

/** Type code of unsigned-byte data. */
export const IDX_UBYTE = 0x08;

export interface IdxArray {
  /** Sizes of each dimension, e.g. [10000, 28, 28] for images, [10000] for labels. */
  shape: number[];
  /** The values, row-major. */
  data: Uint8Array;
}

/**
 * Largest decompressed file `gunzipIfNeeded` and `parseIdx` accept unless the caller sets a
 * tighter cap: above the largest MNIST-style file, 70,000 images of 28×28 plus header (52.3 MiB).
 */
export const IDX_DEFAULT_MAX_BYTES = 64 * 2 ** 20;

/**
 * What a damaged file's error tells the user to do unless the caller knows better (a shipped
 * file: git checkout; a downloaded one: download it again).
 */
export const IDX_DEFAULT_FIX = 'Restore or re-download it.';

/** Bytes in the header of an IDX file with `dims` dimensions: magic number, then one uint32 each. */
export function idxHeaderBytes(dims: number): number {
  return 4 + 4 * dims;
}

/**
 * Decompresses `bytes` if they start with the gzip magic number; `name` (the file) and `fix` (how
 * to get a good copy) are for error messages. Decompression stops at `maxBytes` of output (a small
 * corrupt or hostile .gz can inflate to gigabytes) and throws, naming the file.
 */
export function gunzipIfNeeded(
  bytes: Uint8Array, name: string, maxBytes: number = IDX_DEFAULT_MAX_BYTES, fix: string = IDX_DEFAULT_FIX,
): Uint8Array {
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(
        `${name}: decompresses to more than ${maxBytes.toLocaleString('en-US')} bytes, the most a file of this kind can hold. It is not the file it claims to be: download it again.`,
      );
    }
    throw new Error(
      `${name}: the gzip data is damaged (${(error as Error).message}). The file is truncated or corrupt. ${fix}`,
    );
  }
}

/**
 * Parses an IDX file of unsigned bytes, gzipped or not (at most `maxBytes` once decompressed).
 * Throws, naming `name` and saying `fix`, on a wrong magic number, an unexpected number of
 * dimensions, or a file shorter or longer than its header says.
 */
export function parseIdx(
  bytes: Uint8Array, name: string, expectedDims?: number, maxBytes: number = IDX_DEFAULT_MAX_BYTES, fix: string = IDX_DEFAULT_FIX,
): IdxArray {
  const raw = gunzipIfNeeded(bytes, name, maxBytes, fix);
  if (raw.length < 4) {
    throw new Error(`${name}: only ${raw.length} bytes, too short to be an IDX file. ${fix}`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0);
  const typeCode = raw[2];
  const dims = raw[3];
  if (raw[0] !== 0 || raw[1] !== 0 || typeCode !== IDX_UBYTE) {
    throw new Error(
      `${name}: wrong IDX magic number 0x${magic.toString(16).padStart(8, '0')} (expected 0x0000080${expectedDims ?? 'N'}, unsigned bytes). This is not an MNIST-style IDX file.`,
    );
  }
  if (expectedDims !== undefined && dims !== expectedDims) {
    throw new Error(
      `${name}: IDX magic says ${dims} dimensions, expected ${expectedDims} (${expectedDims === 1 ? 'labels' : 'images'}). Are the image and label files swapped?`,
    );
  }
  const headerBytes = idxHeaderBytes(dims);
  if (raw.length < headerBytes) {
    throw new Error(`${name}: truncated inside the IDX header. ${fix}`);
  }
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(4 + 4 * d));
  const expected = shape.reduce((a, b) => a * b, 1);
  const actual = raw.length - headerBytes;
  if (actual !== expected) {
    throw new Error(
      `${name}: header promises ${expected} values (shape ${shape.join('×')}) but the file holds ${actual}. It is ${actual < expected ? 'truncated' : 'padded or corrupt'}. ${fix}`,
    );
  }
  return { shape, data: raw.subarray(headerBytes) };
}

/** Encodes an unsigned-byte IDX file (uncompressed); the inverse of `parseIdx`. */
export function encodeIdx(array: IdxArray): Uint8Array {
  const expected = array.shape.reduce((a, b) => a * b, 1);
  if (expected !== array.data.length) {
    throw new Error(`encodeIdx: shape ${array.shape.join('×')} needs ${expected} values, got ${array.data.length}.`);
  }
  const header = new Uint8Array(idxHeaderBytes(array.shape.length));
  const view = new DataView(header.buffer);
  header[2] = IDX_UBYTE;
  header[3] = array.shape.length;
  array.shape.forEach((size, d) => view.setUint32(4 + 4 * d, size));
  const out = new Uint8Array(header.length + array.data.length);
  out.set(header, 0);
  out.set(array.data, header.length);
  return out;
}
