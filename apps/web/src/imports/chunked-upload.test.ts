import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { uploadInChunks, type UploadOptions } from './chunked-upload';
import { UploadResumeStore } from './upload-resume-store';

/**
 * The upload endpoints as the contract describes them, held in memory behind a stubbed fetch:
 * what crosses the network is real Request/Response objects, and the test can cut the line.
 */
class UploadServer {
  readonly uploads = new Map<string, { size: number; bytes: number[] }>();
  readonly requests: string[] = [];
  /** PUTs that fail as if the network dropped, before (`request`) or after (`response`) the server kept the bytes. */
  failures: ('request' | 'response')[] = [];
  private next = 1;

  constructor(private readonly chunkSize: number) {}

  async handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    init?.signal?.throwIfAborted();
    const path = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    const request = new Request(new URL(path, 'https://kindling.test'), init);
    const url = new URL(request.url);
    this.requests.push(`${request.method} ${url.pathname}${url.search}`);
    // …/uploads, …/uploads/{id} or …/uploads/{id}/content
    const segments = url.pathname.split('/');
    const at = segments.indexOf('uploads');
    const uploadId = segments[at + 1];
    const content = segments[at + 2] === 'content';
    if (request.method === 'POST') {
      const { size } = (await request.json()) as { size: number };
      const id = `up-${String(this.next++)}`;
      this.uploads.set(id, { size, bytes: [] });
      return Response.json({ uploadId: id, chunkSize: this.chunkSize, received: 0, size }, { status: 201 });
    }
    const upload = uploadId === undefined ? undefined : this.uploads.get(uploadId);
    if (!upload) return Response.json({ error: { code: 'NOT_FOUND', message: 'No such upload.' } }, { status: 404 });
    if (request.method === 'GET') return Response.json({ uploadId, fileName: 'x', size: upload.size, received: upload.bytes.length, complete: upload.bytes.length === upload.size });
    if (request.method === 'PUT' && content) {
      const failure = this.failures.shift();
      if (failure === 'request') throw new TypeError('Failed to fetch');
      if (Number(url.searchParams.get('offset')) !== upload.bytes.length) {
        return Response.json({ error: { code: 'CONFLICT', message: 'Wrong offset.', details: { received: upload.bytes.length } } }, { status: 409 });
      }
      upload.bytes.push(...new Uint8Array(await request.arrayBuffer()));
      if (failure === 'response') throw new TypeError('Failed to fetch');
      return Response.json({ received: upload.bytes.length });
    }
    return new Response(null, { status: 405 });
  }
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

const content = Uint8Array.from({ length: 2_500 }, (_, index) => index % 251);
const file = () => new File([content], 'gifts.csv', { lastModified: 1_700_000_000_000 });

let server: UploadServer;
beforeEach(() => {
  server = new UploadServer(1_000);
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => server.handle(input, init));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function options(store: UploadResumeStore, extra: Partial<UploadOptions> = {}): UploadOptions & { seen: number[] } {
  const seen: number[] = [];
  return { orgId: 'org-1', file: file(), store, signal: new AbortController().signal, onProgress: ({ received }) => seen.push(received), retryDelayMs: 1, seen, ...extra };
}

describe('uploadInChunks', () => {
  it('sends the file in the server’s chunk size and reports progress after each chunk', async () => {
    const run = options(new UploadResumeStore(memoryStorage()));
    const uploadId = await uploadInChunks(run);
    expect(Uint8Array.from(server.uploads.get(uploadId)?.bytes ?? [])).toEqual(content);
    expect(run.seen).toEqual([0, 1_000, 2_000, 2_500]);
    expect(server.requests.filter((line) => line.startsWith('PUT'))).toEqual([
      `PUT /api/v1/organisations/org-1/uploads/${uploadId}/content?offset=0`,
      `PUT /api/v1/organisations/org-1/uploads/${uploadId}/content?offset=1000`,
      `PUT /api/v1/organisations/org-1/uploads/${uploadId}/content?offset=2000`,
    ]);
  });

  it('tries a chunk again after the network drops, and follows the offset a 409 names when the bytes had arrived', async () => {
    server.failures = ['request', 'response'];
    const waits: (number | null)[] = [];
    const run = options(new UploadResumeStore(memoryStorage()), { onWaiting: (delay) => waits.push(delay) });
    const uploadId = await uploadInChunks(run);
    expect(Uint8Array.from(server.uploads.get(uploadId)?.bytes ?? [])).toEqual(content);
    // Lost before the server: sent again. Lost after: the server's 409 moves the offset on.
    expect(server.requests.filter((line) => line.startsWith('PUT')).map((line) => line.split('?')[1])).toEqual([
      'offset=0',
      'offset=0',
      'offset=0',
      'offset=1000',
      'offset=2000',
    ]);
    expect(waits).toEqual([1, 2, null]);
  });

  it('goes on where it stopped when the same file is chosen again after a reload', async () => {
    const storage = memoryStorage();
    const controller = new AbortController();
    const first = options(new UploadResumeStore(storage), {
      signal: controller.signal,
      onProgress: ({ received }) => {
        if (received >= 1_000) controller.abort(new DOMException('reload', 'AbortError'));
      },
    });
    await expect(uploadInChunks(first)).rejects.toThrow();
    const [uploadId] = [...server.uploads.keys()];
    server.requests.length = 0;

    // A new page: a new store over the same tab storage, and the File picked again.
    const second = options(new UploadResumeStore(storage));
    await expect(uploadInChunks(second)).resolves.toBe(uploadId);
    expect(second.seen[0]).toBe(1_000);
    expect(server.requests.some((line) => line.startsWith('POST'))).toBe(false);
    expect(Uint8Array.from(server.uploads.get(uploadId ?? '')?.bytes ?? [])).toEqual(content);
  });

  it('starts a new upload when the server no longer has the remembered one, and keeps no file name in storage', async () => {
    const storage = memoryStorage();
    const store = new UploadResumeStore(storage);
    const firstId = await uploadInChunks(options(store));
    server.uploads.delete(firstId);
    const secondId = await uploadInChunks(options(store));
    expect(secondId).not.toBe(firstId);
    expect(store.pending('org-1').map((entry) => entry.uploadId)).toEqual([secondId]);
    expect(storage.getItem('kindling.import-uploads')).not.toContain('gifts');
  });

  it('gives up on an error that trying again cannot fix', async () => {
    vi.stubGlobal('fetch', () => Promise.resolve(Response.json({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than the 2 GB allowed.' } }, { status: 413 })));
    await expect(uploadInChunks(options(new UploadResumeStore(memoryStorage())))).rejects.toThrow('larger than the 2 GB allowed');
  });
});
