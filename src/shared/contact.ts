import { z } from 'zod';
import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';

/* Contact details customers type (orders, waiting lists): one definition, so both forms refuse the same. */

/** Optional; international format, stored as E.164 (+4930123456). */
export const phoneSchema = z
  .string()
  .trim()
  .max(40)
  .transform((v, ctx) => {
    if (!v) return undefined;
    if (!isValidPhoneNumber(v)) {
      ctx.addIssue({ code: 'custom', message: 'Enter a valid phone number with country code, e.g. +44 20 7946 0958' });
      return z.NEVER;
    }
    return parsePhoneNumberWithError(v).number as string;
  })
  .optional();

/**
 * Anything a mail or SMS client would turn into a link ("x.com", "www.", "https://"). The name is the
 * greeting of messages we send to whatever contact was typed; it must not carry a phishing link.
 */
const LINK_LIKE = /:\/\/|www\.|[\p{L}\p{N}-]{2,}\.[\p{L}]{2,}/iu;

const nameSchema = (missing: string) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(200)
    .refine((name) => !LINK_LIKE.test(name), 'A name cannot contain a web address');

/** The name we greet people with in messages sent to whatever contact was typed. */
export const contactNameSchema = nameSchema('Enter your name');
/** A ticket holder's name: shown at the gate and in messages, so held to the buyer's name rules. */
export const holderNameSchema = nameSchema('Enter a name');
