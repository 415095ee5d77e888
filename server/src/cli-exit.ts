/**
 * How the command-line tools end: the exit code `main` answers, or 2 with the message when it
 * throws (a database that cannot be opened or migrated is the operator's setup, not a crash).
 */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
