/**
 * Every command of finproc, one module each: each exports `register(program, cli)`, which
 * adds the command with its options, help and action. The order here is the order of
 * `finproc --help`. A new command is a new module here; heavy parts of a command (catalogues,
 * charts, PDF) are imported inside its action, so that `apportion` starts as fast as before.
 */
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { register as check } from './check.js';
import { register as apportion } from './apportion.js';
import { register as explain } from './explain.js';
import { register as arrears } from './arrears.js';
import { register as statement } from './statement.js';
import { register as pledges } from './pledges.js';
import { register as meetingCosts } from './meeting-costs.js';
import { register as invoice } from './invoice.js';
import { register as remind } from './remind.js';
import { register as simulate } from './simulate.js';
import { register as cashflow } from './cashflow.js';
import { register as sponsorship } from './sponsorship.js';
import { register as report } from './report.js';
import { register as send } from './send.js';
import { register as bank } from './bank.js';

export type Register = (program: Command, cli: Cli) => void;

export const COMMANDS: Register[] = [check, apportion, explain, arrears, statement, pledges, meetingCosts, invoice, remind, send, bank, cashflow, sponsorship, report, simulate];
