import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

export type Child = {
  proc: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
  exited: Promise<number | null>;
};

/** Runs a TypeScript file in a child process with tsx, collecting its output. */
export function runTs(file: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Child {
  const proc = spawn(tsx, [path.join(root, file), ...args], { cwd: root, env });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 30000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        const m = pattern.exec(out);
        if (m) {
          clearInterval(poll);
          resolve(m);
        } else if (Date.now() - started > timeoutMs || proc.exitCode !== null) {
          clearInterval(poll);
          reject(new Error(`did not see ${pattern} in output:\n${out}`));
        }
      }, 50);
    });
  return { proc, output: () => out, waitFor, exited };
}
