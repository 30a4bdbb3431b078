/**
 * The `mail:` section of isu.yaml: who the e-mails of `finproc send` come from (docs/send.md,
 * "Settings"). Every key is optional; the defaults come from the issuer's name and e-mail.
 */
import * as z from 'zod';
import { isEmail } from '../core/dispatch.js';
import { CONTROL } from './books.js';

const address = (what: string) => z.string({ error: `expected ${what} as text` }).trim().refine(isEmail, { error: `expected ${what}: one plain e-mail address such as finance@isu.example.org` });

export const MAIL_SETTINGS = z
  .object({
    /** The From address (default: the issuer's email). */
    from: address('the From address').optional(),
    /** The name shown with it (default: the issuer's name). */
    from_name: z
      .string()
      .trim()
      .min(1, { error: 'from_name is empty' })
      .max(70, { error: 'from_name is longer than 70 characters' })
      .refine((s) => !CONTROL.test(s), { error: 'from_name holds a line break, a control or a direction-override character' })
      .optional(),
    /** Where replies go (default: the issuer's email). */
    reply_to: address('the Reply-To address').optional(),
    /** A copy of every message sent by SMTP goes to this address too (in the envelope only: the mission does not see it). */
    archive: address('the archive address').optional(),
    /** The domain of the Message-IDs (default: the domain of the From address). */
    message_id_domain: z
      .string()
      .trim()
      .refine((s) => isEmail(`x@${s}`), { error: 'expected a domain name such as isu.example.org' })
      .optional(),
  })
  .strict();

export interface MailSettings {
  from: string;
  fromName: string;
  replyTo: string;
  archive?: string;
  messageIdDomain: string;
}

export function mailSettings(raw: z.infer<typeof MAIL_SETTINGS> | undefined, issuer: { name: string; email: string }): MailSettings {
  const from = raw?.from ?? issuer.email;
  return {
    from,
    fromName: raw?.from_name ?? issuer.name,
    replyTo: raw?.reply_to ?? issuer.email,
    ...(raw?.archive ? { archive: raw.archive } : {}),
    messageIdDomain: (raw?.message_id_domain ?? from.split('@')[1]!).toLowerCase(),
  };
}
