import { DeleteObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable } from 'node:stream';
import { AppError } from '@kindling/errors';
import { validateObjectKey, validateObjectKeyPrefix } from './object-key.js';
import type { ObjectInfo, ObjectStore } from './object-store.js';

export interface S3StoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** KMS key for server-side encryption; the bucket's default `aws/s3` key when absent. */
  readonly kmsKeyId?: string;
}

function notFound(cause?: unknown): AppError {
  return new AppError('NOT_FOUND', 'Object not found.', { details: { reason: 'object_not_found' }, cause });
}

function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || error instanceof NotFound || (error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound'));
}

/**
 * An object store in an S3 bucket. Every put sets `ServerSideEncryption: 'aws:kms'` (on top of
 * our own encryption, so a bucket policy may require it) and streams through a multipart
 * `Upload`; S3 makes an object visible only when its upload completed, and an upload whose
 * source fails is aborted, so a failed put leaves no object.
 */
export function createS3Store(options: S3StoreOptions): ObjectStore {
  const { client, bucket } = options;
  const encryption = { ServerSideEncryption: 'aws:kms' as const, ...(options.kmsKeyId === undefined ? {} : { SSEKMSKeyId: options.kmsKeyId }) };

  async function put(key: string, body: Readable | Uint8Array): Promise<void> {
    validateObjectKey(key);
    const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body, ...encryption }, leavePartsOnError: false });
    await upload.done();
  }

  function get(key: string): Readable {
    const output = new PassThrough();
    (async () => {
      validateObjectKey(key);
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!(response.Body instanceof Readable)) throw new AppError('INTERNAL', 'Object body is not a stream.');
      response.Body.on('error', (error) => output.destroy(error));
      response.Body.pipe(output);
    })().catch((error: unknown) => {
      output.destroy(isMissing(error) ? notFound(error) : (error as Error));
    });
    return output;
  }

  async function exists(key: string): Promise<boolean> {
    validateObjectKey(key);
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async function remove(key: string): Promise<void> {
    validateObjectKey(key);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }

  async function list(prefix: string): Promise<ObjectInfo[]> {
    validateObjectKeyPrefix(prefix);
    const results: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token === undefined ? {} : { ContinuationToken: token }) }));
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        results.push({ key: item.Key, size: item.Size ?? 0, modified: item.LastModified ?? new Date(0) });
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return results.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  return { put, get, exists, delete: remove, list };
}
