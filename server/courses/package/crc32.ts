/** CRC-32 as zip uses it. Node's own (zlib.crc32) arrived in 20.15; older Node 20 gets the table version. */
import zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, previous?: number) => number;

const table = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32ByTable(data: Uint8Array, previous = 0): number {
  let crc = ~previous;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

const native = (zlib as { crc32?: Crc32 }).crc32;

export const crc32: Crc32 = typeof native === 'function' ? native : crc32ByTable;
