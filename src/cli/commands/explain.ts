/**
 * `finproc explain`: how one State's amount was computed, step by step.
 */
import { Option, type Command } from 'commander';
import { Decimal } from '../../core/decimal.js';
import { type Books } from '../../io/books.js';
import { boundDuring } from '../../core/dates.js';
import { apportionYear, type ApportionmentReport } from '../../io/job.js';
import { explain, explainJson, explainText, nothingJson } from '../../render/explain.js';
import { budgetArg, iso3Arg, UsageError, yearArg } from '../args.js';
import type { Cli } from '../context.js';
import { wrapProse } from '../../render/text.js';
import { terminalWidth } from '../output.js';

export function register(program: Command, cli: Cli): void {
  const { say, report, fail, yearOptions, booksOpt } = cli;
  program
    .command('explain')
    .summary("how one State's amount was computed, step by step")
    .description("Show how one State's amount was computed: its category, UN rate, adjusted rate, bounds applied, quota before rounding, rounding adjustment and pro-rata. Built from the same computation as apportion.")
    .argument('<iso3>', 'the State, as an ISO 3166-1 alpha-3 code (e.g. AUT)', iso3Arg)
    .requiredOption('--year <yyyy>', 'budget year', yearArg)
    .addOption(booksOpt())
    .option('--policy <file>', 'policy file (default: the one budgets.csv names for the year)')
    .option('--budget <amount>', 'budget instead of the adopted one', budgetArg)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']).default('text'))
    .addHelpText('after', '\nExamples:\n  finproc explain AUT --year 2026\n  finproc explain LTU --year 2025          (withdrawal during the year: pro-rata)\n  finproc explain NER --year 2026 --format json')
    .action((iso3: string, o: { year: number; books: string; policy?: string; budget?: Decimal; format: string }) => {
      const { report: r, books, problems } = apportionYear(yearOptions(o));
      if (!r || !books) fail(problems);
      report(problems);
      const e = explain(r!, iso3);
      if (!e) {
        // A code that names no State is a usage error; a State that pays nothing is an answer.
        if (!books!.ref.states.has(iso3)) throw new UsageError(`${iso3} is not in states.csv: give the ISO3 code of a State (e.g. AUT)`);
        const why = whyNotPayer(r!, books!, iso3, o.year);
        const policy = r!.apportionment.policy.id;
        say(o.format === 'json' ? nothingJson(iso3, o.year, policy, why) : `${iso3} pays nothing in ${o.year} under policy ${policy}: ${why}.\n`);
        return;
      }
      const text = o.format === 'json' ? explainJson(e!) : explainText(e!, o.format === 'md');
      // On a terminal the trace's long sentences wrap to its width (text format only).
      say(o.format === 'text' && cli.io.stdout.isTTY ? wrapProse(text, terminalWidth(cli.io.stdout, cli.io.env)) : text);
    });
}

/** Why a State has no line: not a party that year, bound on no first of a month, or not selected. */
function whyNotPayer(r: ApportionmentReport, books: Books, iso3: string, year: number): string {
  const p = books.ref.parties.find((x) => x.iso3 === iso3);
  if (!p?.entryIntoForce) return 'not a State Party';
  if (!boundDuring({ from: p.entryIntoForce, until: p.withdrawalEffective }, year))
    return p.entryIntoForce > `${year}-12-31` ? `the Convention enters into force for it on ${p.entryIntoForce}` : `its withdrawal took effect on ${p.withdrawalEffective}`;
  const note = r.apportionment.notes.find((n) => n.startsWith(`${iso3} `));
  return note ? note.replace(/\.$/, '') : 'no invoiced category selects it';
}
