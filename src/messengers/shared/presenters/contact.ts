import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Locale } from '../../../domain/leads/lead.js';
import { t } from '../../../i18n/catalog.js';

/** "+8613800138000" → "+86 138 0013 8000": stored as E.164, shown grouped for reading aloud. */
export function formatPhone(phone: string): string {
  return parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
}

/** "anna.smith@acme.com" → "a•••@acme.com": enough to recognise a duplicate, not to call. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** "+49 151 2345 6789" → "+49 ••• ••89". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 6) return '•••';
  const country = phone.trim().startsWith('+') ? `+${digits.slice(0, 2)} ` : '';
  return `${country}••• ••${digits.slice(-2)}`;
}

/** The phone and e-mail on one line; an office line's extension is shown unless the number is masked. */
export function contactLine(
  lead: { email: string | null; phone: string | null; phoneExt?: string | null },
  masked: boolean,
  locale: Locale,
): string | null {
  const phone = lead.phone && formatPhone(lead.phone);
  const parts = [
    phone
      ? masked
        ? maskPhone(phone)
        : lead.phoneExt
          ? t(locale, 'card.phone_ext', { phone, ext: lead.phoneExt })
          : phone
      : null,
    lead.email ? (masked ? maskEmail(lead.email) : lead.email) : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
