/**
 * Disjoint byte ranges of a zip already claimed by an entry (its local header and data), to refuse an entry
 * whose bytes overlap another's: the "overlapped components (possible zip bomb)" check of Debian's unzip,
 * which stops thousands of central-directory entries from pointing at one local file.
 *
 * Ranges are kept sorted in buckets of bounded size (a two-level sorted list), so a central directory
 * ordered against the file (newest entry first, or shuffled) costs O(sqrt n) per claim, not O(n).
 */
const BUCKET = 1024;

interface Bucket {
  starts: number[];
  ends: number[];
}

export class RangeSet {
  private buckets: Bucket[] = [];
  size = 0;

  /** Claims [start, end) (end exclusive); false, and nothing claimed, if it overlaps a claimed range. */
  claim(start: number, end: number): boolean {
    if (!(end > start)) end = start + 1; // an empty entry still owns its header byte
    if (this.buckets.length === 0) {
      this.buckets.push({ starts: [start], ends: [end] });
      this.size++;
      return true;
    }
    const b = this.bucketFor(start);
    const bucket = this.buckets[b]!;
    const i = lowerBound(bucket.starts, start);
    // The range before (in this bucket, or the previous bucket's last) must end by `start`...
    const prevEnd = i > 0 ? bucket.ends[i - 1]! : b > 0 ? last(this.buckets[b - 1]!.ends) : -Infinity;
    if (prevEnd > start) return false;
    // ...and the one after must start at or after `end`.
    const nextStart = i < bucket.starts.length ? bucket.starts[i]! : b + 1 < this.buckets.length ? this.buckets[b + 1]!.starts[0]! : Infinity;
    if (nextStart < end) return false;
    bucket.starts.splice(i, 0, start);
    bucket.ends.splice(i, 0, end);
    this.size++;
    if (bucket.starts.length > 2 * BUCKET) {
      const half = bucket.starts.length >> 1;
      this.buckets.splice(b + 1, 0, { starts: bucket.starts.splice(half), ends: bucket.ends.splice(half) });
    }
    return true;
  }

  /** The bucket whose first start is the last one <= start (the first bucket when start precedes all). */
  private bucketFor(start: number): number {
    let lo = 0;
    let hi = this.buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.buckets[mid]!.starts[0]! <= start) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const last = (a: readonly number[]): number => a[a.length - 1]!;
