/**
 * MurmurHash3 (x86, 32 bit, seed 0) over a string, exactly as flagd's `fractional` hashes the
 * bucketing key (UTF-16 code units folded the way the imurmurhash package folds them), so the
 * preview buckets a targeting key where the server does.
 */
export function murmurHash3(key: string): number {
  let h1 = 0;
  let k1 = 0;
  let i = 0;
  let len = key.length;
  const total = len;

  k1 ^= len > i ? key.charCodeAt(i++) & 0xffff : 0;
  k1 ^= len > i ? (key.charCodeAt(i++) & 0xffff) << 8 : 0;
  k1 ^= len > i ? (key.charCodeAt(i++) & 0xffff) << 16 : 0;
  k1 ^= len > i ? (key.charCodeAt(i) & 0xff) << 24 : 0;
  k1 ^= len > i ? (key.charCodeAt(i++) & 0xff00) >> 8 : 0;

  const rem = len & 3;
  len -= rem;
  if (len > 0) {
    for (;;) {
      k1 = (k1 * 0x2d51 + (k1 & 0xffff) * 0xcc9e0000) & 0xffffffff;
      k1 = (k1 << 15) | (k1 >>> 17);
      k1 = (k1 * 0x3593 + (k1 & 0xffff) * 0x1b870000) & 0xffffffff;
      h1 ^= k1;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (h1 * 5 + 0xe6546b64) & 0xffffffff;
      if (i >= len) break;
      k1 =
        (key.charCodeAt(i++) & 0xffff) ^
        ((key.charCodeAt(i++) & 0xffff) << 8) ^
        ((key.charCodeAt(i++) & 0xffff) << 16);
      const top = key.charCodeAt(i++);
      k1 ^= ((top & 0xff) << 24) ^ ((top & 0xff00) >> 8);
    }
    k1 = 0;
    if (rem >= 3) k1 ^= (key.charCodeAt(i + 2) & 0xffff) << 16;
    if (rem >= 2) k1 ^= (key.charCodeAt(i + 1) & 0xffff) << 8;
    if (rem >= 1) k1 ^= key.charCodeAt(i) & 0xffff;
  }

  if (k1 > 0) {
    k1 = (k1 * 0x2d51 + (k1 & 0xffff) * 0xcc9e0000) & 0xffffffff;
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = (k1 * 0x3593 + (k1 & 0xffff) * 0x1b870000) & 0xffffffff;
    h1 ^= k1;
  }
  h1 ^= total;
  h1 ^= h1 >>> 16;
  h1 = (h1 * 0xca6b + (h1 & 0xffff) * 0x85eb0000) & 0xffffffff;
  h1 ^= h1 >>> 13;
  h1 = (h1 * 0xae35 + (h1 & 0xffff) * 0xc2b20000) & 0xffffffff;
  h1 ^= h1 >>> 16;
  return h1 >>> 0;
}

/** flagd's bucket for a weighted split: the 32-bit hash scaled onto [0, totalWeight). */
export function bucketOf(hash: number, totalWeight: number): number {
  return Number((BigInt(hash) * BigInt(totalWeight)) >> 32n);
}
