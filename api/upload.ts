import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import { ProblemError } from './problem';

export type StoredUpload = {
  path: string;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  fields: Record<string, string>;
};

/**
 * Streams a multipart upload's one file to disk while hashing it, so a million-row file never
 * sits in memory. Fields (e.g. profileId) are collected alongside. The caller owns the file.
 */
export function storeUpload(
  req: Request,
  directory: string,
  maxBytes: number,
): Promise<StoredUpload> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new ProblemError(
        'unsupported_media_type',
        'Upload the file as multipart/form-data with a `file` part',
      ),
    );
  }
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `upload-${randomBytes(8).toString('hex')}.part`);
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let stored: Promise<Omit<StoredUpload, 'fields'>> | null = null;
    const parser = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: maxBytes, fields: 10 },
    });
    const fail = (error: unknown) => {
      rmSync(path, { force: true });
      reject(error);
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const hash = createHash('sha256');
      let sizeBytes = 0;
      let truncated = false;
      stream.on('limit', () => {
        truncated = true;
      });
      const hashing = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          done(null, chunk);
        },
      });
      stored = pipeline(stream, hashing, createWriteStream(path)).then(() => {
        if (truncated)
          throw new ProblemError('payload_too_large', `The file is larger than ${maxBytes} bytes`, [
            { field: 'file', message: 'too large' },
          ]);
        return { path, fileName: info.filename || 'upload', sizeBytes, sha256: hash.digest('hex') };
      });
    });
    parser.on('error', fail);
    parser.on('close', () => {
      if (stored === null) {
        fail(
          new ProblemError('validation_failed', 'No file was uploaded', [
            { field: 'file', message: 'is required' },
          ]),
        );
        return;
      }
      stored.then((file) => resolve({ ...file, fields }), fail);
    });
    req.pipe(parser);
  });
}

/**
 * Reads a multipart body of several small text files into memory, each under its part's name
 * (a council's CSV set: `funds.csv=@funds.csv`). A part sent as a plain field counts the same,
 * because some clients send a pasted file that way. Meant for files of a few kilobytes:
 * `bytesMax` bounds each, `partsMax` their number.
 */
export function readUploadedTexts(
  req: Request,
  limits: { partsMax: number; bytesMax: number },
): Promise<Record<string, string>> {
  if (!req.is('multipart/form-data'))
    return Promise.reject(
      new ProblemError(
        'unsupported_media_type',
        'Send the files as multipart/form-data, one part per file named as the file',
      ),
    );
  return new Promise((resolve, reject) => {
    const texts: Record<string, string> = {};
    const tooLarge: { field: string; message: string }[] = [];
    const twice: { field: string; message: string }[] = [];
    const reading: Promise<void>[] = [];
    const keep = (name: string, text: string, truncated: boolean) => {
      if (truncated)
        tooLarge.push({ field: name, message: `larger than ${limits.bytesMax} bytes` });
      else if (name in texts) twice.push({ field: name, message: 'sent twice' });
      else texts[name] = text;
    };
    const parser = busboy({
      headers: req.headers,
      limits: {
        files: limits.partsMax,
        fields: limits.partsMax,
        fileSize: limits.bytesMax,
        fieldSize: limits.bytesMax,
      },
    });
    parser.on('field', (name, value, info) => keep(name, value, info.valueTruncated));
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      let truncated = false;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        truncated = true;
      });
      reading.push(
        new Promise((done, failed) => {
          stream.on('end', () => {
            keep(name, Buffer.concat(chunks).toString('utf8'), truncated);
            done();
          });
          stream.on('error', failed);
        }),
      );
    });
    parser.on('filesLimit', () =>
      tooLarge.push({ field: 'files', message: `more than ${limits.partsMax} files` }),
    );
    parser.on('error', reject);
    parser.on('close', () => {
      Promise.all(reading).then(() => {
        if (tooLarge.length > 0)
          reject(new ProblemError('payload_too_large', 'The files are too large', tooLarge));
        else if (twice.length > 0)
          reject(new ProblemError('unprocessable', 'A file is sent twice', twice));
        else resolve(texts);
      }, reject);
    });
    req.pipe(parser);
  });
}
