/**
 * Injected failures: the next matching API responses fail in the order given, then the sandbox
 * answers normally again. This is how retry tests and benchmarks meet 500s and 429s on demand.
 */
export interface Fault {
  status: number;
  /** Sent as Retry-After, in seconds. */
  retryAfterSeconds?: number;
  /** Only requests whose path starts with this are failed; absent means any API request. */
  pathPrefix?: string;
  /**
   * Do the operation, then answer with the failure: an answer lost on the way back. This is
   * what makes idempotency keys and the refund guard matter.
   */
  afterHandling?: boolean;
}

export interface FaultQueue {
  add(faults: Fault[]): void;
  /** The next fault for this request path, removed from the queue; undefined when none. */
  take(path: string): Fault | undefined;
  clear(): void;
  served(): number;
}

export function createFaultQueue(): FaultQueue {
  let queue: Fault[] = [];
  let servedCount = 0;
  return {
    add(faults) {
      queue.push(...faults);
    },
    take(path) {
      const index = queue.findIndex(
        (f) => f.pathPrefix === undefined || path.startsWith(f.pathPrefix),
      );
      if (index < 0) return undefined;
      const [fault] = queue.splice(index, 1);
      servedCount++;
      return fault;
    },
    clear() {
      queue = [];
    },
    served: () => servedCount,
  };
}

/** GOV.UK Pay's bodies for these statuses: ErrorResponse for 429, RequestError otherwise. */
export function faultBody(status: number): { code: string; description: string } {
  if (status === 429) return { code: 'P0900', description: 'Too many requests' };
  if (status >= 500) return { code: 'P0999', description: 'GOV.UK Pay is unavailable' };
  return { code: 'SANDBOX_FAULT', description: 'Injected fault' };
}
