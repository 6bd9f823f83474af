import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { AwsError } from '../../core/errors.ts';
import { writeZip } from './zip.ts';

const NODE_ENTRY_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];

/**
 * Build the deployment package of a SAM function's local CodeUri directory.
 * Node.js runtimes: the handler's module (`index.handler` → `<dir>/index.ts`,
 * or .mts/.js/.mjs/.cjs) is bundled with esbuild into one CommonJS `index.js`,
 * leaving `@aws-sdk/*` external because the nodejs runtimes provide SDK v3.
 * Other runtimes: the directory's files are zipped as they are.
 */
export async function packageDirectory(directory: string, handler: string, runtime: string): Promise<Buffer> {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new AwsError('ValidationError', `CodeUri ${directory} is not a directory`);
  }
  if (!runtime.startsWith('nodejs')) return writeZip(directoryFiles(directory));
  const moduleName = handler.slice(0, handler.lastIndexOf('.'));
  const entry = NODE_ENTRY_EXTENSIONS.map((extension) => join(directory, moduleName + extension)).find((path) => existsSync(path));
  if (!entry) throw new AwsError('ValidationError', `Handler ${handler} has no module ${moduleName}${NODE_ENTRY_EXTENSIONS.join('|')} in ${directory}`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'silent',
  });
  const moduleFile = `${moduleName}.js`;
  return writeZip([{ name: moduleFile, data: Buffer.from(result.outputFiles[0].contents) }]);
}

function directoryFiles(directory: string): { name: string; data: Buffer }[] {
  const files: { name: string; data: Buffer }[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push({ name: relative(directory, path).split('\\').join('/'), data: readFileSync(path) });
    }
  };
  walk(directory);
  return files;
}

/**
 * CloudFormation's inline code (`Code.ZipFile`): the source is written to
 * `index.js` (Node.js) or `index.py` (Python) in a new zip
 * ("AWS::Lambda::Function Code", CloudFormation resource reference).
 */
export function packageInlineCode(source: string, runtime: string): Buffer {
  if (runtime.startsWith('nodejs')) return writeZip([{ name: 'index.js', data: Buffer.from(source) }]);
  if (runtime.startsWith('python')) return writeZip([{ name: 'index.py', data: Buffer.from(source) }]);
  throw new AwsError('ValidationError', `Code.ZipFile is supported only for Node.js and Python runtimes, not ${runtime}`);
}
