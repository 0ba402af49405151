// Writes text produced lazily to a stream without holding the whole document: chunks are
// gathered into ~64 KiB writes (one syscall per record would dominate the export time) and the
// producer pauses whenever the stream asks it to (backpressure).
import type { Writable } from 'node:stream';

const BATCH_CHARS = 64 * 1024;

/** Writes every piece in order and resolves once the last one was accepted by the stream. */
export async function pipeText(pieces: Iterable<string> | AsyncIterable<string>, out: Writable): Promise<void> {
  let batch = '';
  for await (const piece of pieces) {
    batch += piece;
    if (batch.length >= BATCH_CHARS) {
      const chunk = batch;
      batch = '';
      await writeChunk(out, chunk);
    }
  }
  if (batch.length > 0) await writeChunk(out, batch);
}

function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (out.write(chunk, 'utf8')) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    // A reader that goes away (`| head`) closes the stream without a drain.
    const onClose = () => {
      cleanup();
      reject(new Error('the output closed before the export was complete'));
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
