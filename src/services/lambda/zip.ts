import { inflateRawSync } from 'node:zlib';
import { mkdirSync, writeFileSync, rmSync, renameSync, existsSync } from 'node:fs';
import { dirname, join, normalize, isAbsolute, sep } from 'node:path';

/**
 * A reader for the ZIP archives Lambda takes as deployment packages: the
 * central directory, stored (method 0) and deflated (method 8) entries
 * (PKWARE APPNOTE.TXT 6.3, sections 4.3.7, 4.3.12 and 4.3.16). ZIP64,
 * encryption and other methods are rejected as invalid.
 */
export interface ZipEntry {
  name: string;
  directory: boolean;
  data: Buffer;
}

export class InvalidZipError extends Error {}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
/** Lambda's quota for an unzipped deployment package is 250 MB. */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;

export function readZip(archive: Buffer): ZipEntry[] {
  const end = findEndOfCentralDirectory(archive);
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > archive.length || archive.readUInt32LE(offset) !== CENTRAL_FILE_HEADER) throw new InvalidZipError('bad central directory');
    const flags = archive.readUInt16LE(offset + 8);
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const size = archive.readUInt32LE(offset + 24);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localOffset = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x1) throw new InvalidZipError(`entry ${name} is encrypted`);
    total += size;
    if (total > MAX_UNZIPPED_BYTES) throw new InvalidZipError('unzipped size is over the quota');
    const directory = name.endsWith('/');
    const data = directory ? Buffer.alloc(0) : entryData(archive, localOffset, method, compressedSize, size, name);
    entries.push({ name, directory, data });
  }
  return entries;
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the end.
  const lowest = Math.max(0, archive.length - 22 - 0xffff);
  for (let offset = archive.length - 22; offset >= lowest; offset--) {
    if (archive.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw new InvalidZipError('no end of central directory record');
}

function entryData(archive: Buffer, localOffset: number, method: number, compressedSize: number, size: number, name: string): Buffer {
  if (localOffset + 30 > archive.length || archive.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER) throw new InvalidZipError(`bad local header for ${name}`);
  const start = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
  if (start + compressedSize > archive.length) throw new InvalidZipError(`entry ${name} is truncated`);
  const raw = archive.subarray(start, start + compressedSize);
  let data: Buffer;
  if (method === 0) data = Buffer.from(raw);
  else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
  else throw new InvalidZipError(`entry ${name} uses compression method ${method}`);
  if (data.length !== size) throw new InvalidZipError(`entry ${name} has the wrong size`);
  return data;
}

/**
 * Unpack an archive into `target`, replacing it. Entry names that are
 * absolute or climb out with `..` are rejected, so an archive cannot write
 * outside the function's code directory.
 */
export function extractZip(archive: Buffer, target: string): void {
  const entries = readZip(archive);
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    writeEntries(entries, staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (existsSync(target)) rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

function writeEntries(entries: ZipEntry[], staging: string): void {
  for (const entry of entries) {
    const relative = normalize(entry.name.replace(/\\/g, '/'));
    if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) {
      throw new InvalidZipError(`entry ${entry.name} is outside the archive root`);
    }
    const path = join(staging, relative);
    if (entry.directory) {
      mkdirSync(path, { recursive: true });
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, entry.data);
  }
}
