/**
 * How each command-line tool ends: the exit code its `run` resolves with (0 done, 1 failed, 2 bad arguments), or,
 * when it throws, the error's message alone on stderr (a configuration error lists every problem) and exit 1.
 */
export function exitWith(run: Promise<number>): void {
  run.then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
