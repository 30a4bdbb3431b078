/**
 * Commands that live in their own module: each exports `register(program, cli)`, which adds
 * the command with its options, help and action. main.ts registers them after its own.
 */
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { register as invoice } from './invoice.js';
import { register as remind } from './remind.js';
import { register as simulate } from './simulate.js';
import { register as cashflow } from './cashflow.js';
import { register as sponsorship } from './sponsorship.js';

export type Register = (program: Command, cli: Cli) => void;

export const COMMANDS: Register[] = [invoice, remind, cashflow, sponsorship, simulate];
