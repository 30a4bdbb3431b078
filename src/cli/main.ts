/**
 * The command line: the only place that reads arguments, picks a format and writes.
 * Each command reads as load → compute → render → write.
 *
 * Exit codes: 0 success; 1 problems in the input (all listed); 2 wrong usage; 3 a bug;
 * 4 a --fail-on condition held; 5 the books are in use by another run (src/io/lock.ts).
 */
import { Command, CommanderError } from 'commander';
import { isError, ProblemsError } from '../core/problem.js';
import { colourFor } from './output.js';
import { UsageError } from './args.js';
import { makeCli, pkg, type Io } from './context.js';
import { COMMANDS } from './commands/index.js';
import { BooksLockedError } from '../io/lock.js';

export { DEFAULT_BOOKS, type Io } from './context.js';

export async function main(argv: string[], io: Io): Promise<number> {
  const err = colourFor(io.stderr, io.env, flagColour(argv));
  const out = colourFor(io.stdout, io.env, flagColour(argv));
  const cli = makeCli(io, out, err);

  const program = new Command('finproc')
    .description('Exact financial procedures of the CCM Implementation Support Unit: apportion an adopted budget among the States Parties, check the books, explain any amount.')
    .version(pkg.version, '-V, --version')
    .option('--color', 'force colour on')
    .option('--no-color', 'no colour (also: NO_COLOR=1)')
    .option('-v, --verbose', 'say what was written where, also when the output is piped')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: (s, write) => write(err.red(s)) })
    .addHelpText(
      'after',
      `
Books: a directory of CSV files and YAML policies (default: the example books in data/,
see data/README.md). Policies are documented in docs/policy.md.

Examples:
  finproc check                             validate the example books (silent when all is well)
  finproc apportion --year 2026             the 2026 apportionment as a table
  finproc apportion --year 2026 --out out   all formats written under out/, a summary on screen
  finproc explain AUT --year 2026           how Austria's 2026 amount was computed

Exit codes: 0 success, 1 problems in the input (all listed), 2 wrong usage (also: no command),
3 internal error, 4 a --fail-on condition held (arrears, cashflow), 5 the books are in use by another
run (--wait SECONDS).`,
    );

  program.hook('preAction', () => {
    cli.verbose = program.opts<{ verbose?: boolean }>().verbose === true;
  });
  // Every command lives in its own module under src/cli/commands/, registered in the order of --help.
  for (const register of COMMANDS) register(program, cli);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return cli.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // `finproc help` is a request (exit 0); `finproc` with no command shows the help as an error (exit 2)
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : 2;
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(err.red(`error: ${e.message}`) + '\n(run with --help for usage)\n');
      return 2;
    }
    if (e instanceof BooksLockedError) {
      io.stderr.write(err.red(`error: ${e.message}`) + '\n');
      return 5;
    }
    if (e instanceof ProblemsError) {
      cli.report(e.problems);
      return e.problems.filter(isError).every((p) => p.code === 'argument-invalid') ? 2 : 1;
    }
    if (isFsError(e)) {
      io.stderr.write(err.red(`error: ${(e as Error).message}`) + '\n');
      return 1;
    }
    io.stderr.write(`internal error (a bug in finproc; please report it with the command and the books):\n${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}

function flagColour(argv: string[]): boolean | undefined {
  const i = Math.max(argv.lastIndexOf('--color'), argv.lastIndexOf('--no-color'));
  return i < 0 ? undefined : argv[i] === '--color';
}

function isFsError(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && /^E[A-Z]+$/.test((e as { code: string }).code);
}
