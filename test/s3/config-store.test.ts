import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/config/source.js';
import { QaError } from '../../src/errors.js';
import { s3ConfigStore } from '../../src/s3/config-store.js';

/** An object body that never ends, counting what is read from it. */
function endlessBody() {
  const state = { read: 0, destroyed: false };
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  return {
    state,
    body: {
      async *[Symbol.asyncIterator]() {
        while (!state.destroyed) {
          state.read += chunk.length;
          if (state.read > 64 * MAX_CONFIG_BYTES) throw new Error('read far past the limit');
          yield chunk;
        }
      },
      async transformToString() {
        throw new Error('read the whole body');
      },
      destroy() {
        state.destroyed = true;
      },
    },
  };
}

const clientAnswering = (response: Record<string, unknown>) =>
  ({ send: async () => response }) as unknown as S3Client;

describe('config objects in S3 are bounded before they are read', () => {
  it('refuses an object whose Content-Length is over the limit without reading its body', async () => {
    const { state, body } = endlessBody();
    const err = await s3ConfigStore(clientAnswering({ ContentLength: 5 * 1024 ** 3, Body: body }))
      .read('s3://b/huge.yaml')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QaError);
    expect((err as QaError).code).toBe('QA_ERR_CONFIG_TOO_LARGE');
    expect(state.read).toBe(0);
  });

  it('stops reading a body of unannounced length at the limit', async () => {
    const { state, body } = endlessBody();
    const err = await s3ConfigStore(clientAnswering({ Body: body }))
      .read('s3://b/endless.yaml')
      .catch((e: unknown) => e);
    expect((err as QaError).code).toBe('QA_ERR_CONFIG_TOO_LARGE');
    expect(state.read).toBeLessThanOrEqual(MAX_CONFIG_BYTES + 64 * 1024);
  });
});
