// Safety timeouts without a timer per call: entries wait in FIFO queues, one per timeout length
// (so deadlines only grow along a queue), grouped in buckets — every entry added to a queue in the
// same tick shares one bucket and one deadline — and one timer, unref'd, is armed for the
// earliest deadline. A bucket's deadline is taken when its tick ends (a microtask), so no entry
// ever times out early, and late by at most the length of the tick that made it.
//
// Removing an entry is O(1) (a flag and a count); a bucket none of whose entries is pending drops
// its list at once, and is passed over when the queue is walked.

/** What an entry carries for the queues. */
export interface Deadlined {
  /** Set once it was removed (settled, timed out, cut off). */
  settled: boolean;
  /** The bucket holding it while pending. */
  bucket: Bucket<Deadlined> | undefined;
  /** Order of addition across all queues (pending() returns the oldest first). */
  seq: number;
}

export interface Bucket<T> {
  /** performance.now() ms; NaN while the bucket is still open (its tick has not ended). */
  deadline: number;
  entries: T[];
  /** Entries of this bucket still pending. */
  live: number;
}

interface Queue<T> {
  readonly timeoutMs: number;
  buckets: Bucket<T>[];
  head: number;
  /** The bucket of the current tick, if any. */
  open: Bucket<T> | null;
}

const NO_ENTRIES: never[] = [];

export class DeadlineQueues<T extends Deadlined> {
  readonly #queues = new Map<number, Queue<T>>();
  readonly #expire: (entry: T) => void;
  #timer: NodeJS.Timeout | undefined;
  /** The deadline the timer is armed for. */
  #timerAt = Infinity;
  /** Queues with an open bucket, closed by one microtask per tick. */
  readonly #opened: Queue<T>[] = [];
  // The last queue used: most calls in a row are of one kind.
  #lastTimeout = -1;
  #lastQueue: Queue<T> | undefined;
  #seq = 0;

  /** `expire` is called for every entry whose deadline passed (it must remove the entry). */
  constructor(expire: (entry: T) => void) {
    this.#expire = expire;
  }

  add(entry: T, timeoutMs: number): void {
    let queue = this.#lastQueue;
    if (timeoutMs !== this.#lastTimeout || queue === undefined) {
      queue = this.#queues.get(timeoutMs);
      if (queue === undefined) {
        queue = { timeoutMs, buckets: [], head: 0, open: null };
        this.#queues.set(timeoutMs, queue);
      }
      this.#lastTimeout = timeoutMs;
      this.#lastQueue = queue;
    }
    let bucket = queue.open;
    if (bucket === null) {
      bucket = { deadline: NaN, entries: [], live: 0 };
      queue.buckets.push(bucket);
      queue.open = bucket;
      if (this.#opened.push(queue) === 1) queueMicrotask(() => this.#closeBuckets());
    }
    bucket.entries.push(entry);
    bucket.live += 1;
    entry.bucket = bucket as Bucket<Deadlined>;
    entry.settled = false;
    entry.seq = this.#seq++;
  }

  /** Takes an entry out (it will not expire). False if it was out already. */
  remove(entry: T): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    const bucket = entry.bucket;
    entry.bucket = undefined;
    if (bucket !== undefined && --bucket.live === 0) bucket.entries = NO_ENTRIES;
    return true;
  }

  /** Every pending entry, oldest first. */
  pending(): T[] {
    const out: T[] = [];
    for (const queue of this.#queues.values()) {
      for (let i = queue.head; i < queue.buckets.length; i++) {
        for (const entry of queue.buckets[i]!.entries) if (!entry.settled) out.push(entry);
      }
    }
    return this.#queues.size > 1 ? out.sort((a, b) => a.seq - b.seq) : out;
  }

  #closeBuckets(): void {
    const now = performance.now();
    for (const queue of this.#opened) {
      const bucket = queue.open;
      queue.open = null;
      if (bucket === null) continue;
      bucket.deadline = now + queue.timeoutMs;
      if (bucket.live > 0) this.#arm(bucket.deadline);
    }
    this.#opened.length = 0;
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined && this.#timerAt <= deadline) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(() => this.#fire(), Math.max(1, Math.ceil(deadline - performance.now())));
    // Like the per-call timers before: a pending call alone does not keep the process alive (the
    // client's keep-alive decides that).
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const queue of this.#queues.values()) {
      const buckets = queue.buckets;
      while (queue.head < buckets.length) {
        const bucket = buckets[queue.head]!;
        if (bucket.live === 0) {
          queue.head += 1;
          continue;
        }
        // Open (NaN) or not due: nothing behind it is due either.
        if (!(bucket.deadline <= now)) {
          if (bucket.deadline < next) next = bucket.deadline;
          break;
        }
        queue.head += 1;
        for (const entry of bucket.entries) if (!entry.settled) this.#expire(entry);
      }
      if (queue.head > 64 && queue.head * 2 > buckets.length) {
        queue.buckets = buckets.slice(queue.head);
        queue.head = 0;
      }
    }
    if (next !== Infinity) this.#arm(next);
  }
}
