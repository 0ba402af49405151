// Coalesces the Graph reads that probes ask for in the same turn of the event loop into one $batch
// per API version (at most 20 requests each, per Microsoft's limit). The rules engine observes the
// steps of a wave concurrently, so every read a wave needs, and everything the context prefetches,
// leaves in as few round trips as the dependencies between reads allow.
import type { GraphReader, GraphRequest, GraphVersion } from '../microsoft/types.js';

export const GRAPH_BATCH_LIMIT = 20;

interface Queued {
  request: GraphRequest;
  resolve: (body: unknown) => void;
  reject: (error: unknown) => void;
}

export class GraphBatcher {
  private readonly queues = new Map<GraphVersion, Queued[]>();
  private scheduled = false;
  /** Round trips sent (a $batch or a single GET each); tests and benchmarks read it. */
  rounds = 0;

  constructor(private readonly graph: GraphReader) {}

  read<T = unknown>(request: GraphRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const version = request.version ?? 'v1.0';
      const queue = this.queues.get(version) ?? [];
      queue.push({ request: { ...request, version }, resolve: resolve as (body: unknown) => void, reject });
      this.queues.set(version, queue);
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: every probe of the wave gets to queue its reads first.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queues = [...this.queues.values()];
    this.queues.clear();
    for (const queue of queues) {
      for (let start = 0; start < queue.length; start += GRAPH_BATCH_LIMIT) {
        void this.send(queue.slice(start, start + GRAPH_BATCH_LIMIT));
      }
    }
  }

  private async send(chunk: Queued[]): Promise<void> {
    this.rounds++;
    if (chunk.length === 1) {
      const only = chunk[0]!;
      try {
        only.resolve(await this.graph.get(only.request));
      } catch (error) {
        only.reject(error);
      }
      return;
    }
    const requests: Record<string, GraphRequest> = {};
    chunk.forEach((item, index) => (requests[String(index + 1)] = item.request));
    try {
      const results = await this.graph.batch(requests);
      chunk.forEach((item, index) => {
        const result = results[String(index + 1)];
        if (!result) item.reject(new Error(`$batch returned no response for ${item.request.path}`));
        else if (result.ok) item.resolve(result.body);
        else item.reject(result.error);
      });
    } catch (error) {
      // The whole batch failed (token refused, network): every read in it failed the same way.
      for (const item of chunk) item.reject(error);
    }
  }
}
